from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from partnerships import access
from partnerships.nav import nav_for
from partnerships.second_factor import second_factor_required


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the page shell needs: service name, current partnership, switcher, navigation, timeout."""
    ctx: dict[str, Any] = {
        "service_name": settings.SERVICE_NAME,
        "session_seconds": settings.SESSION_COOKIE_AGE,
        "session_warning_seconds": settings.SESSION_WARNING_SECONDS,
        "embedded": settings.EMBEDDED,
    }
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ctx
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and not is_verified() and second_factor_required(user):
        # Until the second factor, the sign-in pages show no partnership or navigation.
        ctx["awaiting_second_factor"] = True
        return ctx
    resolver = getattr(request, "resolver_match", None)
    slug = (resolver.kwargs.get("slug") if resolver else None) or request.session.get("partnership")
    visible = access.partnership_list(user)
    current = next((p for p in visible if p.slug == slug), None)
    ctx["user_partnerships"] = visible
    ctx["current_partnership"] = current
    if current is not None:
        standing = access.standing_in(user, current)
        items = []
        for item in nav_for(standing.roles):
            try:
                url = reverse(item.url_name, kwargs={"slug": current.slug})
            except NoReverseMatch:
                continue
            items.append({"label": item.label, "url": url, "current": request.path == url})
        ctx["nav_items"] = items
    return ctx
