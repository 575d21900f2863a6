"""The partnership administrator's people pages (issue 10): add a person and give them a role in an
agency (an invitation e-mail with a link to set a password), remove a role; and the invitation's
set-password page."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods

from audit.services import audit_record
from partnerships import access
from partnerships.forms import AccountSetPasswordForm
from partnerships.govuk_forms import GovukCharField, GovukForm
from partnerships.models import Agency, Membership
from partnerships.people import invitation_tokens, person_add, role_remove
from partnerships.roles import Role
from partnerships.services import ServiceError


class PersonForm(GovukForm):
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        error_messages={
            "required": "Enter the person's work e-mail address",
            "invalid": "Enter an e-mail address in the correct format, like name@example.org",
        },
        help_text="Their work address. If they already use the service, they are given the role.",
    )
    full_name = GovukCharField(label="Full name", max_length=150, required=False)
    job_title = GovukCharField(label="Job title", max_length=150, required=False)
    agency = forms.ChoiceField(
        label="Agency",
        error_messages={"required": "Choose the agency", "invalid_choice": "Choose the agency"},
    )
    role = forms.ChoiceField(
        label="Role",
        widget=forms.RadioSelect,
        choices=Role.choices,
        error_messages={"required": "Choose the role", "invalid_choice": "Choose the role"},
    )

    def __init__(self, *args: Any, agencies: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["agency"]).choices = [("", "Choose the agency"), *agencies]


@login_required
@require_http_methods(["GET", "POST"])
def people_add(request: HttpRequest, slug: str) -> HttpResponse:
    standing = access.access_partnership_for_admin(request.user, slug)
    agencies = [
        (str(a.pk), a.name)
        for a in Agency.objects.filter(partnership=standing.partnership).order_by(
            "-is_statutory_partner", "name"
        )
    ]
    form = PersonForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        try:
            person, membership, invited = person_add(
                by=request.user,
                partnership=standing.partnership,
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data.get("full_name", ""),
                job_title=form.cleaned_data.get("job_title", ""),
                agency_id=int(form.cleaned_data["agency"]),
                role=form.cleaned_data["role"],
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"{person.full_name} is now {membership.get_role_display().lower()} in {membership.agency.name}."
                + (" An invitation to set a password has been sent to them." if invited else ""),
            )
            return redirect("people", slug=standing.partnership.slug)
    return render(
        request,
        "partnerships/people_add.html",
        {"standing": standing, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_remove(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    standing = access.access_partnership_for_admin(request.user, slug)
    membership = (
        Membership.objects.select_related("user", "agency")
        .filter(pk=membership_id, agency__partnership=standing.partnership, is_active=True)
        .first()
    )
    if membership is None:
        raise Http404("No such role.")
    if request.method == "POST":
        try:
            role_remove(by=request.user, partnership=standing.partnership, membership_id=membership.pk)
        except ServiceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                f"{membership.user.full_name} is no longer {membership.get_role_display().lower()} in "
                f"{membership.agency.name}.",
            )
        return redirect("people", slug=standing.partnership.slug)
    return render(
        request,
        "partnerships/membership_remove.html",
        {"standing": standing, "membership": membership, "is_self": membership.user_id == request.user.pk},
    )


class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """The invitation's link: the person sets their password (once; the link lasts a week)."""

    form_class = AccountSetPasswordForm
    token_generator = invitation_tokens
    template_name = "partnerships/invitation_accept.html"
    success_url = reverse_lazy("login")
    reset_url_token = "set-password"  # noqa: S105 - the URL segment that replaces the token, not a secret
    extra_context = {"service_name": settings.SERVICE_NAME}

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        audit_record(actor=form.user, action="partnerships.invitation.accepted", obj=None)
        messages.success(self.request, "Your password is set. Sign in with your e-mail address and password.")
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response


invitation_accept = InvitationAcceptView.as_view()
