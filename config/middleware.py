"""Response headers set for every page (the Content-Security-Policy comes from django-csp), and the
record of API list reads."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from audit.services import access_record
from partnerships.models import Partnership


class PermissionsPolicyMiddleware:
    """``Permissions-Policy``: camera, microphone, location and the like are off for every page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class ApiListAccessMiddleware:
    """One AccessEvent per successful read of an API list (``api-…-list`` routes), naming the list and
    how many rows it showed, as the detail reads record theirs (issue 16). Kept here, beside the
    router, so every stage's list is covered without each viewset remembering to do it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = request.resolver_match
        name = (match.url_name or "") if match else ""
        if (
            match is not None
            and request.method == "GET"
            and response.status_code == 200
            and name.startswith("api-")
            and name.endswith("-list")
            and request.user.is_authenticated
        ):
            data = getattr(response, "data", None)
            shown = len(data.get("results", [])) if isinstance(data, dict) else 0
            label = name.removeprefix("api-").removesuffix("-list").replace("-", " ").capitalize()
            access_record(
                user=request.user,
                partnership=Partnership.objects.filter(slug=match.kwargs.get("slug", "")).first(),
                detail=f"{label} list (API, {shown} shown)",
            )
        return response
