"""Sign-in, the home page ("what needs me"), partnership switching and partnership settings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.services import audit_record
from partnerships import access, services
from partnerships.account_views import after_password
from partnerships.forms import ClosureDayForm, ReferenceItemForm, SignInForm
from partnerships.home import tasks_for
from partnerships.models import Agency, ClosureDay, Membership, ReferenceItem
from partnerships.roles import ROLE_DESCRIPTIONS, Role

SIGNED_IN_COOKIE = "signed_in"


@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=False):
        next_url = ""
    form = SignInForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        auth_login(request, form.user_cache)
        response = HttpResponseRedirect(after_password(request, form.user_cache, next_url))
        response.set_cookie(SIGNED_IN_COOKIE, "1", httponly=True, samesite="Lax", secure=settings.SECURE)
        return response
    if request.method == "POST" and form.has_error(NON_FIELD_ERRORS, "address_locked"):
        return render(request, "registration/locked.html", {"address_locked": True}, status=429)
    status = 400 if request.method == "POST" else 200
    return render(request, "registration/login.html", {"form": form, "next": next_url}, status=status)


def lockout(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any) -> HttpResponse:
    """django-axes calls this when an e-mail address has had too many failed sign-ins."""
    minutes = int(settings.AXES_COOLOFF_TIME * 60)
    return render(request, "registration/locked.html", {"minutes": minutes}, status=429)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    messages.info(request, "You have signed out.")
    response = redirect("login")
    response.delete_cookie(SIGNED_IN_COOKIE)
    return response


@require_POST
@login_required
def keepalive(request: HttpRequest) -> HttpResponse:
    """Touches the session (SESSION_SAVE_EVERY_REQUEST) so the idle clock restarts."""
    return HttpResponse(status=204)


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/accessibility.html")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/csrf.html", status=403)


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    visible = list(access.partnerships_visible_to(request.user))
    if not visible:
        return render(request, "partnerships/no_roles.html")
    wanted = request.session.get("partnership")
    chosen = next((p for p in visible if p.slug == wanted), visible[0])
    return redirect("partnership_home", slug=chosen.slug)


@login_required
@require_GET
def switch(request: HttpRequest) -> HttpResponse:
    """The header's partnership switcher (a GET form, so it works without JavaScript)."""
    slug = request.GET.get("partnership", "")[:60]
    standing = access.access_partnership_for_view(request.user, slug)
    return redirect("partnership_home", slug=standing.partnership.slug)


