"""Approval chains from the profile (issue 12; coverage A10): each step a sign-off of the exact
DocumentVersion, in order, none skipped; a new version restarts the chain where the profile says."""

from __future__ import annotations

import datetime as dt

import pytest

from partnerships.roles import Role
from privacy.models import SharingDecision
from publication.errors import PublicationError
from publication.models import Approval, ApprovalStep
from publication.selectors import chain_view
from publication.services.approval import (
    approval_legal_comment,
    approval_new_version,
    approval_scrutineer_confirm,
    approval_start,
    current_step,
)
from publication.services.publishing import publication_decide, share_with_partnership
from signoffs.models import SignoffRequest, Status
from tests.publication.helpers import a_report, docx_upload, sign_step
from tests.states import a_case_in_its_practice_review, fresh

pytestmark = pytest.mark.django_db


def report_in_approval(world, people, profiled_as, slug):
    case = a_case_in_its_practice_review(world, people, profiled_as, slug).case
    assert case.stage == "lcspr"
    document = a_report(case, people)
    return document, approval_start(document=document, by=people.bu)


def test_the_signed_content_binds_the_exact_file(world, people, profiled_as):
    document, approval = report_in_approval(world, people, profiled_as, "dorset")
    step = current_step(approval)
    version = document.versions.get()
    assert step.signoff_request.content["sha256"] == version.sha256 == version.file.sha256
    assert step.signoff_request.content["version"] == 1
    assert step.signoff_request.content["step"] == 1 and step.signoff_request.content["steps_in_chain"] == 4


def test_a_changed_file_is_never_shown_as_signed(world, people, profiled_as):
    _document, approval = report_in_approval(world, people, profiled_as, "dorset")
    sign_step(approval, world, people)
    steps, intact = chain_view(approval)
    assert intact and steps[0].signed
    # Someone replaces the stored bytes behind the service's back.
    version = approval.version
    with version.file.blob.open("wb") as fh:
        fh.write(b"PK tampered")
    steps, intact = chain_view(approval)
    assert not intact
    assert not any(s.signed for s in steps)
    assert steps[0].status_label == "Not shown as signed: the stored file has changed"


def test_as_40_dorsets_four_steps_in_order_none_skipped_with_legal_services(world, people, profiled_as):
    document, approval = report_in_approval(world, people, profiled_as, "dorset")
    keys = [s["key"] for s in approval.chain["steps"]]
    assert keys == [
        "panel_agrees_complete",
        "cspr_group_approves",
        "partners_sign_off",
        "publication_date_agreed",
    ]
    # Only one step is ever open: the next one does not exist until the one before is signed off.
    assert ApprovalStep.objects.filter(approval=approval).count() == 1
    sign_step(approval, world, people)  # 1. panel agrees complete
    assert current_step(approval).key == "cspr_group_approves"
    with pytest.raises(PublicationError, match="after this step is signed off"):
        publication_decide(document=document, by=people.bu, decision="full", decided_on=dt.date.today())
    sign_step(approval, world, people)  # 2. CSPR Group approves
    step3 = current_step(approval)
    assert step3.key == "partners_sign_off" and step3.status == ApprovalStep.Status.BLOCKED
    assert step3.signoff_request is None  # not put to the partners before Legal Services comment
    approval_legal_comment(document=document, by=people.bu, text="No legal concerns with the final draft.")
    step3.refresh_from_db()
    assert step3.status == ApprovalStep.Status.OPEN
    assert set(step3.signoff_request.required.values_list("agency_id", flat=True)) == {
        world.la.pk,
        world.police.pk,
        world.health.pk,
    }
    sign_step(approval, world, people)  # 3. partners sign off
    sign_step(approval, world, people)  # 4. date agreed
    approval.refresh_from_db()
    assert approval.status == Approval.Status.APPROVED
    done = list(
        ApprovalStep.objects.filter(approval=approval)
        .order_by("completed_at")
        .values_list("index", flat=True)
    )
    assert done == [0, 1, 2, 3]


