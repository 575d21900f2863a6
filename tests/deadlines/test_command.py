"""``manage.py deadlines``: the timeline of each of the five partnerships for sample anchors.

Anchor sets come from seed-requirements §9 with D = Wed 16 Apr 2025. England and Wales bank
holidays around it: Good Friday 18 Apr, Easter Monday 21 Apr, Early May 5 May, Spring 26 May 2025.
Working days after D (day zero): +1 Thu 17 Apr, +2 Tue 22, +3 Wed 23, +4 Thu 24, +5 Fri 25,
+6 Mon 28, +7 Tue 29, +8 Wed 30, +9 Thu 1 May, +10 Fri 2, +11 Tue 6, +12 Wed 7, +13 Thu 8,
+14 Fri 9, +15 Mon 12, +19 Fri 16, +20 Mon 19.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from partnerships.models import ClosureDay, ProcedureProfile
from partnerships.profiles import read_seed_profile

ROOT = Path(__file__).resolve().parents[2]
D = "2025-04-16"  # Wed


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("deadlines", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def rows(output: str) -> list[tuple[str, ...]]:
    """The table's rows (due, window opens, kind, applies, rule), without the detail lines."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Due ")) + 2
    table = []
    for line in lines[start:]:
        if not line:
            break
        if not line.startswith(" "):
            table.append(tuple(re.split(r" {2,}", line.strip())))
    return table


def anchors(**dates: str) -> list[str]:
    args: list[str] = []
    for key, value in dates.items():
        args += ["--anchor", f"{key}={value}"]
    return args


# ------------------------------------------------------------------------------------------------
# The five partnerships, from their profile files (no partnership or case in the database)
# ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_darlington_timeline_from_the_referral_awareness_and_panel_acknowledgement():
    """AS-07, AS-08, AS-09, AS-12."""
    out, _ = run(
        "--partnership",
        "darlington",
        *anchors(referral_received=D, became_aware=D, partners_decided="2025-05-02", panel_acknowledged=D),
        "--fact",
        "notification_decision=notify",
    )
    assert "partnerships/profiles/darlington.yaml (the partnership is not in the database" in out
    assert rows(out) == [
        ("Thu 17 Apr 2025", "-", "local target", "always", "inform_partners"),  # D+1 (AS-07)
        ("Thu 17 Apr 2025", "-", "local target", "always", "la_report_to_partners"),  # D+1
        # case_kind is not given, so the looked-after rule still "depends"
        ("Fri 25 Apr 2025", "-", "local target", "depends", "looked_after_death_notification"),  # D+5
        ("Fri 25 Apr 2025", "-", "statutory", "yes", "panel_notification"),  # D+5 (AS-08)
        ("Fri 25 Apr 2025", "-", "local target", "always", "partners_consideration_meeting"),  # D+5 (AS-07)
        # D+7 Tue 29 Apr to D+10 Fri 2 May (AS-12)
        ("Fri 2 May 2025", "Tue 29 Apr 2025", "window", "always", "rr_meeting_target_window"),
        ("Mon 12 May 2025", "-", "statutory", "always", "rapid_review_to_panel"),  # D+15 (AS-12)
        # Fri 2 May + 5: Tue 6 (Mon 5 May is a bank holiday), Wed 7, Thu 8, Fri 9, Mon 12 (AS-09)
        ("Mon 12 May 2025", "-", "local target", "always", "referrer_feedback"),
        ("Mon 12 May 2025", "-", "statutory", "always", "rr_meeting"),  # D+15 (AS-12)
    ]
    assert "9 of 15 rules count from the anchors given." in out


