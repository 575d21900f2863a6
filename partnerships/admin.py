"""The Django admin, for platform staff. Partnership staff use the service's own pages.

Platform staff set partnerships up and nothing else (issue 16): they see no case material, and roles
change only through ``partnerships.services.membership_grant``, which writes an AuditEvent in the
partnership's trail and never lets anyone grant themselves a role. Here staff may name a
partnership's administrators; every other role is given by those administrators."""

from __future__ import annotations

from typing import Any

import yaml
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

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
from partnerships.roles import PLATFORM_GRANTABLE_ROLES, Role
from partnerships.services import ServiceError, membership_grant, membership_grant_refusal, profile_install


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

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Changing someone's sign-in address would let staff take over the account: people change
        # their own password (or reset it by e-mail); the address is set when the account is made.
        return ["email"] if obj is not None else []

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        user = self.get_object(request, id)
        if user is not None and Membership.objects.filter(user=user).exists():
            # A member resets their own password by e-mail link; staff never set it for them.
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)


class MembershipInline(admin.TabularInline[Membership, Agency]):
    """Who holds which role, to read. Grants go through MembershipAdmin's add form (the service)."""

    model = Membership
    extra = 0
    can_delete = False
    fields = ("user", "role", "is_active", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MembershipGrantForm(forms.ModelForm[Membership]):
    """Name a partnership administrator. The service's own rule decides, so the admin and the
    partnership's pages can never disagree."""

    role = forms.ChoiceField(
        choices=[(r, Role(r).label) for r in Role.values if r in PLATFORM_GRANTABLE_ROLES],
        initial=Role.PARTNERSHIP_ADMIN,
    )

    class Meta:
        model = Membership
        fields = ["user", "agency", "role"]

    def __init__(self, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        self.request = request
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        user, agency, role = cleaned.get("user"), cleaned.get("agency"), cleaned.get("role")
        if user is not None and agency is not None and role and self.request is not None:
            refusal = membership_grant_refusal(by=self.request.user, user=user, agency=agency, role=role)
            if refusal:
                raise forms.ValidationError(refusal)
        return cleaned

    def validate_unique(self) -> None:
        # The service re-activates an ended role rather than making a second row.
        return None


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ["user", "role", "agency", "is_active", "created_at"]
    list_filter = ["agency__partnership", "role", "is_active"]
    autocomplete_fields = ["user"]
    form = MembershipGrantForm

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form_class = super().get_form(request, obj, change=change, **kwargs)

        class WithRequest(form_class):  # type: ignore[valid-type,misc]
            def __init__(self, *args: Any, **kw: Any) -> None:
                super().__init__(*args, request=request, **kw)

        return WithRequest

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        try:
            saved = membership_grant(
                by=request.user, user=obj.user, agency=obj.agency, role=form.cleaned_data["role"]
            )
        except ServiceError as exc:
            raise PermissionDenied(str(exc)) from exc
        obj.pk = saved.pk
        obj.created_at = saved.created_at

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


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
