"""The referral form as data: every section and field of the seeds' referral forms, and the variants
that partnerships choose in their procedure profile (``referral.form``).

Sources: 000 Appendix 1 "Notifiable (Serious) Incident Referral Form" (catalogue §4.1, in full), 002
Appendix 2 "Referral form to BDSCP for Consideration of a Case Review" (§4.9, with its "must notify"
and "consider referring" lists), and what 001/003/004 name (001 "Document 1", 004 SCSI-1; not
reproduced in the seeds, so they use the ``core`` variant). Drop-down options the seeds leave out
("Choose an item.", catalogue §10.1) are reference lists the partnership administrator edits."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from core.forms.sections import section_form
from core.forms.spec import Field, FormSpec, Section, Table

PHONE_RE = re.compile(r"^[0-9 +()\-]{6,30}$")


CHARACTERISTICS = (
    "Alcohol abuse", "Sexual abuse", "Parental mental health", "Serious illness", "Domestic violence",
    "Fabricated illness", "Parent is in care", "Other", "Drug abuse", "Recent neglect",
    "Child of teenage pregnancy", "Not yet known", "Emotional abuse", "Long-standing neglect",
    "Parent is care leaver", "Physical abuse", "More than one child abused", "Shaken baby syndrome",
)  # fmt: skip
DISABILITY_AREAS = (
    "Behaviour", "Hearing", "Personal care", "Communication", "Incontinence", "Vision", "Consciousness",
    "Learning", "Hand function", "Mobility",
)  # fmt: skip
CP_CATEGORIES = ("Physical abuse", "Emotional abuse", "Sexual abuse", "Neglect")

# 002 Appendix 2: incidents that must be notified to the partnership, and cases to consider referring.
MUST_NOTIFY = (
    ("child_died", "A child dies (including suspected suicide) and abuse or neglect is known or suspected to be a factor"),
    ("died_in_custody", "A child dies in police custody, on remand or following sentence, in a young offender institution, secure training centre or secure children's home, or while detained under the Mental Capacity Act 2005"),
    ("life_threatening", "A child sustains a potentially life-threatening injury, or serious and permanent impairment of health or development, through abuse or neglect"),
    ("sexual_abuse", "A child has been subjected to serious sexual abuse"),
    ("child_perpetrator", "A child has perpetrated a particularly serious offence against another child or an adult"),
)  # fmt: skip
CONSIDER_REFERRING = (
    ("risk_not_acted_on", "Clear evidence of a risk of significant harm that was not recognised, not shared with others, or not acted on appropriately by organisations or individuals in contact with the child or perpetrator"),
    ("institutional_setting", "Abuse or neglect in an institutional setting (school, nursery, children's centre, young offender institution, secure training centre, children's home, armed services training establishment)"),
    ("while_looked_after", "Abuse or neglect while the child was looked after by the local authority"),
    ("died_while_absent", "The child died while absent or run away from home or another care setting"),
    ("concerns_not_taken_seriously", "One or more agencies or professionals think their concerns were not taken seriously enough, or not acted on, by another"),
    ("procedure_failings", "Possible failings in the local operation of formal safeguarding procedures, beyond the handling of this case"),
    ("child_protection_plan", "The child was, or had been, subject to a child protection plan"),
    ("protocols", "The partnership may need to change its local protocols, or protocols are not being promulgated, understood or acted on"),
    ("national_implications", "Possible national implications for systems or processes, or significant public interest or community issues"),
)  # fmt: skip


def _choices(labels: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((label.lower().replace(" ", "_").replace("'", ""), label) for label in labels)


PERSON_COLUMNS = (
    Field("last_name", "Last name", "text", required=True),
    Field("first_name", "First name", "text"),
    Field("date_of_birth", "Date of birth", "date", past=True),
    Field("relationship", "Relationship to the child", "text", required=True),
)

SECTIONS: dict[str, Section] = {
    s.key: s
    for s in (
        Section(
            "reporting",
            "About the referral",
            (
                Field(
                    "referral_type", "What are you telling the partnership about?", "choice", required=True,
                    choices=(
                        ("serious_incident", "A serious incident that I think meets the criteria for notification"),
                        ("learning_request", "A case that does not meet the criteria but where there may be learning"),
                    ),
                    hint="If you are not sure, choose the serious incident: the safeguarding partners decide.",
                ),
                Field("incident_date", "Date of the incident", "date", required=True, past=True, hint="For example, 16 4 2025"),
                Field("child_died", "Does the incident relate to the death of a child?", "yesno", required=True),
                Field("date_of_death", "Date of death", "date", past=True, show_if=("child_died", "yes")),
                Field("death_unexpected", "Was the child's death unexpected?", "yesnodk", show_if=("child_died", "yes"), hint="The partners cannot close the referral without a review, unless they record why, when the death was unexpected."),
                Field("staff_conduct", "Does the alleged incident involve the conduct of a member of staff?", "yesnodk", required=True),
                Field("reported_to", "Who have you reported this to?", "text", hint="Name and role, for example the designated nurse"),
                Field("copied_to", "Who else has been told (cc)?", "text"),
            ),
            intro="A referral does not replace an immediate child protection referral.",
        ),
        Section(
            "criteria",
            "Why you are referring",
            (
                Field("must_notify", "Incidents that must be notified to the partnership", "checkboxes", choices=MUST_NOTIFY, hint="Select all that apply."),
                Field("consider", "Cases where all agencies should consider referring", "checkboxes", choices=CONSIDER_REFERRING, hint="Select all that apply."),
            ),
        ),
        Section(
            "referrer",
            "Your details",
            (
                Field("job_title", "Your job title", "text", required=True),
                Field("phone", "Telephone number", "phone", required=True, hint="So the business unit can call you back"),
                Field("address", "Work address", "longtext", max_length=500),
            ),
        ),
        Section(
            "child",
            "The child",
            (
                Field("last_name", "Child's last name", "text", required=True),
                Field("first_name", "Child's first name", "text", required=True),
                Field("middle_names", "Middle names", "text"),
                Field("other_names", "Other names used", "text"),
                Field("date_of_birth", "Date of birth", "date", required=True, past=True),
                Field("gender", "Gender", "text"),
                Field("ethnicity", "Ethnicity", "text"),
                Field("nationality", "Nationality", "text"),
                Field("faith", "Faith or religion", "text"),
                Field("home_address", "Home address", "longtext", max_length=500),
                Field("whereabouts", "Where was the child at the time of the incident?", "text"),
                Field("carer", "Who was caring for the child at the time of the incident?", "text"),
            ),
        ),
        Section(
            "parents",
            "Parents and carers",
            (Table("parents", "Parents, guardians and carers", PERSON_COLUMNS, row_noun="parent or carer"),),
        ),
        Section(
            "siblings",
            "Siblings",
            (
                Table(
                    "siblings", "Brothers and sisters",
                    (
                        *PERSON_COLUMNS,
                        Field("gender", "Gender", "text"),
                        Field("ethnicity", "Ethnicity", "text", hint="If no group fits, write Other and describe it in the next box"),
                        # 000 Appendix 1 item 4: "Other Ethnicity", described when the ethnicity is Other.
                        Field("other_ethnicity", "Other ethnicity", "text", hint="Only if the ethnicity is Other"),
                        Field("nationality", "Nationality (if known)", "text"),
                    ),
                    row_noun="sibling",
                ),
            ),
        ),
        Section(
            "others",
            "Significant others and alleged perpetrators",
            (
                Table(
                    "others", "Other people important to the case",
                    (
                        Field("name", "Name", "text", required=True),
                        Field("relationship", "Relationship to the child", "text", required=True),
                        Field("date_of_birth", "Date of birth", "date", past=True),
                        Field("address", "Address", "text"),
                        Field("legal_status", "Legal status or current criminal proceedings", "text"),
                        Field("ethnicity", "Ethnic origin", "text"),
                    ),
                    hint="Include anyone alleged to have harmed the child.",
                ),
            ),
        ),
        Section(
            "case_details",
            "What happened",
            (
                Field("main_cause", "What is the main cause of the incident?", "reflist", ref_list="main_cause"),
                Field("characteristics", "Characteristics of the case", "checkboxes", choices=_choices(CHARACTERISTICS), hint="Select all that apply."),
                Field(
                    "outline", "Outline of the case and the serious incident", "longtext", required=True, max_length=5000,
                    hint="Include what has been done since the incident to keep the child and any siblings safe. It does not need to be a detailed analysis.",
                ),
            ),
        ),
        Section(
            "child_protection",
            "Child protection",
            (
                Field("cpp_at_time", "Was the child on a child protection plan at the time of the incident?", "yesno", required=True),
                Field("cpp_before", "Was the child on a child protection plan before the incident?", "yesno", required=True),
                Field("cpp_start", "Date the plan started", "date", past=True),
                Field("cpp_end", "Date the plan ended", "date", past=True),
                Field("cpp_categories", "Child protection category", "checkboxes", choices=_choices(CP_CATEGORIES)),
                Field("siblings_cpp_at_time", "Were any siblings on a child protection plan at the time of the incident?", "yesno"),
                Field("siblings_cpp_before", "Were any siblings on a child protection plan before the incident?", "yesno"),
                # 000 Appendix 1 item 32: each sibling's plan.
                Table(
                    "siblings_cpp", "Siblings' child protection plans",
                    (
                        Field("name", "Name of sibling", "text", required=True),
                        Field("start", "Date the plan started", "date", past=True),
                        Field("end", "Date the plan ended", "date", past=True),
                        Field("category", "Category of abuse", "text", hint="Physical, sexual, emotional or neglect"),
                    ),
                    row_noun="sibling's plan",
                    hint="Only if a sibling was on a child protection plan at the time of the incident or before it.",
                ),
            ),
        ),
        Section(
            "legal_status",
            "Legal status",
            (
                Field("legal_status", "Legal status of the child at the time of the incident", "reflist", required=True, ref_list="legal_status"),
                Field("looked_after", "Was the child looked after by a local authority at the time?", "yesno", required=True),
                Field("care_leaver", "Is the young person a care leaver?", "yesno", required=True, hint="A care leaver up to and including the age of 24"),
            ),
        ),
        Section(
            "disability",
            "Disability",
            (
                Field("has_disability", "Did the child have a disability before the incident?", "yesno", required=True),
                Field("areas", "Which of these did it affect?", "checkboxes", choices=_choices(DISABILITY_AREAS), show_if=("has_disability", "yes")),
                Field("details", "More about the child's disability", "longtext", max_length=2000),
            ),
        ),
        Section(
            "setting",
            "Where the child lived",
            (
                Field("residence", "Where was the child living or placed at the time of the incident?", "reflist", ref_list="residence"),
                Field("placement_name", "Placement name (if there was one)", "text"),
                Field("placement_address", "Placement address", "longtext", max_length=500),
                Field("placement_sector", "Placement sector", "choice", choices=(("local_authority", "Local authority"), ("other", "Other"))),
            ),
        ),
        Section(
            "education",
            "Education or early years",
            (
                Field("attends", "Did the child attend a college, school, childminder, nursery or other early years provision?", "yesnodk", required=True),
                Field("establishment", "Name of the establishment", "text", show_if=("attends", "yes")),
                Field("establishment_address", "Address", "longtext", max_length=500, show_if=("attends", "yes")),
                Field("urn", "Ofsted unique reference number (if known)", "text", max_length=20, show_if=("attends", "yes")),
            ),
        ),
        Section(
            "agencies",
            "Agencies involved",
            (
                Field("known_before", "Was the child known to children's social care or other agencies before the incident?", "yesno", required=True),
                Table(
                    "agencies", "Agencies involved with the child or family",
                    (
                        Field("agency", "Agency", "text", required=True),
                        Field("contact", "Name and contact details", "text"),
                        Field("start", "Involved from", "date", past=True),
                        Field("end", "Involved until", "date", past=True),
                        Field("still_involved", "Still involved?", "yesno"),
                    ),
                    row_noun="agency",
                ),
            ),
        ),
        Section(
            "criminal",
            "Criminal proceedings",
            (
                Field("complex_abuse", "Is the case linked to a complex abuse investigation?", "yesno", required=True),
                Field("proceedings", "Have criminal proceedings been started?", "yesnodk", required=True),
                Table("alleged", "Alleged abusers", (Field("name", "Name", "text", required=True), Field("relationship", "Relationship to the child", "text", required=True)), row_noun="person"),
                Table("charged", "People charged", (Field("name", "Name", "text", required=True), Field("relationship", "Relationship to the child", "text", required=True)), row_noun="person"),
            ),
        ),
        Section(
            "recommendation",
            "Your recommendation",
            (Field("recommendation", "What do you recommend the partnership does?", "longtext", required=True, max_length=3000),),
        ),
        Section(
            "authorisation",
            "Authorising officer",
            (
                Field("officer", "Authorising officer's name and job title", "text", required=True),
                Field("comments", "Comments", "longtext", max_length=3000),
            ),
            completed_by="lead",
        ),
    )
}  # fmt: skip

# Which sections each variant asks for, in order.
VARIANTS: dict[str, tuple[str, ...]] = {
    # 000 Appendix 1, every section (§4.1).
    "darlington_app1": (
        "reporting", "referrer", "child", "parents", "siblings", "case_details", "child_protection",
        "legal_status", "disability", "setting", "education", "agencies", "criminal", "recommendation",
        "authorisation",
    ),
    # 002 Appendix 2 (§4.9): the two lists, referrer, child and family, family composition, agencies,
    # additional information.
    "bradford_app2": (
        "criteria", "reporting", "referrer", "child", "parents", "others", "child_protection", "legal_status",
        "disability", "agencies", "case_details", "authorisation",
    ),
    # 001 Document 1, 003 (raised with the lead officer), 004 SCSI-1: the forms are not reproduced in
    # the seeds, so these partnerships use the core of the two that are.
    "core": (
        "reporting", "referrer", "child", "parents", "siblings", "others", "case_details", "child_protection",
        "legal_status", "agencies", "criminal", "recommendation", "authorisation",
    ),
}  # fmt: skip

# Default reference lists, loaded for each partnership (the administrator edits them).
DEFAULT_REFERENCE_LISTS: dict[str, tuple[str, ...]] = {
    "legal_status": (
        "Not looked after", "Child in need", "Subject to a child protection plan",
        "Looked after under a care order (section 31)", "Looked after under an interim care order",
        "Accommodated with parental agreement (section 20)", "Placement order",
        "Special guardianship order", "Child arrangements order", "Remanded to local authority accommodation",
        "Youth detention", "Other",
    ),
    "residence": (
        "With parents", "With one parent", "With relatives or friends (kinship care)", "Foster care",
        "Children's home", "Secure children's home", "Young offender institution or secure training centre",
        "Supported accommodation", "Hospital", "Other",
    ),
    "main_cause": (
        "Non-accidental injury", "Neglect", "Sexual abuse", "Child sexual exploitation", "Criminal exploitation",
        "Suicide or self-harm", "Sudden unexpected death in infancy", "Homicide", "Drowning", "Fire",
        "Road traffic collision", "Not yet known", "Other",
    ),
}  # fmt: skip


def cross_context(spec: FormSpec, partnership: Any, answers: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Clean values of the sections other sections check dates against (birth, incident, death),
    for ``SectionForm(context=...)`` when one section is validated on its own."""
    out: dict[str, dict[str, Any]] = {}
    for key in ("child", "reporting"):
        section = spec.section(key)
        if section is None:
            continue
        form = section_form(spec, section, partnership, answers.get(key))
        if form.is_valid():
            out[key] = form.cleaned_data
    return out


