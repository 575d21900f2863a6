"""Safe spreadsheet output: the one way every CSV (and any future XLSX) export writes its cells.

A cell a spreadsheet would read as a formula (typed text starting ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return) gets a leading apostrophe, so Excel and LibreOffice show it as text instead of
running it (OWASP "CSV injection"). The audit trail sits at the bottom of the dependency order, so
every app may import this module."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """The cell as written: text that would start a formula is prefixed with ``'``; numbers,
    dates and other non-text values are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """CSV text line by line (for a StreamingHttpResponse), every cell passed through
    ``spreadsheet_safe``."""
    writer = csv.writer(_Echo())
    yield writer.writerow([spreadsheet_safe(c) for c in header])
    for row in rows:
        yield writer.writerow([spreadsheet_safe(c) for c in row])
