"""The tasks board: the tasks of a subtree due in a period, counted the Government
Office's four ways (Decision 42/2014/QĐ-TTg, amended by Decision 23/2018/QĐ-TTg;
domain.md §9), by source kind and by child unit, against the same period a year earlier.

Period semantics (what the Government Office's periodic reports do):

- a task belongs to a period when its due date falls in it (the report counts the tasks
  due in the period); a cancelled task is not counted;
- it is counted by its lead unit (chủ trì): the body that answers for it. A child unit's
  row counts its whole subtree (units.rollup); the unit's own tasks have a row of their own;
- its status is the one it had on the period's "as-of" day, min(today, period end): a
  period still running is seen today; a past period as it stood at its end, so that a
  year is compared with the figures the previous year closed on, not with work finished
  since. On that day a task accepted later (completed_on after the day) was still open:
  overdue when its due date had passed, else within the deadline. Otherwise the status is
  status.status_q's, the rule of every task page (seen ``as_of`` the day; a test
  proves it equal to status.status_of on a grid). The lists a past period's numbers open
  take that day too (``?as_of=dd/mm/yyyy``, tasks.selectors.Day.as_of), so that each
  number and its list hold the same tasks.

Counts, per line: the five statuses of status.STATUS_ORDER; "open within the deadline"
(chưa hoàn thành trong hạn) is due soon + not yet due. Rates, over all the tasks counted:

- on-time rate: done on time / all;
- overdue rate: open and overdue / all — the Government's "tỷ lệ nhiệm vụ quá hạn" (the
  2017 report's 1.38% against 2.82%) counts tasks not done past their deadline on the
  report day [to verify against the report's own table];
- late rate: (done late + open and overdue) / all — every task that missed its deadline.

A fixed number of queries whatever the size: the calendar's exceptions, the grouped
counts (every status in one pass; both periods in one query on PostgreSQL, one query per
period on SQLite), the child units.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import urlencode

from django.db import connection
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from danvan.accounts import policies
from danvan.accounts.policies import Perm, subtree_q
from danvan.core.errors import NotFound, PermissionDenied
from danvan.legal.workdays import WorkCalendar
from danvan.units import selectors as unit_selectors
from danvan.units import tree
from danvan.units.models import Unit

from ..models import SourceKind, Task, TaskState
from ..selectors import CANCELLED_EXCLUDE

# The status on a given day lives with the task list, which filters by it too (the list
# a board number opens); status_as_of, its Python reference, is named here for the tests.
from ..selectors import status_as_of as status_as_of
from ..status import STATUS_ORDER, TaskStatus, soon_until, status_q

STATUSES: tuple[str, ...] = tuple(s.value for s in STATUS_ORDER)
# Statuses that need action: what "late work first" sorts on.
LATE = (TaskStatus.OVERDUE.value, TaskStatus.DONE_LATE.value)


# -- the period -----------------------------------------------------------------------------


def _year_earlier(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    def as_of(self, today: dt.date) -> dt.date:
        """The day the period's statuses are seen on: min(today, end) (module docstring)."""
        return min(today, self.end)

    def year_earlier(self) -> Period:
        return Period(_year_earlier(self.start), _year_earlier(self.end))


# -- counts ---------------------------------------------------------------------------------


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 2) if whole else None


@dataclass
class Counts:
    """Tasks per status (cancelled ones not counted) and the rates over them."""

    by_status: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))

    def add(self, status: str, n: int) -> None:
        self.by_status[status] += n

    def add_all(self, numbers: dict[str, int]) -> None:
        for status, n in numbers.items():
            self.by_status[status] += n

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def done_on_time(self) -> int:
        return self.by_status[TaskStatus.DONE_ON_TIME]

    @property
    def done_late(self) -> int:
        return self.by_status[TaskStatus.DONE_LATE]

    @property
    def overdue(self) -> int:
        return self.by_status[TaskStatus.OVERDUE]

    @property
    def due_soon(self) -> int:
        return self.by_status[TaskStatus.DUE_SOON]

    @property
    def not_due(self) -> int:
        return self.by_status[TaskStatus.NOT_DUE]

    @property
    def open_in_time(self) -> int:
        """Chưa hoàn thành trong hạn: due soon + not yet due."""
        return self.due_soon + self.not_due

    @property
    def on_time_rate(self) -> float | None:
        return _rate(self.done_on_time, self.total)

    @property
    def overdue_rate(self) -> float | None:
        return _rate(self.overdue, self.total)

    @property
    def late_rate(self) -> float | None:
        return _rate(self.done_late + self.overdue, self.total)

    def four_way(self) -> dict[str, int]:
        """The Government Office's four statuses (the API's and the workbook's keys)."""
        return {
            "done_on_time": self.done_on_time,
            "done_late": self.done_late,
            "open_in_time": self.open_in_time,
            "open_overdue": self.overdue,
        }

    def late_key(self) -> tuple[int, int, int]:
        """Sort key: most overdue first, then most done late, then most tasks."""
        return (-self.overdue, -self.done_late, -self.total)


