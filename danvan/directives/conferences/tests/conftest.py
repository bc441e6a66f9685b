"""Fixtures of the conference tests: time frozen; the province (Thái Nguyên) holds a
review, a commune under it and a sibling commune; an officer of each, a national
administrator and nobody (anonymous)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser

from danvan.accounts.models import Role, User
from danvan.accounts.testing import make_user
from danvan.directives.conferences import services
from danvan.directives.conferences.models import Conference, ConferenceKind, Half
from danvan.units.models import Official, Unit

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = dt.date(2027, 7, 20)
HELD_ON = dt.date(2027, 7, 15)


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel(dt.datetime(2027, 7, 20, 9, 0, tzinfo=HCM), tick=False):
        yield


@pytest.fixture
def actors(thai_nguyen: Unit, commune: Unit, sibling_commune: Unit) -> dict[str, Any]:
    return {
        "province": make_user("hn-tinh", Role.OFFICER, thai_nguyen),
        "commune": make_user("hn-xa", Role.OFFICER, commune),
        "sibling": make_user("hn-xa-ben", Role.OFFICER, sibling_commune),
        "reviewer": make_user("hn-doc", Role.REVIEWER, thai_nguyen),
        "admin": make_user("hn-admin", Role.SYSTEM_ADMIN, None),
        "anonymous": AnonymousUser(),
    }


@pytest.fixture
def province_officer(actors: dict[str, Any]) -> User:
    return actors["province"]


@pytest.fixture
def chair(thai_nguyen: Unit) -> Official:
    return Official.objects.create(
        unit=thai_nguyen, full_name="Nguyễn Văn Chủ", position="Phó Bí thư Thường trực Tỉnh ủy"
    )


def conference_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": ConferenceKind.HALF_YEAR_REVIEW,
        "title": "Hội nghị sơ kết 6 tháng đầu năm 2027",
        "held_on": HELD_ON,
        "place": "Hội trường Tỉnh ủy",
        "online": True,
        "chair": None,
        "period_year": 2027,
        "period_half": Half.FIRST,
        "agenda": "Khai mạc\nBáo cáo\nKết luận",
    }
    data.update(overrides)
    return data


@pytest.fixture
def conference(thai_nguyen: Unit, chair: Official) -> Conference:
    return services.conference_create(
        actor=None, unit=thai_nguyen, data=conference_data(chair=chair)
    )


@pytest.fixture
def commune_conference(commune: Unit) -> Conference:
    return services.conference_create(
        actor=None,
        unit=commune,
        data=conference_data(
            kind=ConferenceKind.THEMATIC,
            title="Hội nghị chuyên đề đối thoại",
            online=False,
            period_year=None,
            period_half=None,
        ),
    )


CONCLUSION = (
    "Giao Ban Dân vận Tỉnh ủy chủ trì hướng dẫn sơ kết, báo cáo trước ngày 30/9/2027.\n"
    "Đề nghị UBND các xã tổ chức đối thoại với Nhân dân trong quý III/2027."
)
