"""``/healthz`` (the process answers; touches nothing) and ``/readyz`` (the database, the broker
and the file storage answer). Public and anonymous, for load balancers and orchestrators; they
show no data, only which service failed."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ops import checks


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    results = {name: probe() for name, probe in checks.PROBES.items()}
    failed = {name: reason for name, reason in results.items() if reason is not None}
    body = {
        "status": "unavailable" if failed else "ok",
        "checks": {
            name: ("ok" if reason is None else f"failed: {reason}") for name, reason in results.items()
        },
    }
    return JsonResponse(body, status=503 if failed else 200)
