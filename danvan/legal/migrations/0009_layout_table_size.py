from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("legal", "0008_task_ladder_rules")]

    operations = [
        migrations.AddField(
            model_name="documentlayout",
            name="table_size",
            field=models.PositiveSmallIntegerField(default=12, verbose_name="cỡ chữ bảng biểu (pt)"),
        ),
    ]
