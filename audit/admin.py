"""The Django admin is for platform staff, who set partnerships up and see no case material
(DESIGN.md "Permissions"; issue 16). The audit trail here shows who did what to which record and
when, never the changed values or the reasons given (those hold case material); partnership
administrators and the independent scrutineer read the full trail on the partnership's own pages."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from audit.models import AccessEvent, AuditEvent


class MetadataOnlyAdmin(admin.ModelAdmin[Any]):
    """Read-only, and only the fields listed in ``fields``: no add, change, delete or history, and
    the page names the record by type and id (its ``__str__`` may hold a title)."""

    change_form_template = "admin/metadata_only_change_form.html"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.fields or ()

    def render_change_form(
        self, request: HttpRequest, context: dict[str, Any], *args: Any, **kwargs: Any
    ) -> Any:
        obj = context.get("original")
        if obj is not None:
            context["subtitle"] = f"{obj._meta.verbose_name} {obj.pk}".capitalize()
        return super().render_change_form(request, context, *args, **kwargs)

    def history_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> HttpResponse:
        raise PermissionDenied


@admin.register(AuditEvent)
class AuditEventAdmin(MetadataOnlyAdmin):
    list_display = ["at", "actor", "partnership", "action", "object_type", "object_id"]
    list_filter = ["partnership", "action"]
    fields = ["at", "actor", "partnership", "action", "object_type", "object_id"]


@admin.register(AccessEvent)
class AccessEventAdmin(MetadataOnlyAdmin):
    list_display = ["at", "user", "partnership", "kind", "object_type", "object_id"]
    list_filter = ["partnership", "kind"]
    fields = ["at", "user", "partnership", "kind", "object_type", "object_id"]
