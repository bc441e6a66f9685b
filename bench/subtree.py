"""Benchmark: counting rows under one province through the subtree selector.

Goal (issue 2, "Units"; issue 10, "Measured"): counting 10^6 rows that hang under one
province through ``danvan.units.selectors.rows_under`` costs at most 1.5x the best
hand-written SQL count filtered by an indexed column, on SQLite and on PostgreSQL.

Run ``make bench`` (or ``.venv/bin/python bench/subtree.py``). For each backend
the script starts itself again in a subprocess with its own throwaway database:

- SQLite: a file in a temporary directory, removed afterwards;
- PostgreSQL: a fresh database ``danvan_bench_<pid>`` on the server named by
  ``BENCH_POSTGRES_URL`` (default ``postgres://postgres@127.0.0.1:5432/postgres``),
  dropped afterwards; when no server answers, the backend is reported as skipped.

In each database it migrates, loads the real unit tree (``load_units``), adds
villages under every commune of Thái Nguyên (code "19") through the services,
and fills a bench-only table ``bench_row`` (``unit_id`` indexed FK to the unit,
``province_id`` an indexed, denormalized integer) with 1,000,000 rows spread
over Thái Nguyên's subtree plus 200,000 distractor rows in other provinces.
It then times, best of several runs after a warm-up:

- reference: ``SELECT COUNT(*) FROM bench_row WHERE province_id = %s``;
- selector:  ``rows_under(BenchRow.objects.all(), province).count()``, through
  the ORM exactly as the application does it;

and prints both times, their ratio, PASS/FAIL against 1.5x and the query plans.
On PostgreSQL the planner answers the reference with a parallel sequential scan
(it matches 5/6 of the table), which is not the fastest plan: the reference is also
timed with its plan forced (``enable_seqscan = off``, ``max_parallel_workers_per_gather
= 0``, and both), and the selector is judged against the FASTEST of these references
(issue 10: "against the best hand-written plan, index forced where the planner errs").
The script prints the selector's ratio to each, and the plans.
The exit status is 1 when a backend fails the goal, 0 otherwise (skips included).

Options: ``--rows N`` (default 1,000,000), ``--distractors N`` (default 200,000),
``--repeat N`` (default 7), ``--only sqlite|postgresql``.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import harness

GOAL = 1.5
PROVINCE_CODE = "19"  # Thái Nguyên


# --------------------------------------------------------------------------- parent


def main_parent(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    results = harness.on_each_backend(
        Path(__file__).resolve(),
        [
            "--rows",
            str(args.rows),
            "--distractors",
            str(args.distractors),
            "--repeat",
            str(args.repeat),
        ],
        only=args.only,
        db_prefix="danvan_bench",
    )
    print(f"\n=== Kết quả / Summary (goal: selector ≤ {GOAL}× reference) ===")
    header = (
        f"{'database':<11} {'rows':>9} {'reference ms':>13} {'selector ms':>12}"
        f" {'ratio':>6}  result"
    )
    print(header)
    print("-" * len(header))
    failed = False
    for r in results:
        if r["status"] == "done":
            verdict = "PASS" if r["ratio"] <= GOAL else "FAIL"
            failed |= verdict == "FAIL"
            print(
                f"{r['backend']:<11} {r['rows']:>9,} {r['reference_ms']:>13.1f}"
                f" {r['selector_ms']:>12.1f} {r['ratio']:>6.2f}  {verdict}"
                f" (against: {r['reference']})"
            )
        elif r["status"] == "skipped":
            print(f"{r['backend']:<11} skipped: {r.get('detail', '')}")
        else:
            failed = True
            print(f"{r['backend']:<11} ERROR: {r.get('detail', '')}")
    print(f"(total {time.perf_counter() - started:.0f} s)")
    return 1 if failed else 0


# --------------------------------------------------------------------------- child


def _time_ms(fn: Callable[[], int]) -> tuple[float, int]:
    t0 = time.perf_counter()
    value = fn()
    return (time.perf_counter() - t0) * 1000, value


def _race(fns: dict[str, Callable[[], int]], repeat: int) -> tuple[dict[str, list[float]], int]:
    """Wall times in ms of each function, alternated so a noisy neighbour hurts all alike.

    Two warm-up rounds first; every call must return the same count, which is returned.
    """
    counts = {fn() for _ in range(2) for fn in fns.values()}
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            ms, value = _time_ms(fn)
            times[name].append(ms)
            counts.add(value)
    if len(counts) != 1:
        raise AssertionError(f"the counts differ: {sorted(counts)}")
    return times, counts.pop()


def main_child(backend: str, args: argparse.Namespace) -> int:
    step = harness.start_child()
    from django.db import connection, models, transaction
    from django.test.utils import CaptureQueriesContext

    from danvan.units import selectors, services
    from danvan.units.models import Unit, UnitKind

    vendor = connection.vendor

    province = Unit.objects.get(code=PROVINCE_CODE)
    communes = list(Unit.objects.filter(parent=province, kind=UnitKind.COMMUNE).order_by("code"))
    # Villages under every commune of the province (7–14 each, deterministic),
    # created through the service so their paths are exactly the application's.
    with transaction.atomic():
        for i, commune in enumerate(communes):
            for n in range(1, 8 + (i * 5) % 8):
                services.unit_create(
                    actor=None,
                    parent=commune,
                    kind=UnitKind.VILLAGE,
                    name=f"Thôn {n} {commune.name}",
                    code=f"{commune.code}-T{n:02d}",
                    households=80 + (i * 37 + n * 53) % 370,
                )
    subtree = list(selectors.units_under(province).values_list("id", flat=True))
    step(f"{len(communes)} communes, {len(subtree)} units under {province.name} (villages added)")

    class BenchRow(models.Model):
        # db_constraint=False only to load fast; the planner does not use FKs here.
        unit = models.ForeignKey(Unit, on_delete=models.DO_NOTHING, db_constraint=False)
        province_id = models.IntegerField(db_index=True)

        class Meta:
            app_label = "units"
            db_table = "bench_row"

        def __str__(self) -> str:
            return f"row {self.pk}"

    with connection.schema_editor() as editor:
        editor.create_model(BenchRow)

    others = list(
        Unit.objects.filter(kind=UnitKind.COMMUNE)
        .exclude(pk__in=subtree)
        .values_list("id", "parent_id")
    )
    rng = random.Random(20250701)  # fixed seed: the same data every run
    rows = [(rng.choice(subtree), province.pk) for _ in range(args.rows)]
    rows += [rng.choice(others) for _ in range(args.distractors)]
    # Interleaved, as real records arrive: not clustered by unit or province.
    rng.shuffle(rows)
    step(f"generated {len(rows):,} rows")
    _load(connection, rows)
    step("loaded; analyzing")
    if vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE bench_row")
            cur.execute("ANALYZE units_unit")
    else:
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    step("ready")

    def reference() -> int:
        with connection.cursor() as cur:
            cur.execute("SELECT COUNT(*) FROM bench_row WHERE province_id = %s", [province.pk])
            return int(cur.fetchone()[0])

    def selector() -> int:
        return selectors.rows_under(BenchRow._default_manager.all(), province).count()

    racers: dict[str, Callable[[], int]] = {"reference": reference, "selector": selector}
    if vendor == "postgresql":
        # The planner answers the reference with a parallel sequential scan (it matches
        # 5/6 of the table), which is not its best plan: the same count is also timed with
        # the plan forced each way, and the selector is judged against the FASTEST of
        # them (issue 10: "index forced where the planner errs").
        def forced(*settings: str) -> Callable[[], int]:
            def run() -> int:
                with transaction.atomic(), connection.cursor() as cur:
                    for setting in settings:
                        cur.execute(f"SET LOCAL {setting}")
                    return reference()

            return run

        racers["reference, index forced"] = forced("enable_seqscan = off")
        racers["reference, no parallel"] = forced("max_parallel_workers_per_gather = 0")
        racers["reference, index, no parallel"] = forced(
            "enable_seqscan = off", "max_parallel_workers_per_gather = 0"
        )
    times, count = _race(racers, args.repeat)
    if count != args.rows:
        raise AssertionError(f"counted {count:,} rows, expected {args.rows:,}")
    best = {name: min(t) for name, t in times.items()}
    median = {name: statistics.median(t) for name, t in times.items()}
    references = [name for name in racers if name.startswith("reference")]
    # The fastest plan is chosen by its median (several references would otherwise give
    # the minimum more draws than the selector's one on a noisy machine); the ratio is
    # then best against best, as before.
    best_ref = min(references, key=lambda name: median[name])
    ref_ms, sel_ms = best[best_ref], best["selector"]
    ratio = sel_ms / ref_ms
    with CaptureQueriesContext(connection) as ctx:
        selector()
    selector_sql = ctx.captured_queries[-1]["sql"]
    reference_sql = f"SELECT COUNT(*) FROM bench_row WHERE province_id = {province.pk}"
    explain = "EXPLAIN (ANALYZE, BUFFERS) " if vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    print(f"\nselector SQL: {selector_sql}")
    plans = [("selector", selector_sql, ()), ("reference", reference_sql, ())]
    if vendor == "postgresql" and best_ref != "reference":
        forced_settings = {
            "reference, index forced": ("enable_seqscan = off",),
            "reference, no parallel": ("max_parallel_workers_per_gather = 0",),
            "reference, index, no parallel": (
                "enable_seqscan = off",
                "max_parallel_workers_per_gather = 0",
            ),
        }[best_ref]
        plans.append((best_ref, reference_sql, forced_settings))
    for label, q, plan_settings in plans:
        with transaction.atomic(), connection.cursor() as cur:
            for setting in plan_settings:
                cur.execute(f"SET LOCAL {setting}")
            cur.execute(explain + q)
            plan = cur.fetchall()
        print(f"\nquery plan ({label}):")
        for row in plan:
            print("  " + " | ".join(str(c) for c in row))

    print(f"\n{vendor}: {count:,} rows counted by each query, best (median) of {args.repeat}:")
    for name in times:
        best_ratio = sel_ms / best[name]
        median_ratio = median["selector"] / median[name]
        print(
            f"  {name:<26} {best[name]:7.1f} ms ({median[name]:7.1f})"
            f"   selector / this: {best_ratio:.2f} ({median_ratio:.2f})"
        )
    print(
        f"{vendor}: ratio {ratio:.2f} against the best reference ({best_ref})"
        f" → {'PASS' if ratio <= GOAL else 'FAIL'} (goal ≤ {GOAL})",
        flush=True,
    )
    print(
        harness.RESULT_MARK
        + json.dumps(
            {
                "backend": vendor,
                "status": "done",
                "rows": count,
                "reference": best_ref,
                "reference_ms": ref_ms,
                "selector_ms": sel_ms,
                "ratio": ratio,
            }
        ),
        flush=True,
    )
    return 0


def _load(connection: Any, rows: list[tuple[int, int]]) -> None:
    """Bulk insert: COPY on PostgreSQL, one executemany in a transaction on SQLite."""
    from django.db import transaction

    with transaction.atomic(), connection.cursor() as cur:
        if connection.vendor == "postgresql":
            with cur.cursor.copy("COPY bench_row (unit_id, province_id) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cur.executemany("INSERT INTO bench_row (unit_id, province_id) VALUES (%s, %s)", rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--distractors", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    if args.child:
        return main_child(args.child, args)
    return main_parent(args)


if __name__ == "__main__":
    sys.exit(main())
