"""Reads for notification pages, the header count and calendar feeds, through the permission door."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from core.doors import cases_visible_to
from deadlines.models import Deadline
from notifications.messages import describe_message, visible_case_ids
from notifications.models import Kind, OutboxMessage, Status
from notifications.outbox import LIVE, today
from notifications.recipients import Directory, subject_agencies
from partnerships.access import partnerships_visible_to
from partnerships.models import Partnership

IN_APP_HIDDEN = (Status.CANCELLED,)


def _in_app(user: Any) -> QuerySet[OutboxMessage]:
    return (
        OutboxMessage.objects.filter(recipient=user)
        .exclude(kind=Kind.DIGEST)
        .exclude(status__in=IN_APP_HIDDEN)
    )


def unread_count(user: Any) -> int:
    return _in_app(user).filter(read_at=None).count()


@dataclass(frozen=True)
class NotificationView:
    row: OutboxMessage
    title: str
    path: str
    when: str
    reference: str
    partnership: Partnership

    @property
    def unread(self) -> bool:
        return self.row.read_at is None


def notifications_for_user(user: Any, rows: list[OutboxMessage]) -> list[NotificationView]:
    """Describe a page of the person's own notifications, naming a case only if they may see it."""
    by_partnership: dict[int, set[int]] = defaultdict(set)
    for r in rows:
        if r.case_id:
            by_partnership[r.partnership_id].add(r.case_id)
    visible: set[int] = set()
    for r in rows:
        if r.partnership_id in by_partnership:
            visible |= visible_case_ids(user, r.partnership, by_partnership.pop(r.partnership_id))
    on = today()
    out = []
    calendars: dict[int, Any] = {}
    for r in rows:
        ctx = describe_message(r, visible=r.case_id in visible, on=on, calendars=calendars)
        out.append(
            NotificationView(
                row=r,
                title=ctx["title"],
                path=ctx["path"],
                when=ctx.get("when", ""),
                reference=ctx["reference"],
                partnership=r.partnership,
            )
        )
    return out


def notification_rows(user: Any) -> QuerySet[OutboxMessage]:
    return _in_app(user).select_related("partnership", "deadline", "case").order_by("-created_at", "-id")


OUTBOX_STATUS_FILTERS = [
    ("", "All"),
    ("waiting", "Waiting to send or held for a digest"),
    ("sent", "Sent"),
    ("failed", "Failed"),
    ("cancelled", "Not sent (no longer needed)"),
]


def outbox_for_partnership(
    partnership: Partnership, *, status: str = "", kind: str = "", reference: str = ""
) -> QuerySet[OutboxMessage]:
    """Every e-mail of the partnership, newest first (in-app-only notices are not e-mails)."""
    qs = OutboxMessage.objects.filter(partnership=partnership).exclude(status=Status.IN_APP)
    if status == "waiting":
        qs = qs.filter(status__in=[Status.PENDING, Status.HELD, Status.SENDING])
    elif status == "sent":
        qs = qs.filter(status__in=[Status.SENT, Status.IN_DIGEST])
    elif status in (Status.FAILED, Status.CANCELLED):
        qs = qs.filter(status=status)
    if kind in Kind.values:
        qs = qs.filter(kind=kind)
    if reference:
        qs = qs.filter(case__reference__iexact=reference.strip())
    return qs.select_related("recipient", "case", "deadline", "digest").order_by("-created_at", "-id")


def outbox_failed_count(partnership: Partnership) -> int:
    return OutboxMessage.objects.filter(partnership=partnership, status=Status.FAILED).count()


def deadlines_for_user(user: Any) -> list[Deadline]:
    """Live deadlines the person is responsible for (as the reminders would find them), in cases
    they may see, across their partnerships."""
    partnerships = list(partnerships_visible_to(user))
    if not partnerships:
        return []
    directory = Directory(p.pk for p in partnerships)
    out: list[Deadline] = []
    for p in partnerships:
        rows = list(
            Deadline.objects.filter(
                Q(status__in=LIVE) | Q(status=Deadline.Status.PAUSED),
                case__in=cases_visible_to(user, p),
            ).select_related("case", "case__partnership")
        )
        agencies = subject_agencies(d.subject for d in rows if d.subject)
        for d in rows:
            holders = directory.resolve(
                p.pk, d.responsible_role, d.responsible_agency, agencies.get(d.subject)
            )
            if any(h.user_id == user.pk for h in holders):
                out.append(d)
    return sorted(out, key=lambda d: (d.due, d.pk))