@dataclass
class Line:
    """One line of the board (the total, a source kind or a unit): this period's counts,
    last year's, and the link behind each number (empty: no list shows exactly these)."""

    key: str
    label: str
    counts: Counts = field(default_factory=Counts)
    last_year: Counts = field(default_factory=Counts)
    unit: Unit | None = None
    own: bool = False  # the board unit's own tasks (not its subtree)
    # The list of exactly these tasks, without a status ("": no list shows exactly these);
    # the links per status are built only when shown (a page shows 50 lines).
    link: str = ""

    @property
    def total_url(self) -> str:
        # The total counts no cancelled task, so its list leaves them out; the lists per
        # status need no filter (a cancelled task has no status).
        return f"{self.link}&cancelled={CANCELLED_EXCLUDE}" if self.link else ""

    @cached_property
    def urls(self) -> dict[str, str]:
        return {s: f"{self.link}&status={s}" for s in STATUSES} if self.link else {}

    @property
    def cells(self) -> list[tuple[str, int, str]]:
        """(status, count, link) in the order of STATUSES (for templates)."""
        return [(s, self.counts.by_status[s], self.urls.get(s, "")) for s in STATUSES]

    @property
    def has_late(self) -> bool:
        return self.counts.overdue > 0 or self.counts.done_late > 0


@dataclass
class TaskBoard:
    unit: Unit | None  # None: the whole country (rows: the provinces)
    period: Period
    as_of: dt.date
    previous: Period
    previous_as_of: dt.date
    total: Line
    sources: list[Line]
    rows: list[Line]

    @property
    def rows_late(self) -> int:
        return sum(1 for row in self.rows if row.has_late)


# -- the board ------------------------------------------------------------------------------


def _grouped(
    root: Unit | None, periods: list[tuple[Period, dt.date, dt.date]]
) -> Iterable[tuple[int | None, str, list[dict[str, int]]]]:
    """(child id or None for the root's own, source kind, per period the count per
    status) for the tasks led in *root*'s subtree (None: everywhere) and due in one of
    *periods* (each with its as-of day and last "due soon" day): one grouped query, each
    task read once and counted by filtered counts (the periods may overlap)."""
    # The child a task belongs to is the path segment after the root's (units.rollup),
    # read by the database so that only a few rows per child come back.
    prefix = root.path if root is not None else ""
    child = Substr("lead_unit__path", len(prefix) + 1, tree.SEGMENT)
    scope = subtree_q(root, "lead_unit__") if root is not None else Q()
    # The due range in each count only when the query spans more than one period.
    due = [
        Q(due_on__gte=p.start, due_on__lte=p.end) if len(periods) > 1 else Q()
        for p, _day, _soon in periods
    ]
    counts = {
        f"n{i}_{s}": Count("pk", filter=due[i] & status_q(s, as_of=day, soon_until=soon))
        for i, (_p, day, soon) in enumerate(periods)
        for s in STATUSES
    }
    rows = (
        Task.objects.filter(scope)
        # One range over both periods (what lies between them is read but not counted):
        # an index range scan, where an OR of two ranges makes SQLite scan twice.
        .filter(due_on__gte=min(p.start for p, *_r in periods))
        .filter(due_on__lte=max(p.end for p, *_r in periods))
        .exclude(state=TaskState.CANCELLED)
        .annotate(child=child)
        .order_by()
        .values("child", "source_kind")
        .annotate(**counts)
        .values_list("child", "source_kind", *counts)
    )
    width = len(STATUSES)
    for seg, kind, *numbers in rows:
        per_period = [
            dict(zip(STATUSES, numbers[i * width : (i + 1) * width], strict=True))
            for i in range(len(periods))
        ]
        yield (int(seg) if seg else None), kind, per_period


def _link(base: str, code: str, period: str, **params: str) -> str:
    """The tasks list of *code*'s subtree (none: the country) due in the period, with
    more filters (*period*: the dates, url-encoded once per board)."""
    query = urlencode({**({"unit": code} if code else {}), **params})
    return f"{base}?{query}&{period}" if query else f"{base}?{period}"


