"""Benchmark the rapid review pack PDF (rapidreview.pack.render_pack_pdf) on PostgreSQL.

    make bench        (or: DJANGO_SETTINGS_MODULE=config.test_settings python bench/bench_pack.py)

Builds a scratch database of its own (created and dropped here) with a case whose rapid review has
8 agencies' authorised returns and 300 chronology rows between them, and times the render the
background task does. Baseline measured in the same run: 1 agency, 10 rows. Reported, never
enforced (the script always exits 0). The page stays responsive whatever this takes: the render
runs in the Celery task ``rapidreview.build_pack``.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid

from _common import add_project_to_path, best_of, print_measurement, verdict

add_project_to_path()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

TARGET_SECONDS = 30.0


def build(agencies: int, rows: int):
    from cases.models import Case, Referral
    from partnerships.models import Agency, Membership, Partnership, User
    from partnerships.profiles import read_seed_profile
    from partnerships.services import profile_install
    from rapidreview.models import AgencyReturn, ChronologyEntry, InformationRequest, RapidReview

    n = Partnership.objects.count()
    p = Partnership.objects.create(
        name=f"Benchshire {n}", slug=f"benchshire-{n}", reference_prefix=f"BE{chr(65 + n)}"
    )
    profile_install(partnership=p, data=read_seed_profile("dorset"), source="bench")
    p.refresh_from_db()
    bu = Agency.objects.create(partnership=p, name="Business unit", kind="other")
    user = User.objects.create_user(f"bench{n}@example.org", None, full_name="Bench person")
    Membership.objects.create(user=user, agency=bu, role="business_unit")
    case = Case.objects.create(partnership=p, reference=f"BEN-2026-{n:03d}", profile=p.profile)
    Referral.objects.create(
        partnership=p,
        agency=bu,
        referrer=user,
        status="acknowledged",
        form_variant="core",
        start_token=uuid.uuid4(),
        case=case,
        answers={"case_details": {"outline": "Synthetic outline. " * 40}},
    )
    review = RapidReview.objects.create(case=case, partnership=p, created_by=user)
    per_agency = rows // agencies
    long_text = "Synthetic agency narrative for benchmarking. " * 12
    for a in range(agencies):
        agency = Agency.objects.create(partnership=p, name=f"Bench agency {a + 1}", kind="health_provider")
        request = InformationRequest.objects.create(
            review=review,
            agency=agency,
            status="authorised",
            issued_by=user,
            period_from=dt.date(2022, 1, 1),
            period_to=dt.date(2025, 4, 16),
        )
        ret = AgencyReturn.objects.create(
            request=request,
            form_variant="dorset_app_b",
            author=user,
            authorised_by=user,
            authorised_at=timezone.now(),
            answers={"appb_summary": {"summary": long_text}, "appb_safety": {"actions": long_text}},
            section_state={"appb_summary": "completed"},
        )
        ChronologyEntry.objects.bulk_create(
            [
                ChronologyEntry(
                    agency_return=ret,
                    agency=agency,
                    review=review,
                    occurred_on=dt.date(2023, 1, 1) + dt.timedelta(days=(i * 37 + a * 11) % 800),
                    event=f"Key event {i} of agency {a + 1}: home visit, concerns discussed with the parent.",
                    people="Mother; child",
                    outcome="Advice given; follow-up booked.",
                    position=i,
                )
                for i in range(per_agency)
            ]
        )
    return review


def main() -> None:
    from rapidreview.pack import render_pack_pdf

    creation = connection.creation
    connection.settings_dict.setdefault("TEST", {})["NAME"] = f"bench_pack_{os.getpid()}"
    old_name = creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        small = build(1, 10)
        big = build(8, 300)
        render_pack_pdf(small)  # pays WeasyPrint's one-off import and font set-up outside the timings
        t_small, (pdf_small, pages_small) = best_of(lambda: render_pack_pdf(small), repeat=2)
        t_big, (pdf_big, pages_big) = best_of(lambda: render_pack_pdf(big), repeat=2)
    finally:
        creation.destroy_test_db(old_name, verbosity=0)
    print("Rapid review pack PDF (WeasyPrint), rendered as the background task does")
    print_measurement(
        "baseline: 1 agency, 10 chronology rows", t_small, f"{pages_small} pages, {len(pdf_small) // 1024} KB"
    )
    print_measurement(
        "8 agencies, 300 chronology rows", t_big, f"{pages_big} pages, {len(pdf_big) // 1024} KB"
    )
    print(f"ratio big/baseline: {t_big / t_small:.1f}x for {pages_big / max(pages_small, 1):.1f}x the pages")
    print(
        f"target: 8 agencies / 300 rows in under {TARGET_SECONDS:.0f} s in the task ........ {verdict(t_big < TARGET_SECONDS)}"
    )


if __name__ == "__main__":
    main()
