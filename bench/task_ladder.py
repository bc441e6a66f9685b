"""Benchmark: the daily ladder for late tasks against one set-based UPDATE of the same rows.

Goal (issue 12, item 6, "Measured"): the escalation job over 10^6 open tasks takes at
most 2× one set-based UPDATE of the same rows, on SQLite and on PostgreSQL.

Run ``make bench`` (or ``.venv/bin/python bench/task_ladder.py``). For each backend the
script starts itself again in a subprocess with its own throwaway database (bench/
harness.py). In it, it migrates (the ladder's figures come from the seeded DutyRules:
remind 3, explain 5, escalate 5 unanswered / 15 overdue working days), loads the unit
tree and generates the open tasks of one commune with ONE ``INSERT … SELECT`` (a
recursive CTE on SQLite, ``generate_series`` on PostgreSQL, the same arithmetic on both;
the plain indexes dropped for the load and built again after it), due between 49 days
before and 10 days after a fixed "today" (Tue 1/7/2025), a quarter on each starting step
(none, reminded, urged, explanation requested — half of the last with an unanswered
request up to 15 days old), so that every step has rows to move and rows to leave.

It times, from identical starting states (before every timed run the moved rows are put
back, the events and the job's requests deleted, then VACUUM ANALYZE on PostgreSQL and a
WAL checkpoint on SQLite), the median of alternated runs of:

- ladder: ``danvan.directives.tasks.ladder.ladder_run(today=…)``, as the daily task
  calls it: one UPDATE of every rung with the INSERTs of the events and requests;
- reference: ONE ``UPDATE`` setting ``ladder_step`` (a CASE on the current step) and
  ``ladder_at`` WHERE the same qualifying condition (the four steps' conditions OR-ed).

After every run the end state (count and sum of ids per step) must be the same for
both, and the ladder must have written exactly one event per moved row. Prints the
times, the ratio and PASS/MISS against 2×; the exit status is 1 when a backend misses.

Measured on the development machine (10^6 tasks, 768,338 moved): PostgreSQL 1.46×
(7/12/2026). SQLite 2.1–2.35× until the ladder's transaction ran with the foreign keys
unchecked (ladder_run): each event and request looked its task up again, a third of the
inserts' time; then 1.89× PASS (7/12/2026: reference 5.4 s, ladder 10.3 s). What is left
on SQLite: listing the moving rows (0.7–1.4 s), the events (0.9–1.4 s) and requests
(0.3–0.4 s), the update by id (2.2–2.6 s) and the commit of the pages written (2.6 s). One
statement per rung instead of the single UPDATE was far worse (7.3× at 20,000 tasks: each
rung's rows lie on every page).

Options: ``--tasks N`` (default 1,000,000 on both backends: under a minute to generate
on either), ``--repeat N`` (default 3), ``--only sqlite|postgresql``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import harness

GOAL = 2.0
TODAY = dt.date(2025, 7, 1)  # a Tuesday, no holiday within 10 weeks before
TASK = "directive_tasks_task"
EVENT = "directive_tasks_taskevent"
EXPL = "directive_tasks_explanation"
BENCH_NOTE = "bench"

# Multiplicative hashing (Knuth) of the row number, as in bench/cases_sweep.py: spread
# evenly, the same on SQLite and PostgreSQL.
_H1 = "((n * 2654435761) % 4294967296)"


def _h2(col: str) -> str:
    return f"(({col} * 2246822519) % 4294967296)"


def _start_at(vendor: str, col: str) -> str:
    """The starting ladder_at of a row: none on the first step, yesterday on the next two,
    1–15 days ago on the request step."""
    return (
        f"CASE WHEN {col} % 4 = 0 THEN NULL"
        f" WHEN {col} % 4 = 3 THEN {_day_sql(vendor, f'-1 - {_h2(col)} % 15')}"
        f" ELSE {_day_sql(vendor, '-1')} END"
    )


def main_parent(args: argparse.Namespace) -> int:
    results = harness.on_each_backend(
        Path(__file__).resolve(),
        ["--tasks", str(args.tasks), "--repeat", str(args.repeat)],
        only=args.only,
        db_prefix="danvan_bench_ladder",
    )

    def report(r: dict[str, Any]) -> bool:
        ok = r["ratio"] <= GOAL
        print(
            f"{r['backend']:<11} {r['tasks']:>9,} tasks, {r['moved']:>9,} moved:"
            f" reference {r['reference_ms']:9.1f} ms, ladder {r['ladder_ms']:9.1f} ms,"
            f" ratio {r['ratio']:5.2f}  {'PASS' if ok else 'MISS'}"
        )
        return ok

    return harness.summary(results, f"ladder ≤ {GOAL}× one set-based UPDATE", report)


@contextlib.contextmanager
def _indexes_rebuilt(connection: Any, table: str) -> Iterator[None]:
    """Drop *table*'s plain indexes for the load, build them again after it."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s"
                " AND indexdef NOT LIKE %s",
                [table, "CREATE UNIQUE%"],
            )
        else:
            cur.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                " AND tbl_name = %s AND sql IS NOT NULL AND sql NOT LIKE %s",
                [table, "CREATE UNIQUE%"],
            )
        indexes = cur.fetchall()
        for name, _definition in indexes:
            cur.execute(f'DROP INDEX "{name}"')
    yield
    with connection.cursor() as cur:
        for _name, definition in indexes:
            cur.execute(definition)


