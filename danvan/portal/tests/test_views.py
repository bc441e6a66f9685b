"""The portal pages: anonymous access, sending with the code shown once, the lookup,
schedules and dialogues, rate limits and CSRF."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from danvan.accounts.models import User
from danvan.cases import identity, services
from danvan.cases.models import (
    Case,
    Channel,
    Commitment,
    Dialogue,
    DialogueQuestion,
    ReceptionSchedule,
    Status,
)
from danvan.portal import antiabuse
from danvan.units.models import Official, Unit

pytestmark = pytest.mark.django_db

PAGES = ["home", "submit", "submitted", "lookup", "schedules", "dialogues"]


def ready_token() -> str:
    """A signed form token rendered a minute ago: old enough to be a person's post."""
    return antiabuse.issue_token(rendered_at=time.time() - 60)


def _sending(unit: Unit, /, **changes: Any) -> dict[str, Any]:
    data = {
        "province": unit.parent.code if unit.parent else "",
        "kind": "feedback",
        "commune": unit.code,
        "subject": "Đèn đường thôn 3 không sáng",
        "content": "Ba cột đèn đầu thôn 3 tắt từ tuần trước, buổi tối rất tối.",
        "address": "Đầu cầu thôn 3",
        "full_name": "Lê  Thị Hoa",
        "phone": "0912 000 333",
        "email": "hoa.le@example.vn",
        "contact_address": "Số 12 ngõ 4, thôn 3",
        "consent": "on",
        "form_token": ready_token(),
        "website": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("name", PAGES)
def test_every_page_answers_an_anonymous_visitor(client: Client, name: str) -> None:
    response = client.get(reverse(f"portal:{name}"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="vi"' in html
    # CSP: no inline script, no style attribute, no event handler attribute.
    assert " style=" not in html
    assert not re.search(r"\son[a-z]+=", html)
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html)
    # Light: no htmx, no Bootstrap JavaScript.
    assert "htmx" not in html
    assert "bootstrap.bundle" not in html


def test_sending_starts_with_the_province_then_lists_its_communes(
    client: Client, thai_nguyen: Unit, commune: Unit
) -> None:
    first = client.get(reverse("portal:submit"))
    assert 'name="province"' in first.content.decode()
    assert 'name="subject"' not in first.content.decode()
    assert "data-autosubmit" in first.content.decode()

    second = client.get(reverse("portal:submit"), {"province": thai_nguyen.code})
    html = second.content.decode()
    assert second.status_code == 200
    assert f'value="{commune.code}"' in html
    assert thai_nguyen.name in html
    assert 'name="subject"' in html
    assert "91/2025/QH15" in html
    other = Unit.objects.get(code="01")  # Hà Nội: its communes are not offered here
    assert not any(f'value="{c.code}"' in html for c in other.children.all()[:20])

    wrong = client.get(reverse("portal:submit"), {"province": "99"})
    assert wrong.status_code == 400
    assert "error-summary" in wrong.content.decode()


def test_sending_creates_a_portal_case_and_shows_its_code_once(
    client: Client, commune: Unit
) -> None:
    response = client.post(reverse("portal:submit"), _sending(commune))
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:submitted")
    case = Case.objects.get()
    assert case.channel == Channel.PORTAL
    assert case.kind == "feedback"
    assert case.unit == commune
    assert case.address == "Đầu cầu thôn 3"
    assert case.created_by is None
    sender = identity.decrypt(case.identity.token)
    assert sender.full_name == "Lê Thị Hoa"
    assert sender.phone == "0912 000 333"
    assert sender.email == "hoa.le@example.vn"
    assert sender.address == "Số 12 ngõ 4, thôn 3"

    shown = client.get(reverse("portal:submitted"))
    html = shown.content.decode()
    assert case.lookup_code in html
    assert "display-5" in html
    assert f"{case.due_date:%d/%m/%Y}" in html
    assert "no-store" in shown["Cache-Control"] or "max-age=0" in shown["Cache-Control"]

    again = client.get(reverse("portal:submitted"))
    assert case.lookup_code not in again.content.decode()


def test_a_petition_can_be_sent_too(client: Client, commune: Unit) -> None:
    response = client.post(reverse("portal:submit"), _sending(commune, kind="petition"))
    assert response.status_code == 302
    assert Case.objects.get().kind == "petition"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"phone": "", "email": ""}, "phone"),
        ({"consent": ""}, "consent"),
        ({"full_name": ""}, "full_name"),
        ({"content": ""}, "content"),
        ({"kind": "denunciation"}, "kind"),
        ({"phone": "goi-toi-di"}, "phone"),
        ({"commune": "xx"}, "commune"),
    ],
)
def test_a_bad_sending_comes_back_with_the_error_beside_the_field(
    client: Client, commune: Unit, changes: dict[str, str], field: str
) -> None:
    response = client.post(reverse("portal:submit"), _sending(commune, **changes))
    assert response.status_code == 400
    html = response.content.decode()
    assert "error-summary" in html
    assert f'href="#id_{field}' in html
    assert not Case.objects.exists()
    # What the citizen typed is kept.
    assert "Đèn đường thôn 3" in html or field == "subject"


