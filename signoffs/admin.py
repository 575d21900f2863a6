"""Read-only admin for platform staff: which records wait for or carry signatures, never what was
signed. The signed content, the title (it may name the case) and signers' comments are case
material: partnership members read them on the sign-off pages through signoffs.access."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from audit.admin import MetadataOnlyAdmin
from signoffs.models import RequiredSignatory, Signature, SignoffRequest


class ReadOnlyInline(admin.TabularInline[Any, Any]):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RequiredSignatoryInline(ReadOnlyInline):
    model = RequiredSignatory
    fields = readonly_fields = ("agency",)


class SignatureInline(ReadOnlyInline):
    model = Signature
    fields = readonly_fields = ("agency", "signer", "decision", "signed_at", "reauth_method", "content_hash")


@admin.register(SignoffRequest)
class SignoffRequestAdmin(MetadataOnlyAdmin):
    list_display = (
        "pk",
        "record_type",
        "record_id",
        "version",
        "status",
        "outcome",
        "partnership",
        "created_at",
    )
    list_display_links = ("pk",)
    list_filter = ("status", "record_type", "partnership")
    search_fields = ("record_type", "record_id", "content_hash")
    fields = (
        "partnership",
        "record_type",
        "record_id",
        "version",
        "status",
        "outcome",
        "content_hash",
        "created_at",
        "completed_at",
        "superseded_at",
    )
    inlines = (RequiredSignatoryInline, SignatureInline)


@admin.register(Signature)
class SignatureAdmin(MetadataOnlyAdmin):
    list_display = ("pk", "request_id", "agency", "signer", "decision", "signed_at", "reauth_method")
    list_display_links = ("pk",)
    list_filter = ("decision", "reauth_method")
    search_fields = ("content_hash",)
    fields = ("agency", "signer", "decision", "signed_at", "reauth_method", "content_hash")
