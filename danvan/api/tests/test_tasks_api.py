"""GET /api/v1/tasks/board: the tasks board's numbers through the API, scoped."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from danvan.accounts.models import Role
from danvan.accounts.testing import API_READ_SCOPED, Cast, make_user, walk
from danvan.directives.tasks.models import Task, TaskState
from danvan.units.models import Unit

from .helpers import assert_problem, bearer

pytestmark = pytest.mark.django_db

URL = "/api/v1/tasks/board"


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    at = dt.datetime(2026, 3, 25, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with time_machine.travel(at, tick=False):
        yield


@pytest.fixture
def cast(access_cast: Callable[..., Cast], commune: Unit) -> Cast:
    return access_cast(commune)


def task(
    assigner: Unit, lead: Unit, due: dt.date, state: str = "open", done: dt.date | None = None
) -> Task:
    return Task.objects.create(
        assigner_unit=assigner,
        lead_unit=lead,
        title="Nhiệm vụ",
        deliverable="Báo cáo",
        due_on=due,
        state=state,
        completed_on=done,
    )


def test_access_walk(cast: Cast, commune: Unit) -> None:
    walk(
        cast,
        f"{URL}?unit={commune.code}&from=2026-01-01&to=2026-06-30",
        expect=API_READ_SCOPED,
        api=True,
    )


def test_the_numbers_and_scope(thai_nguyen: Unit, commune: Unit, sibling_commune: Unit) -> None:
    task(thai_nguyen, commune, dt.date(2026, 2, 1), TaskState.CLOSED, dt.date(2026, 1, 30))
    task(thai_nguyen, commune, dt.date(2026, 3, 1))  # overdue
    task(thai_nguyen, sibling_commune, dt.date(2026, 3, 1))
    task(thai_nguyen, commune, dt.date(2025, 3, 1))  # last year, still open: overdue
    province = make_user("tinh", Role.OFFICER, thai_nguyen)
    response = Client().get(
        URL,
        {"unit": thai_nguyen.code, "from": "2026-01-01", "to": "2026-06-30"},
        headers=bearer(province),
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["as_of"] == "2026-03-25"
    assert body["last_year_as_of"] == "2025-06-30"
    total = body["total"]["counts"]
    assert (total["total"], total["done_on_time"], total["open_overdue"]) == (3, 1, 2)
    assert total["on_time_rate"] == round(100 / 3, 2)
    assert body["total"]["last_year"]["open_overdue"] == 1
    units = {u["unit_code"]: u["counts"] for u in body["units"]}
    assert units[commune.code]["total"] == 2
    assert units[sibling_commune.code]["total"] == 1
    # Late work first: the commune with an overdue task comes before those without.
    assert body["units"][0]["counts"]["open_overdue"] >= body["units"][-1]["counts"]["open_overdue"]

    officer = make_user("xa", Role.OFFICER, commune)
    mine = Client().get(
        URL,
        {"unit": commune.code, "from": "2026-01-01", "to": "2026-06-30"},
        headers=bearer(officer),
    )
    assert mine.json()["total"]["counts"]["total"] == 2
    # The sibling's numbers are out of sight: answered like a missing unit.
    other = Client().get(URL, {"unit": sibling_commune.code}, headers=bearer(officer))
    assert_problem(other, 404, "unit_not_found")


def test_bad_range(commune: Unit) -> None:
    officer = make_user("xa", Role.OFFICER, commune)
    response = Client().get(
        URL,
        {"unit": commune.code, "from": "2026-06-30", "to": "2026-01-01"},
        headers=bearer(officer),
    )
    assert_problem(response, 400, "bad_date")
