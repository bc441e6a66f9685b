"""Fixtures of the consultation tests: an officer of the commune and consultations in
each state, with today frozen."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from danvan.accounts.models import Role, User
from danvan.accounts.testing import make_user
from danvan.consultation import services
from danvan.consultation.models import Consultation
from danvan.units.models import Unit

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = dt.date(2026, 5, 10)


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Path) -> None:
    # Uploaded drafts go to a temporary folder, never to the checkout's var/media.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _frozen_today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 5, 10, 9, 0, tzinfo=HCM), tick=False):
        yield


@pytest.fixture
def manager(commune: Unit) -> User:
    return make_user("canbo-layykien", Role.OFFICER, commune)


def draft(unit: Unit, actor: User | None = None, **kwargs: object) -> Consultation:
    data: dict[str, object] = {
        "subject": "land_use",
        "title": "Dự thảo kế hoạch sử dụng đất năm 2027",
        "draft": "Chuyển 2 ha đất lúa sang đất giao thông.",
    }
    data.update(kwargs)
    return services.consultation_create(actor=actor, unit=unit, **data)  # type: ignore[arg-type]


def opened(unit: Unit, actor: User | None = None) -> Consultation:
    return services.consultation_open(
        actor=actor,
        consultation=draft(unit, actor),
        opens_on=TODAY - dt.timedelta(days=2),
        closes_on=TODAY + dt.timedelta(days=20),
    )
