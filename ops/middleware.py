"""Answer the probes before host validation and the HTTPS redirect.

Load balancers and container health checks call ``/healthz`` and ``/readyz`` by IP address over
plain HTTP inside the network; ``ALLOWED_HOSTS`` and ``SECURE_SSL_REDIRECT`` would turn those calls
into 400s and 301s. The probes show no data, so they are answered first, as they are."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from ops import views

PROBES = {"/healthz": views.healthz, "/readyz": views.readyz}


class ProbeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        view = PROBES.get(request.path_info)
        if view is not None and request.method in {"GET", "HEAD"}:
            return view(request)
        return self.get_response(request)
