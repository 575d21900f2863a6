"""Issue 10, "Agencies with nobody in the system" and "Per-agency reminders reach the agency": a request
to an agency where nobody uses the system tells the business unit at once (message, home-page task,
warning on the request); the business unit records the return received by e-mail with its file, or a
nil return, or withdraws the request with a reason, all audited; North East Lincolnshire's SCSI-7
pack is then no longer blocked; the file downloads only through its door (another agency: 404); the
rapid review's papers (genogram, minutes, letters) go through the same engine; a reminder for an
agency's return reaches that agency's lead, and the business unit's telephone chase is a task."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from deadlines.models import Deadline
from documents.models import StoredFile
from notifications.models import OutboxMessage
from notifications.sweep import sweep
from rapidreview.models import InformationRequest
from rapidreview.pack import PackNotReady, pack_request
from rapidreview.services import requests_issue
from tests.states import a_case_in_its_rapid_review, travel

pytestmark = pytest.mark.django_db

D = dt.date(2025, 4, 16)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def issue(review, people, *agencies):
    with travel(D):
        return requests_issue(
            review=review,
            by=people.bu,
            agencies=list(agencies),
            period_from=dt.date(2024, 4, 16),
            period_to=D,
        )


def record_url(r):
    return reverse("request_record_received", args=[r.review.partnership.slug, r.pk])


def post_return(client, r, **extra):
    data = {
        "nil": "no",
        "means": "email",
        "received_on_day": "22",
        "received_on_month": "4",
        "received_on_year": "2025",
        "upload": SimpleUploadedFile("police-return.pdf", PDF, content_type="application/pdf"),
        **extra,
    }
    return client.post(record_url(r), data)


def test_a_request_to_an_agency_with_nobody_tells_the_business_unit_at_once(
    client, world, people, profiled_as
):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "north-east-lincolnshire")
    [to_police, to_provider] = issue(review, people, world.police, world.provider)
    told = OutboxMessage.objects.filter(
        recipient=people.bu, event_key__contains=f"request:{to_police.pk}:nobody"
    )
    assert told.count() == 1
    assert not OutboxMessage.objects.filter(event_key__contains=f"request:{to_provider.pk}:nobody").exists()
    client.force_login(people.bu)
    home = client.get(reverse("partnership_home", args=[world.partnership.slug])).content.decode()
    assert f"Nobody at {world.police.name} uses the system" in home
    assert f"Nobody at {world.provider.name}" not in home
    page = client.get(reverse("request_detail", args=[world.partnership.slug, to_police.pk])).content.decode()
    assert "this request has reached nobody" in page
    assert "Record a return received outside the system" in page
    board = client.get(
        reverse("rapid_review", args=[world.partnership.slug, review.case_id])
    ).content.decode()
    assert "Nobody in the system" in board


def test_as44_the_business_unit_records_a_return_received_by_email_and_the_nel_pack_is_unblocked(
    client, world, people, profiled_as
):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "north-east-lincolnshire")
    [to_police] = issue(review, people, world.police)
    with pytest.raises(PackNotReady, match=world.police.name):
        pack_request(review=review, by=people.bu)
    client.force_login(people.bu)
    response = post_return(client, to_police)
    assert response.status_code == 302, response.content.decode().split("govuk-error-summary__list")[-1][:800]
    to_police.refresh_from_db()
    assert to_police.status == InformationRequest.Status.AUTHORISED
    agency_return = to_police.agency_return
    assert agency_return.received_outside and agency_return.received_on == dt.date(2025, 4, 22)
    stored = StoredFile.objects.get(owner_kind="rr_return", owner_id=to_police.pk)
    assert stored.content_type == "application/pdf" and stored.case_id == review.case_id
    event = AuditEvent.objects.get(action="rapidreview.return.received_outside")
    assert event.actor_id == people.bu.pk and event.changes["file"] == [None, stored.pk]
    assert review.case.anchors.get(key="return_submitted", subject=to_police.subject_key).value == dt.date(
        2025, 4, 22
    )
    row = Deadline.objects.get(case=review.case, subject=to_police.subject_key)
    assert row.status == Deadline.Status.MET
    assert pack_request(review=review, by=people.bu) is True  # no longer blocked
    page = client.get(reverse("request_detail", args=[world.partnership.slug, to_police.pk])).content.decode()
    assert "Received by e-mail on 22 April 2025" in page and "police-return.pdf" in page


def test_the_attachment_downloads_through_its_door_only(client, world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "north-east-lincolnshire")
    [to_police] = issue(review, people, world.police)
    client.force_login(people.bu)
    post_return(client, to_police)
    stored = StoredFile.objects.get(owner_kind="rr_return", owner_id=to_police.pk)
    url = reverse("file_download", args=[world.partnership.slug, stored.pk])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF
    for outsider_of_the_agency in (people.practitioner, people.other_lead, people.outsider):
        client.force_login(outsider_of_the_agency)
        assert client.get(url).status_code == 404
    client.force_login(people.la_rep)  # a partnership-wide role sees the authorised return
    assert client.get(url).status_code == 200


def test_a_nil_return_on_the_agencys_behalf_and_bad_input_changes_nothing(client, world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    [to_police, to_school] = issue(review, people, world.police, world.school)
    client.force_login(people.bu)
    # A file that is not a PDF or Word document, and a nil return without its reason: refused.
    bad = post_return(
        client, to_police, upload=SimpleUploadedFile("return.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    )
    assert bad.status_code == 400
    assert post_return(client, to_school, nil="yes", nil_reason="").status_code == 400
    assert post_return(client, to_police, **{"received_on_day": "40"}).status_code == 400
    assert not StoredFile.objects.exists()
    to_police.refresh_from_db()
    assert to_police.status == InformationRequest.Status.REQUESTED
    ok = post_return(client, to_school, nil="yes", nil_reason="Not known to the school in the period.")
    assert ok.status_code == 302
    to_school.refresh_from_db()
    assert to_school.status == InformationRequest.Status.NIL
    assert to_school.agency_return.nil_reason == "Not known to the school in the period."
    # A partner may see the request but not record its return; another agency does not see it at all.
    client.force_login(people.la_rep)
    assert client.get(record_url(to_police)).status_code == 403
    client.force_login(people.other_lead)
    assert client.get(record_url(to_police)).status_code == 404


def test_the_business_unit_withdraws_a_request_with_a_reason(client, world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "north-east-lincolnshire")
    [to_police] = issue(review, people, world.police)
    url = reverse("request_withdraw", args=[world.partnership.slug, to_police.pk])
    client.force_login(people.bu)
    assert client.post(url, {"reason": ""}).status_code == 400
    to_police.refresh_from_db()
    assert to_police.status == InformationRequest.Status.REQUESTED
    assert client.post(url, {"reason": "Asked in error: no involvement."}).status_code == 302
    to_police.refresh_from_db()
    assert to_police.status == InformationRequest.Status.WITHDRAWN
    assert to_police.withdrawn_reason == "Asked in error: no involvement."
    assert AuditEvent.objects.filter(action="rapidreview.request.withdrawn").count() == 1
    row = Deadline.objects.get(case=review.case, subject=to_police.subject_key)
    assert row.status == Deadline.Status.WAIVED  # no longer chased
    assert pack_request(review=review, by=people.bu) is True
    assert client.post(url, {"reason": "Again"}).status_code == 403  # nothing left to withdraw


def test_papers_go_through_the_documents_engine(client, world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    url = reverse("rr_papers", args=[world.partnership.slug, review.case_id])
    client.force_login(people.bu)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    refused = client.post(url, {"kind": "genogram", "upload": SimpleUploadedFile("g.png", b"plain text")})
    assert refused.status_code == 400 and not StoredFile.objects.exists()
    response = client.post(url, {"kind": "genogram", "upload": SimpleUploadedFile("genogram.png", png)})
    assert response.status_code == 302
    stored = StoredFile.objects.get(owner_kind="rr_paper", owner_id=review.pk)
    assert stored.purpose == "genogram"
    assert "Genogram" in client.get(url).content.decode()
    download = reverse("file_download", args=[world.partnership.slug, stored.pk])
    client.force_login(people.la_rep)
    assert client.get(download).status_code == 200
    assert client.post(url, {"kind": "letter"}).status_code == 403  # only the business unit attaches
    client.force_login(people.practitioner)
    assert client.get(download).status_code == 404


def test_an_agency_lead_not_the_business_unit_gets_the_reminder_for_its_agencys_request(
    world, people, profiled_as
):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "north-east-lincolnshire")
    [to_provider] = issue(review, people, world.provider)
    row = Deadline.objects.get(case=review.case, subject=to_provider.subject_key, rule_key="agency_returns")
    due = row.due
    OutboxMessage.objects.all().delete()
    sweep(on=due, now=timezone.make_aware(dt.datetime.combine(due, dt.time(0, 5))))
    reminders = OutboxMessage.objects.filter(kind="due_today")
    assert [m.recipient_id for m in reminders] == [people.lead.pk]
    assert not reminders.filter(recipient=people.bu).exists()


def test_nel_working_day_7_telephone_chase_is_a_task_for_the_business_unit(
    client, world, people, profiled_as
):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "north-east-lincolnshire")
    [to_provider] = issue(review, people, world.provider)
    due = Deadline.objects.get(case=review.case, subject=to_provider.subject_key).due
    home_url = reverse("partnership_home", args=[world.partnership.slug])
    with travel(due - dt.timedelta(days=1)):
        client.force_login(people.bu)
        assert "Telephone" not in client.get(home_url).content.decode()
    with travel(due):
        client.force_login(people.bu)
        home = client.get(home_url).content.decode()
    assert f"Telephone {world.provider.name} to chase its return for case {review.case.reference}" in home


def test_dorsets_day_8_return_date_shows_on_each_request_and_is_chased(client, world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    [to_provider, to_school] = issue(review, people, world.provider, world.school)
    day8 = Deadline.objects.get(case=review.case, rule_key="agency_returns", subject="").due
    for r in (to_provider, to_school):
        row = Deadline.objects.get(case=review.case, subject=r.subject_key)
        assert row.due == day8 and row.responsible_role == "agency_lead"
    client.force_login(people.lead)
    page = client.get(
        reverse("request_detail", args=[world.partnership.slug, to_provider.pk])
    ).content.decode()
    assert f"Return due: <strong>{day8:%A} {day8.day} {day8:%B %Y}</strong>" in page
    OutboxMessage.objects.all().delete()
    sweep(on=day8, now=timezone.make_aware(dt.datetime.combine(day8, dt.time(0, 5))))
    told = set(OutboxMessage.objects.filter(kind="due_today").values_list("recipient_id", flat=True))
    assert {people.lead.pk, people.other_lead.pk} <= told


def test_any_message_with_no_recipient_reaches_the_business_unit_saying_so(world, people):
    from core.messaging import notify

    sent = notify(
        recipients=[],
        kind="letter",
        partnership=world.partnership,
        summary="A referral is waiting for the agency lead.",
        path=f"/p/{world.partnership.slug}/referrals/",
        event_key="test:nobody-holds-the-role",
    )
    assert sent == 1
    message = OutboxMessage.objects.get()
    assert message.recipient == people.bu
    assert message.context["summary"].startswith("This message reached nobody")
    assert message.context["summary"].endswith("A referral is waiting for the agency lead.")
