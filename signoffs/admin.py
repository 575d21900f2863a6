"""Read-only admin: requests and signatures change only through signoffs.services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from signoffs.models import RequiredSignatory, Signature, SignoffRequest


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline[Any, Any]):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RequiredSignatoryInline(ReadOnlyInline):
    model = RequiredSignatory
    readonly_fields = ("agency",)


class SignatureInline(ReadOnlyInline):
    model = Signature
    readonly_fields = (
        "agency",
        "signer",
        "decision",
        "comment",
        "signed_at",
        "reauth_method",
        "content_hash",
    )
    fields = readonly_fields


@admin.register(SignoffRequest)
class SignoffRequestAdmin(ReadOnlyAdmin):
    list_display = (
        "title",
        "record_type",
        "record_id",
        "version",
        "status",
        "outcome",
        "partnership",
        "created_at",
    )
    list_filter = ("status", "record_type", "partnership")
    search_fields = ("record_type", "record_id", "content_hash")
    inlines = (RequiredSignatoryInline, SignatureInline)


@admin.register(Signature)
class SignatureAdmin(ReadOnlyAdmin):
    list_display = ("request", "agency", "signer", "decision", "signed_at", "reauth_method")
    list_filter = ("decision", "reauth_method")
    search_fields = ("content_hash",)
