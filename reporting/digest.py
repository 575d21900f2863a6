"""The daily e-mail of what changed and what is due, for those who choose it (issue 15).

A person opts in per partnership (:func:`digest_subscribe`, audited). Each working morning beat runs
:func:`digest_enqueue_all`: for every opted-in person it builds the e-mail's content through the
permission door (:func:`digest_content`) and, when there is anything to say, queues one outbox row
of kind ``daily_update`` keyed ``update:<partnership>:<date>``. The outbox's send-once constraint
(event key × recipient) makes a second run that day insert nothing; delivery renders the row again at
send time (:func:`render_digest`, registered with ``notifications.messages``), so a person who lost
access in between gets nothing, and it is sent, retried and recorded like any other message.

What a person sees is what their pages show them: deadlines and changes of the cases
``cases_visible_to`` lets them see and, for someone who holds only agency roles, nothing owned by
another agency (an information request's deadline or return). Case references only, never a
child's name; the subject is a fixed phrase and the partnership's name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_record
from cases import stages
from core.doors import cases_visible_to
from deadlines.models import Deadline
from deadlines.services import calendar_for
from notifications.messages import NothingToSend
from notifications.models import Kind, OutboxMessage, Status
from notifications.outbox import LONDON
from notifications.recipients import subject_agencies
from partnerships.access import standing_in
from partnerships.models import Agency, Partnership, User
from partnerships.roles import PARTNERSHIP_WIDE_ROLES
from rapidreview.models import InformationRequest
from reporting.dashboard import LIVE, LOCAL_TARGET
from reporting.models import DigestSubscription

DUE_WORKING_DAYS = 5
MAX_LOOKBACK = dt.timedelta(days=14)
SUBJECT = "Your daily e-mail of changes and deadlines"
RETURN_ACTIONS = ("rapidreview.return.authorised", "rapidreview.return.received_outside")
SIGNOFF_ACTIONS = ("rapidreview.decision.signoff_completed",)
CHANGE_ACTIONS = ("cases.case.stage_changed", *RETURN_ACTIONS, *SIGNOFF_ACTIONS)


@dataclass
class DueItem:
    reference: str  # "" when the person cannot see the case (their agency's own request or action)
    label: str
    due: dt.date
    status: str  # "Overdue", "Local target passed", "Due today", "Due in 3 working days"
    path: str


@dataclass
class ChangeItem:
    reference: str
    at: dt.datetime
    what: str
    path: str


@dataclass
class DigestContent:
    partnership: Partnership
    on: dt.date
    since: dt.datetime
    until: dt.datetime
    overdue: list[DueItem] = field(default_factory=list)
    due: list[DueItem] = field(default_factory=list)
    changes: list[ChangeItem] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.overdue or self.due or self.changes)


# ------------------------------------------------------------------------------------------------
# The choice
# ------------------------------------------------------------------------------------------------


def digest_subscribed(user: User, partnership: Partnership) -> bool:
    return DigestSubscription.objects.filter(user=user, partnership=partnership).exists()


@transaction.atomic
def digest_subscribe(*, user: User, partnership: Partnership, on: bool) -> bool:
    """Opt in (``on``) or out of the partnership's daily e-mail. Returns whether anything changed.
    Caller has passed the partnership door. Side effect: AuditEvent when the choice changes."""
    if on:
        _, created = DigestSubscription.objects.get_or_create(user=user, partnership=partnership)
        changed = created
    else:
        changed = DigestSubscription.objects.filter(user=user, partnership=partnership).delete()[0] > 0
    if changed:
        audit_record(
            actor=user,
            action="reporting.digest.subscribed" if on else "reporting.digest.unsubscribed",
            partnership=partnership,
            changes={"daily_email": [not on, on]},
        )
    return changed


# ------------------------------------------------------------------------------------------------
# What the e-mail says, through the door
# ------------------------------------------------------------------------------------------------


def _when(cal: Any, on: dt.date, due: dt.date) -> str:
    if due == on:
        return "Due today"
    n = cal.working_days_between(on, due)
    if n <= 0:
        return f"Due {due:%A %-d %B %Y}, a non-working day"
    return f"Due in {n} working day{'s' if n != 1 else ''}"


def _subject_path(slug: str, subject: str) -> str:
    prefix, _, raw = subject.partition(":")
    if prefix == "request" and raw.isdigit():
        return reverse("request_detail", args=[slug, int(raw)])
    if prefix == "action" and raw.isdigit():
        return reverse("action_detail", args=[slug, int(raw)])
    return reverse("partnership_home", args=[slug])


def digest_content(
    user: User, partnership: Partnership, *, on: dt.date, since: dt.datetime, until: dt.datetime
) -> DigestContent:
    """Deadlines due in the next five working days or passed, and the changes between ``since`` and
    ``until`` (stage changes, agency returns received, sign-offs completed), of what ``user`` may see:
    the cases the case door shows them and, through an agency, that agency's own requests and
    actions (named without the case, which their pages do not show them either)."""
    content = DigestContent(partnership, on, since, until)
    standing = standing_in(user, partnership)
    if not standing.roles or not user.is_active:
        return content
    wide = bool(standing.roles & PARTNERSHIP_WIDE_ROLES)
    refs: dict[int, str] = dict(cases_visible_to(user, partnership).values_list("pk", "reference"))
    slug = partnership.slug
    cal = calendar_for(partnership)
    horizon = cal.working_days_after(on, DUE_WORKING_DAYS)
    live = Deadline.objects.filter(partnership=partnership, status__in=LIVE, due__lte=horizon)
    if wide:
        live = live.filter(case_id__in=list(refs))
    else:
        live = live.filter(
            Q(case_id__in=list(refs)) | Q(subject__startswith="request:") | Q(subject__startswith="action:")
        )
    deadlines = list(live.order_by("due", "id"))
    owners = subject_agencies([d.subject for d in deadlines if d.subject])
    agency_names = dict(Agency.objects.filter(pk__in=set(owners.values())).values_list("pk", "name"))
    for d in deadlines:
        owner = owners.get(d.subject)
        if not wide:
            if owner is not None and owner not in standing.agency_ids:
                continue  # another agency's request or action
            if owner is None and d.case_id not in refs:
                continue
        reference = refs.get(d.case_id, "")
        label = f"{d.label} ({agency_names[owner]})" if wide and owner in agency_names else d.label
        if reference:
            path = reverse("case_detail", args=[slug, d.case_id]) + "#deadlines"
        else:
            path = _subject_path(slug, d.subject)
        if d.due < on:
            status = "Local target passed" if d.kind == LOCAL_TARGET else "Overdue"
            content.overdue.append(DueItem(reference, label, d.due, status, path))
        else:
            content.due.append(DueItem(reference, label, d.due, _when(cal, on, d.due), path))
    events = list(
        AuditEvent.objects.filter(
            partnership=partnership,
            action__in=CHANGE_ACTIONS,
            object_type="cases.case",
            at__gt=since,
            at__lte=until,
        ).order_by("at", "id")
    )
    requests = _requests(events)
    for e in events:
        cid = int(e.object_id) if e.object_id.isdigit() else 0
        item = _describe(e, requests, refs.get(cid, ""), None if wide else standing.agency_ids)
        if item is None:
            continue
        what, request_id = item
        if cid in refs:
            path = reverse("case_detail", args=[slug, cid])
        else:
            path = reverse("request_detail", args=[slug, request_id])
        content.changes.append(ChangeItem(refs.get(cid, ""), e.at, what, path))
    return content


def _requests(events: list[AuditEvent]) -> dict[int, tuple[int, str]]:
    """Information request id -> (agency id, agency name) for the return events."""
    ids = {
        int(k.split(":", 1)[1])
        for e in events
        if e.action in RETURN_ACTIONS
        for k in (e.changes or {})
        if k.startswith("request:") and k.split(":", 1)[1].isdigit()
    }
    return {
        pk: (agency_id, name)
        for pk, agency_id, name in InformationRequest.objects.filter(pk__in=ids).values_list(
            "pk", "agency_id", "agency__name"
        )
    }


def _describe(
    e: AuditEvent, requests: dict[int, tuple[int, str]], reference: str, agencies: frozenset[int] | None
) -> tuple[str, int] | None:
    """What the event says, and the information request it is about (0 if none); None when the
    person may not see it: a case outside their door, or another agency's return."""
    changes = e.changes or {}
    if e.action in RETURN_ACTIONS:
        key = next((k for k in changes if k.startswith("request:")), "")
        request_id = int(key[8:]) if key[8:].isdigit() else 0
        found = requests.get(request_id)
        if found is None:
            return None
        own = agencies is not None and found[0] in agencies
        if agencies is not None and not own:
            return None
        if not reference and not own:
            return None
        nil = (changes.get("nil") or [None, False])[1]
        text = f"{'Nil return' if nil else 'Return'} received from {found[1]}"
        return (text if reference else f"{text} by the business unit"), request_id
    if not reference:
        return None
    if e.action == "cases.case.stage_changed":
        to = (changes.get("stage") or [None, None])[1]
        return (f"Moved to the stage “{stages.label(to)}”", 0) if to else None
    if e.action in SIGNOFF_ACTIONS:
        outcome = (changes.get("outcome") or [None, ""])[1]
        agreed = "every partner agreed" if outcome == "all_agree" else "a partner disagreed"
        return f"The partners' sign-off of the rapid review decision is complete: {agreed}", 0
    return None


