"""Citizens' cases over the API: scoping, the two paths through the workflow, optimistic
locking, refused input, and a denouncer's identity kept out of every answer but one."""

from __future__ import annotations

import datetime as dt
import json
import typing
from collections.abc import Callable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from danvan.accounts.models import Role, User
from danvan.accounts.testing import API_READ_SCOPED, Cast, make_user, walk
from danvan.api.case_schemas import ALERT_VALUES, AlertValue, CaseKindValue, CaseStatusValue
from danvan.audit.models import AuditEvent
from danvan.cases import services
from danvan.cases.models import KINDS, Alert, Case, CaseEvent, CaseStep, SenderIdentity, Status
from danvan.cases.tests import conftest as case_fixtures
from danvan.cases.tests.conftest import DENOUNCER
from danvan.units.models import Unit

from .helpers import assert_problem, bearer

pytestmark = pytest.mark.django_db

# The cases app's own fixtures (officer, identity-keeping handler, leader, intake helper).
officer = case_fixtures.officer
handler = case_fixtures.handler
leader = case_fixtures.leader
receive = case_fixtures.receive

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
CASES = "/api/v1/cases"
DUE_DATE = "/api/v1/legal/due-date"
SECRETS = (
    DENOUNCER.full_name,
    DENOUNCER.id_number,
    DENOUNCER.phone,
    DENOUNCER.email,
    DENOUNCER.address,
)


@pytest.fixture(autouse=True)
def _frozen_today() -> Iterator[None]:
    # Tuesday 30 June 2026, morning in Hà Nội: every date below is in the past.
    with time_machine.travel(dt.datetime(2026, 6, 30, 9, 0, tzinfo=HCM), tick=False):
        yield


def url(case: Case | str, suffix: str = "") -> str:
    public_id = case.public_id if isinstance(case, Case) else case
    return f"{CASES}/{public_id}{suffix}"


def post(client: Client, path: str, headers: dict[str, str], body: dict[str, Any]) -> Any:
    return client.post(path, body, content_type="application/json", headers=headers)


def intake(unit: Unit, **overrides: Any) -> dict[str, Any]:
    return {
        "unit_code": unit.code,
        "kind": "feedback",
        "channel": "letter",
        "subject": "Đường liên thôn xuống cấp",
        "content": "Đoạn đường từ thôn 3 đến thôn 5 có nhiều ổ gà.",
        "sender": {"full_name": "Trần Thị Bình", "phone": "0987000111"},
        "received_on": "2026-03-02",
        **overrides,
    }


def denunciation(unit: Unit, **overrides: Any) -> dict[str, Any]:
    return intake(
        unit,
        kind="denunciation",
        subject="Tố cáo cán bộ địa chính thu tiền trái quy định",
        content="Khi làm thủ tục cấp giấy chứng nhận, cán bộ địa chính thu thêm tiền.",
        sender={
            "full_name": DENOUNCER.full_name,
            "address": DENOUNCER.address,
            "id_number": DENOUNCER.id_number,
            "phone": DENOUNCER.phone,
            "email": DENOUNCER.email,
        },
        complexity=1,
        **overrides,
    )


def written() -> tuple[int, ...]:
    """How many rows every write of a case touches: equal before and after = nothing written."""
    return tuple(
        model.objects.count() for model in (Case, CaseEvent, CaseStep, SenderIdentity, AuditEvent)
    )


# --- the access walk ----------------------------------------------------------------


def test_reads_are_scoped(
    access_cast: Callable[..., Cast], commune: Unit, receive: Callable[..., Case]
) -> None:
    cast = access_cast(commune)
    case = receive()
    for path in (
        f"{CASES}?unit={commune.code}",
        url(case),
        f"{CASES}/statistics?unit={commune.code}",
        f"{CASES}/overdue?unit={commune.code}",
    ):
        walk(cast, path, expect=API_READ_SCOPED, api=True)
    # Unfiltered, everyone logged in gets a list, but only a sibling's lacks the case.
    for actor, sees in (("same", True), ("sibling", False), ("parent", True), ("admin", True)):
        body = Client().get(CASES, headers=cast.api_headers(actor)).json()
        assert (str(case.public_id) in [i["public_id"] for i in body["items"]]) is sees, actor
    # Writes to a case out of sight answer like a missing case, and change nothing.
    response = post(Client(), url(case, "/accept"), cast.api_headers("sibling"), {"version": 1})
    assert_problem(response, 404, "case_not_found")
    assert Case.objects.get(pk=case.pk).status == Status.RECEIVED


