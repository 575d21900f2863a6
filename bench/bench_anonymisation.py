"""Benchmark the anonymisation check (``publication``) on a generated 100-page report.

    python bench/bench_anonymisation.py

Prints, for a DOCX and a PDF of the same 100-page synthetic report (names planted on a few pages),
the time to extract its text alone next to the time of the whole check (extract, build the terms'
expression, scan, collect every hit in context). Target (reported, never enforced -- the script
always exits 0): the whole check within 2 seconds, and the scan adding no more than the extraction.
"""

from __future__ import annotations

import os

from _common import add_project_to_path, best_of, print_measurement, verdict

add_project_to_path()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from publication import samples  # noqa: E402
from publication.anonymise import Scanner, name_terms  # noqa: E402
from publication.extract import text_of  # noqa: E402
from publication.services.anonymisation import referral_terms  # noqa: E402

PAGES = 100
TARGET_SECONDS = 2.0
ANSWERS = {
    "child": {
        "first_name": "Robin",
        "middle_names": "Jay",
        "last_name": "Testperson",
        "date_of_birth_day": "2",
        "date_of_birth_month": "6",
        "date_of_birth_year": "2019",
        "home_address": "12 Acacia Road, Testtown, TE1 2ST",
    },
    "parents": {
        "parents-rows": "2",
        "parents-0-first_name": "Alex",
        "parents-0-last_name": "Testperson",
        "parents-0-date_of_birth_day": "9",
        "parents-0-date_of_birth_month": "3",
        "parents-0-date_of_birth_year": "1990",
        "parents-1-first_name": "Jordan",
        "parents-1-last_name": "Otherperson",
    },
    "siblings": {"siblings-0-first_name": "Casey", "siblings-0-last_name": "Testperson"},
    "others": {"others-0-name": "Morgan Sampleton", "others-0-address": "4 Elm Close, Testtown TE2 9XY"},
    "education": {"establishment": "Testtown Primary School"},
}
PRACTITIONERS = ["Dana Whitfield", "Lee Harrowgate", "Sam Pettifer", "Kit Lomond"]
PLANTED = {
    3: "Robin was seen by Dana Whitfield at Testtown Primary School on 2 June 2019.",
    47: "The family moved to 12 Acacia Road in the spring.",
    98: "Morgan Sampleton was not known to agencies.",
}


def main() -> None:
    terms = referral_terms(ANSWERS)
    for name in PRACTITIONERS:
        terms += name_terms("practitioner", "A practitioner", name.split())
    paragraphs = samples.report_paragraphs(PAGES, planted=PLANTED)
    docx = samples.docx(paragraphs)
    lines_per_page = [[p for p in chunk if p != "##PAGE"] for chunk in _pages(paragraphs)]
    pdf = samples.pdf([_wrap(page) for page in lines_per_page])
    print(
        f"Report: {PAGES} pages; DOCX {len(docx) // 1024} KB, PDF {len(pdf) // 1024} KB; {len(terms)} terms"
    )
    for label, data in (("DOCX", docx), ("PDF", pdf)):
        extract_s, text = best_of(lambda d=data: text_of(d), repeat=5)

        def whole(d: bytes = data) -> int:
            return len(Scanner(terms).scan(text_of(d)))

        check_s, hits = best_of(whole, repeat=5)
        scan_s, _ = best_of(lambda t=text: Scanner(terms).scan(t), repeat=5)
        print_measurement(f"{label}: extract the text alone ({len(text):,} characters)", extract_s)
        print_measurement(f"{label}: scan the extracted text alone", scan_s)
        print_measurement(
            f"{label}: whole anonymisation check ({hits} hits)",
            check_s,
            f"{verdict(check_s <= TARGET_SECONDS and scan_s <= max(extract_s, 0.1))} "
            f"(target <= {TARGET_SECONDS:.0f} s, scan no slower than extraction or 100 ms)",
        )


def _pages(paragraphs: list[str]) -> list[list[str]]:
    pages: list[list[str]] = [[]]
    for p in paragraphs:
        if p == "##PAGE":
            pages.append([])
        else:
            pages[-1].append(p)
    return [p for p in pages if p]


def _wrap(page: list[str], width: int = 95) -> list[str]:
    lines: list[str] = []
    for para in page:
        words, line = para.split(), ""
        for w in words:
            if len(line) + len(w) + 1 > width:
                lines.append(line)
                line = w
            else:
                line = f"{line} {w}".strip()
        if line:
            lines.append(line)
    return lines


if __name__ == "__main__":
    main()
