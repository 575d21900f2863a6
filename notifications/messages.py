"""What a message says: its subject, body and link, rendered through the permission door.

The same description serves the e-mail (:func:`build_email`), the in-app list and the digest;
case details appear only for a recipient who may see the case now.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from core.doors import cases_visible_to
from deadlines.calendar import WorkingCalendar
from deadlines.services import calendar_for
from notifications.calendar import render_invitation
from notifications.models import REMINDER_KINDS, Kind, OutboxMessage, Status
from notifications.outbox import LIVE, today
from partnerships.models import Partnership, User
from partnerships.roles import Role


class NothingToSend(Exception):
    pass


# kind -> function(row) -> (subject, text body, HTML body), rendered at send time through the
# permission door; it raises NothingToSend when nothing is left to say. A higher app registers one
# for a kind whose content it owns (``reporting`` the daily e-mail of changes and deadlines).
MessageRenderer = Callable[[OutboxMessage], tuple[str, str, str]]
_renderers: dict[str, MessageRenderer] = {}


def register_message_renderer(kind: str, renderer: MessageRenderer) -> None:
    _renderers[kind] = renderer


SUBJECTS: dict[str, str] = {
    Kind.DUE_SOON: "Reminder: a deadline is due soon",
    Kind.DUE_TODAY: "Due today: a deadline",
    Kind.OVERDUE: "Overdue: a deadline has passed",
    Kind.ESCALATION: "Escalation: an overdue deadline",
    Kind.AGENCY_CHASER: "Chaser: an agency return is outstanding",
    Kind.SIGNOFF_REQUESTED: "Sign-off requested",
    Kind.DECISION_RECORDED: "Decision recorded",
    Kind.LETTER: "Letter from the partnership",
    Kind.INFORMATION_REQUEST: "Request for information",
    Kind.DELIVERY_FAILED: "An e-mail could not be delivered",
    Kind.DIGEST: "Your daily summary",
}


def visible_case_ids(user: User, partnership: Partnership, case_ids: Iterable[int | None]) -> set[int]:
    """Which of ``case_ids`` the person may see (the case door ``cases`` registers in the kernel)."""
    ids = {c for c in case_ids if c}
    if not ids:
        return set()
    return set(cases_visible_to(user, partnership).filter(pk__in=ids).values_list("pk", flat=True))


def describe_message(
    row: OutboxMessage,
    *,
    visible: bool,
    on: dt.date | None = None,
    calendars: dict[int, WorkingCalendar] | None = None,
) -> dict[str, Any]:
    """What a message says, for e-mail and in-app alike. Case details only when ``visible``.
    ``calendars`` caches working calendars across a page of messages."""
    on = on or today()
    calendars = {} if calendars is None else calendars
    ctx: dict[str, Any] = {
        "row": row,
        "kind": row.kind,
        "kind_label": row.get_kind_display(),
        "partnership": row.partnership,
        "visible": visible,
        "fallback": bool((row.context or {}).get("fallback")),
        "summary": (row.context or {}).get("summary", ""),
        "site_url": settings.SITE_URL.rstrip("/"),
    }
    reference = row.case.reference if visible and row.case_id and row.case else ""
    ctx["reference"] = reference
    subject = SUBJECTS.get(row.kind, "Message from the partnership")
    if (row.context or {}).get("calendar_event"):
        subject = "Meeting invitation"
    if reference:
        subject += f" on case {reference}" if row.kind in REMINDER_KINDS else f": case {reference}"
    ctx["subject"] = subject
    if visible and row.case_id:
        ctx["path"] = f"/p/{row.partnership.slug}/cases/{row.case_id}/" + (
            "#deadlines" if row.kind in REMINDER_KINDS else ""
        )
    else:
        path = (row.context or {}).get("path", "")
        ctx["path"] = path if path.startswith("/") and not row.case_id else f"/p/{row.partnership.slug}/"
    if row.kind == Kind.DELIVERY_FAILED:
        ctx["path"] = f"/p/{row.partnership.slug}/outbox/?status=failed"
    deadline = row.deadline
    if deadline is not None:
        if deadline.partnership_id not in calendars:
            calendars[deadline.partnership_id] = calendar_for(deadline.partnership_id)
        cal = calendars[deadline.partnership_id]
        remaining = cal.working_days_between(on, deadline.due)
        if deadline.due == on or (remaining == 0 and deadline.due > on):
            when = "today" if deadline.due == on else f"on {deadline.due:%A %-d %B %Y}, a non-working day"
        elif remaining > 0:
            when = f"in {remaining} working day{'s' if remaining != 1 else ''}"
        else:
            when = f"{-remaining} working day{'s' if remaining != -1 else ''} ago"
        ctx.update(
            label=deadline.label,
            due=deadline.due,
            when=when,
            overdue=deadline.due < on,
            statutory=deadline.kind == "statutory",
            role_label=_role_label(row.recipient_role),
            responsible_label=_role_label(deadline.responsible_role),
        )
    ctx["title"] = _title(ctx)
    return ctx


def _role_label(role: str) -> str:
    try:
        return str(Role(role).label)
    except ValueError:
        return role


def _title(ctx: dict[str, Any]) -> str:
    label = ctx.get("label")
    ref = f"{ctx['reference']}: " if ctx.get("reference") else ""
    if ctx["kind"] == Kind.DELIVERY_FAILED:
        return "An e-mail could not be delivered after repeated attempts"
    if label:
        return f"{ctx['kind_label']} — {ref}{label}"
    return f"{ctx['kind_label']}{' — ' + ctx['reference'] if ctx.get('reference') else ''}"


def build_email(row: OutboxMessage) -> EmailMultiAlternatives:
    """The e-mail for one outbox row, rendered now, through the permission door."""
    on = today()
    if row.kind in _renderers:
        subject, text, html = _renderers[row.kind](row)
        return _email(row, subject, text, html)
    if row.kind == Kind.DIGEST:
        items = list(
            OutboxMessage.objects.filter(digest=row, status=Status.IN_DIGEST)
            .select_related("partnership", "deadline", "case")
            .order_by("id")
        )
        live = [
            i
            for i in items
            if not (i.kind in REMINDER_KINDS and (i.deadline is None or i.deadline.status not in LIVE))
        ]
        if not live:
            raise NothingToSend("Nothing in the digest is still open")
        seen = visible_case_ids(row.recipient, row.partnership, [i.case_id for i in live if i.case_id])
        cals: dict[int, WorkingCalendar] = {}
        described = [describe_message(i, visible=i.case_id in seen, on=on, calendars=cals) for i in live]
        ctx = describe_message(row, visible=False, on=on)
        ctx.update(items=described, count=len(described))
        ctx["subject"] = f"Your daily summary: {len(described)} message{'s' if len(described) != 1 else ''}"
        template = "digest"
    else:
        visible = row.case_id is not None and row.case_id in visible_case_ids(
            row.recipient, row.partnership, [row.case_id]
        )
        ctx = describe_message(row, visible=visible, on=on)
        template = "message"
    ctx["recipient"] = row.recipient
    text = render_to_string(f"notifications/email/{template}.txt", ctx)
    html = render_to_string(f"notifications/email/{template}.html", ctx)
    message = _email(row, ctx["subject"], text, html)
    event = (row.context or {}).get("calendar_event") if row.kind != Kind.DIGEST else None
    if event:
        ics = render_invitation(event, reference=ctx.get("reference", ""), attendee=row.recipient.email)
        message.attach("invitation.ics", ics, "text/calendar; method=REQUEST; charset=UTF-8")
    return message


def _email(row: OutboxMessage, subject: str, text: str, html: str) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=f"{subject} — {row.partnership.name}"[:200],
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.recipient.email],
        headers={
            "Message-ID": row.message_id,
            "Auto-Submitted": "auto-generated",
            "X-Auto-Response-Suppress": "All",
        },
    )
    message.attach_alternative(html, "text/html")
    return message
