from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from audit.models import AccessEvent, AuditEvent


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "partnership", "action", "object_type", "object_id"]
    list_filter = ["partnership", "action"]


@admin.register(AccessEvent)
class AccessEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "partnership", "kind", "object_type", "object_id"]
    list_filter = ["partnership", "kind"]
