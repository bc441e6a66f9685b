"""Each registered query on small data: what falls in the period and the subtree counts,
what falls outside either does not."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from danvan.accounts.models import Role
from danvan.accounts.testing import make_user
from danvan.cases import services as case_services
from danvan.cases.identity import Identity
from danvan.cases.models import Case, Channel
from danvan.directives.tasks.models import TaskState
from danvan.directives.tasks.tests.factories import TaskFactory
from danvan.movement import services as movement_services
from danvan.movement.models import Entry, Field
from danvan.reports.indicators import get_query, queries
from danvan.units.models import Unit

pytestmark = pytest.mark.django_db

# The half-year 2026 data period.
START, END = dt.date(2025, 12, 15), dt.date(2026, 6, 14)


def _count(name: str, root: Unit) -> int:
    query = get_query(name)
    assert query is not None, name
    return query.compute(root, START, END)


def test_registered_queries() -> None:
    assert {q.name for q in queries()} == {
        "movement_registered",
        "movement_recognized",
        "movement_exemplary",
        "cases_received",
        "cases_settled_on_time",
        "tasks_overdue",
    }


def _entry(unit: Unit, **milestones: Any) -> Entry:
    entry = movement_services.entry_create(
        actor=None,
        unit=unit,
        kind="initiative",
        name=f"Mô hình {Entry.objects.count() + 1}",
        field=Field.objects.get(code="kinh-te"),
        registration_year=2026,
    )
    # The milestone dates as the workflow leaves them (movement.workflow sets each
    # on the day the step is taken); written directly, the workflow has its own tests.
    Entry.objects.filter(pk=entry.pk).update(**milestones)
    return entry


def test_movement_queries_count_milestones_reached_in_the_period(
    thai_nguyen: Unit, commune: Unit, sibling_commune: Unit
) -> None:
    _entry(commune, registered_on=dt.date(2026, 1, 10))
    _entry(commune, registered_on=dt.date(2026, 2, 1), recognized_on=dt.date(2026, 5, 1))
    _entry(
        sibling_commune,
        registered_on=dt.date(2025, 12, 15),
        recognized_on=dt.date(2026, 3, 1),
        exemplary_on=dt.date(2026, 6, 14),
    )
    _entry(commune, registered_on=dt.date(2025, 12, 14))  # the day before the period
    _entry(commune, registered_on=dt.date(2026, 6, 15), recognized_on=dt.date(2026, 6, 15))
    _entry(commune)  # a draft: no milestone
    assert _count("movement_registered", thai_nguyen) == 3
    assert _count("movement_recognized", thai_nguyen) == 2
    assert _count("movement_exemplary", thai_nguyen) == 1
    assert _count("movement_registered", commune) == 2
    assert _count("movement_exemplary", commune) == 0
    url = get_query("movement_recognized").records_url(commune, START, END)  # type: ignore[union-attr]
    assert f"unit={commune.code}" in url
    assert "milestone=recognized" in url


def _case(unit: Unit, received_on: dt.date, **closed: Any) -> Case:
    officer = make_user(f"canbo-{Case.objects.count()}", Role.OFFICER, unit)
    case = case_services.case_receive(
        actor=officer,
        unit=unit,
        kind="feedback",
        channel=Channel.LETTER,
        subject="Đường liên thôn xuống cấp",
        content="Đoạn đường từ thôn 3 đến thôn 5 có nhiều ổ gà.",
        sender=Identity(full_name="Trần Thị Bình", phone="0987000111"),
        received_on=received_on,
    )
    if closed:
        # Settled: the resolution workflow has its own tests; only its dates matter here.
        Case.objects.filter(pk=case.pk).update(is_open=False, status="resolved", **closed)
    return case


def test_cases_received_and_settled_on_time(
    thai_nguyen: Unit, commune: Unit, sibling_commune: Unit
) -> None:
    on_time = {"due_date": dt.date(2026, 4, 1), "closed_on": dt.date(2026, 3, 20)}
    late = {"due_date": dt.date(2026, 4, 1), "closed_on": dt.date(2026, 4, 2)}
    after_cutoff = {"due_date": dt.date(2026, 7, 1), "closed_on": dt.date(2026, 6, 20)}
    _case(commune, dt.date(2026, 3, 2), **on_time)
    _case(commune, dt.date(2026, 3, 2), **late)
    _case(sibling_commune, dt.date(2026, 6, 1), **after_cutoff)
    _case(sibling_commune, dt.date(2026, 5, 5))  # still open
    _case(commune, dt.date(2025, 12, 1), **on_time)  # received before the period
    assert _count("cases_received", thai_nguyen) == 4
    assert _count("cases_received", commune) == 2
    assert _count("cases_settled_on_time", thai_nguyen) == 1
    assert _count("cases_settled_on_time", sibling_commune) == 0


def test_tasks_overdue_at_the_cut_off(
    thai_nguyen: Unit, commune: Unit, sibling_commune: Unit
) -> None:
    units = {"assigner_unit": thai_nguyen}
    TaskFactory.create(**units, lead_unit=commune, due_on=dt.date(2026, 5, 1))  # overdue
    TaskFactory.create(  # done after the cut-off: still open, and late, on 14/06
        **units,
        lead_unit=sibling_commune,
        due_on=dt.date(2026, 6, 1),
        state=TaskState.CLOSED,
        completed_on=dt.date(2026, 6, 20),
    )
    TaskFactory.create(  # done on time
        **units,
        lead_unit=commune,
        due_on=dt.date(2026, 5, 1),
        state=TaskState.CLOSED,
        completed_on=dt.date(2026, 4, 30),
    )
    TaskFactory.create(**units, lead_unit=commune, due_on=dt.date(2026, 6, 30))  # not yet due
    TaskFactory.create(
        **units, lead_unit=commune, due_on=dt.date(2026, 5, 1), state=TaskState.CANCELLED
    )
    assert _count("tasks_overdue", thai_nguyen) == 2
    assert _count("tasks_overdue", commune) == 1