def test_a_new_version_after_step_two_restarts_dorsets_chain_from_the_first_step(world, people, profiled_as):
    document, approval = report_in_approval(world, people, profiled_as, "dorset")
    sign_step(approval, world, people)
    sign_step(approval, world, people)
    old_request = current_step(approval)
    v2 = approval_new_version(
        document=document,
        by=people.bu,
        uploaded=docx_upload(["A changed report."]),
        note="Recommendations changed",
    )
    approval.refresh_from_db()
    assert approval.version == v2 and approval.restarts == 1
    step = current_step(approval)
    assert step.index == 0 and step.sha256 == v2.sha256
    assert step.signoff_request.content["sha256"] == v2.sha256
    # The old round's steps are kept but shown for the version they bound, never as signing v2.
    assert (
        ApprovalStep.objects.filter(approval=approval, round=1, status=ApprovalStep.Status.RESTARTED).count()
        == 3
    )
    steps, _ = chain_view(approval)
    assert not any(s.signed for s in steps)
    assert (
        old_request.status == ApprovalStep.Status.BLOCKED
        or old_request.signoff_request is None
        or (SignoffRequest.objects.get(pk=old_request.signoff_request_id).status == Status.SUPERSEDED)
    )


def test_a_disagreement_stops_the_chain_until_a_new_version(world, people, profiled_as):
    document, approval = report_in_approval(world, people, profiled_as, "north-east-lincolnshire")
    sign_step(approval, world, people, decision="disagree")
    approval.refresh_from_db()
    assert approval.status == Approval.Status.STOPPED
    approval_new_version(
        document=document, by=people.bu, uploaded=docx_upload(["Redrafted."]), note="Redrafted"
    )
    approval.refresh_from_db()
    assert approval.status == Approval.Status.IN_PROGRESS
    sign_step(approval, world, people)
    approval.refresh_from_db()
    assert approval.status == Approval.Status.APPROVED


def test_as_18_darlington_needs_the_ld_subgroup_then_every_partner_and_the_independent_scrutineer(
    world, people, profiled_as
):
    document, approval = report_in_approval(world, people, profiled_as, "darlington")
    scrutineer = world.user(Role.INDEPENDENT_SCRUTINEER)
    with pytest.raises(PublicationError, match="not one the Independent Scrutineer signs"):
        approval_scrutineer_confirm(document=document, by=scrutineer, reauth=fresh())
    sign_step(approval, world, people)  # the L&D sub-group
    step = sign_step(approval, world, people)  # every statutory partner
    assert step.status == ApprovalStep.Status.SCRUTINEER
    approval.refresh_from_db()
    assert approval.status == Approval.Status.IN_PROGRESS  # not final without the scrutineer
    with pytest.raises(PublicationError, match="cannot be shared"):
        share_with_partnership(document=document, by=people.bu)
    with pytest.raises(PublicationError, match="Confirm it is you"):
        approval_scrutineer_confirm(document=document, by=scrutineer, reauth=None)
    approval_scrutineer_confirm(document=document, by=scrutineer, reauth=fresh())
    approval.refresh_from_db()
    assert approval.status == Approval.Status.APPROVED
    step.refresh_from_db()
    assert step.scrutineer_hash == approval.version.sha256
    share_with_partnership(document=document, by=people.bu)
    assert SharingDecision.objects.filter(case=document.case, shared_with="The wider partnership").exists()


def test_as_26_cambridgeshire_plans_publication_only_after_the_boards_approval(world, people, profiled_as):
    document, approval = report_in_approval(world, people, profiled_as, "cambridgeshire-peterborough")
    assert [s["key"] for s in approval.chain["steps"]] == [
        "panel_checks_terms_of_reference",
        "board_approval",
    ]
    sign_step(approval, world, people)  # the case review panel
    with pytest.raises(PublicationError, match="Publication planning starts after"):
        publication_decide(document=document, by=people.bu, decision="full", decided_on=dt.date.today())
    sign_step(approval, world, people)  # the Board's formal approval
    publication = publication_decide(
        document=document, by=people.bu, decision="full", decided_on=dt.date.today()
    )
    assert publication.status == "planning"
    assert publication.tasks.filter(key="nspcc_repository", when="after").exists()


def test_starting_twice_or_without_a_version_is_refused(world, people, profiled_as):
    document, _approval = report_in_approval(world, people, profiled_as, "north-east-lincolnshire")
    with pytest.raises(PublicationError, match="already going through approval"):
        approval_start(document=document, by=people.bu)
    from documents.services import create_document

    empty = create_document(case=document.case, kind="practice_review_report", title="Empty", by=people.bu)
    with pytest.raises(PublicationError, match="first version"):
        approval_start(document=empty, by=people.bu)
