"""Fixtures of the disclosure tests: an officer of the commune and a recorder of
disclosures that fills in the defaults."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from danvan.accounts.models import Role, User
from danvan.accounts.testing import make_user
from danvan.disclosure import services
from danvan.disclosure.models import Disclosure, DisclosureKind
from danvan.units.models import Unit


def kind(number: int, unit_kind: str = "commune") -> DisclosureKind:
    return DisclosureKind.objects.get(unit_kind=unit_kind, number=number)


@pytest.fixture
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def officer(commune: Unit) -> User:
    return make_user("canbo-congkhai", Role.OFFICER, commune)


@pytest.fixture
def record(commune: Unit) -> Callable[..., Disclosure]:
    def _record(**kw: Any) -> Disclosure:
        params: dict[str, Any] = {
            "actor": None,
            "unit": commune,
            "kind": kind(1),
            "title": "Kế hoạch phát triển kinh tế - xã hội năm 2026",
            "start": dt.date(2026, 1, 5),
            "end": None,
            "is_public": True,
        }
        params.update(kw)
        return services.disclosure_create(**params)

    return _record
