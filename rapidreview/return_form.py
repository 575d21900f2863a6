"""The agency return as data: each partnership's own variant (catalogue §4), chosen by
``rapid_review.return_form`` in its procedure profile. Built from the same Field/Table/Section
classes as the referral form, and shown through the same GOV.UK section pages."""

from __future__ import annotations

from typing import Any

from core.forms.spec import Field, FormSpec, Section, Table

CHRONOLOGY = Table(
    "chronology",
    "Key events",
    (
        Field("date", "Date", "date", required=True, past=True),
        Field("time", "Time (24-hour clock, if known)", "text", max_length=5, hint="For example, 14:30"),
        Field("event", "What happened", "longtext", required=True, max_length=2000),
        Field("people", "Who was involved", "text"),
        Field("source", "Whose records this comes from", "text"),
        Field("outcome", "Decisions, outcome and actions taken", "longtext", max_length=2000),
    ),
    hint="Key events only, in the period you were asked to cover: not a copy of your case notes.",
    max_rows=300,
    row_noun="event",
)

# 000 Appendix 6 "Chronology": the key-event columns plus "Child seen/views sought: Yes/No (record the
# child's views)" and "Author Comments".
CHRONOLOGY_APP6 = Table(
    "chronology",
    "Key events",
    (
        *CHRONOLOGY.columns,
        Field("child_seen", "Was the child seen, or their views sought?", "yesno"),
        Field(
            "child_views", "The child's views", "longtext", max_length=2000,
            hint="What the child said, or what was observed of their behaviour",
        ),
        Field("author_comments", "Author comments", "longtext", max_length=2000, hint="Your comments on this event"),
    ),
    hint=CHRONOLOGY.hint,
    max_rows=CHRONOLOGY.max_rows,
    row_noun=CHRONOLOGY.row_noun,
)  # fmt: skip

REVIEW_TYPES = (
    ("national", "National child safeguarding practice review (issues to be dealt with at a national level)"),
    ("local", "Local child safeguarding practice review (issues to be dealt with at a local level)"),
    ("single_agency", "Single agency review (issues only for one agency)"),
    ("audit", "Single or multi-agency audit (only one issue, for one or several agencies)"),
)