@pytest.mark.django_db
def test_cambridgeshire_peterborough_timeline_from_the_referral():
    """AS-22 (scoping, returns, meeting window, submission) and AS-28 (alternative review)."""
    out, _ = run(
        "--partnership",
        "cambridgeshire-peterborough",
        *anchors(
            referral_received=D,
            became_aware=D,
            request_issued="2025-04-22",  # Tue: scoping forms issued on D+2
            rr_meeting_held="2025-05-08",  # Thu: the last day of the window
            review_decision=D,
        ),
    )
    assert rows(out) == [
        ("Tue 22 Apr 2025", "-", "local target", "always", "scoping_issued"),  # D+2
        ("Fri 25 Apr 2025", "-", "local target", "depends", "looked_after_death_notification"),  # D+5
        ("Fri 25 Apr 2025", "-", "statutory", "depends", "panel_notification"),  # D+5
        ("Fri 25 Apr 2025", "-", "statutory", "depends", "partners_notification"),  # D+5
        # Tue 22 Apr + 5: Wed 23, Thu 24, Fri 25, Mon 28, Tue 29
        ("Tue 29 Apr 2025", "-", "local target", "always", "agency_returns"),
        ("Thu 8 May 2025", "Tue 29 Apr 2025", "window", "always", "rr_meeting"),  # D+7 to D+13
        # D+15: the local authority's notification decision picks one of the two (issue 10)
        ("Mon 12 May 2025", "-", "local target", "depends", "rapid_review_decision_not_notified"),
        ("Mon 12 May 2025", "-", "statutory", "depends", "rapid_review_to_panel"),
        # Thu 8 May + 2: Fri 9, Mon 12 (equals the 15-day limit); only when the Panel was notified
        ("Mon 12 May 2025", "-", "local target", "depends", "rr_submission_after_meeting"),
        # 3 calendar months after Wed 16 Apr (AS-28)
        ("Wed 16 Jul 2025", "-", "local target", "depends", "alternative_learning_review_completion"),
        # 6 calendar months after Wed 16 Apr
        ("Thu 16 Oct 2025", "-", "statutory", "depends", "cspr_publication"),
    ]


BRADFORD_EXPECTED = """\
Bradford District Safeguarding Children Partnership
Profile: partnerships/profiles/bradford.yaml (the partnership is not in the database, so no closure days).
Anchors: referral_received = Wed 16 Apr 2025
Facts: notification_decision = notify
Working days are Monday to Friday except England and Wales bank holidays and closure days.

Due              Window opens     Kind                Applies  Rule
---------------  ---------------  ------------------  -------  ----------------------------------
Thu 24 Apr 2025  -                latest permissible  yes      panel_notification_day_5
    Local authority sends the notification summary to the National Panel (Day 5)
    Counted: 5 working days after referral_received (anchor is day 1)
    Only when: notification_decision is notify
    Citation: 002 Appendix 1 (Day 5)
Thu 24 Apr 2025  Wed 16 Apr 2025  window              always   partner_scoping_and_recommendation
    Partners scope the case and the chair recommends to the Strategic Director Children's Services
      (Day 1-5)
    Counted: 1 to 5 working days after referral_received (anchor is day 1)
    Citation: 002 §4; Appendix 1 (Day 1-5, Day 5)
Fri 9 May 2025   -                latest permissible  yes      local_review_decision
    Safeguarding partners and chair decide whether a local safeguarding review should be undertaken
      (Day 15)
    Counted: 15 working days after referral_received (anchor is day 1)
    Only when: notification_decision is notify
    Citation: 002 Appendix 1 (Day 15); §5
Fri 9 May 2025   Fri 25 Apr 2025  window              yes      rr_meeting
    Rapid review undertaken (Day 6-15)
    Counted: 6 to 15 working days after referral_received (anchor is day 1)
    Only when: notification_decision is notify
    Citation: 002 Appendix 1 (Day 6-15); §7
Fri 16 May 2025  -                local target        always   lcspr_decision_target
    Decision whether the incident meets the criteria for a local child safeguarding practice review
      (normally within one month)
    Counted: 1 calendar month after referral_received
    Citation: 002 §6
Fri 16 May 2025  -                statutory           yes      rapid_review_to_panel
    Rapid Review report and findings submitted to the National Child Safeguarding Practice Review
      Panel (Day 20)
    Counted: 20 working days after referral_received (anchor is day 1)
    Only when: notification_decision is notify
    Citation: 002 Appendix 1 (Day 20); §6, §8

6 of 12 rules count from the anchors given. Applies: always = every case; depends = only when the
condition holds (give --fact to check it); yes / no = the facts given meet / rule out the condition.
"""


