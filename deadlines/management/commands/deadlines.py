"""``manage.py deadlines``: the timeline a partnership's procedure gives for some anchor dates.

    python manage.py deadlines --partnership dorset --anchor sin_submitted=2025-04-16
    python manage.py deadlines --partnership bradford --anchor referral_received=2025-04-16 \\
        --fact notification_decision=notify --json

For each rule of the partnership's procedure profile whose anchor is given it prints the due date,
the window's first day, the kind, the condition (rules that apply only to some cases are printed
too, marked with their condition, and with ``--fact`` marked as applying or not) and the citation.
It needs no case: the profile is the partnership's current version in the database, or
``partnerships/profiles/<slug>.yaml`` when the partnership is not in the database (then without
closure days). Bad input exits with code 2 and a message on stderr.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from deadlines.calendar import CalendarRangeError, WorkingCalendar
from deadlines.rules import FACTS, Profile, ProfileError, Rule, TimelineEntry, load_profile_file, timeline
from deadlines.services import calendar_for, profile_for
from partnerships import profiles
from partnerships.models import Partnership

USAGE_ERROR = 2
_SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WRAP = 100
_INDENT = "    "

KIND_WORDS = {
    "statutory": "statutory",
    "local_target": "local target",
    "latest_permissible": "latest permissible",
    "window": "window",
}
UNIT_WORDS = {
    "working_days": ("working day", "working days"),
    "calendar_days": ("calendar day", "calendar days"),
    "weeks": ("week", "weeks"),
    "months": ("calendar month", "calendar months"),
}


def _fail(message: str) -> CommandError:
    return CommandError(message, returncode=USAGE_ERROR)


def day_text(d: date) -> str:
    """``Fri 25 Apr 2025``: the weekday is part of every date the command prints."""
    return f"{d:%a} {d.day} {d:%b %Y}"


@dataclass(frozen=True)
class ProfileSource:
    """The profile and calendar the timeline is counted with, and where they came from."""

    profile: Profile
    calendar: WorkingCalendar
    name: str
    origin: str


def load_source(slug: str) -> ProfileSource:
    """The partnership's current profile from the database, else its seed YAML file."""
    if not _SLUG_RE.match(slug):
        raise _fail(
            f"Unknown partnership '{slug}': a partnership slug is lower-case words joined by hyphens."
        )
    try:
        partnership = Partnership.objects.select_related("profile").filter(slug=slug).first()
    except DatabaseError:  # no database to ask (e.g. not migrated): the seed files still answer
        partnership = None
    if partnership is not None and partnership.profile is not None:
        try:
            profile = profile_for(partnership.profile)
        except ProfileError as exc:
            raise _fail(
                f"The stored procedure profile of '{slug}' (version {partnership.profile.version}) is "
                f"invalid: {exc}"
            ) from exc
        closures = len(calendar_for(partnership).closure_days)
        return ProfileSource(
            profile=profile,
            calendar=calendar_for(partnership),
            name=partnership.name,
            origin=(
                f"procedure version {partnership.profile.version} from the database; "
                f"{closures} closure day{'' if closures == 1 else 's'}"
            ),
        )
    path = profiles.seed_profile_path(slug)
    if not path.is_file():
        known = sorted(p.stem for p in profiles.PROFILES_DIR.glob("*.yaml"))
        raise _fail(
            f"Unknown partnership '{slug}': it is not in the database and there is no "
            f"partnerships/profiles/{slug}.yaml. Profile files: {', '.join(known)}."
        )
    try:
        profile = load_profile_file(path)
    except ProfileError as exc:
        raise _fail(f"partnerships/profiles/{slug}.yaml is invalid: {exc}") from exc
    where = "not in the database" if partnership is None else "in the database without a procedure profile"
    return ProfileSource(
        profile=profile,
        calendar=WorkingCalendar(),
        name=profile.name,
        origin=f"partnerships/profiles/{slug}.yaml (the partnership is {where}, so no closure days)",
    )


