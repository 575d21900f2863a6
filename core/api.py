"""The API door every stage's REST routes go through, with its pagination and documented errors.

One door (DESIGN.md "Permissions"): ``ThroughTheDoor`` calls the ``access_*`` function for the action's
right before anything else runs, and ``VisibleToFilter`` narrows lists with the ``*_visible_to``
querysets. How errors map:

* not signed in → 403 (session authentication sends no challenge, so DRF answers 403, not 401);
* another partnership, or a record you may not see → 404 ``{"detail": "Not found."}``;
* a record you may see but not act on → 403 with the door's reason;
* a request body that is malformed → 400 with messages per field, and nothing is written;
* an action the record's stage or status does not allow → 409 with the reason (``conflict``);
* a refusal from a service → 400 with its message, or 409 if the record's state changed underneath
  the request (``refused``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.filters import BaseFilterBackend
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from core.serializers import ErrorSerializer
from partnerships.access import Standing, access_partnership_for_view

Door = Callable[[Any, str, int], tuple[Any, Standing]]

_SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]{1,100}$")
_ID_RE = re.compile(r"^[0-9]{1,18}$")


# ------------------------------------------------------------------------------------------------
# The door: one permission class, one filter backend
# ------------------------------------------------------------------------------------------------


class ThroughTheDoor(BasePermission):
    """Runs the view's door for the action's right: ``access_partnership_for_view`` for collection
    routes, the record's ``access_<thing>_for_<right>`` for record routes. The door raises 404 for
    outsiders and 403 for members without the right; the record it returns is the one the view uses."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not getattr(request.user, "is_authenticated", False):
            return False
        slug = str(view.kwargs.get("slug", ""))
        if not _SLUG_RE.match(slug):
            raise Http404
        try:
            if "pk" in view.kwargs:
                pk = str(view.kwargs["pk"])
                if not _ID_RE.match(pk):
                    raise Http404
                door: Door = view.doors[view.door_rights.get(view.action, "view")]
                view.door_object, view.standing = door(request.user, slug, int(pk))
            else:
                view.standing = (view.collection_door or access_partnership_for_view)(request.user, slug)
        except DjangoPermissionDenied as exc:
            # The doors' reasons are written for the person ("Only the business unit acknowledges
            # referrals."), carry no personal data, and say what to do next.
            raise exceptions.PermissionDenied(str(exc) or None) from exc
        return True


class VisibleToFilter(BaseFilterBackend):
    """Lists hold only what the view's ``*_visible_to(user, partnership)`` queryset allows."""

    def filter_queryset(self, request: Request, queryset: Any, view: Any) -> Any:
        return queryset & view.visible_to(request.user, view.standing.partnership)


class StrictLimitOffsetPagination(LimitOffsetPagination):
    """LimitOffsetPagination that refuses a limit or offset it cannot use (DRF's quietly falls back
    to the defaults, so a client's typo would look like success)."""

    max_limit = 200

    def _number(self, request: Request, name: str, low: int, high: int | None) -> int | None:
        raw = request.query_params.get(name)
        if raw is None:
            return None
        if not (raw.isascii() and raw.isdigit() and len(raw) < 10 and int(raw) >= low) or (
            high is not None and int(raw) > high
        ):
            top = f" to {high}" if high is not None else " or more"
            raise serializers.ValidationError({name: [f"Must be a whole number from {low}{top}."]})
        return int(raw)

    def get_limit(self, request: Request) -> int | None:
        limit = self._number(request, self.limit_query_param, 1, self.max_limit)
        return self.default_limit if limit is None else limit

    def get_offset(self, request: Request) -> int:
        return self._number(request, self.offset_query_param, 0, None) or 0

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for p in parameters:
            if p["name"] == self.limit_query_param:
                p["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_limit}
            elif p["name"] == self.offset_query_param:
                p["schema"] = {"type": "integer", "minimum": 0, "maximum": 999_999_999}
        return parameters


class DoorViewSet(viewsets.GenericViewSet[Any]):
    permission_classes = [ThroughTheDoor]
    filter_backends = [VisibleToFilter]
    pagination_class = StrictLimitOffsetPagination
    lookup_value_regex = r"[^/]+"  # anything, so a bad id is a JSON 404 from the door, not an HTML one
    doors: dict[str, Door]
    door_rights: dict[str, str]
    # The door of collection routes when seeing the partnership is not enough (e.g. its reports).
    collection_door: Callable[[Any, str], Standing] | None = None
    record_id_field = "pk"  # which field of a ``visible_to`` record the path's {id} is (its door's id)
    standing: Standing
    door_object: Any

    def get_object(self) -> Any:
        return self.door_object  # set by ThroughTheDoor: never looked up any other way

    def visible_to(self, user: Any, partnership: Any) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError


def refused(exc: Exception, still_fits: bool) -> Response:
    """A service's refusal: 409 if the record moved on underneath the request, else 400."""
    code = status.HTTP_400_BAD_REQUEST if still_fits else status.HTTP_409_CONFLICT
    return Response({"detail": str(exc)}, status=code)


def carry_out(
    record: Any,
    call: Callable[[], object],
    respond: Callable[[], Response],
    *,
    refusals: type[Exception] | tuple[type[Exception], ...],
    still_fits: bool | Callable[[Any], bool] = False,
    explain: Callable[[Exception], Response] | None = None,
) -> Response:
    """An action the door has allowed on ``record``, carried out through its service.

    ``call()`` runs the service. If it refuses (raises one of ``refusals``), the record is read
    again and ``still_fits`` says whether the action still fits the record's state: if it does, the
    request itself was wrong (400, or ``explain(exc)`` for a richer body); if it does not, the
    transition is refused (409, ``refused``). Otherwise ``respond()`` answers."""
    try:
        call()
    except refusals as exc:
        if record is not None and getattr(record, "pk", None) is not None:
            record.refresh_from_db()
        fits = still_fits(record) if callable(still_fits) else still_fits
        if fits and explain is not None:
            return explain(exc)
        return refused(exc, fits)
    return respond()


def conflict(message: str) -> Response:
    """The record's stage or status does not allow this now."""
    return Response({"detail": message}, status=status.HTTP_409_CONFLICT)


# ------------------------------------------------------------------------------------------------
# Schema helpers: the path parameters and the documented error responses
# ------------------------------------------------------------------------------------------------

SLUG = OpenApiParameter(
    "slug", str, OpenApiParameter.PATH, description="The partnership's short name, e.g. darlington."
)
ID = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The record's id (a whole number)."
)
R400 = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="The request was refused and nothing changed: field name → messages, or 'detail'.",
)
R403 = OpenApiResponse(
    ErrorSerializer, description="Not signed in, or you may see this but your role does not allow this."
)
R404 = OpenApiResponse(
    ErrorSerializer, description="No such partnership or record, or you may not see it (outsiders)."
)
R409 = OpenApiResponse(ErrorSerializer, description="The record's stage or status does not allow this now.")
READ_ERRORS = {403: R403, 404: R404}
LIST_ERRORS = {400: R400, 403: R403, 404: R404}  # lists: 400 for a limit or offset that is not a number
WRITE_ERRORS = {400: R400, 403: R403, 404: R404, 409: R409}
