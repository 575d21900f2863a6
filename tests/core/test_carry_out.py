"""core.api.carry_out: the one helper the stages' API actions go through — the service's answer on
success, 409 when a refusal leaves the action no longer fitting the record's state, 400 (or the
view's own explanation) when it still fits, and other errors left to DRF."""

from __future__ import annotations

import pytest
from rest_framework.response import Response

from core.api import carry_out


class Refused(Exception):
    pass


class Record:
    """Stands in for a model instance: counts how often it is read again after a refusal."""

    pk = 7

    def __init__(self) -> None:
        self.reloads = 0
        self.status = "open"

    def refresh_from_db(self) -> None:
        self.reloads += 1
        self.status = "closed"  # the state moved on underneath the request


def _refuse() -> None:
    raise Refused("Not now.")


def test_success_answers_with_the_views_response_and_reads_nothing_again():
    record, calls = Record(), []
    r = carry_out(record, lambda: calls.append(1), lambda: Response({"ok": True}), refusals=Refused)
    assert (r.status_code, r.data, calls, record.reloads) == (200, {"ok": True}, [1], 0)


def test_a_refusal_that_no_longer_fits_the_state_is_409_judged_on_the_fresh_record():
    record = Record()
    r = carry_out(
        record, _refuse, lambda: Response({}), refusals=Refused, still_fits=lambda x: x.status == "open"
    )
    assert (r.status_code, r.data, record.reloads) == (409, {"detail": "Not now."}, 1)


def test_a_refusal_that_still_fits_is_400_or_the_views_explanation():
    r = carry_out(Record(), _refuse, lambda: Response({}), refusals=Refused, still_fits=True)
    assert (r.status_code, r.data) == (400, {"detail": "Not now."})
    r = carry_out(
        Record(),
        _refuse,
        lambda: Response({}),
        refusals=Refused,
        still_fits=True,
        explain=lambda exc: Response({"field": [str(exc)]}, status=400),
    )
    assert r.data == {"field": ["Not now."]}


def test_other_errors_are_not_swallowed():
    def boom() -> None:
        raise KeyError("x")

    with pytest.raises(KeyError):
        carry_out(Record(), boom, lambda: Response({}), refusals=Refused)
