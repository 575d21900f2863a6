"""Darlington Appendix 6 (000): the chronology's "Child seen/views sought: Yes/No (record the
child's views)" and "Author Comments" columns, from the agency return to the integrated chronology
on the rapid review page and in the pack PDF. Other partnerships keep their own columns."""

from __future__ import annotations

import datetime as dt
import subprocess
import tempfile

import pytest
from django.urls import reverse

from partnerships.roles import Role
from rapidreview.models import ChronologyEntry
from rapidreview.pack import render_pack_pdf
from rapidreview.services import requests_issue, return_authorise, return_submit
from tests.rapidreview.conftest import VALID_RETURN, complete_return

pytestmark = pytest.mark.django_db

APP6 = {
    "chronology-0-child_seen": "yes",
    "chronology-0-child_views": "Said she felt safe with her nan.",
    "chronology-0-author_comments": "A missed chance to ask about the bruise.",
    "chronology-1-child_seen": "no",
}


def issued(world, people, review):
    [request] = requests_issue(
        review=review,
        by=people.bu,
        agencies=[world.provider],
        period_from=dt.date(2022, 4, 14),
        period_to=dt.date(2025, 4, 16),
        on=dt.date(2025, 4, 22),
    )
    return request


def returned(client, world, people, review, extra):
    request = issued(world, people, review)
    client.force_login(world.user(Role.PRACTITIONER))
    complete_return(client, request)
    url = reverse("request_section", args=[world.partnership.slug, request.pk, "chronology"])
    r = client.post(url, {**VALID_RETURN["chronology"], **extra, "action": "continue"})
    assert r.status_code == 302, r.content.decode()[:2000]
    return_submit(request=request, by=people.lead)
    return_authorise(request=request, by=people.lead, authoriser_name="A Lead", authoriser_role="Named nurse")
    return request


def test_the_agency_records_child_seen_views_and_author_comments(client, world, people, review_for):
    review = review_for("darlington")
    request = issued(world, people, review)
    client.force_login(world.user(Role.PRACTITIONER))
    url = reverse("request_section", args=[world.partnership.slug, request.pk, "chronology"])
    page = client.get(url).content.decode()
    assert "Was the child seen, or their views sought?" in page and "Author comments" in page
    # A wrong answer changes nothing and says what is wrong.
    r = client.post(
        url, {**VALID_RETURN["chronology"], "chronology-0-child_seen": "maybe", "action": "continue"}
    )
    assert r.status_code == 400 and "govuk-error-summary" in r.content.decode()


def test_the_integrated_chronology_shows_appendix_6_columns_on_the_page_and_in_the_pack(
    client, world, people, review_for
):
    review = review_for("darlington")
    returned(client, world, people, review, APP6)
    first, second = ChronologyEntry.objects.filter(review=review)
    assert (first.child_seen, first.child_views, first.author_comments) == (
        "yes",
        "Said she felt safe with her nan.",
        "A missed chance to ask about the bruise.",
    )
    assert second.child_seen == "no" and second.author_comments == ""
    client.force_login(people.bu)
    page = client.get(reverse("rapid_review", args=[world.partnership.slug, review.case_id])).content.decode()
    assert "Child seen or views sought" in page and "Author comments" in page
    assert "Said she felt safe with her nan." in page and "A missed chance to ask about the bruise." in page
    pdf, _pages = render_pack_pdf(review)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        text = subprocess.run(["pdftotext", f.name, "-"], capture_output=True, text=True, check=True).stdout
    # Narrow table cells wrap, so look for the start of each cell.
    assert "Yes: Said she felt" in text and "A missed chance to" in text and "Author" in text


def test_other_partnerships_keep_their_own_chronology_columns(client, world, people, review_for):
    review = review_for("north-east-lincolnshire")
    returned(client, world, people, review, {})
    client.force_login(people.bu)
    page = client.get(reverse("rapid_review", args=[world.partnership.slug, review.case_id])).content.decode()
    assert "Home visit" in page and "Author comments" not in page
