"""The project's URLs plus the bare view the dashboard is compared with: signed in, through the same
middleware, one query of its own."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from partnerships.models import Partnership


@login_required
def bare(request: HttpRequest, slug: str) -> HttpResponse:
    pk = Partnership.objects.filter(slug=slug).values_list("pk", flat=True).first()
    return HttpResponse(f"partnership {pk}", content_type="text/plain")


urlpatterns = [
    path("bench/bare/<slug:slug>/", bare, name="bench_bare"),
    path("", include("config.urls")),
]
