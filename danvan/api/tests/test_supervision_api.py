"""People's supervision over the API: the same scoping and rules as the pages, errors as
Vietnamese problem+json, and nothing written when a rule refuses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from danvan.accounts.models import Role, User
from danvan.accounts.testing import API_READ_SCOPED, Cast, make_user, walk
from danvan.supervision import services
from danvan.supervision.models import Board, BoardMember, Conference, Recommendation
from danvan.units.models import Unit, UnitKind
from danvan.units.services import unit_create

from .helpers import assert_problem, bearer

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
API = "/api/v1"
TERM = dt.date(2026, 1, 1)


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel(dt.datetime(2026, 3, 25, 9, 0, tzinfo=HCM), tick=False):
        yield


@pytest.fixture
def cast(access_cast: Callable[..., Cast], commune: Unit) -> Cast:
    return access_cast(commune)


@pytest.fixture
def officer(commune: Unit) -> User:
    return make_user("api-gs-xa", Role.OFFICER, commune)


def post(url: str, headers: dict[str, str], body: dict[str, Any]) -> Any:
    return Client().post(f"{API}{url}", body, content_type="application/json", headers=headers)


def board_of(unit: Unit, kind: str = "investment") -> Board:
    return services.board_create(
        actor=None,
        unit=unit,
        kind=kind,
        term_start=TERM,
        project="Nhà văn hóa" if kind == "investment" else "",
    )


def test_reads_are_scoped(cast: Cast) -> None:
    board = board_of(cast.unit, "inspection")
    code = cast.unit.code
    walk(cast, f"{API}/supervision/boards?unit={code}", expect=API_READ_SCOPED, api=True)
    walk(cast, f"{API}/supervision/boards/{board.public_id}", expect=API_READ_SCOPED, api=True)
    walk(cast, f"{API}/supervision/conferences?unit={code}", expect=API_READ_SCOPED, api=True)


def test_board_life_over_the_api(commune: Unit, officer: User) -> None:
    h = bearer(officer)
    village = unit_create(actor=None, parent=commune, kind=UnitKind.VILLAGE, name="Thôn Đông")
    r = post(
        "/supervision/boards",
        h,
        {"unit_code": commune.code, "kind": "inspection", "term_start": "2026-01-01"},
    )
    assert r.status_code == 201, r.content
    pid = r.json()["public_id"]
    assert [f["code"] for f in r.json()["findings"]] == [
        "too_few_members",
        "village_without_member",
    ]
    r = post(
        f"/supervision/boards/{pid}/members",
        h,
        {"full_name": "Lê Văn A", "role": "head", "village_code": village.code},
    )
    assert r.status_code == 201, r.content
    r = post(
        f"/supervision/boards/{pid}/plans",
        h,
        {"title": "Kiểm tra chợ", "starts_on": "2026-03-11", "sent_on": "2026-03-05"},
    )
    assert r.status_code == 201
    assert r.json()["late_notice"] is True
    plan = r.json()["public_id"]
    r = post(
        f"/supervision/plans/{plan}/activities",
        h,
        {"date": "2026-03-12", "description": "Làm việc với ban quản lý chợ"},
    )
    assert r.status_code == 201, r.content
    r = post(
        f"/supervision/plans/{plan}/activities/{r.json()['id']}/findings",
        h,
        {"text": "Thu phí sai"},
    )
    assert r.status_code == 201
    r = post(
        f"/supervision/plans/{plan}/findings/{r.json()['id']}/recommendations",
        h,
        {"text": "Hoàn trả", "addressed_to": "UBND xã", "due_date": "2026-03-20"},
    )
    assert r.status_code == 201
    assert r.json()["overdue"] is True
    rec = r.json()["id"]
    r = post(f"/supervision/recommendations/{rec}/close", h, {"closed_on": "2026-03-24"})
    assert_problem(r, 400, "supervision_bad_state")
    r = post(
        f"/supervision/recommendations/{rec}/answer",
        h,
        {"answer": "Đã hoàn trả", "answered_on": "2026-03-23"},
    )
    assert r.status_code == 200
    assert r.json()["state"] == "answered"
    r = post(f"/supervision/recommendations/{rec}/close", h, {"closed_on": "2026-03-24"})
    assert r.status_code == 200
    assert r.json()["state"] == "closed"
    r = Client().get(f"{API}/supervision/boards/{pid}", headers=h)
    assert [f["code"] for f in r.json()["findings"]] == ["too_few_members"]


def test_sixth_representative_and_third_deputy_refused(commune: Unit, officer: User) -> None:
    board = board_of(commune)
    for i in range(2):
        services.member_add(actor=None, board=board, full_name=f"P{i}", role="deputy")
    h = bearer(officer)
    url = f"/supervision/boards/{board.public_id}/members"
    body = assert_problem(
        post(url, h, {"full_name": "P3", "role": "deputy"}), 400, "supervision_too_many_deputies"
    )
    assert "phó trưởng ban" in body["detail"]
    for i in range(3):
        services.member_add(actor=None, board=board, full_name=f"R{i}", role="representative")
    assert_problem(
        post(url, h, {"full_name": "R6", "role": "representative"}),
        400,
        "supervision_too_many_representatives",
    )
    assert BoardMember.objects.filter(board=board).count() == 5


def test_writes_out_of_sight_or_without_permission(commune: Unit, sibling_commune: Unit) -> None:
    board = board_of(commune)
    outsider = make_user("api-gs-ngoai", Role.OFFICER, sibling_commune)
    reviewer = make_user("api-gs-doc", Role.REVIEWER, commune)
    url = f"/supervision/boards/{board.public_id}/members"
    assert_problem(
        post(url, bearer(outsider), {"full_name": "A", "role": "member"}), 404, "board_not_found"
    )
    assert_problem(
        post(url, bearer(reviewer), {"full_name": "A", "role": "member"}), 403, "permission_denied"
    )
    assert not BoardMember.objects.exists()


def test_conferences_and_gaps(commune: Unit, officer: User) -> None:
    enterprise = unit_create(actor=None, parent=commune, kind=UnitKind.ENTERPRISE, name="Công ty A")
    h = bearer(officer)
    body = {
        "unit_code": enterprise.code,
        "kind": "dialogue",
        "held_on": "2026-03-02",
        "participants_employer": 3,
        "participants_workers": 2,
    }
    problem = assert_problem(
        post("/supervision/conferences", h, body), 400, "supervision_too_few_participants"
    )
    assert "Điều 63" in problem["detail"]
    assert not Conference.objects.exists()
    r = post("/supervision/conferences", h, {**body, "participants_workers": 3})
    assert r.status_code == 201, r.content
    r = Client().get(
        f"{API}/supervision/conferences", {"unit": commune.code, "year": "2026"}, headers=h
    )
    assert r.status_code == 200
    data = r.json()
    assert len(data["conferences"]) == 1
    assert [(g["unit"]["code"], g["kind"]) for g in data["gaps"]] == [(enterprise.code, "workers")]
    assert data["gaps"][0]["rule"]["to_verify"] is True
    assert not Recommendation.objects.exists()


def test_conference_plans(commune: Unit, officer: User) -> None:
    enterprise = unit_create(actor=None, parent=commune, kind=UnitKind.ENTERPRISE, name="Công ty B")
    h = bearer(officer)
    plan = {"unit_code": enterprise.code, "kind": "workers", "planned_on": "2020-01-01"}
    assert_problem(post("/supervision/conference-plans", h, plan), 400, "supervision_bad_date")
    r = post("/supervision/conference-plans", h, {**plan, "planned_on": "2099-12-01"})
    assert r.status_code == 201, r.content
    created = r.json()
    assert (created["overdue"], created["held_on"]) == (False, None)
    listing = Client().get(
        f"{API}/supervision/conferences", {"unit": commune.code, "year": "2099"}, headers=h
    )
    assert [p["id"] for p in listing.json()["plans"]] == [created["id"]]
