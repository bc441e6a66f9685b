"""Data: the figures of the ladder for late tasks (domain.md §9), in working days.

Provinces set these in their own rules on following up tasks; the figures below are a
common practice to be checked against the province's rule (to_verify) and changed by a
new effective-dated DutyRule, never in code.
"""

import datetime as dt

from django.db import migrations

CITATION = "Quy chế theo dõi, đôn đốc nhiệm vụ của tỉnh (thực tiễn các tỉnh) [to verify]"
SINCE = dt.date(2020, 1, 1)

RULES = [
    # Remind the lead unit this many working days before the due date.
    ("task_remind", 3, "days_before"),
    # Request an explanation once the task is this many working days overdue.
    ("task_explain", 5, "days_after"),
    # Escalate when the request is this many working days old without an answer ...
    ("task_escalate_unanswered", 5, "days_after"),
    # ... or when the task is this many working days overdue.
    ("task_escalate_overdue", 15, "days_after"),
]


def forwards(apps, schema_editor):
    DutyRule = apps.get_model("legal", "DutyRule")
    for duty, amount, measure in RULES:
        DutyRule.objects.get_or_create(
            duty=duty,
            valid_from=SINCE,
            defaults={
                "amount": amount,
                "measure": measure,
                "citation": CITATION,
                "to_verify": True,
            },
        )


def backwards(apps, schema_editor):
    DutyRule = apps.get_model("legal", "DutyRule")
    DutyRule.objects.filter(duty__in=[duty for duty, _amount, _measure in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("legal", "0007_task_ladder_duties")]

    operations = [migrations.RunPython(forwards, backwards)]
