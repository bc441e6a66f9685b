"""Data: a table indicator in the shipped templates, "Mô hình đăng ký theo lĩnh vực".

Issue 13 asks for "numbers and small tables"; the half-year and annual reviews of
domain.md §8 give the models registered by field (kinh tế, văn hóa – xã hội, quốc phòng –
an ninh, xây dựng hệ thống chính trị). The table is computed by the query
"movement_registered_by_field" (reports.queries): one row per field of the movement,
adding up to "Mô hình, điển hình đăng ký trong kỳ". It is recounted over the parent's
subtree when reports are rolled up, like the figure it details.

It goes into the section on the movement, right after the movement's figures (the later
indicators move down one place). A template that already has the code (an
administrator added it) is left as it is. Reversible: the rows removed, the order given
back.
"""

from django.db import migrations

REGIMES = (
    "nd09-6-thang-dan-chu-co-so",
    "nd09-nam-dan-chu-co-so",
    "dang-so-ket-6-thang-dan-chu-dan-van-kheo",
)
CODE = "mo-hinh-theo-linh-vuc"
AFTER = "mo-hinh-tieu-bieu"
SECTION_OF = "mo-hinh-dang-ky"  # the table sits in the section of the figures it details
FIELDS = {
    "code": CODE,
    "label": "Mô hình đăng ký theo lĩnh vực",
    "unit_of_measure": "mô hình",
    "kind": "table",
    "source": "computed",
    "query": "movement_registered_by_field",
    "aggregation": "recompute",
    "rows": "",
    "allow_negative": False,
    "outlier_pct": None,
}


def forwards(apps, schema_editor):
    ReportTemplate = apps.get_model("reports", "ReportTemplate")
    Indicator = apps.get_model("reports", "Indicator")
    for template in ReportTemplate.objects.filter(regime__code__in=REGIMES, version=1):
        indicators = Indicator.objects.filter(template=template)
        if indicators.filter(code=CODE).exists():
            continue
        after = indicators.filter(code=AFTER).first()
        if after is not None:
            order = after.order + 1
            for later in indicators.filter(order__gte=order).order_by("-order"):
                later.order += 1
                later.save(update_fields=["order"])
        else:
            order = max(indicators.values_list("order", flat=True), default=0) + 1
        detailed = indicators.filter(code=SECTION_OF).first()
        Indicator.objects.create(
            template=template,
            section_id=detailed.section_id if detailed is not None else None,
            order=order,
            **FIELDS,
        )


def backwards(apps, schema_editor):
    # Raw deletes, the rules comparing the table first (as 0002's backwards: the deletion
    # collector compares historical model classes that differ when unapplying).
    Indicator = apps.get_model("reports", "Indicator")
    ValidationRule = apps.get_model("reports", "ValidationRule")
    alias = schema_editor.connection.alias
    for table in Indicator.objects.filter(
        template__regime__code__in=REGIMES, template__version=1, code=CODE
    ):
        later = list(
            Indicator.objects.filter(template_id=table.template_id, order__gt=table.order)
        )
        ValidationRule.objects.filter(left_id=table.pk)._raw_delete(alias)
        ValidationRule.objects.filter(right_id=table.pk)._raw_delete(alias)
        Indicator.objects.filter(pk=table.pk)._raw_delete(alias)
        for indicator in sorted(later, key=lambda i: i.order):
            indicator.order -= 1
            indicator.save(update_fields=["order"])


class Migration(migrations.Migration):
    dependencies = [("reports", "0004_indicator_rows")]

    operations = [migrations.RunPython(forwards, backwards)]