def referral_cross_checks(form: Any, cleaned: dict[str, Any]) -> None:
    """Dates that must be in order across sections (birth ≤ incident, birth ≤ death), the telephone
    number, and a child protection plan's end after its start. ``form`` is a
    ``core.forms.sections.SectionForm``; other sections' clean values are in ``form.context``."""
    key = form.section.key
    birth = (
        cleaned.get("date_of_birth") if key == "child" else form.context.get("child", {}).get("date_of_birth")
    )
    incident = (
        cleaned.get("incident_date")
        if key == "reporting"
        else form.context.get("reporting", {}).get("incident_date")
    )
    death = (
        cleaned.get("date_of_death")
        if key == "reporting"
        else form.context.get("reporting", {}).get("date_of_death")
    )
    if isinstance(birth, dt.date) and isinstance(incident, dt.date) and birth > incident:
        target = "date_of_birth" if key == "child" else "incident_date"
        if target in form.fields and target not in form.errors:
            form.add_error(target, "The child's date of birth must be on or before the date of the incident")
    if isinstance(birth, dt.date) and isinstance(death, dt.date) and death < birth:
        target = "date_of_death" if key == "reporting" else "date_of_birth"
        if target in form.fields and target not in form.errors:
            form.add_error(target, "The date of death must be on or after the child's date of birth")
    if key == "referrer" and cleaned.get("phone") and not PHONE_RE.match(cleaned["phone"]):
        form.add_error("phone", "Enter a telephone number, like 01632 960 001 or +44 7700 900 982")
    if key == "siblings":
        _other_ethnicity_described(form, cleaned)
    for start, end in (("cpp_start", "cpp_end"),):
        a, b = cleaned.get(start), cleaned.get(end)
        if isinstance(a, dt.date) and isinstance(b, dt.date) and b < a and end not in form.errors:
            form.add_error(end, "The date the plan ended must be on or after the date it started")


