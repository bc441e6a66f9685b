"""The computed queries the report templates may name (registered in `indicators`).

Each counts the records of one area over the subtree of a root unit and a data period
[start, end] (the regime's cut-off, both days included), in one query, on the area's own
models and with the area's own definitions (the movement's milestone dates, the cases'
on-time rule, the tasks' status on a given day), so that a report says what the area's
pages say. No actor: a report counts everything in the reporting unit's subtree; who
may read the report is the reports' own policy.

Disclosures missing are not registered yet: the compliance board's selector
(disclosure.selectors.compliance_check) needs an actor and builds its findings in
Python; a template keeps that figure as a manual indicator until it has a query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from urllib.parse import urlencode

from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from danvan.accounts.policies import subtree_q
from danvan.cases.models import Case
from danvan.directives.tasks.models import Task
from danvan.directives.tasks.selectors import status_as_of_q
from danvan.directives.tasks.status import TaskStatus, soon_until
from danvan.movement.models import Entry
from danvan.units.models import Unit

from .indicators import Query, register_query

_ENTRIES = _("mô hình, điển hình")
_CASES = _("vụ việc")
_TASKS = _("nhiệm vụ")


def _url(name: str, **params: str) -> str:
    return f"{reverse(name)}?{urlencode(params)}"


# -- "Dân vận khéo": entries by the day each milestone was reached --------------------------


def _entries(root: Unit, start: dt.date, end: dt.date, milestone: str) -> int:
    # The milestone dates (registered_on, recognized_on, exemplary_on) stay set when the
    # entry moves on, so an exemplary entry also counts as recognized and registered
    # (movement.selectors.MILESTONES), and "recognized ≤ registered" holds per period only
    # for entries registered in it; the templates' rules check the totals.
    lookup = {f"{milestone}_on__gte": start, f"{milestone}_on__lte": end}
    return Entry.objects.filter(subtree_q(root, "unit__"), **lookup).count()


def _entries_count(milestone: str) -> Callable[[Unit, dt.date, dt.date], int]:
    def count(root: Unit, start: dt.date, end: dt.date) -> int:
        return _entries(root, start, end, milestone)

    return count


def _entries_url(milestone: str) -> Callable[[Unit, dt.date, dt.date], str]:
    # The movement list filters by milestone, not by the day it was reached: the list
    # shows the subtree's entries that reached it (the period's are among them).
    def url(root: Unit, start: dt.date, end: dt.date) -> str:
        return _url("movement:list", unit=root.code, milestone=milestone)

    return url


for _milestone, _label in (
    ("registered", _("Mô hình, điển hình đăng ký trong kỳ")),
    ("recognized", _("Mô hình, điển hình được công nhận trong kỳ")),
    ("exemplary", _("Mô hình, điển hình được chọn tiêu biểu trong kỳ")),
):
    register_query(
        Query(
            name=f"movement_{_milestone}",
            label=_label,
            unit=_ENTRIES,
            compute=_entries_count(_milestone),
            records_url=_entries_url(_milestone),
        )
    )


# -- Citizens' cases ----------------------------------------------------------------------


def _cases_received(root: Unit, start: dt.date, end: dt.date) -> int:
    return Case.objects.filter(
        subtree_q(root, "unit__"), received_on__gte=start, received_on__lte=end
    ).count()


def _cases_on_time(root: Unit, start: dt.date, end: dt.date) -> int:
    """Cases received in the period and settled by its end on or before their due date:
    the "on time" of cases.selectors._timing_counts, as it stood at the cut-off."""
    return (
        Case.objects.filter(
            subtree_q(root, "unit__"),
            received_on__gte=start,
            received_on__lte=end,
            is_open=False,
            closed_on__lte=end,
        )
        .filter(closed_on__lte=F("due_date"))
        .count()
    )


def _cases_url(root: Unit, start: dt.date, end: dt.date) -> str:
    return _url("cases:stats", unit=root.code, **{"from": start.isoformat(), "to": end.isoformat()})


register_query(
    Query(
        name="cases_received",
        label=_("Vụ việc tiếp nhận trong kỳ"),
        unit=_CASES,
        compute=_cases_received,
        records_url=_cases_url,
    )
)
register_query(
    Query(
        name="cases_settled_on_time",
        label=_("Vụ việc tiếp nhận trong kỳ đã giải quyết đúng hạn"),
        unit=_CASES,
        compute=_cases_on_time,
        records_url=_cases_url,
    )
)


# -- Directives: tasks overdue at the cut-off ---------------------------------------------


def _tasks_overdue(root: Unit, start: dt.date, end: dt.date) -> int:
    """Tasks led in the subtree that were open and past their deadline at the end of the
    period (the board's "chưa hoàn thành, quá hạn" on that day, domain.md §9)."""
    overdue = status_as_of_q(TaskStatus.OVERDUE, as_of=end, soon=soon_until(end))
    return Task.objects.filter(subtree_q(root, "lead_unit__")).filter(overdue).count()


def _tasks_url(root: Unit, start: dt.date, end: dt.date) -> str:
    return _url(
        "directive_tasks:board",
        unit=root.code,
        period="custom",
        **{"from": start.isoformat(), "to": end.isoformat()},
    )


register_query(
    Query(
        name="tasks_overdue",
        label=_("Nhiệm vụ quá hạn chưa hoàn thành tại ngày chốt số liệu"),
        unit=_TASKS,
        compute=_tasks_overdue,
        records_url=_tasks_url,
    )
)
