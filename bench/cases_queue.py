"""Benchmark: an officer's queue of 10^6 cases, paged by keyset.

Goal (cases, "Measured: the queue"): an officer's queue of 10^6 cases pages in constant
queries; the first page costs at most 2x a hand-written indexed SQL query for the same
rows, on SQLite and on PostgreSQL.

Run ``make bench`` (or ``.venv/bin/python bench/cases_queue.py``). For each backend the
script starts itself again in a subprocess with its own throwaway database (a temporary
SQLite file; a fresh PostgreSQL database ``danvan_bench_cases_queue_<pid>`` on the server
named by ``BENCH_POSTGRES_URL``, dropped afterwards, skipped when no server answers). In
it, it migrates, loads the real unit tree, creates one officer (through the service) and
generates 1,000,000 open cases of one commune handled by that officer, with the same
``INSERT … SELECT`` as ``bench/cases_sweep.py`` (due dates spread around 2025-07-01).
Then ``ANALYZE``.

It measures, through ``danvan.cases.queue.queue_page(officer, after=…)``
exactly as the queue page calls it:

- queries: how many queries page 1, page 2 (following ``next_after``) and a page deep
  in the queue (a token built from the row 90% down the queue) each take, with
  ``CaptureQueriesContext``: they must be equal (judged);
- time of the first page, the models instantiated, against the reference: the
  hand-written ``SELECT`` of the same columns with the same joins as the queue's
  ``select_related`` (checked against the SQL Django emits), ``WHERE handler_id = %s
  AND is_open = %s ORDER BY due_date, id LIMIT 51``, rows fetched through a raw cursor.
  It is written so that its index (case_queue) answers it, read in order: an equality
  on both leading columns, and on SQLite the handler joined by ``CROSS JOIN`` (SQLite's
  way of fixing the join order; with a plain INNER JOIN its planner puts the one-row
  user table outside and sorts all the officer's cases). Median of up to ``--repeat``
  alternated runs after a warm-up, within a time budget per measure (judged: ≤ 2x);
- for information, page 2 and the deep page against the same reference continued by
  ``(due_date, id) > (%s, %s)``; and on SQLite the first page against the reference
  written with a plain INNER JOIN, and with the app's bare ``AND is_open`` (what
  Django 5.2 emits for ``is_open=True`` on SQLite: not an equality, so the index gives
  neither the range nor the order).

Each page's rows must be the reference's rows. Prints the query counts, the times, the
ratios, PASS/FAIL and the query plans (``EXPLAIN QUERY PLAN`` / ``EXPLAIN ANALYZE``) of
the app's first and deep page and of the reference, run with the parameters they ran
with, and whether each reads case_queue in order (no sort step); the exit status is 1 when a backend
fails.

Options: ``--rows N`` (default 1,000,000), ``--repeat N`` (default 200),
``--budget SECONDS`` (time per measure, default 20), ``--only sqlite|postgresql``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import harness
from cases_sweep import TODAY, generate_cases

GOAL = 2.0
PAGE = 50  # keyset_page's default size; it fetches one more row to know if more follow

# --------------------------------------------------------------------------- parent


def main_parent(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    results = harness.on_each_backend(
        Path(__file__).resolve(),
        [
            "--rows",
            str(args.rows),
            "--repeat",
            str(args.repeat),
            "--budget",
            str(args.budget),
        ],
        only=args.only,
        db_prefix="danvan_bench_cases_queue",
    )
    print(
        f"\n=== Kết quả / Summary (goal: equal queries on every page;"
        f" first page ≤ {GOAL}× hand-written indexed SQL) ==="
    )
    header = (
        f"{'database':<11} {'rows':>9} {'queries p1/p2/deep':>19} {'reference ms':>13}"
        f" {'queue ms':>9} {'ratio':>6}  result"
    )
    print(header)
    print("-" * len(header))
    failed = False
    for r in results:
        if r["status"] == "done":
            constant = len(set(r["queries"])) == 1
            verdict = "PASS" if constant and r["ratio"] <= GOAL else "FAIL"
            failed |= verdict == "FAIL"
            queries = "/".join(str(q) for q in r["queries"])
            print(
                f"{r['backend']:<11} {r['rows']:>9,} {queries:>19} {r['reference_ms']:>13.3f}"
                f" {r['queue_ms']:>9.3f} {r['ratio']:>6.2f}  {verdict}"
                f" (queries {'constant' if constant else 'NOT constant'})"
            )
            for m in r["info"]:
                print(
                    f"{'':<11} (info) {m['measure']:<42} reference {m['reference_ms']:9.3f} ms"
                    f"   queue {m['queue_ms']:9.3f} ms   ratio {m['ratio']:7.2f}"
                )
            for label, verdict in r["plans"].items():
                print(f"{'':<11} (plan) {label}: {verdict}")
        elif r["status"] == "skipped":
            print(f"{r['backend']:<11} skipped: {r.get('detail', '')}")
        else:
            failed = True
            print(f"{r['backend']:<11} ERROR: {r.get('detail', '')}")
    print(f"{'PASS' if not failed else 'FAIL'} (total {time.perf_counter() - started:.0f} s)")
    return 1 if failed else 0


# --------------------------------------------------------------------------- child


def _race(
    fns: dict[str, Callable[[], Any]], repeat: int, budget: float
) -> tuple[dict[str, list[float]], dict[str, Any]]:
    """Wall times in ms of each function, alternated, after one warm-up call each: up to
    *repeat* rounds, fewer (at least 3) once *budget* seconds have passed. Returns the
    times and what each function returned on its warm-up."""
    values = {name: fn() for name, fn in fns.items()}
    times: dict[str, list[float]] = {name: [] for name in fns}
    started = time.perf_counter()
    for round_ in range(repeat):
        if round_ >= 3 and time.perf_counter() - started > budget:
            break
        for name, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            times[name].append((time.perf_counter() - t0) * 1000)
    return times, values


def _columns(select_sql: str) -> list[str]:
    """The "table"."column" pairs of a SELECT's column list, in order."""
    head = select_sql.split(" FROM ", 1)[0]
    return re.findall(r'"\w+"\."\w+"', head)


