"""Roles a person can hold in a partnership, through one agency (seed-requirements §5)."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner"
    AGENCY_LEAD = "agency_lead", "Agency safeguarding lead"
    BUSINESS_UNIT = "business_unit", "Business unit"
    PARTNER_REP = "partner_rep", "Safeguarding partner representative"
    PANEL_MEMBER = "panel_member", "Panel member"
    SUBGROUP_CHAIR = "subgroup_chair", "Subgroup chair"
    INDEPENDENT_SCRUTINEER = "independent_scrutineer", "Independent scrutineer"
    INDEPENDENT_REVIEWER = "independent_reviewer", "Independent reviewer"
    HEAD_OF_SERVICE = "head_of_service", "Head of service"
    CHIEF_OFFICER = "chief_officer", "Chief officer"
    PARTNERSHIP_ADMIN = "partnership_admin", "Partnership administrator"


class AgencyKind(models.TextChoices):
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    POLICE = "police", "Police"
    HEALTH_ICB = "health", "Health (integrated care board)"
    HEALTH_PROVIDER = "health_provider", "Health provider"
    EDUCATION = "education", "Education"
    PROBATION = "probation", "Probation"
    VOLUNTARY = "voluntary", "Voluntary and community sector"
    OTHER = "other", "Other"


# The three statutory safeguarding partners (Children Act 2004 s16E): one of each kind signs.
STATUTORY_PARTNER_KINDS = (AgencyKind.LOCAL_AUTHORITY, AgencyKind.POLICE, AgencyKind.HEALTH_ICB)

# Roles that see every case of their partnership once it reaches the business unit.
PARTNERSHIP_WIDE_ROLES = frozenset(
    {
        Role.BUSINESS_UNIT,
        Role.PARTNER_REP,
        Role.PANEL_MEMBER,
        Role.SUBGROUP_CHAIR,
        Role.INDEPENDENT_SCRUTINEER,
    }
)

# Roles that see more than their own agency's material: they sign in with a second factor too
# (docs/adr/0008-second-factor-at-sign-in.md). The others need it only if they also hold one of these.
SECOND_FACTOR_ROLES = PARTNERSHIP_WIDE_ROLES | frozenset({Role.INDEPENDENT_REVIEWER, Role.PARTNERSHIP_ADMIN})

# Roles platform staff may grant when setting up a partnership (its first administrators); every
# other role is granted by the partnership's own administrators.
PLATFORM_GRANTABLE_ROLES = frozenset({Role.PARTNERSHIP_ADMIN})


# What each role does here, in the seeds' words (seed-requirements §5); shown on the home page.
ROLE_DESCRIPTIONS: dict[str, str] = {
    Role.PRACTITIONER: "Tell the partnership about a serious incident or a case with learning, and follow "
    "what happens to your referral.",
    Role.AGENCY_LEAD: "Authorise your agency's referrals and agency returns before they reach the "
    "business unit, and answer requests for information.",
    Role.BUSINESS_UNIT: "Receive and acknowledge referrals, inform the safeguarding partners, issue and "
    "chase information requests, and keep every deadline in view.",
    Role.PARTNER_REP: "Decide, with the other statutory safeguarding partners, whether a case is notified "
    "to the national Child Safeguarding Practice Review Panel and what review follows, and sign "
    "decisions online.",
    Role.PANEL_MEMBER: "Take part in rapid review meetings and review panels: read the collated agency "
    "information and recommend what should follow.",
    Role.SUBGROUP_CHAIR: "Chair the subgroup that oversees reviews and learning, and escalate overdue actions.",
    Role.INDEPENDENT_SCRUTINEER: "Scrutinise the partners' decisions from notification to learning, with "
    "read access to the audit trail.",
    Role.INDEPENDENT_REVIEWER: "Lead the local child safeguarding practice reviews you are commissioned for.",
    Role.HEAD_OF_SERVICE: "Receive escalations of your agency's overdue actions and confirm what is being done.",
    Role.CHIEF_OFFICER: "Receive the final escalation of your agency's overdue actions and request "
    "extensions in exceptional circumstances.",
    Role.PARTNERSHIP_ADMIN: "Look after the partnership's set-up: people and roles, closure days, "
    "drop-down lists and the audit trail.",
}
