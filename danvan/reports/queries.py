"""The computed queries the report templates may name (registered in `indicators`).

Each counts the records of one area over the subtree of a root unit and a data period
[start, end] (the regime's cut-off, both days included), in one query, on the area's own
models and with the area's own definitions (the movement's milestone dates, the cases'
on-time rule, the tasks' status on a given day), so that a report says what the area's
pages say. No actor: a report counts everything in the reporting unit's subtree; who
may read the report is the reports' own policy.

Every query's records_url opens the area's own list, filtered to the subtree and, where
the list can say it, to the period, so that the list shows as many rows as the figure
counts (issue 13, item 4: a figure a user cannot trace is a defect).

The table queries count the same records by category (the movement's fields, the cases'
kinds), each row's list filtered to that category too; their rows add up to the number
query of the same records (TableQuery.total_of).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.accounts.policies import subtree_q
from danvan.cases import selectors as case_selectors
from danvan.cases.models import KINDS, Case
from danvan.directives.tasks.models import Task
from danvan.directives.tasks.status import TaskStatus, soon_until, status_q
from danvan.disclosure.models import RULE_KIND_OF_UNIT, Disclosure, DisclosureKind
from danvan.movement.models import Entry, Field
from danvan.units import tree
from danvan.units.models import Unit

from .indicators import Category, Query, TableQuery, register_query, register_table_query

_ENTRIES = _("mô hình, điển hình")
_CASES = _("vụ việc")
_TASKS = _("nhiệm vụ")
_DISCLOSURES = _("nội dung")


def _day(value: dt.date) -> str:
    """A date as the lists' date fields read it (core.forms.DateField: day first)."""
    return f"{value:%d/%m/%Y}"


def _url(name: str, **params: str) -> str:
    return f"{reverse(name)}?{urlencode(params)}"


def subtrees_q(roots: Sequence[Unit], prefix: str = "") -> Q:
    """Rows whose unit lies under any of *roots* (one range per root under no other)."""
    paths = sorted({root.path for root in roots})
    covering = Q(pk__in=[])
    # In sorted order a path's ancestors come before it, and every path between an
    # ancestor and it lies under that ancestor too: a path is covered exactly when it
    # lies under the last path kept (one pass, not each path against every other).
    kept = None
    for path in paths:
        if kept is not None and path.startswith(kept):
            continue
        kept = path
        low, high = tree.subtree_bounds(path)
        covering |= Q(**{f"{prefix}path__gte": low, f"{prefix}path__lt": high})
    return covering


def credit_path(found: dict[int, int], path: str, amount: int) -> None:
    """Add *amount* to the figure of each unit of *found* on *path*: the unit the path
    ends with and each of its ancestors (the segments of its path)."""
    for i in range(0, len(path), tree.SEGMENT):
        pk = int(path[i : i + tree.SEGMENT])
        if pk in found:
            found[pk] += amount


def credit_path_key(found: dict[int, dict[str, int]], path: str, key: str, amount: int) -> None:
    """``credit_path`` for figures by row: add *amount* to row *key* of each unit of
    *found* on *path*."""
    for i in range(0, len(path), tree.SEGMENT):
        pk = int(path[i : i + tree.SEGMENT])
        rows = found.get(pk)
        if rows is not None:
            rows[key] = rows.get(key, 0) + amount


def counts_by_subtree(
    rows: QuerySet[Any], roots: Sequence[Unit], *, unit_field: str = "unit"
) -> dict[int, int]:
    """For each of *roots*, how many of *rows* have their unit in the root's subtree.

    One grouped query (rows counted per unit path, over the roots' subtrees), then each
    unit's count added to the roots on its path in Python: the same figures as
    ``rows.filter(subtree_q(root, …)).count()`` per root.
    """
    found = {root.pk: 0 for root in roots}
    if not roots:
        return found
    grouped = (
        rows.filter(subtrees_q(roots, f"{unit_field}__"))
        .order_by()
        .values_list(f"{unit_field}__path")
        .annotate(n=Count("pk", distinct=True))
    )
    for path, count in grouped:
        credit_path(found, path, count)
    return found


def counts_by_subtree_and_key(
    rows: QuerySet[Any], roots: Sequence[Unit], key: str, *, unit_field: str = "unit"
) -> dict[int, dict[str, int]]:
    """For each of *roots*, how many of *rows* have their unit in the root's subtree, by
    the value of *key* (a table's rows): one grouped query over the roots' subtrees by
    unit path and key, each count then added to the roots on its path, as
    `counts_by_subtree` does for one figure."""
    found: dict[int, dict[str, int]] = {root.pk: {} for root in roots}
    if not roots:
        return found
    grouped = (
        rows.filter(subtrees_q(roots, f"{unit_field}__"))
        .order_by()
        .values_list(f"{unit_field}__path", key)
        .annotate(n=Count("pk", distinct=True))
    )
    for path, value, count in grouped:
        credit_path_key(found, path, str(value), count)
    return found


