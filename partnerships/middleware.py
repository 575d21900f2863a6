from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse

from partnerships.second_factor import has_second_factor, second_factor_required

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


# Pages a signed-in session may reach before its second factor: they only sign in, confirm who the
# person is, or sign out. The sign-off confirm page accepts a password (already given) or a code
# from the person's own app (which verifies the session), so it opens nothing new.
SECOND_FACTOR_OPEN_PATHS = (
    "/accounts/sign-in/",
    "/accounts/sign-out/",
    "/accounts/two-factor/",
    "/account/confirm/",
    "/session/keepalive/",
    "/accessibility/",
    "/static/",
)
SECOND_FACTOR_API_MESSAGE = (
    "This account signs in with a second factor. Sign in on the website and enter the code from "
    "your authenticator app, then try again."
)


class SecondFactorMiddleware:
    """A session whose person needs a second factor (partnerships.second_factor) and has not given
    one reaches only the sign-in pages: pages redirect to the code page (or to set-up if the person
    has no app yet), the API answers 403 with a message. Runs after django-otp's OTPMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            or request.path.startswith(SECOND_FACTOR_OPEN_PATHS)
            or user.is_verified()
            or not second_factor_required(user)
        ):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": SECOND_FACTOR_API_MESSAGE}, status=403)
        target = "second_factor_verify" if has_second_factor(user) else "second_factor_enrol"
        next_url = request.get_full_path() if request.method == "GET" else ""
        url = reverse(target) + (f"?{urlencode({'next': next_url})}" if next_url else "")
        if getattr(request, "htmx", False):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return HttpResponseRedirect(url)