@pytest.mark.django_db
def test_bradford_timeline_counts_day_one_and_the_whole_output_is_pinned():
    """AS-29 and AS-30: notification on D is Day 1."""
    out, err = run(
        "--partnership",
        "bradford",
        *anchors(referral_received=D),
        "--fact",
        "notification_decision=notify",
    )
    # Day 1 Wed 16, Day 5 Thu 24 Apr; Day 6 Fri 25 Apr to Day 15 Fri 9 May; Day 20 Fri 16 May;
    # one calendar month after Wed 16 Apr is Fri 16 May.
    assert out == BRADFORD_EXPECTED
    assert err == ""


@pytest.mark.django_db
def test_dorset_timeline_from_the_serious_incident_notification_and_awareness():
    """AS-33 (SIN submitted on D is day 0), AS-34 and AS-35 (LA aware on D)."""
    out, _ = run("--partnership", "dorset", *anchors(sin_submitted=D, became_aware=D))
    assert rows(out) == [
        ("Wed 16 Apr 2025", "-", "latest permissible", "always", "rr_provisional_date_alert"),  # day 0
        ("Tue 22 Apr 2025", "-", "latest permissible", "always", "briefing_template_issued"),  # day 2
        ("Tue 22 Apr 2025", "-", "local target", "always", "panel_rr_required_message"),  # day 2 (AS-35)
        ("Tue 22 Apr 2025", "-", "latest permissible", "always", "rr_meeting_date_sent"),  # day 2
        ("Thu 24 Apr 2025", "-", "latest permissible", "always", "delegated_partners_meeting"),  # day 4
        ("Fri 25 Apr 2025", "-", "local target", "depends", "business_unit_notification"),  # day 5
        ("Fri 25 Apr 2025", "-", "local target", "depends", "care_leaver_death_notification"),  # day 5
        ("Fri 25 Apr 2025", "-", "statutory", "depends", "panel_notification"),  # day 5 (AS-34)
        ("Wed 30 Apr 2025", "-", "latest permissible", "always", "agency_returns"),  # day 8
        ("Thu 1 May 2025", "-", "latest permissible", "always", "rr_agenda_sent"),  # day 9
        ("Tue 6 May 2025", "-", "latest permissible", "always", "rr_meeting_day_11"),  # day 11
        ("Fri 9 May 2025", "-", "latest permissible", "always", "delegated_partners_sign_off"),  # day 14
        ("Mon 12 May 2025", "-", "statutory", "always", "rapid_review_to_panel"),  # day 15
        ("Mon 12 May 2025", "-", "statutory", "always", "rr_meeting"),  # day 15
        ("Mon 19 May 2025", "-", "latest permissible", "always", "dissemination_decision"),  # day 20
        ("Mon 19 May 2025", "-", "latest permissible", "always", "family_sharing_decision"),  # day 20
    ]


@pytest.mark.django_db
def test_north_east_lincolnshire_timeline_from_receipt_of_the_notification():
    """AS-43: receipt on D is day 0 and Working Day One is Thu 17 Apr."""
    out, _ = run(
        "--partnership",
        "north-east-lincolnshire",
        *anchors(referral_received=D, request_issued="2025-04-22"),  # Tue: SCSI-5 sent on WD2
        "--fact",
        "notification_decision=notify",
    )
    assert rows(out) == [
        ("Thu 17 Apr 2025", "-", "latest permissible", "always", "inform_partners"),  # WD1
        ("Thu 17 Apr 2025", "-", "latest permissible", "yes", "rr_scheduling"),  # WD1
        ("Tue 22 Apr 2025", "-", "latest permissible", "yes", "information_requests_issued"),  # WD2
        ("Fri 25 Apr 2025", "-", "statutory", "yes", "panel_notification"),  # WD5
        # Tue 22 Apr + 5 = Tue 29 Apr (WD7)
        ("Tue 29 Apr 2025", "-", "latest permissible", "yes", "agency_returns"),
        ("Wed 30 Apr 2025", "-", "latest permissible", "yes", "rr_report_collated"),  # WD8
        ("Fri 2 May 2025", "Thu 1 May 2025", "window", "yes", "srg_reading"),  # WD9 to WD10
        ("Tue 6 May 2025", "-", "latest permissible", "yes", "rr_meeting"),  # WD11
        ("Wed 7 May 2025", "-", "latest permissible", "yes", "decision_record_to_partners"),  # WD12
        ("Thu 8 May 2025", "-", "latest permissible", "yes", "partners_review_proforma"),  # WD13
        ("Fri 9 May 2025", "-", "latest permissible", "yes", "partners_sign_off"),  # WD14
        ("Mon 12 May 2025", "-", "statutory", "yes", "rapid_review_to_panel"),  # WD15
    ]