def counts_by_key(rows: QuerySet[Any], key: str) -> dict[str, int]:
    """How many of *rows* there are by the value of *key*: one grouped query."""
    grouped = rows.order_by().values_list(key).annotate(n=Count("pk", distinct=True))
    return {str(value): count for value, count in grouped}


# -- "Dân vận khéo": entries by the day each milestone was reached --------------------------


def _entries(start: dt.date, end: dt.date, milestone: str) -> QuerySet[Entry]:
    # The milestone dates (registered_on, recognized_on, exemplary_on) stay set when the
    # entry moves on, so an exemplary entry also counts as recognized and registered
    # (movement.selectors.MILESTONES), and "recognized ≤ registered" holds per period only
    # for entries registered in it; the templates' rules check the totals.
    lookup = {f"{milestone}_on__gte": start, f"{milestone}_on__lte": end}
    return Entry.objects.filter(**lookup)


def _entries_count(milestone: str) -> Callable[[Unit, dt.date, dt.date], int]:
    def count(root: Unit, start: dt.date, end: dt.date) -> int:
        return _entries(start, end, milestone).filter(subtree_q(root, "unit__")).count()

    return count


def _entries_counts(
    milestone: str,
) -> Callable[[Sequence[Unit], dt.date, dt.date], dict[int, int]]:
    def counts(roots: Sequence[Unit], start: dt.date, end: dt.date) -> dict[int, int]:
        return counts_by_subtree(_entries(start, end, milestone), roots)

    return counts


def _entries_url(milestone: str) -> Callable[[Unit, dt.date, dt.date], str]:
    # The movement list's from/to apply to the day the chosen milestone was reached
    # (movement.selectors.entry_list), as the count does.
    def url(root: Unit, start: dt.date, end: dt.date) -> str:
        return _url(
            "movement:list",
            unit=root.code,
            milestone=milestone,
            **{"from": _day(start), "to": _day(end)},
        )

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
            compute_many=_entries_counts(_milestone),
        )
    )


# The same entries by field (lĩnh vực, domain.md §4): the rows add up to the figure above,
# since every entry has one field. The fields are data; a retired field shows only where
# it still counts entries.


def _field_categories() -> list[Category]:
    return [
        Category(f.code, f.name, always=f.is_active)
        for f in Field.objects.order_by("order", "name")
    ]


def _field_codes(counts: dict[str, int]) -> dict[str, int]:
    """Counts by field id as counts by field code (grouped by the entries' own column, the
    count needs no join on the fields)."""
    codes = dict(Field.objects.values_list("pk", "code"))
    return {codes.get(int(pk), pk): n for pk, n in counts.items()}


def _entries_by_field(milestone: str) -> Callable[[Unit, dt.date, dt.date], dict[str, int]]:
    def count(root: Unit, start: dt.date, end: dt.date) -> dict[str, int]:
        rows = _entries(start, end, milestone).filter(subtree_q(root, "unit__"))
        return _field_codes(counts_by_key(rows, "field_id"))

    return count


def _entries_by_field_many(
    milestone: str,
) -> Callable[[Sequence[Unit], dt.date, dt.date], dict[int, dict[str, int]]]:
    def counts(roots: Sequence[Unit], start: dt.date, end: dt.date) -> dict[int, dict[str, int]]:
        found = counts_by_subtree_and_key(_entries(start, end, milestone), roots, "field_id")
        codes = {str(pk): code for pk, code in Field.objects.values_list("pk", "code")}
        return {
            root: {codes.get(pk, pk): n for pk, n in rows.items()} for root, rows in found.items()
        }

    return counts


def _entries_by_field_url(milestone: str) -> Callable[[Unit, dt.date, dt.date, str], str]:
    # The movement list filters by field too (movement.selectors.entry_list).
    def url(root: Unit, start: dt.date, end: dt.date, key: str) -> str:
        return _url(
            "movement:list",
            unit=root.code,
            milestone=milestone,
            field=key,
            **{"from": _day(start), "to": _day(end)},
        )

    return url


for _milestone, _label in (
    ("registered", _("Mô hình, điển hình đăng ký trong kỳ theo lĩnh vực")),
    ("recognized", _("Mô hình, điển hình được công nhận trong kỳ theo lĩnh vực")),
    ("exemplary", _("Mô hình, điển hình được chọn tiêu biểu trong kỳ theo lĩnh vực")),
):
    register_table_query(
        TableQuery(
            name=f"movement_{_milestone}_by_field",
            label=_label,
            unit=_ENTRIES,
            categories=_field_categories,
            compute=_entries_by_field(_milestone),
            records_url=_entries_by_field_url(_milestone),
            compute_many=_entries_by_field_many(_milestone),
            total_of=f"movement_{_milestone}",
        )
    )


