"""The kernel's notify(): the notifications engine registers its sender; without one, notify
refuses rather than let an event pass without its message."""

from __future__ import annotations

import pytest

from cases.services import case_open
from core import messaging
from core.messaging import MessageSenderNotRegistered, notify
from notifications.models import Kind, OutboxMessage
from partnerships.roles import Role


@pytest.fixture
def no_sender():
    registered = messaging._sender
    messaging._sender = None
    yield
    messaging._sender = registered


@pytest.mark.django_db
def test_notify_queues_one_outbox_row_per_recipient_once_per_event(profiled):
    world = profiled
    case = case_open(partnership=world.partnership, by=None)
    bu, chair = world.user(Role.BUSINESS_UNIT), world.user(Role.SUBGROUP_CHAIR)
    sent = {
        "recipients": [bu, chair, None],
        "kind": "decision_recorded",
        "summary": "The partners decided.",
        "path": "/somewhere/",
        "partnership": world.partnership,
        "case": case,
        "event_key": "decision:1:test",
    }
    assert notify(**sent) == 2
    notify(**sent)  # the same event again adds nothing
    rows = OutboxMessage.objects.filter(event_key="decision:1:test")
    assert sorted(r.recipient_id for r in rows) == sorted([bu.pk, chair.pk])
    assert {r.kind for r in rows} == {Kind.DECISION_RECORDED} and {r.case_id for r in rows} == {case.pk}


@pytest.mark.django_db
def test_a_kind_the_engine_does_not_know_goes_as_a_letter_and_long_keys_are_cut(world):
    bu = world.user(Role.BUSINESS_UNIT)
    key = "letter:" + "x" * 200
    notify(
        recipients=[bu],
        kind="no_such_kind",
        summary="s",
        path="/",
        partnership=world.partnership,
        event_key=key,
    )
    row = OutboxMessage.objects.get(recipient=bu)
    assert row.kind == Kind.LETTER and row.event_key == key[:120]


@pytest.mark.django_db
def test_without_a_registered_sender_notify_refuses_and_writes_nothing(world, no_sender):
    bu = world.user(Role.BUSINESS_UNIT)
    with pytest.raises(MessageSenderNotRegistered, match="notifications app"):
        notify(
            recipients=[bu],
            kind="letter",
            summary="s",
            path="/",
            partnership=world.partnership,
            event_key="k",
        )
    assert not OutboxMessage.objects.exists()


def test_nobody_to_tell_needs_no_sender(no_sender):
    assert (
        notify(recipients=[None], kind="letter", summary="s", path="/", partnership=None, event_key="k") == 0
    )
