"""Consultation over the API: scoped reads, a consultation's life from draft to report,
refused input as problem+json with nothing written, and commenters' contacts only for
the managers of the consultation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from danvan.accounts.models import Role, User
from danvan.accounts.testing import API_READ_SCOPED, Cast, make_user, walk
from danvan.audit.models import AuditEvent
from danvan.consultation import services
from danvan.consultation.models import Comment, Consultation
from danvan.units.models import Unit

from .helpers import assert_problem, bearer

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
ROOT = "/api/v1"
TODAY = dt.date(2026, 5, 10)


@pytest.fixture(autouse=True)
def _frozen_today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 5, 10, 9, 0, tzinfo=HCM), tick=False):
        yield


@pytest.fixture
def officer(commune: Unit) -> User:
    return make_user("canbo-layykien-api", Role.OFFICER, commune)


def opened(unit: Unit) -> Consultation:
    consultation = services.consultation_create(
        actor=None, unit=unit, subject="charter", title="Dự thảo quy ước thôn", draft="Điều 1."
    )
    return services.consultation_open(
        actor=None,
        consultation=consultation,
        opens_on=TODAY,
        closes_on=TODAY + dt.timedelta(days=10),
    )


def post(client: Client, path: str, headers: dict[str, str], body: Any = None) -> Any:
    return client.post(path, body or {}, content_type="application/json", headers=headers)


def written() -> tuple[int, ...]:
    return (Consultation.objects.count(), Comment.objects.count(), AuditEvent.objects.count())


def test_reads_are_scoped(access_cast: Callable[..., Cast], commune: Unit) -> None:
    cast = access_cast(commune)
    consultation = opened(commune)
    walk(cast, f"{ROOT}/consultations?unit={commune.code}", expect=API_READ_SCOPED, api=True)
    walk(cast, f"{ROOT}/consultations/{consultation.public_id}", expect=API_READ_SCOPED, api=True)
    # Without a unit, the list holds only what the actor may see.
    sibling = Client().get(f"{ROOT}/consultations", headers=cast.api_headers("sibling"))
    assert sibling.json()["items"] == []
    same = Client().get(f"{ROOT}/consultations", headers=cast.api_headers("same"))
    assert [i["public_id"] for i in same.json()["items"]] == [str(consultation.public_id)]


def test_a_consultation_from_draft_to_report(officer: User, commune: Unit) -> None:
    client, headers = Client(), bearer(officer)
    response = post(
        client,
        f"{ROOT}/consultations",
        headers,
        {
            "unit_code": commune.code,
            "subject": "boundary",
            "title": "Điều chỉnh địa giới thôn 2 và thôn 3",
            "draft": "Nhập thôn 2 vào thôn 3.",
        },
    )
    assert response.status_code == 201, response.content
    public_id = response.json()["public_id"]
    assert response.json()["state"] == "draft"
    base = f"{ROOT}/consultations/{public_id}"

    counts = written()
    response = post(
        client, f"{base}/open", headers, {"opens_on": "2026-05-20", "closes_on": "2026-05-12"}
    )
    body = assert_problem(response, 400, "consultation_bad_period")
    assert body["errors"][0]["field"] == "closes_on"
    assert written() == counts

    response = post(
        client, f"{base}/open", headers, {"opens_on": "2026-05-10", "closes_on": "2026-05-30"}
    )
    assert response.json()["state"] == "open"
    consultation = Consultation.objects.get(public_id=public_id)
    comment = services.comment_submit(
        actor=None,
        consultation=consultation,
        text="Đồng ý nhập thôn.",
        commenter_name="Vũ Văn Hải",
        contact="0909 111 222",
    )
    detail = client.get(base, headers=headers).json()
    assert detail["comments"][0]["contact"] == "0909 111 222"
    assert detail["comments"][0]["commenter_name"] == "Vũ Văn Hải"

    response = post(client, f"{ROOT}/comments/{comment.pk}/moderate", headers, {"action": "reject"})
    assert_problem(response, 400, "consultation_empty")
    response = post(
        client, f"{ROOT}/comments/{comment.pk}/moderate", headers, {"action": "publish"}
    )
    assert response.json()["comments"][0]["status"] == "published"
    assert post(client, f"{base}/close", headers).json()["state"] == "closed"

    counts = written()
    response = post(client, f"{base}/report", headers, {"report": "Đã tiếp thu."})
    body = assert_problem(response, 400, "consultation_unanswered")
    assert "Còn 1 ý kiến chưa trả lời" in body["detail"]
    assert written() == counts

    response = post(
        client, f"{ROOT}/comments/{comment.pk}/answer", headers, {"answer": "Đã tiếp thu."}
    )
    assert response.json()["comments"][0]["answer"] == "Đã tiếp thu."
    response = post(client, f"{base}/report", headers, {"report": "Đa số đồng ý nhập thôn."})
    assert response.status_code == 200
    assert (response.json()["state"], response.json()["reported_on"]) == ("reported", "2026-05-10")


def test_contacts_only_for_managers_and_writes_need_manage(
    commune: Unit, sibling_commune: Unit
) -> None:
    consultation = opened(commune)
    pending = services.comment_submit(
        actor=None, consultation=consultation, text="Chờ duyệt", contact="a@example.vn"
    )
    shown = services.comment_submit(
        actor=None,
        consultation=consultation,
        text="Đã đăng",
        commenter_name="Đỗ Thị Lan",
        contact="lan@example.vn",
    )
    services.comment_moderate(actor=None, comment=shown, action="publish")
    reviewer = make_user("thamdinh-api", Role.REVIEWER, commune)
    client, headers = Client(), bearer(reviewer)
    response = client.get(f"{ROOT}/consultations/{consultation.public_id}", headers=headers)
    assert response.status_code == 200
    raw = response.content.decode()
    assert "lan@example.vn" not in raw
    assert "a@example.vn" not in raw
    assert "Đỗ Thị Lan" not in raw
    assert [c["id"] for c in response.json()["comments"]] == [shown.pk]

    counts = written()
    response = post(
        client, f"{ROOT}/comments/{pending.pk}/moderate", headers, {"action": "publish"}
    )
    assert_problem(response, 403, "permission_denied")
    response = post(client, f"{ROOT}/consultations/{consultation.public_id}/close", headers)
    assert_problem(response, 403, "permission_denied")
    assert written() == counts

    outsider = make_user("canbo-ngoai-api", Role.OFFICER, sibling_commune)
    response = post(
        client, f"{ROOT}/comments/{pending.pk}/moderate", bearer(outsider), {"action": "publish"}
    )
    assert_problem(response, 404, "comment_not_found")
    pending.refresh_from_db()
    assert pending.status == "pending"