def board_unit(*, user: Any, code: str | None) -> Unit | None:
    """The unit whose board *user* asks for by *code* (None: the whole country).

    A code out of the user's sight, or naming a unit whose tasks the user may not read
    (a commune officer's province, seen only as an ancestor), answers like a missing
    unit (NotFound "unit_not_found"). Without a code, as the web board does: the whole
    country for a national reader, else the highest unit where the user reads tasks
    (the unit they work in); nobody who reads tasks nowhere gets PermissionDenied.
    """
    code = (code or "").strip()
    if code:
        missing = NotFound(
            _("Không tìm thấy đơn vị mã “%(code)s”.") % {"code": code}, code="unit_not_found"
        )
        try:
            unit = unit_selectors.unit_get(actor=user, code=code)
        except NotFound:
            raise missing from None
        if not policies.has_perm(user, Perm.DIRECTIVE_VIEW, unit):
            raise missing
        return unit
    if policies.has_perm(user, Perm.DIRECTIVE_VIEW, None):
        return None
    granted = [
        g.unit
        for g in policies.grants_of(user)
        if g.unit is not None and Perm.DIRECTIVE_VIEW in policies.ROLE_PERMS[g.role]
    ]
    if not granted:
        raise PermissionDenied()
    return min(granted, key=lambda u: (u.depth, u.path))


def task_board(
    *, user: Any, unit: Unit | None, start: dt.date, end: dt.date, today: dt.date
) -> TaskBoard:
    """The board of *unit*'s subtree over [start, end], seen on *today*; *unit* None: the
    whole country, one row per province (a national reader only).

    The unit must be in the user's sight with Perm.DIRECTIVE_VIEW (else NotFound, like a
    missing unit); a grant covers its subtree, so every task counted is one the user may
    open. A fixed number of queries whatever the number of tasks and units.
    """
    if unit is None:
        if not policies.has_perm(user, Perm.DIRECTIVE_VIEW, None):
            raise NotFound()
    else:
        policies.require(user, Perm.DIRECTIVE_VIEW, unit)
    code = unit.code if unit is not None else ""
    period = Period(start, end)
    previous = period.year_earlier()
    as_of, previous_as_of = period.as_of(today), previous.as_of(today)
    calendar = WorkCalendar()
    per_child: dict[int | None, tuple[Counts, Counts]] = {}
    per_source: dict[str, tuple[Counts, Counts]] = {
        k: (Counts(), Counts()) for k in SourceKind.values
    }
    total = Line("total", str(_("Tổng số")), unit=unit)
    periods = [
        (p, day, soon_until(day, calendar))
        for p, day in ((period, as_of), (previous, previous_as_of))
    ]
    # One pass over the tasks for both periods suits PostgreSQL (its scan and join cost
    # most); SQLite evaluates every filtered count on every row it reads, so there one
    # query per period reads fewer rows with half the counts (bench/tasks_board.py).
    one_pass = connection.vendor == "postgresql"
    batches = [periods] if one_pass else [[p] for p in periods]
    for first, batch in zip((0, 1), batches, strict=False):
        for child_id, kind, per_period in _grouped(unit, batch):
            for which, numbers in enumerate(per_period, start=first):
                for counts in (
                    per_child.setdefault(child_id, (Counts(), Counts()))[which],
                    per_source.setdefault(kind, (Counts(), Counts()))[which],
                    (total.counts, total.last_year)[which],
                ):
                    counts.add_all(numbers)

    base = reverse("directive_tasks:list")
    dates = {"due_from": f"{start:%d/%m/%Y}", "due_to": f"{end:%d/%m/%Y}"}
    if as_of < today:
        # A past period is counted as it stood at its end: its lists show the statuses
        # of that day too, so that a number and the rows it opens are the same tasks.
        dates["as_of"] = f"{as_of:%d/%m/%Y}"
    period_query = urlencode(dates)
    total.link = _link(base, code, period_query)
    labels = dict(SourceKind.choices)
    sources = []
    for kind, (now, before) in per_source.items():
        link = _link(base, code, period_query, source_kind=kind)
        line = Line(kind, str(labels.get(kind, kind)), now, before, unit=unit, link=link)
        sources.append(line)

    # The child units: those in force during the period, and any other holding tasks.
    with_tasks = [k for k in per_child if k is not None]
    children = Unit.objects.filter(parent=unit).filter(
        Q(pk__in=with_tasks)
        | (
            (Q(valid_to__isnull=True) | Q(valid_to__gte=start))
            & (Q(valid_from__isnull=True) | Q(valid_from__lte=end))
        )
    )
    rows: list[Line] = []
    for child in children.only("pk", "code", "name", "path", "parent_id").order_by("path"):
        now, before = per_child.get(child.pk, (Counts(), Counts()))
        link = _link(base, child.code, period_query)
        line = Line(child.code, child.name, now, before, unit=child, link=link)
        rows.append(line)
    if None in per_child and unit is not None:
        # The unit's own tasks: the list of a unit shows its subtree, so no link.
        now, before = per_child[None]
        rows.append(
            Line(
                unit.code,
                str(_("Nhiệm vụ do đơn vị trực tiếp chủ trì")),
                now,
                before,
                unit=unit,
                own=True,
            )
        )
    # Late work first (stable: tree order among equals).
    rows.sort(key=lambda row: row.counts.late_key())
    sources.sort(key=lambda row: row.counts.late_key())
    return TaskBoard(unit, period, as_of, previous, previous_as_of, total, sources, rows)
