"""The anonymisation check: what to look for (built from what the case records) and where it is in
the report's text. Pure Python, no Django.

Each ``Term`` is a literal (names, an address's first line and postcode, a school, a date of birth in
the spellings reports use); all terms go into one case-insensitive regular expression with word
boundaries, longest first, so a 100-page report is scanned in one pass."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

CONTEXT = 60
MIN_LENGTH = 2
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.I)
MONTHS = [
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
]


@dataclass(frozen=True)
class Term:
    category: str  # child, family, address, school, date_of_birth, practitioner
    label: str  # in words: "The child's first name"
    text: str


@dataclass(frozen=True)
class Hit:
    category: str
    label: str
    found: str
    before: str
    after: str
    position: int


def normalise(text: str) -> str:
    """NFKC, curly apostrophes straight, non-breaking spaces as spaces."""
    text = unicodedata.normalize("NFKC", text)
    return text.replace("\u2019", "'").replace("\u2018", "'").replace("\u00a0", " ")


def _key(text: str) -> str:
    return " ".join(normalise(text).casefold().split())


def date_spellings(d: dt.date) -> list[str]:
    month = MONTHS[d.month - 1]
    day = d.day
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return [
        f"{day} {month} {d.year}",
        f"{day}{suffix} {month} {d.year}",
        f"{day} {month[:3]} {d.year}",
        f"{month} {day}, {d.year}",
        f"{day:02d}/{d.month:02d}/{d.year}",
        f"{day}/{d.month}/{d.year}",
        f"{day:02d}.{d.month:02d}.{d.year}",
        f"{day:02d}-{d.month:02d}-{d.year}",
        f"{day:02d}/{d.month:02d}/{d.year % 100:02d}",
        d.isoformat(),
    ]


def name_terms(category: str, who: str, parts: Iterable[str]) -> list[Term]:
    """The full name and each part of it on its own (a surname alone identifies a family)."""
    words = [w for p in parts if p for w in p.split()]
    terms: list[Term] = []
    if len(words) > 1:
        terms.append(Term(category, f"{who}'s full name", " ".join(words)))
    for word in words:
        if len(word) >= MIN_LENGTH:
            terms.append(Term(category, f"{who}'s name", word))
    return terms


def address_terms(category: str, who: str, address: str) -> list[Term]:
    """The first line of an address (house and street) and its postcode."""
    address = (address or "").strip()
    if not address:
        return []
    terms: list[Term] = []
    first = re.split(r"[,\n]", address)[0].strip()
    if len(first) >= 4 and not POSTCODE.fullmatch(first):
        terms.append(Term(category, f"{who}'s address", first))
    for code in POSTCODE.findall(address):
        terms.append(Term(category, f"{who}'s postcode", code.upper()))
    return terms


def _pattern(text: str) -> str:
    parts = [re.escape(p) for p in normalise(text).split()]
    body = r"\s+".join(parts)
    # Word boundaries only where the term starts or ends with a word character.
    start = r"(?<!\w)" if re.match(r"\w", text) else ""
    end = r"(?!\w)" if re.search(r"\w$", text) else ""
    return f"{start}{body}{end}"


class Scanner:
    """Built once per set of terms; ``scan(text)`` returns every hit in order.

    One pass over the words of the text (``\\w+``, in C): a word that starts some term (case-folded)
    is tried against that term's expression at that place, longest term first; a hit skips the words
    it covers. A hundred-page report is a few tens of thousands of words, so the scan costs about as
    much as reading the file."""

    WORD = re.compile(r"\w+")

    def __init__(self, terms: Iterable[Term]) -> None:
        self.by_key: dict[str, Term] = {}
        for term in terms:
            text = " ".join(normalise(term.text).split())
            if len(text) < MIN_LENGTH or not self.WORD.search(text):
                continue
            # One label per spelling: the first (the most specific source) wins.
            self.by_key.setdefault(_key(text), Term(term.category, term.label, text))
        self.starts: dict[str, list[tuple[re.Pattern[str], Term]]] = {}
        for term in sorted(self.by_key.values(), key=lambda t: -len(t.text)):
            first = self.WORD.search(term.text)
            assert first is not None
            compiled = re.compile(_pattern(term.text), re.IGNORECASE)
            self.starts.setdefault(first.group().casefold(), []).append((compiled, term))

    @property
    def count(self) -> int:
        return len(self.by_key)

    def scan(self, text: str, *, limit: int = 2000) -> list[Hit]:
        text = normalise(text)
        hits: list[Hit] = []
        covered = 0
        starts = self.starts
        for word in self.WORD.finditer(text):
            at = word.start()
            if at < covered:
                continue
            candidates = starts.get(word.group().casefold())
            if not candidates:
                continue
            for compiled, term in candidates:
                m = compiled.match(text, at)
                if m is None:
                    continue
                before = " ".join(text[max(0, at - CONTEXT) : at].split())
                after = " ".join(text[m.end() : m.end() + CONTEXT].split())
                hits.append(Hit(term.category, term.label, m.group(), before[-CONTEXT:], after[:CONTEXT], at))
                covered = m.end()
                break
            if len(hits) >= limit:
                break
        return hits
