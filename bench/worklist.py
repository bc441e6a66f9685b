"""Benchmark: the home page's list of what needs doing for a province (danvan.worklist).

Goal (issue 10, "Measured"): the list for the province — 92 communes, far more records
than the demo — runs in constant queries, and costs at most 2× the hand-written SQL that
counts the same items.

For each backend (``--only sqlite|postgresql``) a child process migrates a throwaway
database, loads the real unit tree and generates, for every commune of Thái Nguyên: the
compliance board's year of records (bench/democracy_board.py: disclosures with gaps,
dialogues, votes …), ``--cases`` open cases spread over the communes (10% overdue, 6% due
soon, half without a handler), a planned dialogue too close to announce in time and a held
one whose results are late, ten commitments on it (half overdue), a consultation with
pending comments, an open vote, recommendations of the inspection board (half overdue)
and movement entries waiting for the province. Then ``ANALYZE``.

It measures, as a provincial user holding the officer and leader roles:

- queries of ``worklist_for`` (with the leader's summary by commune) before and after
  doubling the cases and commitments: must be equal (judged);
- its time against the reference: hand-written SQL through a raw cursor, one statement
  per kind of item, counting the same items per commune (the disclosure statement is the
  compliance board's reference, bench/democracy_board_ref.py); the counts per commune
  must equal the list's, or the run fails; median of ``--repeat`` alternated runs
  (judged: ≤ 2×);
- for information, the whole home page through the Django test client (list, leader's
  summary, 12-month trends, counts) against the same reference, and its HTML size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import democracy_board
import democracy_board_ref
import harness

GOAL = 2.0
TODAY = democracy_board.TODAY  # 2026-07-15: the board's year of records runs to 30 June


def main_parent(args: argparse.Namespace) -> int:
    results = harness.on_each_backend(
        Path(__file__).resolve(),
        ["--repeat", str(args.repeat), "--cases", str(args.cases)]
        + (["--profile"] if args.profile else [])
        + (["--explain"] if args.explain else [])
        + (["--queries"] if args.queries else [])
        + (["--phases"] if args.phases else []),
        only=args.only,
        db_prefix="danvan_bench_worklist",
    )

    def report(r: dict[str, Any]) -> bool:
        met = r["queries_before"] == r["queries_after"] and r["ratio"] <= GOAL
        print(
            f"{r['backend']:<11} items {r['items']:>6} queries {r['queries_before']}/"
            f"{r['queries_after']} reference {r['reference_ms']:.1f} ms list "
            f"{r['list_ms']:.1f} ms ratio {r['ratio']:.2f}  {'PASS' if met else 'FAIL'}"
            f" | whole page {r['page_ms']:.1f} ms ({r['page_ratio']:.2f}×,"
            f" {r['page_kb']:.0f} KB, {r['page_queries']} queries)"
        )
        return met

    return harness.summary(results, f"goal: equal queries; list ≤ {GOAL}× hand-written SQL", report)


def generate(connection: Any, province: Any, user: Any, cases: int) -> None:
    """The records of the list, on top of the compliance board's year."""
    from danvan.cases.models import Case, Dialogue
    from danvan.consultation.models import Comment, Consultation
    from danvan.democracy.models import Matter, Vote
    from danvan.movement.models import Entry, Field, Status
    from danvan.movement.services import period_for_year
    from danvan.supervision.models import Activity, Board, Finding, Plan, Recommendation
    from danvan.units.models import Unit

    democracy_board.generate(connection, province)
    communes = list(Unit.objects.filter(parent=province, kind="commune").order_by("path"))
    add_cases(connection, communes, cases, offset=0)
    q = connection.ops.quote_name
    with connection.cursor() as cur:
        # Half the cases have a handler (the others wait to be assigned).
        cur.execute(
            f"UPDATE {q(Case._meta.db_table)} SET handler_id = %s WHERE id %% 2 = 0", [user.pk]
        )
    dialogues = []
    for c in communes:
        dialogues.append(
            Dialogue(
                unit=c,
                title="Đối thoại sắp tới",
                held_on=TODAY + dt.timedelta(days=3),
                place="Hội trường",
                chair="Chủ tịch",
            )
        )
        dialogues.append(
            Dialogue(
                unit=c,
                title="Đối thoại đã tổ chức",
                held_on=TODAY - dt.timedelta(days=20),
                place="Hội trường",
                chair="Chủ tịch",
                state=Dialogue.State.HELD,
                announced_on=TODAY - dt.timedelta(days=30),
            )
        )
    Dialogue.objects.bulk_create(dialogues)
    held = list(Dialogue.objects.filter(state=Dialogue.State.HELD, unit__in=communes))
    add_commitments(held, offset=0)
    add_tasks(province, communes)
    consultations = Consultation.objects.bulk_create(
        [
            Consultation(
                unit=c,
                subject="plan",
                title="Dự thảo kế hoạch",
                state="open",
                opens_on=TODAY - dt.timedelta(days=10),
                closes_on=TODAY + dt.timedelta(days=(c.pk % 20) - 5),
            )
            for c in communes
        ]
    )
    Comment.objects.bulk_create(
        Comment(consultation=k, text="Ý kiến", status=status)
        for k in consultations
        for status in ("pending",) * 5 + ("published",) * 5
    )
    matters = Matter.objects.filter(unit__parent__in=communes).order_by("unit_id", "id")
    first: dict[int, Any] = {}
    for m in matters:
        first.setdefault(m.unit.parent_id, m)
    Vote.objects.bulk_create(
        Vote(
            matter=m,
            method="ballot",
            households_total=80,
            opened_on=TODAY - dt.timedelta(days=5),
            closes_on=TODAY + dt.timedelta(days=(i % 7) - 3),
        )
        for i, m in enumerate(first.values())
    )
    recommendations = []
    for board in Board.objects.filter(unit__in=communes):
        plan = Plan.objects.create(board=board, title="Kế hoạch giám sát", starts_on=TODAY)
        activity = Activity.objects.create(plan=plan, date=TODAY, description="Giám sát")
        finding = Finding.objects.create(activity=activity, text="Phát hiện")
        recommendations += [
            Recommendation(
                finding=finding,
                text=f"Kiến nghị {i}",
                addressed_to="UBND xã",
                due_date=TODAY + dt.timedelta(days=10 - 5 * i),
            )
            for i in range(4)
        ]
    Recommendation.objects.bulk_create(recommendations)
    field = Field.objects.order_by("pk")[0]
    period = period_for_year(2026)
    Entry.objects.bulk_create(
        Entry(
            kind="initiative",
            name=f"Mô hình {c.code}-{i}",
            name_folded=f"mo hinh {c.code}-{i}",
            unit=c,
            field=field,
            registration_year=2026,
            period=period,
            status=Status.REGISTERED if i % 2 else Status.SUBMITTED,
            registered_on=TODAY - dt.timedelta(days=i),
        )
        for c in communes
        for i in range(20)
    )
    with connection.cursor() as cur:
        cur.execute("ANALYZE")


