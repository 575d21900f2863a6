"""The dashboard's table rows as HTML, built here rather than by a template loop.

The page is the business unit's home and is read far more often than any other; a template loop
resolving some twenty variables for each of fifty rows was the largest single cost of the page
(docs/adr/0016-dashboard-speed.md). The markup is exactly what the loop in
templates/reporting/dashboard.html wrote (GOV.UK table classes, the visually hidden "of <reference>"
on the timeline link); every value is escaped by ``format_html``, as the template escaped it."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.dateformat import format as date_format
from django.utils.html import format_html, format_html_join
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


def _deadline_cells(r: DashboardRow) -> SafeString:
    v = r.view
    if v is None:
        return _NO_DEADLINE
    d = v.deadline
    return format_html(
        _DEADLINE,
        label=d.label,
        kind=v.kind_label,
        due=date_format(d.due, "j F Y"),
        position=v.position,
        br=mark_safe("<br>") if v.position and v.remaining_text else "",
        remaining=v.remaining_text,
    )


def row_html(r: DashboardRow) -> SafeString:
    status, tag = r.status_label, r.tag_class
    referred = (
        format_html(" · referred by {}", format_html_join(", ", "{}", ((a,) for a in r.agencies)))
        if r.agencies
        else ""
    )
    return format_html(
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
    return mark_safe("".join(row_html(r) for r in rows))  # noqa: S308 - each row built by format_html
