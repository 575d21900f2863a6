from cspr.models.commissioning import Candidate, PanelMember, ReviewerGrant
from cspr.models.engagement import FamilyEngagement, FamilyMember, ParallelProcess, PractitionerEvent
from cspr.models.review import Notice, PracticeReview
from cspr.models.running import (
    AgencyReport,
    ChronologyEntry,
    ChronologyImport,
    Escalation,
    FactualAccuracy,
    ProgressRequest,
    ReviewRequest,
)

__all__ = [
    "AgencyReport",
    "Candidate",
    "ChronologyEntry",
    "ChronologyImport",
    "Escalation",
    "FactualAccuracy",
    "FamilyEngagement",
    "FamilyMember",
    "Notice",
    "PanelMember",
    "ParallelProcess",
    "PracticeReview",
    "PractitionerEvent",
    "ProgressRequest",
    "ReviewRequest",
    "ReviewerGrant",
]
