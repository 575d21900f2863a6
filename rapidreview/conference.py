"""The safeguarding partners' own call after the rapid review meeting (004 F2: the Safeguarding
Children's Partnership Team arranges "the safeguarding partners telephone conference taking place on
day 14", where the partners agree their response and sign SRG-8).

Only where the profile's ``rapid_review.partners_conference`` names it, held on the due day of its
rule. Scheduling it invites the statutory partners' representatives and the business unit with the
same calendar invitation as the meeting (``rapidreview.meeting.send_calendar_invitations``); moving
it sends the same event again with the next SEQUENCE. Callers have passed the door in
``rapidreview.access`` (the business unit arranges it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from audit.services import audit_record
from cases.services import case_event
from deadlines.models import Deadline
from deadlines.services import calendar_for
from partnerships.models import User
from rapidreview.errors import RapidReviewError, clean_text
from rapidreview.meeting import invitee_groups, send_calendar_invitations
from rapidreview.models import PartnersConference, RapidReview
from rapidreview.selectors import rr_config
from rapidreview.transitions import locked_review


def conference_config(review: RapidReview) -> Mapping[str, Any] | None:
    config = rr_config(review).get("partners_conference")
    return config if config else None


def conference_due(review: RapidReview) -> dt.date | None:
    """The day the procedure holds the call: the due day of the profile's rule (004: Working Day
    Fourteen), or None before its anchor is recorded."""
    config = conference_config(review)
    if config is None:
        return None
    row = Deadline.objects.filter(case_id=review.case_id, rule_key=config["rule"], subject="").first()
    return row.due if row is not None else None


def conference_warnings(review: RapidReview, when: dt.date) -> list[str]:
    """What is unusual about the day chosen (shown, never a refusal): not a working day, or not the
    day the procedure gives."""
    warnings: list[str] = []
    cal = calendar_for(review.partnership)
    if not cal.is_working_day(when):
        names = [h.name for h in cal.holidays_between(when, when)]
        warnings.append(f"{when:%A %-d %B %Y} is not a working day ({names[0] if names else f'{when:%A}'}).")
    due = conference_due(review)
    if due is not None and when != due:
        warnings.append(f"The procedure holds the call on {due:%A %-d %B %Y}, not {when:%A %-d %B %Y}.")
    return warnings


def conference_invitees(review: RapidReview) -> list[User]:
    """The statutory partners' representatives and the business unit, once each."""
    groups = invitee_groups(review)
    people: dict[int, User] = {}
    for invitee in [*groups["partner"], *groups["business_unit"]]:
        people.setdefault(invitee.user.pk, invitee.user)
    return list(people.values())


def _aware(when: dt.datetime) -> dt.datetime:
    return timezone.make_aware(when, timezone.get_default_timezone()) if timezone.is_naive(when) else when


@transaction.atomic
def conference_schedule(
    *, review: RapidReview, by: User, scheduled_for: dt.datetime, location: str
) -> tuple[PartnersConference, int, list[str]]:
    """Set (or move) the partners' call and send the invitations: everyone invited before gets the
    moved event, anyone newly holding a partner or business unit role gets the first one. Returns
    the call, how many people were sent an invitation and the warnings for the day.
    Side effects: AuditEvent, CaseEvent, outbox rows (with nobody to invite, the business unit is
    told the invitation reached nobody)."""
    config = conference_config(review)
    if config is None:
        raise RapidReviewError("This partnership's procedure has no partners' call.")
    locked = locked_review(review)
    if locked.panel_submissions.exists():
        raise RapidReviewError(
            "The rapid review has gone to the Panel: the partners' call can no longer change."
        )
    label = str(config["label"])
    location = clean_text(location, "How to join the call", required=True, max_length=300)
    scheduled_for = _aware(scheduled_for)
    conference = PartnersConference.objects.select_for_update().filter(review=locked).first()
    before: dict[str, Any] = {"scheduled_for": None, "location": None}
    if conference is None:
        conference = PartnersConference.objects.create(
            review=locked, scheduled_for=scheduled_for, location=location, created_by=by
        )
    else:
        if conference.scheduled_for == scheduled_for and conference.location == location:
            raise RapidReviewError(
                f"The {label[0].lower()}{label[1:]} is already set for that time and place."
            )
        before = {"scheduled_for": conference.scheduled_for.isoformat(), "location": conference.location}
        conference.scheduled_for, conference.location = scheduled_for, location
        conference.invitation_sequence += 1
        conference.save()
    people = conference_invitees(locked)
    already = set(conference.invited.values_list("pk", flat=True))
    conference.invited.add(*people)
    conference.invitations_sent_at = timezone.now()
    conference.save(update_fields=["invitations_sent_at", "updated_at"])
    moved = before["scheduled_for"] is not None
    invited = [p for p in people if p.pk in already] if moved else []
    new = [p for p in people if p.pk not in already]
    common: dict[str, Any] = {
        "review": locked,
        "uid": f"partners-conference-{conference.pk}",
        "event_prefix": f"rr-conference:{conference.pk}",
        "sequence": conference.invitation_sequence,
        "title": label,
        "start": scheduled_for,
        "location": location,
        "path": reverse("rr_conference", args=[locked.partnership.slug, locked.case_id]),
        "hours": 1,
    }
    if invited:
        send_calendar_invitations(people=invited, updated=True, **common)
    if new:
        send_calendar_invitations(people=new, **common)
    when = timezone.localtime(scheduled_for)
    audit_record(
        actor=by,
        action="rapidreview.conference.scheduled",
        obj=locked.case,
        changes={
            "scheduled_for": [before["scheduled_for"], scheduled_for.isoformat()],
            "location": [before["location"], location],
            "invited": [sorted(already), sorted(p.pk for p in people)],
        },
    )
    case_event(
        case=locked.case,
        by=by,
        code="rapidreview.conference.scheduled",
        summary=f"{label} {'moved' if moved else 'set'} to {when:%-d %B %Y at %H:%M}, invitations sent",
    )
    return conference, len(people), conference_warnings(locked, when.date())
