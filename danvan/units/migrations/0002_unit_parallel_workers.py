"""Let PostgreSQL split "everything under a unit" among parallel workers.

A subtree selection (``policies.subtree_q``: rows joined to their unit, the unit's path
in a range) runs as a nested loop: the units of the subtree, each looked up in the row
table's ``unit_id`` index. PostgreSQL hands a loop to parallel workers only through its
outer scan, and it never scans a table smaller than ``min_parallel_table_scan_size``
(8 MB) in parallel unless the table says how many workers to use: the unit table is
about 1 MB, so the loop over a province's 10^6 rows ran in one process, 1.6–2x slower
than the same count on an indexed column, which the planner does run in parallel
(bench/subtree.py, issue 10). With ``parallel_workers`` set, the planner may split the
units among workers; it still weighs the cost, so small queries stay serial (a Gather
costs ``parallel_setup_cost``, 1000, far more than a look-up of a few units).

PostgreSQL only: SQLite has no parallel query.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

# An upper bound: the planner uses at most max_parallel_workers_per_gather (2 by default).
WORKERS = 4


def set_workers(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE units_unit SET (parallel_workers = {WORKERS})")


def reset_workers(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE units_unit RESET (parallel_workers)")


class Migration(migrations.Migration):
    dependencies = [("units", "0001_initial")]

    operations = [migrations.RunPython(set_workers, reset_workers, elidable=False)]
