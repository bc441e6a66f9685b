"""Fixtures of the register tests: time frozen, officers of a commune, of its province,
of a sibling commune and of a village under the commune."""

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
TODAY = dt.date(2026, 3, 25)


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel(dt.datetime(2026, 3, 25, 9, 0, tzinfo=HCM), tick=False):
        yield


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def village(commune: Unit) -> Unit:
    return unit_create(actor=None, parent=commune, kind=UnitKind.VILLAGE, name="Thôn Một")


@pytest.fixture
def officer(commune: Unit) -> User:
    return make_user("vanban-xa", Role.OFFICER, commune)


@pytest.fixture
def province_officer(thai_nguyen: Unit) -> User:
    return make_user("vanban-tinh", Role.OFFICER, thai_nguyen)


@pytest.fixture
def sibling_officer(sibling_commune: Unit) -> User:
    return make_user("vanban-xa-ben", Role.OFFICER, sibling_commune)


@pytest.fixture
def village_officer(village: Unit) -> User:
    return make_user("vanban-thon", Role.OFFICER, village)
