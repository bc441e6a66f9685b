"""Consultation on the portal: anonymous comments land pending and stay hidden until
published; contacts and hidden names never appear; drafts not yet opened are not on the
portal; the comment form is rate-limited per address; after closing, the report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from danvan.consultation import services
from danvan.consultation.models import Comment, Consultation
from danvan.units.models import Unit

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = dt.date(2026, 5, 10)
LIST = reverse("portal:consultations")


@pytest.fixture(autouse=True)
def _frozen_now() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 5, 10, 9, 0, tzinfo=HCM), tick=False):
        yield


def make(unit: Unit, *, open_it: bool = True) -> Consultation:
    consultation = services.consultation_create(
        actor=None,
        unit=unit,
        subject="plan",
        title="Dự thảo kế hoạch phát triển kinh tế - xã hội 2027",
        draft="Xây nhà văn hóa thôn 5.",
    )
    if open_it:
        consultation = services.consultation_open(
            actor=None,
            consultation=consultation,
            opens_on=TODAY - dt.timedelta(days=1),
            closes_on=TODAY + dt.timedelta(days=14),
        )
    return consultation


def page(consultation: Consultation) -> str:
    return reverse("portal:consultation", args=[consultation.public_id])


def body(response: Any) -> str:
    return str(response.content.decode())


def test_an_anonymous_comment_lands_pending_and_shows_once_published(commune: Unit) -> None:
    consultation = make(commune)
    client = Client()
    assert consultation.title in body(client.get(LIST))
    response = client.post(
        page(consultation),
        {
            "text": "Đề nghị đặt nhà văn hóa gần trường học.",
            "commenter_name": "Phạm Văn Dũng",
            "contact": "0911 222 333",
            "consent": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == page(consultation)
    comment = Comment.objects.get()
    assert (comment.status, comment.show_name, comment.contact) == (
        "pending",
        False,
        "0911 222 333",
    )
    thanks = body(client.get(page(consultation)))
    assert 'id="comment-thanks"' in thanks
    assert "Đề nghị đặt nhà văn hóa" not in thanks
    # The thanks is shown once.
    assert 'id="comment-thanks"' not in body(client.get(page(consultation)))

    services.comment_moderate(actor=None, comment=comment, action="publish")
    services.comment_answer(actor=None, comment=comment, answer="Đã bố trí cạnh trường.")
    shown = body(Client().get(page(consultation)))
    assert "Đề nghị đặt nhà văn hóa gần trường học." in shown
    assert "Đã bố trí cạnh trường." in shown
    assert "Phạm Văn Dũng" not in shown
    assert "0911 222 333" not in shown


def test_a_name_is_shown_only_when_asked_and_contacts_never(commune: Unit) -> None:
    consultation = make(commune)
    client = Client()
    client.post(
        page(consultation),
        {
            "text": "Ý kiến có tên",
            "commenter_name": "Hoàng Thị Em",
            "contact": "em@example.vn",
            "show_name": "on",
            "consent": "on",
        },
    )
    comment = Comment.objects.get()
    services.comment_moderate(actor=None, comment=comment, action="publish")
    shown = body(client.get(page(consultation)))
    assert "Hoàng Thị Em" in shown
    assert "em@example.vn" not in shown
    rejected = services.comment_submit(
        actor=None, consultation=consultation, text="Ý kiến bị từ chối", contact="x@example.vn"
    )
    services.comment_moderate(actor=None, comment=rejected, action="reject", reason="Trùng lặp")
    shown = body(client.get(page(consultation)))
    assert "Ý kiến bị từ chối" not in shown
    assert "Trùng lặp" not in shown


def test_personal_data_needs_consent_and_empty_text_is_refused(commune: Unit) -> None:
    consultation = make(commune)
    client = Client()
    response = client.post(
        page(consultation), {"text": "Ý kiến", "commenter_name": "Ngô Văn Giang"}
    )
    assert response.status_code == 400
    assert 'id="error-summary"' in body(response)
    response = client.post(page(consultation), {"text": "  "})
    assert response.status_code == 400
    response = client.post(page(consultation), {"text": "Ý kiến", "show_name": "on"})
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_drafts_are_not_on_the_portal_and_closed_ones_take_no_comments(commune: Unit) -> None:
    hidden = make(commune, open_it=False)
    client = Client()
    assert client.get(page(hidden)).status_code == 404
    assert hidden.title not in body(client.get(LIST))
    assert client.post(page(hidden), {"text": "Ý kiến"}).status_code == 404

    consultation = make(commune)
    services.consultation_close(actor=None, consultation=consultation)
    response = client.get(page(consultation))
    assert response.status_code == 200
    assert 'name="text"' not in body(response)
    response = client.post(page(consultation), {"text": "Muộn rồi"})
    assert response.status_code == 400
    assert "không còn nhận ý kiến" in body(response)
    assert not Comment.objects.exists()

    services.consultation_report(
        actor=None, consultation=consultation, report="Không có ý kiến; giữ nguyên dự thảo."
    )
    shown = body(client.get(page(consultation)))
    assert "Không có ý kiến; giữ nguyên dự thảo." in shown
    assert consultation.title in body(client.get(LIST))


def test_comments_are_rate_limited_per_address(commune: Unit) -> None:
    consultation = make(commune)
    client = Client(REMOTE_ADDR="192.0.2.44")
    for n in range(5):
        assert client.post(page(consultation), {"text": f"Ý kiến {n}"}).status_code == 302
    response = client.post(page(consultation), {"text": "Ý kiến thứ sáu"})
    assert response.status_code == 429
    assert Comment.objects.count() == 5
    # Reading is not limited.
    assert client.get(page(consultation)).status_code == 200
