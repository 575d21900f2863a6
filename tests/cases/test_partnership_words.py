"""Where a deadline is shown, it reads in the partnership's words: Bradford's Day 20 warning (AS-29)
and each rule's note, subjects in words (never "request:6") and conditions in words."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from deadlines.models import Deadline
from tests.states import a_referred_case, partners_decide

pytestmark = pytest.mark.django_db


def test_as29_the_day_20_warning_and_the_rule_note_are_shown_where_the_deadline_is(
    client, world, people, profiled_as
):
    profiled_as("bradford")
    case = a_referred_case(world, people)
    partners_decide(
        case,
        people,
        "notify",
        recommendation="notify",
        recommendation_by="Case Review sub-group Chair",
        recommendation_rationale="Abuse suspected.",
    )
    assert Deadline.objects.get(case=case, rule_key="rapid_review_to_panel").due.isoformat() == "2025-05-16"
    client.force_login(people.bu)
    page = client.get(reverse("case_detail", args=[world.partnership.slug, case.pk])).content.decode()
    row = page[page.index("Rapid Review report and findings submitted") :]
    row = row[: row.index("</tr>")]
    assert "Fri 16 May 2025" in row
    assert "Day 20 is later than the 15 working days the other partnerships" in row
    assert "About this deadline" in row and "as soon as the rapid" in row
    assert not re.search(r"\bAS-\d+|\bT\d+\.", row)  # the catalogue's own references are not for people
    assert "notification_decision" not in page


def test_bradford_one_month_target_moves_back_to_the_previous_working_day_with_its_weekday(
    client, world, people, profiled_as
):
    import datetime as dt

    profiled_as("bradford")
    # Thu 14 Aug 2025 + one month = Sun 14 Sep 2025: "within one month" means by Fri 12 Sep.
    case = a_referred_case(world, people, received=dt.date(2025, 8, 14), aware=dt.date(2025, 8, 14))
    row = Deadline.objects.get(case=case, rule_key="lcspr_decision_target")
    assert row.due == dt.date(2025, 9, 12)
    client.force_login(people.bu)
    page = client.get(reverse("case_detail", args=[world.partnership.slug, case.pk])).content.decode()
    target = page[page.index("Decision whether the incident meets the criteria") :]
    assert "Fri 12 Sep 2025" in target[: target.index("</tr>")]


def test_nel_calls_the_referral_scsi1(client, world, people, profiled_as):
    from tests.states import an_authorised_referral

    profiled_as("north-east-lincolnshire")
    referral = an_authorised_referral(world, people)
    client.force_login(people.bu)
    page = client.get(reverse("referral_view", args=[world.partnership.slug, referral.pk])).content.decode()
    assert f"SCSI-1 notification {referral.pk}</h1>" in page
    profiled_as("dorset")
    referral.refresh_from_db()
    page = client.get(reverse("referral_view", args=[world.partnership.slug, referral.pk])).content.decode()
    assert f"Referral {referral.pk}</h1>" in page
