"""Data: the legal figures of people's supervision (domain.md §3).

Figures marked [checked] there carry to_verify=False; the enterprise and agency
conference figures, marked [to verify], carry to_verify=True so administrators see them
flagged until they are checked against the official texts.
"""

import datetime as dt

from django.db import migrations

LAW = "Luật Thực hiện dân chủ ở cơ sở 2022 (10/2022/QH15)"
LAW_DECREE = f"{LAW}; Nghị định 59/2023/NĐ-CP"
LABOUR = "Bộ luật Lao động 2019, Điều 63; Nghị định 145/2020/NĐ-CP"
LAW_IN_FORCE = dt.date(2023, 7, 1)
DECREE_145 = dt.date(2021, 2, 1)

RULES = [
    # (code, amount, citation, to_verify, valid_from)
    ("inspection_min_members", 5, f"{LAW}, Ban Thanh tra nhân dân", False, LAW_IN_FORCE),
    ("inspection_members_per_village", 1, f"{LAW}, Ban Thanh tra nhân dân", False, LAW_IN_FORCE),
    (
        "investment_max_representatives",
        5,
        f"{LAW}, Ban Giám sát đầu tư của cộng đồng",
        False,
        LAW_IN_FORCE,
    ),
    (
        "investment_max_deputies",
        2,
        f"{LAW}, Ban Giám sát đầu tư của cộng đồng",
        False,
        LAW_IN_FORCE,
    ),
    (
        "plan_notice_working_days",
        5,
        f"{LAW_DECREE}, kế hoạch kiểm tra, giám sát",
        False,
        LAW_IN_FORCE,
    ),
    ("workplace_dialogues_per_year", 1, LABOUR, True, DECREE_145),
    ("workplace_dialogue_min_per_side", 3, LABOUR, True, DECREE_145),
    (
        "staff_conferences_per_year",
        1,
        f"{LAW}, hội nghị cán bộ, công chức, viên chức",
        True,
        LAW_IN_FORCE,
    ),
    ("workers_conferences_per_year", 1, f"{LAW}; Nghị định 145/2020/NĐ-CP", True, LAW_IN_FORCE),
]


def forwards(apps, schema_editor):
    SupervisionRule = apps.get_model("supervision", "SupervisionRule")
    for code, amount, citation, to_verify, since in RULES:
        SupervisionRule.objects.get_or_create(
            code=code,
            valid_from=since,
            defaults={"amount": amount, "citation": citation, "to_verify": to_verify},
        )


def backwards(apps, schema_editor):
    SupervisionRule = apps.get_model("supervision", "SupervisionRule")
    for code, _amount, _citation, _to_verify, since in RULES:
        SupervisionRule.objects.filter(code=code, valid_from=since).delete()


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