# -- Citizens' cases ----------------------------------------------------------------------
# The cases app owns what "received in the period" and "settled on time" mean
# (cases.selectors.received_q); its list filters by the same definition, so each figure
# opens the list of the cases it counts: the unit's subtree, received from/to the
# period's days, settled on time by its end, of the row's kind.


def _received(start: dt.date, end: dt.date) -> QuerySet[Case]:
    return case_selectors.cases_received(start, end)


def _on_time(start: dt.date, end: dt.date) -> QuerySet[Case]:
    """Cases received in the period and settled by its end on or before their due date
    (as they stood at the cut-off: one settled later was still open then)."""
    return case_selectors.cases_received(start, end, settled_on_time=True)


def _cases_received(root: Unit, start: dt.date, end: dt.date) -> int:
    return _received(start, end).filter(subtree_q(root, "unit__")).count()


def _cases_on_time(root: Unit, start: dt.date, end: dt.date) -> int:
    return _on_time(start, end).filter(subtree_q(root, "unit__")).count()


def _cases_received_many(roots: Sequence[Unit], start: dt.date, end: dt.date) -> dict[int, int]:
    return counts_by_subtree(_received(start, end), roots)


def _cases_on_time_many(roots: Sequence[Unit], start: dt.date, end: dt.date) -> dict[int, int]:
    return counts_by_subtree(_on_time(start, end), roots)


def _cases_list_url(root: Unit, start: dt.date, end: dt.date, **params: str) -> str:
    # The officers' cases list (cases.views.case_list): the unit with its subtree, the
    # days received (its date fields read day first).
    return _url("cases:list", unit=root.code, **{"from": _day(start), "to": _day(end)}, **params)


def _cases_url(root: Unit, start: dt.date, end: dt.date) -> str:
    return _cases_list_url(root, start, end)


def _cases_on_time_url(root: Unit, start: dt.date, end: dt.date) -> str:
    return _cases_list_url(root, start, end, on_time="1")


register_query(
    Query(
        name="cases_received",
        label=_("Vụ việc tiếp nhận trong kỳ"),
        unit=_CASES,
        compute=_cases_received,
        records_url=_cases_url,
        compute_many=_cases_received_many,
    )
)
register_query(
    Query(
        name="cases_settled_on_time",
        label=_("Vụ việc tiếp nhận trong kỳ đã giải quyết đúng hạn"),
        unit=_CASES,
        compute=_cases_on_time,
        records_url=_cases_on_time_url,
        compute_many=_cases_on_time_many,
    )
)


def _case_kinds() -> list[Category]:
    return [Category(str(k.value), str(k.label)) for k in KINDS]


def _cases_received_by_kind(root: Unit, start: dt.date, end: dt.date) -> dict[str, int]:
    return counts_by_key(_received(start, end).filter(subtree_q(root, "unit__")), "kind")


def _cases_received_by_kind_many(
    roots: Sequence[Unit], start: dt.date, end: dt.date
) -> dict[int, dict[str, int]]:
    return counts_by_subtree_and_key(_received(start, end), roots, "kind")


def _cases_kind_url(root: Unit, start: dt.date, end: dt.date, key: str) -> str:
    # The list filters by kind too (its "Loại vụ việc").
    return _cases_list_url(root, start, end, kind=key)


register_table_query(
    TableQuery(
        name="cases_received_by_kind",
        label=_("Vụ việc tiếp nhận trong kỳ theo loại"),
        unit=_CASES,
        categories=_case_kinds,
        compute=_cases_received_by_kind,
        records_url=_cases_kind_url,
        compute_many=_cases_received_by_kind_many,
        total_of="cases_received",
    )
)


# -- Directives: tasks overdue at the cut-off ---------------------------------------------


def _tasks_day(end: dt.date) -> dt.date:
    """The day the tasks' statuses are taken: the cut-off, or today while the period
    runs (nobody knows yet which tasks will be done by a day to come; the task list
    refuses an as_of after today for the same reason)."""
    return min(end, timezone.localdate())


def _overdue(end: dt.date) -> QuerySet[Task]:
    """Tasks that were open and past their deadline at the end of the period (the
    board's "chưa hoàn thành, quá hạn" on that day, domain.md §9)."""
    day = _tasks_day(end)
    return Task.objects.filter(status_q(TaskStatus.OVERDUE, as_of=day, soon_until=soon_until(day)))