# ------------------------------------------------------------------------------------------------
# Queueing (beat) and rendering (delivery)
# ------------------------------------------------------------------------------------------------


def _key(partnership_id: int, on: dt.date) -> str:
    return f"update:{partnership_id}:{on.isoformat()}"


def _since(sub: DigestSubscription, now: dt.datetime) -> dt.datetime:
    """The end of the period the last daily e-mail covered, or when the person chose it; at most
    two weeks back."""
    last = (
        OutboxMessage.objects.filter(
            kind=Kind.DAILY_UPDATE,
            recipient_id=sub.user_id,
            partnership_id=sub.partnership_id,
            resend_of=None,
        )
        .order_by("-created_at", "-id")
        .values_list("context", flat=True)
        .first()
    )
    until = (last or {}).get("until")
    since = dt.datetime.fromisoformat(until) if until else sub.created_at
    return max(since, now - MAX_LOOKBACK)


def digest_enqueue_all(*, now: dt.datetime | None = None) -> int:
    """Queue today's daily e-mail for every opted-in person with something to read, on the
    partnership's working days. Safe to run again: nothing is queued twice for a person and day.
    Returns how many were queued."""
    now = now or timezone.now()
    on = timezone.localtime(now, LONDON).date()
    queued = 0
    subs = DigestSubscription.objects.select_related("user", "partnership").order_by(
        "partnership_id", "user_id"
    )
    calendars: dict[int, Any] = {}
    for sub in subs:
        pid = sub.partnership_id
        if pid not in calendars:
            calendars[pid] = calendar_for(pid)
        if not calendars[pid].is_working_day(on):
            continue
        key = _key(pid, on)
        if OutboxMessage.objects.filter(event_key=key, recipient_id=sub.user_id, resend_of=None).exists():
            continue
        since = _since(sub, now)
        content = digest_content(sub.user, sub.partnership, on=on, since=since, until=now)
        if content.empty:
            continue
        OutboxMessage.objects.bulk_create(
            [
                OutboxMessage(
                    partnership_id=pid,
                    kind=Kind.DAILY_UPDATE,
                    recipient_id=sub.user_id,
                    on_date=on,
                    event_key=key,
                    context={
                        "since": since.isoformat(),
                        "until": now.isoformat(),
                        "path": reverse("digest_settings", args=[sub.partnership.slug]),
                        "summary": "What changed and what is due in the cases you can see.",
                    },
                    status=Status.PENDING,
                    next_attempt_at=now,
                    created_at=now,
                )
            ],
            ignore_conflicts=True,
        )
        queued += 1
    return queued


def render_digest(row: OutboxMessage) -> tuple[str, str, str]:
    """The daily e-mail for one outbox row, worked out now through the door (delivery calls it)."""
    ctx = row.context or {}
    try:
        since = dt.datetime.fromisoformat(ctx["since"])
        until = dt.datetime.fromisoformat(ctx["until"])
    except (KeyError, TypeError, ValueError) as exc:
        raise NothingToSend("The daily e-mail lost its period") from exc
    if not DigestSubscription.objects.filter(
        user_id=row.recipient_id, partnership_id=row.partnership_id
    ).exists():
        raise NothingToSend("The person no longer wants the daily e-mail")
    content = digest_content(row.recipient, row.partnership, on=row.on_date, since=since, until=until)
    if content.empty:
        raise NothingToSend("Nothing to say in the daily e-mail")
    site = settings.SITE_URL.rstrip("/")
    page = {
        "content": content,
        "partnership": row.partnership,
        "site_url": site,
        "settings_url": site + reverse("digest_settings", args=[row.partnership.slug]),
        "subject": SUBJECT,
    }
    text = render_to_string("reporting/email/digest.txt", page)
    html = render_to_string("reporting/email/digest.html", page)
    return SUBJECT, text, html
