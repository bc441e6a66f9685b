"""Every read of plans and tasks, scoped to what the actor may see.

A task is seen by those who hold DIRECTIVE_VIEW on its lead unit, its assigner unit or
one of its coordinating units; a task out of sight answers exactly like a missing one.
Lists run a fixed number of queries whatever their length. A parent's progress is
derived here from its sub-tasks, never typed.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.core.errors import NotFound
from danvan.units.models import Unit

from . import policies as task_policies
from .models import Plan, SourceKind, Task, TaskEvent, TaskState
from .status import (
    STATUS_ORDER,
    TaskStatus,
    soon_until,
    status_case,
    status_of,
    status_q,
    with_status,
)

Through = Task.coordinating_units.through

# The list's ``cancelled`` filter: this value leaves cancelled tasks out, as the board
# and the status counts do (the board's totals open the list with it).
CANCELLED_EXCLUDE = "exclude"


class Tab:
    """Which relation to a unit a list shows."""

    LEAD = "lead"  # tasks the unit (or a unit under it) leads
    COORDINATE = "coordinate"  # tasks it helps with
    ASSIGNED = "assigned"  # tasks it gave
    ALL = (LEAD, COORDINATE, ASSIGNED)


def today() -> dt.date:
    return timezone.localdate()


@dataclass(frozen=True)
class Day:
    """The day a page is seen on, and the last day that counts as "due soon".

    *past*: the statuses are those the tasks had at the end of *today*, a day gone by
    (the board's past periods, its links' ``as_of``): a task accepted after it was
    still open then (status.status_q's ``as_of``)."""

    today: dt.date
    soon: dt.date
    past: bool = False

    @classmethod
    def now(cls) -> Day:
        day = today()
        return cls(day, soon_until(day))

    @classmethod
    def as_of(cls, day: dt.date) -> Day:
        """The statuses as they stood on *day* (on or before today)."""
        return cls(day, soon_until(day), past=True)


# -- the status on a given day --------------------------------------------------------------


def status_as_of(task: Any, as_of: dt.date, soon: dt.date) -> TaskStatus | None:
    """The status of *task* at the end of *as_of*, in Python: the reference the tests
    hold status.status_q's ``as_of`` to (a task accepted later was still open then)."""
    if task.state == TaskState.CLOSED and task.completed_on and task.completed_on > as_of:
        return status_of(_Open(task.due_on), as_of, soon)
    return status_of(task, as_of, soon)


@dataclass(frozen=True)
class _Open:
    due_on: dt.date
    state: str = TaskState.OPEN.value
    completed_on: dt.date | None = None


def _seen(day: Day) -> tuple[dt.date | None, dt.date | None]:
    """(today, as_of) for status_q and status_case: a day gone by is seen as of its end."""
    return (None, day.today) if day.past else (day.today, None)


def _status_column(day: Day) -> Case:
    today, as_of = _seen(day)
    return status_case(today=today, as_of=as_of, soon_until=day.soon)


def _status_filter(status: str, day: Day) -> Q:
    today, as_of = _seen(day)
    return status_q(status, today=today, as_of=as_of, soon_until=day.soon)


def _coordinated_by(q_units: Q) -> Exists:
    """Tasks one of whose coordinating units matches *q_units* (a filter on ``unit__``)."""
    return Exists(Through.objects.filter(q_units, task_id=OuterRef("pk")))


def visible_q(user: Any) -> Q:
    """The tasks *user* may see (see the module docstring)."""
    lead = policies.scope_q(user, Perm.DIRECTIVE_VIEW, "lead_unit__")
    if lead == Q():
        return Q()  # a national reader
    assigner = policies.scope_q(user, Perm.DIRECTIVE_VIEW, "assigner_unit__")
    coordinating = policies.scope_q(user, Perm.DIRECTIVE_VIEW, "unit__")
    return lead | assigner | Q(_coordinated_by(coordinating))


def _base() -> QuerySet[Task]:
    return Task.objects.select_related("lead_unit", "assigner_unit").prefetch_related(
        Prefetch("coordinating_units", queryset=Unit.objects.order_by("path"))
    )


def task_get(*, user: Any, public_id: uuid.UUID | str) -> Task:
    task = (
        _base()
        .select_related("plan", "parent", "source_document", "source_type", "accepted_by")
        .filter(public_id=public_id)
        .first()
    )
    if task is None or not task_policies.can_view(user, task):
        raise NotFound()
    return task


def tasks_for_unit(
    *,
    user: Any,
    unit: Unit | None,
    tab: str = Tab.LEAD,
    source_kind: str = "",
    due_from: dt.date | None = None,
    due_to: dt.date | None = None,
    with_cancelled: bool = True,
) -> QuerySet[Task]:
    """The tasks of *unit*'s subtree in its relation *tab* (None: the whole country, for
    a national reader), narrowed by the filters; not by status (see with_status).
    *with_cancelled* False leaves cancelled tasks out (what the board counts)."""
    if unit is None:
        qs = Task.objects.all() if policies.has_perm(user, Perm.DIRECTIVE_VIEW, None) else None
        if qs is None:
            return Task.objects.none()
    else:
        policies.require(user, Perm.DIRECTIVE_VIEW, unit)
        if tab == Tab.COORDINATE:
            qs = Task.objects.filter(_coordinated_by(policies.subtree_q(unit, "unit__")))
        elif tab == Tab.ASSIGNED:
            qs = Task.objects.filter(policies.subtree_q(unit, "assigner_unit__"))
        else:
            qs = Task.objects.filter(policies.subtree_q(unit, "lead_unit__"))
    if source_kind in SourceKind.values:
        qs = qs.filter(source_kind=source_kind)
    if due_from is not None:
        qs = qs.filter(due_on__gte=due_from)
    if due_to is not None:
        qs = qs.filter(due_on__lte=due_to)
    if not with_cancelled:
        qs = qs.exclude(state=TaskState.CANCELLED)
    return qs


def status_counts(qs: QuerySet[Task], day: Day) -> list[tuple[TaskStatus, int]]:
    """The five-way breakdown of *qs* in one query (cancelled tasks are not counted)."""
    rows = (
        qs.order_by()
        .exclude(state=TaskState.CANCELLED)
        .annotate(status=_status_column(day))
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    counted = dict(rows)
    return [(s, counted.get(s.value, 0)) for s in STATUS_ORDER]


def task_rows(qs: QuerySet[Task], day: Day, *, status: str = "") -> QuerySet[Task]:
    """*qs* ready for a list page: each row with its status, units and coordinating
    units (one more query for the page), optionally only those of *status*."""
    if status in TaskStatus.values:
        qs = qs.filter(_status_filter(status, day))
    rows = qs.select_related("lead_unit", "assigner_unit").prefetch_related(
        Prefetch("coordinating_units", queryset=Unit.objects.order_by("path"))
    )
    return rows.annotate(status=_status_column(day)).order_by("due_on", "pk")


def derived_progress(tasks: Iterable[Task]) -> dict[int, int]:
    """Each task's progress (percent): a closed task 100; a task with sub-tasks (not
    cancelled) the mean of theirs, recursively; otherwise the last percent reported.
    One query for the trees of all *tasks*."""
    tasks = list(tasks)
    if not tasks:
        return {}
    tops = {t.root_id or t.pk for t in tasks}
    rows = list(
        Task.objects.filter(Q(root_id__in=tops) | Q(pk__in=tops))
        .exclude(state=TaskState.CANCELLED)
        .values_list("pk", "parent_id", "state", "progress_percent")
    )
    children: dict[int, list[int]] = {}
    info: dict[int, tuple[str, int]] = {}
    for pk, parent_id, state, percent in rows:
        info[pk] = (state, percent)
        if parent_id is not None:
            children.setdefault(parent_id, []).append(pk)
    memo: dict[int, int] = {}

    def progress(pk: int) -> int:
        if pk in memo:
            return memo[pk]
        state, percent = info[pk]
        kids = children.get(pk, [])
        if state == TaskState.CLOSED:
            value = 100
        elif kids:
            value = round(sum(progress(k) for k in kids) / len(kids))
        else:
            value = percent
        memo[pk] = value
        return value

    return {t.pk: (progress(t.pk) if t.pk in info else t.progress_percent) for t in tasks}


def task_children(task: Task, day: Day) -> list[Task]:
    qs = with_status(
        Task.objects.filter(parent=task).select_related("lead_unit"),
        today=day.today,
        soon_until=day.soon,
    ).order_by("due_on", "pk")
    return list(qs)


def task_events(task: Task) -> list[TaskEvent]:
    return list(TaskEvent.objects.filter(task=task).select_related("actor").order_by("at", "pk"))


def task_event_get(*, user: Any, task: Task, pk: int) -> TaskEvent:
    """An event of a task the user sees (task_get checked that), else NotFound."""
    event = TaskEvent.objects.filter(task=task, pk=pk).first()
    if event is None:
        raise NotFound()
    return event


def plan_get(*, user: Any, public_id: uuid.UUID | str) -> Plan:
    plan = Plan.objects.select_related("unit", "document").filter(public_id=public_id).first()
    if plan is None or not policies.has_perm(user, Perm.DIRECTIVE_VIEW, plan.unit):
        raise NotFound()
    return plan


def plan_tasks(plan: Plan, day: Day) -> list[Task]:
    """The plan's top tasks (sub-tasks show on their parent's page)."""
    qs = task_rows(Task.objects.filter(plan=plan, parent__isnull=True), day)
    return list(qs)


def plans_of(*, user: Any, unit: Unit) -> QuerySet[Plan]:
    policies.require(user, Perm.DIRECTIVE_VIEW, unit)
    return Plan.objects.filter(unit=unit).order_by("-starts_on", "-pk")


def document_get(*, user: Any, public_id: uuid.UUID | str) -> Any:
    """A document of the register the user may read (the source of a plan or task)."""
    from danvan.directives.models import Document

    document = Document.objects.select_related("unit").filter(public_id=public_id).first()
    if document is None or not policies.has_perm(user, Perm.DIRECTIVE_VIEW, document.unit):
        raise NotFound()
    return document
