"""A task's status, computed on read from its dates, never typed (domain.md §9).

The Government Office counts tasks four ways (Decision 42/2014/QĐ-TTg, amended by
Decision 23/2018/QĐ-TTg): done on time, done late, open within the deadline, open and
overdue. The open tasks within the deadline are split once more here: those due within
DUE_SOON_WORKING_DAYS working days are "due soon", so that they are chased before they
are late. A cancelled task has no status and is not counted.

One rule, two forms: `status_of` for one task in Python and `with_status` as a queryset
annotation, so that a board counts the breakdown in SQL in one query. The tests prove
that both agree on a grid of cases.

- closed (accepted): done on time when completed_on ≤ due_on, else done late;
- open or submitted (a deliverable waiting for acceptance is not yet done): overdue when
  today is after due_on (the due day itself is still in time), due soon when due_on is
  on or before soon_until, else not due.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.db import models
from django.db.models import Case, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from danvan.legal.workdays import WorkCalendar

from .models import TaskState

# "Due soon": within a working week. Provinces remind lead units about a week ahead;
# five working days is that week whatever the holidays.
DUE_SOON_WORKING_DAYS = 5

M = TypeVar("M", bound=models.Model)


class TaskStatus(models.TextChoices):
    NOT_DUE = "not_due", _("Chưa đến hạn")
    DUE_SOON = "due_soon", _("Sắp đến hạn")
    OVERDUE = "overdue", _("Chưa hoàn thành, quá hạn")
    DONE_ON_TIME = "done_on_time", _("Hoàn thành đúng hạn")
    DONE_LATE = "done_late", _("Hoàn thành quá hạn")


# The order a summary shows them in: what needs action first.
STATUS_ORDER = (
    TaskStatus.OVERDUE,
    TaskStatus.DUE_SOON,
    TaskStatus.NOT_DUE,
    TaskStatus.DONE_ON_TIME,
    TaskStatus.DONE_LATE,
)


def soon_until(today: dt.date, calendar: WorkCalendar | None = None) -> dt.date:
    """The last day that counts as "due soon" seen from *today*: DUE_SOON_WORKING_DAYS
    working days ahead on the working-day calendar."""
    return (calendar or WorkCalendar()).add_working_days(today, DUE_SOON_WORKING_DAYS)


def status_of(task: Any, today: dt.date, soon_until: dt.date) -> TaskStatus | None:
    """The status of *task* on *today* (None for a cancelled task)."""
    if task.state == TaskState.CANCELLED:
        return None
    if task.state == TaskState.CLOSED:
        if task.completed_on is not None and task.completed_on <= task.due_on:
            return TaskStatus.DONE_ON_TIME
        return TaskStatus.DONE_LATE
    if task.due_on < today:
        return TaskStatus.OVERDUE
    if task.due_on <= soon_until:
        return TaskStatus.DUE_SOON
    return TaskStatus.NOT_DUE


def status_case(*, today: dt.date, soon_until: dt.date, prefix: str = "") -> Case:
    """status_of as an SQL expression over the task reached through *prefix*."""

    def f(name: str) -> str:
        return f"{prefix}{name}"

    return Case(
        When(Q(**{f("state"): TaskState.CANCELLED}), then=Value(None)),
        When(
            Q(**{f("state"): TaskState.CLOSED, f("completed_on__lte"): models.F(f("due_on"))}),
            then=Value(TaskStatus.DONE_ON_TIME.value),
        ),
        When(Q(**{f("state"): TaskState.CLOSED}), then=Value(TaskStatus.DONE_LATE.value)),
        When(Q(**{f("due_on__lt"): today}), then=Value(TaskStatus.OVERDUE.value)),
        When(Q(**{f("due_on__lte"): soon_until}), then=Value(TaskStatus.DUE_SOON.value)),
        default=Value(TaskStatus.NOT_DUE.value),
        output_field=models.CharField(max_length=16, null=True),
    )


def with_status(qs: QuerySet[M], *, today: dt.date, soon_until: dt.date) -> QuerySet[M]:
    """*qs* (tasks) with a ``status`` column: the same rule as status_of, in SQL."""
    return qs.annotate(status=status_case(today=today, soon_until=soon_until))


def status_q(status: str, *, today: dt.date, soon_until: dt.date) -> Q:
    """A filter for the tasks with *status* (no annotation needed: usable in counts)."""
    closed, cancelled = TaskState.CLOSED, TaskState.CANCELLED
    live = ~Q(state__in=[closed, cancelled])
    match status:
        case TaskStatus.DONE_ON_TIME:
            return Q(state=closed, completed_on__lte=models.F("due_on"))
        case TaskStatus.DONE_LATE:
            return Q(state=closed) & ~Q(completed_on__lte=models.F("due_on"))
        case TaskStatus.OVERDUE:
            return live & Q(due_on__lt=today)
        case TaskStatus.DUE_SOON:
            return live & Q(due_on__gte=today, due_on__lte=soon_until)
        case TaskStatus.NOT_DUE:
            return live & Q(due_on__gt=soon_until)
    raise ValueError(status)