@pytest.mark.django_db
def test_the_table_is_aligned():
    out, _ = run("--partnership", "dorset", *anchors(sin_submitted=D, became_aware=D))
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Due "))
    starts = [m.start() for m in re.finditer(r"(?<=  )\S", lines[header])]
    assert len(starts) == 4
    for line in lines[header + 2 :]:
        if not line:
            break  # the end of the table
        if line.startswith(" "):
            continue
        for col in starts:  # every column begins at the header's column, after two spaces
            assert line[col - 2 : col] == "  " and line[col] != " ", line
    assert max(len(line) for line in lines if line.startswith("    ")) <= 100


# ------------------------------------------------------------------------------------------------
# JSON
# ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_json_is_a_stable_list_of_objects():
    out, _ = run(
        "--partnership",
        "dorset",
        *anchors(became_aware=D, action_due="2024-12-24"),  # a per-subject anchor: Tue Christmas Eve
        "--fact",
        "case_kind=looked_after_child_death",
        "--json",
    )
    data = json.loads(out)
    assert isinstance(data, list)
    keys = [
        "key",
        "label",
        "anchor",
        "anchor_date",
        "due",
        "due_weekday",
        "window_start",
        "kind",
        "offset",
        "window_offset",
        "unit",
        "sign",
        "numbering",
        "condition",
        "applies",
        "completed_by",
        "responsible_role",
        "citation",
    ]
    assert all(list(item) == keys for item in data)
    summary = [(i["key"], i["due"], i["due_weekday"], i["applies"]) for i in data]
    assert summary == [
        ("action_deadline", "2024-12-24", "Tue", True),  # the action's own due date
        ("delegated_partners_meeting", "2025-04-24", "Thu", True),  # D+4
        ("business_unit_notification", "2025-04-25", "Fri", None),  # D+5; notification not decided
        ("care_leaver_death_notification", "2025-04-25", "Fri", False),  # a looked-after child
        ("panel_notification", "2025-04-25", "Fri", None),  # D+5
    ]
    panel = next(i for i in data if i["key"] == "panel_notification")
    assert panel["condition"] == {"notification_decision": ["notify"]}
    assert (panel["anchor"], panel["anchor_date"], panel["offset"], panel["numbering"]) == (
        "became_aware",
        D,
        5,
        "day_zero",
    )
    assert panel["citation"] == "003 §5; §6" and panel["window_start"] is None
    again, _ = run(
        "--partnership",
        "dorset",
        *anchors(action_due="2024-12-24", became_aware=D),
        "--fact",
        "case_kind=looked_after_child_death",
        "--json",
    )
    assert again == out  # the order of the options does not change the output


@pytest.mark.django_db
def test_json_window_and_before_rules():
    """AS-03: 7 working days before publication on Mon 12 May 2025 is Wed 30 Apr (skips 5 May)."""
    out, _ = run("--partnership", "darlington", *anchors(publication_planned="2025-05-12"), "--json")
    (item,) = json.loads(out)
    assert (item["key"], item["due"], item["sign"], item["numbering"]) == (
        "pre_publication_copy",
        "2025-04-30",
        "before",
        None,
    )


