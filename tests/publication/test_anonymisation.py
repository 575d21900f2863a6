"""The anonymisation check (issue 12; coverage A9): the report's text (DOCX or PDF) scanned for the
names, dates of birth, addresses and school recorded on the case, and practitioners' names where the
profile requires (Dorset); each hit in context, fixed (a new version) or accepted with a reason."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import Referral
from publication import samples
from publication.anonymise import Scanner, Term, date_spellings
from publication.errors import PublicationError
from publication.extract import Unreadable, docx_text, pdf_text, text_of
from publication.models import AnonymisationHit
from publication.services.anonymisation import (
    anonymisation_accept,
    anonymisation_run,
    extra_term_add,
    open_hits,
    referral_terms,
)
from publication.services.approval import approval_new_version
from tests.publication.helpers import a_report, docx_upload
from tests.states import a_case_in_its_practice_review

# -- pure -----------------------------------------------------------------------------------------


def test_text_comes_out_of_docx_runs_and_pdf_streams():
    assert docx_text(samples.docx(["Sam Example went to school."])) == "Sam Example went to school."
    text = pdf_text(samples.pdf([["Sam (Example) went", "to school"], ["Page two"]]))
    assert text.splitlines() == ["Sam (Example) went", "to school", "Page two"]
    with pytest.raises(Unreadable):
        text_of(b"GIF89a not a report")
    with pytest.raises(Unreadable):
        docx_text(b"PK\x03\x04 broken")


def test_a_word_file_with_a_dtd_is_refused_not_expanded():
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("word/document.xml", '<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>')
    with pytest.raises(Unreadable, match="document type definition"):
        docx_text(out.getvalue())


def test_the_scanner_finds_each_term_in_context_longest_first_and_whole_words_only():
    scanner = Scanner(
        [Term("child", "The child's name", "Sam"), Term("child", "The child's full name", "Sam Example")]
    )
    hits = scanner.scan("We met Sam  Example at home. Samantha is someone else. SAM said no.")
    assert [(h.label, h.found) for h in hits] == [
        ("The child's full name", "Sam  Example"),
        ("The child's name", "SAM"),
    ]
    assert hits[0].before == "We met" and hits[0].after.startswith("at home.")


def test_dates_of_birth_are_found_in_the_spellings_reports_use():
    born = dt.date(2019, 6, 2)
    scanner = Scanner([Term("date_of_birth", "The child's date of birth", s) for s in date_spellings(born)])
    text = "born 2 June 2019; DOB 02/06/2019; also 2nd June 2019 and 2019-06-02 but not 12 June 2019"
    assert [h.found for h in scanner.scan(text)] == [
        "2 June 2019",
        "02/06/2019",
        "2nd June 2019",
        "2019-06-02",
    ]


def test_referral_answers_give_names_dates_addresses_and_school():
    answers = {
        "child": {
            "first_name": "Sam",
            "last_name": "Example",
            "date_of_birth_day": "2",
            "date_of_birth_month": "6",
            "date_of_birth_year": "2019",
            "home_address": "12 Acacia Road, Testtown, TE1 2ST",
        },
        "parents": {"parents-rows": "1", "parents-0-first_name": "Alex", "parents-0-last_name": "Sample"},
        "others": {"others-0-name": "Jo Bloggs"},
        "education": {"establishment": "Example Primary School"},
    }
    found = {(t.category, t.text) for t in referral_terms(answers)}
    assert {("child", "Sam"), ("child", "Example"), ("child", "Sam Example")} <= found
    assert ("date_of_birth", "2 June 2019") in found
    assert ("address", "12 Acacia Road") in found and ("address", "TE1 2ST") in found
    assert ("family", "Alex Sample") in found and ("family", "Jo Bloggs") in found
    assert ("school", "Example Primary School") in found


# -- with the case --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_hits_are_fixed_by_a_new_version_or_accepted_with_a_reason_dorset_includes_practitioners(
    world, people, profiled_as
):
    case = a_case_in_its_practice_review(world, people, profiled_as, "dorset").case
    referral = Referral.objects.get(case=case)
    practitioner = referral.referrer.full_name
    document = a_report(
        case,
        people,
        [
            "Overview.",
            "Sam went to Example Primary School every day.",
            f"The health visitor, {practitioner}, visited twice.",
            "The family lived in a flat.",
        ],
    )
    check = anonymisation_run(document=document, by=people.bu)
    labels = {h.label for h in check.hits.all()}
    assert "The child's name" in labels
    assert "A practitioner's full name" in labels  # Dorset: "including practitioners"
    assert open_hits(check.version) == check.hits.count() > 0
    # Fixed: the author anonymises the report and adds the new version, which is checked again.
    v2 = approval_new_version(
        document=document,
        by=people.bu,
        uploaded=docx_upload(
            ["Overview.", "Child A went to school every day.", "The health visitor visited."]
        ),
        note="Anonymised",
    )
    assert open_hits(v2) is None  # a new version is unchecked until checked
    again = anonymisation_run(document=document, by=people.bu)
    assert again.version == v2 and again.hits.count() == 0 and open_hits(v2) == 0


@pytest.mark.django_db
def test_accepting_a_hit_needs_a_reason_and_extra_names_are_looked_for(world, people, profiled_as):
    case = a_case_in_its_practice_review(world, people, profiled_as, "darlington").case
    document = a_report(case, people, ["An Example of good practice was found.", "Dr Rivers Lake advised."])
    check = anonymisation_run(document=document, by=people.bu)
    [hit] = check.hits.all()
    assert hit.found == "Example" and hit.before == "An" and hit.after.startswith("of good practice")
    with pytest.raises(PublicationError, match="Enter why"):
        anonymisation_accept(hit=hit, by=people.bu, reason="  ")
    anonymisation_accept(hit=hit, by=people.bu, reason="The ordinary word 'example', not the family's name.")
    assert open_hits(check.version) == 0
    extra_term_add(case=case, by=people.bu, category="family", text="Rivers Lake")
    again = anonymisation_run(document=document, by=people.bu)
    assert {h.found for h in again.hits.all()} >= {"Rivers Lake"}
    assert again.hits.filter(resolution=AnonymisationHit.Resolution.OPEN).count() >= 1


@pytest.mark.django_db
def test_a_pdf_report_is_checked_and_an_unreadable_one_is_refused(world, people, profiled_as):
    from documents.services import add_version

    case = a_case_in_its_practice_review(world, people, profiled_as, "north-east-lincolnshire").case
    document = a_report(case, people)
    add_version(
        document=document,
        by=people.bu,
        uploaded=SimpleUploadedFile("report.pdf", samples.pdf([["Sam was seen at home."]])),
        note="As PDF",
    )
    check = anonymisation_run(document=document, by=people.bu)
    assert [h.found for h in check.hits.all()] == ["Sam"]
    scanned = b"%PDF-1.4\n" + b"1 0 obj << /Length 3 /Filter /DCTDecode >>\nstream\nxyz\nendstream\n" * 200
    add_version(
        document=document, by=people.bu, uploaded=SimpleUploadedFile("scan.pdf", scanned), note="Scan"
    )
    with pytest.raises(PublicationError, match="No text could be read"):
        anonymisation_run(document=document, by=people.bu)
