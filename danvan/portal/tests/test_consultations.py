"""Consultation on the portal: anonymous comments land pending and stay hidden until
published; contacts and hidden names never appear; drafts not yet opened are not on the
portal; the comment form is rate-limited per address; after closing, the report."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client as DjangoClient
from django.urls import reverse

from danvan.consultation import services
from danvan.consultation.models import Comment, Consultation
from danvan.portal import antiabuse
from danvan.units.models import Unit

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = dt.date(2026, 5, 10)


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


LIST = "/cong-dan/lay-y-kien/"


class Client(DjangoClient):
    """A browser that waited a minute before sending the comment form: every POST
    carries a signed timestamp rendered 60 s earlier (portal.antiabuse)."""

    def post(self, path: Any, data: Any = None, *args: Any, **kwargs: Any) -> Any:
        data = {antiabuse.TOKEN_FIELD: antiabuse.issue_token(rendered_at=time.time() - 60)} | (
            data or {}
        )
        return super().post(path, data, *args, **kwargs)


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


def _comment(consultation: Consultation, text: str) -> Comment:
    return services.comment_submit(actor=None, consultation=consultation, text=text)


def test_the_draft_can_be_read_and_its_file_downloaded(
    commune: Unit, settings: Any, tmp_path: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path / "media"
    pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
    consultation = services.consultation_create(
        actor=None,
        unit=commune,
        subject="plan",
        title="Dự thảo quy hoạch chợ",
        draft="Chợ mới đặt ở thôn 2.",
        document=SimpleUploadedFile("du-thao.pdf", pdf, "application/pdf"),
    )
    hidden_file = reverse("portal:consultation_document", args=[consultation.public_id])
    assert Client().get(hidden_file).status_code == 404  # not opened yet
    services.consultation_open(
        actor=None,
        consultation=consultation,
        opens_on=TODAY,
        closes_on=TODAY + dt.timedelta(days=10),
    )
    html = body(Client().get(page(consultation)))
    assert "Chợ mới đặt ở thôn 2." in html
    assert hidden_file in html
    served = Client().get(hidden_file)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == pdf  # type: ignore[attr-defined]


def test_html_in_a_comment_is_stored_inert_and_shown_escaped(commune: Unit) -> None:
    consultation = make(commune)
    script = "<script>alert('x')</script><b>Đồng ý</b>"
    response = Client().post(page(consultation), {"text": script})
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.text == script  # stored as typed: plain text, never rendered as HTML
    assert "alert(" not in body(Client().get(page(consultation)))  # pending: not shown
    services.comment_moderate(actor=None, comment=comment, action="publish")
    html = body(Client().get(page(consultation)))
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&lt;b&gt;Đồng ý&lt;/b&gt;" in html


def test_rejected_and_pending_comments_never_show(commune: Unit) -> None:
    consultation = make(commune)
    pending = _comment(consultation, "Ý kiến chờ duyệt")
    rejected = _comment(consultation, "Ý kiến bị từ chối")
    services.comment_moderate(
        actor=None, comment=rejected, action="reject", reason="Không đúng nội dung"
    )
    html = body(Client().get(page(consultation)))
    assert "Ý kiến chờ duyệt" not in html
    assert "Ý kiến bị từ chối" not in html
    assert "Không đúng nội dung" not in html
    assert pending.status == Comment.Status.PENDING


def test_the_reception_report_after_closing(commune: Unit) -> None:
    consultation = make(commune)
    a = _comment(consultation, "Ý kiến A: làm đường trước")
    b = _comment(consultation, "Ý kiến B: cũng làm đường trước")
    c = _comment(consultation, "Ý kiến C: xây trường")
    d = _comment(consultation, "Ý kiến D: quảng cáo")
    _comment(consultation, "Ý kiến E: gửi sau, còn chờ")
    for comment in (a, b, c):
        services.comment_moderate(actor=None, comment=comment, action="publish")
    services.comment_moderate(actor=None, comment=b, action="group", into=a)
    services.comment_moderate(actor=None, comment=d, action="reject", reason="Quảng cáo")
    services.comment_answer(actor=None, comment=a, answer="Tiếp thu: làm đường năm 2027.")
    # While open: no report yet.
    assert 'id="reception-counts"' not in body(Client().get(page(consultation)))

    consultation = services.consultation_close(actor=None, consultation=consultation)
    html = " ".join(body(Client().get(page(consultation))).split())
    counts = {key: int(value) for key, value in re.findall(r'id="count-([a-z]+)">(\d+)<', html)}
    assert counts == {
        "received": 5,
        "published": 2,
        "grouped": 1,
        "answered": 1,
        "rejected": 1,
        "pending": 1,
    }
    # Each published comment with its answer and the day it was answered.
    assert "Tiếp thu: làm đường năm 2027." in html
    assert "Trả lời, giải trình (10/05/2026):" in html
    assert "và 1 ý kiến tương tự" in html
    assert "Ý kiến D: quảng cáo" not in html
    assert "Ý kiến E" not in html

    # The officer's conclusion once every comment is dealt with.
    e = Comment.objects.get(text__startswith="Ý kiến E")
    services.comment_moderate(actor=None, comment=e, action="reject", reason="Trùng")
    services.comment_answer(actor=None, comment=c, answer="Chưa bố trí được vốn.")
    services.consultation_report(
        actor=None, consultation=consultation, report="HĐND xã thống nhất làm đường trước."
    )
    html = body(Client().get(page(consultation)))
    assert "HĐND xã thống nhất làm đường trước." in html
    assert 'id="count-pending"' not in html


def test_open_consultations_of_a_unit(commune: Unit, sibling_commune: Unit) -> None:
    from danvan.portal.consultations.selectors import open_consultations

    soon = make(commune)
    draft = make(commune, open_it=False)
    closed = services.consultation_close(actor=None, consultation=make(commune))
    make(sibling_commune)
    rows = open_consultations(commune, limit=5)
    assert [c.pk for c in rows] == [soon.pk]
    assert draft.pk not in [c.pk for c in rows]
    assert closed.pk not in [c.pk for c in rows]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"website": "http://spam.example"}, "để trống"),
        ({antiabuse.TOKEN_FIELD: ""}, "thiếu mã kiểm tra"),
        ({antiabuse.TOKEN_FIELD: "forged:token"}, "thiếu mã kiểm tra"),
    ],
)
def test_the_anti_abuse_check_refuses_bots_and_keeps_the_text(
    commune: Unit, extra: dict[str, str], message: str
) -> None:
    consultation = make(commune)
    typed = "Ý kiến của tôi về dự thảo <em>này</em>"
    response = Client().post(page(consultation), {"text": typed, **extra})
    assert response.status_code == 400
    html = body(response)
    assert message in html
    assert "Ý kiến của tôi về dự thảo &lt;em&gt;này&lt;/em&gt;" in html
    assert not Comment.objects.exists()


def test_a_form_sent_too_fast_is_refused(commune: Unit) -> None:
    consultation = make(commune)
    token = antiabuse.issue_token(rendered_at=time.time())
    response = Client().post(
        page(consultation), {"text": "Nhanh quá", antiabuse.TOKEN_FIELD: token}
    )
    assert response.status_code == 400
    assert "quá nhanh" in body(response)
    assert not Comment.objects.exists()