# ------------------------------------------------------------------------------------------------
# From the database: the current profile version and the closure days
# ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_database_profile_and_closure_days_are_used(profiled):
    """Testshire (no profile file) runs Dorset's rules; its closure day moves the count."""
    ClosureDay.objects.create(partnership=profiled.partnership, date=dt.date(2025, 4, 22), reason="Training")
    data = read_seed_profile("dorset")
    for rule in data["rules"]:
        if rule["key"] == "panel_notification":
            rule["offset"] = 6
    from partnerships.services import profile_install

    profile_install(partnership=profiled.partnership, data=data, source="test v2")
    out, _ = run("--partnership", "testshire", *anchors(became_aware=D, sin_submitted=D))
    assert "Profile: procedure version 2 from the database; 1 closure day." in out
    got = {r[-1]: r[0] for r in rows(out)}
    # With Tue 22 Apr closed: +1 Thu 17, +2 Wed 23, +3 Thu 24, +4 Fri 25, +5 Mon 28, +6 Tue 29
    assert got["briefing_template_issued"] == "Wed 23 Apr 2025"  # day 2
    assert got["delegated_partners_meeting"] == "Fri 25 Apr 2025"  # day 4
    assert got["panel_notification"] == "Tue 29 Apr 2025"  # day 6 in version 2
    assert got["rr_provisional_date_alert"] == "Wed 16 Apr 2025"  # day 0 is the anchor


@pytest.mark.django_db
def test_christmas_and_new_year_are_skipped(profiled):
    """AS-02: referral on Tue 24 Dec 2024; 25, 26 Dec and 1 Jan are bank holidays."""
    out, _ = run(
        "--partnership", "darlington", *anchors(referral_received="2024-12-24", became_aware="2024-12-24")
    )
    got = {r[-1]: r[0] for r in rows(out)}
    assert got["inform_partners"] == "Fri 27 Dec 2024"  # +1
    assert got["partners_consideration_meeting"] == "Fri 3 Jan 2025"  # +5: 27, 30, 31 Dec, 2, 3 Jan


@pytest.mark.django_db
def test_facts_mark_whether_conditional_rules_apply():
    base = ["--partnership", "dorset", *anchors(became_aware=D)]
    undecided = {r[-1]: r[3] for r in rows(run(*base)[0])}
    nfa = {r[-1]: r[3] for r in rows(run(*base, "--fact", "notification_decision=no_further_action")[0])}
    notify = {r[-1]: r[3] for r in rows(run(*base, "--fact", "notification_decision=notify")[0])}
    assert (undecided["panel_notification"], nfa["panel_notification"], notify["panel_notification"]) == (
        "depends",
        "no",
        "yes",
    )
    assert undecided["delegated_partners_meeting"] == nfa["delegated_partners_meeting"] == "always"
    assert "Only when: notification_decision is notify" in run(*base)[0]


@pytest.mark.django_db
def test_anchors_no_rule_counts_from_say_so():
    out, _ = run("--partnership", "dorset", *anchors(published=D))
    assert "No rule of dorset counts from the anchors given." in out


