"""Who chose the daily e-mail of changes and deadlines, per partnership (issue 15)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class DigestSubscription(models.Model):
    """One person's choice to get the daily e-mail of one partnership. No row: no e-mail."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["partnership_id", "user_id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "partnership"], name="digest_subscription_once")
        ]

    def __str__(self) -> str:
        return f"Daily e-mail of partnership {self.partnership_id} to user {self.user_id}"
