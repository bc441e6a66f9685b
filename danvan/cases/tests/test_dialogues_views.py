"""The dialogue pages through HTTP: the access walk, a dialogue's life through the forms
with the late-announcement warning, refused steps (HTTP 400, nothing written), and the
list's constant number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danvan.accounts.models import Role, User
from danvan.accounts.testing import READ_SCOPED, Cast, login_verified, make_user, walk
from danvan.cases.dialogues import services
from danvan.cases.models import Commitment, Dialogue, DialogueQuestion
from danvan.units.models import Unit

from .test_dialogues_services import HELD_ON, held, plan

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
LIST = reverse("dialogues:list")
COMMITMENTS = reverse("dialogues:commitments")


def travel(day: dt.date) -> Any:
    return time_machine.travel(
        dt.datetime(day.year, day.month, day.day, 9, 0, tzinfo=HCM), tick=False
    )


@pytest.fixture
def cast(access_cast: Callable[..., Cast], commune: Unit) -> Cast:
    return access_cast(commune)


def client_of(user: User | None) -> Client:
    client = Client()
    if user is not None:
        login_verified(client, user)
    return client


def url(name: str, dialogue: Dialogue, *args: Any) -> str:
    return reverse(f"dialogues:{name}", args=[dialogue.public_id, *args])


def text(response: Any) -> str:
    return str(response.content.decode())


@travel(dt.date(2026, 3, 25))
def test_dialogue_pages_are_scoped(cast: Cast) -> None:
    dialogue = held(None, cast.unit)
    question = services.question_add(actor=None, dialogue=dialogue, question="Hỏi về giá đất")
    commitment = services.commitment_add(
        actor=None, dialogue=dialogue, text="Sửa cống", responsible="Thôn 3", due_date=HELD_ON
    )
    code = cast.unit.code
    # A unit typed in a list filter (the unit picker) out of sight is refused like a
    # missing one: the filter form comes back with the message (400).
    walk(cast, f"{LIST}?unit={code}", expect={**READ_SCOPED, "sibling": 400})
    walk(cast, f"{LIST}?unit={code}&state=held", expect={**READ_SCOPED, "sibling": 400})
    walk(cast, f"{reverse('dialogues:create')}?unit={code}", expect=READ_SCOPED)
    walk(cast, f"{COMMITMENTS}?unit={code}", expect=READ_SCOPED)
    walk(cast, f"{COMMITMENTS}?unit={code}&all=1", expect=READ_SCOPED)
    walk(cast, url("detail", dialogue), expect=READ_SCOPED)
    for name in ("announce", "hold", "publish"):
        walk(cast, url(name, dialogue), expect=READ_SCOPED)
    walk(cast, url("question_answer", dialogue, question.pk), expect=READ_SCOPED)
    walk(cast, reverse("dialogues:commitment_done", args=[commitment.pk]), expect=READ_SCOPED)


@travel(dt.date(2026, 3, 25))
def test_writes_from_out_of_sight_or_without_permission_change_nothing(
    cast: Cast, commune: Unit
) -> None:
    dialogue = plan(None, commune)
    sibling = client_of(cast.users["sibling"])
    leader = client_of(make_user("lanhdao", Role.LEADER, commune))
    for client, status in ((sibling, 404), (leader, 403)):
        assert client.post(
            url("announce", dialogue), {"announced_on": "01/03/2026"}
        ).status_code == (status)
        assert client.post(url("question_add", dialogue), {"q-question": "Hỏi"}).status_code == (
            status
        )
    assert leader.get(f"{reverse('dialogues:create')}?unit={commune.code}").status_code == 403
    dialogue.refresh_from_db()
    assert (dialogue.state, dialogue.announced_on) == ("planned", None)
    assert not DialogueQuestion.objects.exists()
    # The leader reads the dialogue, without the buttons to write.
    body = text(leader.get(url("detail", dialogue)))
    assert dialogue.title in body
    assert url("announce", dialogue) not in body


def test_a_dialogue_through_the_forms(cast: Cast) -> None:
    # A fresh login on each day: the session of a day long past has expired.
    with travel(dt.date(2026, 3, 10)):
        client = client_of(cast.users["same"])
        create = f"{reverse('dialogues:create')}?unit={cast.unit.code}"
        data = {
            "title": "Đối thoại về giải phóng mặt bằng",
            "held_on": "20/03/2026",
            "place": "Hội trường UBND",
            "chair": "",
        }
        response = client.post(create, data)
        assert response.status_code == 400
        assert 'id="error-summary"' in text(response)
        response = client.post(create, {**data, "chair": "Chủ tịch UBND xã"})
        assert response.status_code == 302
        dialogue = Dialogue.objects.get()
        assert response["Location"] == url("detail", dialogue)
        assert dialogue.unit == cast.unit
        # Announced 6 days ahead: recorded, and warned with the law's citation.
        page = text(client.get(url("announce", dialogue)))
        assert "chậm nhất 7 ngày trước" in page
        assert "13/03/2026" in page
    with travel(dt.date(2026, 3, 14)):
        client = client_of(cast.users["same"])
        response = client.post(url("announce", dialogue), {"announced_on": "14/03/2026"})
        assert response.status_code == 302
        body = text(client.get(url("detail", dialogue)))
        assert "announce-late" in body
        assert "Điều 43" in body
        assert "thông báo muộn" in text(client.get(LIST, {"unit": cast.unit.code}))
        # A question sent in ahead; an empty one is refused beside its field.
        response = client.post(url("question_add", dialogue), {"q-question": " "})
        assert response.status_code == 400
        assert 'id="error-summary"' in text(response)
        response = client.post(
            url("question_add", dialogue),
            {"q-question": "Bao giờ chi trả bồi thường?", "q-asked_by": "Ông An"},
        )
        assert response.status_code == 302
        # Holding before the day is refused.
        response = client.post(url("hold", dialogue), {"participants_count": "50"})
        assert response.status_code == 400
        assert "chỉ ghi nhận đã tổ chức từ ngày đó trở đi" in text(response)
        # Publishing before it was held is refused.
        response = client.post(
            url("publish", dialogue), {"results": "KQ", "published_on": "14/03/2026"}
        )
        assert response.status_code == 400
        assert "Không thực hiện được thao tác này" in text(response)
    with travel(HELD_ON):
        client = client_of(cast.users["same"])
        response = client.post(
            url("hold", dialogue), {"participants_count": "60", "participants": "Hộ dân thôn 3"}
        )
        assert response.status_code == 302
        question = DialogueQuestion.objects.get()
        response = client.post(
            url("question_answer", dialogue, question.pk),
            {"answer": "Trong tháng 4", "answered_by": "Chủ tịch UBND xã"},
        )
        assert response.status_code == 302
        response = client.post(
            url("commitment_add", dialogue),
            {
                "cm-text": "Chi trả bồi thường",
                "cm-responsible": "Ban quản lý dự án",
                "cm-due_date": "19/03/2026",
                "cm-question": str(question.pk),
            },
        )
        assert response.status_code == 400
        assert "Ngày không được trước ngày đối thoại" in text(response)
        response = client.post(
            url("commitment_add", dialogue),
            {
                "cm-text": "Chi trả bồi thường",
                "cm-responsible": "Ban quản lý dự án",
                "cm-due_date": "30/04/2026",
                "cm-question": str(question.pk),
            },
        )
        assert response.status_code == 302
        commitment = Commitment.objects.get()
        assert commitment.question == question
    with travel(dt.date(2026, 4, 5)):
        client = client_of(cast.users["same"])
        # Eleven days after: the results are overdue.
        assert "publish-overdue" in text(client.get(url("detail", dialogue)))
        response = client.post(
            url("publish", dialogue),
            {"results": "Đã trả lời các ý kiến", "published_on": "05/04/2026"},
        )
        assert response.status_code == 302
        body = text(client.get(url("detail", dialogue)))
        assert "publish-late" in body
        assert "Đã trả lời các ý kiến" in body
        done = reverse("dialogues:commitment_done", args=[commitment.pk])
        prefix = f"c{commitment.pk}"
        response = client.post(done, {f"{prefix}-done_on": "05/04/2026", f"{prefix}-result": ""})
        assert response.status_code == 400
        response = client.post(
            done,
            {
                f"{prefix}-done_on": "04/04/2026",
                f"{prefix}-result": "Đã chi trả",
                "next": f"{COMMITMENTS}?unit={cast.unit.code}",
            },
        )
        assert response.status_code == 302
        assert response["Location"] == f"{COMMITMENTS}?unit={cast.unit.code}"
    dialogue.refresh_from_db()
    commitment.refresh_from_db()
    assert (dialogue.state, dialogue.announced_on, dialogue.participants_count) == (
        "published",
        dt.date(2026, 3, 14),
        60,
    )
    assert (commitment.state, commitment.done_on) == ("done", dt.date(2026, 4, 4))


@travel(dt.date(2026, 4, 5))
def test_commitments_page_lists_open_ones_with_overdue(cast: Cast) -> None:
    dialogue = held(None, cast.unit)
    services.commitment_add(
        actor=None, dialogue=dialogue, text="Nạo vét kênh", responsible="Thôn 2", due_date=HELD_ON
    )
    body = text(client_of(cast.users["parent"]).get(COMMITMENTS, {"unit": cast.unit.code}))
    assert "Nạo vét kênh" in body
    assert "quá hạn" in body
    # An external "next" is ignored: back to the dialogue.
    commitment = Commitment.objects.get()
    client = client_of(cast.users["same"])
    prefix = f"c{commitment.pk}"
    response = client.post(
        reverse("dialogues:commitment_done", args=[commitment.pk]),
        {
            f"{prefix}-done_on": "05/04/2026",
            f"{prefix}-result": "Xong",
            "next": "https://example.com/",
        },
    )
    assert response["Location"] == url("detail", dialogue)


@travel(dt.date(2026, 4, 5))
def test_the_list_runs_a_constant_number_of_queries(cast: Cast) -> None:
    client = client_of(cast.users["same"])
    held(None, cast.unit)
    with CaptureQueriesContext(connection) as few:
        assert client.get(LIST, {"unit": cast.unit.code}).status_code == 200
    for i in range(6):
        plan(None, cast.unit, title=f"Đối thoại {i}", held_on=dt.date(2026, 5, i + 1))
    with CaptureQueriesContext(connection) as many:
        client.get(LIST, {"unit": cast.unit.code})
    assert len(many) == len(few)
    dialogue = Dialogue.objects.filter(state="held").get()
    services.commitment_add(
        actor=None, dialogue=dialogue, text="Cam kết", responsible="X", due_date=HELD_ON
    )
    with CaptureQueriesContext(connection) as few:
        client.get(COMMITMENTS, {"unit": cast.unit.code})
    for i in range(5):
        services.commitment_add(
            actor=None, dialogue=dialogue, text=f"Cam kết {i}", responsible="X", due_date=HELD_ON
        )
    with CaptureQueriesContext(connection) as many:
        client.get(COMMITMENTS, {"unit": cast.unit.code})
    assert len(many) == len(few)
