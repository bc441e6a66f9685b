"""Reception days and dialogues over the API: the same scoping and rules as the pages,
errors as Vietnamese problem+json, and nothing written when a rule refuses."""

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
from danvan.audit.models import AuditEvent
from danvan.cases.dialogues import services as dialogue_services
from danvan.cases.models import Commitment, Dialogue, ReceptionSchedule, ReceptionSession
from danvan.cases.reception import services as reception_services
from danvan.legal.models import Duty
from danvan.units.models import Official, Unit

from .helpers import assert_problem, bearer

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
API = "/api/v1"
END_OF_MARCH = dt.datetime(2026, 3, 31, 9, 0, tzinfo=HCM)
HELD_ON = dt.date(2026, 3, 20)


@pytest.fixture
def cast(access_cast: Callable[..., Cast], commune: Unit) -> Cast:
    return access_cast(commune)


@pytest.fixture
def chair(commune: Unit) -> Official:
    return Official.objects.create(unit=commune, full_name="Hoàng Văn Chủ", position="Chủ tịch")


@pytest.fixture
def officer(commune: Unit) -> User:
    return make_user("api-tcd-xa", Role.OFFICER, commune)


def post(client: Client, url: str, headers: dict[str, str], body: dict[str, Any]) -> Any:
    return client.post(f"{API}{url}", body, content_type="application/json", headers=headers)


def get(client: Client, url: str, headers: dict[str, str], **params: Any) -> Any:
    return client.get(f"{API}{url}", params, headers=headers)


def weekly(chair: Official) -> ReceptionSchedule:
    return reception_services.schedule_create(
        actor=None,
        unit=chair.unit,
        leader=chair,
        duty=Duty.RECEPTION_COMMUNE_CHAIR,
        pattern="weekly",
        day=0,
        place="Trụ sở UBND",
        valid_from=dt.date(2026, 1, 1),
    )


def held_dialogue(unit: Unit) -> Dialogue:
    dialogue = dialogue_services.dialogue_create(
        actor=None,
        unit=unit,
        title="Đối thoại về đất đai",
        held_on=HELD_ON,
        place="Hội trường",
        chair="Chủ tịch UBND xã",
    )
    dialogue = dialogue_services.dialogue_announce(
        actor=None, dialogue=dialogue, announced_on=dt.date(2026, 3, 1)
    )
    return dialogue_services.dialogue_hold(
        actor=None, dialogue=dialogue, participants="", participants_count=50
    )


# --- the access walk --------------------------------------------------------------------


@time_machine.travel(END_OF_MARCH, tick=False)
def test_reads_are_scoped(cast: Cast, chair: Official) -> None:
    weekly(chair)
    reception_services.session_record(
        actor=None,
        unit=cast.unit,
        leader=chair,
        held_on=dt.date(2026, 3, 2),
        place="Trụ sở",
        citizens_count=1,
        citizens="",
        content="",
    )
    dialogue = held_dialogue(cast.unit)
    code = cast.unit.code
    for url in (
        f"{API}/reception/schedules?unit={code}",
        f"{API}/reception/schedules?unit={code}&current=true",
        f"{API}/reception/sessions?unit={code}&year=2026&month=3",
        f"{API}/reception/shortfalls?unit={code}&year=2026&month=3",
        f"{API}/dialogues?unit={code}",
        f"{API}/dialogues/{dialogue.public_id}",
        f"{API}/commitments?unit={code}&open=true",
    ):
        walk(cast, url, expect=API_READ_SCOPED, api=True)


@time_machine.travel(END_OF_MARCH, tick=False)
def test_writes_out_of_sight_answer_404_and_without_permission_403(
    cast: Cast, chair: Official, commune: Unit
) -> None:
    dialogue = held_dialogue(commune)
    sibling = cast.api_headers("sibling")
    leader = bearer(make_user("api-lanhdao", Role.LEADER, commune))
    client = Client()
    schedule = {
        "unit_code": commune.code,
        "leader_id": chair.pk,
        "pattern": "weekly",
        "day": 0,
        "place": "Trụ sở",
        "valid_from": "2026-01-01",
    }
    assert_problem(post(client, "/reception/schedules", sibling, schedule), 404, "unit_not_found")
    assert_problem(post(client, "/reception/schedules", leader, schedule), 403, "permission_denied")
    publish = {"results": "KQ", "published_on": "2026-03-25"}
    url = f"/dialogues/{dialogue.public_id}/publish"
    assert_problem(post(client, url, sibling, publish), 404, "dialogue_not_found")
    assert_problem(post(client, url, leader, publish), 403, "permission_denied")
    assert not ReceptionSchedule.objects.exists()
    dialogue.refresh_from_db()
    assert dialogue.state == "held"


# --- reception ---------------------------------------------------------------------------


