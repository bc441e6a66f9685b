"""Give the imports still checking or writing when this version is installed a durable
job record (danvan/jobs), so the reaper finds them: their worker is gone (the upgrade
restarted it), so each is recorded as running without a heartbeat since now, and the
reaper resumes it (or fails it, retryable) JOBS_STALE_SECONDS after the upgrade instead of leaving it "đang ghi
dữ liệu…" for ever. A data migration, apart from the schema one (0007)."""

from typing import Any

from django.db import migrations

TASKS = {
    "movement.import.validate": "danvan.movement.tasks.validate_import",
    "movement.import.run": "danvan.movement.tasks.run_import",
}


def record_running_imports(apps: Any, schema_editor: Any) -> None:
    ImportJob = apps.get_model("movement", "ImportJob")
    Job = apps.get_model("jobs", "Job")
    for pk, state in ImportJob.objects.filter(
        state__in=["pending", "validating", "importing"]
    ).values_list("pk", "state"):
        kind = "movement.import.run" if state == "importing" else "movement.import.validate"
        Job.objects.get_or_create(
            key=f"{kind}:{pk}",
            defaults={
                "kind": kind,
                "task": TASKS[kind],
                "args": [pk],
                "state": "running",
                "attempts": 1,
                "max_attempts": 2,
                "worker": "(trước khi nâng cấp)",
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("movement", "0007_import_job_retryable"),
        ("jobs", "0001_initial"),
    ]

    operations = [migrations.RunPython(record_running_imports, migrations.RunPython.noop)]
