"""Fixtures of the supervision tests: a commune with villages, an agency, an enterprise."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from danvan.accounts.models import Role, User
from danvan.accounts.testing import make_user
from danvan.units.models import Unit, UnitKind
from danvan.units.services import unit_create

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = dt.date(2026, 3, 25)  # a Wednesday


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
def agency(commune: Unit) -> Unit:
    return unit_create(actor=None, parent=commune, kind=UnitKind.AGENCY, name="Văn phòng UBND xã")


@pytest.fixture
def enterprise(commune: Unit) -> Unit:
    return unit_create(
        actor=None, parent=commune, kind=UnitKind.ENTERPRISE, name="Công ty May Thái Nguyên"
    )


@pytest.fixture
def officer(commune: Unit) -> User:
    return make_user("giamsat-xa", Role.OFFICER, commune)