def main_child(backend: str, args: argparse.Namespace) -> int:
    step = harness.start_child()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from danvan.accounts.services import user_create
    from danvan.cases.models import Case
    from danvan.cases.queue import _sql as queue_sql
    from danvan.cases.queue import queue_page
    from danvan.units.models import Unit, UnitKind

    vendor = connection.vendor
    officer = user_create(
        actor=None, username="bench-officer", password=None, full_name="Cán bộ thụ lý (bench)"
    )
    commune = Unit.objects.filter(kind=UnitKind.COMMUNE, valid_to__isnull=True).order_by("code")[0]
    step(f"generating {args.rows:,} open cases of {commune.name} handled by {officer.username}")
    generate_cases(connection, args.rows, unit_id=commune.pk, handler_id=officer.pk, today=TODAY)
    step("loaded and analyzed")

    # The reference: the same columns and the same join as the queue's select_related
    # (the unit, INNER JOIN: the foreign key is not null), written so that the case_queue
    # index answers it: an equality on both its leading columns, read in order.
    q = connection.ops.quote_name

    c, un = (q(m._meta.db_table) for m in (Case, Unit))
    # The columns a queue row shows (what danvan.cases.queue reads), written out here.
    case_columns = ("id", "public_id", "reference", "kind", "alias", "subject", "status")
    shown = [f"{c}.{q(name)}" for name in (*case_columns, "due_date", "alert")]
    shown += [f"{un}.{q(name)}" for name in ("name", "code")]
    select_sql = (
        f"SELECT {', '.join(shown)}"
        f" FROM {c} INNER JOIN {un} ON ({c}.{q('unit_id')} = {un}.{q('id')})"
    )
    where = f" WHERE {c}.{q('handler_id')} = %s AND {c}.{q('is_open')} = %s"
    after = f" AND ({c}.{q('due_date')}, {c}.{q('id')}) > (%s, %s)"
    order = f" ORDER BY {c}.{q('due_date')}, {c}.{q('id')} LIMIT {PAGE + 1}"
    ref_first_sql = select_sql + where + order
    ref_after_sql = select_sql + where + after + order

    app_sql = queue_sql(False)
    ref_cols = _columns(ref_first_sql)
    if sorted(_columns(app_sql)) != sorted(ref_cols):
        raise AssertionError(
            "the reference does not select the queue's columns:\n"
            f"  queue only: {sorted(set(_columns(app_sql)) - set(ref_cols))}\n"
            f"  reference only: {sorted(set(ref_cols) - set(_columns(app_sql)))}"
        )
    print(f"reference selects the queue's {len(ref_cols)} columns, with the same joins")

    def day(value: Any) -> dt.date:
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))

    def raw(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        with connection.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall()

    def ref_first() -> list[tuple[Any, ...]]:
        return raw(ref_first_sql, [officer.pk, True])

    def ref_after(key: tuple[dt.date, int]) -> Callable[[], list[tuple[Any, ...]]]:
        params = [officer.pk, True, connection.ops.adapt_datefield_value(key[0]), key[1]]
        return lambda: raw(ref_after_sql, params)

    def app_page(token: str = "") -> Callable[[], Any]:
        return lambda: queue_page(officer, after=token)

    # A token deep in the queue: the row 90% of the way down.
    (deep_day, deep_pk), *_ = raw(
        f"SELECT {c}.{q('due_date')}, {c}.{q('id')} FROM {c}{where}"
        f" ORDER BY {c}.{q('due_date')}, {c}.{q('id')} LIMIT 1 OFFSET %s",
        [officer.pk, True, args.rows * 9 // 10],
    )
    deep_key = (day(deep_day), int(deep_pk))
    deep_token = f"{deep_key[0].isoformat()}_{deep_key[1]}"

    # Queries per page, following the tokens as the page's "next" link does.
    # (The statements are recorded with their parameters too, to EXPLAIN them exactly as
    # they ran: SQLite may plan a literal differently from a bound parameter.)
    counts, pages = [], []
    executed: list[tuple[str, Any]] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        executed.append((sql, params))
        return execute(sql, params, many, context)

    for token in ("", None, deep_token):
        if token is None:  # page 2: the token page 1 handed out
            token = pages[0].next_after
        with CaptureQueriesContext(connection) as ctx, connection.execute_wrapper(record):
            page = queue_page(officer, after=token)
        counts.append(len(ctx.captured_queries))
        pages.append(page)
    page2_key = (pages[0].rows[-1].due_date, pages[0].rows[-1].pk)
    # Each page's rows are the reference's.
    for label, page, expect in (
        ("page 1", pages[0], ref_first()),
        ("page 2", pages[1], ref_after(page2_key)()),
        ("deep page", pages[2], ref_after(deep_key)()),
    ):
        if [case.pk for case in page.rows] != [row[0] for row in expect[:PAGE]]:
            raise AssertionError(f"{label}: the queue's rows are not the reference's")
    constant = len(set(counts)) == 1
    print(
        f"queries: page 1 {counts[0]}, page 2 {counts[1]},"
        f" deep page (after {deep_token}) {counts[2]}"
        f" → {'PASS' if constant else 'FAIL'} (constant)",
        flush=True,
    )

    step(f"timing (up to {args.repeat} rounds or {args.budget:g} s per measure)")
    measures: dict[str, dict[str, Any]] = {}
    racesets: list[tuple[str, Callable[[], Any], Callable[[], Any]]] = [
        ("first page", ref_first, app_page()),
        (
            "page 2 (vs reference after the token)",
            ref_after(page2_key),
            app_page(pages[0].next_after),
        ),
        ("deep page (vs reference after the token)", ref_after(deep_key), app_page(deep_token)),
    ]
    if vendor == "sqlite":
        # For information: the reference with the bare "is_open" Django 5.2 writes for
        # is_open=True on SQLite (not an equality: the index then gives neither the range
        # nor the order; the queue filters with is_open IN (1) for this reason).
        bare_sql = ref_first_sql.replace(f"{c}.{q('is_open')} = %s", f"{c}.{q('is_open')}")
        racesets += [
            (
                "first page (vs reference, bare is_open)",
                lambda: raw(bare_sql, [officer.pk]),
                app_page(),
            ),
        ]
    for label, reference, queue in racesets:
        times, _values = _race({"reference": reference, "queue": queue}, args.repeat, args.budget)
        median = {name: statistics.median(t) for name, t in times.items()}
        best = {name: min(t) for name, t in times.items()}
        measures[label] = {
            "measure": label,
            "reference_ms": median["reference"],
            "queue_ms": median["queue"],
            "ratio": median["queue"] / median["reference"],
            "best_ratio": best["queue"] / best["reference"],
        }
        print(
            f"  {label:<42} median (best) of {len(times['queue'])}:"
            f" reference {median['reference']:9.3f} ms ({best['reference']:.3f})"
            f"   queue {median['queue']:9.3f} ms ({best['queue']:.3f})"
            f"   ratio {median['queue'] / median['reference']:6.2f}"
            f" ({best['queue'] / best['reference']:.2f})",
            flush=True,
        )

    explain = "EXPLAIN (ANALYZE, BUFFERS) " if vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    first_sql, deep_sql = executed[0], executed[-1]
    deep_params = [officer.pk, True, connection.ops.adapt_datefield_value(deep_key[0]), deep_key[1]]
    print(f"\nqueue SQL (deep page): {deep_sql[0]}  params {deep_sql[1]}")
    print(f"\nreference SQL (deep page): {ref_after_sql}  params {deep_params}")
    verdicts = {}
    for label, (sql, params) in (
        ("queue, first page", first_sql),
        ("queue, deep page", deep_sql),
        ("reference, first page", (ref_first_sql, [officer.pk, True])),
        ("reference, deep page", (ref_after_sql, deep_params)),
    ):
        with connection.cursor() as cur:
            cur.execute(explain + sql, params)
            plan = [" | ".join(str(col) for col in row) for row in cur.fetchall()]
        print(f"\nquery plan ({label}):")
        for line in plan:
            print("  " + line)
        verdicts[label] = _index_use(plan, deep="deep" in label)
    print()
    for label, verdict in verdicts.items():
        print(f"{label}: {verdict}")
    if not verdicts["reference, first page"].startswith("reads case_queue in order"):
        print("WARNING: the reference is not answered by case_queue in order on this database")

    first = measures.pop("first page")
    ok = constant and first["ratio"] <= GOAL
    print(
        f"\n{vendor}: queries {counts} {'constant' if constant else 'NOT constant'};"
        f" first page ratio {first['ratio']:.2f} (best {first['best_ratio']:.2f})"
        f" → {'PASS' if ok else 'FAIL'} (goal ≤ {GOAL})",
        flush=True,
    )
    harness.emit(
        {
            "backend": vendor,
            "status": "done",
            "rows": args.rows,
            "queries": counts,
            "reference_ms": first["reference_ms"],
            "queue_ms": first["queue_ms"],
            "ratio": first["ratio"],
            "info": list(measures.values()),
            "plans": verdicts,
        }
    )
    return 0


def _index_use(plan: list[str], *, deep: bool) -> str:
    """What a plan (EXPLAIN QUERY PLAN or EXPLAIN ANALYZE lines) does with case_queue: a
    page is constant-time when it reads the index in order (no sort step) and, after a
    token, starts at the token (the keyset bound an index condition, not a filter)."""
    at = next((i for i, line in enumerate(plan) if "case_queue" in line), None)
    if at is None:
        return "does NOT use case_queue"
    if any("TEMP B-TREE" in line or line.lstrip(" ->").startswith("Sort") for line in plan):
        return "uses case_queue but SORTS the rows it matches"
    if not deep:
        return "reads case_queue in order"
    # SQLite names the index's constraints on its line; PostgreSQL on the next lines.
    conds = [plan[at]] + [line for line in plan[at + 1 : at + 3] if "Index Cond" in line]
    if any("due_date" in line for line in conds):
        return "reads case_queue in order, from the token"
    return "reads case_queue in order but FROM THE START, filtering rows up to the token"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--budget", type=float, default=20.0)
    args = parser.parse_args()
    if args.child:
        return main_child(args.child, args)
    return main_parent(args)


if __name__ == "__main__":
    sys.exit(main())
