"""Sign-off pages, the re-authentication page and one-time-code set-up.

Views hold no rules: access comes from signoffs.access, writes from signoffs.services."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from axes.handlers.proxy import AxesProxyHandler
from axes.utils import reset as axes_reset
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login

from audit.services import access_record
from partnerships import second_factor
from partnerships.models import Agency
from partnerships.roles import Role
from signoffs import otp, services
from signoffs.access import (
    access_signoff_request_for_sign,
    access_signoff_request_for_view,
    access_signoffs_for_view,
    sign_right,
    signoff_requests_visible_to,
)
from signoffs.forms import CodeConfirmForm, PasswordConfirmForm, RoleSignForm, SignForm
from signoffs.hashing import content_hash
from signoffs.models import RequiredRole, RequiredSignatory, RoleSignature, Signature, SignoffRequest, Status
from signoffs.reauth import REAUTH_VALIDITY, fresh_reauth, record_reauth
from signoffs.renderers import renderer_for, summary_rows

DRAFT_KEY = "signoffs_drafts"
PENDING_KEY = "signoffs_otp_pending"
PENDING_MAX_FAILURES = 5
NEXT_MAX_LENGTH = 500


# -- helpers ------------------------------------------------------------------------------------


def _safe_next(request: HttpRequest, value: str | None) -> str:
    """A local path to go back to, or "" (never another site, never a very long value)."""
    value = (value or "").strip()
    if not value or len(value) > NEXT_MAX_LENGTH or "\x00" in value:
        return ""
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        return ""
    if not url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}, require_https=False):
        return ""
    return value


def _confirm_url(next_url: str, method: str | None = None) -> str:
    params = {"next": next_url}
    if method:
        params["method"] = method
    return f"{reverse('reauth_confirm')}?{urlencode(params)}"


def tally(decisions: list[str]) -> str:
    """What the signatures say, in words: "2 agree, 1 disagrees" (empty when nobody has signed)."""
    agree, disagree = decisions.count("agree"), decisions.count("disagree")
    parts = []
    if agree:
        parts.append(f"{agree} agree{'s' if agree == 1 else ''}")
    if disagree:
        parts.append(f"{disagree} disagree{'s' if disagree == 1 else ''}")
    return ", ".join(parts)


def _status_tag(req: SignoffRequest, decisions: list[str] | None = None) -> dict[str, str]:
    colour = {Status.OPEN: "blue", Status.COMPLETE: "green", Status.SUPERSEDED: "grey"}[Status(req.status)]
    if req.status == Status.COMPLETE and decisions and "disagree" in decisions:
        colour = "yellow"
    label = {
        Status.OPEN: "Waiting for signatures",
        Status.COMPLETE: tally(decisions or []) or "Signed",
        Status.SUPERSEDED: "Replaced",
    }[Status(req.status)]
    return {"label": label, "colour": colour}


# -- sign-off list and page ---------------------------------------------------------------------


@login_required
@require_GET
def signoff_list(request: HttpRequest, slug: str) -> HttpResponse:
    standing = access_signoffs_for_view(request.user, slug)
    show_all = request.GET.get("show") == "all"
    qs = signoff_requests_visible_to(request.user, standing.partnership).select_related("partnership")
    if not show_all:
        qs = qs.exclude(status=Status.SUPERSEDED)
    page = Paginator(qs.order_by("-created_at", "-id"), 50).get_page(request.GET.get("page"))
    ids = [r.pk for r in page.object_list]
    required: dict[int, set[int]] = {}
    for request_id, agency_id in RequiredSignatory.objects.filter(request_id__in=ids).values_list(
        "request_id", "agency_id"
    ):
        required.setdefault(request_id, set()).add(agency_id)
    signed: dict[int, set[int]] = {}
    decisions: dict[int, list[str]] = {}
    for request_id, agency_id, decision in Signature.objects.filter(request_id__in=ids).values_list(
        "request_id", "agency_id", "decision"
    ):
        signed.setdefault(request_id, set()).add(agency_id)
        decisions.setdefault(request_id, []).append(decision)
    # Co-signing roles (the Independent Scrutineer, 000 §6.10) count as signatories too.
    for request_id, role in RequiredRole.objects.filter(request_id__in=ids).values_list("request_id", "role"):
        required.setdefault(request_id, set()).add(f"role:{role}")  # type: ignore[arg-type]
    for request_id, role, decision in RoleSignature.objects.filter(request_id__in=ids).values_list(
        "request_id", "role", "decision"
    ):
        signed.setdefault(request_id, set()).add(f"role:{role}")  # type: ignore[arg-type]
        decisions.setdefault(request_id, []).append(decision)
    mine: set[Any] = set(standing.agencies_with("partner_rep")) | {f"role:{r}" for r in standing.roles}
    rows = []
    for r in page.object_list:
        need: set[Any] = required.get(r.pk, set())
        done: set[Any] = signed.get(r.pk, set())
        rows.append(
            {
                "request": r,
                "tag": _status_tag(r, decisions.get(r.pk)),
                "tally": tally(decisions.get(r.pk, [])),
                "signed": len(need & done),
                "required": len(need),
                "yours": r.status == Status.OPEN and bool((mine & need) - done),
            }
        )
    return render(
        request,
        "signoffs/list.html",
        {
            "standing": standing,
            "rows": rows,
            "page": page,
            "show_all": show_all,
            "query": "show=all" if show_all else "",
        },
    )


def _drafts(request: HttpRequest) -> dict[str, Any]:
    drafts = request.session.get(DRAFT_KEY)
    return drafts if isinstance(drafts, dict) else {}


def _save_draft(request: HttpRequest, req: SignoffRequest, data: dict[str, Any]) -> None:
    drafts = _drafts(request)
    drafts[str(req.pk)] = {
        "agency": data.get("agency"),
        "decision": data.get("decision", ""),
        "comment": data.get("comment", ""),
    }
    request.session[DRAFT_KEY] = drafts


def _pop_draft(request: HttpRequest, req: SignoffRequest) -> None:
    drafts = _drafts(request)
    if drafts.pop(str(req.pk), None) is not None:
        request.session[DRAFT_KEY] = drafts


@login_required
@require_http_methods(["GET", "POST"])
def signoff_detail(request: HttpRequest, slug: str, signoff_id: int) -> HttpResponse:
    if request.method == "POST":
        return _sign(request, slug, signoff_id)
    req, standing = access_signoff_request_for_view(request.user, slug, signoff_id)
    access_record(user=request.user, obj=req, detail="Sign-off request")
    right = sign_right(standing, req)
    form: SignForm | None = None
    restored = False
    if right.can_sign:
        draft = _drafts(request).get(str(req.pk))
        initial = None
        if isinstance(draft, dict):
            restored = True
            initial = {k: draft.get(k) for k in ("agency", "decision", "comment")}
        form = _sign_form(right, initial=initial)
    return _render_detail(request, req, standing, right, form, restored=restored)


def _sign_form(right: Any, data: Any = None, initial: Any = None) -> SignForm:
    """The agency form for a partner representative; the role form for a co-signing role holder."""
    if right.agency_ids:
        return SignForm(data, initial=initial, agencies=_agency_choices(right.agency_ids))
    return RoleSignForm(data, initial=initial)


def _role_label(role: str) -> str:
    """The role as the procedures write it ("Independent Scrutineer")."""
    if role == Role.INDEPENDENT_SCRUTINEER:
        return "Independent Scrutineer"
    return Role(role).label if role in Role.values else role


def _agency_choices(ids: tuple[int, ...]) -> list[tuple[int, str]]:
    names = dict(Agency.objects.filter(pk__in=ids).values_list("pk", "name"))
    return [(a, names[a]) for a in ids if a in names]


def _render_detail(
    request: HttpRequest,
    req: SignoffRequest,
    standing: Any,
    right: Any,
    form: SignForm | None,
    *,
    restored: bool = False,
    status: int = 200,
) -> HttpResponse:
    required = list(
        RequiredSignatory.objects.filter(request=req).select_related("agency").order_by("agency__name")
    )
    signatures = {s.agency_id: s for s in Signature.objects.filter(request=req).select_related("signer")}
    parties = [{"name": r.agency.name, "signature": signatures.get(r.agency_id)} for r in required]
    role_signatures = {s.role: s for s in RoleSignature.objects.filter(request=req).select_related("signer")}
    parties += [
        {"name": _role_label(role), "signature": role_signatures.get(role)}
        for role in RequiredRole.objects.filter(request=req).order_by("role").values_list("role", flat=True)
    ]
    versions = list(
        SignoffRequest.objects.filter(
            partnership=req.partnership, record_type=req.record_type, record_id=req.record_id
        )
        .exclude(pk=req.pk)
        .order_by("-version")
    )
    latest = max([req, *versions], key=lambda r: r.version)
    reauth = fresh_reauth(request)
    template = renderer_for(req.record_type)
    return render(
        request,
        "signoffs/detail.html",
        {
            "standing": standing,
            "req": req,
            "tag": _status_tag(
                req,
                [
                    *req.signatures.values_list("decision", flat=True),
                    *req.role_signatures.values_list("decision", flat=True),
                ],
            ),
            "signing_as_role": _role_label(right.roles[0]) if right.roles and not right.agency_ids else "",
            "parties": parties,
            "versions": [{"request": v, "tag": _status_tag(v)} for v in versions],
            "latest": latest,
            "renderer": template,
            "rows": None if template else summary_rows(req.content),
            "intact": content_hash(req.content) == req.content_hash,
            "right": right,
            "form": form,
            "restored": restored,
            "reauth": reauth,
            "reauth_minutes": int(REAUTH_VALIDITY.total_seconds() // 60),
        },
        status=status,
    )


def _sign(request: HttpRequest, slug: str, signoff_id: int) -> HttpResponse:
    req, standing, right = access_signoff_request_for_sign(request.user, slug, signoff_id)
    here = req.get_absolute_url()
    if not right.can_sign:
        if req.status == Status.SUPERSEDED:
            messages.error(request, "This version has been replaced. Sign the latest version instead.")
        elif right.signed_agency_ids or right.signed_roles:
            messages.error(request, "You have already signed this version.")
        else:
            messages.error(request, "This version is no longer waiting for signatures.")
        return redirect(here)
    form = _sign_form(right, request.POST)
    if not form.is_valid():
        return _render_detail(request, req, standing, right, form, status=400)
    data = form.cleaned_data
    reauth = fresh_reauth(request)
    if reauth is None:
        _save_draft(request, req, data)
        return HttpResponseRedirect(_confirm_url(f"{here}#sign"))
    signature: Signature | RoleSignature
    try:
        if right.agency_ids:
            signature = services.signoff_sign(
                request_id=req.pk,
                by=request.user,  # type: ignore[arg-type]
                agency_id=data["agency"],
                decision=data["decision"],
                comment=data["comment"],
                reauth=reauth,
            )
        else:
            signature = services.signoff_sign_for_role(
                request_id=req.pk,
                by=request.user,  # type: ignore[arg-type]
                role=right.roles[0],
                decision=data["decision"],
                comment=data["comment"],
                reauth=reauth,
            )
    except services.SignoffError as exc:
        if exc.code == "reauth_required":
            _save_draft(request, req, data)
            return HttpResponseRedirect(_confirm_url(f"{here}#sign"))
        if exc.code in {"comment", "comment_required", "comment_too_long"}:
            form.add_error("comment", str(exc))
            return _render_detail(request, req, standing, right, form, status=400)
        _pop_draft(request, req)
        messages.error(request, str(exc))
        return redirect(here)
    _pop_draft(request, req)
    if isinstance(signature, RoleSignature):
        agency_name = f"the {_role_label(signature.role)}"
    else:
        agency_name = dict(_agency_choices((signature.agency_id,))).get(signature.agency_id, "your agency")
    if signature.decision != data["decision"] or signature.comment != data["comment"].strip():
        messages.info(
            request, f"{capfirst(agency_name)} had already signed this version; that signature stands."
        )
    else:
        messages.success(request, f"Your signature for {agency_name} is recorded.")
    return redirect(here)


# -- re-authentication --------------------------------------------------------------------------


def _axes_locked(request: HttpRequest, email: str) -> bool:
    return bool(AxesProxyHandler.is_locked(request, {"username": email}))


def _axes_reset(email: str) -> None:
    # AXES_RESET_ON_SUCCESS: a right password here clears earlier wrong ones, as signing in does.
    axes_reset(username=email)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def reauth_confirm(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next")) or reverse("home")
    device = services.otp_device_for(user)
    method = request.POST.get("method") or request.GET.get("method") or ("otp" if device else "password")
    if method != "otp" or device is None:
        method = "password"
    form: PasswordConfirmForm | CodeConfirmForm
    status = 200
    if method == "password":
        form = PasswordConfirmForm(request.POST if request.method == "POST" else None)
    else:
        form = CodeConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        status = 400
        if isinstance(form, PasswordConfirmForm) and form.is_valid():
            if _axes_locked(request, user.email):
                form.add_error(
                    "password",
                    "Your password is locked for 30 minutes because it was entered wrongly too many times. "
                    + (
                        "Use a code from your authenticator app instead, or try later"
                        if device
                        else "Try later"
                    ),
                )
                status = 429
            else:
                who = authenticate(request, username=user.email, password=form.cleaned_data["password"])
                if who is not None and who.pk == user.pk:
                    _axes_reset(user.email)
                    record_reauth(request, "password")
                    return HttpResponseRedirect(next_url)
                form.add_error("password", "The password is not right. Check it and try again")
        elif isinstance(form, CodeConfirmForm) and form.is_valid() and device is not None:
            ok, message = otp.verify_device_code(device, form.cleaned_data["code"])
            if ok:
                otp_login(request, device)
                record_reauth(request, "otp")
                return HttpResponseRedirect(next_url)
            form.add_error("code", message)
    return render(
        request,
        "signoffs/confirm.html",
        {
            "form": form,
            "method": method,
            "has_device": device is not None,
            "next": next_url,
            "switch_url": _confirm_url(next_url, "password" if method == "otp" else "otp"),
            "minutes": int(REAUTH_VALIDITY.total_seconds() // 60),
        },
        status=status,
    )


# -- one-time codes -----------------------------------------------------------------------------


@never_cache
@login_required
@require_GET
def two_factor(request: HttpRequest) -> HttpResponse:
    device = services.otp_device_for(request.user)  # type: ignore[arg-type]
    return render(request, "signoffs/two_factor.html", {"device": device})


def _pending(request: HttpRequest) -> dict[str, Any]:
    return second_factor.pending_key(request.session, PENDING_KEY)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if services.otp_device_for(user) is not None:
        messages.info(request, "You already have an authenticator app set up.")
        return redirect("two_factor")
    reauth = fresh_reauth(request)
    if reauth is None:
        # Seeing the secret needs the password: a borrowed session must not add its own device.
        return HttpResponseRedirect(_confirm_url(reverse("two_factor_setup"), "password"))
    pending = _pending(request)
    form = CodeConfirmForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            check = otp.check_code(pending["key"], form.cleaned_data["code"])
            if check.ok:
                try:
                    services.otp_device_confirm(
                        user=user, key_hex=pending["key"], last_t=check.time_step, reauth=reauth
                    )
                except services.SignoffError as exc:
                    form.add_error("code", str(exc))
                else:
                    request.session.pop(PENDING_KEY, None)
                    messages.success(
                        request,
                        "Your authenticator app is set up. You can use its codes to confirm it is you.",
                    )
                    return redirect("two_factor")
            else:
                pending["failures"] = int(pending.get("failures", 0)) + 1
                if pending["failures"] >= PENDING_MAX_FAILURES:
                    request.session.pop(PENDING_KEY, None)
                    pending = _pending(request)
                    form.add_error(
                        "code",
                        "That code was wrong too many times, so there is a new QR code. "
                        "Remove the old entry from your app, scan the new code and enter the code it shows",
                    )
                else:
                    request.session[PENDING_KEY] = pending
                    form.add_error(
                        "code",
                        "The code is not right. Check your app shows this service and enter the code it shows now",
                    )
    return render(
        request,
        "signoffs/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": otp.qr_svg(otp.otpauth_url(pending["key"], user.email)),
            "secret": otp.secret_base32(pending["key"]),
            "expires_at": timezone.localtime(reauth.expires_at),
        },
        status=status,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_remove(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if services.otp_device_for(user) is None:
        messages.info(request, "You do not have an authenticator app set up.")
        return redirect("two_factor")
    reauth = fresh_reauth(request)
    if reauth is None:
        return HttpResponseRedirect(_confirm_url(reverse("two_factor_remove")))
    if request.method == "POST":
        try:
            services.otp_device_remove(user=user, reauth=reauth)
        except services.SignoffError as exc:
            messages.error(request, str(exc))
            return redirect("two_factor")
        request.session.pop(DEVICE_ID_SESSION_KEY, None)
        messages.success(
            request, "Your authenticator app is removed. Use your password to confirm it is you."
        )
        return redirect("two_factor")
    return render(request, "signoffs/two_factor_remove.html", {})
