"""The referral as a PDF (cases/pdf.py over templates/cases/pdf/referral.html): a real PDF, marked
CONFIDENTIAL on every page, with the typed answers, HTML and script printed as text; only people who
may see the referral can download it, and every download is recorded."""

from __future__ import annotations

import re
import shutil
import subprocess
import uuid

import pytest
from django.urls import reverse

from audit.models import AccessEvent
from cases.models import Referral
from cases.referral_form import form_spec
from cases.services import referral_authorise, referral_save_section, referral_submit
from core.forms.spec import Field, Table
from core.forms.summary import answers_summary
from partnerships.roles import Role
from tests.cases.helpers import VALID

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs pdftotext (poppler-utils)")

TEXT_KINDS = {"text", "longtext", "phone", "email"}


def pdf_url(referral: Referral) -> str:
    return reverse("referral_pdf", args=[referral.partnership.slug, referral.pk])


def pages_of(pdf: bytes, tmp_path) -> list[str]:
    """The text of each page, as pdftotext extracts it in reading order (each table cell's lines
    together; pages are separated by form feeds)."""
    path = tmp_path / f"{uuid.uuid4()}.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True)
    pages = out.stdout.split("\f")
    return [p for p in pages if p.strip()]


def page_count(pdf: bytes, tmp_path) -> int:
    path = tmp_path / f"{uuid.uuid4()}.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def marker(n: int) -> str:
    # Short enough for the shortest text field (the Ofsted reference number, 20 characters).
    return f"<script>{n}</script>"


def markup_everywhere(referral: Referral) -> dict[str, str]:
    """Every text field of every section the referrer fills (and the first row of every table)
    gets its own piece of markup; the rest of each section is answered validly. Returns where each
    marker went."""
    spec = form_spec(referral.partnership.profile.data)
    placed: dict[str, str] = {}
    n = 0
    for section in spec.referrer_sections:
        raw = dict(VALID.get(section.key, {}))
        for item in section.items:
            if isinstance(item, Table):
                raw[f"{item.name}-rows"] = 1
                for col in item.columns:
                    if col.kind in TEXT_KINDS:
                        n += 1
                        raw[f"{item.name}-0-{col.name}"] = placed.setdefault(
                            f"{section.key}.{item.name}.{col.name}", marker(n)
                        )
            elif isinstance(item, Field) and item.kind in TEXT_KINDS:
                n += 1
                raw[item.name] = placed.setdefault(f"{section.key}.{item.name}", marker(n))
        referral_save_section(
            referral=referral, by=referral.referrer, section_key=section.key, raw=raw, complete=True
        )
    return placed


@pytest.mark.django_db
def test_pdf_is_confidential_on_every_page_and_prints_markup_as_text(client, people, draft, tmp_path):
    placed = markup_everywhere(draft)
    # A long outline, so the referral runs over several pages.
    outline = "A synthetic outline of the incident. " * 130
    referral_save_section(
        referral=draft,
        by=people.practitioner,
        section_key="case_details",
        raw={**VALID["case_details"], "outline": outline.strip()},
        complete=True,
    )
    placed.pop("case_details.outline")
    client.force_login(people.practitioner)
    response = client.get(pdf_url(draft))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="referral-{draft.pk}.pdf"'
    pdf = response.content
    assert pdf.startswith(b"%PDF-")

    pages = pages_of(pdf, tmp_path)
    assert len(pages) == page_count(pdf, tmp_path) >= 3
    for number, text in enumerate(pages, start=1):
        assert text.count("CONFIDENTIAL") >= 2, f"page {number} is not marked at top and bottom"
        assert f"Page {number} of {len(pages)}" in text

    # The answers, without the running header and footer (a long answer runs across pages).
    body = "".join(
        re.sub(
            r"CONFIDENTIAL( – do not share without the partnership's authorisation)?|Page \d+ of \d+", "", p
        )
        for p in pages
    )
    everything = squeeze(body)
    assert len(placed) >= 30  # 38 in the Darlington form
    missing = {where: m for where, m in placed.items() if m not in everything}
    assert not missing, f"markup not printed literally: {missing}"
    # The other answers, in words: choices by their labels, dates written out, the long outline whole.
    for typed in (
        "A serious incident that I think meets the criteria for notification",
        "14 April 2025",  # date of the incident
        "2 June 2019",  # the child's date of birth
        "Physical abuse",
        "Not looked after",
        outline.strip(),
    ):
        assert squeeze(typed) in everything, typed


