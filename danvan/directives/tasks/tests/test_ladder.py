"""The ladder for late work (ladder.py): each step's boundary on a grid of due dates
around weekends and the holidays of late April 2026, checked against a plain reading of
the rule (WorkCalendar.working_days_between); idempotence; one step a day, never
skipping; one event per step."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from danvan.directives.tasks import ladder
from danvan.directives.tasks.models import (
    EventKind,
    Explanation,
    LadderStep,
    Task,
    TaskEvent,
    TaskState,
)
from danvan.legal.workdays import WorkCalendar
from danvan.units.models import Unit

from .conftest import travel
from .factories import TaskFactory

pytestmark = pytest.mark.django_db

CAL = WorkCalendar({})
# Tue 28/4 (after the Hùng Kings' day observed Mon 27/4), Wed 29/4 (before 30/4 and 1/5),
# Mon 4/5 (after the holidays and a weekend), and an ordinary Wednesday.
RUN_DAYS = [dt.date(2026, 4, 28), dt.date(2026, 4, 29), dt.date(2026, 5, 4), dt.date(2026, 3, 25)]
# The seeded figures (legal migration 0008): 3, 5, 5, 15 working days.
REMIND, EXPLAIN, UNANSWERED, OVERDUE = 3, 5, 5, 15


def wd(start: dt.date, end: dt.date) -> int:
    return CAL.working_days_between(start, end)


def grid(day: dt.date) -> list[dt.date]:
    return [day + dt.timedelta(days=n) for n in range(-35, 12)]


@pytest.fixture
def make(thai_nguyen: Unit, lead_unit: Unit) -> Callable[..., Task]:
    def make(
        due_on: dt.date, step: str = LadderStep.NONE, at: dt.date | None = None, **kw: Any
    ) -> Task:
        return TaskFactory.create(
            assigner_unit=thai_nguyen,
            lead_unit=lead_unit,
            due_on=due_on,
            ladder_step=step,
            ladder_at=at,
            **kw,
        )

    return make


def test_rules_come_from_the_duty_rules() -> None:
    rules = ladder.Rules.on(dt.date(2026, 4, 28))
    assert (
        rules.remind_before,
        rules.explain_after,
        rules.escalate_unanswered,
        rules.escalate_overdue,
    ) == (REMIND, EXPLAIN, UNANSWERED, OVERDUE)


@pytest.mark.parametrize("day", RUN_DAYS)
def test_boundaries_agree_with_the_calendar(day: dt.date) -> None:
    b = ladder.Boundaries.compute(today=day, rules=ladder.Rules.on(day), calendar=CAL)
    for due in grid(day):
        assert (due <= b.remind_until) == (due < day or wd(day, due) <= REMIND), due
        assert (due <= b.explain_by) == (due < day and wd(due, day) >= EXPLAIN), due
        assert (due <= b.escalate_due_by) == (due < day and wd(due, day) >= OVERDUE), due
        assert (due <= b.escalate_asked_by) == (wd(due, day) >= UNANSWERED), due


@pytest.mark.parametrize("day", RUN_DAYS)
def test_each_step_moves_exactly_the_rows_past_its_boundary(
    day: dt.date, make: Callable[..., Task]
) -> None:
    earlier = day - dt.timedelta(days=1)
    rows = {
        step: {
            due: make(due, step, None if step == LadderStep.NONE else earlier) for due in grid(day)
        }
        for step in (LadderStep.NONE, LadderStep.REMINDED, LadderStep.URGED)
    }
    escalating = {due: make(due, LadderStep.EXPLANATION_REQUESTED, earlier) for due in grid(day)}
    result = ladder.ladder_run(today=day, calendar=CAL)

    expected = {
        LadderStep.NONE: lambda d: d < day or wd(day, d) <= REMIND,
        LadderStep.REMINDED: lambda d: d < day,
        LadderStep.URGED: lambda d: d < day and wd(d, day) >= EXPLAIN,
    }
    target = {
        LadderStep.NONE: LadderStep.REMINDED,
        LadderStep.REMINDED: LadderStep.URGED,
        LadderStep.URGED: LadderStep.EXPLANATION_REQUESTED,
    }
    for step, tasks in rows.items():
        for due, task in tasks.items():
            task.refresh_from_db()
            moved = expected[step](due)
            assert task.ladder_step == (target[step] if moved else step), (step, due)
            assert task.ladder_at == (day if moved else (None if step == "none" else earlier))
    for due, task in escalating.items():
        task.refresh_from_db()
        moved = due < day and wd(due, day) >= OVERDUE
        assert task.ladder_step == (LadderStep.ESCALATED if moved else task.ladder_step)
        assert (task.ladder_step == LadderStep.ESCALATED) == moved, due
    assert result.reminded == sum(expected[LadderStep.NONE](d) for d in grid(day))
    assert result.urged == sum(d < day for d in grid(day))
    assert result.explanation_requested == sum(expected[LadderStep.URGED](d) for d in grid(day))
    assert result.escalated == sum(d < day and wd(d, day) >= OVERDUE for d in grid(day))
    # One event per moved row, of the step it reached; one system request per explanation.
    assert TaskEvent.objects.filter(kind=EventKind.REMINDED).count() == result.reminded
    assert TaskEvent.objects.filter(kind=EventKind.URGED).count() == result.urged
    assert (
        TaskEvent.objects.filter(kind=EventKind.EXPLANATION_REQUESTED).count()
        == result.explanation_requested
        == Explanation.objects.filter(requested_by=None, answered_at=None).count()
    )
    assert TaskEvent.objects.filter(kind=EventKind.ESCALATED).count() == result.escalated
    assert not TaskEvent.objects.exclude(actor=None).exists()


def test_escalates_an_unanswered_request_after_its_working_days(
    make: Callable[..., Task],
) -> None:
    day = dt.date(2026, 5, 4)  # Mon after the holidays
    due = dt.date(2026, 4, 22)  # 5 working days overdue: below the 15 of escalation
    asked = {d: make(due, LadderStep.EXPLANATION_REQUESTED, d) for d in grid(day) if d < day}
    answered = make(due, LadderStep.EXPLANATION_REQUESTED, day - dt.timedelta(days=20))
    for task in asked.values():
        Explanation.objects.create(task=task)
    Explanation.objects.create(task=answered, answered_at=dt.datetime(2026, 4, 20, tzinfo=dt.UTC))
    ladder.ladder_run(today=day, calendar=CAL)
    for at, task in asked.items():
        task.refresh_from_db()
        assert (task.ladder_step == LadderStep.ESCALATED) == (wd(at, day) >= UNANSWERED), at
    answered.refresh_from_db()
    assert answered.ladder_step == LadderStep.EXPLANATION_REQUESTED


def test_second_run_the_same_day_changes_nothing(make: Callable[..., Task]) -> None:
    day = dt.date(2026, 4, 28)
    for due in grid(day):
        make(due)
    first = ladder.ladder_run(today=day, calendar=CAL)
    assert first.reminded
    snapshot = list(Task.objects.values_list("id", "ladder_step", "ladder_at"))
    events = TaskEvent.objects.count()
    second = ladder.ladder_run(today=day, calendar=CAL)
    assert second.as_dict() == {
        "day": "2026-04-28",
        "reminded": 0,
        "urged": 0,
        "explanation_requested": 0,
        "escalated": 0,
        "skipped": False,
    }
    assert list(Task.objects.values_list("id", "ladder_step", "ladder_at")) == snapshot
    assert TaskEvent.objects.count() == events


def test_climbs_one_step_per_working_day_never_skipping(make: Callable[..., Task]) -> None:
    task = make(dt.date(2026, 2, 2))  # long overdue, recorded late
    day = dt.date(2026, 4, 24)  # Fri, then the weekend and holiday Mon 27/4
    seen: list[str] = []
    while len(seen) < 4:
        with travel(day):
            result = ladder.ladder_run(today=day, calendar=CAL)
        task.refresh_from_db()
        if not CAL.is_working_day(day):
            assert result.skipped
        elif not seen or seen[-1] != task.ladder_step:
            seen.append(task.ladder_step)
            assert task.ladder_at == day
        day += dt.timedelta(days=1)
    assert seen == [
        LadderStep.REMINDED,
        LadderStep.URGED,
        LadderStep.EXPLANATION_REQUESTED,
        LadderStep.ESCALATED,
    ]
    kinds = list(task.events.order_by("at", "id").values_list("kind", flat=True))
    assert kinds == [
        EventKind.REMINDED,
        EventKind.URGED,
        EventKind.EXPLANATION_REQUESTED,
        EventKind.ESCALATED,
    ]
    assert [d.isoformat() for d in _event_days(task)] == [
        "2026-04-24",
        "2026-04-28",
        "2026-04-29",
        "2026-05-04",
    ]
    # At the top it stays; later runs add nothing.
    ladder.ladder_run(today=dt.date(2026, 5, 5), calendar=CAL)
    assert task.events.count() == 4


def _event_days(task: Task) -> list[dt.date]:
    return [dt.date.fromisoformat(e.data["on"]) for e in task.events.order_by("at", "id")]


def test_only_open_tasks_climb(make: Callable[..., Task]) -> None:
    day = dt.date(2026, 4, 28)
    submitted = make(dt.date(2026, 4, 1), state=TaskState.SUBMITTED)
    cancelled = make(dt.date(2026, 4, 1), state=TaskState.CANCELLED)
    closed = make(dt.date(2026, 4, 1), state=TaskState.CLOSED, completed_on=dt.date(2026, 4, 2))
    result = ladder.ladder_run(today=day, calendar=CAL)
    assert result.reminded == 0
    for task in (submitted, cancelled, closed):
        task.refresh_from_db()
        assert task.ladder_step == LadderStep.NONE


def test_does_nothing_on_a_day_off(make: Callable[..., Task]) -> None:
    make(dt.date(2026, 4, 1))
    result = ladder.ladder_run(today=dt.date(2026, 4, 30), calendar=CAL)  # a holiday
    assert result.skipped
    assert not TaskEvent.objects.exists()


def test_uses_the_recorded_calendar_by_default(make: Callable[..., Task]) -> None:
    task = make(dt.date(2026, 4, 1))
    ladder.ladder_run(today=dt.date(2026, 4, 28))
    task.refresh_from_db()
    assert task.ladder_step == LadderStep.REMINDED