def test_a_commune_of_another_province_is_refused(client: Client, commune: Unit) -> None:
    elsewhere = Unit.objects.filter(parent__code="01", kind="commune").first()
    assert elsewhere is not None
    response = client.post(reverse("portal:submit"), _sending(commune, commune=elsewhere.code))
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_portal_forms_keep_csrf_protection(commune: Unit) -> None:
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(reverse("portal:submit"), _sending(commune)).status_code == 403
    assert strict.post(reverse("portal:lookup"), {"code": "AAAA-BBBB-CCCC"}).status_code == 403
    assert not Case.objects.exists()
    page = strict.get(reverse("portal:submit"), {"province": commune.parent.code})  # type: ignore[union-attr]
    token = page.cookies["csrftoken"].value
    sent = strict.post(
        reverse("portal:submit"), {**_sending(commune), "csrfmiddlewaretoken": token}
    )
    assert sent.status_code == 302


# --- lookup -----------------------------------------------------------------------------------


def _lookup(client: Client, code: str) -> Any:
    return client.post(reverse("portal:lookup"), {"code": code})


def test_lookup_shows_the_status_and_the_public_answer_once_resolved(
    client: Client, receive: Callable[..., Case], officer: User
) -> None:
    case = receive(channel=Channel.PORTAL)
    received = _lookup(client, case.lookup_code)
    html = received.content.decode()
    assert received.status_code == 200
    assert str(Status.RECEIVED.label) in html
    assert case.unit.name in html
    assert "Phản ánh" in html
    assert "02/03/2026" in html
    assert f"{case.due_date:%d/%m/%Y}" in html

    case = services.case_accept(actor=officer, case=case, version=case.version)
    case = services.case_resolve(
        actor=officer,
        case=case,
        version=case.version,
        decision_number="45/UBND-VP",
        result_summary="Đã giao tổ công tác sửa đường, kiểm tra lại sau 2 tuần.",
        public_answer="Ủy ban nhân dân xã đã sửa xong đoạn đường liên thôn.",
    )
    resolved = _lookup(client, case.lookup_code.lower().replace("-", " "))
    html = resolved.content.decode()
    assert resolved.status_code == 200
    assert str(Status.RESOLVED.label) in html
    assert "Ủy ban nhân dân xã đã sửa xong đoạn đường liên thôn." in html
    assert "45/UBND-VP" in html
    # The timeline: one line per change of status, with its date.
    today = f"{timezone.localdate():%d/%m/%Y}"
    assert html.count("<time") == 3
    assert str(Status.ACCEPTED.label) in html
    assert today in html
    # Internal notes are not public.
    assert "tổ công tác" not in html
    # The code is not echoed back into the form.
    assert case.lookup_code not in html


def test_unknown_and_malformed_codes_get_the_same_answer(
    client: Client, receive: Callable[..., Case]
) -> None:
    receive(channel=Channel.PORTAL)
    unknown = _lookup(client, "2345-6789-ABCD")
    malformed = _lookup(client, "12")
    assert unknown.status_code == malformed.status_code == 404

    def answer(response: Any) -> str:
        html = response.content.decode()
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
        return re.sub(r'name="code"[^>]*>', "", html)

    assert answer(unknown) == answer(malformed)
    assert "Không tìm thấy" in answer(unknown)


