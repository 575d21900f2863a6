"""The Django admin, for platform staff. Partnership staff use the service's own pages."""

from __future__ import annotations

from typing import Any

import yaml
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from partnerships.models import (
    Agency,
    ClosureDay,
    Membership,
    Partnership,
    ProcedureProfile,
    ReferenceItem,
    User,
)
from partnerships.profiles import ProfileInvalid, parse_profile_text
from partnerships.services import profile_install


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("full_name", "job_title")}),
        ("Platform access", {"fields": ("is_active", "is_staff", "is_superuser")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),
    )
    filter_horizontal = ()
    list_filter = ["is_active", "is_staff"]


class MembershipInline(admin.TabularInline[Membership, Agency]):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin[Agency]):
    list_display = ["name", "partnership", "kind", "is_statutory_partner"]
    list_filter = ["partnership", "kind", "is_statutory_partner"]
    search_fields = ["name"]
    inlines = [MembershipInline]


class ClosureDayInline(admin.TabularInline[ClosureDay, Partnership]):
    model = ClosureDay
    extra = 0


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin[Partnership]):
    list_display = ["name", "slug", "reference_prefix", "profile"]
    readonly_fields = ["profile"]
    inlines = [ClosureDayInline]


class ProfileForm(forms.ModelForm[ProcedureProfile]):
    """Edit a profile as YAML. Saving never changes a stored version: it installs a new one."""

    text = forms.CharField(
        label="Profile (YAML)", widget=forms.Textarea(attrs={"rows": 40, "cols": 120, "spellcheck": "false"})
    )

    class Meta:
        model = ProcedureProfile
        fields = ["partnership", "source"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["text"].initial = yaml.safe_dump(
                self.instance.data, sort_keys=False, allow_unicode=True
            )

    def clean_text(self) -> dict[str, Any]:
        try:
            return parse_profile_text(self.cleaned_data["text"])
        except ProfileInvalid as exc:
            raise forms.ValidationError(str(exc)) from exc


@admin.register(ProcedureProfile)
class ProcedureProfileAdmin(admin.ModelAdmin[ProcedureProfile]):
    form = ProfileForm
    list_display = ["partnership", "version", "created_at", "source"]
    list_filter = ["partnership"]
    readonly_fields = ["version", "created_at", "created_by"]

    def save_model(self, request: HttpRequest, obj: ProcedureProfile, form: Any, change: bool) -> None:
        # A new version every time; the edited row itself stays as it was (cases may use it).
        new = profile_install(
            partnership=form.cleaned_data["partnership"],
            data=form.cleaned_data["text"],
            by=request.user,
            source=form.cleaned_data.get("source") or "Edited in the admin",
        )
        obj.pk = new.pk
        obj.version = new.version
        obj.partnership = new.partnership

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ReferenceItem)
class ReferenceItemAdmin(admin.ModelAdmin[ReferenceItem]):
    list_display = ["label", "list_key", "partnership", "position", "is_active"]
    list_filter = ["partnership", "list_key", "is_active"]
