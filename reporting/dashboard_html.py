"""The dashboard's table rows as HTML, built here rather than by a template loop.

The page is the business unit's home and is read far more often than any other; a template loop
resolving some twenty variables for each of fifty rows was the largest single cost of the page
(docs/adr/0011-dashboard-speed.md). The markup is exactly what the loop in
templates/reporting/dashboard.html wrote (GOV.UK table classes, the visually hidden "of <reference>"
on the timeline link); every value is escaped as the template escaped it."""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from reporting.dashboard import DashboardRow

_CASE = (
    '\n        <tr class="govuk-table__row">\n'
    '          <td class="govuk-table__cell"><a class="govuk-link" href="{url}">{reference}</a>\n'
    '            <div class="govuk-body-s app-muted">{kind}{referred}</div>\n'
    '            <a class="govuk-link govuk-body-s" href="{url}#timeline">Timeline<span class="govuk-visually-hidden">'
    " of {reference}</span></a></td>\n"
    '          <td class="govuk-table__cell">{stage}</td>\n'
    "          {deadline}\n"
    '          <td class="govuk-table__cell"><strong class="govuk-tag {tag}">{status}</strong></td>\n'
    '          <td class="govuk-table__cell">{who}</td>\n'
    "        </tr>\n      "
)
_DEADLINE = (
    '\n          <td class="govuk-table__cell">{label}<div class="govuk-body-s app-muted">{kind} · due {due}</div></td>\n'
    '          <td class="govuk-table__cell">{position}{br}<span class="govuk-body-s">{remaining}</span></td>\n'
    "          "
)
_NO_DEADLINE = mark_safe(
    '\n          <td class="govuk-table__cell">No open deadline</td><td class="govuk-table__cell"></td>\n          '
)


# The service is in English (LANGUAGE_CODE en-gb): month names as Django's "F" writes them, without
# its per-call translation lookups (a fifth of the rows' cost).
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _e(value: Any) -> str:
    """``django.utils.html.conditional_escape`` without its lazy-string wrapper (a tenth of the rows'
    cost): markup marked safe as it is, anything else escaped as Django escapes it."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


def _format(template: str, **values: Any) -> SafeString:
    """``format_html`` with every value escaped by ``_e``."""
    return mark_safe(template.format(**{k: _e(v) for k, v in values.items()}))  # noqa: S308 - escaped


def _deadline_cells(r: DashboardRow) -> SafeString:
    v = r.view
    if v is None:
        return _NO_DEADLINE
    d = v.deadline
    return _format(
        _DEADLINE,
        label=d.label,
        kind=v.kind_label,
        due=f"{d.due.day} {_MONTHS[d.due.month - 1]} {d.due.year}",  # as date_format(d.due, "j F Y")
        position=v.position,
        br=mark_safe("<br>") if v.position and v.remaining_text else "",
        remaining=v.remaining_text,
    )


def row_html(r: DashboardRow) -> SafeString:
    status, tag = r.status_label, r.tag_class
    referred = (
        mark_safe(" · referred by " + ", ".join(_e(a) for a in r.agencies))  # noqa: S308 - escaped
        if r.agencies
        else ""
    )
    return _format(
        _CASE,
        url=r.url,
        reference=r.case.reference,
        kind=r.case.get_kind_display(),
        referred=referred,
        stage=r.stage_label,
        deadline=_deadline_cells(r),
        tag=tag,
        status=status,
        who=r.who,
    )


def rows_html(rows: Iterable[DashboardRow]) -> SafeString:
    return mark_safe("".join(row_html(r) for r in rows))  # noqa: S308 - each row escaped by _format
