"""``python manage.py export_case SLUG REFERENCE --by EMAIL --reason TEXT --output FILE.zip``: the whole
case (records, files, audit trail) for a subject access request or a transfer between partnerships.
Only a partnership administrator of the case's partnership may export it; the export is recorded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404

from cases.models import Case
from partnerships.access import access_partnership_for_admin
from partnerships.models import User
from reporting.case_export import case_export_zip


class Command(BaseCommand):
    help = "Export one whole case (records, files, audit trail) for a subject access request or transfer."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="The partnership's short name, e.g. darlington")
        parser.add_argument("reference", help="The case reference, e.g. DAR-2026-001")
        parser.add_argument("--by", required=True, help="E-mail address of the partnership administrator")
        parser.add_argument("--reason", required=True, help="Why, e.g. the subject access request's number")
        parser.add_argument("--output", required=True, help="The ZIP file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["reason"].strip():
            raise CommandError("Give the reason for the export (e.g. the subject access request number).")
        user = User.objects.filter(email__iexact=options["by"], is_active=True).first()
        try:
            if user is None:
                raise PermissionDenied
            standing = access_partnership_for_admin(user, options["slug"])
        except (PermissionDenied, Http404):
            raise CommandError(
                "Only a partnership administrator of that partnership can export its cases."
            ) from None
        case = Case.objects.filter(partnership=standing.partnership, reference=options["reference"]).first()
        if case is None:
            raise CommandError("That partnership has no case with that reference.")
        output = Path(options["output"])
        output.write_bytes(case_export_zip(case=case, by=user, reason=options["reason"].strip()))
        output.chmod(0o600)
        self.stdout.write(f"Case {case.reference} exported to {output}.")
