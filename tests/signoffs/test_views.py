"""Sign-off pages: who sees them, what they show, and signing through re-authentication."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from audit.models import AccessEvent
from partnerships.roles import Role
from signoffs.models import Signature, Status
from signoffs.reauth import SESSION_KEY
from signoffs.renderers import register_renderer, unregister_renderer
from signoffs.services import signoff_sign
from tests.factories import PASSWORD
from tests.signoffs.conftest import DECISION, fresh

pytestmark = pytest.mark.django_db
CONFIRM = "/account/confirm/"


def detail_url(req):
    return f"/p/{req.partnership.slug}/signoffs/{req.pk}/"


def confirm(client):
    r = client.post(CONFIRM, {"password": PASSWORD, "method": "password", "next": "/"})
    assert r.status_code == 302


# -- who sees what ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.PARTNER_REP, 200),
        (Role.BUSINESS_UNIT, 200),
        (Role.INDEPENDENT_SCRUTINEER, 200),
        (Role.SUBGROUP_CHAIR, 200),
        (Role.PANEL_MEMBER, 200),
        (Role.PRACTITIONER, 403),
        (Role.AGENCY_LEAD, 403),
        (Role.INDEPENDENT_REVIEWER, 403),
        (Role.PARTNERSHIP_ADMIN, 403),
    ],
)
def test_list_and_page_for_each_role(world, client, make_request, role, status):
    req = make_request()
    client.force_login(world.user(role))
    assert client.get("/p/testshire/signoffs/").status_code == status
    assert client.get(detail_url(req)).status_code == status


def test_three_personas_same_agency_other_agency_other_partnership(world, client, make_request):
    req = make_request()
    same_agency = world.user(Role.PARTNER_REP, world.la)
    other_agency = world.user(Role.PRACTITIONER, world.provider)
    outsider = world.outsider(Role.PARTNER_REP)
    client.force_login(same_agency)
    assert client.get(detail_url(req)).status_code == 200
    client.force_login(other_agency)
    assert client.get(detail_url(req)).status_code == 403
    client.force_login(outsider)
    assert client.get(detail_url(req)).status_code == 404
    assert client.get("/p/testshire/signoffs/").status_code == 404


def test_a_request_is_404_through_another_partnerships_url(world, client, make_request):
    req = make_request()
    client.force_login(world.outsider(Role.PARTNER_REP))
    assert client.get(f"/p/otherton/signoffs/{req.pk}/").status_code == 404
    client.force_login(world.user(Role.PARTNER_REP))
    assert client.get(f"/p/testshire/signoffs/{req.pk + 1000}/").status_code == 404


def test_nav_has_sign_offs_for_the_roles_that_use_them(world, client):
    client.force_login(world.user(Role.PARTNER_REP))
    assert 'href="/p/testshire/signoffs/"' in client.get("/p/testshire/").content.decode()
    client.force_login(world.user(Role.PRACTITIONER))
    assert 'href="/p/testshire/signoffs/"' not in client.get("/p/testshire/").content.decode()


# -- what the pages show ------------------------------------------------------------------------


def test_page_shows_the_snapshot_hash_and_who_signed(world, reps, client, make_request):
    req = make_request()
    signoff_sign(
        request_id=req.pk,
        by=reps.police,
        agency_id=world.police.pk,
        decision="disagree",
        comment="A national review may be appropriate.",
        reauth=fresh("otp"),
    )
    client.force_login(world.user(Role.BUSINESS_UNIT))
    page = client.get(detail_url(req)).content.decode()
    assert req.title in page and "Sign-off, version 1" in page
    # Fallback renderer: a summary list of the snapshot, keys made readable.
    assert "Rationale" in page and "Agencies missed chances to share information" in page
    assert "Next steps" in page and "Commission a reviewer, Tell the national Panel" in page
    assert req.short_hash in page and req.content_hash in page and "govuk-details" in page
    assert "Matches the content" in page
    assert (
        reps.police.full_name in page
        and "Disagrees" in page
        and "A national review may be appropriate." in page
    )
    assert "a one-time code" in page
    assert page.count("Waiting") >= 2  # the LA and health have not signed
    assert "Sign version" not in page  # the business unit does not sign
    assert AccessEvent.objects.filter(
        user__memberships__role=Role.BUSINESS_UNIT, object_id=str(req.pk)
    ).exists()


def test_registered_renderer_shows_the_snapshot_not_the_live_record(world, client, make_request, settings):
    template = (
        "<div class='decision'>Decision: {{ content.decision }}; version {{ signoff_request.version }}</div>"
    )
    base = settings.TEMPLATES[0]
    settings.TEMPLATES = [
        {
            **base,
            "APP_DIRS": False,
            "OPTIONS": {
                **base["OPTIONS"],
                "loaders": [
                    ("django.template.loaders.locmem.Loader", {"tests/decision.html": template}),
                    "django.template.loaders.filesystem.Loader",
                    "django.template.loaders.app_directories.Loader",
                ],
            },
        }
    ]
    register_renderer("tests.decision", "tests/decision.html")
    try:
        req = make_request()
        DECISION_LIVE = {**DECISION, "decision": "No review"}  # the record changed since; not sent
        assert DECISION_LIVE["decision"] != req.content["decision"]
        client.force_login(world.user(Role.PARTNER_REP))
        page = client.get(detail_url(req)).content.decode()
        assert "Decision: Local child safeguarding practice review; version 1" in page
        assert "No review" not in page
    finally:
        unregister_renderer("tests.decision")


def test_replaced_version_warns_and_links_the_latest(world, client, make_request):
    v1 = make_request()
    v2 = make_request(content={**DECISION, "rationale": "Changed."})
    client.force_login(world.user(Role.PARTNER_REP))
    page = client.get(detail_url(v1)).content.decode()
    assert "Signatures on this version no longer count" in page
    assert f'href="{detail_url(v2)}"' in page
    assert "Sign version" not in page and "Continue" not in page
    page = client.get(detail_url(v2)).content.decode()
    assert "Other versions" in page and f'href="{detail_url(v1)}"' in page
    listing = client.get("/p/testshire/signoffs/").content.decode()
    assert detail_url(v2) in listing and detail_url(v1) not in listing
    assert detail_url(v1) in client.get("/p/testshire/signoffs/?show=all").content.decode()


def test_list_marks_what_waits_for_this_partner(world, reps, client, make_request):
    req = make_request()
    client.force_login(reps.la)
    assert "Waiting for you" in client.get("/p/testshire/signoffs/").content.decode()
    signoff_sign(request_id=req.pk, by=reps.la, agency_id=world.la.pk, decision="agree", reauth=fresh())
    page = client.get("/p/testshire/signoffs/").content.decode()
    assert "Waiting for you" not in page and "1 of 3" in page


# -- signing through the page -------------------------------------------------------------------


def test_signing_goes_through_confirmation_and_keeps_what_was_typed(world, reps, client, make_request):
    req = make_request()
    client.force_login(reps.la)
    page = client.get(detail_url(req)).content.decode()
    assert "You are signing for <strong>Testshire Council</strong>" in page
    assert "you will confirm it is you" in page
    r = client.post(
        detail_url(req),
        {"agency": world.la.pk, "decision": "disagree", "comment": "The review type is wrong."},
    )
    assert r.status_code == 302
    target = urlparse(r["Location"])
    assert target.path == CONFIRM
    assert parse_qs(target.query)["next"] == [f"{detail_url(req)}#sign"]  # ids only, no personal data
    assert Signature.objects.count() == 0
    page = client.get(r["Location"]).content.decode()
    assert "Confirm it’s you" in page
    r = client.post(
        CONFIRM, {"password": PASSWORD, "method": "password", "next": parse_qs(target.query)["next"][0]}
    )
    assert r["Location"] == f"{detail_url(req)}#sign"
    page = client.get(detail_url(req)).content.decode()
    assert "You have confirmed it is you" in page
    assert "The review type is wrong." in page  # the comment typed before confirming
    assert 'value="disagree" checked' in page
    r = client.post(
        detail_url(req),
        {"agency": world.la.pk, "decision": "disagree", "comment": "The review type is wrong."},
    )
    assert r.status_code == 302 and r["Location"] == detail_url(req)
    signature = Signature.objects.get()
    assert (signature.signer, signature.agency, signature.decision) == (reps.la, world.la, "disagree")
    assert signature.reauth_method == "password"
    page = client.get(detail_url(req)).content.decode()
    assert "Your signature for Testshire Council is recorded." in page
    assert "Your agency has signed this version." in page


def test_the_last_partner_completes_the_request_from_the_page(world, reps, client, make_request):
    req = make_request()
    for user, agency in ((reps.la, world.la), (reps.police, world.police)):
        signoff_sign(request_id=req.pk, by=user, agency_id=agency.pk, decision="agree", reauth=fresh())
    client.force_login(reps.health)
    confirm(client)
    r = client.post(detail_url(req), {"agency": world.health.pk, "decision": "agree", "comment": ""})
    assert r.status_code == 302
    req.refresh_from_db()
    assert req.status == Status.COMPLETE and req.outcome == "all_agree"
    page = client.get(detail_url(req)).content.decode()
    assert "All partners agree" in page and "Signed by every partner" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"decision": "disagree", "comment": ""}, "Enter a comment saying why you disagree"),
        ({"decision": "", "comment": "typed"}, "Select whether you agree or disagree"),
        ({"decision": "perhaps", "comment": "typed"}, "Select whether you agree or disagree"),
        ({"decision": "agree", "comment": "x" * 5001}, "Comment must be 5,000 characters or fewer"),
        ({"decision": "disagree", "comment": "a\x00b"}, "Remove the invisible control characters"),
    ],
    ids=["disagree-without-comment", "no-decision", "odd-decision", "very-long", "nul"],
)
def test_bad_sign_form_input_shows_the_error_and_keeps_answers(
    world, reps, client, make_request, data, message
):
    req = make_request()
    client.force_login(reps.la)
    confirm(client)
    r = client.post(detail_url(req), {"agency": world.la.pk, **data})
    page = r.content.decode()
    assert r.status_code == 400
    assert "There is a problem" in page and message in page
    assert "<title>Error:" in page
    if data["comment"] == "typed":
        assert "typed</textarea>" in page
    assert Signature.objects.count() == 0


def test_signing_for_an_agency_not_asked_is_refused(world, client, make_request):
    req = make_request(signatories=[world.la, world.police])
    health_rep = world.user(Role.PARTNER_REP, world.health)
    client.force_login(health_rep)
    confirm(client)
    assert "Sign version" not in client.get(detail_url(req)).content.decode()
    r = client.post(detail_url(req), {"agency": world.health.pk, "decision": "agree", "comment": ""})
    assert r.status_code == 403
    assert Signature.objects.count() == 0


def test_a_forged_agency_in_the_form_is_refused(world, reps, client, make_request):
    req = make_request()
    client.force_login(reps.la)
    confirm(client)
    r = client.post(detail_url(req), {"agency": world.police.pk, "decision": "agree", "comment": ""})
    assert r.status_code == 400 and "Select one of the partners listed" in r.content.decode()
    r = client.post(detail_url(req), {"agency": "x" * 1000, "decision": "agree", "comment": ""})
    assert r.status_code == 400
    assert Signature.objects.count() == 0


@pytest.mark.parametrize("role", [Role.BUSINESS_UNIT, Role.PANEL_MEMBER, Role.INDEPENDENT_SCRUTINEER])
def test_people_who_only_read_cannot_sign(world, client, make_request, role):
    req = make_request()
    client.force_login(world.user(role))
    r = client.post(detail_url(req), {"agency": world.la.pk, "decision": "agree"})
    assert r.status_code == 403
    assert Signature.objects.count() == 0


def test_signing_a_replaced_version_from_an_old_page_says_so(world, reps, client, make_request):
    v1 = make_request()
    client.force_login(reps.la)
    confirm(client)
    make_request(content={**DECISION, "rationale": "Changed while the partner was reading."})
    r = client.post(detail_url(v1), {"agency": world.la.pk, "decision": "agree", "comment": ""}, follow=True)
    assert "This version has been replaced" in r.content.decode()
    assert Signature.objects.count() == 0


def test_a_confirmation_older_than_five_minutes_sends_the_partner_back_to_confirm(
    world, reps, client, make_request
):
    import datetime as dt

    import time_machine

    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        req = make_request()
        client.force_login(reps.la)
        confirm(client)
    with time_machine.travel(start + dt.timedelta(minutes=5, seconds=1), tick=False):
        r = client.post(detail_url(req), {"agency": world.la.pk, "decision": "agree", "comment": "Fine."})
        assert r.status_code == 302 and r["Location"].startswith(CONFIRM)
        assert Signature.objects.count() == 0
        assert "Fine." in client.get(detail_url(req)).content.decode()


def test_double_submission_records_one_signature(world, reps, client, make_request):
    req = make_request()
    client.force_login(reps.la)
    confirm(client)
    data = {"agency": world.la.pk, "decision": "agree", "comment": ""}
    assert client.post(detail_url(req), data).status_code == 302
    r = client.post(detail_url(req), data, follow=True)
    assert r.status_code == 200 and "already signed" in r.content.decode()
    assert Signature.objects.filter(request=req).count() == 1


# -- home page ----------------------------------------------------------------------------------


def test_home_page_lists_a_sign_off_waiting_for_the_partner_until_signed(world, reps, client, make_request):
    req = make_request()
    client.force_login(reps.police)
    page = client.get("/p/testshire/").content.decode()
    assert f"Sign: {req.title}" in page and detail_url(req) in page and "To sign" in page
    client.force_login(world.user(Role.BUSINESS_UNIT))
    assert "Sign: " not in client.get("/p/testshire/").content.decode()
    signoff_sign(
        request_id=req.pk, by=reps.police, agency_id=world.police.pk, decision="agree", reauth=fresh()
    )
    client.force_login(reps.police)
    page = client.get("/p/testshire/").content.decode()
    assert "Sign: " not in page and "Nothing needs you at the moment" in page
    client.force_login(reps.la)
    assert f"Sign: {req.title}" in client.get("/p/testshire/").content.decode()


def test_home_page_tasks_stay_in_their_partnership(world, make_request, client):
    from tests.factories import MembershipFactory, StatutoryPartnerFactory

    other_la = StatutoryPartnerFactory(partnership=world.other_partnership, name="Otherton Council")
    rep = world.user(Role.PARTNER_REP, world.la)
    MembershipFactory(user=rep, agency=other_la, role=Role.PARTNER_REP)
    make_request(partnership=world.other_partnership, title="Otherton decision")
    client.force_login(rep)
    assert "Otherton decision" not in client.get("/p/testshire/").content.decode()
    assert "Otherton decision" in client.get("/p/otherton/").content.decode()


def test_no_confirmation_is_stored_by_just_viewing(world, reps, client, make_request):
    req = make_request()
    client.force_login(reps.la)
    client.get(detail_url(req))
    assert SESSION_KEY not in client.session


def test_signing_after_confirming_with_a_code_records_the_method(world, reps, client, make_request):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from signoffs import otp

    device = TOTPDevice.objects.create(user=reps.health, name="Authenticator app", confirmed=True)
    req = make_request()
    client.force_login(reps.health)
    r = client.post(detail_url(req), {"agency": world.health.pk, "decision": "agree", "comment": ""})
    next_url = parse_qs(urlparse(r["Location"]).query)["next"][0]
    page = client.get(r["Location"]).content.decode()
    assert "Code from your authenticator app" in page
    r = client.post(CONFIRM, {"code": otp.code_for(device.key), "method": "otp", "next": next_url})
    assert r["Location"] == next_url
    assert (
        client.post(
            detail_url(req), {"agency": world.health.pk, "decision": "agree", "comment": ""}
        ).status_code
        == 302
    )
    assert Signature.objects.get().reauth_method == "otp"


def test_list_says_who_agrees_and_who_disagrees_not_just_signed(world, reps, client, make_request):
    req = make_request()
    signoff_sign(request_id=req.pk, by=reps.la, agency_id=world.la.pk, decision="agree", reauth=fresh())
    signoff_sign(
        request_id=req.pk, by=reps.police, agency_id=world.police.pk, decision="agree", reauth=fresh()
    )
    signoff_sign(
        request_id=req.pk,
        by=reps.health,
        agency_id=world.health.pk,
        decision="disagree",
        comment="A rapid review was enough.",
        reauth=fresh(),
    )
    client.force_login(reps.la)
    page = client.get("/p/testshire/signoffs/").content.decode()
    assert "2 agree, 1 disagrees" in page and ">Signed<" not in page
    assert "2 agree, 1 disagrees" in client.get(detail_url(req)).content.decode()