def _other_ethnicity_described(form: Any, cleaned: dict[str, Any]) -> None:
    """000 Appendix 1 item 4: a sibling whose ethnicity is "Other" has their other ethnicity described."""
    for i, names in enumerate(form.table_rows.get("siblings", [])):
        ethnicity, other = (f"siblings-{i}-{c}" for c in ("ethnicity", "other_ethnicity"))
        if ethnicity not in names or other not in names:
            continue
        is_other = (cleaned.get(ethnicity) or "").strip().lower() in OTHER_WORDS
        if is_other and not (cleaned.get(other) or "").strip() and other not in form.errors:
            form.add_error(other, f"Enter the other ethnicity of sibling {i + 1}")


# What people write for "Other" in the siblings' ethnicity.
OTHER_WORDS = frozenset({"other", "other ethnicity", "other ethnic group", "any other ethnic group"})


def form_spec(profile_data: dict[str, Any] | None) -> FormSpec:
    """The referral form a partnership's profile asks for (``referral: {form: <variant>, labels: {}}``)."""
    config = (profile_data or {}).get("referral") or {}
    variant = config.get("form", "core")
    if variant not in VARIANTS:
        variant = "core"
    labels = dict(config.get("labels") or {})
    return FormSpec(
        variant, tuple(SECTIONS[k] for k in VARIANTS[variant]), labels, checks=(referral_cross_checks,)
    )