def test_lookup_follows_a_transfer_to_the_unit_handling_it_now(
    client: Client, receive: Callable[..., Case], officer: User, sibling_commune: Unit
) -> None:
    case = receive(channel=Channel.PORTAL)
    services.case_transfer(
        actor=officer, case=case, version=case.version, to_unit_code=sibling_commune.code
    )
    html = _lookup(client, case.lookup_code).content.decode()
    assert sibling_commune.name in html
    assert str(Status.TRANSFERRED.label) in html  # in the timeline
    assert "02/03/2026" in html  # the day the citizen's case was first received


# --- rate limits -------------------------------------------------------------------------------


def test_sending_counts_only_accepted_sendings_and_keeps_the_text_past_the_limit(
    client: Client, commune: Unit
) -> None:
    # Refused forms cost nothing: five mistakes, then five accepted sendings.
    bad = _sending(commune, consent="")
    for _ in range(5):
        assert client.post(reverse("portal:submit"), bad).status_code == 400
    for i in range(5):
        sent = client.post(reverse("portal:submit"), _sending(commune, subject=f"Việc {i}"))
        assert sent.status_code == 302, i
    assert Case.objects.count() == 5
    # The sixth accepted one is over the limit: the form again, with what was typed and
    # when to try again; nothing stored.
    limited = client.post(
        reverse("portal:submit"), _sending(commune, subject="Cột điện nghiêng ở thôn 5")
    )
    assert limited.status_code == 429
    html = limited.content.decode()
    assert "Hãy gửi lại sau khoảng" in html
    assert "Cột điện nghiêng ở thôn 5" in html
    assert "Ba cột đèn đầu thôn 3" in html
    assert 'name="form_token"' in html
    assert Case.objects.count() == 5
    # Another address is not held back, and reading the form is never limited.
    other = client.post(reverse("portal:submit"), _sending(commune), REMOTE_ADDR="192.0.2.99")
    assert other.status_code == 302
    assert client.get(reverse("portal:submit")).status_code == 200


def test_lookup_is_rate_limited_per_address(client: Client, receive: Callable[..., Case]) -> None:
    case = receive(channel=Channel.PORTAL)
    for _ in range(10):
        assert _lookup(client, "2345-6789-ABCD").status_code == 404
    limited = _lookup(client, case.lookup_code)
    assert limited.status_code == 429
    html = limited.content.decode()
    assert "Quá nhiều yêu cầu" in html
    assert str(Status.RECEIVED.label) not in html


# --- schedules and dialogues ----------------------------------------------------------------


def test_schedules_show_leaders_days_and_places_and_filter_by_place(
    client: Client, thai_nguyen: Unit, commune: Unit, sibling_commune: Unit
) -> None:
    chair = Official.objects.create(
        full_name="Hoàng Văn Chủ", position="Chủ tịch UBND xã", unit=commune, phone="0909"
    )
    other = Official.objects.create(
        full_name="Đỗ Thị Phó", position="Phó Chủ tịch UBND xã", unit=sibling_commune
    )
    start = dt.date(2025, 7, 1)
    ReceptionSchedule.objects.create(
        unit=commune, leader=chair, pattern="weekly", day=2, place="Trụ sở UBND", valid_from=start
    )
    ReceptionSchedule.objects.create(
        unit=sibling_commune,
        leader=other,
        pattern="monthly",
        day=15,
        place="Nhà văn hoá",
        valid_from=start,
    )
    ReceptionSchedule.objects.create(
        unit=commune,
        leader=other,
        pattern="weekly",
        day=0,
        place="Cũ",
        valid_from=start,
        valid_to=dt.date(2025, 8, 1),
    )
    everywhere = client.get(reverse("portal:schedules")).content.decode()
    assert "Hoàng Văn Chủ" in everywhere
    assert "Chủ tịch UBND xã" in everywhere
    assert "Thứ Tư hằng tuần" in everywhere
    assert "Ngày 15 hằng tháng" in everywhere
    assert "Trụ sở UBND" in everywhere
    assert "Cũ" not in everywhere  # no longer in force
    assert "0909" not in everywhere  # officials' phone numbers stay inside

    province = client.get(reverse("portal:schedules"), {"province": thai_nguyen.code})
    assert "Đỗ Thị Phó" in province.content.decode()
    one = client.get(
        reverse("portal:schedules"), {"province": thai_nguyen.code, "commune": commune.code}
    ).content.decode()
    assert "Hoàng Văn Chủ" in one
    assert "Đỗ Thị Phó" not in one
    elsewhere = client.get(reverse("portal:schedules"), {"province": "01"}).content.decode()
    assert "Hoàng Văn Chủ" not in elsewhere


