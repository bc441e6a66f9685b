from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from danvan.accounts.models import User
from danvan.accounts.testing import make_user
from danvan.movement import services
from danvan.movement.models import Entry, Field
from danvan.units.models import Unit


@pytest.fixture
def field_economy(db: None) -> Field:
    return Field.objects.get(code="kinh-te")


@pytest.fixture
def commune_officer(commune: Unit) -> User:
    return make_user("xa-canbo", "officer", commune)


@pytest.fixture
def province_officer(thai_nguyen: Unit) -> User:
    return make_user("tinh-canbo", "officer", thai_nguyen)


@pytest.fixture
def make_entry(commune: Unit, field_economy: Field) -> Callable[..., Entry]:
    def make(name: str = "Mô hình “Dân vận khéo” xây dựng nông thôn mới", **kw: Any) -> Entry:
        kw.setdefault("unit", commune)
        kw.setdefault("kind", "initiative")
        kw.setdefault("field", field_economy)
        kw.setdefault("registration_year", 2025)
        return services.entry_create(actor=None, name=name, **kw)

    return make


DECISION = services.DecisionInput(
    number="125/QĐ-UBND", issued_on=dt.date(2025, 11, 20), issuer="UBND tỉnh Thái Nguyên"
)
