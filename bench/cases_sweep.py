"""Benchmark: the daily overdue sweep against one hand-written SQL UPDATE.

Goal (cases, "Measured: the sweep"): the overdue sweep over 10^6 open cases finishes in
at most 3x the time of one hand-written SQL update over the same rows, on SQLite and on
PostgreSQL.

Run ``make bench`` (or ``.venv/bin/python bench/cases_sweep.py``). For each backend the
script starts itself again in a subprocess with its own throwaway database (a temporary
SQLite file; a fresh PostgreSQL database ``danvan_bench_cases_<pid>`` on the server named
by ``BENCH_POSTGRES_URL``, dropped afterwards, skipped when no server answers). In it, it
migrates, loads the real unit tree and generates the cases with ONE ``INSERT … SELECT``
(a recursive CTE on SQLite, ``generate_series`` on PostgreSQL; the same arithmetic on
both, so both hold the same rows; the plain indexes are dropped for the load and built
again after it): 1,000,000 open cases ("received" or "accepted") of one commune, due
around a fixed "today" (2025-07-01): about 10% overdue by 1–120 days, 6% due within the
``CASES_DUE_SOON_DAYS`` window, the rest later. Then ``ANALYZE``.

It times, from identical starting states (before every timed run the ``alert`` column is
set back to the scenario's starting state; on PostgreSQL the table is then vacuumed, on
SQLite the WAL checkpointed), the median of several alternated runs of:

- sweep: ``danvan.cases.alerts.sweep_deadlines(today=…)``, as the daily task calls it;
- reference: ONE ``UPDATE cases_case SET alert = CASE WHEN due_date < today THEN
  'overdue' WHEN due_date <= soon THEN 'due_soon' ELSE '' END WHERE is_open``.

in two scenarios, both judged:

- ``first sweep``: every alert empty (the first run, or after a bulk import);
- ``next day``: the alerts as yesterday's sweep left them, plus a stale "overdue" on
  every hundredth case due later (extended since), which the sweep must clear.

After every run the end state is checked: the alerts (count and sum of ids per alert
value) after the sweep must be exactly those after the reference. Prints the times, the
ratios, PASS/FAIL against 3x and the query plans of the sweep's UPDATEs; the exit status
is 1 when a backend fails.

``generate_cases`` is shared with ``bench/cases_queue.py``.

Options: ``--rows N`` (default 1,000,000), ``--repeat N`` (default 3),
``--only sqlite|postgresql``.
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

GOAL = 3.0
TODAY = dt.date(2025, 7, 1)
TABLE = "cases_case"

# Multiplicative hashing (Knuth) of the row number: deterministic, evenly spread, and
# computed alike by SQLite and PostgreSQL (64-bit integers, no overflow for n ≤ 10^9).
_H1 = "((n * 2654435761) % 4294967296)"
_H2 = "((n * 2246822519) % 4294967296)"
_H3 = "((n * 3266489917) % 4294967296)"

# --------------------------------------------------------------------------- parent


def main_parent(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    results = harness.on_each_backend(
        Path(__file__).resolve(),
        ["--rows", str(args.rows), "--repeat", str(args.repeat)],
        only=args.only,
        db_prefix="danvan_bench_cases",
    )
    print(f"\n=== Kết quả / Summary (goal: sweep ≤ {GOAL}× one hand-written UPDATE) ===")
    header = (
        f"{'database':<11} {'scenario':<12} {'rows':>9} {'reference ms':>13}"
        f" {'sweep ms':>10} {'ratio':>6}  result"
    )
    print(header)
    print("-" * len(header))
    failed = False
    for r in results:
        if r["status"] == "done":
            for m in r["measures"]:
                verdict = "PASS" if m["ratio"] <= GOAL else "FAIL"
                failed |= verdict == "FAIL"
                print(
                    f"{r['backend']:<11} {m['scenario']:<12} {r['rows']:>9,}"
                    f" {m['reference_ms']:>13.1f} {m['sweep_ms']:>10.1f} {m['ratio']:>6.2f}"
                    f"  {verdict}"
                )
            print(f"{r['backend']:<11} end states identical to the reference: yes")
        elif r["status"] == "skipped":
            print(f"{r['backend']:<11} skipped: {r.get('detail', '')}")
        else:
            failed = True
            print(f"{r['backend']:<11} ERROR: {r.get('detail', '')}")
    print(f"{'PASS' if not failed else 'FAIL'} (total {time.perf_counter() - started:.0f} s)")
    return 1 if failed else 0


# --------------------------------------------------------------------------- shared


def generate_cases(
    connection: Any, rows: int, *, unit_id: int, handler_id: int | None, today: dt.date
) -> None:
    """Fill cases_case with *rows* open cases of *unit_id* (handled by *handler_id*) in one
    INSERT … SELECT, the plain indexes dropped for the load and built again after it."""
    from django.conf import settings
    from django.db import transaction

    from danvan.cases.models import KINDS, Channel

    vendor = connection.vendor
    soon = settings.CASES_DUE_SOON_DAYS
    kinds = [k.value for k in KINDS]
    channels = [c.value for c in Channel]

    def pick(values: list[str], hashed: str) -> str:
        whens = " ".join(f"WHEN {i} THEN '{v}'" for i, v in enumerate(values))
        return f"CASE ({hashed} % {len(values)}) {whens} END"

    # Days from today: 10% overdue by 1–120 days, 6% due within the due-soon window
    # (0..soon days), the rest later (up to 90 days after the window).
    bucket = f"({_H1} % 1000)"
    offset = (
        f"CASE WHEN {bucket} < 100 THEN -1 - {_H2} % 120"
        f" WHEN {bucket} < 160 THEN {_H2} % {soon + 1}"
        f" ELSE {soon + 1} + {_H2} % 90 END"
    )
    # Received 0–29 days ago, or that long before the due date when it has passed.
    received = f"(-({_H3} % 30) - CASE WHEN off < 0 THEN -off ELSE 0 END)"
    if vendor == "postgresql":
        source = f"generate_series(1::bigint, {rows}::bigint) AS g(n)"
        public_id = "md5(n::text)::uuid"
        now = "now()"

        def day(days: str) -> str:
            return f"(DATE '{today.isoformat()}' + ({days})::int)"

        prefix = f"WITH src AS (SELECT n, {offset} AS off FROM {source}) "
    else:
        public_id = "printf('%032x', n)"
        now = "strftime('%Y-%m-%d %H:%M:%f', 'now')"

        def day(days: str) -> str:
            return f"date('{today.isoformat()}', ({days}) || ' days')"

        prefix = (
            f"WITH RECURSIVE gen(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM gen WHERE n < {rows}),"
            f" src AS (SELECT n, {offset} AS off FROM gen) "
        )
    handler = "NULL" if handler_id is None else str(int(handler_id))
    values = {
        "created_at": now,
        "updated_at": now,
        "public_id": public_id,
        "lookup_code": "'BENCH' || n",
        "reference": "''",
        "unit_id": str(int(unit_id)),
        "kind": pick(kinds, _H3),
        "round": "0",
        "complex": "FALSE",
        "remote": "FALSE",
        "complexity": "0",
        "channel": pick(channels, _H2),
        "status": f"CASE WHEN {_H3} % 3 = 0 THEN 'received' ELSE 'accepted' END",
        "is_open": "TRUE",
        "subject": "'Phản ánh số ' || n",
        "content": "'Nội dung vụ việc số ' || n || ' (dữ liệu đo hiệu năng).'",
        "alias": "'NG-' || n",
        "received_on": day(received),
        "due_date": day("off"),
        "rule_id": "NULL",
        "paused_days": "0",
        "alert": "''",
        "handler_id": handler,
        "refusal_reason": "''",
        "result_summary": "''",
        "decision_number": "''",
        "public_answer": "''",
        "version": "1",
        "address": "''",
    }
    columns = ", ".join(values)
    select = ", ".join(values.values())
    # The indexes are built again after the commit (PostgreSQL checks the deferred
    # foreign keys at commit, and refuses CREATE INDEX while those checks are pending).
    with _indexes_rebuilt(connection), transaction.atomic(), connection.cursor() as cur:
        cur.execute(f"{prefix}INSERT INTO {TABLE} ({columns}) SELECT {select} FROM src")
    with connection.cursor() as cur:
        if vendor == "postgresql":
            cur.execute(f"VACUUM ANALYZE {TABLE}")
        else:
            cur.execute("ANALYZE")
            cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")


@contextlib.contextmanager
def _indexes_rebuilt(connection: Any) -> Iterator[None]:
    """Drop cases_case's plain indexes for the load and build them again after it: one
    bulk build is much faster than maintaining them row by row. The schema ends up exactly
    as the migrations made it (unique indexes stay throughout)."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s"
                " AND indexdef NOT LIKE %s",
                [TABLE, "CREATE UNIQUE%"],
            )
        else:
            cur.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                " AND tbl_name = %s AND sql IS NOT NULL AND sql NOT LIKE %s",
                [TABLE, "CREATE UNIQUE%"],
            )
        indexes = cur.fetchall()
        for name, _definition in indexes:
            cur.execute(f'DROP INDEX "{name}"')
    yield
    with connection.cursor() as cur:
        for _name, definition in indexes:
            cur.execute(definition)


