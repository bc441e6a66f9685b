"""Benchmark: the compliance board of a province (democracy.board.selectors.compliance_board).

Goal: the compliance board for a province (all communes × all obligations for a year)
renders in constant queries, and its server time is at most 2× the hand-written SQL that
computes the same cells.

For each backend (``--only sqlite|postgresql``) a child process migrates a throwaway
database, loads the real unit tree and generates a year (2025-07-01 … 2026-06-30) of
records for every commune of one province, plus agencies and enterprises: disclosures
with posting and loudspeaker channels (one commune in three misses a kind, some postings
and broadcasts too short), dialogues (in time, late, none), the chair's weekly reception
schedule and ~5,000 sessions (some weeks missed), villages, inspection boards (none, too
few members, complete), matters and votes (passed, invalid and not followed) and
conferences.

It counts the queries of ``compliance_board`` on the province and on one commune (must
be equal), then times the board against the reference (bench/democracy_board_ref.py):
hand-written SQL through a raw cursor, one statement per obligation, that computes every
cell's status and count with the legal figures read from the rule tables in SQL. The
reference's cells must equal the board's, cell by cell, or the run fails. Median of
``--repeat`` alternated runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

import democracy_board_ref
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

    def report(r: dict[str, Any]) -> bool:
        met = r["queries_province"] == r["queries_commune"] and r["ratio"] <= GOAL
        print(
            f"{r['backend']:<11} units {r['rows']:>4} queries {r['queries_province']}/"
            f"{r['queries_commune']} reference {r['reference_ms']:.1f} ms board "
            f"{r['board_ms']:.1f} ms ratio {r['ratio']:.2f}  {'PASS' if met else 'FAIL'}"
            f" (statuses {r['statuses']})"
        )
        return met

    return harness.summary(
        results, f"goal: equal queries; board ≤ {GOAL}× hand-written SQL", report
    )


def generate(connection: Any, province: Any) -> None:
    """A year of records; bulk INSERT … SELECT for the big tables, the ORM for the rest."""
    from django.utils import timezone

    from danvan.cases.models import Dialogue, ReceptionSchedule, ReceptionSession
    from danvan.democracy.models import Matter, Vote
    from danvan.disclosure.models import Disclosure, DisclosureChannel, DisclosureKind
    from danvan.supervision.models import Board, BoardMember, Conference
    from danvan.units.models import Official, Unit
    from danvan.units.services import unit_create

    q = connection.ops.quote_name
    t = {m: q(m._meta.db_table) for m in (Unit, Disclosure, DisclosureKind, Dialogue, Board)}
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
        # Due dates: one disclosure in eleven started a week late, one in eleven in time.
        cur.execute(f"UPDATE {t[Disclosure]} SET due_on = '2025-07-25' WHERE id % 11 = 0")
        cur.execute(f"UPDATE {t[Disclosure]} SET due_on = '2025-08-01' WHERE id % 11 = 1")
        # Dialogues: results published in time (id%3=0), late (id%3=1), none (id%3=2).
        for rest, published in ((0, "2025-09-15"), (1, "2025-10-30")):
            cur.execute(
                f"INSERT INTO {t[Dialogue]} (created_at, updated_at, public_id, unit_id, title,"
                f" held_on, place, chair, state, announced_on, published_on, participants,"
                f" participants_count, results) SELECT {now}, {now}, {uuid}, u.id, 'Đối thoại',"
                f" '2025-09-10', 'Hội trường', 'Chủ tịch', 'published', '2025-09-01',"
                f" '{published}', '', 0, '' FROM ({communes}) u WHERE u.id % 3 = {rest}"
            )
        # Inspection boards for two communes in three.
        cur.execute(
            f"INSERT INTO {t[Board]} (created_at, updated_at, public_id, unit_id, kind, project,"
            f" term_start) SELECT {now}, {now}, {uuid}, u.id, 'inspection', '', '2024-01-01'"
            f" FROM ({communes}) u WHERE u.id % 3 != 1"
        )
    commune_list = list(Unit.objects.filter(parent=province, kind="commune").order_by("path"))
    # Channels: a 36-day posting (20 days for one disclosure in seven) and, for kinds with
    # a loudspeaker minimum, one-day broadcasts on 3 following days (2 for one in five).
    channels = []
    for d in Disclosure.objects.filter(unit__in=commune_list).select_related("kind"):
        days = 20 if d.pk % 7 == 0 else 36
        channels.append(
            DisclosureChannel(
                disclosure=d,
                form="posting",
                start=dt.date(2025, 8, 1),
                end=dt.date(2025, 8, 1) + dt.timedelta(days=days - 1),
            )
        )
        if d.kind.loudspeaker_min_days:
            for i in range(2 if d.pk % 5 == 0 else 3):
                on = dt.date(2025, 8, 2) + dt.timedelta(days=i)
                channels.append(
                    DisclosureChannel(disclosure=d, form="loudspeaker", start=on, end=on)
                )
    DisclosureChannel.objects.bulk_create(channels, batch_size=2000)
    # Reception: the chair's weekly schedule and a session every Wednesday; one commune in
    # four misses every ninth week, one in ten has no schedule at all.
    chairs = Official.objects.bulk_create(
        [
            Official(unit=c, full_name=f"Chủ tịch {c.code}", position="Chủ tịch")
            for c in commune_list
        ]
    )
    ReceptionSchedule.objects.bulk_create(
        [
            ReceptionSchedule(
                unit=c,
                leader=chair,
                duty="reception_commune_chair",
                pattern="weekly",
                day=2,
                place="Trụ sở",
                valid_from=dt.date(2025, 1, 1),
            )
            for c, chair in zip(commune_list, chairs, strict=True)
            if c.pk % 10 != 0
        ]
    )
    sessions = []
    for c, chair in zip(commune_list, chairs, strict=True):
        wednesday, week = dt.date(2025, 7, 2), 0
        while wednesday <= TODAY:
            if not (c.pk % 4 == 0 and week % 9 == 0):
                sessions.append(
                    ReceptionSession(unit=c, leader=chair, held_on=wednesday, place="Trụ sở")
                )
            wednesday += dt.timedelta(days=7)
            week += 1
    ReceptionSession.objects.bulk_create(sessions, batch_size=2000)
    # Two villages per commune; board members (complete for id%3=0, none for id%3=2);
    # a matter per village, its vote passed in the first village, invalid and not
    # followed in the second for even commune ids.
    members, matters = [], []
    boards = {b.unit_id: b for b in Board.objects.filter(unit__in=commune_list)}
    for c in commune_list:
        villages = [
            unit_create(actor=None, parent=c, kind="village", name=f"Thôn {i}", households=80)
            for i in range(2)
        ]
        board = boards.get(c.pk)
        if board is not None and c.pk % 3 == 0:
            members += [
                BoardMember(
                    board=board, full_name=f"TV {i}", role="member", village=villages[i % 2]
                )
                for i in range(5)
            ]
        matters += [
            Matter(unit=v, kind="charter", title="Hương ước", raised_on=dt.date(2025, 9, 1))
            for v in villages
        ]
    BoardMember.objects.bulk_create(members)
    Matter.objects.bulk_create(matters)
    closed = timezone.make_aware(dt.datetime(2025, 9, 20, 20, 0))  # noqa: DTZ001
    votes = []
    rows = Matter.objects.filter(unit__parent__in=commune_list).select_related("unit")
    for i, m in enumerate(rows.order_by("id")):
        if i % 2 == 0:
            outcome, present, agree = "passed", 60, 50
        elif (m.unit.parent_id or 0) % 2 == 0:
            outcome, present, agree = "invalid", 30, 20
        else:
            continue
        votes.append(
            Vote(
                matter=m,
                method="meeting",
                households_total=80,
                opened_on=dt.date(2025, 9, 20),
                closed_at=closed,
                households_present=present,
                agree=agree,
                outcome=outcome,
            )
        )
    Vote.objects.bulk_create(votes)
    # Ten agencies and ten enterprises with their conferences (some missing).
    conferences = []
    on = dt.date(2025, 12, 15)
    for i in range(10):
        agency = unit_create(actor=None, parent=province, kind="agency", name=f"Sở {i}")
        firm = unit_create(actor=None, parent=province, kind="enterprise", name=f"Công ty {i}")
        for unit, kind, held in (
            (agency, "staff", i % 3),
            (firm, "workers", i % 2),
            (firm, "dialogue", i % 4),
        ):
            if held:
                conferences.append(
                    Conference(
                        unit=unit,
                        kind=kind,
                        held_on=on,
                        participants_employer=3,
                        participants_workers=30,
                    )
                )
    Conference.objects.bulk_create(conferences)
    # Fresh statistics, as a live database has them (both the board and the reference
    # are planned from them).
    with connection.cursor() as cur:
        cur.execute("ANALYZE")


def main_child(backend: str, args: argparse.Namespace) -> int:
    step = harness.start_child()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from danvan.accounts.testing import make_user
    from danvan.democracy.board.selectors import OBLIGATIONS, Status, compliance_board
    from danvan.units.models import Unit

    province = Unit.objects.get(code="19")
    admin = make_user("bench-admin", "system_admin", None)
    step("generating records")
    generate(connection, province)
    commune = Unit.objects.filter(parent=province, kind="commune").order_by("code")[0]
    step("generated")

    def board(unit: Unit) -> Any:
        return compliance_board(user=admin, unit=unit, start=START, end=END, today=TODAY)

    board(province)
    with CaptureQueriesContext(connection) as cp:
        result = board(province)
    with CaptureQueriesContext(connection) as cc:
        board(commune)

    reference = democracy_board_ref.Reference(connection, province, START, END, TODAY)
    # The reference must compute the same cells as the board, or the timing means nothing.
    expected = reference()
    got = {
        (row.unit.pk, o.code): (row.cells[o.code].status, row.cells[o.code].count)
        for row in result.rows
        for o in OBLIGATIONS
        if row.unit.kind in o.unit_kinds
    }
    if got != expected:
        diff = sorted(set(got.items()) ^ set(expected.items()))[:10]
        harness.emit({"backend": backend, "status": "error", "detail": f"cells differ: {diff}"})
        return 1
    statuses = {s: sum(1 for st, _ in got.values() if st == s) for s in Status.ORDER}

    median = harness.medians(
        {"board": lambda: board(province), "reference": reference}, args.repeat
    )
    b, r = median["board"], median["reference"]
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
            "statuses": ",".join(f"{k}={v}" for k, v in statuses.items()),
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
