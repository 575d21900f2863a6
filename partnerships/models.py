"""The tenant: partnerships, their agencies, the people and the roles they hold."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from partnerships.roles import AgencyKind, Role


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)

    def _create(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their e-mail address. Roles come from memberships."""

    email = models.EmailField("e-mail address", max_length=254, unique=True)
    full_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        default=False, help_text="Platform staff who may use the Django admin (not partnership staff)."
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


slug_validator = RegexValidator(r"^[a-z0-9]+(-[a-z0-9]+)*$", "Use lower-case letters, digits and hyphens.")


class Partnership(models.Model):
    """A local safeguarding children partnership: the tenant every record belongs to."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=60, unique=True, validators=[slug_validator])
    reference_prefix = models.CharField(
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2,6}$", "Use 2 to 6 capital letters.")],
        help_text="Starts every case reference, e.g. DAR-2026-007.",
    )
    profile = models.ForeignKey(
        "partnerships.ProcedureProfile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The procedure profile new cases use.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ClosureDay(models.Model):
    """A day the partnership does not count as a working day, beyond bank holidays."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="closure_days")
    date = models.DateField()
    reason = models.CharField(max_length=200)

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["partnership", "date"], name="closure_day_unique")]

    def __str__(self) -> str:
        return f"{self.date:%d %B %Y}: {self.reason}"


class ProcedureProfile(models.Model):
    """One version of a partnership's procedure: deadline rules, forms, menus, sign-off bodies.

    Versions are immutable once a case uses them; editing makes a new version (DESIGN.md)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="profiles")
    version = models.PositiveIntegerField()
    data = models.JSONField(help_text="The validated profile (see partnerships/profiles/README.md).")
    source = models.CharField(max_length=200, blank=True, help_text="Where this version came from.")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        "partnerships.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["partnership", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "version"], name="profile_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.partnership} procedure, version {self.version}"


class Agency(models.Model):
    """An organisation that belongs to one partnership (a force serving two partnerships is two rows)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="agencies")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=AgencyKind.choices)
    is_statutory_partner = models.BooleanField(
        default=False, help_text="One of the three statutory safeguarding partners."
    )

    class Meta:
        ordering = ["partnership", "-is_statutory_partner", "name"]
        verbose_name_plural = "agencies"
        constraints = [models.UniqueConstraint(fields=["partnership", "name"], name="agency_name_unique")]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's role in a partnership, held through one of its agencies."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=30, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["agency__partnership__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.agency}"

    @property
    def partnership(self) -> Partnership:
        return self.agency.partnership


class ReferenceItem(models.Model):
    """An entry of a drop-down list the partnership administrator edits (e.g. legal status)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="reference_items")
    list_key = models.SlugField(max_length=60)
    value = models.SlugField(max_length=80)
    label = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["partnership", "list_key", "position", "label"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "list_key", "value"], name="reference_item_unique")
        ]

    def __str__(self) -> str:
        return self.label


class PasswordResetRequest(models.Model):
    """One password-reset e-mail asked for, kept an hour or so to rate-limit requests per e-mail
    address and per source address (partnerships.account_views). Holds a hash of the address,
    never the address itself."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    address_digest = models.CharField(max_length=64, db_index=True)
    source = models.CharField(max_length=45, db_index=True)

    def __str__(self) -> str:
        return f"Password reset asked for at {self.at:%Y-%m-%d %H:%M}"