# --------------------------------------------------------------------------- child


def _alert_sql(today: str, soon: str) -> str:
    return (
        f"CASE WHEN due_date < {today} THEN 'overdue'"
        f" WHEN due_date <= {soon} THEN 'due_soon' ELSE '' END"
    )


REFERENCE_SQL = f"UPDATE {TABLE} SET alert = {_alert_sql('%s', '%s')} WHERE is_open"


def main_child(backend: str, args: argparse.Namespace) -> int:
    step = harness.start_child()
    from django.conf import settings
    from django.db import connection, transaction

    from danvan.cases.alerts import sweep_deadlines
    from danvan.units.models import Unit, UnitKind

    vendor = connection.vendor
    soon_days = settings.CASES_DUE_SOON_DAYS
    commune = Unit.objects.filter(kind=UnitKind.COMMUNE, valid_to__isnull=True).order_by("code")[0]
    step(f"generating {args.rows:,} open cases in {commune.name}")
    generate_cases(connection, args.rows, unit_id=commune.pk, handler_id=None, today=TODAY)
    step("loaded and analyzed")

    def d(day: dt.date) -> Any:
        return connection.ops.adapt_datefield_value(day)

    def literal(day: dt.date) -> str:
        return f"DATE '{day.isoformat()}'" if vendor == "postgresql" else f"'{day.isoformat()}'"

    yesterday = TODAY - dt.timedelta(days=1)
    soon = TODAY + dt.timedelta(days=soon_days)
    # Each scenario's starting state of the alert column, as an expression of the row.
    starts = {
        "first sweep": "''",
        "next day": (
            f"CASE WHEN due_date < {literal(yesterday)} THEN 'overdue'"
            f" WHEN due_date <= {literal(yesterday + dt.timedelta(days=soon_days))}"
            " THEN 'due_soon' WHEN id % 100 = 0 THEN 'overdue' ELSE '' END"
        ),
    }

    def reset(start: str) -> None:
        with connection.cursor() as cur:
            cur.execute(f"UPDATE {TABLE} SET alert = {start} WHERE alert <> {start}")
            if vendor == "postgresql":
                cur.execute(f"VACUUM ANALYZE {TABLE}")
            else:
                cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def state() -> dict[str, tuple[int, int]]:
        with connection.cursor() as cur:
            cur.execute(f"SELECT alert, COUNT(*), SUM(id) FROM {TABLE} GROUP BY alert")
            return {alert: (int(n), int(s)) for alert, n, s in cur.fetchall()}

    def sweep() -> Any:
        return sweep_deadlines(today=TODAY)

    def reference() -> Any:
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(REFERENCE_SQL, [d(TODAY), d(soon)])
            return cur.rowcount

    racers: dict[str, Callable[[], Any]] = {"reference": reference, "sweep": sweep}
    measures = []
    for scenario, start in starts.items():
        reset(start)
        before = state()
        step(f"{scenario}: starting alerts {_fmt(before)}; timing")
        times: dict[str, list[float]] = {name: [] for name in racers}
        ends: dict[str, dict[str, tuple[int, int]]] = {}
        for round_ in range(args.repeat):
            # Alternated, so a noisy neighbour or a warming cache hurts both alike.
            order = list(racers) if round_ % 2 == 0 else list(reversed(racers))
            for name in order:
                reset(start)
                t0 = time.perf_counter()
                value = racers[name]()
                times[name].append((time.perf_counter() - t0) * 1000)
                end = state()
                if name in ends and ends[name] != end:
                    raise AssertionError(f"{scenario}: {name} ends differently from run to run")
                ends[name] = end
                print(
                    f"  {scenario:<12} round {round_ + 1}: {name:<9} {times[name][-1]:8.1f} ms"
                    f"   ({value})",
                    flush=True,
                )
        if ends["sweep"] != ends["reference"]:
            raise AssertionError(
                f"{scenario}: the sweep ends in {_fmt(ends['sweep'])},"
                f" the reference in {_fmt(ends['reference'])}"
            )
        median = {name: statistics.median(t) for name, t in times.items()}
        ratio = median["sweep"] / median["reference"]
        measures.append(
            {
                "scenario": scenario,
                "reference_ms": median["reference"],
                "sweep_ms": median["sweep"],
                "ratio": ratio,
                "end": _fmt(ends["sweep"]),
            }
        )
        print(
            f"  {scenario:<12} median of {args.repeat}: reference {median['reference']:8.1f} ms"
            f"   sweep {median['sweep']:8.1f} ms   ratio {ratio:5.2f}"
            f"   end state (both) {_fmt(ends['sweep'])}",
            flush=True,
        )

    # The plans: the sweep's UPDATEs as Django sends them, and the reference.
    # (Recorded with their parameters, to EXPLAIN them exactly as they ran: SQLite may
    # plan a literal differently from a bound parameter.)
    executed: list[tuple[str, Any]] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        executed.append((sql, params))
        return execute(sql, params, many, context)

    reset(starts["first sweep"])
    with connection.execute_wrapper(record):
        sweep()
    updates = [(sql, p) for sql, p in executed if sql.lstrip().upper().startswith("UPDATE")]
    reference = (REFERENCE_SQL, [d(TODAY), d(soon)])
    explain = "EXPLAIN " if vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    for label, (sql, params) in [*(("sweep", u) for u in updates), ("reference", reference)]:
        print(f"\n{label} SQL: {sql}  params {list(params or [])}")
        with connection.cursor() as cur:
            cur.execute(explain + sql, params)
            print("query plan:")
            for row in cur.fetchall():
                print("  " + " | ".join(str(c) for c in row))

    failed = [m for m in measures if m["ratio"] > GOAL]
    print(
        f"\n{vendor}: {'PASS' if not failed else 'FAIL'} (goal: sweep ≤ {GOAL}× reference)",
        flush=True,
    )
    harness.emit({"backend": vendor, "status": "done", "rows": args.rows, "measures": measures})
    return 0


def _fmt(state: dict[str, tuple[int, int]]) -> str:
    return ", ".join(f"{alert or '(none)'}: {n:,}" for alert, (n, _s) in sorted(state.items()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.child:
        return main_child(args.child, args)
    return main_parent(args)


if __name__ == "__main__":
    sys.exit(main())
