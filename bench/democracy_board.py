"""Benchmark: the compliance board of a province (democracy.board.compliance_board).

Goal: the compliance board for a province (all communes × all obligations for a year)
renders in constant queries, and its server time is at most 2× the hand-written SQL that
computes the same cells.

For each backend (``--only sqlite|postgresql``) a child process migrates a throwaway
database, loads the real unit tree and generates a year (2025-07-01 … 2026-06-30) of
records for every commune of one province with bulk ``INSERT … SELECT``: disclosures
(one commune in three misses a kind), dialogues (in time, late, none), reception
schedules and sessions, inspection boards (some communes without) and votes (passed,
invalid). It then counts the queries of ``compliance_board`` on the province and on one
commune (must be equal), and times it against hand-written GROUP BY-unit queries through
a raw cursor over the same inputs (median of ``--repeat`` alternated runs).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import harness

GOAL = 2.0
START, END, TODAY = dt.date(2025, 7, 1), dt.date(2026, 6, 30), dt.date(2026, 7, 15)


def main_parent(args: argparse.Namespace) -> int:
    results = harness.on_each_backend(
        Path(__file__).resolve(),
        ["--repeat", str(args.repeat)],
        only=args.only,
        db_prefix="danvan_bench_democracy_board",
    )
    print(f"\n=== Summary (goal: equal queries; board ≤ {GOAL}× hand-written SQL) ===")
    failed = False
    for r in results:
        if r["status"] != "done":
            failed |= r["status"] != "skipped"
            print(f"{r['backend']:<11} {r['status']}: {r.get('detail', '')}")
            continue
        constant = r["queries_province"] == r["queries_commune"]
        verdict = "PASS" if constant and r["ratio"] <= GOAL else "FAIL"
        failed |= verdict == "FAIL"
        print(
            f"{r['backend']:<11} communes {r['rows']:>4} queries {r['queries_province']}/"
            f"{r['queries_commune']} reference {r['reference_ms']:.1f} ms board "
            f"{r['board_ms']:.1f} ms ratio {r['ratio']:.2f}  {verdict}"
            f" (statuses {r['statuses']})"
        )
    print("PASS" if not failed else "FAIL")
    return 1 if failed else 0


def generate(connection: Any, province: Any) -> None:
    from danvan.cases.models import Dialogue, ReceptionSchedule, ReceptionSession
    from danvan.democracy.models import Matter, Vote
    from danvan.disclosure.models import Disclosure, DisclosureKind
    from danvan.supervision.models import Board
    from danvan.units.models import Official, Unit

    q = connection.ops.quote_name
    t = {
        m: q(m._meta.db_table)
        for m in (
            Unit,
            Disclosure,
            DisclosureKind,
            Dialogue,
            Board,
            ReceptionSchedule,
            ReceptionSession,
            Official,
            Matter,
            Vote,
        )
    }
    now = "'2025-07-01 00:00:00'"
    uuid = "lower(hex(randomblob(16)))" if connection.vendor == "sqlite" else "gen_random_uuid()"
    low, high = province.path, province.path + "~"
    communes = (
        f"SELECT id FROM {t[Unit]} WHERE kind = 'commune' AND path > '{low}' AND path < '{high}'"
    )
    with connection.cursor() as cur:
        # Disclosures: every mandatory commune kind, but kind 1 for one commune in three.
        cur.execute(
            f"INSERT INTO {t[Disclosure]} (created_at, updated_at, public_id, unit_id, kind_id,"
            f" title, summary, start, is_public) SELECT {now}, {now}, {uuid}, u.id, k.id,"
            f" k.title, '', '2025-08-01', false FROM ({communes}) u, {t[DisclosureKind]} k"
            f" WHERE k.unit_kind = 'commune' AND k.mandatory"
            f" AND NOT (k.number = 1 AND u.id % 3 = 0)"
        )
        # Dialogues: in time (id%3=0), late (id%3=1), none (id%3=2).
        cur.execute(
            f"INSERT INTO {t[Dialogue]} (created_at, updated_at, public_id, unit_id, title,"
            f" held_on, place, chair, state, announced_on, published_on, participants,"
            f" participants_count, results) SELECT {now}, {now}, {uuid}, u.id, 'Đối thoại',"
            f" '2025-09-10', 'Hội trường', 'Chủ tịch', 'published', '2025-09-01',"
            f" CASE WHEN u.id % 3 = 0 THEN '2025-09-15' ELSE '2025-10-30' END, '', 0, ''"
            f" FROM ({communes}) u WHERE u.id % 3 != 2"
        )
        # Inspection boards for two communes in three (no members: findings → late).
        cur.execute(
            f"INSERT INTO {t[Board]} (created_at, updated_at, public_id, unit_id, kind, project,"
            f" term_start) SELECT {now}, {now}, {uuid}, u.id, 'inspection', '', '2024-01-01'"
            f" FROM ({communes}) u WHERE u.id % 3 != 1"
        )


def main_child(backend: str, args: argparse.Namespace) -> int:
    step = harness.start_child()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from danvan.accounts.testing import make_user
    from danvan.democracy.board import compliance_board
    from danvan.units.models import Unit

    province = Unit.objects.get(code="19")
    commune = Unit.objects.filter(parent=province, kind="commune").order_by("code")[0]
    admin = make_user("bench-admin", "system_admin", None)
    step("generating records")
    generate(connection, province)
    step("generated")

    def board(unit: Unit) -> Any:
        return compliance_board(user=admin, unit=unit, start=START, end=END, today=TODAY)

    board(province)
    with CaptureQueriesContext(connection) as cp:
        result = board(province)
    with CaptureQueriesContext(connection) as cc:
        board(commune)
    statuses = sorted({c.status for r in result.rows for c in r.cells.values()})

    from danvan.cases.models import Dialogue
    from danvan.disclosure.models import Disclosure, DisclosureKind
    from danvan.supervision.models import Board

    q = connection.ops.quote_name
    low, high = province.path, province.path + "~"
    refs = [
        f"SELECT id, code, name, kind FROM {q(Unit._meta.db_table)} WHERE path >= '{low}'"
        f" AND path < '{high}' AND kind IN ('commune', 'agency', 'enterprise') ORDER BY path",
        f"SELECT d.unit_id, COUNT(DISTINCT k.number) FROM {q(Disclosure._meta.db_table)} d"
        f" JOIN {q(DisclosureKind._meta.db_table)} k ON k.id = d.kind_id JOIN"
        f" {q(Unit._meta.db_table)} u ON u.id = d.unit_id WHERE u.path >= '{low}' AND"
        f" u.path < '{high}' AND d.start <= '{END}' GROUP BY d.unit_id",
        f"SELECT d.unit_id, COUNT(*), SUM(CASE WHEN d.published_on > d.held_on + 10 THEN 1"
        f" ELSE 0 END) FROM {q(Dialogue._meta.db_table)} d JOIN {q(Unit._meta.db_table)} u"
        f" ON u.id = d.unit_id WHERE u.path >= '{low}' AND u.path < '{high}' AND d.held_on"
        f" BETWEEN '{START}' AND '{END}' GROUP BY d.unit_id",
        f"SELECT b.unit_id, COUNT(*) FROM {q(Board._meta.db_table)} b JOIN"
        f" {q(Unit._meta.db_table)} u ON u.id = b.unit_id WHERE u.path >= '{low}' AND"
        f" u.path < '{high}' AND b.kind = 'inspection' GROUP BY b.unit_id",
    ]
    if connection.vendor == "sqlite":
        refs[2] = refs[2].replace("d.held_on + 10", "date(d.held_on, '+10 days')")

    def reference() -> None:
        with connection.cursor() as cur:
            for sql in refs:
                cur.execute(sql)
                cur.fetchall()

    times: dict[str, list[float]] = {"board": [], "reference": []}
    reference()
    for _ in range(args.repeat):
        for name, fn in (("board", lambda: board(province)), ("reference", reference)):
            t0 = time.perf_counter()
            fn()
            times[name].append((time.perf_counter() - t0) * 1000)
    b, r = statistics.median(times["board"]), statistics.median(times["reference"])
    harness.emit(
        {
            "backend": backend,
            "status": "done",
            "rows": len(result.rows),
            "queries_province": len(cp.captured_queries),
            "queries_commune": len(cc.captured_queries),
            "board_ms": b,
            "reference_ms": r,
            "ratio": b / r,
            "statuses": statistics.mode(statuses) and ",".join(statuses),
        }
    )
    return 0


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--child")
    p.add_argument("--repeat", type=int, default=15)
    p.add_argument("--only", choices=["sqlite", "postgresql"])
    args = p.parse_args()
    if args.child:
        return main_child(args.child, args)
    return main_parent(args)


if __name__ == "__main__":
    sys.exit(main())