def _pair(raw: str, option: str, example: str) -> tuple[str, str]:
    name, sep, value = raw.partition("=")
    if not sep or not name.strip() or not value.strip():
        raise _fail(f"{option} '{raw}' must look like {example}.")
    return name.strip(), value.strip()


def parse_anchors(raw: Sequence[str], profile: Profile) -> dict[str, date]:
    """``key=YYYY-MM-DD`` values as {key: date}; unknown keys, bad dates and repeats are refused."""
    anchors: dict[str, date] = {}
    for item in raw:
        key, value = _pair(item, "--anchor", "key=YYYY-MM-DD, for example became_aware=2025-04-16")
        if key not in profile.anchors:
            raise _fail(
                f"Unknown anchor '{key}' for {profile.slug}. Its anchors are: {', '.join(sorted(profile.anchors))}."
            )
        if key in anchors:
            raise _fail(f"Anchor '{key}' is given twice; give each anchor once.")
        if not _DATE_RE.match(value):
            raise _fail(f"Anchor '{key}': '{value}' is not a date in the form YYYY-MM-DD (e.g. 2025-04-16).")
        try:
            anchors[key] = date.fromisoformat(value)
        except ValueError:
            raise _fail(f"Anchor '{key}': {value} is not a real date.") from None
    return anchors


def fact_values(fact: str, profile: Profile) -> tuple[str, ...]:
    if fact == "learning_option":  # its values are the keys of the profile's own learning options
        options = cast(Sequence[Mapping[str, object]], profile.sections.get("learning_options", ()))
        return tuple(str(o["key"]) for o in options)
    return tuple(str(v) for v in FACTS[fact] or ())


def parse_facts(raw: Sequence[str], profile: Profile) -> dict[str, str]:
    """``name=value`` values as {name: value}; unknown facts and values, and repeats, are refused."""
    facts: dict[str, str] = {}
    for item in raw:
        name, value = _pair(item, "--fact", "name=value, for example notification_decision=notify")
        if name not in FACTS:
            raise _fail(f"Unknown fact '{name}'. The facts rules test are: {', '.join(FACTS)}.")
        if name in facts:
            raise _fail(f"Fact '{name}' is given twice; give each fact once.")
        allowed = fact_values(name, profile)
        if value not in allowed:
            raise _fail(
                f"Fact '{name}' cannot be '{value}' for {profile.slug}; it is one of: {', '.join(allowed)}."
            )
        facts[name] = value
    return facts


def condition_text(rule: Rule) -> str:
    return " and ".join(
        f"{fact} is {' or '.join(str(v) for v in values)}" for fact, values in rule.applies_when.items()
    )


def applies_word(entry: TimelineEntry) -> str:
    if not entry.rule.applies_when:
        return "always"
    return {True: "yes", False: "no", None: "depends"}[entry.applies]


def counted_text(rule: Rule) -> str:
    one, many = UNIT_WORDS[rule.unit]
    n = rule.offset if rule.window_start is None else f"{rule.window_start} to {rule.offset}"
    unit = one if rule.window_start is None and rule.offset == 1 else many
    text = f"{n} {unit} {rule.sign} {rule.anchor}"
    if rule.unit == "working_days" and rule.sign == "after":
        text += " (anchor is day 0)" if rule.numbering == "day_zero" else " (anchor is day 1)"
    return text


def entry_json(entry: TimelineEntry) -> dict[str, Any]:
    rule = entry.rule
    return {
        "key": rule.key,
        "label": rule.label,
        "anchor": rule.anchor,
        "anchor_date": entry.anchor_date.isoformat(),
        "due": entry.due.isoformat(),
        "due_weekday": f"{entry.due:%a}",
        "window_start": entry.window_start.isoformat() if entry.window_start else None,
        "kind": rule.kind,
        "offset": rule.offset,
        "window_offset": rule.window_start,
        "unit": rule.unit,
        "sign": rule.sign,
        "numbering": rule.numbering if rule.unit == "working_days" and rule.sign == "after" else None,
        "condition": {f: list(v) for f, v in rule.applies_when.items()} or None,
        "applies": entry.applies,
        "completed_by": rule.completed_by,
        "responsible_role": rule.responsible_role,
        "citation": rule.citation,
    }