# --- reading ------------------------------------------------------------------------


def test_list_filters_and_keyset_pages(
    client: Client, receive: Callable[..., Case], officer: User, handler: User
) -> None:
    headers = bearer(officer)
    late = receive(subject="Đèn đường hỏng", received_on=dt.date(2026, 1, 5))
    petition = receive(kind="petition", subject="Kiến nghị mở rộng chợ")
    complaint = receive(kind="complaint", subject="Khiếu nại quyết định thu hồi đất")
    Case.objects.filter(pk=late.pk).update(alert="overdue")
    services.case_accept(actor=handler, case=petition, version=petition.version)

    def ids(**params: Any) -> list[str]:
        body = client.get(CASES, params, headers=headers).json()
        return [item["public_id"] for item in body["items"]]

    assert ids(kind="complaint") == [str(complaint.public_id)]
    assert ids(status="accepted") == [str(petition.public_id)]
    assert ids(alert="overdue") == [str(late.public_id)]
    assert set(ids(alert="none")) == {str(petition.public_id), str(complaint.public_id)}
    assert ids(received_to="2026-01-31") == [str(late.public_id)]
    assert len(ids(received_from="2026-02-01")) == 2
    assert ids(q="chợ") == [str(petition.public_id)]
    assert ids(q=complaint.reference) == [str(complaint.public_id)]
    assert ids(mine="true") == []
    assert client.get(CASES, {"mine": "true"}, headers=bearer(handler)).json()["items"][0][
        "public_id"
    ] == str(petition.public_id)

    # Pages of 2 by (due date, id), followed by next_after until null.
    seen: list[str] = []
    after = ""
    while True:
        body = client.get(CASES, {"limit": "2", "after": after}, headers=headers).json()
        assert len(body["items"]) <= 2
        seen += [item["public_id"] for item in body["items"]]
        if body["next_after"] is None:
            break
        after = body["next_after"]
    assert seen == ids()
    assert len(seen) == 3
    item = client.get(CASES, {"kind": "complaint"}, headers=headers).json()["items"][0]
    assert (item["kind_label"], item["status_label"]) == ("Khiếu nại", "Đã tiếp nhận, chờ xử lý")
    assert item["alias"].startswith("Người gửi ")
    assert item["unit"] == {"code": complaint.unit.code, "name": complaint.unit.name}

    body = assert_problem(
        client.get(CASES, {"kind": "khieu-nai", "limit": "500"}, headers=headers),
        422,
        "validation_error",
    )
    assert {e["field"] for e in body["errors"]} == {"kind", "limit"}
    assert_problem(client.get(CASES, {"unit": "khong-co"}, headers=headers), 404, "unit_not_found")


def test_filter_choices_match_the_models() -> None:
    assert set(typing.get_args(CaseKindValue)) == {k.value for k in KINDS}
    assert set(typing.get_args(CaseStatusValue)) == set(Status.values)
    assert set(typing.get_args(AlertValue)) == set(ALERT_VALUES)
    assert set(ALERT_VALUES.values()) == set(Alert.values)


def test_list_runs_the_same_number_of_queries_for_3_and_30_cases(
    client: Client,
    receive: Callable[..., Case],
    officer: User,
    handler: User,
    leader: User,
    commune: Unit,
    django_assert_max_num_queries: Any,
) -> None:
    headers = bearer(officer)
    params = {"unit": commune.code, "limit": "200"}

    def make(n: int) -> None:
        for _ in range(n):
            case = receive()
            services.case_assign(
                actor=leader, case=case, version=case.version, users=[handler], lead=handler
            )

    make(3)
    client.get(CASES, params, headers=headers)  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(CASES, params, headers=headers).json()["items"]) == 3
    make(27)
    with django_assert_max_num_queries(len(few)):
        body = client.get(CASES, params, headers=headers).json()
    assert len(body["items"]) == 30
    assert {item["handler"] for item in body["items"]} == {handler.username}


