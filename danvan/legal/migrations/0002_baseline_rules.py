"""Data: the deadline rules in force before Law 136/2025/QH15 (domain.md §5).

Checked rules carry to_verify=False; those marked [to verify] in domain.md carry
to_verify=True so administrators see them flagged. Whether a calendar-day deadline
that falls on a day off moves to the next working day is itself to be verified per
rule (domain.md §5); each such rule says so in its note.
"""

import datetime as dt

from django.db import migrations

COMPLAINTS = "Luật Khiếu nại 2011 (02/2011/QH13)"
DENUNCIATIONS = "Luật Tố cáo 2018 (25/2018/QH14)"
ROLL_NOTE = "Lùi sang ngày làm việc kế tiếp khi rơi vào ngày nghỉ: cần đối chiếu."
COMPLAINTS_FROM = dt.date(2012, 7, 1)
DENUNCIATIONS_FROM = dt.date(2019, 1, 1)

# (case_kind, action, round, complex, remote, days, day_kind, max_ext, citation, to_verify, from)
RULES = [
    ("complaint", "limitation", 1, False, False, 90, "calendar", 0,
     f"{COMPLAINTS}, Điều 9", False, COMPLAINTS_FROM),
    ("complaint", "accept", 1, False, False, 10, "calendar", 0,
     f"{COMPLAINTS}, Điều 27", False, COMPLAINTS_FROM),
    ("complaint", "accept", 2, False, False, 10, "calendar", 0,
     f"{COMPLAINTS}, Điều 36", False, COMPLAINTS_FROM),
    ("complaint", "resolve", 1, False, False, 30, "calendar", 0,
     f"{COMPLAINTS}, Điều 28", False, COMPLAINTS_FROM),
    ("complaint", "resolve", 1, True, False, 45, "calendar", 0,
     f"{COMPLAINTS}, Điều 28", False, COMPLAINTS_FROM),
    ("complaint", "resolve", 1, False, True, 45, "calendar", 0,
     f"{COMPLAINTS}, Điều 28", False, COMPLAINTS_FROM),
    ("complaint", "resolve", 1, True, True, 60, "calendar", 0,
     f"{COMPLAINTS}, Điều 28", False, COMPLAINTS_FROM),
    ("complaint", "resolve", 2, False, False, 45, "calendar", 0,
     f"{COMPLAINTS}, Điều 37", False, COMPLAINTS_FROM),
    ("complaint", "resolve", 2, True, False, 60, "calendar", 0,
     f"{COMPLAINTS}, Điều 37", False, COMPLAINTS_FROM),
    ("complaint", "resolve", 2, False, True, 60, "calendar", 0,
     f"{COMPLAINTS}, Điều 37", False, COMPLAINTS_FROM),
    ("complaint", "resolve", 2, True, True, 70, "calendar", 0,
     f"{COMPLAINTS}, Điều 37", False, COMPLAINTS_FROM),
    ("denunciation", "resolve", 0, False, False, 30, "calendar", 0,
     f"{DENUNCIATIONS}, Điều 30 khoản 1", False, DENUNCIATIONS_FROM),
    ("denunciation", "extend", 0, False, False, 30, "calendar", 2,
     f"{DENUNCIATIONS}, Điều 30 khoản 1 (phức tạp: 1 lần; đặc biệt phức tạp: 2 lần)",
     False, DENUNCIATIONS_FROM),
    ("denunciation", "accept", 0, False, False, 7, "working", 0,
     f"{DENUNCIATIONS}, Điều 29", True, DENUNCIATIONS_FROM),
    ("letter", "classify", 0, False, False, 10, "working", 0,
     "Thông tư 05/2021/TT-TTCP", True, dt.date(2021, 10, 1)),
    ("feedback", "resolve", 0, False, False, 15, "working", 0,
     "Giá trị mẫu, cấu hình theo kênh tiếp nhận", True, dt.date(2012, 7, 1)),
    ("petition", "resolve", 0, False, False, 15, "working", 0,
     "Giá trị mẫu, cấu hình theo kênh tiếp nhận", True, dt.date(2012, 7, 1)),
]  # fmt: skip


def forwards(apps, schema_editor):
    DeadlineRule = apps.get_model("legal", "DeadlineRule")
    for kind, action, rnd, cplx, remote, days, day_kind, max_ext, cit, verify, since in RULES:
        DeadlineRule.objects.get_or_create(
            case_kind=kind,
            action=action,
            round=rnd,
            complex=cplx,
            remote=remote,
            valid_from=since,
            defaults={
                "days": days,
                "day_kind": day_kind,
                "max_extensions": max_ext,
                "citation": cit,
                "to_verify": verify,
                "roll_to_working_day": True,
                "note": ROLL_NOTE if day_kind == "calendar" else "",
            },
        )


def backwards(apps, schema_editor):
    apps.get_model("legal", "DeadlineRule").objects.filter(created_by__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("legal", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