def render_table(
    source: ProfileSource,
    anchors: Mapping[str, date],
    facts: Mapping[str, str],
    entries: Sequence[TimelineEntry],
) -> str:
    profile = source.profile
    lines = [
        source.name,
        f"Profile: {source.origin}.",
        "Anchors: "
        + "; ".join(f"{k} = {day_text(v)}" for k, v in sorted(anchors.items(), key=lambda i: i[1])),
    ]
    if facts:
        lines.append("Facts: " + "; ".join(f"{k} = {v}" for k, v in facts.items()))
    lines.append("Working days are Monday to Friday except England and Wales bank holidays and closure days.")
    lines.append("")
    if not entries:
        lines.append(f"No rule of {profile.slug} counts from the anchors given.")
        return "\n".join(lines) + "\n"
    header = ("Due", "Window opens", "Kind", "Applies", "Rule")
    cells = [
        (
            day_text(e.due),
            day_text(e.window_start) if e.window_start else "-",
            KIND_WORDS[e.rule.kind],
            applies_word(e),
            e.rule.key,
        )
        for e in entries
    ]
    widths = [max(len(row[i]) for row in (header, *cells)) for i in range(len(header) - 1)]

    def row_text(row: Sequence[str]) -> str:
        return "  ".join([*(cell.ljust(w) for cell, w in zip(row, widths, strict=False)), row[-1]])

    lines.append(row_text(header))
    lines.append(row_text(["-" * w for w in widths] + ["-" * max(len(r[-1]) for r in (header, *cells))]))
    for entry, row in zip(entries, cells, strict=True):
        rule = entry.rule
        lines.append(row_text(row))
        details = [rule.label, f"Counted: {counted_text(rule)}"]
        if rule.applies_when:
            details.append(f"Only when: {condition_text(rule)}")
        details.append(f"Citation: {rule.citation}")
        for detail in details:
            lines.extend(
                textwrap.wrap(detail, _WRAP, initial_indent=_INDENT, subsequent_indent=_INDENT + "  ")
            )
    shown = len(entries)
    lines.append("")
    lines.extend(
        textwrap.wrap(
            f"{shown} of {len(profile.rules)} rules count from the anchors given. Applies: always = every "
            "case; depends = only when the condition holds (give --fact to check it); yes / no = the "
            "facts given meet / rule out the condition.",
            _WRAP,
        )
    )
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = (
        "Print the deadlines a partnership's procedure gives for the anchor dates given "
        "(no case needed). Exit code 2 on bad input."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--partnership", required=True, metavar="SLUG", help="e.g. dorset")
        parser.add_argument(
            "--anchor",
            action="append",
            required=True,
            metavar="KEY=YYYY-MM-DD",
            help="An anchor date, e.g. became_aware=2025-04-16. Repeat for more anchors.",
        )
        parser.add_argument(
            "--fact",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="A fact that rules' conditions test, e.g. notification_decision=notify. Repeatable.",
        )
        parser.add_argument("--json", action="store_true", help="Print a JSON list of objects instead.")

    def handle(self, *args: Any, **options: Any) -> None:
        source = load_source(options["partnership"])
        anchors = parse_anchors(options["anchor"], source.profile)
        facts = parse_facts(options["fact"], source.profile)
        try:
            entries = timeline(source.profile, anchors, source.calendar, facts)
        except (CalendarRangeError, OverflowError) as exc:
            raise _fail(f"Cannot count from these dates: {exc}") from exc
        if options["json"]:
            self.stdout.write(json.dumps([entry_json(e) for e in entries], indent=2, ensure_ascii=False))
        else:
            self.stdout.write(render_table(source, anchors, facts, entries), ending="")