# --- the two paths through the workflow ---------------------------------------------


def test_denunciation_from_intake_to_result(
    client: Client, commune: Unit, officer: User, handler: User, leader: User
) -> None:
    response = post(client, CASES, bearer(officer), denunciation(commune))
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["alias"].startswith("Người tố cáo ")
    # 7 working days to accept (to verify): 2 March 2026 + 7 working days = 11 March.
    assert (created["status"], created["due_date"]) == ("received", "2026-03-11")
    assert created["deadline"]["to_verify"] is True
    assert "Luật Tố cáo 2018" in created["deadline"]["citation"]
    assert created["allowed_actions"] == [
        "classify",
        "accept",
        "refuse",
        "transfer",
        "steps",
        "withdraw",
    ]
    path = url(created["public_id"])

    body = post(
        client,
        f"{path}/assign",
        bearer(leader),
        {"version": created["version"], "users": [handler.username], "lead": handler.username},
    ).json()
    assert (body["handler"], body["assigned"]) == (handler.username, [handler.username])
    assert body["allowed_actions"] == ["assign"]

    mine = bearer(handler)
    body = post(
        client, f"{path}/accept", mine, {"version": body["version"], "accepted_on": "2026-03-09"}
    ).json()
    assert (body["status"], body["accepted_on"], body["due_date"]) == (
        "accepted",
        "2026-03-09",
        "2026-04-08",  # 30 days, Law on Denunciations 2018, art. 30(1)
    )
    assert body["deadline"]["explanation"].startswith("30 ngày (dương lịch) kể từ 09/03/2026")

    response = post(
        client,
        f"{path}/extend",
        mine,
        {"version": body["version"], "decision_number": "12/QĐ-UBND"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["due_date"] == "2026-05-08"
    assert body["deadline"]["extensions"] == ["12/QĐ-UBND"]
    assert "gia hạn 1 lần (12/QĐ-UBND)" in body["deadline"]["explanation"]
    assert [s["kind"] for s in body["steps"]] == ["extend"]

    response = post(
        client,
        f"{path}/resolve",
        mine,
        {
            "version": body["version"],
            "decision_number": "25/KL-UBND",
            "result_summary": "Tố cáo đúng một phần",
            "public_answer": "Đã có kết luận nội dung tố cáo.",
            "decision_date": "2026-05-05",
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["decision_number"], body["decision_date"]) == (
        "resolved",
        "25/KL-UBND",
        "2026-05-05",
    )
    assert body["allowed_actions"] == []
    assert [e["action"] for e in body["events"]] == [
        "receive",
        "assign",
        "accept",
        "extend",
        "resolve",
    ]
    assert body["events"][-1]["actor"] == handler.username


def test_feedback_from_intake_to_answer(
    client: Client, commune: Unit, sibling_commune: Unit, officer: User
) -> None:
    headers = bearer(officer)
    response = post(client, CASES, headers, intake(commune))
    assert response.status_code == 201, response.content
    body = response.json()
    assert "Trần Thị Bình" not in response.content.decode()
    path = url(body["public_id"])
    # Letters are classified within 10 working days (Circular 05/2021/TT-TTCP).
    assert body["due_date"] == "2026-03-16"

    body = post(client, f"{path}/classify", headers, {"version": 1, "kind": "petition"}).json()
    assert (body["kind"], body["kind_label"]) == ("petition", "Kiến nghị")
    body = post(
        client, f"{path}/accept", headers, {"version": body["version"], "accepted_on": "2026-03-04"}
    ).json()
    assert body["status"] == "accepted"
    assert body["handler"] == officer.username
    response = post(
        client,
        f"{path}/steps",
        headers,
        {
            "version": body["version"],
            "kind": "verify",
            "on": "2026-03-05",
            "text": "Kiểm tra hiện trường đoạn đường thôn 3.",
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert [(s["kind"], s["actor"]) for s in body["steps"]] == [("verify", officer.username)]
    body = post(
        client,
        f"{path}/pause",
        headers,
        {"version": body["version"], "on": "2026-03-06", "reason": "Chờ ý kiến sở."},
    ).json()
    assert body["status"] == "paused"
    assert body["allowed_actions"] == ["steps", "resume", "withdraw"]
    body = post(
        client, f"{path}/resume", headers, {"version": body["version"], "on": "2026-03-10"}
    ).json()
    assert body["status"] == "accepted"
    response = post(
        client,
        f"{path}/resolve",
        headers,
        {
            "version": body["version"],
            "decision_number": "45/UBND-VP",
            "result_summary": "Đã đưa vào kế hoạch sửa chữa quý II.",
            "public_answer": "UBND xã đã đưa đoạn đường vào kế hoạch sửa chữa quý II/2026.",
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["decision_number"]) == ("resolved", "45/UBND-VP")
    assert [e["action"] for e in body["events"]] == [
        "receive",
        "classify",
        "accept",
        "pause",
        "resume",
        "resolve",
    ]
    # Senders of feedback are known to the officers who handle it (not a denunciation).
    response = client.get(f"{path}/identity", headers=headers)
    assert response.status_code == 200
    assert response.json()["full_name"] == "Trần Thị Bình"

    # Refusal, transfer and withdrawal close the other ways.
    def fresh() -> str:
        return url(post(client, CASES, headers, intake(commune)).json()["public_id"])

    refused = post(
        client,
        f"{fresh()}/refuse",
        headers,
        {
            "version": 1,
            "reason": "Nội dung đã được giải quyết năm 2025.",
            "answer_number": "12/UBND-VP",
        },
    ).json()
    assert (refused["status"], refused["decision_number"]) == ("refused", "12/UBND-VP")
    moved = post(
        client, f"{fresh()}/transfer", headers, {"version": 1, "to_unit_code": sibling_commune.code}
    ).json()
    assert moved["status"] == "transferred"
    assert moved["transferred_to"] == {"code": sibling_commune.code, "name": sibling_commune.name}
    there = Case.objects.get(transferred_from__public_id=moved["public_id"])
    assert (there.unit, there.alias) == (sibling_commune, moved["alias"])
    withdrawn = post(
        client,
        f"{fresh()}/withdraw",
        headers,
        {"version": 1, "on": "2026-03-03", "note": "Đơn xin rút ngày 03/03/2026."},
    ).json()
    assert withdrawn["status"] == "withdrawn"


# --- optimistic locking -------------------------------------------------------------


def test_a_stale_version_answers_409_and_changes_nothing(
    client: Client, receive: Callable[..., Case], officer: User
) -> None:
    case = receive()
    headers, seen = bearer(officer), case.version
    response = post(client, url(case, "/classify"), headers, {"version": seen, "kind": "petition"})
    assert response.status_code == 200
    before = written()
    for suffix, body in (
        ("/accept", {"version": seen}),
        ("/classify", {"version": seen, "kind": "complaint"}),
        ("/steps", {"version": seen, "kind": "note", "text": "Ghi chú"}),
    ):
        problem = assert_problem(post(client, url(case, suffix), headers, body), 409, "case_stale")
        assert "tải lại" in problem["detail"]
        assert problem["errors"][0]["field"] == "version"
    assert written() == before
    case.refresh_from_db()
    assert (case.kind, case.status, case.version) == ("petition", Status.RECEIVED, seen + 1)


# --- refused input ------------------------------------------------------------------


def test_bad_input_answers_400_in_vietnamese_and_writes_nothing(
    client: Client,
    commune: Unit,
    receive: Callable[..., Case],
    officer: User,
) -> None:
    headers = bearer(officer)
    denounced = receive(kind="denunciation", sender=DENOUNCER, complexity=1)
    denounced = services.case_accept(
        actor=officer, case=denounced, version=denounced.version, accepted_on=dt.date(2026, 3, 9)
    )
    denounced = services.case_extend(
        actor=officer, case=denounced, version=denounced.version, decision_number="12/QĐ-UBND"
    )
    v = denounced.version
    before = written()
    attempts = [
        (CASES, intake(commune, kind="khieu-nai"), "case_bad_kind", "kind"),
        (CASES, intake(commune, kind="complaint", round=2), "case_no_first_complaint", "previous"),
        (
            url(denounced, "/extend"),
            {"version": v, "decision_number": "13/QĐ-UBND"},
            "deadline_extension_limit",
            "complexity",
        ),
        (
            url(denounced, "/resolve"),
            {"version": v, "decision_number": "", "result_summary": "X", "public_answer": "Y"},
            "case_no_decision",
            "decision_number",
        ),
        (
            url(denounced, "/transfer"),
            {"version": v, "to_unit_code": "99999"},
            "case_bad_transfer",
            "to_unit_code",
        ),
    ]
    for path, body, code, field in attempts:
        problem = assert_problem(post(client, path, headers, body), 400, code)
        assert problem["errors"][0]["field"] == field, code
    assert "99999" in problem["detail"]
    problem = assert_problem(
        client.get(DUE_DATE, {"case_kind": "khieu-nai", "action": "resolve"}, headers=headers),
        400,
        "deadline_unknown_kind",
    )
    assert "khieu-nai" in problem["detail"]
    assert written() == before
    denounced.refresh_from_db()
    assert (denounced.version, denounced.due_date) == (v, dt.date(2026, 5, 8))

    # A second-time complaint after a first one left past its due date is accepted.
    first = receive(kind="complaint", round=1)
    services.case_accept(
        actor=officer, case=first, version=first.version, accepted_on=dt.date(2026, 3, 9)
    )
    response = post(
        client, CASES, headers, intake(commune, kind="complaint", round=2, previous=first.reference)
    )
    assert response.status_code == 201, response.content
    assert response.json()["previous"]["public_id"] == str(first.public_id)
    assert response.json()["round"] == 2


# --- the denouncer's identity -------------------------------------------------------


def test_denouncer_is_in_no_answer_and_only_the_assigned_keeper_sees_who(
    client: Client,
    commune: Unit,
    officer: User,
    handler: User,
    leader: User,
    system_admin: User,
) -> None:
    inspector = make_user("thanhtra-xa", Role.INSPECTOR, commune)
    headers = {
        user.username: bearer(user) for user in (officer, leader, inspector, system_admin, handler)
    }
    answers: list[Any] = []

    def send(user: User, suffix: str, body: dict[str, Any]) -> dict[str, Any]:
        response = post(client, f"{path}{suffix}", headers[user.username], body)
        assert response.status_code == 200, response.content
        answers.append(response)
        return dict(response.json())

    def reads(user: User) -> None:
        for read, params in (
            (CASES, {"unit": commune.code}),
            (CASES, {"q": "địa chính"}),
            (path, {}),
            (f"{CASES}/statistics", {"unit": commune.code, "from": "2026-01-01"}),
            (f"{CASES}/overdue", {"unit": commune.code}),
        ):
            response = client.get(read, params, headers=headers[user.username])
            assert response.status_code == 200, (user.username, read, response.content)
            answers.append(response)

    response = post(client, CASES, headers[officer.username], denunciation(commune))
    answers.append(response)
    path = url(response.json()["public_id"])
    identity = f"{path}/identity"
    # Nobody sees who denounced before someone is assigned, not even the identity keeper.
    for user in (officer, leader, inspector, system_admin, handler):
        answers.append(
            assert_problem(
                client.get(identity, headers=headers[user.username]), 403, "permission_denied"
            )
        )
    body = send(
        leader, "/assign", {"version": 1, "users": [handler.username], "lead": handler.username}
    )
    body = send(officer, "/accept", {"version": body["version"], "accepted_on": "2026-03-09"})
    # Accepted 9 March, due 8 April: overdue now, so it is in the overdue list too.
    for user in (officer, leader, inspector, system_admin):
        reads(user)
    overdue = client.get(f"{CASES}/overdue?unit={commune.code}", headers=headers[leader.username])
    assert [i["public_id"] for i in overdue.json()["items"]] == [body["public_id"]]
    assert overdue.json()["counts"]["open"] == 1
    body = send(
        officer, "/steps", {"version": body["version"], "kind": "note", "text": "Đã xác minh"}
    )
    body = send(
        system_admin, "/extend", {"version": body["version"], "decision_number": "7/QĐ-UBND"}
    )
    send(
        officer,
        "/resolve",
        {
            "version": body["version"],
            "decision_number": "25/KL-UBND",
            "result_summary": "Tố cáo đúng một phần",
            "public_answer": "Đã có kết luận nội dung tố cáo.",
        },
    )
    for user in (officer, leader, inspector, system_admin):
        reads(user)
        assert_problem(
            client.get(identity, headers=headers[user.username]), 403, "permission_denied"
        )

    for answer in answers:
        text = json.dumps(answer if isinstance(answer, dict) else answer.json(), ensure_ascii=False)
        for secret in SECRETS:
            assert secret not in text, (secret, text[:200])

    # The assigned handler with the identity role sees who, every time on the record.
    assert not AuditEvent.objects.filter(action="view").exists()
    for n in (1, 2):
        response = client.get(identity, headers=headers[handler.username])
        assert response.status_code == 200, response.content
        assert response["Cache-Control"] == "no-store"
        assert response.json() == {
            "full_name": DENOUNCER.full_name,
            "address": DENOUNCER.address,
            "id_number": DENOUNCER.id_number,
            "phone": DENOUNCER.phone,
            "email": DENOUNCER.email,
        }
        views = AuditEvent.objects.filter(action="view")
        assert views.count() == n
        assert views.filter(actor=handler, model_label="cases.case").count() == n


# --- the legal clock and the schema -------------------------------------------------


def test_due_date(client: Client, officer: User) -> None:
    params = {"case_kind": "complaint", "action": "resolve", "start": "2026-03-09", "round": "1"}
    assert_problem(client.get(DUE_DATE, params), 401, "not_authenticated")
    headers = bearer(officer)
    body = client.get(DUE_DATE, params, headers=headers).json()
    assert (body["start"], body["due"]) == ("2026-03-09", "2026-04-08")
    rule = body["rule"]
    assert (rule["days"], rule["day_kind"], rule["to_verify"]) == (30, "calendar", False)
    assert rule["citation"] == "Luật Khiếu nại 2011 (02/2011/QH13), Điều 28"
    assert rule["valid_from"] == "2012-07-01"
    assert body["explanation"] == (
        "30 ngày (dương lịch) kể từ 09/03/2026 — Luật Khiếu nại 2011 (02/2011/QH13), Điều 28"
    )
    body = client.get(DUE_DATE, {**params, "complex": "true", "remote": "true"}, headers=headers)
    assert body.json()["rule"]["days"] == 60
    assert_problem(
        client.get(DUE_DATE, {**params, "action": "appeal"}, headers=headers),
        400,
        "deadline_unknown_action",
    )


def test_openapi_schema_lists_the_cases_paths(client: Client) -> None:
    paths = set(client.get("/api/v1/openapi.json").json()["paths"])
    expected = {CASES, f"{CASES}/statistics", f"{CASES}/overdue", DUE_DATE}
    expected |= {f"{CASES}/{{public_id}}", f"{CASES}/{{public_id}}/identity"}
    expected |= {
        f"{CASES}/{{public_id}}/{action}"
        for action in (
            "classify",
            "assign",
            "accept",
            "refuse",
            "transfer",
            "steps",
            "extend",
            "pause",
            "resume",
            "resolve",
            "withdraw",
        )
    }
    assert expected <= paths