def validate_referral_config(profile_data: dict[str, Any]) -> None:
    """Registered as a profile validator: the ``referral`` section, when present, must make sense."""
    config = profile_data.get("referral")
    if config is None:
        return
    if not isinstance(config, dict):
        raise ValueError("'referral' must be a mapping")
    unknown = set(config) - {
        "form",
        "labels",
        "feedback_template",
        "learning_approval_by_partners",
        "learning_decided_by",
        "name",
        "note",
    }
    if unknown:
        raise ValueError(f"'referral' has unknown keys: {', '.join(sorted(unknown))}")
    if not isinstance(config.get("name", ""), str):
        raise ValueError("'referral.name' must be text, for example 'SCSI-1 notification'")
    if config.get("learning_decided_by", "subgroup_chair") != "subgroup_chair":
        raise ValueError("'referral.learning_decided_by' can only be 'subgroup_chair'")
    if config.get("form", "core") not in VARIANTS:
        raise ValueError(f"'referral.form' must be one of: {', '.join(VARIANTS)}")
    labels = config.get("labels") or {}
    known = {f"{s.key}.{f.name}" for s in SECTIONS.values() for f in s.fields} | set(SECTIONS)
    bad = [k for k in labels if k not in known]
    if bad:
        raise ValueError(f"'referral.labels' names unknown fields: {', '.join(sorted(bad))}")