@login_required
@require_GET
def partnership_home(request: access.AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    standing = access.access_partnership_for_view(request.user, slug)
    request.session["partnership"] = standing.partnership.slug
    memberships = list(
        Membership.objects.filter(
            user=request.user, is_active=True, agency__partnership=standing.partnership
        ).select_related("agency")
    )
    roles = [
        {"label": Role(r).label, "description": ROLE_DESCRIPTIONS.get(r, "")}
        for r in Role.values
        if r in standing.roles
    ]
    tasks = tasks_for(request.user, standing)
    groups: dict[str, list[Any]] = {}
    for task in tasks:
        groups.setdefault(task.group, []).append(task)
    return render(
        request,
        "partnerships/home.html",
        {
            "standing": standing,
            "memberships": memberships,
            "roles": roles,
            "task_groups": groups,
            "is_admin": standing.has(Role.PARTNERSHIP_ADMIN),
        },
    )


@login_required
@require_GET
def people(request: HttpRequest, slug: str) -> HttpResponse:
    standing = access.access_people_for_view(request.user, slug)
    agencies = (
        Agency.objects.filter(partnership=standing.partnership)
        .prefetch_related("memberships__user")
        .order_by("-is_statutory_partner", "name")
    )
    return render(
        request,
        "partnerships/people.html",
        {"standing": standing, "agencies": agencies, "is_admin": standing.has(Role.PARTNERSHIP_ADMIN)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def closure_days(request: HttpRequest, slug: str) -> HttpResponse:
    standing = access.access_closure_days_for_view(request.user, slug)
    can_change = standing.has(Role.PARTNERSHIP_ADMIN)
    form = ClosureDayForm(request.POST or None) if can_change else None
    if request.method == "POST":
        standing = access.access_closure_days_for_change(request.user, slug)
        assert form is not None
        if "remove" in request.POST:
            try:
                day_id = int(request.POST["remove"])
                services.closure_day_remove(partnership=standing.partnership, by=request.user, day_id=day_id)
                messages.success(request, "Closure day removed.")
            except (ValueError, services.ServiceError):
                messages.error(request, "That closure day does not exist.")
            return redirect("closure_days", slug=slug)
        form = ClosureDayForm(request.POST)
        if form.is_valid():
            try:
                services.closure_day_add(
                    partnership=standing.partnership,
                    by=request.user,
                    date=form.cleaned_data["date"],
                    reason=form.cleaned_data["reason"],
                )
            except services.ServiceError as exc:
                form.add_error("date", str(exc))
            else:
                messages.success(request, "Closure day added. Deadlines are counted without it from now on.")
                return redirect("closure_days", slug=slug)
    days = ClosureDay.objects.filter(partnership=standing.partnership)
    return render(
        request,
        "partnerships/closure_days.html",
        {"standing": standing, "days": days, "form": form, "can_change": can_change},
        status=400 if form is not None and form.errors else 200,
    )


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/400.html", status=400)


def raise_404(request: HttpRequest) -> HttpResponse:
    raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def reference_lists(request: HttpRequest, slug: str) -> HttpResponse:
    """The partnership's drop-down lists (legal status, where the child lived, main cause, …)."""
    standing = access.access_partnership_for_admin(request.user, slug)
    items = ReferenceItem.objects.filter(partnership=standing.partnership).order_by(
        "list_key", "position", "label"
    )
    lists: dict[str, list[ReferenceItem]] = {}
    for item in items:
        lists.setdefault(item.list_key, []).append(item)
    form = ReferenceItemForm()
    target = request.POST.get("list_key", "") if request.method == "POST" else ""
    if request.method == "POST":
        if target not in lists:
            messages.error(request, "That list does not exist.")
            return redirect("reference_lists", slug=slug)
        if "toggle" in request.POST:
            toggled = ReferenceItem.objects.filter(
                partnership=standing.partnership,
                pk=request.POST.get("toggle", "0") if str(request.POST.get("toggle", "")).isdigit() else 0,
            ).first()
            if toggled is None:
                messages.error(request, "That option does not exist.")
            else:
                toggled.is_active = not toggled.is_active
                toggled.save(update_fields=["is_active"])
                audit_record(
                    actor=request.user,
                    action="partnerships.reference_item.toggled",
                    obj=standing.partnership,
                    changes={
                        f"{toggled.list_key}:{toggled.value}": [not toggled.is_active, toggled.is_active]
                    },
                )
                messages.success(
                    request, f"“{toggled.label}” is now {'shown' if toggled.is_active else 'hidden'}."
                )
            return redirect("reference_lists", slug=slug)
        form = ReferenceItemForm(request.POST)
        if form.is_valid():
            label = form.cleaned_data["label"]
            value = slugify(label)[:80] or "option"
            if ReferenceItem.objects.filter(
                partnership=standing.partnership, list_key=target, value=value
            ).exists():
                form.add_error("label", "That option is already in the list")
            else:
                position = len(lists[target])
                ReferenceItem.objects.create(
                    partnership=standing.partnership,
                    list_key=target,
                    value=value,
                    label=label,
                    position=position,
                )
                audit_record(
                    actor=request.user,
                    action="partnerships.reference_item.added",
                    obj=standing.partnership,
                    changes={f"{target}:{value}": [None, label]},
                )
                messages.success(request, f"“{label}” added.")
                return redirect("reference_lists", slug=slug)
    titles = {
        "legal_status": "Legal status",
        "residence": "Where the child lived or was placed",
        "main_cause": "Main cause of the incident",
    }
    return render(
        request,
        "partnerships/reference_lists.html",
        {
            "standing": standing,
            "lists": [(k, titles.get(k, k.replace("_", " ").capitalize()), v) for k, v in lists.items()],
            "form": form,
            "target": target,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def account(request: access.AuthenticatedHttpRequest) -> HttpResponse:
    """The signed-in person's own page: who they are, their roles, and their settings."""
    memberships = (
        Membership.objects.filter(user=request.user, is_active=True)
        .select_related("agency", "agency__partnership")
        .order_by("agency__partnership__name", "role")
    )
    return render(request, "partnerships/account.html", {"memberships": memberships})
