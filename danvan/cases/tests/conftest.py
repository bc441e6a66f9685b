"""Fixtures of the cases tests: a commune with its officers and a denunciation handler."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from danvan.accounts.models import Role, User
from danvan.accounts.testing import make_user
from danvan.cases import services
from danvan.cases.identity import Identity
from danvan.cases.models import Case, Channel
from danvan.units.models import Unit

DENOUNCER = Identity(
    full_name="Nguyễn Văn Tố",
    address="Tổ 5, phường Phan Đình Phùng",
    id_number="019088001234",
    phone="0912345678",
    email="to.nguyen@example.vn",
)


@pytest.fixture
def officer(commune: Unit) -> User:
    return make_user("canbo-xa", Role.OFFICER, commune)


@pytest.fixture
def handler(commune: Unit) -> User:
    """An officer who also holds the identity role on the commune."""
    user = make_user("thuly-xa", Role.OFFICER, commune)
    from danvan.accounts.services import grant_create

    grant_create(actor=None, user=user, role=Role.IDENTITY_KEEPER, unit=commune)
    return user


@pytest.fixture
def leader(commune: Unit) -> User:
    return make_user("lanhdao-xa", Role.LEADER, commune)


@pytest.fixture
def receive(officer: User, commune: Unit) -> Callable[..., Case]:
    def _receive(**kwargs: Any) -> Case:
        params: dict[str, Any] = {
            "actor": officer,
            "unit": commune,
            "kind": "feedback",
            "channel": Channel.LETTER,
            "subject": "Đường liên thôn xuống cấp",
            "content": "Đoạn đường từ thôn 3 đến thôn 5 có nhiều ổ gà.",
            "sender": Identity(full_name="Trần Thị Bình", phone="0987000111"),
            "received_on": dt.date(2026, 3, 2),
        }
        params.update(kwargs)
        return services.case_receive(**params)

    return _receive
