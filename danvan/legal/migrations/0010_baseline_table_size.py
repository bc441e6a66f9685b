"""Data: the size of the text of tables and captions in the two layouts of domain.md §6b.

Decree 30/2020/NĐ-CP, Appendix I, sets no size for the text of a table; 12 pt is the size
State bodies commonly use for tables and annexes (two points under the body). The Party
guidance (05-HD/VPTW, to verify) is read the same way until checked: 12 pt, under the
body's 14.
"""

from django.db import migrations

SIZES = {"state": 12, "party": 12}


def forwards(apps, schema_editor):
    DocumentLayout = apps.get_model("legal", "DocumentLayout")
    for family, size in SIZES.items():
        DocumentLayout.objects.filter(family=family).update(table_size=size)


def backwards(apps, schema_editor):
    # The column goes with the schema migration before this one; nothing to undo.
    pass


class Migration(migrations.Migration):
    dependencies = [("legal", "0009_layout_table_size")]

    operations = [migrations.RunPython(forwards, backwards)]
