"""Everything the practice review registers, called once from ``CsprConfig.ready()``: its stages with
the rapid review outcomes that lead into them, and the receivers that open a practice review when a
case enters one (docs/adding-a-stage.md)."""

from __future__ import annotations

from cases import stages
from cases.models import Case
from cases.signals import stage_entered
from cspr import profile_section
from cspr.receivers import LCSPR_STAGE, NATIONAL_REVIEW_STAGE, on_outcome_revised, on_stage_entered
from rapidreview.models import Decision, RapidReview
from rapidreview.services import RAPID_REVIEW
from rapidreview.signals import outcome_revised

_registered = False


def register() -> None:
    """Called once from ``CsprConfig.ready``."""
    global _registered
    if _registered:
        return
    _registered = True
    # 1. The stages, and the rapid review outcomes that lead into them.
    stages.register_stage(
        LCSPR_STAGE,
        "Local child safeguarding practice review",
        into_from=(RAPID_REVIEW,),
        out_to=(stages.CLOSED,),
        entered_on=(Decision.Outcome.LOCAL_CSPR,),
    )
    stages.register_stage(
        NATIONAL_REVIEW_STAGE,
        "National review by the Panel",
        into_from=(RAPID_REVIEW,),
        out_to=(stages.CLOSED,),
        entered_on=(Decision.Outcome.NATIONAL_REVIEW,),
    )
    # The learning review stage is the case's own (cases.stages); an alternative learning review
    # decided at the rapid review leads into it too.
    stages.register_route(
        stages.LEARNING_REVIEW, from_stages=(RAPID_REVIEW,), outcomes=(Decision.Outcome.ALTERNATIVE,)
    )
    # 2. The receivers that open the practice review.
    stage_entered.connect(on_stage_entered, sender=Case, dispatch_uid="cspr.stage_entered")
    outcome_revised.connect(on_outcome_revised, sender=RapidReview, dispatch_uid="cspr.outcome_revised")
    # 3. The profile section's validator: register_profile_section("retention", ...).
    profile_section.register()
