"""Citizens' decisions over the API: scoped reads, the meeting path from matter to
published result, online votes with their codes given once, and refused input written
nowhere."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from danvan.accounts.models import Role, User
from danvan.accounts.testing import API_READ_SCOPED, Cast, make_user, walk
from danvan.audit.models import AuditEvent
from danvan.democracy import services
from danvan.democracy.models import HouseholdBallot, Matter, Method, Vote, VoteCode
from danvan.units import services as unit_services
from danvan.units.models import Unit, UnitKind

from .helpers import assert_problem, bearer

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
ROOT = "/api/v1/democracy"
HOUSEHOLDS = ["Hộ Nguyễn Văn Tám", "Hộ Trần Thị Chín"]


@pytest.fixture(autouse=True)
def _frozen_today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 5, 10, 9, 0, tzinfo=HCM), tick=False):
        yield


@pytest.fixture
def village(commune: Unit) -> Unit:
    return unit_services.unit_create(
        actor=None, parent=commune, kind=UnitKind.VILLAGE, name="Thôn Đồng Tâm", households=5
    )


@pytest.fixture
def officer(commune: Unit) -> User:
    return make_user("canbo-danchu", Role.OFFICER, commune)


@pytest.fixture
def matter(village: Unit, officer: User) -> Matter:
    return services.matter_raise(
        actor=officer,
        unit=village,
        kind="charter",
        title="Sửa đổi hương ước thôn Đồng Tâm",
        raised_on=dt.date(2026, 5, 1),
    )


def post(client: Client, path: str, headers: dict[str, str], body: Any = None) -> Any:
    return client.post(path, body or {}, content_type="application/json", headers=headers)


def written() -> tuple[int, ...]:
    return tuple(
        model.objects.count() for model in (Matter, Vote, VoteCode, HouseholdBallot, AuditEvent)
    )


# --- the access walk ----------------------------------------------------------------


def test_reads_are_scoped(
    access_cast: Callable[..., Cast], commune: Unit, matter: Matter, officer: User
) -> None:
    cast = access_cast(commune)
    vote = services.vote_open(
        actor=officer, matter=matter, method=Method.MEETING, opened_on=dt.date(2026, 5, 9)
    )
    for path in (
        f"{ROOT}/matters?unit={commune.code}",
        f"{ROOT}/matters/{matter.public_id}",
        f"{ROOT}/votes/{vote.public_id}",
    ):
        walk(cast, path, expect=API_READ_SCOPED, api=True)
    # Unfiltered, everyone logged in gets a list, but only a sibling's lacks the matter.
    for actor, sees in (("same", True), ("sibling", False), ("parent", True), ("admin", True)):
        body = Client().get(f"{ROOT}/matters", headers=cast.api_headers(actor)).json()
        assert (str(matter.public_id) in [i["public_id"] for i in body["items"]]) is sees, actor
    # Writes out of sight answer like a missing vote, and change nothing.
    before = written()
    response = post(Client(), f"{ROOT}/votes/{vote.public_id}/close", cast.api_headers("sibling"))
    assert_problem(response, 404, "vote_not_found")
    response = post(
        Client(),
        f"{ROOT}/matters/{matter.public_id}/votes",
        cast.api_headers("sibling"),
        {"method": "meeting", "opened_on": "2026-05-10"},
    )
    assert_problem(response, 404, "matter_not_found")
    assert written() == before


def test_a_reader_without_manage_cannot_write(
    client: Client, commune: Unit, matter: Matter
) -> None:
    inspector = make_user("thanhtra", Role.INSPECTOR, commune)
    headers = bearer(inspector)
    assert client.get(f"{ROOT}/matters/{matter.public_id}", headers=headers).status_code == 200
    before = written()
    response = post(
        client,
        f"{ROOT}/matters/{matter.public_id}/votes",
        headers,
        {"method": "meeting", "opened_on": "2026-05-10"},
    )
    assert response.status_code == 403
    assert written() == before


# --- the meeting path ---------------------------------------------------------------


def test_meeting_path_from_matter_to_published_result(
    client: Client, commune: Unit, village: Unit, officer: User
) -> None:
    headers = bearer(officer)
    response = post(
        client,
        f"{ROOT}/matters",
        headers,
        {
            "unit_code": village.code,
            "kind": "contribution",
            "title": "Đóng góp làm đường bê tông",
            "description": "Mỗi hộ góp 500.000 đồng.",
            "raised_on": "2026-05-02",
        },
    )
    assert response.status_code == 201, response.content
    matter = response.json()
    assert matter["unit"] == {"code": village.code, "name": "Thôn Đồng Tâm"}
    assert matter["kind_label"] == "Đóng góp xây dựng công trình công cộng"
    assert matter["votes"] == []

    response = post(
        client,
        f"{ROOT}/matters/{matter['public_id']}/votes",
        headers,
        {
            "method": "meeting",
            "opened_on": "2026-05-09",
            "place": "Nhà văn hóa thôn",
            "chair": "Trưởng thôn",
        },
    )
    assert response.status_code == 201, response.content
    vote = response.json()
    assert vote["households_total"] == 5
    assert vote["is_open"] is True
    assert vote["outcome"] == "pending"
    assert vote["matter_id"] == matter["public_id"]
    vote_url = f"{ROOT}/votes/{vote['public_id']}"

    response = post(client, f"{vote_url}/tally", headers, {"present": 4, "agree": 3, "disagree": 1})
    assert response.status_code == 200, response.content
    assert response.json()["households_present"] == 4
    assert response.json()["tally_live"] is False

    # Not closed yet: nothing to publish.
    assert_problem(post(client, f"{vote_url}/publish", headers), 400, "democracy_not_closed")

    response = post(client, f"{vote_url}/close", headers)
    assert response.status_code == 200
    closed = response.json()
    assert closed["is_open"] is False
    assert closed["outcome"] == "passed"  # 3 of all 5 households agree
    assert closed["outcome_label"] == "Được thông qua"
    assert closed["published_at"] is None

    response = post(client, f"{vote_url}/publish", headers)
    assert response.status_code == 200
    assert response.json()["published_at"] is not None

    detail = client.get(f"{ROOT}/matters/{matter['public_id']}", headers=headers).json()
    assert [v["public_id"] for v in detail["votes"]] == [vote["public_id"]]
    assert detail["votes"][0]["agree"] == 3
    listing = client.get(f"{ROOT}/matters?unit={commune.code}", headers=headers).json()
    assert [m["public_id"] for m in listing["items"]] == [matter["public_id"]]
    assert listing["next_offset"] is None


def test_online_vote_codes_are_given_once_and_the_tally_is_live(
    client: Client, matter: Matter, officer: User
) -> None:
    headers = bearer(officer)
    response = post(
        client,
        f"{ROOT}/matters/{matter.public_id}/votes",
        headers,
        {"method": "online", "opened_on": "2026-05-10", "closes_on": "2026-05-12"},
    )
    assert response.status_code == 201, response.content
    vote_url = f"{ROOT}/votes/{response.json()['public_id']}"
    vote = Vote.objects.get(public_id=response.json()["public_id"])

    response = post(client, f"{vote_url}/codes", headers, {"households": HOUSEHOLDS})
    assert response.status_code == 201, response.content
    assert response["Cache-Control"] == "no-store"
    codes = {c["household"]: c["code"] for c in response.json()["codes"]}
    assert set(codes) == set(HOUSEHOLDS)
    services.vote_cast_online(vote=vote, code=codes[HOUSEHOLDS[0]], choice="agree")

    seen = client.get(vote_url, headers=headers)
    body = seen.json()
    assert body["tally_live"] is True
    assert (body["households_present"], body["agree"], body["disagree"]) == (1, 1, 0)
    assert (body["codes_issued"], body["codes_used"]) == (2, 1)
    # Never a code, its hash, or a household's ballot outside the one answer that issues them.
    text = (
        seen.content.decode()
        + client.get(f"{ROOT}/matters/{matter.public_id}", headers=headers).content.decode()
    )
    for row in VoteCode.objects.all():
        assert row.code_hash not in text
        assert row.household not in text
    assert not any(code in text for code in codes.values())

    # The same households twice: refused, no new codes.
    before = written()
    again = post(client, f"{vote_url}/codes", headers, {"households": HOUSEHOLDS[:1]})
    assert_problem(again, 400, "democracy_empty")
    assert written() == before

    response = post(client, f"{vote_url}/close", headers)
    assert response.json()["outcome"] == "invalid"  # 1 of 5 households took part
    assert response.json()["tally_live"] is False


# --- refused input ------------------------------------------------------------------


def test_bad_tally_and_bad_dates_are_refused_with_nothing_written(
    client: Client, commune: Unit, matter: Matter, officer: User
) -> None:
    headers = bearer(officer)
    vote = services.vote_open(
        actor=officer, matter=matter, method=Method.BALLOT, opened_on=dt.date(2026, 5, 9)
    )
    vote_url = f"{ROOT}/votes/{vote.public_id}"
    before = written()

    body = assert_problem(
        post(client, f"{vote_url}/tally", headers, {"present": 6, "agree": 6, "disagree": 0}),
        400,
        "democracy_bad_tally",
    )
    assert "nhiều hơn tổng số hộ gia đình (5)" in body["detail"]
    assert body["errors"][0]["field"] == "present"
    body = assert_problem(
        post(client, f"{vote_url}/tally", headers, {"present": 3, "agree": 3, "disagree": 1}),
        400,
        "democracy_bad_tally",
    )
    assert "nhiều hơn số hộ tham gia" in body["detail"]

    body = assert_problem(
        post(
            client,
            f"{ROOT}/matters/{matter.public_id}/votes",
            headers,
            {"method": "meeting", "opened_on": "2026-04-30"},
        ),
        400,
        "democracy_bad_date",
    )
    assert "không được trước ngày đưa ra việc (01/05/2026)" in body["detail"]
    assert_problem(
        post(
            client,
            f"{ROOT}/matters/{matter.public_id}/votes",
            headers,
            {"method": "online", "opened_on": "2026-05-10"},
        ),
        400,
        "democracy_bad_date",
    )
    assert_problem(
        post(
            client,
            f"{ROOT}/matters",
            headers,
            {
                "unit_code": commune.code,  # a commune, not a village
                "kind": "charter",
                "title": "Hương ước",
                "raised_on": "2026-05-01",
            },
        ),
        400,
        "democracy_bad_unit",
    )
    assert written() == before
    stored = Vote.objects.get(pk=vote.pk)
    assert (stored.households_present, stored.agree, stored.disagree) == (0, 0, 0)


def test_unknown_ids_and_units_answer_404(client: Client, officer: User) -> None:
    headers = bearer(officer)
    missing = "6f1c1f9e-6a0e-4b8e-9a44-0e3c2b1d0a11"
    assert_problem(
        client.get(f"{ROOT}/matters/{missing}", headers=headers), 404, "matter_not_found"
    )
    assert_problem(client.get(f"{ROOT}/votes/{missing}", headers=headers), 404, "vote_not_found")
    assert_problem(client.get(f"{ROOT}/matters?unit=NOPE", headers=headers), 404, "unit_not_found")


def test_openapi_schema_lists_the_democracy_paths(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path, methods in {
        "/api/v1/democracy/matters": {"get", "post"},
        "/api/v1/democracy/matters/{public_id}": {"get"},
        "/api/v1/democracy/matters/{public_id}/votes": {"post"},
        "/api/v1/democracy/votes/{public_id}": {"get"},
        "/api/v1/democracy/votes/{public_id}/tally": {"post"},
        "/api/v1/democracy/votes/{public_id}/codes": {"post"},
        "/api/v1/democracy/votes/{public_id}/close": {"post"},
        "/api/v1/democracy/votes/{public_id}/publish": {"post"},
    }.items():
        assert methods <= set(paths[path]), path
    assert "code_hash" not in json.dumps(paths)
