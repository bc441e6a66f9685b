"""Data: the four fields of the movement and its periods (domain.md §4).

They are rows an administrator may edit, add to (e.g. "nông thôn mới") or retire.
"""

from django.db import migrations

FIELDS = [
    ("kinh-te", "Kinh tế", 1),
    ("van-hoa-xa-hoi", "Văn hóa – xã hội", 2),
    ("quoc-phong-an-ninh", "Quốc phòng – an ninh", 3),
    ("xay-dung-he-thong-chinh-tri", "Xây dựng hệ thống chính trị", 4),
]
PERIODS = [("2016–2020", 2016, 2020), ("2021–2025", 2021, 2025), ("2026–2030", 2026, 2030)]


def forwards(apps, schema_editor):
    Field = apps.get_model("movement", "Field")
    Period = apps.get_model("movement", "Period")
    for code, name, order in FIELDS:
        Field.objects.get_or_create(code=code, defaults={"name": name, "order": order})
    for name, start, end in PERIODS:
        Period.objects.get_or_create(name=name, defaults={"start_year": start, "end_year": end})


def backwards(apps, schema_editor):
    apps.get_model("movement", "Field").objects.filter(code__in=[f[0] for f in FIELDS]).delete()
    apps.get_model("movement", "Period").objects.filter(name__in=[p[0] for p in PERIODS]).delete()


class Migration(migrations.Migration):
    dependencies = [("movement", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