def add_cases(connection: Any, communes: list[Any], rows: int, *, offset: int) -> None:
    """*rows* more open cases, spread over *communes* by id."""
    from cases_sweep import generate_cases

    from danvan.cases.models import Case

    q = connection.ops.quote_name
    table = q(Case._meta.db_table)
    with connection.cursor() as cur:
        cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        (top,) = cur.fetchone()
    if top:
        # The generator numbers its rows from 1: the rows already there give way first.
        fresh = (
            "lower(hex(randomblob(16)))" if connection.vendor == "sqlite" else "gen_random_uuid()"
        )
        with connection.cursor() as cur:
            cur.execute(
                f"UPDATE {table} SET public_id = {fresh}, lookup_code = lookup_code || %s",
                [f"-{offset}"],
            )
    generate_cases(connection, rows, unit_id=communes[0].pk, handler_id=None, today=TODAY)
    with connection.cursor() as cur:
        # Each new case to a commune by its id.
        whens = " ".join(f"WHEN {i} THEN {c.pk}" for i, c in enumerate(communes))
        cur.execute(
            f"UPDATE {table} SET unit_id = CASE (id %% {len(communes)}) {whens} END WHERE id > %s",
            [top],
        )


def add_tasks(province: Any, communes: list[Any]) -> None:
    """Tasks the province gave each commune: open ones around their deadlines, some
    waiting for the province's acceptance, some closed."""
    from danvan.directives.tasks.models import Task, TaskState

    Task.objects.bulk_create(
        Task(
            assigner_unit=province,
            lead_unit=c,
            title=f"Nhiệm vụ {i}",
            deliverable="Báo cáo",
            due_on=TODAY + dt.timedelta(days=i - 6),
            state=(TaskState.SUBMITTED, TaskState.OPEN, TaskState.OPEN, TaskState.CLOSED)[i % 4],
            submitted_on=TODAY - dt.timedelta(days=1) if i % 4 in (0, 3) else None,
            completed_on=TODAY - dt.timedelta(days=1) if i % 4 == 3 else None,
        )
        for c in communes
        for i in range(12)
    )


