"""Fixtures of the task tests: a province assigns, a commune and its villages carry out.

Units: the province (assigner), a commune under it (parent of the villages), and three
villages: one leads, one coordinates, one is a sibling with no part in the task. One
officer of each, a reviewer of the commune, and nobody (anonymous).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser

from danvan.accounts.models import Role, User
from danvan.accounts.testing import make_user
from danvan.directives.tasks import services
from danvan.directives.tasks.models import Task
from danvan.units.models import Unit, UnitKind
from danvan.units.services import unit_create

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = dt.date(2026, 3, 25)  # a Wednesday, no holiday within two weeks


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
def lead_unit(villages: list[Unit]) -> Unit:
    return villages[0]


@pytest.fixture
def coord_unit(villages: list[Unit]) -> Unit:
    return villages[1]


@pytest.fixture
def sibling_unit(villages: list[Unit]) -> Unit:
    return villages[2]


@pytest.fixture
def actors(
    thai_nguyen: Unit, commune: Unit, lead_unit: Unit, coord_unit: Unit, sibling_unit: Unit
) -> dict[str, Any]:
    return {
        "assigner": make_user("nv-tinh", Role.OFFICER, thai_nguyen),
        "parent": make_user("nv-xa", Role.OFFICER, commune),
        "lead": make_user("nv-chutri", Role.OFFICER, lead_unit),
        "coord": make_user("nv-phoihop", Role.OFFICER, coord_unit),
        "sibling": make_user("nv-thonkhac", Role.OFFICER, sibling_unit),
        "reviewer": make_user("nv-hoidong", Role.REVIEWER, commune),
        "anonymous": AnonymousUser(),
    }


@pytest.fixture
def assigner(actors: dict[str, Any]) -> User:
    return actors["assigner"]


@pytest.fixture
def lead(actors: dict[str, Any]) -> User:
    return actors["lead"]


@pytest.fixture
def task(assigner: User, thai_nguyen: Unit, lead_unit: Unit, coord_unit: Unit) -> Task:
    """A task the province gives the lead village, with a coordinating village."""
    return services.task_create(
        actor=assigner,
        assigner_unit=thai_nguyen,
        lead_unit=lead_unit,
        coordinating_units=[coord_unit],
        title="Tổ chức hội nghị đối thoại với Nhân dân",
        deliverable="Báo cáo kết quả đối thoại",
        due_on=dt.date(2026, 4, 30),
        source_paragraph="Giao UBND các xã tổ chức đối thoại trước ngày 30/4/2026.",
        source_anchor="mục II.3",
    )


@pytest.fixture
def commune_task_paragraph() -> str:
    """The source paragraph of commune_task: none by default; a test module that needs
    one overrides this fixture."""
    return ""


@pytest.fixture
def commune_task(
    assigner: User, thai_nguyen: Unit, commune: Unit, commune_task_paragraph: str
) -> Task:
    """A task the province gives the commune itself (one it may delegate to villages)."""
    return services.task_create(
        actor=assigner,
        assigner_unit=thai_nguyen,
        lead_unit=commune,
        title="Thực hiện dân chủ ở cơ sở",
        deliverable="Báo cáo",
        due_on=dt.date(2026, 5, 29),
        source_paragraph=commune_task_paragraph,
    )
