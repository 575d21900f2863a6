"""Sign-off services: versions, who may sign, fresh re-authentication, completion and outcome."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from audit.models import AuditEvent
from partnerships.roles import Role
from signoffs import signals
from signoffs.models import Outcome, Signature, SignoffRequest, Status
from signoffs.reauth import ReauthInfo
from signoffs.services import (
    ContentInvalid,
    SignoffError,
    content_hash,
    signoff_sign,
    signoff_status,
)
from tests.factories import AgencyFactory, member
from tests.signoffs.conftest import DECISION, fresh

pytestmark = pytest.mark.django_db

CHANGED = {**DECISION, "rationale": "Agencies missed chances to share information; the school was not asked."}


def sign(request, user, agency, decision="agree", comment="", reauth=None):
    return signoff_sign(
        request_id=request.pk,
        by=user,
        agency_id=agency.pk,
        decision=decision,
        comment=comment,
        reauth=reauth if reauth is not None else fresh(),
    )


# -- creating requests --------------------------------------------------------------------------


def test_new_request_snapshots_content_and_hash_and_asks_the_three_statutory_partners(world, make_request):
    bu = world.user(Role.BUSINESS_UNIT)
    req = make_request(by=bu)
    req.refresh_from_db()
    assert req.version == 1 and req.status == Status.OPEN and req.outcome == ""
    assert req.content == DECISION
    assert req.content_hash == content_hash(DECISION)
    assert set(req.signatories.all()) == {world.la, world.police, world.health}
    event = AuditEvent.objects.get(action="signoffs.request.created")
    assert (event.actor, event.partnership, event.object_id) == (bu, world.partnership, str(req.pk))
    assert event.changes["content_hash"] == [None, req.content_hash]


def test_creating_again_with_the_same_content_returns_the_same_request(make_request):
    first = make_request()
    again = make_request(content=dict(reversed(list(DECISION.items()))))  # same JSON, other key order
    assert again.pk == first.pk
    assert SignoffRequest.objects.count() == 1
    assert AuditEvent.objects.filter(action="signoffs.request.created").count() == 1


def test_changed_content_supersedes_the_open_version_and_invalidates_its_signatures(
    world, reps, make_request
):
    v1 = make_request()
    old_signature = sign(v1, reps.la, world.la)
    v2 = make_request(content=CHANGED)
    v1.refresh_from_db()
    assert (v2.version, v2.status) == (2, Status.OPEN)
    assert v1.status == Status.SUPERSEDED and v1.superseded_by == v2 and v1.superseded_at is not None
    # The earlier signature stays on version 1, as history; version 2 has none.
    assert list(v1.signatures.all()) == [old_signature]
    assert v2.signatures.count() == 0
    status = signoff_status("tests.decision", "42")
    assert status is not None and status.request == v2 and status.signed_agency_ids == frozenset()
    assert status.waiting_agency_ids == {world.la.pk, world.police.pk, world.health.pk}
    assert AuditEvent.objects.filter(action="signoffs.request.superseded", object_id=str(v1.pk)).exists()
    # The first partner must sign again, on the new version.
    again = sign(v2, reps.la, world.la)
    assert again.request == v2 and again.content_hash == v2.content_hash != v1.content_hash


def test_signing_the_replaced_version_is_refused(world, reps, make_request):
    v1 = make_request()
    make_request(content=CHANGED)
    with pytest.raises(SignoffError, match="replaced by a later version") as exc:
        sign(v1, reps.police, world.police)
    assert exc.value.code == "superseded"


def test_changing_a_completed_record_makes_a_new_version_to_sign(world, reps, make_request):
    v1 = make_request()
    for user, agency in ((reps.la, world.la), (reps.police, world.police), (reps.health, world.health)):
        sign(v1, user, agency)
    assert make_request().pk == v1.pk  # unchanged: still the signed version
    v2 = make_request(content=CHANGED)
    v1.refresh_from_db()
    assert v1.status == Status.SUPERSEDED and v1.outcome == Outcome.ALL_AGREE
    assert v2.version == 2 and v2.status == Status.OPEN


def test_going_back_to_earlier_content_is_a_new_version_too(make_request):
    v1 = make_request()
    make_request(content=CHANGED)
    v3 = make_request()
    assert v3.version == 3 and v3.pk != v1.pk and v3.content_hash == v1.content_hash


def test_different_signatories_make_a_new_version(world, make_request):
    v1 = make_request()
    v2 = make_request(signatories=[world.la, world.police])
    assert v2.version == 2
    assert set(v2.signatories.all()) == {world.la, world.police}
    assert make_request(signatories=[world.police.pk, world.la.pk]).pk == v2.pk
    v1.refresh_from_db()
    assert v1.status == Status.SUPERSEDED


def test_records_of_different_types_or_partnerships_are_separate(world, make_request):
    from tests.factories import StatutoryPartnerFactory

    StatutoryPartnerFactory(partnership=world.other_partnership, name="Otherton Council")
    a = make_request()
    b = make_request(record_type="tests.other")
    c = make_request(partnership=world.other_partnership)
    assert len({a.pk, b.pk, c.pk}) == 3 and {a.version, b.version, c.version} == {1}


def test_signatories_must_belong_to_the_partnership(world, make_request):
    with pytest.raises(SignoffError, match="belong to the partnership"):
        make_request(signatories=[world.other_agency_elsewhere])
    with pytest.raises(SignoffError, match="at least one"):
        make_request(signatories=[])


@pytest.mark.parametrize(
    ("content", "message"),
    [({"score": 2.5}, "decimal"), ({"x": "nul\x00"}, "NUL"), ({"when": dt.date(2026, 1, 1)}, "not JSON")],
)
def test_content_that_cannot_be_signed_exactly_is_refused(make_request, content, message):
    with pytest.raises(ContentInvalid, match=message):
        make_request(content=content)
    assert SignoffRequest.objects.count() == 0


def test_title_is_required_and_tidied(make_request):
    with pytest.raises(SignoffError, match="title"):
        make_request(title="   ")
    assert make_request(title="  Rapid   review\n decision ").title == "Rapid review decision"


# -- who may sign -------------------------------------------------------------------------------


def test_a_partner_rep_signs_for_their_own_agency(world, reps, make_request):
    req = make_request()
    s = sign(req, reps.police, world.police, reauth=ReauthInfo("otp", timezone.now()))
    assert (s.agency, s.signer, s.decision, s.content_hash) == (
        world.police,
        reps.police,
        "agree",
        req.content_hash,
    )
    assert s.reauth_method == "otp"
    event = AuditEvent.objects.get(action="signoffs.signature.recorded")
    assert event.actor == reps.police and event.changes["agency"] == [None, world.police.pk]


@pytest.mark.parametrize(
    "who",
    [
        "business_unit",
        "la_rep_for_police",
        "panel_member_of_police",
        "partner_rep_elsewhere",
        "ended_membership",
    ],
)
def test_only_a_partner_rep_of_that_agency_can_sign_for_it(world, reps, make_request, who):
    req = make_request()
    if who == "business_unit":
        user = world.user(Role.BUSINESS_UNIT)
    elif who == "la_rep_for_police":
        user = reps.la
    elif who == "panel_member_of_police":
        user = world.user(Role.PANEL_MEMBER, world.police)
    elif who == "partner_rep_elsewhere":
        user = member(Role.PARTNER_REP, world.other_agency_elsewhere)
    else:
        user = reps.police
        user.memberships.update(is_active=False)
    with pytest.raises(
        SignoffError, match="Only a safeguarding partner representative of that agency"
    ) as exc:
        sign(req, user, world.police)
    assert exc.value.code == "not_partner_rep"
    assert Signature.objects.count() == 0


def test_a_partner_rep_of_an_agency_not_asked_to_sign_is_refused(world, make_request):
    req = make_request(signatories=[world.la, world.police])
    with pytest.raises(SignoffError, match="not asked to sign") as exc:
        sign(req, world.user(Role.PARTNER_REP, world.health), world.health)
    assert exc.value.code == "not_required"
    provider_rep = world.user(Role.PARTNER_REP, world.provider)
    with pytest.raises(SignoffError, match="not asked to sign"):
        sign(req, provider_rep, world.provider)


def test_another_person_of_the_same_agency_cannot_sign_again(world, reps, make_request):
    req = make_request()
    sign(req, reps.la, world.la)
    colleague = world.user(Role.PARTNER_REP, world.la)
    with pytest.raises(SignoffError, match="has already signed this version") as exc:
        sign(req, colleague, world.la, decision="disagree", comment="I do not agree.")
    assert exc.value.code == "already_signed"
    assert Signature.objects.filter(request=req).count() == 1


def test_the_same_partner_submitting_twice_gets_one_signature(world, reps, make_request):
    req = make_request()
    first = sign(req, reps.la, world.la)
    second = sign(req, reps.la, world.la)
    assert first.pk == second.pk
    assert Signature.objects.filter(request=req).count() == 1
    assert AuditEvent.objects.filter(action="signoffs.signature.recorded").count() == 1


# -- re-authentication --------------------------------------------------------------------------


def test_signing_without_a_re_authentication_is_refused(world, reps, make_request):
    req = make_request()
    with pytest.raises(SignoffError, match="Confirm it is you") as exc:
        signoff_sign(request_id=req.pk, by=reps.la, agency_id=world.la.pk, decision="agree", reauth=None)
    assert exc.value.code == "reauth_required"


def test_re_authentication_lasts_five_minutes(world, reps, make_request):
    start = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        req = make_request()
        reauth = ReauthInfo("password", timezone.now())
    with time_machine.travel(start + dt.timedelta(minutes=4, seconds=59), tick=False):
        s = sign(req, reps.la, world.la, reauth=reauth)
        assert s.reauth_at == start and s.signed_at == start + dt.timedelta(minutes=4, seconds=59)
    with time_machine.travel(start + dt.timedelta(minutes=5), tick=False), pytest.raises(SignoffError) as exc:
        sign(req, reps.police, world.police, reauth=reauth)
    assert exc.value.code == "reauth_required"
    assert Signature.objects.filter(request=req).count() == 1


def test_a_re_authentication_dated_in_the_future_is_not_trusted(world, reps, make_request):
    req = make_request()
    future = ReauthInfo("password", timezone.now() + dt.timedelta(minutes=3))
    with pytest.raises(SignoffError, match="Confirm it is you"):
        sign(req, reps.la, world.la, reauth=future)


def test_an_unknown_re_authentication_method_is_not_trusted(world, reps, make_request):
    req = make_request()
    with pytest.raises(SignoffError, match="Confirm it is you"):
        sign(req, reps.la, world.la, reauth=ReauthInfo("remember-me", timezone.now()))


# -- decisions, comments, completion ------------------------------------------------------------


def test_disagreeing_needs_a_comment(world, reps, make_request):
    req = make_request()
    for blank in ("", "   \n "):
        with pytest.raises(SignoffError, match="Enter a comment saying why you disagree"):
            sign(req, reps.health, world.health, decision="disagree", comment=blank)
    s = sign(req, reps.health, world.health, decision="disagree", comment="  The review type is wrong.  ")
    assert s.comment == "The review type is wrong."


@pytest.mark.parametrize(
    ("decision", "comment", "message"),
    [
        ("maybe", "", "Select whether you agree or disagree"),
        ("agree", "x" * 5001, "5,000 characters or fewer"),
        ("disagree", "bad\x00comment", "invisible control characters"),
    ],
)
def test_bad_decisions_and_comments_are_refused_clearly(
    world, reps, make_request, decision, comment, message
):
    req = make_request()
    with pytest.raises(SignoffError, match=message):
        sign(req, reps.la, world.la, decision=decision, comment=comment)


def test_request_completes_when_every_partner_has_signed_and_all_agree(world, reps, make_request):
    received = []

    def on_complete(sender, record_type, request, **kwargs):
        received.append((record_type, request.pk, request.outcome))

    signals.request_completed.connect(on_complete)
    try:
        req = make_request()
        sign(req, reps.la, world.la)
        sign(req, reps.police, world.police, comment="Agreed at the meeting.")
        req.refresh_from_db()
        assert req.status == Status.OPEN and received == []
        sign(req, reps.health, world.health)
    finally:
        signals.request_completed.disconnect(on_complete)
    req.refresh_from_db()
    assert req.status == Status.COMPLETE and req.outcome == Outcome.ALL_AGREE and req.completed_at
    assert received == [("tests.decision", req.pk, Outcome.ALL_AGREE)]
    status = signoff_status("tests.decision", 42)
    assert status is not None and status.is_complete and status.all_agree and not status.waiting_agency_ids
    assert AuditEvent.objects.filter(action="signoffs.request.completed").count() == 1


def test_a_disagreement_still_counts_as_signed_and_the_outcome_says_so(world, reps, make_request):
    req = make_request()
    sign(req, reps.la, world.la)
    sign(req, reps.police, world.police, decision="disagree", comment="We think a national review is needed.")
    sign(req, reps.health, world.health)
    req.refresh_from_db()
    assert req.status == Status.COMPLETE and req.outcome == Outcome.SOME_DISAGREE
    with pytest.raises(SignoffError, match="has already signed this version") as exc:
        sign(req, world.user(Role.PARTNER_REP, world.la), world.la)
    assert exc.value.code == "already_signed"


def test_a_receiver_that_fails_rolls_the_signature_back(world, reps, make_request):
    req = make_request()

    def broken(sender, record_type, **kwargs):
        if record_type == "tests.decision":
            raise RuntimeError("outbox unavailable")

    signals.signature_recorded.connect(broken)
    try:
        with pytest.raises(RuntimeError):
            sign(req, reps.la, world.la)
    finally:
        signals.signature_recorded.disconnect(broken)
    assert Signature.objects.count() == 0


def test_status_of_a_record_never_sent_is_none(world):
    assert signoff_status("tests.decision", "nothing") is None


def test_an_agency_added_later_does_not_change_who_must_sign(world, reps, make_request):
    req = make_request()
    AgencyFactory(partnership=world.partnership, name="New ICB", is_statutory_partner=True)
    for user, agency in ((reps.la, world.la), (reps.police, world.police), (reps.health, world.health)):
        sign(req, user, agency)
    req.refresh_from_db()
    assert req.status == Status.COMPLETE
