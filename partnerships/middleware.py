from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse

SIGNED_IN_COOKIE = "signed_in"


class NoStoreMiddleware:
    """Pages for signed-in people hold case material: never keep them in a browser or proxy cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            response["Cache-Control"] = "no-store, private"
        return response


class SessionExpiryMiddleware:
    """Says "you were signed out after 30 minutes without activity" when an idle session has ended."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        expired = (
            SIGNED_IN_COOKIE in request.COOKIES
            and not request.user.is_authenticated
            and not request.path.startswith("/static/")
        )
        if expired:
            messages.warning(
                request,
                "You were signed out because you had not done anything for 30 minutes. "
                "Sign in again to carry on.",
            )
        response = self.get_response(request)
        if expired:
            response.delete_cookie(SIGNED_IN_COOKIE)
        return response
