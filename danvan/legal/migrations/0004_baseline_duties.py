"""Data: the recurring duties of domain.md §3 and §5, all marked checked there."""

import datetime as dt

from django.db import migrations

RECEPTION = "Luật Tiếp công dân 2013 (42/2013/QH13), trách nhiệm tiếp công dân của Chủ tịch UBND"
DIALOGUE = "Luật Tổ chức chính quyền địa phương 2025, Điều 43"

DUTIES = [
    ("reception_commune_chair", 1, "days_per_week", RECEPTION, dt.date(2014, 7, 1)),
    ("reception_province_chair", 1, "days_per_month", RECEPTION, dt.date(2014, 7, 1)),
    ("dialogue_announce", 7, "days_before", DIALOGUE, dt.date(2025, 6, 16)),
    ("dialogue_publish", 10, "days_after", DIALOGUE, dt.date(2025, 6, 16)),
]


def forwards(apps, schema_editor):
    DutyRule = apps.get_model("legal", "DutyRule")
    for duty, amount, measure, citation, since in DUTIES:
        DutyRule.objects.get_or_create(
            duty=duty,
            valid_from=since,
            defaults={"amount": amount, "measure": measure, "citation": citation},
        )


def backwards(apps, schema_editor):
    apps.get_model("legal", "DutyRule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("legal", "0003_duty_rules")]

    operations = [migrations.RunPython(forwards, backwards)]
