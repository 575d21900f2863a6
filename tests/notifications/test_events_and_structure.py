"""Event messages inside the caller's transaction; the dependency rule; the management command."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from notifications import outbox
from notifications.models import Kind, OutboxMessage, Status
from tests.notifications.conftest import make_deadline

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_an_event_message_exists_only_if_the_event_commits(case, people):
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.outbox_enqueue_event(
            partnership=case.partnership,
            kind=Kind.SIGNOFF_REQUESTED,
            event_key="signoff:1:v1",
            recipients=[people["la_rep"]],
            case=case,
        )
        raise RuntimeError("the stage service failed")
    assert OutboxMessage.objects.count() == 0


@pytest.mark.django_db
def test_no_duplicate_event_message_when_the_service_runs_again(case, people):
    for _ in range(2):
        outbox.outbox_enqueue_event(
            partnership=case.partnership,
            kind=Kind.SIGNOFF_REQUESTED,
            event_key="signoff:1:v1",
            recipients=[people["la_rep"], people["police_rep"]],
            case=case,
            summary="Please sign the rapid review decision, version 1.",
        )
    assert OutboxMessage.objects.count() == 2
    assert set(OutboxMessage.objects.values_list("urgent", "status")) == {(True, Status.PENDING)}


@pytest.mark.django_db
def test_an_event_summary_goes_in_the_body_never_the_subject(case, people):
    from django.core import mail

    from tests.notifications.helpers import deliver

    outbox.outbox_enqueue_event(
        partnership=case.partnership,
        kind=Kind.DECISION_RECORDED,
        event_key="decision:1",
        recipients=[people["la_rep"]],
        case=case,
        summary="The partners decided to notify the Panel.",
    )
    deliver()
    [email] = mail.outbox
    assert "decided" not in email.subject and "decided to notify" in email.body
    assert email.subject.startswith(f"Decision recorded: case {case.reference}")


@pytest.mark.django_db
def test_event_kinds_are_checked(case, people):
    with pytest.raises(outbox.NotificationError, match="not an event message kind"):
        outbox.outbox_enqueue_event(
            partnership=case.partnership, kind="due_today", event_key="x", recipients=[people["bu"]]
        )


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_deadlines_never_imports_notifications():
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "deadlines").rglob("*.py")
        if any(n == "notifications" or n.startswith("notifications.") for n in _imports(p))
    ]
    assert offenders == []


def test_notifications_reaches_cases_only_through_the_permission_door():
    for p in (ROOT / "notifications").rglob("*.py"):
        for name in _imports(p):
            if name.startswith("cases"):
                assert name == "cases.access", f"{p.name} imports {name}"


@pytest.mark.django_db
def test_send_due_reminders_runs_the_sweep_and_can_send(case, people, capsys):
    make_deadline(case, dt.date(2026, 6, 3), reminders={"due_today": True})
    call_command("send_due_reminders", "--date", "2026-06-03", "--send")
    out = capsys.readouterr().out
    assert "1 message(s) offered" in out and "Sent 1 message(s)" in out
    call_command("send_due_reminders", "--date", "2026-06-03")
    assert OutboxMessage.objects.count() == 1


def test_send_due_reminders_explains_a_bad_date():
    with pytest.raises(CommandError, match="--date must be a date like 2026-06-01"):
        call_command("send_due_reminders", "--date", "3rd June")
