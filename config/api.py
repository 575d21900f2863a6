"""The REST API: one router, one permission door (see ``partnerships.api``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.views import exception_handler as drf_exception_handler

from actions.api import register as register_actions
from cases.api import register as register_cases
from cspr.api import register as register_practice_review
from deadlines.api import register as register_deadlines
from learning.api import register as register_learning
from publication.api import register as register_publication
from rapidreview.api import register as register_rapid_review
from rapidreview.api_meeting import register as register_rapid_review_meeting
from rapidreview.api_review import register as register_rapid_review_start
from reporting.api import register as register_reporting
from retention.api import register as register_retention

router = DefaultRouter()


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with plain-English bodies and no internals for 404 and 403."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("Not found.")
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied("You do not have permission to do this.")
    return drf_exception_handler(exc, context)


# Each app's API module registers its routes here (config is the top of the dependency order).
register_cases(router)
register_rapid_review(router)
register_rapid_review_meeting(router)
register_rapid_review_start(router)
register_practice_review(router)
register_publication(router)
register_learning(router)
register_actions(router)
register_reporting(router)
register_retention(router)
register_deadlines(router)