def _start_step(col: str = "id") -> str:
    return (
        f"CASE {col} % 4 WHEN 0 THEN 'none' WHEN 1 THEN 'reminded' WHEN 2 THEN 'urged'"
        " ELSE 'explanation_requested' END"
    )


def generate(connection: Any, rows: int, *, lead_id: int, assigner_id: int) -> None:
    from django.db import transaction

    from danvan.directives.tasks.models import Explanation, Task

    vendor = connection.vendor
    if vendor == "postgresql":
        source = f"generate_series(1::bigint, {rows}::bigint) AS g(n)"
        prefix = f"WITH src AS (SELECT n FROM {source}) "
        public_id = "md5(n::text)::uuid"
        now = "now()"
    else:
        prefix = (
            f"WITH RECURSIVE gen(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM gen WHERE n < {rows}),"
            " src AS (SELECT n FROM gen) "
        )
        public_id = "printf('%032x', n)"
        now = "strftime('%Y-%m-%d %H:%M:%f', 'now')"

    values = {
        "id": "n",
        "created_at": now,
        "updated_at": now,
        "public_id": public_id,
        "plan_id": "NULL",
        "parent_id": "NULL",
        "root_id": "NULL",
        "assigner_unit_id": str(int(assigner_id)),
        "lead_unit_id": str(int(lead_id)),
        "title": "'Nhiệm vụ số ' || n",
        "description": "''",
        "deliverable": "'Báo cáo kết quả'",
        "due_on": _day_sql(vendor, f"10 - {_H1} % 60"),
        "due_working_days": "NULL",
        "due_from_event": "''",
        "due_from_date": "NULL",
        "source_kind": "'other'",
        "source_type_id": "NULL",
        "source_id": "NULL",
        "source_document_id": "NULL",
        "source_paragraph": "''",
        "source_anchor": "''",
        "state": "'open'",
        "submitted_on": "NULL",
        "completed_on": "NULL",
        "accepted_by_id": "NULL",
        "accepted_at": "NULL",
        "result_number": "''",
        "result_file": "''",
        "result_minutes": "''",
        "progress_percent": "0",
        "created_by_id": "NULL",
        "ladder_step": _start_step("n"),
        "ladder_at": _start_at(vendor, "n"),
    }
    columns = [f.column for f in Task._meta.concrete_fields]
    assert sorted(values) == sorted(columns), set(values) ^ set(columns)
    expl = {
        "created_at": now,
        "updated_at": now,
        "task_id": "id",
        "requested_at": now,
        "requested_by_id": "NULL",
        "request_note": f"'{BENCH_NOTE}'",
        "answered_at": "NULL",
        "answered_by_id": "NULL",
        "cause": "''",
        "remedy": "''",
        "proposed_due_on": "NULL",
        "decision": "''",
        "decided_at": "NULL",
        "decided_by_id": "NULL",
        "decision_note": "''",
    }
    assert sorted(["id", *expl]) == sorted(f.column for f in Explanation._meta.concrete_fields)
    with _indexes_rebuilt(connection, TASK), transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            f"{prefix}INSERT INTO {TASK} ({', '.join(values)})"
            f" SELECT {', '.join(values.values())} FROM src"
        )
        # Half the tasks on the request step have an unanswered request.
        cur.execute(
            f"INSERT INTO {EXPL} ({', '.join(expl)}) SELECT {', '.join(expl.values())}"
            f" FROM {TASK} WHERE id % 8 = 3"
        )
    with connection.cursor() as cur:
        if vendor == "postgresql":
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{TASK}', 'id'),"
                f" (SELECT max(id) FROM {TASK}))"
            )
            cur.execute(f"VACUUM ANALYZE {TASK}")
            cur.execute(f"VACUUM ANALYZE {EXPL}")
        else:
            cur.execute("ANALYZE")
            cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def main_child(backend: str, args: argparse.Namespace) -> int:
    step = harness.start_child()
    from django.db import connection, transaction

    from danvan.directives.tasks import ladder
    from danvan.legal.workdays import WorkCalendar
    from danvan.units.models import Unit, UnitKind

    vendor = connection.vendor
    commune = Unit.objects.filter(kind=UnitKind.COMMUNE, valid_to__isnull=True).order_by("code")[0]
    assert commune.parent_id is not None
    step(f"generating {args.tasks:,} open tasks of {commune.name}")
    generate(connection, args.tasks, lead_id=commune.pk, assigner_id=commune.parent_id)
    step("loaded and analyzed")

    calendar = WorkCalendar()
    rules = ladder.Rules.on(TODAY)
    b = ladder.Boundaries.compute(today=TODAY, rules=rules, calendar=calendar)
    d = connection.ops.adapt_datefield_value
    step(f"boundaries {b}")

    open_request = (
        f"EXISTS (SELECT 1 FROM {EXPL} WHERE {EXPL}.task_id = {TASK}.id"
        f" AND {EXPL}.answered_at IS NULL)"
    )
    reference_sql = (
        f"UPDATE {TASK} SET ladder_step = CASE ladder_step WHEN 'none' THEN 'reminded'"
        " WHEN 'reminded' THEN 'urged' WHEN 'urged' THEN 'explanation_requested'"
        " ELSE 'escalated' END, ladder_at = %s"
        " WHERE state = 'open' AND (ladder_at IS NULL OR ladder_at < %s) AND ("
        " (ladder_step = 'none' AND due_on <= %s)"
        " OR (ladder_step = 'reminded' AND due_on < %s)"
        f" OR (ladder_step = 'urged' AND due_on <= %s AND NOT {open_request})"
        " OR (ladder_step = 'explanation_requested' AND (due_on <= %s"
        f" OR (ladder_at <= %s AND {open_request}))))"
    )
    reference_params = [
        d(TODAY),
        d(TODAY),
        d(b.remind_until),
        d(TODAY),
        d(b.explain_by),
        d(b.escalate_due_by),
        d(b.escalate_asked_by),
    ]
    start_at = _start_at(vendor, "id")

    def reset() -> None:
        with connection.cursor() as cur:
            cur.execute(
                f"UPDATE {TASK} SET ladder_step = {_start_step()}, ladder_at = {start_at}"
                f" WHERE ladder_at = {_day_sql(vendor, '0')}"
            )
            cur.execute(f"DELETE FROM {EVENT}")
            cur.execute(f"DELETE FROM {EXPL} WHERE request_note <> '{BENCH_NOTE}'")
            if vendor == "postgresql":
                for table in (TASK, EVENT, EXPL):
                    cur.execute(f"VACUUM ANALYZE {table}")
            else:
                cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def state() -> dict[str, tuple[int, int]]:
        with connection.cursor() as cur:
            cur.execute(f"SELECT ladder_step, COUNT(*), SUM(id) FROM {TASK} GROUP BY ladder_step")
            return {s: (int(n), int(total)) for s, n, total in cur.fetchall()}

    def events() -> int:
        with connection.cursor() as cur:
            cur.execute(f"SELECT COUNT(*) FROM {EVENT}")
            return int(cur.fetchone()[0])

    def run_ladder() -> Any:
        result = ladder.ladder_run(today=TODAY, calendar=calendar)
        return (
            f"{result.reminded:,} reminded, {result.urged:,} urged,"
            f" {result.explanation_requested:,} asked, {result.escalated:,} escalated"
        )

    def reference() -> Any:
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(reference_sql, reference_params)
            return f"{cur.rowcount:,} rows"

    reset()
    start = state()
    step(f"starting steps {_fmt(start)}; timing")
    racers: dict[str, Callable[[], Any]] = {"reference": reference, "ladder": run_ladder}
    times: dict[str, list[float]] = {name: [] for name in racers}
    ends: dict[str, dict[str, tuple[int, int]]] = {}
    for round_ in range(args.repeat):
        order = list(racers) if round_ % 2 == 0 else list(reversed(racers))
        for name in order:
            reset()
            assert state() == start
            t0 = time.perf_counter()
            value = racers[name]()
            times[name].append((time.perf_counter() - t0) * 1000)
            end = state()
            if name in ends and ends[name] != end:
                raise AssertionError(f"{name} ends differently from run to run")
            ends[name] = end
            print(
                f"  round {round_ + 1}: {name:<9} {times[name][-1]:9.1f} ms   ({value})",
                flush=True,
            )
    if ends["ladder"] != ends["reference"]:
        raise AssertionError(
            f"the ladder ends in {_fmt(ends['ladder'])}, the reference in {_fmt(ends['reference'])}"
        )
    # One event per moved row: check on a last ladder run.
    reset()
    ladder.ladder_run(today=TODAY, calendar=calendar)
    with connection.cursor() as cur:
        cur.execute(f"SELECT COUNT(*) FROM {TASK} WHERE ladder_at = %s", [d(TODAY)])
        moved = int(cur.fetchone()[0])
    assert events() == moved, (events(), moved)
    median = {name: statistics.median(t) for name, t in times.items()}
    ratio = median["ladder"] / median["reference"]
    print(
        f"  median of {args.repeat}: reference {median['reference']:9.1f} ms"
        f"   ladder {median['ladder']:9.1f} ms   ratio {ratio:5.2f}"
        f"   end state (both) {_fmt(ends['ladder'])}; {moved:,} moved, as many events",
        flush=True,
    )
    print(f"\n{vendor}: {'PASS' if ratio <= GOAL else 'MISS'} (goal: ladder ≤ {GOAL}× reference)")
    harness.emit(
        {
            "backend": vendor,
            "status": "done",
            "tasks": args.tasks,
            "moved": moved,
            "reference_ms": median["reference"],
            "ladder_ms": median["ladder"],
            "ratio": ratio,
        }
    )
    return 0


def _day_sql(vendor: str, days: str) -> str:
    if vendor == "postgresql":
        return f"(DATE '{TODAY.isoformat()}' + ({days})::int)"
    return f"date('{TODAY.isoformat()}', ({days}) || ' days')"


def _fmt(state: dict[str, tuple[int, int]]) -> str:
    return ", ".join(f"{s}: {n:,}" for s, (n, _t) in sorted(state.items()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--tasks", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.child:
        return main_child(args.child, args)
    return main_parent(args)


if __name__ == "__main__":
    sys.exit(main())
