"""Account pages: the second factor at sign-in, recovery codes, password change and reset, and the
partnership administrator's reset of someone's second factor (docs/adr/0008).

Views hold no rules: who needs a second factor is partnerships.second_factor, writes are
partnerships.services, the administrator's door is partnerships.access."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from audit.services import audit_record
from partnerships import access, second_factor, services
from partnerships.forms import (
    AccountPasswordChangeForm,
    AccountPasswordResetForm,
    AccountSetPasswordForm,
    EnrolCodeForm,
    SecondFactorCodeForm,
)
from partnerships.models import PasswordResetRequest
from partnerships.throttle import client_ip

PASSWORD_SIGN_IN_KEY = "password_sign_in_at"  # noqa: S105 - a session key, not a password
ENROL_KEY = "second_factor_pending"
RECOVERY_SHOW_KEY = "recovery_codes_to_show"
ENROL_MAX_FAILURES = 5


def safe_next(request: HttpRequest) -> str:
    """A path on this site to carry on to after signing in, or ""."""
    value = str(request.POST.get("next") or request.GET.get("next") or "")[:500]
    if not value.startswith("/") or value.startswith("//") or "\\" in value or "\x00" in value:
        return ""
    if not url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}, require_https=False):
        return ""
    return value


def _with_next(name: str, next_url: str) -> str:
    return reverse(name) + (f"?{urlencode({'next': next_url})}" if next_url else "")


def after_password(request: HttpRequest, user: Any, next_url: str) -> str:
    """Where a person goes after a right password: their page, or the second-factor step first."""
    request.session[PASSWORD_SIGN_IN_KEY] = time.time()
    if not second_factor.second_factor_required(user):
        return next_url or reverse("home")
    if second_factor.has_second_factor(user):
        return _with_next("second_factor_verify", next_url)
    return _with_next("second_factor_enrol", next_url)


# -- the second factor at sign-in ----------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def second_factor_verify(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.is_authenticated:
        return redirect("login")
    next_url = safe_next(request)
    if user.is_verified():
        return HttpResponseRedirect(next_url or reverse("home"))
    if not second_factor.has_second_factor(user):
        return HttpResponseRedirect(_with_next("second_factor_enrol", next_url))
    form = SecondFactorCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        device, message = services.second_factor_verify(user=user, code=form.cleaned_data["code"])
        if device is not None:
            request.session.cycle_key()
            otp_login(request, device)
            if device.name == second_factor.RECOVERY_DEVICE_NAME:
                left = second_factor.recovery_codes_left(user)
                messages.warning(
                    request,
                    f"You used a recovery code. You have {left} left. "
                    "If you have lost your phone, ask your partnership administrator to reset your "
                    "second factor, or make new recovery codes from your account.",
                )
            return HttpResponseRedirect(next_url or reverse("home"))
        form.add_error("code", message)
    return render(
        request,
        "registration/second_factor_verify.html",
        {"form": form, "next": next_url},
        status=400 if request.method == "POST" else 200,
    )


def _password_sign_in_is_recent(request: HttpRequest) -> bool:
    at = request.session.get(PASSWORD_SIGN_IN_KEY)
    if not isinstance(at, int | float):
        return False
    return 0 <= time.time() - at <= settings.SECOND_FACTOR_ENROL_WINDOW_SECONDS


def _pending_key(request: HttpRequest) -> dict[str, Any]:
    return second_factor.pending_key(request.session, ENROL_KEY)


@never_cache
@require_http_methods(["GET", "POST"])
def second_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app on first sign-in (QR code and key, then a first code)."""
    user: Any = request.user
    if not user.is_authenticated:
        return redirect("login")
    next_url = safe_next(request)
    if second_factor.app_device_for(user) is not None:
        return HttpResponseRedirect(_with_next("second_factor_verify", next_url))
    if not _password_sign_in_is_recent(request):
        # Only a fresh password sign-in may add a device: a session left open must not add its own.
        auth_logout(request)
        messages.info(request, "To set up your authenticator app, sign in again.")
        return HttpResponseRedirect(_with_next("login", next_url))
    pending = _pending_key(request)
    form = EnrolCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        time_step = second_factor.check_pending_code(pending["key"], form.cleaned_data["code"])
        if time_step is not None:
            try:
                device, codes = services.second_factor_enrol(
                    user=user, key_hex=pending["key"], last_t=time_step
                )
            except services.ServiceError as exc:
                form.add_error("code", str(exc))
            else:
                request.session.pop(ENROL_KEY, None)
                request.session.cycle_key()
                otp_login(request, device)
                request.session[RECOVERY_SHOW_KEY] = codes
                return HttpResponseRedirect(_with_next("recovery_codes", next_url))
        else:
            pending["failures"] = int(pending.get("failures", 0)) + 1
            if pending["failures"] >= ENROL_MAX_FAILURES:
                request.session.pop(ENROL_KEY, None)
                pending = _pending_key(request)
                form.add_error(
                    "code",
                    "That code was wrong too many times, so there is a new QR code. "
                    "Remove the old entry from your app, scan the new code and enter the code it shows",
                )
            else:
                request.session[ENROL_KEY] = pending
                form.add_error(
                    "code",
                    "The code is not right. Check your app shows this service and enter the code it shows now",
                )
    return render(
        request,
        "registration/second_factor_enrol.html",
        {
            "form": form,
            "next": next_url,
            "qr_svg": second_factor.qr_svg(second_factor.otpauth_url(pending["key"], user.email)),
            "secret": second_factor.secret_base32(pending["key"]),
        },
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Recovery codes: shown once after set-up; new ones (replacing the old) on request."""
    user: Any = request.user
    if not user.is_authenticated:
        return redirect("login")
    next_url = safe_next(request)
    if not user.is_verified():
        return HttpResponseRedirect(_with_next("second_factor_verify", reverse("recovery_codes")))
    codes: list[str] | None
    if request.method == "POST":
        codes = services.recovery_codes_regenerate(user=user)
    else:
        shown = request.session.pop(RECOVERY_SHOW_KEY, None)
        codes = [str(c) for c in shown] if isinstance(shown, list) else None
    return render(
        request,
        "registration/recovery_codes.html",
        {"codes": codes, "left": second_factor.recovery_codes_left(user), "next": next_url},
    )


# -- passwords -----------------------------------------------------------------------------------


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view: the current password, then the new one twice (Django's validators)."""

    form_class = AccountPasswordChangeForm
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("account")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        audit_record(actor=self.request.user, action="partnerships.password.changed", obj=None)
        messages.success(self.request, "Your password is changed. Use the new one next time you sign in.")
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response


def _reset_allowed(request: HttpRequest, email: str) -> bool:
    """Count one reset request against the address and the source; False once either is over
    its hourly limit. Stored in the database (not the cache) so no cache flush resets the count;
    the row holds a hash of the address, never the address."""
    digest = hashlib.sha256(email.encode("utf-8")).hexdigest()
    source = client_ip(request)[:45]
    now = timezone.now()
    hour_ago = now - dt.timedelta(hours=1)
    with transaction.atomic():
        PasswordResetRequest.objects.filter(at__lt=now - dt.timedelta(days=1)).delete()
        recent = PasswordResetRequest.objects.filter(at__gte=hour_ago)
        if recent.filter(address_digest=digest).count() >= settings.PASSWORD_RESET_LIMIT_PER_ADDRESS:
            return False
        if recent.filter(source=source).count() >= settings.PASSWORD_RESET_LIMIT_PER_SOURCE:
            return False
        PasswordResetRequest.objects.create(at=now, address_digest=digest, source=source)
    return True


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link. Whether or not the address has an account, and whether or not the
    limit is reached, the next page says the same: no account enumeration."""

    form_class = AccountPasswordResetForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")
    # The link is built from SITE_URL, never from the request's Host header.
    extra_email_context = {"service_name": settings.SERVICE_NAME, "site_url": settings.SITE_URL.rstrip("/")}

    def form_valid(self, form: Any) -> HttpResponse:
        if _reset_allowed(self.request, form.cleaned_data["email"].strip().lower()):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = AccountSetPasswordForm
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = form.user
        # The person proved they hold the mailbox: earlier wrong passwords no longer lock them out.
        axes_reset(username=user.get_username())
        audit_record(actor=user, action="partnerships.password.reset", obj=None)
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response


password_change = login_required(PasswordChangeView.as_view())
password_reset = PasswordResetView.as_view()
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="registration/password_reset_done.html"
)
password_reset_confirm = PasswordResetConfirmView.as_view()
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="registration/password_reset_complete.html"
)


# -- the administrator resets someone's second factor --------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def second_factor_reset(request: HttpRequest, slug: str, person_id: int) -> HttpResponse:
    admin: Any = request.user  # signed in (login_required)
    standing, person = access.access_person_for_second_factor_reset(admin, slug, person_id)
    if request.method == "POST":
        try:
            services.second_factor_reset(by=admin, user=person, partnership=standing.partnership)
        except services.ServiceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                f"{person.full_name}'s second factor is reset. They set up their authenticator app "
                "again the next time they sign in.",
            )
        return redirect("people", slug=standing.partnership.slug)
    return render(
        request,
        "partnerships/second_factor_reset.html",
        {
            "standing": standing,
            "person": person,
            "has_app": second_factor.app_device_for(person) is not None,
            "is_self": person.pk == request.user.pk,
        },
    )
