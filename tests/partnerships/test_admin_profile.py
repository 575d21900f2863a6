"""The ProcedureProfile admin: platform staff edit a profile as YAML. A bad profile is a form error
and creates no version; a good edit installs a new version and leaves the old one, and every case's
dates, as they were (a case moves only when someone re-applies the new version to it)."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from deadlines.models import Deadline
from partnerships.models import ProcedureProfile, User
from partnerships.profiles import read_seed_profile


@pytest.fixture
def superuser(client):
    user = User.objects.create_superuser("platform-admin@example.org", "not-used", full_name="Platform admin")
    client.force_login(user)
    return client


def change_url(profile: ProcedureProfile) -> str:
    return f"/admin/partnerships/procedureprofile/{profile.pk}/change/"


def post_text(client, profile: ProcedureProfile, text: str):
    return client.post(
        change_url(profile),
        {"partnership": profile.partnership_id, "source": "Edited in a test", "text": text},
    )


def dorset_text(*mutations) -> str:
    data = read_seed_profile("dorset")
    for mutate in mutations:
        mutate(data)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def _rule(data, key):
    return next(r for r in data["rules"] if r["key"] == key)


def _never_starts(data):
    _rule(data, "panel_notification")["anchor"] = "incident"  # nothing records "incident"


def _bad_unit(data):
    _rule(data, "agency_returns")["unit"] = "workdays"


def _drop_canonical(data):
    data["rules"] = [r for r in data["rules"] if r["key"] != "rr_meeting"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            dorset_text(_never_starts),
            "rule &#x27;panel_notification&#x27;: &#x27;anchor&#x27; &#x27;incident&#x27; is not a canonical "
            "anchor or one declared under &#x27;anchors&#x27;",
        ),
        (dorset_text(_bad_unit), "&#x27;unit&#x27; &#x27;workdays&#x27; is not one of: working_days"),
        (dorset_text(_drop_canonical), "canonical rule(s) rr_meeting neither defined"),
        ("rules: [unclosed", "The profile is not valid YAML"),
        ("- just\n- a list\n", "A procedure profile must be a mapping"),
    ],
)
@pytest.mark.django_db
def test_a_bad_profile_is_a_form_error_and_creates_no_version(superuser, open_case, text, message):
    current = open_case.partnership.profile
    versions = list(ProcedureProfile.objects.values("pk", "version", "data"))
    r = post_text(superuser, current, text)
    page = r.content.decode()
    assert r.status_code == 200  # the form again, not a redirect
    assert "errornote" in page and message in page
    assert list(ProcedureProfile.objects.values("pk", "version", "data")) == versions
    open_case.partnership.refresh_from_db()
    assert open_case.partnership.profile == current


@pytest.mark.django_db
def test_a_good_edit_installs_a_new_version_and_changes_no_case(superuser, open_case):
    v1 = open_case.partnership.profile
    v1_data = v1.data
    dates = list(
        Deadline.objects.filter(case=open_case).values("rule_key", "due", "status", "profile_version")
    )
    assert ("panel_notification", dt.date(2025, 4, 25)) in [(d["rule_key"], d["due"]) for d in dates]  # Fri

    def six_days(data):
        _rule(data, "panel_notification")["offset"] = 6

    r = post_text(superuser, v1, dorset_text(six_days))
    assert r.status_code == 302, r.content.decode()[:2000]
    v2 = ProcedureProfile.objects.get(partnership=v1.partnership, version=2)
    assert _rule(v2.data, "panel_notification")["offset"] == 6
    assert (v2.source, v2.created_by.email) == ("Edited in a test", "platform-admin@example.org")
    v1.refresh_from_db()
    assert v1.data == v1_data and v1.version == 1  # the old version is untouched
    open_case.refresh_from_db()
    open_case.partnership.refresh_from_db()
    assert open_case.partnership.profile == v2
    assert open_case.profile == v1  # the case stays on the version it was scheduled with
    assert (
        list(Deadline.objects.filter(case=open_case).values("rule_key", "due", "status", "profile_version"))
        == dates
    )

    # the same text again is not a new version
    post_text(superuser, v2, dorset_text(six_days))
    assert ProcedureProfile.objects.filter(partnership=v1.partnership).count() == 2
