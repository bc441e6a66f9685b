"""The computed status: one rule in Python and in SQL, proved equal on a grid."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from danvan.directives.tasks.models import Task, TaskState
from danvan.directives.tasks.selectors import Day, status_counts
from danvan.directives.tasks.status import (
    DUE_SOON_WORKING_DAYS,
    TaskStatus,
    soon_until,
    status_case,
    status_of,
    status_q,
    with_status,
)
from danvan.legal.workdays import WorkCalendar
from danvan.units.models import Unit

from .conftest import TODAY
from .factories import TaskFactory

pytestmark = pytest.mark.django_db

# Due dates around today and the due-soon limit; completion days around the due date.
DUE_OFFSETS = (-30, -1, 0, 1, 5, 7, 8, 30)
DONE_OFFSETS = (-3, 0, 1, 10)


def test_soon_until_counts_working_days() -> None:
    # Wed 25/3/2026 + 5 working days: Thu, Fri, Mon, Tue, Wed 1/4.
    assert DUE_SOON_WORKING_DAYS == 5
    assert soon_until(TODAY) == dt.date(2026, 4, 1)
    assert soon_until(TODAY) == WorkCalendar().add_working_days(TODAY, 5)


def test_soon_until_skips_holidays() -> None:
    # Thu 30/4 and Fri 1/5/2026 are public holidays: from Tue 28/4, five working days
    # are Wed 29/4, Mon 4/5, Tue 5/5, Wed 6/5, Thu 7/5.
    assert soon_until(dt.date(2026, 4, 28)) == dt.date(2026, 5, 7)


def test_python_and_sql_agree_on_a_grid(lead_unit: Unit, thai_nguyen: Unit) -> None:
    soon = soon_until(TODAY)
    made: list[Task] = []
    for offset, state in itertools.product(DUE_OFFSETS, TaskState.values):
        due = TODAY + dt.timedelta(days=offset)
        dones = DONE_OFFSETS if state == TaskState.CLOSED else (None,)
        for done in dones:
            made.append(
                TaskFactory.create(
                    assigner_unit=thai_nguyen,
                    lead_unit=lead_unit,
                    due_on=due,
                    state=state,
                    completed_on=due + dt.timedelta(days=done) if done is not None else None,
                )
            )
    annotated = with_status(
        Task.objects.filter(pk__in=[t.pk for t in made]), today=TODAY, soon_until=soon
    )
    sql = {t.pk: t.status for t in annotated}  # type: ignore[attr-defined]
    seen = set()
    for task in made:
        expected = status_of(task, TODAY, soon)
        assert sql[task.pk] == (expected.value if expected else None), (
            task.state,
            task.due_on,
            task.completed_on,
        )
        seen.add(expected)
    assert seen == {*TaskStatus, None}
    # The filter form of the rule selects the same rows, and the filters do not overlap
    # (the column is made of them).
    for status in TaskStatus:
        matched = set(
            Task.objects.filter(status_q(status, today=TODAY, soon_until=soon)).values_list(
                "pk", flat=True
            )
        )
        assert matched == {t.pk for t in made if status_of(t, TODAY, soon) == status}, status


def test_the_day_is_today_or_as_of_never_both() -> None:
    soon = soon_until(TODAY)
    with pytest.raises(TypeError):
        status_q(TaskStatus.OVERDUE, soon_until=soon)
    with pytest.raises(TypeError):
        status_q(TaskStatus.OVERDUE, today=TODAY, as_of=TODAY, soon_until=soon)
    with pytest.raises(TypeError):
        status_case(soon_until=soon)


def test_the_four_way_breakdown(lead_unit: Unit, thai_nguyen: Unit) -> None:
    units = {"assigner_unit": thai_nguyen, "lead_unit": lead_unit}
    TaskFactory.create(**units, due_on=TODAY - dt.timedelta(days=1))  # overdue
    TaskFactory.create(**units, due_on=TODAY)  # due soon (the due day is still in time)
    TaskFactory.create(**units, due_on=TODAY + dt.timedelta(days=60))  # not due
    TaskFactory.create(**units, due_on=TODAY, state=TaskState.CLOSED, completed_on=TODAY)
    TaskFactory.create(
        **units, due_on=TODAY - dt.timedelta(days=5), state=TaskState.CLOSED, completed_on=TODAY
    )
    # Submitted but not accepted: not done yet, judged by its due date.
    TaskFactory.create(**units, due_on=TODAY - dt.timedelta(days=2), state=TaskState.SUBMITTED)
    TaskFactory.create(**units, due_on=TODAY - dt.timedelta(days=9), state=TaskState.CANCELLED)
    counts = dict(status_counts(Task.objects.all(), Day(TODAY, soon_until(TODAY))))
    assert counts == {
        TaskStatus.OVERDUE: 2,
        TaskStatus.DUE_SOON: 1,
        TaskStatus.NOT_DUE: 1,
        TaskStatus.DONE_ON_TIME: 1,
        TaskStatus.DONE_LATE: 1,
    }


def test_counts_in_one_query(
    lead_unit: Unit, thai_nguyen: Unit, django_assert_num_queries: object
) -> None:
    TaskFactory.create_batch(5, assigner_unit=thai_nguyen, lead_unit=lead_unit)
    day = Day(TODAY, soon_until(TODAY))
    with django_assert_num_queries(1):  # type: ignore[operator]
        status_counts(Task.objects.all(), day)