SECTIONS: dict[str, Section] = {
    s.key: s
    for s in (
        # 000 Appendix 4 "Information template for Rapid Review Consideration"
        Section("app4_involvement", "Your agency's involvement", (
            Field("involvement_with", "Agency involvement with the child or children (names)", "text", required=True),
            Field("dates", "Dates of involvement", "text", required=True, hint="For example, March 2022 to the present"),
            Field("completed_by", "Name of the person completing this form", "text", required=True),
            Field("agency_details", "Agency details", "text"),
            Field("nature", "The nature of your agency's involvement, and any safeguarding issues you knew of", "longtext", required=True),
            Field("facts", "What your agency knows about the incident at this time", "longtext", required=True),
        )),
        # 002 Information Gathering Tool (catalogue §4.10)
        Section("igt_child", "Child or children subject of the review", (
            Field("name", "Name of the child", "text", required=True),
            Field("date_of_birth", "Date of birth", "date", past=True),
            Field("address", "Home address", "text"),
            Field("ethnicity", "Ethnic origin", "text"),
            Field("faith", "Faith or religion", "text"),
            Field("disability", "Disability", "text"),
            Field("cpp", "Is the child or young person subject to a child protection plan, or have they been previously?", "text"),
            Field("cpp_details", "If so: when, for what and for how long?", "longtext"),
        )),
        Section("igt_family", "Family details", (
            Table(
                "family", "Family details",
                (
                    Field("name_address", "Name and address", "text", required=True),
                    Field("relationship", "Relationship to the child", "text"),
                    Field("date_of_birth", "Date of birth", "date", past=True),
                    Field("legal_status", "Legal status", "text"),
                    Field("ethnicity", "Ethnic origin", "text"),
                ),
                row_noun="family member",
            ),
        )),
        Section("igt_incident", "Incident details", (
            Field("incident_date", "Date of the incident", "date", past=True),
            Field("incident_address", "Address of the location of the incident", "text"),
            Field("carer", "Carer at the time of the incident, if known", "text"),
            Field("criminal_investigation", "Is the case known to be the subject of a criminal investigation? If so, who is the lead investigator?", "text"),
            Field("coroner", "Is the case known to be the subject of a coroner's inquiry? If so, who is the key contact?", "text"),
            Field("open_now", "Is the child, parent or family open to your agency now? Give the capacity and the lead practitioner's name", "longtext"),
            Field("open_before", "Were they open to your agency before? Give the capacity and the lead practitioner", "longtext"),
            Field("adult_concerns", "Are there adult safeguarding concerns, and have they been shared through a safeguarding adult referral? Key contact", "longtext"),
        )),
        Section("igt_agencies", "Other agencies known to be involved", (
            Table(
                "other_agencies", "Other agencies known to be involved",
                (
                    Field("agency", "Agency", "text", required=True),
                    Field("contact", "Contact details: address, telephone and e-mail", "text"),
                    Field("reason", "Reason for involvement (say whether it is current or not)", "text"),
                ),
                row_noun="agency",
            ),
        )),
        Section("igt_synopsis", "Brief synopsis of the case", (
            Field("trigger", "The information that triggered the review, and which agency provided it", "longtext", required=True),
            Field("incident_involvement", "Your agency's involvement with the incident that triggered this review", "longtext", required=True),
            Field("previous", "Your agency's previous involvement with the child and family: key events only", "longtext"),
            Field("analysis", "Brief analysis of practice: outstanding practice, potential learning, action already taken", "longtext", required=True),
            Field("immediate_action", "Is any immediate action needed to keep children safe? Actions already taken", "longtext", required=True),
            Field("partnership_concerns", "Concerns about how partners have worked together to safeguard the child", "longtext"),
            Field("further", "Any further information for the rapid review meeting", "longtext"),
            Field("voice", "How the voice and lived experience of the child show in your records", "longtext"),
        )),
        Section("igt_recommendation", "What type of review you think this case needs", (
            Field("review_type", "What type of review do you think this case should have at this stage?", "choice", required=True, choices=REVIEW_TYPES),
        )),
        # 003 Appendix B "Rapid Review Briefing Report"
        Section("appb_personal", "A. Personal information", (
            Field("child", "Child's name, date of birth and addresses", "longtext", required=True),
            Field("household", "Household composition: names, dates of birth and connection to the child", "longtext"),
            Field("significant_others", "Significant others outside the household", "longtext"),
            Field("incident", "The significant incident", "longtext", required=True),
            Field("last_seen", "Date your agency last saw the child or family", "date", past=True),
        )),
        Section("appb_summary", "C. Summary of your agency's involvement", (
            Field("summary", "Summary of your agency's involvement", "longtext", required=True),
        )),
        Section("appb_analysis", "D. Analysis of potential improvements", (
            Field("good_practice", "Areas of good practice to promote (single and multi-agency)", "longtext"),
            Field("own_development", "Practice development in your own agency", "longtext"),
            Field("multi_development", "Practice development for multi-agency working", "longtext"),
        )),
        Section("appb_safety", "E and F. Safety actions and remaining risks", (
            Field("actions", "Immediate actions your agency has taken to keep the children and others safe", "longtext", required=True,
                  hint="Do not wait for a rapid review to take immediate actions to safeguard children."),
            Field("risks", "Remaining risks your agency needs support with", "longtext"),
        )),
        # 001 Initial Information Scoping / 004 SCSI-5 (not reproduced in the seeds): the core.
        Section("core_involvement", "Your agency's involvement", (
            Field("current", "Your agency's current involvement with the child, family or suspected perpetrator", "longtext", required=True),
            Field("previous", "Involvement in the period you were asked to cover", "longtext"),
            Field("analysis", "A brief analysis of your agency's involvement: not a copy of case notes", "longtext", required=True),
            Field("immediate_action", "Immediate action taken or needed to keep children safe", "longtext", required=True),
            Field("partnership_concerns", "Concerns about how agencies worked together", "longtext"),
        )),
        Section("chronology", "Key events", (CHRONOLOGY,)),
    )
}  # fmt: skip

# Darlington's chronology section: the same key ("chronology"), with Appendix 6's columns.
SECTIONS["chronology_app6"] = Section("chronology", "Key events", (CHRONOLOGY_APP6,))

# The variants whose chronology has Appendix 6's "child seen / views sought" and "author comments".
APP6_CHRONOLOGY = frozenset({"darlington_app4"})

VARIANTS: dict[str, tuple[str, ...]] = {
    "darlington_app4": ("app4_involvement", "chronology_app6"),
    "bradford_igt": (
        "igt_child",
        "igt_family",
        "igt_incident",
        "igt_agencies",
        "igt_synopsis",
        "chronology",
        "igt_recommendation",
    ),
    "dorset_app_b": ("appb_personal", "chronology", "appb_summary", "appb_analysis", "appb_safety"),
    "cap_scoping": ("core_involvement", "chronology"),
    "nel_scsi5": ("core_involvement", "chronology"),
}

TITLES = {
    "darlington_app4": "Information template for rapid review consideration (Appendix 4)",
    "bradford_igt": "Information Gathering Tool for a serious incident",
    "dorset_app_b": "Briefing report for a rapid review (Appendix B)",
    "cap_scoping": "Referral and initial information scoping",
    "nel_scsi5": "Agency information for rapid review (SCSI-5)",
}

# Dorset App B §G: the authoriser's name, role and the date are required before submission (AS-36).
NEEDS_AUTHORISER_DETAILS = frozenset({"dorset_app_b"})


def return_spec(profile_data: dict[str, Any] | None) -> FormSpec:
    variant = ((profile_data or {}).get("rapid_review") or {}).get("return_form", "nel_scsi5")
    if variant not in VARIANTS:
        variant = "nel_scsi5"
    return FormSpec(variant, tuple(SECTIONS[k] for k in VARIANTS[variant]), {})
