"""The demo: the province's plan of the year, one inspection of two communes, three
recommendations turned into tasks (one open past its deadline, one open, one done on
time), dated from the day it is seeded; seeding twice adds nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from danvan.directives.inspections.demo import seed_inspections
from danvan.directives.inspections.models import (
    Finding,
    Inspection,
    InspectionPlan,
    InspectionState,
    InspectionTarget,
    Recommendation,
    TeamMember,
)
from danvan.directives.tasks.models import SourceKind, Task, TaskState
from danvan.directives.tasks.status import TaskStatus, status_of
from danvan.units.models import Unit

from .conftest import travel

pytestmark = pytest.mark.django_db

DEMO_DAY = dt.date(2026, 12, 7)


def _counts() -> list[int]:
    return [
        m.objects.count()
        for m in (InspectionPlan, Inspection, InspectionTarget, TeamMember, Finding, Recommendation)
    ] + [Task.objects.filter(source_kind=SourceKind.INSPECTION).count()]


@pytest.mark.parametrize(
    ("day", "year"), [(DEMO_DAY, 2026), (dt.date(2027, 1, 20), 2026), (dt.date(2027, 4, 2), 2027)]
)
def test_demo_dates_follow_the_day_it_is_seeded(thai_nguyen: Unit, day: dt.date, year: int) -> None:
    with travel(day):
        plan = seed_inspections(thai_nguyen)
    inspection = plan.inspections.get()
    assert plan.year == year
    assert inspection.starts_on.year == year
    assert inspection.ends_on < day


def test_demo_is_idempotent(thai_nguyen: Unit) -> None:
    with travel(DEMO_DAY):
        plan = seed_inspections(thai_nguyen)
        first = _counts()
        assert seed_inspections(thai_nguyen) == plan
        assert _counts() == first
    assert first == [1, 1, 2, 3, 3, 3, 3]
    assert plan.year == 2026
    assert plan.decision_number == "05-KH/BCĐ"
    inspection = plan.inspections.get()
    assert inspection.state == InspectionState.IN_PROGRESS
    assert {t.unit.parent_id for t in inspection.targets.select_related("unit")} == {thai_nguyen.pk}
    tasks = list(Task.objects.filter(source_kind=SourceKind.INSPECTION))
    assert sorted(t.state for t in tasks) == sorted(
        [TaskState.OPEN, TaskState.OPEN, TaskState.CLOSED]
    )
    statuses = sorted(str(status_of(t, DEMO_DAY, DEMO_DAY)) for t in tasks)
    assert statuses == sorted(
        [TaskStatus.DONE_ON_TIME, TaskStatus.OVERDUE, TaskStatus.NOT_DUE], key=str
    )
    for rec in Recommendation.objects.select_related("task", "target"):
        assert rec.task is not None
        assert rec.task.lead_unit_id == rec.target.unit_id
        assert rec.task.assigner_unit_id == thai_nguyen.pk
