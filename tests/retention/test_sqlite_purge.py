"""The embedded default (SQLite): a closed case with a signed sign-off request is deleted whole by the
retention purge too. SQLite has no triggers on the signed tables (only the ORM guards, which refuse a
delete through the ORM and which the purge's primary-key deletes do not use), so nothing needs to
be let through; the ORM guards still refuse anyone else. Runs the real embedded settings in a
subprocess (no DATABASE_URL) against a fresh SQLite file, as tests/security/test_sqlite_embedded.py."""

from __future__ import annotations

from tests.security.test_sqlite_embedded import _manage

PROBE = """
import datetime as dt
from django.utils import timezone
from cases.models import Case
from cases.services import case_open
from partnerships.models import AgencyKind
from partnerships.profiles import read_seed_profile
from partnerships.roles import Role
from partnerships.services import profile_install
from retention.models import ReviewItem
from retention.services import confirm_deletion, queue_due_reviews
from signoffs.models import Signature, SignoffRequest
from signoffs.reauth import ReauthInfo
from signoffs.services import signoff_request_create, signoff_sign
from tests.factories import AgencyFactory, PartnershipFactory, StatutoryPartnerFactory, member

p = PartnershipFactory(name="Probe Partnership", slug="probe", reference_prefix="PRB")
profile_install(partnership=p, data=read_seed_profile("dorset"), source="probe")
p.refresh_from_db()
unit = AgencyFactory(partnership=p, name="Probe business unit", kind=AgencyKind.OTHER)
la = StatutoryPartnerFactory(partnership=p, name="Probe Council", kind=AgencyKind.LOCAL_AUTHORITY)
bu = member(Role.BUSINESS_UNIT, unit)
rep = member(Role.PARTNER_REP, la)
case = case_open(partnership=p, by=None, facts={})
request = signoff_request_create(partnership=p, record_type="cases.case", record_id=case.pk,
    content={"decision": "Local review"}, title="Decision", by=bu)
signoff_sign(request_id=request.pk, by=rep, agency_id=la.pk, decision="agree", comment="",
    reauth=ReauthInfo(method="password", at=timezone.now()))
try:
    SignoffRequest.objects.filter(pk=request.pk).delete()
    print("ORM-DELETE ALLOWED")
except PermissionError:
    print("ORM-DELETE REFUSED")
Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - dt.timedelta(days=365 * 30))
queue_due_reviews()
item = ReviewItem.objects.get(case=case)
tombstone = confirm_deletion(item=item, reason="Past its date", by=bu)
print("CASE", Case.objects.filter(pk=case.pk).exists())
print("REQUEST", SignoffRequest.objects.filter(pk=request.pk).exists())
print("SIGNATURES", Signature.objects.filter(request_id=request.pk).count())
print("TOMBSTONE", tombstone.records.get("signoffs.signoffrequest"), tombstone.records.get("signoffs.signature"))
"""


def test_the_embedded_default_purges_a_case_with_signed_records(tmp_path):
    migrated = _manage(tmp_path, "migrate", "--noinput")
    assert migrated.returncode == 0, migrated.stderr
    probe = _manage(tmp_path, "shell", "-c", PROBE)
    assert probe.returncode == 0, probe.stderr
    out = probe.stdout.splitlines()
    assert "ORM-DELETE REFUSED" in out, probe.stdout
    assert {"CASE False", "REQUEST False", "SIGNATURES 0", "TOMBSTONE 1 1"} <= set(out), probe.stdout
    verified = _manage(tmp_path, "verify_audit")
    assert verified.returncode == 0, verified.stderr