def _tasks_overdue(root: Unit, start: dt.date, end: dt.date) -> int:
    """The overdue tasks led in the subtree."""
    return _overdue(end).filter(subtree_q(root, "lead_unit__")).count()


def _tasks_overdue_many(roots: Sequence[Unit], start: dt.date, end: dt.date) -> dict[int, int]:
    return counts_by_subtree(_overdue(end), roots, unit_field="lead_unit")


def _tasks_url(root: Unit, start: dt.date, end: dt.date) -> str:
    # The task list of the units leading them (its default tab), overdue as of that day.
    return _url(
        "directive_tasks:list",
        unit=root.code,
        status=TaskStatus.OVERDUE,
        as_of=_day(_tasks_day(end)),
    )


register_query(
    Query(
        name="tasks_overdue",
        label=_("Nhiệm vụ quá hạn chưa hoàn thành tại ngày chốt số liệu"),
        unit=_TASKS,
        compute=_tasks_overdue,
        records_url=_tasks_url,
        compute_many=_tasks_overdue_many,
    )
)


# -- Disclosure ("dân biết"): mandatory contents not disclosed in the period -----------------


def _disclosures_missing(root: Unit, start: dt.date, end: dt.date) -> int:
    """Mandatory contents not disclosed in the period, counted per unit and content.

    What counts is exactly the compliance board's "Nội dung chưa công khai"
    (disclosure.selectors.compliance_check, Problem.MISSING) without an actor:

    * the units checked are those of the subtree of a kind the law gives a list of
      contents to (communes; agencies and public service units; enterprises:
      disclosure.models.RULE_KIND_OF_UNIT) that existed on at least one day of the period;
    * a duty is one content number of the unit's list with a mandatory version in force
      on at least one day of the period (Law 10/2022/QH15, Điều 11 for communes, and the
      lists of its Chương III–IV for agencies and enterprises; the versions are
      DisclosureKind data, each with its own citation);
    * it is missing when the unit has no disclosure of that content number whose days
      overlap the period (start on or before the period's end, end empty or on or after
      its start).

    The disclosure duties are DisclosureKind rows, not legal.DutyRule rows (those carry
    the reception and dialogue duties).
    """
    return _disclosures_missing_many([root], start, end)[root.pk]


def _disclosures_missing_many(
    roots: Sequence[Unit], start: dt.date, end: dt.date
) -> dict[int, int]:
    """``_disclosures_missing`` of each of *roots* in three queries, whatever their number
    and size: the numbers due per list (the same for every root), the units checked (with
    their paths), and the (unit, number) pairs done; each unit's duties and disclosures are
    then credited to the roots on its path."""
    found = {root.pk: 0 for root in roots}
    due: dict[str, set[int]] = {}
    for unit_kind, number in (
        DisclosureKind.objects.filter(mandatory=True, valid_from__lte=end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
        .values_list("unit_kind", "number")
        .distinct()
    ):
        due.setdefault(unit_kind, set()).add(number)
    if not due or not roots:
        return found
    units = (
        Unit.objects.filter(subtrees_q(roots))
        .filter(kind__in=list(RULE_KIND_OF_UNIT))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=end))
    )
    for path, unit_kind in units.order_by().values_list("path", "kind"):
        credit_path(found, path, len(due.get(RULE_KIND_OF_UNIT[unit_kind], ())))
    # One disclosure's unit kind picks its list: a public service unit's disclosures of
    # the agencies' list count for it, as they do on the compliance board.
    lists = Q()
    for rule_kind, numbers in due.items():
        unit_kinds = [k for k, r in RULE_KIND_OF_UNIT.items() if r == rule_kind]
        lists |= Q(unit__kind__in=unit_kinds, kind__unit_kind=rule_kind, kind__number__in=numbers)
    done = (
        Disclosure.objects.filter(unit__in=units, start__lte=end)
        .filter(Q(end__isnull=True) | Q(end__gte=start))
        .filter(lists)
        .order_by()
        .values_list("unit__path", "kind__number")
        .distinct()
    )
    for path, _number in done:
        credit_path(found, path, -1)
    return found


def _disclosures_url(root: Unit, start: dt.date, end: dt.date) -> str:
    # The compliance board's list of findings, only the missing ones, over the period.
    return _url(
        "disclosure:compliance",
        unit=root.code,
        view="findings",
        problem="missing",
        **{"from": _day(start), "to": _day(end)},
    )


register_query(
    Query(
        name="disclosures_missing",
        label=_("Nội dung bắt buộc chưa công khai trong kỳ"),
        unit=_DISCLOSURES,
        compute=_disclosures_missing,
        records_url=_disclosures_url,
        compute_many=_disclosures_missing_many,
    )
)
