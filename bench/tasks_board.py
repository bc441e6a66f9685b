"""Benchmark: the tasks board (directives.tasks.board.selectors.task_board).

Goal: the board of a province (10^5 tasks) and of the whole country (10^6 tasks) runs in
a constant number of queries, its counts equal the raw counts, and its server time is at
most 1.5× hand-written SQL computing the same four-way counts per child unit.

For each backend (``--only sqlite|postgresql``) a child process migrates a throwaway
database, loads the real unit tree and inserts ``--tasks`` tasks (default 10^6) with one
bulk INSERT … SELECT: a tenth of them led by the communes of one province (code 19), the
rest by the communes of every other province; due dates over 2025–2026, a mix of states
(closed on time, closed late, closed after the period's end, submitted, open, cancelled)
and source kinds. The period is H1 2026 seen on 15/04/2026, against H1 2025 (past).

It counts the board's queries on the province, on one of its communes and on the
country (must be equal), checks that the board's total equals a plain COUNT(*) of the
tasks due in the period (cancelled excluded) and that its four-way counts per child
unit, this year and last, equal the reference's, then times both (median of
``--repeat`` alternated runs). The reference: one grouped statement per period through
a raw cursor, the child unit read from the lead unit's path, the status on the as-of day
written out as SUM(CASE …) from the rule in the selectors' docstring.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import sys
from pathlib import Path
from typing import Any

import harness

GOAL = 1.5
START, END, TODAY = dt.date(2026, 1, 1), dt.date(2026, 6, 30), dt.date(2026, 4, 15)
FOUR = ("done_on_time", "done_late", "open_in_time", "open_overdue")


def main_parent(args: argparse.Namespace) -> int:
    results = harness.on_each_backend(
        Path(__file__).resolve(),
        ["--repeat", str(args.repeat), "--tasks", str(args.tasks)],
        only=args.only,
        db_prefix="danvan_bench_tasks_board",
    )

    def report(r: dict[str, Any]) -> bool:
        ok = True
        for scope in ("province", "nation"):
            s = r[scope]
            met = s["ratio"] <= GOAL
            ok &= met
            print(
                f"{r['backend']:<11} {scope:<8} tasks {s['tasks']:>8} rows {s['rows']:>3}"
                f" reference {s['reference_ms']:8.1f} ms board {s['board_ms']:8.1f} ms"
                f" ratio {s['ratio']:.2f}  {'PASS' if met else 'MISS'}"
            )
        print(f"{r['backend']:<11} queries province/commune/nation {r['queries']}")
        return ok and len(set(r["queries"])) == 1

    return harness.summary(
        results, f"goal: equal queries; equal counts; board ≤ {GOAL}× hand-written SQL", report
    )


def generate(connection: Any, province: Any, total: int) -> None:
    """*total* tasks, a tenth led by *province*'s communes: one INSERT … SELECT each."""
    from danvan.directives.tasks.models import SourceKind, Task
    from danvan.units.models import Unit

    q = connection.ops.quote_name
    sqlite = connection.vendor == "sqlite"
    own = list(
        Unit.objects.filter(path__startswith=province.path, kind="commune").values_list(
            "pk", flat=True
        )
    )
    others = list(
        Unit.objects.filter(kind="commune")
        .exclude(path__startswith=province.path)
        .values_list("pk", flat=True)
    )
    kinds = list(SourceKind.values)

    def day(expr: str) -> str:
        if sqlite:
            return f"date('2025-01-01', ({expr}) || ' days')"
        return f"(DATE '2025-01-01' + ({expr})::int)"

    due_n = "((n.i * 7919) % 730)"
    # Closed: done 4 days early … 4 days late; one in 23 accepted 60 days late (after the
    # end of its period when due near it).
    done_n = f"({due_n} + (n.i % 9) - 4 + CASE WHEN n.i % 23 = 0 THEN 60 ELSE 0 END)"
    state = (
        "CASE WHEN n.i % 10 < 5 THEN 'closed' WHEN n.i % 10 = 5 THEN 'cancelled'"
        " WHEN n.i % 10 = 6 THEN 'submitted' ELSE 'open' END"
    )
    kind = "CASE n.i % 5 " + " ".join(f"WHEN {i} THEN '{k}'" for i, k in enumerate(kinds)) + " END"
    given = {
        "created_at": "'2025-01-01 00:00:00'",
        "updated_at": "'2025-01-01 00:00:00'",
        "public_id": "lower(hex(randomblob(16)))" if sqlite else "gen_random_uuid()",
        "assigner_unit_id": str(province.pk),
        "lead_unit_id": "l.unit_id",
        "title": "'Nhiệm vụ'",
        "deliverable": "'Báo cáo'",
        "due_on": day(due_n),
        "source_kind": kind,
        "state": state,
        "completed_on": f"CASE WHEN n.i % 10 < 5 THEN {day(done_n)} ELSE NULL END",
        "progress_percent": "0",
    }
    # Any other column (fields other work adds to Task): NULL, its default, or ''.
    for f in Task._meta.concrete_fields:
        if f.column in given or f.primary_key or f.null:
            continue
        value = f.get_default() if f.has_default() else ""
        if isinstance(value, bool):
            given[f.column] = "TRUE" if value else "FALSE"
        elif isinstance(value, int):
            given[f.column] = str(value)
        else:
            given[f.column] = "'" + str(value).replace("'", "''") + "'"
    cols = ", ".join(q(c) for c in given)
    exprs = ", ".join(given.values())
    task_t = q(Task._meta.db_table)
    with connection.cursor() as cur:
        for leads, count, offset in ((own, total // 10, 0), (others, total - total // 10, total)):
            cur.execute("DROP TABLE IF EXISTS bench_leads")
            cur.execute("CREATE TABLE bench_leads (k INTEGER PRIMARY KEY, unit_id INTEGER)")
            cur.executemany(
                "INSERT INTO bench_leads (k, unit_id) VALUES (%s, %s)", list(enumerate(leads))
            )
            if sqlite:
                head = (
                    "WITH RECURSIVE n(i) AS (SELECT %s UNION ALL SELECT i + 1 FROM n WHERE i < %s)"
                )
                source = "n"
            else:
                head, source = "", "generate_series(%s::bigint, %s::bigint) AS n(i)"
            sql = (
                f"{head} INSERT INTO {task_t} ({cols}) SELECT {exprs} FROM {source}"
                f" JOIN bench_leads l ON l.k = n.i % {len(leads)}"
            )
            # A literal "%" (modulo) doubled for the driver; the two bounds stay parameters.
            sql = sql.replace("%", "%%").replace("%%s", "%s")
            cur.execute(sql, [offset, offset + count - 1])
        cur.execute("DROP TABLE bench_leads")
        cur.execute("ANALYZE")


class Reference:
    """The four-way counts per child unit, for a period, in hand-written SQL."""

    def __init__(self, connection: Any, root: Any) -> None:
        from danvan.directives.tasks.models import Task
        from danvan.units.models import Unit

        q = connection.ops.quote_name
        self.connection = connection
        prefix = root.path if root is not None else ""
        scope = "u.path >= %s AND u.path < %s AND" if root is not None else ""
        self.scope = [prefix, prefix + "~"] if root is not None else []
        done = "(t.state = 'closed' AND t.completed_on <= %s)"
        self.sql = (
            f"SELECT substr(u.path, {len(prefix) + 1}, 7) AS child,"
            f" SUM(CASE WHEN {done} AND t.completed_on <= t.due_on THEN 1 ELSE 0 END),"
            f" SUM(CASE WHEN {done} AND t.completed_on > t.due_on THEN 1 ELSE 0 END),"
            f" SUM(CASE WHEN NOT {done} AND t.due_on >= %s THEN 1 ELSE 0 END),"
            f" SUM(CASE WHEN NOT {done} AND t.due_on < %s THEN 1 ELSE 0 END)"
            f" FROM {q(Task._meta.db_table)} t JOIN {q(Unit._meta.db_table)} u"
            f" ON u.id = t.lead_unit_id"
            f" WHERE {scope} t.due_on >= %s AND t.due_on <= %s AND t.state <> 'cancelled'"
            f" GROUP BY child"
        )

    def run(
        self, start: dt.date, end: dt.date, as_of: dt.date
    ) -> dict[int | None, tuple[int, ...]]:
        params = [as_of, as_of, as_of, as_of, as_of, as_of, *self.scope, start, end]
        with self.connection.cursor() as cur:
            cur.execute(self.sql, params)
            return {
                (int(c) if c else None): tuple(int(x) for x in rest) for c, *rest in cur.fetchall()
            }

    def __call__(self) -> tuple[dict[int | None, tuple[int, ...]], ...]:
        return (
            self.run(START, END, min(TODAY, END)),
            self.run(
                START.replace(year=START.year - 1),
                END.replace(year=END.year - 1),
                END.replace(year=END.year - 1),
            ),
        )


def main_child(backend: str, args: argparse.Namespace) -> int:
    step = harness.start_child()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from danvan.accounts.models import Role
    from danvan.accounts.testing import make_user
    from danvan.directives.tasks.board.selectors import task_board
    from danvan.directives.tasks.models import Task, TaskState
    from danvan.units.models import Unit

    province = Unit.objects.get(code="19")
    reader = make_user("bench-reader", Role.SYSTEM_ADMIN, None)
    step(f"generating {args.tasks} tasks")
    generate(connection, province, args.tasks)
    commune = Unit.objects.filter(parent=province, kind="commune").order_by("code")[0]
    step("generated")

    def board(unit: Unit | None) -> Any:
        return task_board(user=reader, unit=unit, start=START, end=END, today=TODAY)

    board(province)
    queries = []
    for unit in (province, commune, None):
        with CaptureQueriesContext(connection) as ctx:
            board(unit)
        queries.append(len(ctx.captured_queries))

    out: dict[str, Any] = {"backend": backend, "status": "done", "queries": queries}
    for scope, root in (("province", province), ("nation", None)):
        found = board(root)
        raw = Task.objects.filter(due_on__gte=START, due_on__lte=END).exclude(
            state=TaskState.CANCELLED
        )
        if root is not None:
            raw = raw.filter(lead_unit__path__startswith=root.path)
        reference = Reference(connection, root)
        now, before = reference()
        got_now = {
            r.unit.pk: tuple(r.counts.four_way()[k] for k in FOUR)
            for r in found.rows
            if r.counts.total
        }
        got_before = {
            r.unit.pk: tuple(r.last_year.four_way()[k] for k in FOUR)
            for r in found.rows
            if r.last_year.total
        }
        problems = []
        if found.total.counts.total != raw.count():
            problems.append(f"total {found.total.counts.total} != raw {raw.count()}")
        if got_now != {k: v for k, v in now.items() if sum(v)}:
            problems.append("this period's counts differ from the reference")
        if got_before != {k: v for k, v in before.items() if sum(v)}:
            problems.append("last year's counts differ from the reference")
        if problems:
            harness.emit({"backend": backend, "status": "error", "detail": f"{scope}: {problems}"})
            return 1
        step(f"{scope}: counts equal ({found.total.counts.total} tasks in the period)")
        median = harness.medians(
            {"board": functools.partial(board, root), "reference": reference}, args.repeat
        )
        b, r = median["board"], median["reference"]
        out[scope] = {
            "tasks": raw.count(),
            "rows": len(found.rows),
            "board_ms": b,
            "reference_ms": r,
            "ratio": b / r,
        }
    harness.emit(out)
    return 0


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--child")
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("--tasks", type=int, default=1_000_000)
    p.add_argument("--only", choices=["sqlite", "postgresql"])
    args = p.parse_args()
    if args.child:
        return main_child(args.child, args)
    return main_parent(args)


if __name__ == "__main__":
    sys.exit(main())
