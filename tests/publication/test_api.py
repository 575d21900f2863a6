"""The publication API's further actions, through the same services as the pages: accepting a thing
the anonymisation check found, Legal Services' comment, the pre-publication copies and taking a
published report down. Bad input is 400 and writes nothing; a state that does not allow the action
is 409; partners may read but not act (403), outsiders get 404."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from publication.models import AnonymisationHit, PrePublicationCopy, Publication
from publication.services.anonymisation import anonymisation_run
from publication.services.publishing import publish
from tests.publication.helpers import a_report, an_approved_report
from tests.publication.test_publishing import LINK, MON_12_MAY, WED_30_APR, planned, with_statement
from tests.states import a_case_in_its_practice_review

pytestmark = pytest.mark.django_db


def post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def base(document) -> str:
    return f"/api/partnerships/{document.partnership.slug}/reports/{document.pk}"


def test_accepting_a_hit_needs_a_hit_of_this_report_and_a_reason(world, people, profiled_as, client):
    case = a_case_in_its_practice_review(world, people, profiled_as, "darlington").case
    document = a_report(case, people, ["An Example of good practice was found."])
    [hit] = anonymisation_run(document=document, by=people.bu).hits.all()
    url = f"{base(document)}/anonymisation-accept/"
    client.force_login(people.police_rep)
    assert post(client, url, {"hit": hit.pk, "reason": "A common word."}).status_code == 403
    client.force_login(people.bu)
    for body, field in (
        ({"hit": hit.pk, "reason": "  "}, "reason"),
        ({"hit": hit.pk + 1000, "reason": "A common word."}, "hit"),
        ({"reason": "A common word."}, "hit"),
    ):
        r = post(client, url, body)
        assert r.status_code == 400 and field in r.json(), (body, r.json())
    assert AnonymisationHit.objects.get(pk=hit.pk).resolution == "open"
    r = post(client, url, {"hit": hit.pk, "reason": "The ordinary word 'example'."})
    assert r.status_code == 200 and r.json()["anonymisation"]["open"] == 0
    again = post(client, url, {"hit": hit.pk, "reason": "Again."})
    assert again.status_code == 409 and "already been accepted" in again.json()["detail"]
    client.force_login(world.outsider())
    assert post(client, url, {"hit": hit.pk, "reason": "x"}).status_code == 404


def test_legal_services_comment_is_409_before_approval_and_recorded_after(world, people, profiled_as, client):
    case = a_case_in_its_practice_review(world, people, profiled_as, "dorset").case
    document = a_report(case, people)
    url = f"{base(document)}/legal-comment/"
    client.force_login(people.bu)
    assert post(client, url, {"text": ""}).status_code == 400
    assert post(client, url, {"text": "No concerns."}).status_code == 409  # not in approval yet
    assert post(client, f"{base(document)}/approval/").status_code == 200
    r = post(client, url, {"text": "No legal concerns with version 1."})
    assert r.status_code == 200, r.json()


def test_copies_then_unpublish_through_the_api(world, people, profiled_as, client):
    document = an_approved_report(world, people, profiled_as, "dorset")
    client.force_login(people.bu)
    copies, down = f"{base(document)}/copies/", f"{base(document)}/unpublish/"
    assert (
        post(client, copies, {"recipient": "panel", "sent_on": "2025-04-30"}).status_code == 409
    )  # no decision
    publication = planned(document, people)
    with_statement(publication, people)
    for body, field in (
        ({"recipient": "the_press", "sent_on": "2025-04-30"}, "recipient"),
        ({"recipient": "panel", "sent_on": "2999-01-01"}, "sent_on"),
        ({"recipient": "panel"}, "sent_on"),
    ):
        r = post(client, copies, body)
        assert r.status_code == 400 and field in r.json(), (body, r.json())
    assert not PrePublicationCopy.objects.exists()
    for recipient in ("panel", "secretary_of_state"):
        r = post(client, copies, {"recipient": recipient, "sent_on": WED_30_APR.isoformat()})
        assert r.status_code == 200, r.json()
    assert PrePublicationCopy.objects.count() == 2
    assert post(client, copies, {"recipient": "panel", "sent_on": "2025-04-30"}).status_code == 409  # twice

    assert post(client, down, {"on": "2025-06-01", "reason": "x"}).status_code == 409  # not published yet
    publish(
        publication=publication, by=people.bu, published_on=MON_12_MAY, link=LINK, reviewer_name="R. Reviewer"
    )
    assert post(client, down, {"on": "2025-06-01", "reason": ""}).status_code == 400
    early = post(client, down, {"on": "2025-06-01", "reason": "The family asked."})
    assert early.status_code == 409  # before the keep-until date without an override reason
    assert Publication.objects.get(pk=publication.pk).status == Publication.Status.PUBLISHED
    r = post(
        client,
        down,
        {"on": "2025-06-01", "reason": "The family asked.", "override_reason": "Court order of 30 May 2025."},
    )
    assert r.status_code == 200, r.json()
    assert r.json()["publication"]["status"] == Publication.Status.UNPUBLISHED
    assert (
        AuditEvent.objects.filter(action__startswith="publication.")
        .filter(action__contains="unpublish")
        .exists()
    )

    client.force_login(people.police_rep)
    assert post(client, copies, {"recipient": "panel", "sent_on": "2025-04-30"}).status_code == 403
