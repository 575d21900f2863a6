"""The profile's ``publication:`` section: every seed profile validates, and a mistake names the field."""

from __future__ import annotations

import pytest

from deadlines.profile_schema import ProfileError, SectionContext
from partnerships.profiles import read_seed_profile
from publication.profile_section import validate_publication

CONTEXT = SectionContext(rules=(), anchors={})
SLUGS = ("bradford", "cambridgeshire-peterborough", "darlington", "dorset", "north-east-lincolnshire")


@pytest.mark.parametrize("slug", SLUGS)
def test_every_seed_profile_has_a_valid_publication_section(slug):
    section = validate_publication(read_seed_profile(slug)["publication"], CONTEXT)
    assert section is not None and section["approval"]["steps"]


def minimal(**approval):
    return {
        "citation": "test",
        "approval": {"steps": [{"key": "one", "label": "One"}], **approval},
        "pre_publication_copy": {"recipients": [{"key": "panel", "label": "Panel"}]},
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"restart_from": "nowhere"}, "'restart_from' 'nowhere' is not one of"),
        ({"steps": []}, "at least one approval step"),
        ({"steps": [{"key": "one", "label": "One", "signatories": ["army"]}]}, "'signatories' 'army'"),
        ({"steps": [{"key": "one", "label": "One"}, {"key": "one", "label": "Again"}]}, "listed twice"),
        ({"planning_after": "two"}, "'planning_after' 'two'"),
    ],
)
def test_a_mistake_names_the_field(change, message):
    with pytest.raises(ProfileError, match=message):
        validate_publication(minimal(**change), CONTEXT)


def test_no_section_is_allowed_and_a_recipient_version_is_checked():
    assert validate_publication(None, CONTEXT) is None
    data = minimal()
    data["pre_publication_copy"]["recipients"][0]["versions"] = ["draft"]
    with pytest.raises(ProfileError, match="'versions' 'draft'"):
        validate_publication(data, CONTEXT)
