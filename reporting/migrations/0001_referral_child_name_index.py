"""The index behind ``cases.referral_services.possible_duplicates`` (issue 15 measured the duplicate
check comparing every referral of the partnership in Python on each acknowledgement): the
partnership and the child's normalised last name. Created here, with the expression cases defines,
so that the cases app's own migrations are left to it."""

from typing import Any

from django.db import migrations


def forwards(apps: Any, schema_editor: Any) -> None:
    from cases.referral_services import REFERRAL_CHILD_NAME_INDEX

    schema_editor.add_index(apps.get_model("cases", "Referral"), REFERRAL_CHILD_NAME_INDEX)


def backwards(apps: Any, schema_editor: Any) -> None:
    from cases.referral_services import REFERRAL_CHILD_NAME_INDEX

    schema_editor.remove_index(apps.get_model("cases", "Referral"), REFERRAL_CHILD_NAME_INDEX)


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_case_stage_default")]

    operations = [migrations.RunPython(forwards, backwards)]