@time_machine.travel(END_OF_MARCH, tick=False)
def test_schedules(
    cast: Cast, chair: Official, officer: User, thai_nguyen: Unit, commune: Unit
) -> None:
    client, headers = Client(), bearer(officer)
    body = {
        "unit_code": commune.code,
        "leader_id": chair.pk,
        "duty": Duty.RECEPTION_COMMUNE_CHAIR,
        "pattern": "weekly",
        "day": 2,
        "place": "Phòng tiếp công dân",
        "valid_from": "2026-01-01",
    }
    response = post(client, "/reception/schedules", headers, body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["leader"] == {
        "id": chair.pk,
        "full_name": chair.full_name,
        "position": "Chủ tịch",
    }
    assert created["unit"] == {"code": commune.code, "name": commune.name}
    assert created["duty_label"] == "Chủ tịch UBND cấp xã tiếp công dân"
    # The leader of another unit, seen by a province officer: refused, nothing written.
    province_chair = Official.objects.create(
        unit=thai_nguyen, full_name="Trịnh Việt Hùng", position="Chủ tịch UBND tỉnh"
    )
    parent = bearer(make_user("api-tinh", Role.OFFICER, thai_nguyen))
    problem = assert_problem(
        post(client, "/reception/schedules", parent, {**body, "leader_id": province_chair.pk}),
        400,
        "reception_bad_schedule",
    )
    assert problem["errors"][0]["field"] == "leader"
    assert "cán bộ của" in problem["detail"]
    # An official the commune officer may not see answers like a missing one.
    assert_problem(
        post(client, "/reception/schedules", headers, {**body, "leader_id": province_chair.pk}),
        404,
        "official_not_found",
    )
    assert_problem(
        post(client, "/reception/schedules", headers, {**body, "pattern": "daily"}),
        422,
        "validation_error",
    )
    assert ReceptionSchedule.objects.count() == 1
    listed = get(client, "/reception/schedules", parent, unit=thai_nguyen.code).json()
    assert [s["id"] for s in listed["items"]] == [created["id"]]
    response = post(
        client, f"/reception/schedules/{created['id']}/end", headers, {"valid_to": "2026-03-31"}
    )
    assert response.json()["valid_to"] == "2026-03-31"
    assert get(client, "/reception/schedules", headers, unit=commune.code, current="true").json()[
        "count"
    ] == (1)


@time_machine.travel(END_OF_MARCH, tick=False)
def test_sessions_and_shortfalls(
    chair: Official, officer: User, commune: Unit, sibling_commune: Unit
) -> None:
    client, headers = Client(), bearer(officer)
    schedule = weekly(chair)
    body = {
        "unit_code": commune.code,
        "leader_id": chair.pk,
        "held_on": "2026-04-01",
        "place": "Trụ sở UBND",
        "citizens_count": 2,
        "citizens": "Nguyễn Văn An",
        "content": "Đất đai",
        "schedule_id": schedule.pk,
    }
    problem = assert_problem(
        post(client, "/reception/sessions", headers, body), 400, "case_bad_date"
    )
    assert problem["errors"][0]["field"] == "held_on"
    assert "chưa đến" in problem["detail"]
    # The leader of another commune, seen by a province officer: refused.
    other = Official.objects.create(unit=sibling_commune, full_name="Xã bên", position="Chủ tịch")
    province = bearer(make_user("api-tinh", Role.OFFICER, commune.parent))
    problem = assert_problem(
        post(
            client,
            "/reception/sessions",
            province,
            {**body, "held_on": "2026-03-02", "leader_id": other.pk, "schedule_id": None},
        ),
        400,
        "reception_bad_session",
    )
    assert problem["errors"][0]["field"] == "leader"
    assert not ReceptionSession.objects.exists()
    assert not AuditEvent.objects.filter(model_label="cases.receptionsession").exists()
    for day in ("2026-03-02", "2026-03-09", "2026-03-23", "2026-03-30"):
        response = post(client, "/reception/sessions", headers, {**body, "held_on": day})
        assert response.status_code == 201, response.content
    assert response.json()["schedule_id"] == schedule.pk
    sessions = get(client, "/reception/sessions", headers, unit=commune.code, year=2026, month=3)
    assert sessions.json()["count"] == 4
    (found,) = get(
        client, "/reception/shortfalls", headers, unit=commune.code, year=2026, month=3
    ).json()
    assert found["leader"]["id"] == chair.pk
    assert (found["required"], found["held"], found["measure"]) == (5, 4, "days_per_week")
    assert found["missing_weeks"] == [
        {"iso": "2026-W12", "start": "2026-03-16", "end": "2026-03-22", "held": 0, "ongoing": False}
    ]
    assert "Tiếp công dân" in found["citation"]
    assert found["to_verify"] is False
    # Without year and month: the current month (March 2026 here).
    assert get(client, "/reception/shortfalls", headers, unit=commune.code).json() == [found]
    assert get(client, "/reception/shortfalls", headers, unit=other.unit.code).status_code == 404
    assert_problem(
        get(client, "/reception/shortfalls", headers, unit=commune.code, month=13),
        422,
        "validation_error",
    )


# --- dialogues ---------------------------------------------------------------------------


def test_a_dialogue_over_the_api(officer: User, commune: Unit) -> None:
    client, headers = Client(), bearer(officer)
    with time_machine.travel(dt.datetime(2026, 3, 15, 9, 0, tzinfo=HCM), tick=False):
        response = post(
            client,
            "/dialogues",
            headers,
            {
                "unit_code": commune.code,
                "title": "Đối thoại về đường liên thôn",
                "held_on": "2026-03-20",
                "place": "Nhà văn hóa",
                "chair": "Chủ tịch UBND xã",
            },
        )
        assert response.status_code == 201, response.content
        created = response.json()
        assert (created["state"], created["announce_by"]) == ("planned", "2026-03-13")
        assert created["announce_overdue"] is True
        url = f"/dialogues/{created['public_id']}"
        # Publishing before it was held: Vietnamese problem, nothing written.
        before = AuditEvent.objects.count()
        problem = assert_problem(
            post(
                client, f"{url}/publish", headers, {"results": "KQ", "published_on": "2026-03-15"}
            ),
            400,
            "dialogue_bad",
        )
        assert "trạng thái" in problem["detail"]
        assert AuditEvent.objects.count() == before
        response = post(client, f"{url}/announce", headers, {"announced_on": "2026-03-15"})
        announced = response.json()
        assert (announced["state"], announced["announce_late"]) == ("announced", True)
        assert announced["announce_rule"]["days"] == 7
        assert "Điều 43" in announced["announce_rule"]["citation"]
        assert_problem(
            post(client, f"{url}/hold", headers, {"participants_count": 10}), 400, "case_bad_date"
        )
        response = post(client, f"{url}/questions", headers, {"question": "Khi nào làm đường?"})
        assert response.status_code == 201
        question_id = response.json()["id"]
    with time_machine.travel(dt.datetime(2026, 3, 20, 9, 0, tzinfo=HCM), tick=False):
        response = post(client, f"{url}/hold", headers, {"participants_count": 70})
        assert response.json()["state"] == "held"
        response = post(
            client,
            f"{url}/questions/{question_id}/answer",
            headers,
            {"answer": "Quý II năm 2026", "answered_by": "Chủ tịch UBND xã"},
        )
        assert response.json()["answer"] == "Quý II năm 2026"
        response = post(
            client,
            f"{url}/commitments",
            headers,
            {
                "text": "Khởi công đường liên thôn",
                "responsible": "UBND xã",
                "due_date": "2026-03-25",
                "question_id": question_id,
            },
        )
        assert response.status_code == 201, response.content
        commitment = response.json()
        assert (commitment["question_id"], commitment["overdue"]) == (question_id, False)
        assert commitment["dialogue_id"] == created["public_id"]
    with time_machine.travel(dt.datetime(2026, 4, 2, 9, 0, tzinfo=HCM), tick=False):
        listed = get(client, "/commitments", headers, unit=commune.code, open="true").json()
        assert [(c["id"], c["overdue"]) for c in listed["items"]] == [(commitment["id"], True)]
        detail = get(client, url, headers).json()
        assert detail["publish_overdue"] is True
        assert [q["answer"] for q in detail["questions"]] == ["Quý II năm 2026"]
        response = post(
            client,
            f"/commitments/{commitment['id']}/done",
            headers,
            {"done_on": "2026-04-01", "result": "Đã khởi công"},
        )
        assert (response.json()["state"], response.json()["overdue"]) == ("done", False)
        assert get(client, "/commitments", headers, unit=commune.code).json()["count"] == 0
        response = post(
            client,
            f"{url}/publish",
            headers,
            {"results": "Đã trả lời 1 ý kiến", "published_on": "2026-04-01"},
        )
        published = response.json()
        assert (published["state"], published["publish_late"]) == ("published", True)
        assert published["publish_by"] == "2026-03-30"
        listed = get(client, "/dialogues", headers, unit=commune.code, state="published").json()
        assert [d["public_id"] for d in listed["items"]] == [created["public_id"]]
        assert listed["count"] == 1
    assert Commitment.objects.get().state == "done"
    assert_problem(get(client, "/dialogues/khong-co", headers), 422, "validation_error")
    assert_problem(
        get(client, "/dialogues/00000000-0000-0000-0000-000000000000", headers),
        404,
        "dialogue_not_found",
    )
