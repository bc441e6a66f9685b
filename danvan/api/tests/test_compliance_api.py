"""GET /api/v1/compliance/board: the board's cells through the API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client

from danvan.accounts.testing import API_READ_SCOPED, Cast, walk
from danvan.cases.models import Dialogue
from danvan.democracy.board.selectors import OBLIGATION_CODES
from danvan.units.models import Unit

pytestmark = pytest.mark.django_db

URL = "/api/v1/compliance/board"


@pytest.fixture
def cast(access_cast: Callable[..., Cast], commune: Unit) -> Cast:
    return access_cast(commune)


def test_access_walk(cast: Cast, commune: Unit) -> None:
    walk(
        cast,
        f"{URL}?unit={commune.code}&from=2024-01-01&to=2024-12-31",
        expect=API_READ_SCOPED,
        api=True,
    )


def test_the_board(cast: Cast, commune: Unit) -> None:
    Dialogue.objects.create(
        unit=commune,
        title="Đối thoại",
        held_on=dt.date(2024, 5, 10),
        place="Hội trường",
        chair="Chủ tịch",
        state=Dialogue.State.PUBLISHED,
        published_on=dt.date(2024, 5, 12),
    )
    response = Client().get(
        URL,
        {"unit": commune.code, "from": "2024-01-01", "to": "2024-12-31"},
        headers=cast.api_headers("same"),
    )
    assert response.status_code == 200
    body = response.json()
    assert [o["code"] for o in body["obligations"]] == list(OBLIGATION_CODES)
    assert all(o["label"] and o["citation"] for o in body["obligations"])
    assert [r["unit_code"] for r in body["rows"]] == [commune.code]
    row_cells = body["rows"][0]["cells"]
    assert row_cells["dialogue"] == {"status": "done", "count": 1}
    assert row_cells["inspection_board"]["status"] == "missing"
    assert row_cells["workplace_dialogue"]["status"] == "not_applicable"


def test_a_bad_period_is_refused(cast: Cast, commune: Unit) -> None:
    response = Client().get(
        URL,
        {"unit": commune.code, "from": "2024-12-31", "to": "2024-01-01"},
        headers=cast.api_headers("same"),
    )
    assert response.status_code == 400