def add_commitments(dialogues: list[Any], *, offset: int) -> None:
    from danvan.cases.models import Commitment

    Commitment.objects.bulk_create(
        Commitment(
            dialogue=d,
            text=f"Cam kết {offset}-{i}",
            responsible="UBND xã",
            due_date=TODAY + dt.timedelta(days=5 - i),
        )
        for d in dialogues
        for i in range(10)
    )


def reference_statements(connection: Any, province: Any, user: Any) -> list[tuple[str, str, list]]:
    """One statement per kind of item: (source code, SQL returning (commune path, count),
    parameters). The province's own rows would group under its path; there are none."""
    from django.conf import settings

    from danvan.cases.models import Case, Commitment, Dialogue
    from danvan.consultation.models import Comment, Consultation
    from danvan.democracy.models import Matter, Vote
    from danvan.legal.models import DutyRule
    from danvan.movement.models import Entry
    from danvan.supervision.models import Activity, Board, Finding, Plan, Recommendation
    from danvan.units.models import Unit

    q = connection.ops.quote_name
    t = {
        m: q(m._meta.db_table)
        for m in (
            *(Case, Commitment, Dialogue, Comment, Consultation, Matter, Vote),
            *(DutyRule, Entry, Activity, Board, Finding, Plan, Recommendation, Unit),
        )
    }
    low, high = province.path, province.path + "~"
    depth = len(province.path) + 7
    child = f"SUBSTR(u.path, 1, {depth})"
    under = "u.path >= %s AND u.path < %s"
    today, soon = TODAY, TODAY + dt.timedelta(days=settings.CASES_DUE_SOON_DAYS)
    out: list[tuple[str, str, list]] = []
    open_case = "c.is_open AND c.status <> 'paused'"
    for code, cond, params in (
        ("cases.overdue", f"{open_case} AND c.due_date < %s", [today]),
        ("cases.due_soon", f"{open_case} AND c.due_date >= %s AND c.due_date <= %s", [today, soon]),
        ("cases.unassigned", "c.is_open AND c.handler_id IS NULL", []),
    ):
        out.append(
            (
                code,
                f"SELECT {child}, COUNT(*) FROM {t[Case]} c JOIN {t[Unit]} u ON u.id = c.unit_id"
                f" WHERE {under} AND {cond} GROUP BY {child}",
                [low, high, *params],
            )
        )
    out.append(
        (
            "dialogues.commitments",
            f"SELECT {child}, COUNT(*) FROM {t[Commitment]} m"
            f" JOIN {t[Dialogue]} d ON d.id = m.dialogue_id JOIN {t[Unit]} u ON u.id = d.unit_id"
            f" WHERE {under} AND m.state = 'open' AND m.due_date < %s GROUP BY {child}",
            [low, high, today],
        )
    )
    # Dialogues: not announced when the announcement's last day has passed, or held and
    # not published after the publication's; the figures from the rules in force that day.
    figure = (
        f"(SELECT r.amount FROM {t[DutyRule]} r WHERE r.duty = %s AND r.valid_from <= d.held_on"
        f" AND (r.valid_to IS NULL OR r.valid_to >= d.held_on)"
        f" ORDER BY r.valid_from DESC LIMIT 1)"
    )
    held_on = "d.held_on"

    def shifted(sign: str) -> str:
        if connection.vendor == "sqlite":
            return f"date({held_on}, '{sign}' || {figure} || ' days')"
        return f"({held_on} {sign} {figure} * INTERVAL '1 day')::date"

    out.append(
        (
            "dialogues.late",
            f"SELECT {child}, COUNT(*) FROM {t[Dialogue]} d JOIN {t[Unit]} u ON u.id = d.unit_id"
            f" WHERE {under} AND ((d.state = 'planned' AND %s > {shifted('-')})"
            f" OR (d.state = 'held' AND %s > {shifted('+')})) GROUP BY {child}",
            [low, high, today, "dialogue_announce", today, "dialogue_publish"],
        )
    )
    out.append(
        (
            "consultation.moderation",
            f"SELECT {child}, COUNT(DISTINCT k.id) FROM {t[Consultation]} k"
            f" JOIN {t[Comment]} m ON m.consultation_id = k.id JOIN {t[Unit]} u ON u.id = k.unit_id"
            f" WHERE {under} AND m.status = 'pending' GROUP BY {child}",
            [low, high],
        )
    )
    out.append(
        (
            "democracy.votes",
            f"SELECT {child}, COUNT(*) FROM {t[Vote]} v JOIN {t[Matter]} m ON m.id = v.matter_id"
            f" JOIN {t[Unit]} u ON u.id = m.unit_id WHERE {under} AND v.closed_at IS NULL"
            f" GROUP BY {child}",
            [low, high],
        )
    )
    out.append(
        (
            "supervision.recommendations",
            f"SELECT {child}, COUNT(*) FROM {t[Recommendation]} r"
            f" JOIN {t[Finding]} f ON f.id = r.finding_id"
            f" JOIN {t[Activity]} a ON a.id = f.activity_id"
            f" JOIN {t[Plan]} p ON p.id = a.plan_id JOIN {t[Board]} b ON b.id = p.board_id"
            f" JOIN {t[Unit]} u ON u.id = b.unit_id WHERE {under} AND r.state = 'open'"
            f" GROUP BY {child}",
            [low, high],
        )
    )
    from danvan.directives.inspections.models import InspectionTarget
    from danvan.directives.inspections.models import Recommendation as Advice
    from danvan.directives.tasks.models import Task
    from danvan.directives.tasks.status import soon_until

    task, target, advice = (
        q(Task._meta.db_table),
        q(InspectionTarget._meta.db_table),
        q(Advice._meta.db_table),
    )
    out.append(
        (
            "directive_tasks.due",
            f"SELECT {child}, COUNT(*) FROM {task} k JOIN {t[Unit]} u ON u.id = k.lead_unit_id"
            f" WHERE {under} AND u.valid_to IS NULL AND k.state = 'open' AND k.due_on <= %s"
            f" GROUP BY {child}",
            [low, high, soon_until(TODAY)],
        )
    )
    out.append(
        (
            "directive_tasks.acceptance",
            f"SELECT {child}, COUNT(*) FROM {task} k JOIN {t[Unit]} u ON u.id = k.assigner_unit_id"
            f" WHERE {under} AND u.valid_to IS NULL AND k.state = 'submitted' GROUP BY {child}",
            [low, high],
        )
    )
    out.append(
        (
            "directive_inspections.unanswered",
            f"SELECT {child}, COUNT(*) FROM {advice} r JOIN {target} g ON g.id = r.target_id"
            f" JOIN {t[Unit]} u ON u.id = g.unit_id"
            f" WHERE {under} AND u.valid_to IS NULL AND r.answered_on IS NULL GROUP BY {child}",
            [low, high],
        )
    )
    out.append(
        (
            "movement.waiting",
            f"SELECT {child}, COUNT(*) FROM {t[Entry]} e JOIN {t[Unit]} u ON u.id = e.unit_id"
            f" WHERE {under} AND u.id <> %s AND e.status IN ('registered', 'submitted')"
            f" GROUP BY {child}",
            [low, high, province.pk],
        )
    )
    return out