# ------------------------------------------------------------------------------------------------
# Bad input: a clear message and exit code 2
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--partnership", "nowhere", "--anchor", f"became_aware={D}"], "Unknown partnership 'nowhere'"),
        (["--partnership", "../../etc", "--anchor", f"became_aware={D}"], "Unknown partnership '../../etc'"),
        (["--partnership", "dorset", "--anchor", f"incident={D}"], "Unknown anchor 'incident' for dorset"),
        (
            ["--partnership", "dorset", "--anchor", "became_aware=16/04/2025"],
            "not a date in the form YYYY-MM-DD",
        ),
        (
            ["--partnership", "dorset", "--anchor", "became_aware=2025-4-16"],
            "not a date in the form YYYY-MM-DD",
        ),
        (["--partnership", "dorset", "--anchor", "became_aware=2025-02-29"], "2025-02-29 is not a real date"),
        (["--partnership", "dorset", "--anchor", "became_aware"], "must look like key=YYYY-MM-DD"),
        (
            [
                "--partnership",
                "dorset",
                "--anchor",
                f"became_aware={D}",
                "--anchor",
                "became_aware=2025-04-17",
            ],
            "Anchor 'became_aware' is given twice",
        ),
        (
            ["--partnership", "dorset", "--anchor", f"became_aware={D}", "--fact", "colour=red"],
            "Unknown fact 'colour'",
        ),
        (
            [
                "--partnership",
                "dorset",
                "--anchor",
                f"became_aware={D}",
                "--fact",
                "notification_decision=maybe",
            ],
            "Fact 'notification_decision' cannot be 'maybe'",
        ),
        (
            [
                "--partnership",
                "dorset",
                "--anchor",
                f"review_decision={D}",
                "--fact",
                "learning_option=audit",
            ],
            "Fact 'learning_option' cannot be 'audit' for dorset; it is one of: local_cspr,",
        ),
        (
            [
                "--partnership",
                "dorset",
                "--anchor",
                f"became_aware={D}",
                "--fact",
                "case_kind=serious_incident",
                "--fact",
                "case_kind=learning_request",
            ],
            "Fact 'case_kind' is given twice",
        ),
        (
            ["--partnership", "dorset", "--anchor", "became_aware=2100-12-24"],
            "England and Wales bank holidays",
        ),
    ],
)
@pytest.mark.django_db
def test_bad_input_is_refused_with_a_clear_message_and_code_2(args, message):
    with pytest.raises(CommandError) as caught:
        run(*args)
    assert message in str(caught.value)
    assert caught.value.returncode == 2


def _break_profile(data):
    """A rule counted from an anchor nothing records: its deadline would never start."""
    data["rules"][0]["anchor"] = "incident"
    return data


@pytest.mark.django_db
def test_a_stored_profile_whose_rule_never_starts_is_refused(profiled):
    broken = ProcedureProfile.objects.create(
        partnership=profiled.partnership, version=2, data=_break_profile(read_seed_profile("dorset"))
    )
    profiled.partnership.profile = broken
    profiled.partnership.save()
    with pytest.raises(CommandError) as caught:
        run("--partnership", "testshire", "--anchor", f"became_aware={D}")
    assert caught.value.returncode == 2
    assert "version 2) is invalid" in str(caught.value)
    assert "'anchor' 'incident' is not a canonical anchor or one declared under 'anchors'" in str(
        caught.value
    )


@pytest.mark.django_db
def test_a_profile_file_whose_rule_never_starts_is_refused(tmp_path, monkeypatch):
    import yaml

    from partnerships import profiles

    path = tmp_path / "dorset.yaml"
    path.write_text(yaml.safe_dump(_break_profile(read_seed_profile("dorset"))))
    monkeypatch.setattr(profiles, "seed_profile_path", lambda slug: tmp_path / f"{slug}.yaml")
    with pytest.raises(CommandError) as caught:
        run("--partnership", "dorset", "--anchor", f"became_aware={D}")
    assert caught.value.returncode == 2
    assert "partnerships/profiles/dorset.yaml is invalid" in str(caught.value)
    assert "'incident'" in str(caught.value)


def _manage(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # The embedded default on an empty VAR_DIR: a database with no tables, so the command falls back
    # to the profile files.
    env = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    return subprocess.run(
        [sys.executable, "manage.py", "deadlines", *args],
        cwd=ROOT,
        env={**env, "VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_real_process_exits_with_code_2_and_a_message_on_stderr(tmp_path):
    bad = _manage(tmp_path, "--partnership", "dorset", "--anchor", "became_aware=2025-02-30")
    assert bad.returncode == 2
    assert "2025-02-30 is not a real date" in bad.stderr
    assert bad.stdout == ""
    good = _manage(tmp_path, "--partnership", "dorset", "--anchor", f"sin_submitted={D}")
    assert good.returncode == 0, good.stderr
    assert "Mon 12 May 2025  -" in good.stdout and "rapid_review_to_panel" in good.stdout
