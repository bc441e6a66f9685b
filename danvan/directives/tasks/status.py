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

The SQL forms also see the statuses as they stood at the end of a given day (``as_of``,
the tasks board's periods and the reports): a task accepted after that day was still
open on it. One filter per status (status_q) makes both, the column and the counts.
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


def _judged_on(today: dt.date | None, as_of: dt.date | None) -> dt.date:
    """The day the statuses are seen on: *today* or *as_of*, exactly one of them."""
    if today is not None and as_of is None:
        return today
    if as_of is not None and today is None:
        return as_of
    raise TypeError("status_q and status_case take one of today and as_of")


def status_q(
    status: str,
    *,
    soon_until: dt.date,
    today: dt.date | None = None,
    as_of: dt.date | None = None,
    prefix: str = "",
) -> Q:
    """A filter for the tasks (reached through *prefix*) with *status* (no annotation
    needed: usable in counts).

    Seen *today*, a task has the status its dates give it now (status_of). Seen *as_of*
    a day (one gone by, or today where a past period's figures are compared with it),
    it has the status it had at that day's end: a task accepted after the day was still
    open then, and a closed one is done only from its completed_on. The tasks board
    counts with it and the list a number opens filters with it, so that they agree.
    """
    day = _judged_on(today, as_of)

    def q(**lookups: Any) -> Q:
        return Q(**{f"{prefix}{name}": value for name, value in lookups.items()})

    closed, cancelled = TaskState.CLOSED, TaskState.CANCELLED
    on_time = q(completed_on__lte=models.F(f"{prefix}due_on"))
    live = ~q(state__in=[closed, cancelled])
    done_by = Q()
    if as_of is not None:
        live |= q(state=closed, completed_on__gt=as_of)  # accepted later: open that day
        done_by = q(completed_on__lte=as_of)
    match status:
        case TaskStatus.DONE_ON_TIME:
            return q(state=closed) & on_time & done_by
        case TaskStatus.DONE_LATE:
            return q(state=closed) & ~on_time & done_by
        case TaskStatus.OVERDUE:
            return live & q(due_on__lt=day)
        case TaskStatus.DUE_SOON:
            return live & q(due_on__gte=day, due_on__lte=soon_until)
        case TaskStatus.NOT_DUE:
            return live & q(due_on__gt=soon_until)
    raise ValueError(status)


def status_case(
    *,
    soon_until: dt.date,
    today: dt.date | None = None,
    as_of: dt.date | None = None,
    prefix: str = "",
) -> Case:
    """status_of as an SQL expression over the task reached through *prefix* (None for a
    cancelled task), seen *today* or *as_of* a day as status_q says: one When per
    status_q filter (they do not overlap), so that the column and the filters agree."""
    return Case(
        *(
            When(
                status_q(s.value, soon_until=soon_until, today=today, as_of=as_of, prefix=prefix),
                then=Value(s.value),
            )
            for s in STATUS_ORDER
        ),
        default=Value(None),
        output_field=models.CharField(max_length=16, null=True),
    )


def with_status(qs: QuerySet[M], *, today: dt.date, soon_until: dt.date) -> QuerySet[M]:
    """*qs* (tasks) with a ``status`` column: the same rule as status_of, in SQL."""
    return qs.annotate(status=status_case(today=today, soon_until=soon_until))
