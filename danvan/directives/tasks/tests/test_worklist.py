"""The list of what needs doing: tasks due or late for the lead unit; deliverables
waiting for the assigner's acceptance."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from danvan.directives.tasks import services
from danvan.directives.tasks.models import Task, TaskState
from danvan.directives.tasks.worklist import ACCEPTANCE, DUE
from danvan.units.models import Unit
from danvan.worklist.registry import Scope, Urgency, sources

from .conftest import TODAY
from .factories import TaskFactory

pytestmark = pytest.mark.django_db


def _source(code: str) -> Any:
    return next(s for s in sources() if s.code == code)


def test_due_and_overdue_tasks_of_the_lead_unit(
    actors: dict[str, Any], thai_nguyen: Unit, lead_unit: Unit, sibling_unit: Unit
) -> None:
    units = {"assigner_unit": thai_nguyen, "lead_unit": lead_unit}
    late = TaskFactory.create(**units, due_on=TODAY - dt.timedelta(days=2))
    soon = TaskFactory.create(**units, due_on=TODAY + dt.timedelta(days=3))
    TaskFactory.create(**units, due_on=TODAY + dt.timedelta(days=40))  # not yet
    TaskFactory.create(**units, due_on=TODAY - dt.timedelta(days=2), state=TaskState.CANCELLED)
    # Not theirs: another village leads it.
    TaskFactory.create(assigner_unit=thai_nguyen, lead_unit=sibling_unit, due_on=TODAY)
    found = _source(DUE).find(Scope(actor=actors["lead"], root=lead_unit, today=TODAY))
    assert found.total == 2
    assert found.overdue == 1
    assert [i.url for i in found.items] == [late.get_absolute_url(), soon.get_absolute_url()]
    assert [i.urgency for i in found.items] == [Urgency.OVERDUE, Urgency.DUE_SOON]


def test_waiting_for_acceptance_goes_to_the_assigner(
    actors: dict[str, Any], task: Task, thai_nguyen: Unit, lead_unit: Unit
) -> None:
    services.task_submit(actor=actors["lead"], task=task, result_number="15/BC-UBND")
    found = _source(ACCEPTANCE).find(Scope(actor=actors["assigner"], root=thai_nguyen, today=TODAY))
    assert found.total == 1
    assert found.items[0].url == task.get_absolute_url()
    # The lead village's officer does not accept: nothing on their list.
    assert (
        _source(ACCEPTANCE).find(Scope(actor=actors["lead"], root=lead_unit, today=TODAY)).total
        == 0
    )


def test_constant_queries(
    actors: dict[str, Any],
    thai_nguyen: Unit,
    lead_unit: Unit,
    django_assert_max_num_queries: Any,
) -> None:
    TaskFactory.create_batch(
        15, assigner_unit=thai_nguyen, lead_unit=lead_unit, due_on=TODAY - dt.timedelta(days=1)
    )
    scope = Scope(actor=actors["lead"], root=lead_unit, today=TODAY)
    _source(DUE).find(scope)  # warm the grants and the calendar
    with django_assert_max_num_queries(2):
        _source(DUE).find(Scope(actor=actors["lead"], root=lead_unit, today=TODAY, memo={
            ("directive_tasks", "soon"): scope.memo[("directive_tasks", "soon")]}))  # fmt: skip
