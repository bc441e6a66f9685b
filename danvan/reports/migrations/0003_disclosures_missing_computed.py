"""The seeded templates' "mandatory contents not disclosed" figure, computed.

0002 seeded it as typed by the units, since no query counted it then; the query
"disclosures_missing" (reports.queries) now counts what the compliance board counts
(Law 10/2022/QH15, Điều 11–13). Only a row still as seeded changes: an administrator's
own change to it is kept. Reversible.
"""

from django.db import migrations

CODE = "cong-khai-chua-thuc-hien"
COMPUTED = {
    "source": "computed",
    "query": "disclosures_missing",
    "aggregation": "recompute",
    "outlier_pct": 50,
}
MANUAL = {"source": "manual", "query": "", "aggregation": "sum", "outlier_pct": None}


def forwards(apps, schema_editor):
    Indicator = apps.get_model("reports", "Indicator")
    Indicator.objects.filter(code=CODE, source="manual", query="").update(**COMPUTED)


def backwards(apps, schema_editor):
    Indicator = apps.get_model("reports", "Indicator")
    Indicator.objects.filter(code=CODE, source="computed", query="disclosures_missing").update(
        **MANUAL
    )


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_seed_regimes")]

    operations = [migrations.RunPython(forwards, backwards)]