@pytest.mark.django_db
def test_markup_in_the_pdf_source_is_escaped(people, draft):
    """The HTML WeasyPrint renders carries the typed markup escaped (so no tag in an answer can
    reach the layout engine, not even one pdftotext would not show)."""
    from django.template.loader import render_to_string
    from django.utils import timezone

    markup_everywhere(draft)
    draft.refresh_from_db()
    sections, _errors = answers_summary(
        form_spec(draft.partnership.profile.data), draft.partnership, draft.answers
    )
    html = render_to_string(
        "cases/pdf/referral.html", {"referral": draft, "sections": sections, "generated": timezone.now()}
    )
    assert "&lt;script&gt;1&lt;/script&gt;" in html
    assert "<script>" not in html


@pytest.mark.django_db
def test_invalid_draft_still_prints_what_was_typed(client, people, draft, tmp_path):
    """A draft with errors prints its answers as typed (nothing is lost on paper either)."""
    raw = {**VALID["child"], "first_name": "", "last_name": "Typed-Surname", "date_of_birth_year": "2999"}
    referral_save_section(
        referral=draft, by=people.practitioner, section_key="child", raw=raw, complete=False
    )
    client.force_login(people.practitioner)
    text = squeeze("".join(pages_of(client.get(pdf_url(draft)).content, tmp_path)))
    assert "Typed-Surname" in text


def _authorised(referral, people):
    for section in form_spec(referral.partnership.profile.data).referrer_sections:
        referral_save_section(
            referral=referral,
            by=people.practitioner,
            section_key=section.key,
            raw=dict(VALID.get(section.key, {})),
            complete=True,
        )
    referral_submit(referral=referral, by=people.practitioner)
    referral.refresh_from_db()
    assert referral.status == Referral.Status.AWAITING_AUTHORISATION
    return referral


@pytest.mark.django_db
def test_only_people_who_may_see_the_referral_can_download_it(client, world, people, draft):
    def status(user) -> int:
        client.force_login(user)
        return client.get(pdf_url(draft)).status_code

    downloads = AccessEvent.objects.filter(kind="download", object_id=str(draft.pk))
    colleague = world.user(Role.PRACTITIONER)  # same agency as the referrer
    # A draft: the referrer alone.
    assert status(people.practitioner) == 200
    assert [status(u) for u in (colleague, people.lead, people.other_lead, people.bu, people.outsider)] == [
        404
    ] * 5
    assert downloads.count() == 1
    # Submitted: the same agency's lead too; another agency's lead and the business unit still not.
    _authorised(draft, people)
    assert status(people.lead) == 200
    assert [status(u) for u in (colleague, people.other_lead, people.bu, people.outsider)] == [404] * 4
    # With the business unit: partnership-wide roles too, never the other agency's lead or outsiders.
    referral_authorise(referral=draft, by=people.lead, raw={"officer": "A Lead"})
    assert status(people.bu) == 200 and status(people.la_rep) == 200
    assert [status(u) for u in (colleague, people.other_lead, people.outsider)] == [404] * 3
    # Through the other partnership's path the referral does not exist either.
    client.force_login(people.outsider)
    assert client.get(reverse("referral_pdf", args=["otherton", draft.pk])).status_code == 404
    client.logout()
    assert client.get(pdf_url(draft)).status_code == 302


@pytest.mark.django_db
def test_each_download_writes_an_access_event(client, people, draft):
    client.force_login(people.practitioner)
    client.get(pdf_url(draft))
    client.get(pdf_url(draft))
    events = AccessEvent.objects.filter(kind="download", object_id=str(draft.pk)).order_by("at", "id")
    assert events.count() == 2
    assert {e.user_id for e in events} == {people.practitioner.pk}
    assert all(e.partnership_id == draft.partnership_id and e.detail == "Referral PDF" for e in events)
    # A refused download writes nothing (it did not happen).
    client.force_login(people.other_lead)
    assert client.get(pdf_url(draft)).status_code == 404
    assert AccessEvent.objects.filter(kind="download", object_id=str(draft.pk)).count() == 2
