"""The board computes its heavy cells in SQL (democracy.board.sql); the owning apps check
one unit at a time in Python. On a mixed data set — channels that overlap, touch, leave
gaps or are still open; schedules that start and end mid-month; sessions on some weeks
only; boards with too few members or a village left out — both must say the same thing
for every commune."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest

from danvan.accounts.testing import make_user
from danvan.cases.dialogues import selectors as dialogue_selectors
from danvan.cases.models import Dialogue, ReceptionSchedule, ReceptionSession
from danvan.cases.reception import selectors as reception_selectors
from danvan.democracy.board.selectors import Status, compliance_board
from danvan.disclosure import selectors as disclosure_selectors
from danvan.disclosure.models import Disclosure, DisclosureChannel, DisclosureKind
from danvan.disclosure.selectors import Problem
from danvan.legal.models import Duty
from danvan.supervision.models import Board, BoardMember
from danvan.supervision.selectors import board_findings
from danvan.units.models import Official, Unit, UnitKind
from danvan.units.services import unit_create

pytestmark = pytest.mark.django_db

START, END, TODAY = dt.date(2025, 7, 1), dt.date(2026, 1, 20), dt.date(2026, 1, 20)


def day(rng: random.Random, low: dt.date, high: dt.date) -> dt.date:
    return low + dt.timedelta(days=rng.randint(0, (high - low).days))


def populate(rng: random.Random, communes: list[Unit]) -> None:
    kinds = list(DisclosureKind.objects.filter(unit_kind="commune", mandatory=True))
    for commune in communes:
        # Disclosures: most kinds, each with a few channels of random spans.
        for kind in kinds:
            if rng.random() < 0.1:
                continue
            start = day(rng, dt.date(2025, 5, 1), dt.date(2026, 1, 10))
            end = None if rng.random() < 0.5 else start + dt.timedelta(days=rng.randint(0, 90))
            # A due date before the start (late), on it (in time), after it, or none.
            due = rng.choice([None, None, -3, -1, 0, 5])
            d = Disclosure.objects.create(
                unit=commune,
                kind=kind,
                title=kind.title[:200],
                start=start,
                end=end,
                due_on=None if due is None else start + dt.timedelta(days=due),
            )
            for _ in range(rng.randint(0, 4)):
                form = rng.choice(["posting", "loudspeaker", "loudspeaker", "website"])
                c_start = start + dt.timedelta(days=rng.randint(0, 40))
                c_end = (
                    None
                    if rng.random() < 0.2
                    else c_start + dt.timedelta(days=rng.choice([0, 1, 2, 3, 29, 31]))
                )
                DisclosureChannel.objects.create(disclosure=d, form=form, start=c_start, end=c_end)
            if rng.random() < 0.4:
                # One-day loudspeaker broadcasts on following days (a run when they touch),
                # sometimes with a day left out.
                on = start + dt.timedelta(days=rng.randint(0, 10))
                for _ in range(rng.randint(2, 4)):
                    DisclosureChannel.objects.create(
                        disclosure=d, form="loudspeaker", start=on, end=on
                    )
                    on += dt.timedelta(days=rng.choice([1, 1, 1, 2]))
        # Reception: a chair with one or two schedules (some without a duty), sessions on
        # some days.
        if rng.random() < 0.85:
            chair = Official.objects.create(unit=commune, full_name="Chủ tịch", position="CT")
            first = day(rng, dt.date(2025, 1, 1), dt.date(2025, 9, 30))
            cut = day(rng, dt.date(2025, 8, 1), dt.date(2025, 12, 31))
            duty = Duty.RECEPTION_COMMUNE_CHAIR if rng.random() < 0.9 else ""
            spans: list[tuple[dt.date, dt.date | None]] = [(first, cut)]
            if rng.random() < 0.3:
                # Nothing in September; a new schedule from Wednesday 1 October, whose
                # first week's Monday (29 September) is in a month without a schedule.
                spans = [(first, min(cut, dt.date(2025, 8, 20))), (dt.date(2025, 10, 1), None)]
            elif rng.random() < 0.6:
                spans.append((cut + dt.timedelta(days=rng.randint(1, 20)), None))
            for valid_from, valid_to in spans:
                ReceptionSchedule.objects.create(
                    unit=commune,
                    leader=chair,
                    duty=duty,
                    pattern="weekly",
                    day=rng.randint(0, 4),
                    place="Trụ sở",
                    valid_from=valid_from,
                    valid_to=valid_to,
                )
            held_rate = rng.choice([0.05, 0.15, 0.3])
            on = dt.date(2025, 6, 1)
            while on <= dt.date(2026, 2, 10):
                if rng.random() < held_rate:
                    for _ in range(rng.choice([1, 1, 2])):  # two sessions on one day count once
                        ReceptionSession.objects.create(
                            unit=commune, leader=chair, held_on=on, place="Trụ sở"
                        )
                on += dt.timedelta(days=1)
        # Dialogues: held (published in time, late, or not yet).
        for _ in range(rng.randint(0, 2)):
            held_on = day(rng, START, END)
            published = rng.choice([None, 5, 10, 11, 30])
            Dialogue.objects.create(
                unit=commune,
                title="Đối thoại",
                held_on=held_on,
                place="Hội trường",
                chair="Chủ tịch",
                state=Dialogue.State.PUBLISHED if published else Dialogue.State.HELD,
                announced_on=held_on - dt.timedelta(days=8),
                published_on=held_on + dt.timedelta(days=published) if published else None,
            )
        # The people's inspection board: none, or one with members from some villages.
        villages = [
            unit_create(actor=None, parent=commune, kind=UnitKind.VILLAGE, name=f"Thôn {i}")
            for i in range(rng.randint(0, 4))
        ]
        if rng.random() < 0.8:
            if rng.random() < 0.3:  # an older board, replaced
                Board.objects.create(
                    unit=commune, kind="inspection", term_start=dt.date(2020, 1, 1)
                )
            board = Board.objects.create(
                unit=commune, kind="inspection", term_start=dt.date(2024, 1, 1)
            )
            for i in range(rng.randint(3, 8)):
                BoardMember.objects.create(
                    board=board,
                    full_name=f"Thành viên {i}",
                    role="member",
                    village=rng.choice([*villages, None]),
                    term_end=dt.date(2025, 3, 1) if rng.random() < 0.15 else None,
                )


def expected_disclosure(user: Any, unit: Unit) -> tuple[str, int]:
    found = disclosure_selectors.compliance(user=user, unit=unit, start=START, end=END)
    missing = [f for f in found if f.problem == Problem.MISSING]
    if missing:
        return Status.MISSING, len(missing)
    if found:
        return Status.LATE, len(found)
    overlapping = Disclosure.objects.filter(unit=unit, start__lte=END).exclude(end__lt=START)
    return Status.DONE, overlapping.count()


def expected_reception(user: Any, unit: Unit) -> tuple[str, int]:
    has_schedule = (
        ReceptionSchedule.objects.filter(unit=unit, valid_from__lte=END)
        .exclude(duty="")
        .exclude(valid_to__lt=START)
        .exists()
    )
    if not has_schedule:
        return Status.MISSING, 0
    short = 0
    year, month = START.year, START.month
    while (year, month) <= (END.year, END.month):
        for s in reception_selectors.reception_shortfalls(
            user=user, unit=unit, year=year, month=month
        ):
            if (s.per_week and any(not g.ongoing for g in s.missing_weeks)) or (
                not s.per_week and not s.ongoing
            ):
                short += 1
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    if short:
        return Status.LATE, short
    days = ReceptionSession.objects.filter(unit=unit, held_on__gte=START, held_on__lte=END)
    return Status.DONE, days.values("held_on").distinct().count()


def expected_inspection(unit: Unit) -> tuple[str, int]:
    board = (
        Board.objects.filter(unit=unit, kind="inspection", term_start__lte=END)
        .order_by("-term_start", "id")
        .first()
    )
    if board is None:
        return Status.MISSING, 0
    found = board_findings(board, on=END)
    if found:
        return Status.LATE, len(found)
    return Status.DONE, sum(1 for m in board.members.all() if m.is_current_on(END))


def expected_dialogue(unit: Unit) -> tuple[str, int]:
    held = Dialogue.objects.filter(unit=unit, held_on__gte=START, held_on__lte=END)
    rows = dialogue_selectors.dialogue_rows(held)
    late = sum(1 for r in rows if r.publish_late or r.publish_overdue)
    if late:
        return Status.LATE, late
    return (Status.DONE, len(rows)) if rows else (Status.MISSING, 0)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_board_agrees_with_the_pages(
    seed: int, thai_nguyen: Unit, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(disclosure_selectors, "today", lambda: TODAY)
    monkeypatch.setattr(reception_selectors, "today", lambda: TODAY)
    monkeypatch.setattr(dialogue_selectors, "today", lambda: TODAY)
    rng = random.Random(seed)
    communes = list(Unit.objects.filter(parent=thai_nguyen, kind="commune").order_by("code")[:12])
    populate(rng, communes)
    admin = make_user(f"consistency-{seed}", "system_admin", None)
    board = compliance_board(user=admin, unit=thai_nguyen, start=START, end=END, today=TODAY)
    rows = {r.unit.pk: r.cells for r in board.rows}
    statuses: set[str] = set()
    for commune in communes:
        got = rows[commune.pk]
        for code, expected in (
            ("disclosure", expected_disclosure(admin, commune)),
            ("reception", expected_reception(admin, commune)),
            ("inspection_board", expected_inspection(commune)),
            ("dialogue", expected_dialogue(commune)),
        ):
            cell = got[code]
            assert (cell.status, cell.count) == expected, (commune.code, code)
            statuses.add(f"{code}:{cell.status}")
    # The data set is mixed enough to reach the interesting branches.
    for wanted in ("disclosure:late", "reception:late", "inspection_board:late"):
        assert wanted in statuses