def test_dialogues_show_announced_ones_and_published_results_without_who_asked(
    client: Client, commune: Unit
) -> None:
    today = timezone.localdate()
    Dialogue.objects.create(
        unit=commune,
        title="Đối thoại về quy hoạch chợ",
        held_on=today + dt.timedelta(days=10),
        place="Hội trường xã",
        chair="Chủ tịch UBND xã",
        state=Dialogue.State.ANNOUNCED,
    )
    Dialogue.objects.create(
        unit=commune,
        title="Kế hoạch nội bộ chưa thông báo",
        held_on=today,
        place="x",
        chair="y",
        state=Dialogue.State.PLANNED,
    )
    held = Dialogue.objects.create(
        unit=commune,
        title="Đối thoại về bồi thường giải phóng mặt bằng",
        held_on=today - dt.timedelta(days=20),
        place="Nhà văn hoá thôn 1",
        chair="Phó Chủ tịch UBND xã",
        state=Dialogue.State.PUBLISHED,
        published_on=today - dt.timedelta(days=15),
        participants="Ông Trần Văn Dự, bà Lý Thị Hội",
        participants_count=85,
        results="Thống nhất phương án bồi thường.",
    )
    question = DialogueQuestion.objects.create(
        dialogue=held,
        question="Khi nào chi trả tiền bồi thường?",
        asked_by="Ông Nguyễn Văn Hỏi",
        answer="Trong tháng tới.",
        answered_by="Chủ tịch UBND xã",
    )
    Commitment.objects.create(
        dialogue=held,
        question=question,
        text="Chi trả đủ tiền bồi thường",
        responsible="UBND xã",
        due_date=today + dt.timedelta(days=30),
    )
    html = client.get(reverse("portal:dialogues")).content.decode()
    assert "Đối thoại về quy hoạch chợ" in html
    assert "Kế hoạch nội bộ" not in html
    assert "Đối thoại về bồi thường giải phóng mặt bằng" in html
    assert "Khi nào chi trả tiền bồi thường?" in html
    assert "Trong tháng tới." in html
    assert "Chi trả đủ tiền bồi thường" in html
    assert "Thống nhất phương án bồi thường." in html
    assert "85 người tham dự" in html
    assert "Nguyễn Văn Hỏi" not in html
    assert "Trần Văn Dự" not in html
    filtered = client.get(reverse("portal:dialogues"), {"province": "01"}).content.decode()
    assert "Đối thoại về quy hoạch chợ" not in filtered


def test_public_lists_run_a_constant_number_of_queries(
    client: Client, commune: Unit, sibling_commune: Unit
) -> None:
    def queries(name: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(f"portal:{name}")).status_code == 200
        return len(captured)

    def add(unit: Unit, n: int) -> None:
        today = timezone.localdate()
        for i in range(n):
            leader = Official.objects.create(
                full_name=f"Cán bộ {i}", position="Chủ tịch", unit=unit
            )
            ReceptionSchedule.objects.create(
                unit=unit,
                leader=leader,
                pattern="weekly",
                day=i % 7,
                place="Trụ sở",
                valid_from=dt.date(2025, 7, 1),
            )
            dialogue = Dialogue.objects.create(
                unit=unit,
                title=f"Đối thoại {i}",
                held_on=today - dt.timedelta(days=i + 1),
                place="Hội trường",
                chair="Chủ tịch",
                state=Dialogue.State.PUBLISHED,
                published_on=today,
            )
            DialogueQuestion.objects.create(dialogue=dialogue, question="Hỏi?", answer="Đáp.")
            Commitment.objects.create(
                dialogue=dialogue, text="Làm", responsible="UBND", due_date=today
            )

    add(commune, 1)
    few = {name: queries(name) for name in ("schedules", "dialogues")}
    add(sibling_commune, 4)
    assert {name: queries(name) for name in ("schedules", "dialogues")} == few
