"""Fixtures of the inspection tests: a commune's steering committee inspects two of its
villages; a third village is not inspected.

Actors: the inspecting officer (the commune), the officer of each inspected village,
the officer of the village not inspected, the province's officer (the parent), a
national administrator and nobody (anonymous).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser

from danvan.accounts.models import Role
from danvan.accounts.testing import make_user
from danvan.directives.inspections import services
from danvan.directives.inspections.models import Inspection, InspectionPlan, TeamRole
from danvan.directives.tasks import services as task_services
from danvan.directives.tasks.models import Task
from danvan.units.models import Unit, UnitKind
from danvan.units.services import unit_create

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = dt.date(2026, 3, 25)  # a Wednesday
YEAR = 2026


def travel(day: dt.date = TODAY) -> Any:
    return time_machine.travel(
        dt.datetime(day.year, day.month, day.day, 9, 0, tzinfo=HCM), tick=False
    )


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with travel():
        yield


@pytest.fixture
def villages(commune: Unit) -> list[Unit]:
    return [
        unit_create(actor=None, parent=commune, kind=UnitKind.VILLAGE, name=f"Thôn {i}")
        for i in range(1, 4)
    ]


@pytest.fixture
def actors(thai_nguyen: Unit, commune: Unit, villages: list[Unit]) -> dict[str, Any]:
    return {
        "inspecting": make_user("kt-xa", Role.OFFICER, commune),
        "inspected": make_user("kt-thon1", Role.OFFICER, villages[0]),
        "sibling": make_user("kt-thon2", Role.OFFICER, villages[1]),
        "outsider": make_user("kt-thon3", Role.OFFICER, villages[2]),
        "parent": make_user("kt-tinh", Role.OFFICER, thai_nguyen),
        "national": make_user("kt-admin", Role.SYSTEM_ADMIN, None),
        "anonymous": AnonymousUser(),
    }


@pytest.fixture
def plan(actors: dict[str, Any], commune: Unit) -> InspectionPlan:
    return services.plan_create(
        actor=actors["inspecting"],
        unit=commune,
        year=YEAR,
        title="Kế hoạch kiểm tra, giám sát năm 2026",
        decision_number="Số 05-KH/BCĐ",
        approved_on=dt.date(2026, 1, 10),
    )


@pytest.fixture
def inspection(actors: dict[str, Any], plan: InspectionPlan, villages: list[Unit]) -> Inspection:
    """Planned, with a leader and two villages to visit; not started."""
    actor = actors["inspecting"]
    inspection = services.inspection_create(
        actor=actor,
        plan=plan,
        title="Kiểm tra việc công khai thông tin quý II",
        starts_on=dt.date(YEAR, 4, 6),
        ends_on=dt.date(YEAR, 4, 17),
        targets=[
            services.TargetSpec(villages[0], dt.date(YEAR, 4, 7)),
            services.TargetSpec(villages[1], dt.date(YEAR, 4, 14)),
        ],
    )
    services.team_member_add(
        actor=actor,
        inspection=inspection,
        role=TeamRole.LEADER,
        full_name="Nguyễn Văn An",
        position="Phó Bí thư Đảng ủy xã",
    )
    return inspection


@pytest.fixture
def started(actors: dict[str, Any], inspection: Inspection) -> Inspection:
    return services.inspection_start(actor=actors["inspecting"], inspection=inspection)


@pytest.fixture
def targets(started: Inspection) -> list[Any]:
    return list(started.targets.select_related("unit", "inspection__plan__unit").order_by("id"))


@pytest.fixture
def closed_task(actors: dict[str, Any], commune: Unit, villages: list[Unit]) -> Task:
    """A task the commune gave the first village, done and accepted."""
    task = task_services.task_create(
        actor=actors["inspecting"],
        assigner_unit=commune,
        lead_unit=villages[0],
        title="Niêm yết công khai dự toán ngân sách",
        deliverable="Biên bản niêm yết",
        due_on=dt.date(2026, 4, 30),
    )
    task = task_services.task_submit(
        actor=actors["inspected"], task=task, result_minutes="Đã niêm yết tại nhà văn hóa."
    )
    return task_services.task_accept(actor=actors["inspecting"], task=task)
