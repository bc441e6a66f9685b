"""Intake and every action on a case through HTTP: the happy paths, the stale save, and
bad input refused with a Vietnamese message and nothing written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from danvan.accounts.models import Role, User
from danvan.accounts.testing import Cast, make_user, walk
from danvan.audit.models import AuditEvent
from danvan.cases import services
from danvan.cases.models import (
    Case,
    CaseAssignment,
    CaseDocument,
    CaseEvent,
    CaseStep,
    IdentityScan,
    SenderIdentity,
    Status,
)
from danvan.units.models import Unit

from .conftest import DENOUNCER
from .test_views import (  # noqa: F401 - the autouse fixtures apply here too
    PDF,
    RECEIVE,
    case_url,
    fresh,
    frozen_time,
    logged_in,
    media_root,
    post_action,
    text,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(access_cast: Callable[..., Cast], commune: Unit) -> Cast:
    return access_cast(commune)


def intake(unit: Unit, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "unit": unit.code,
        "kind": "feedback",
        "channel": "in_person",
        "received_on": "29/06/2026",
        "subject": "Nước thải từ trại lợn",
        "content": "Trại lợn xả nước thải ra mương thủy lợi thôn 2.",
        "round": "1",
        "previous": "",
        "complexity": "0",
        "reception_session": "",
        "full_name": "Phạm Thị Dung",
        "address": "Thôn 2",
        "id_number": "",
        "phone": "0911000222",
        "email": "",
    }
    data.update(overrides)
    return data


def counts() -> tuple[int, ...]:
    return (
        Case.objects.count(),
        SenderIdentity.objects.count(),
        IdentityScan.objects.count(),
        CaseEvent.objects.count(),
        CaseStep.objects.count(),
        CaseDocument.objects.count(),
        CaseAssignment.objects.count(),
    )


def snapshot(case: Case) -> dict[str, Any]:
    row: dict[str, Any] = dict(Case.objects.filter(pk=case.pk).values().get())
    row.pop("updated_at")
    return row


# -- intake -------------------------------------------------------------------------------------


def test_receive_page_marks_personal_data(officer: User) -> None:
    response = logged_in(officer).get(RECEIVE)
    assert response.status_code == 200
    page = text(response)
    assert "Thông tin cá nhân được mã hoá; với đơn tố cáo chỉ cán bộ" in page
    assert 'enctype="multipart/form-data"' in page
    assert response["Cache-Control"] == "no-store"


def test_receive_from_a_reception_session_preselects_it(officer: User, commune: Unit) -> None:
    from danvan.cases.reception import services as reception_services
    from danvan.units.models import Official

    chair = Official.objects.create(full_name="Hà Văn Chủ", position="Chủ tịch UBND", unit=commune)
    session = reception_services.session_record(
        actor=officer,
        unit=commune,
        leader=chair,
        held_on=timezone.localdate() - dt.timedelta(days=1),
        place="Trụ sở",
        citizens_count=2,
        citizens="",
        content="Đất đai",
    )
    page = text(logged_in(officer).get(f"{RECEIVE}?session={session.pk}"))
    assert f'<option value="{session.pk}" selected>' in page


def test_receive_is_refused_to_those_without_intake(commune: Unit, leader: User) -> None:
    assert logged_in(leader).get(RECEIVE).status_code == 403
    assert logged_in(leader).post(RECEIVE, intake(commune)).status_code == 403


def test_receive_with_scans_redirects_with_the_lookup_code(officer: User, commune: Unit) -> None:
    scan = SimpleUploadedFile("don.pdf", PDF, content_type="application/pdf")
    response = logged_in(officer).post(RECEIVE, {**intake(commune), "scans": [scan]}, follow=True)
    assert response.status_code == 200
    case = Case.objects.get()
    assert response.redirect_chain[-1][0] == case.get_absolute_url()
    page = text(response)
    assert case.lookup_code in page
    assert "Phạm Thị Dung" not in page
    assert IdentityScan.objects.filter(identity__case=case).count() == 1
    assert case.channel == "in_person"
    assert case.created_by == officer


def test_full_feedback_path(officer: User, commune: Unit) -> None:
    client = logged_in(officer)
    assert client.post(RECEIVE, intake(commune)).status_code == 302
    case = Case.objects.get()
    assert case.status == Status.RECEIVED

    response = post_action(client, "accept", case, accepted_on="29/06/2026")
    assert response.status_code == 302, text(response)
    case = fresh(case)
    assert case.status == Status.ACCEPTED
    assert case.handler == officer
    page = text(client.get(case.get_absolute_url()))
    assert "Thụ lý" in page
    assert case.due_date is not None
    assert f"{case.due_date:%d/%m/%Y}" in page
    assert "kể từ 29/06/2026" in page  # the rule explained, with its start
    # The feedback rule is sample data, to verify: the mark is for administrators, not
    # for the officer working to it (test_rule_flags.py).
    assert "Cần đối chiếu" not in page

    response = post_action(
        client,
        "resolve",
        case,
        decision_number="45/UBND-VP",
        decision_date="30/06/2026",
        result_summary="Đã yêu cầu trại lợn xây bể xử lý.",
        public_answer="UBND xã đã xử lý, yêu cầu khắc phục.",
    )
    assert response.status_code == 302, text(response)
    case = fresh(case)
    assert case.status == Status.RESOLVED
    assert not case.is_open
    assert case.decision_number == "45/UBND-VP"
    actions = list(case.events.values_list("action", flat=True))
    assert actions == ["receive", "accept", "resolve"]


def test_full_denunciation_path(officer: User, handler: User, leader: User, commune: Unit) -> None:
    sender = {
        "full_name": DENOUNCER.full_name,
        "address": DENOUNCER.address,
        "id_number": DENOUNCER.id_number,
        "phone": DENOUNCER.phone,
        "email": DENOUNCER.email,
    }
    data = intake(commune, kind="denunciation", complexity="1", received_on="01/06/2026")
    data.update(sender)
    assert logged_in(officer).post(RECEIVE, data).status_code == 302
    case = Case.objects.get()
    assert case.alias.startswith("Người tố cáo ")
    assert case.complexity == 1

    boss = logged_in(leader)
    page = text(boss.get(case.get_absolute_url()))
    assert 'id="action-assign"' in page
    assert 'id="action-accept"' not in page  # a leader assigns, but does not handle
    response = post_action(boss, "assign", case, users=[handler.pk], lead=handler.pk)
    assert response.status_code == 302, text(response)
    case = fresh(case)
    assert case.handler == handler
    assert list(case.assignments.values_list("user_id", flat=True)) == [handler.pk]

    client = logged_in(handler)
    response = post_action(client, "accept", case, accepted_on="08/06/2026")
    assert response.status_code == 302, text(response)
    case = fresh(case)
    assert case.due_date == dt.date(2026, 7, 8)  # 30 days (Law on Denunciations, art. 30)

    response = post_action(client, "extend", case, decision_number="12/QĐ-UBND", complexity="")
    assert response.status_code == 302, text(response)
    case = fresh(case)
    assert case.due_date == dt.date(2026, 8, 7)
    page = text(client.get(case.get_absolute_url()))
    assert "gia hạn 1 lần (12/QĐ-UBND)" in page

    response = post_action(
        client,
        "resolve",
        case,
        decision_number="25/KL-UBND",
        decision_date="30/06/2026",
        result_summary="Tố cáo đúng một phần.",
        public_answer="Đã có kết luận nội dung tố cáo.",
    )
    assert response.status_code == 302, text(response)
    assert fresh(case).status == Status.RESOLVED


# -- every other action ----------------------------------------------------------------------------


def test_classify_refuse_and_withdraw(officer: User, receive: Callable[..., Case]) -> None:
    client = logged_in(officer)
    case = receive()
    response = post_action(client, "classify", case, kind="petition", complexity="0")
    assert response.status_code == 302, text(response)
    case = fresh(case)
    assert case.kind == "petition"

    response = post_action(
        client,
        "refuse",
        case,
        reason="Không thuộc thẩm quyền của xã.",
        answer_number="123/UBND-VP",
        decided_on="30/06/2026",
        public_answer="",
    )
    assert response.status_code == 302, text(response)
    case = fresh(case)
    assert case.status == Status.REFUSED
    assert case.public_answer == "Không thuộc thẩm quyền của xã."
    page = text(client.get(case.get_absolute_url()))
    assert 'id="action-accept"' not in page  # no action a refused case no longer allows

    other = receive()
    response = post_action(client, "withdraw", other, on="30/06/2026", note="Công dân rút đơn.")
    assert response.status_code == 302, text(response)
    assert fresh(other).status == Status.WITHDRAWN


def test_transfer_opens_the_case_at_the_competent_unit(
    officer: User, receive: Callable[..., Case], sibling_commune: Unit
) -> None:
    client = logged_in(officer)
    case = receive()
    response = post_action(
        client, "transfer", case, to_unit_code=sibling_commune.code, note="Đúng thẩm quyền xã bên."
    )
    assert response.status_code == 302, text(response)
    case = fresh(case)
    assert case.status == Status.TRANSFERRED
    moved = Case.objects.get(transferred_from=case)
    assert moved.unit == sibling_commune
    followed = client.get(case.get_absolute_url())
    page = text(followed)
    assert moved.reference in page  # the message names the new case
    assert sibling_commune.name in page
    # The officer of the sending commune does not see the new case: no link to it.
    assert moved.get_absolute_url() not in page
    # An officer over both communes follows the link.
    provincial = make_user("canbo-tinh", Role.OFFICER, sibling_commune.parent)
    page = text(logged_in(provincial).get(case.get_absolute_url()))
    assert moved.get_absolute_url() in page


def test_transfer_to_a_unit_typed_by_name_without_diacritics(
    officer: User, receive: Callable[..., Case]
) -> None:
    """The unit picker: “phan dinh phung” names Phường Phan Đình Phùng (Thái Nguyên)."""
    target = Unit.objects.get(name="Phường Phan Đình Phùng", parent__code="19")
    client = logged_in(officer)
    case = receive()
    response = post_action(client, "transfer", case, to_unit_code="phan dinh phung")
    assert response.status_code == 302, text(response)
    assert Case.objects.get(transferred_from=case).unit == target


def test_transfer_to_an_ambiguous_name_asks_which(
    officer: User, receive: Callable[..., Case]
) -> None:
    case = receive()
    saved, before = snapshot(case), counts()
    client = logged_in(officer)
    response = post_action(client, "transfer", case, to_unit_code="tan lap")
    assert response.status_code == 400
    page = text(response)
    assert "đơn vị khớp với “tan lap”, hãy chọn một" in page
    assert snapshot(case) == saved
    assert counts() == before
    # Choosing one of the listed namesakes transfers the case there.
    chosen = Unit.objects.filter(name_folded="xa tan lap", valid_to__isnull=True).first()
    assert chosen is not None
    assert f'value="{chosen.code}"' in page
    response = post_action(
        client, "transfer", case, to_unit_code="tan lap", to_unit_code_pick=chosen.code
    )
    assert response.status_code == 302, text(response)
    assert Case.objects.get(transferred_from=case).unit == chosen


def test_steps_documents_pause_and_resume(
    officer: User, receive: Callable[..., Case], sibling_commune: Unit
) -> None:
    client = logged_in(officer)
    case = services.case_accept(
        actor=officer, case=receive(), version=None, accepted_on=dt.date(2026, 6, 1)
    )
    response = post_action(
        client, "add_step", case, kind="verify", on="10/06/2026", text="Xác minh tại thôn 3."
    )
    assert response.status_code == 302, text(response)
    upload = SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf")
    response = post_action(client, "add_document", case, file=upload, title="Biên bản xác minh")
    assert response.status_code == 302, text(response)
    document = CaseDocument.objects.get(case=case)
    page = text(client.get(case.get_absolute_url()))
    assert "Xác minh tại thôn 3." in page
    assert "Biên bản xác minh" in page

    download = client.get(case_url("document", case, pk=document.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")  # type: ignore[attr-defined]
    assert "no-store" in download["Cache-Control"]
    sibling = make_user("canbo-ben", Role.OFFICER, sibling_commune)
    assert logged_in(sibling).get(case_url("document", case, pk=document.pk)).status_code == 404

    due = fresh(case).due_date
    assert due is not None
    response = post_action(client, "pause", case, on="20/06/2026", reason="Chờ giám định.")
    assert response.status_code == 302, text(response)
    case = fresh(case)
    assert case.status == Status.PAUSED
    response = post_action(client, "resume", case, on="30/06/2026")
    assert response.status_code == 302, text(response)
    case = fresh(case)
    assert case.status == Status.ACCEPTED
    assert case.paused_days == 10
    assert case.due_date is not None
    assert case.due_date > due


def test_actions_are_refused_out_of_scope_and_without_the_permission(
    cast: Cast, receive: Callable[..., Case], leader: User
) -> None:
    case = receive()
    data = {"version": case.version, "accepted_on": "30/06/2026"}
    for action in services_actions():
        walk(
            cast,
            case_url(action, case),
            expect={"anonymous": 302, "sibling": 404},
            method="post",
            data=data,
        )
    # A leader sees the case but does not handle it; an officer does not assign.
    assert post_action(logged_in(leader), "accept", case).status_code == 403
    same = cast.users["same"]
    assert same is not None
    response = post_action(logged_in(same), "assign", case, users=[same.pk], lead=same.pk)
    assert response.status_code == 403
    assert fresh(case).status == Status.RECEIVED
    assert fresh(case).version == case.version
    # Only POST.
    assert logged_in(same).get(case_url("accept", case)).status_code == 405


def services_actions() -> list[str]:
    from danvan.cases.urls import ACTION_SLUGS

    return list(ACTION_SLUGS)


# -- two officers, one case ------------------------------------------------------------------------


def test_the_second_save_from_an_old_page_is_refused(
    officer: User, commune: Unit, receive: Callable[..., Case]
) -> None:
    case = receive()
    colleague = make_user("canbo-xa-2", Role.OFFICER, commune)
    first, second = logged_in(officer), logged_in(colleague)
    seen = case.version
    assert f'name="version" value="{seen}"' in text(first.get(case.get_absolute_url()))
    assert f'name="version" value="{seen}"' in text(second.get(case.get_absolute_url()))

    response = post_action(first, "classify", case, version=seen, kind="petition", complexity="0")
    assert response.status_code == 302
    saved = snapshot(case)
    before = counts()

    response = post_action(second, "accept", case, version=seen, accepted_on="30/06/2026")
    assert response.status_code == 400
    page = text(response)
    assert "Thay đổi của bạn chưa được lưu" in page
    assert "tải lại trang" in page
    assert "Vụ việc vừa được canbo-xa cập nhật lúc" in page  # who saved first
    assert snapshot(case) == saved
    assert counts() == before
    assert fresh(case).status == Status.RECEIVED


# -- bad input -------------------------------------------------------------------------------


def test_unknown_kind_is_refused(officer: User, commune: Unit) -> None:
    before = counts()
    response = logged_in(officer).post(RECEIVE, intake(commune, kind="hối lộ"))
    assert response.status_code == 400
    page = text(response)
    assert "Loại vụ việc không hợp lệ" in page
    assert 'id="error-summary"' in page
    assert counts() == before


def test_second_complaint_without_a_first_is_refused(officer: User, commune: Unit) -> None:
    before = counts()
    client = logged_in(officer)
    response = client.post(RECEIVE, intake(commune, kind="complaint", round="2"))
    assert response.status_code == 400
    assert "Khiếu nại lần hai phải gắn với vụ việc khiếu nại lần đầu" in text(response)
    response = client.post(
        RECEIVE, intake(commune, kind="complaint", round="2", previous="KN-2026-999999")
    )
    assert response.status_code == 400
    assert "Không tìm thấy vụ việc “KN-2026-999999”" in text(response)
    assert counts() == before


def test_a_second_complaint_follows_its_first(
    officer: User, commune: Unit, receive: Callable[..., Case]
) -> None:
    first = receive(kind="complaint", received_on=dt.date(2026, 3, 2))
    first = services.case_accept(
        actor=officer, case=first, version=None, accepted_on=dt.date(2026, 3, 5)
    )
    # The first complaint is past its 30 days: a second one may be lodged.
    response = logged_in(officer).post(
        RECEIVE, intake(commune, kind="complaint", round="2", previous=first.lookup_code)
    )
    assert response.status_code == 302, text(response)
    second = Case.objects.get(previous=first)
    assert second.round == 2
    assert second.reference in text(logged_in(officer).get(first.get_absolute_url()))


def test_a_denunciation_without_a_name_is_refused(officer: User, commune: Unit) -> None:
    before = counts()
    response = logged_in(officer).post(
        RECEIVE, intake(commune, kind="denunciation", full_name="", address="", phone="")
    )
    assert response.status_code == 400
    assert "đơn nặc danh không được thụ lý" in text(response)
    assert counts() == before


def test_transfer_to_an_unknown_unit_is_refused(
    officer: User, receive: Callable[..., Case]
) -> None:
    case = receive()
    saved, before = snapshot(case), counts()
    response = post_action(logged_in(officer), "transfer", case, to_unit_code="99999999")
    assert response.status_code == 400
    assert "Không tìm thấy đơn vị “99999999” trong phạm vi bạn được thao tác" in text(response)
    assert snapshot(case) == saved
    assert counts() == before


def test_result_without_a_decision_number_is_refused(
    officer: User, receive: Callable[..., Case]
) -> None:
    case = services.case_accept(actor=officer, case=receive(), version=None)
    saved, before = snapshot(case), counts()
    client = logged_in(officer)
    result = {
        "decision_date": "30/06/2026",
        "result_summary": "Đã xử lý.",
        "public_answer": "Đã xử lý.",
    }
    response = post_action(client, "resolve", case, decision_number="", **result)
    assert response.status_code == 400
    assert "Cần số, ký hiệu của quyết định hoặc văn bản trả lời" in text(response)
    response = post_action(client, "resolve", case, decision_number="số 5", **result)
    assert response.status_code == 400
    assert "không phải số, ký hiệu văn bản hợp lệ" in text(response)
    assert snapshot(case) == saved
    assert counts() == before


def test_a_file_that_is_not_what_it_claims_is_refused(
    officer: User, commune: Unit, receive: Callable[..., Case]
) -> None:
    case = receive()
    before = counts()
    client = logged_in(officer)
    fake = SimpleUploadedFile("x.pdf", b"just some text", content_type="application/pdf")
    response = post_action(client, "add_document", case, file=fake, title="Giả")
    assert response.status_code == 400
    assert "Tệp không đúng loại đã khai báo" in text(response)
    fake = SimpleUploadedFile("x.pdf", b"just some text", content_type="application/pdf")
    response = client.post(RECEIVE, {**intake(commune), "scans": [fake]})
    assert response.status_code == 400
    assert "Tệp không đúng loại đã khai báo" in text(response)
    assert counts() == before


def test_a_second_extension_of_a_complex_denunciation_is_refused(
    officer: User, handler: User, leader: User, receive: Callable[..., Case]
) -> None:
    case = receive(kind="denunciation", sender=DENOUNCER, complexity=1)
    case = services.case_assign(
        actor=leader, case=case, version=case.version, users=[handler], lead=handler
    )
    case = services.case_accept(
        actor=handler, case=case, version=case.version, accepted_on=dt.date(2026, 6, 1)
    )
    client = logged_in(handler)
    assert post_action(client, "extend", case, decision_number="12/QĐ-UBND").status_code == 302
    case = fresh(case)
    saved, before = snapshot(case), counts()
    audit_before = AuditEvent.objects.count()
    response = post_action(client, "extend", case, decision_number="13/QĐ-UBND")
    assert response.status_code == 400
    assert "Đã gia hạn 1 lần, là số lần tối đa cho vụ việc này" in text(response)
    assert snapshot(case) == saved
    assert counts() == before
    assert AuditEvent.objects.count() == audit_before


def test_a_stale_action_after_the_case_moved_on_is_explained(
    officer: User, receive: Callable[..., Case]
) -> None:
    case = receive()
    client = logged_in(officer)
    assert post_action(client, "accept", case, accepted_on="30/06/2026").status_code == 302
    case = fresh(case)
    # A second accept from a fresh page: the case is no longer "received".
    response = post_action(client, "accept", case, accepted_on="30/06/2026")
    assert response.status_code == 400
    assert "Không thể thực hiện thao tác này khi vụ việc đang ở trạng thái" in text(response)
    assert fresh(case).version == case.version
    # And a form posted without its version asks to reload.
    response = client.post(case_url("pause", case), {"on": "30/06/2026", "reason": "x"})
    assert response.status_code == 400
    assert "hãy tải lại trang" in text(response)
    assert fresh(case).status == Status.ACCEPTED