class Reference:
    def __init__(self, connection: Any, province: Any, user: Any) -> None:
        self.connection = connection
        self.statements = reference_statements(connection, province, user)
        start = dt.date(TODAY.year, 1, 1)
        board = democracy_board_ref.statements(connection, province, start, TODAY, TODAY)
        self.disclosure = next((sql, p) for code, sql, p in board if code == "disclosure")
        self.paths: dict[int, str] = {}

    def __call__(self) -> dict[str, dict[str, int]]:
        from danvan.units.models import Unit

        out: dict[str, dict[str, int]] = {}
        with self.connection.cursor() as cur:
            for code, sql, params in self.statements:
                cur.execute(sql, params)
                out[code] = {path: int(n) for path, n in cur.fetchall() if n}
            sql, params = self.disclosure
            cur.execute(sql, params)
            rows = [(unit_id, status) for unit_id, status, _n in cur.fetchall()]
        if not self.paths:
            self.paths = dict(
                Unit.objects.filter(pk__in=[u for u, _s in rows]).values_list("pk", "path")
            )
        out["disclosure.compliance"] = {
            self.paths[u]: 1 for u, status in rows if status in ("missing", "late")
        }
        return out


def phases(user: Any, province: Any, repeat: int) -> None:
    """The median time of each phase of the list: counting, each source, the children."""
    from django.conf import settings
    from django.db import connection

    from danvan.worklist import selectors
    from danvan.worklist.registry import Scope, count_all, sources

    times: dict[str, list[float]] = {}
    in_sql: dict[str, list[float]] = {}
    spent = [0.0]

    def wrapper(execute: Any, sql: Any, params: Any, many: Any, context: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent[0] += time.perf_counter() - t0

    def timed(name: str, fn: Any) -> Any:
        spent[0] = 0.0
        t0 = time.perf_counter()
        with connection.execute_wrapper(wrapper):
            out = fn()
        times.setdefault(name, []).append((time.perf_counter() - t0) * 1000)
        in_sql.setdefault(name, []).append(spent[0] * 1000)
        return out

    for _ in range(repeat):
        scope = Scope(
            actor=user,
            root=province,
            today=TODAY,
            limit=30,
            due_soon_days=getattr(settings, "CASES_DUE_SOON_DAYS", 5),
        )
        registered = sources()
        timed("count_all", lambda: count_all(scope, registered))  # noqa: B023
        for s in registered:
            timed(s.code, lambda: s.find(scope))  # noqa: B023
        timed(
            "whole",
            lambda: selectors.worklist_for(
                actor=user, root=province, today=TODAY, with_children=True
            ),
        )
    from danvan.worklist.registry import QuerySetSource

    for _ in range(repeat):
        scope = Scope(actor=user, root=province, today=TODAY, limit=30)

        def compile_counts() -> None:
            qs = [
                q
                for s in sources()
                if isinstance(s, QuerySetSource) and (q := s.count_query(scope)) is not None  # noqa: B023
            ]
            first, *rest = qs
            first.union(*rest, all=True).query.sql_with_params()

        timed("compile count_all (no SQL)", compile_counts)
    for name, values in times.items():
        print(
            f"  phase {name:<30} {statistics.median(values):7.2f} ms"
            f" (SQL {statistics.median(in_sql[name]):6.2f} ms)",
            flush=True,
        )


def main_child(backend: str, args: argparse.Namespace) -> int:
    step = harness.start_child()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    from danvan.accounts.models import Role
    from danvan.accounts.services import grant_create
    from danvan.accounts.testing import login_verified, make_user
    from danvan.cases.models import Dialogue
    from danvan.units.models import Unit
    from danvan.worklist.selectors import worklist_for

    setup_test_environment()  # the test client's host allowed, as under pytest
    province = Unit.objects.get(code="19")
    user = make_user("bench-tinh", Role.OFFICER, province)
    grant_create(actor=None, user=user, role=Role.LEADER, unit=province)
    step("generating records")
    generate(connection, province, user, args.cases)
    step("generated")

    def listing() -> Any:
        return worklist_for(actor=user, root=province, today=TODAY, with_children=True)

    listing()
    with CaptureQueriesContext(connection) as before:
        result = listing()
    if args.queries:
        t0 = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            listing()
        whole = (time.perf_counter() - t0) * 1000
        in_sql = sum(float(q["time"]) for q in ctx.captured_queries) * 1000
        for q in ctx.captured_queries:
            print(f"  {float(q['time']) * 1000:6.1f} ms  {q['sql'][:160]}", flush=True)
        print(f"  list {whole:.1f} ms, of which SQL {in_sql:.1f} ms", flush=True)
        for summary in result.summaries:
            print(
                f"  {summary.source.code:<30} total {summary.total:6} overdue {summary.overdue:6}",
                flush=True,
            )
    if args.phases:
        phases(user, province, args.repeat)
    if args.profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
        for _ in range(5):
            listing()
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(30)
        pstats.Stats(prof).sort_stats("cumulative").print_stats("danvan", 40)
    reference = Reference(connection, province, user)
    expected = reference()
    got = {
        s.source.code: {p: n for p, n in f_by_child(result, s.source.code).items() if n}
        for s in result.summaries
    }
    got.pop("movement.reviews", None)
    # Sources the generated data gives nothing to (tasks, inspections' recommendations)
    # still run their queries in the list; the reference has no statement for them.
    got = {code: counts for code, counts in got.items() if counts or code in expected}
    if got != expected:
        diff = {
            k: (got.get(k), expected.get(k))
            for k in got.keys() | expected.keys()
            if got.get(k) != expected.get(k)
        }
        detail = {
            k: (len(a or {}), len(b or {}), sum((a or {}).values()), sum((b or {}).values()))
            for k, (a, b) in diff.items()
        }
        print(f"counts differ (list, reference): {detail}", flush=True)
        harness.emit({"backend": backend, "status": "error", "detail": f"counts differ: {detail}"})
        return 1
    items = result.total

    median = harness.medians({"list": listing, "reference": reference}, args.repeat)

    from danvan.worklist.registry import Scope, sources

    scope = Scope(actor=user, root=province, today=TODAY, limit=30)
    if args.explain:
        for source in sources():
            with CaptureQueriesContext(connection) as ctx:
                source.find(scope)
            for query in ctx.captured_queries:
                sql = query["sql"]
                print(f"--- {source.code}: {query['time']} s\n{sql[:600]}", flush=True)
                explain = (
                    "EXPLAIN QUERY PLAN "
                    if connection.vendor == "sqlite"
                    else "EXPLAIN (ANALYZE, COSTS OFF) "
                )
                with connection.cursor() as cur:
                    cur.execute(explain + sql.replace("%", "%%"))
                    for row in cur.fetchall():
                        print("   ", row[-1], flush=True)
    for source in sources():
        t0 = time.perf_counter()
        for _ in range(3):
            source.find(scope)
        print(f"  {source.code:<30} {(time.perf_counter() - t0) / 3 * 1000:7.1f} ms", flush=True)
    per_statement = []
    with connection.cursor() as cur:
        for code, sql, params in reference.statements:
            t0 = time.perf_counter()
            cur.execute(sql, params)
            cur.fetchall()
            per_statement.append((code, (time.perf_counter() - t0) * 1000))
        t0 = time.perf_counter()
        cur.execute(*reference.disclosure)
        cur.fetchall()
        per_statement.append(("disclosure", (time.perf_counter() - t0) * 1000))
    for code, ms in per_statement:
        print(f"  reference {code:<30} {ms:7.1f} ms", flush=True)

    client = Client()
    login_verified(client, user)
    url = reverse("dashboard:home")
    first = client.get(url)
    if first.status_code != 200:
        print(f"home page answered {first.status_code} {first.get('Location', '')}", flush=True)
    page_times, size = [], 0
    with CaptureQueriesContext(connection) as page_queries:
        response = client.get(url)
    if args.profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
        client.get(url)
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats("danvan", 40)
    for _ in range(max(3, args.repeat // 3)):
        t0 = time.perf_counter()
        response = client.get(url)
        page_times.append((time.perf_counter() - t0) * 1000)
        size = len(response.content)

    step("doubling the cases and commitments")
    communes = list(Unit.objects.filter(parent=province, kind="commune").order_by("path"))
    add_cases(connection, communes, args.cases, offset=1)
    add_commitments(list(Dialogue.objects.filter(state=Dialogue.State.HELD)), offset=1)
    with CaptureQueriesContext(connection) as after:
        listing()
    lst, ref = median["list"], median["reference"]
    page = statistics.median(page_times)
    harness.emit(
        {
            "backend": backend,
            "status": "done",
            "items": items,
            "queries_before": len(before.captured_queries),
            "queries_after": len(after.captured_queries),
            "list_ms": lst,
            "reference_ms": ref,
            "ratio": lst / ref,
            "page_ms": page,
            "page_ratio": page / ref,
            "page_kb": size / 1024,
            "page_queries": len(page_queries.captured_queries),
        }
    )
    return 0


def f_by_child(result: Any, code: str) -> dict[str, int]:
    """A source's counts per commune, as the leader's summary shows them."""
    index = (
        [s.source.code for s in result.active].index(code)
        if any(s.source.code == code for s in result.active)
        else None
    )
    if index is None:
        return {}
    return {row.unit.path: row.cells[index][0] for row in result.children}


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--child")
    p.add_argument("--repeat", type=int, default=15)
    p.add_argument("--cases", type=int, default=20_000)
    p.add_argument("--only", choices=["sqlite", "postgresql"])
    p.add_argument("--profile", action="store_true", help="print a profile of the list")
    p.add_argument("--explain", action="store_true", help="print each query's plan")
    p.add_argument("--queries", action="store_true", help="print the list's queries, timed")
    p.add_argument("--phases", action="store_true", help="print the median time of each phase")
    args = p.parse_args()
    if args.child:
        return main_child(args.child, args)
    return main_parent(args)


if __name__ == "__main__":
    sys.exit(main())
