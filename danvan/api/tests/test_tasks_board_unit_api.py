"""GET /api/v1/tasks/board without a unit answers for the user's unit (a national reader:
the country), as the web board does; a unit out of the user's scope answers like a
missing one (problem+json 404)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from danvan.accounts.models import Role
from danvan.accounts.services import grant_create
from danvan.accounts.testing import make_user
from danvan.directives.tasks.models import Task
from danvan.units.models import Unit

from .helpers import assert_problem, bearer

pytestmark = pytest.mark.django_db

URL = "/api/v1/tasks/board"
H1 = {"from": "2026-01-01", "to": "2026-06-30"}


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    at = dt.datetime(2026, 3, 25, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with time_machine.travel(at, tick=False):
        yield


@pytest.fixture
def tasks(thai_nguyen: Unit, commune: Unit, sibling_commune: Unit) -> None:
    for lead, due in ((commune, 1), (commune, 2), (sibling_commune, 3)):
        Task.objects.create(
            assigner_unit=thai_nguyen,
            lead_unit=lead,
            title="Nhiệm vụ",
            deliverable="Báo cáo",
            due_on=dt.date(2026, due, 10),
        )


def test_without_a_unit_the_officers_own(tasks: None, commune: Unit) -> None:
    officer = make_user("xa", Role.OFFICER, commune)
    response = Client().get(URL, H1, headers=bearer(officer))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["unit_code"] == commune.code
    assert body["total"]["counts"]["total"] == 2
    assert body["start"] == "2026-01-01"


def test_without_a_unit_the_highest_granted(tasks: None, thai_nguyen: Unit, commune: Unit) -> None:
    user = make_user("tinh", Role.OFFICER, thai_nguyen)
    # A second grant lower down does not change which unit answers.
    grant_create(actor=None, user=user, role=Role.REVIEWER, unit=commune)
    body = Client().get(URL, H1, headers=bearer(user)).json()
    assert body["unit_code"] == thai_nguyen.code
    assert body["total"]["counts"]["total"] == 3


def test_without_a_unit_a_national_reader_sees_the_country(
    tasks: None, thai_nguyen: Unit, system_admin: Any
) -> None:
    response = Client().get(URL, H1, headers=bearer(system_admin))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["unit_code"] is None
    assert body["total"]["counts"]["total"] == 3
    provinces = {u["unit_code"]: u["counts"]["total"] for u in body["units"]}
    assert provinces[thai_nguyen.code] == 3


def test_nobody_who_reads_tasks_is_refused(commune: Unit) -> None:
    keeper = make_user("giu-danh-tinh", Role.IDENTITY_KEEPER, commune)
    assert_problem(Client().get(URL, H1, headers=bearer(keeper)), 403, "permission_denied")


def test_a_unit_out_of_scope_answers_like_a_missing_one(
    tasks: None, thai_nguyen: Unit, commune: Unit, sibling_commune: Unit
) -> None:
    officer = make_user("xa", Role.OFFICER, commune)
    headers = bearer(officer)
    # The province is visible to the commune (an ancestor) but its tasks are not.
    above = Client().get(URL, {"unit": thai_nguyen.code, **H1}, headers=headers)
    body = assert_problem(above, 404, "unit_not_found")
    missing = assert_problem(
        Client().get(URL, {"unit": "khong-co", **H1}, headers=headers), 404, "unit_not_found"
    )
    assert body["title"] == missing["title"]
    assert thai_nguyen.code in body["detail"]
    sibling = Client().get(URL, {"unit": sibling_commune.code, **H1}, headers=headers)
    assert_problem(sibling, 404, "unit_not_found")
    # An empty code is no code: the officer's own unit.
    empty = Client().get(URL, {"unit": "", **H1}, headers=headers)
    assert empty.status_code == 200
    assert empty.json()["unit_code"] == commune.code
