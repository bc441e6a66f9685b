"""Bad input on the case forms: the form's and the service's errors in one answer (400),
each saying what is allowed, nothing written, what was typed kept."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable

import pytest
from django.urls import reverse

from danvan.accounts.models import User
from danvan.audit.models import AuditEvent
from danvan.cases.dialogues.forms import PublishForm
from danvan.cases.identity import Identity
from danvan.cases.models import Case, ReceptionSchedule, Status
from danvan.cases.reception.forms import ScheduleEndForm, ScheduleForm, SessionForm
from danvan.core.validation import TEXT_LIMIT
from danvan.units.models import Unit

from .test_reception_services import make_official, schedule_for
from .test_views import (  # noqa: F401 - the autouse fixtures apply here too
    RECEIVE,
    fresh,
    frozen_time,
    logged_in,
    media_root,
    post_action,
    text,
)
from .test_views_actions import counts, intake

pytestmark = pytest.mark.django_db


def test_intake_reports_the_form_s_and_the_service_s_errors_together(
    officer: User, commune: Unit
) -> None:
    long_content = "Nước thải " + "x" * TEXT_LIMIT
    before = counts()
    response = logged_in(officer).post(
        RECEIVE,
        intake(
            commune,
            content=long_content,  # the form: too long
            received_on="01/07/2026",  # the service: not yet come (today is 30/06/2026)
            phone="12345",  # the form: not a phone number
        ),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["content"] == [
        f"Dài tối đa {TEXT_LIMIT} ký tự (bạn đã nhập {len(long_content)})."
    ]
    assert errors["received_on"] == [
        "Ngày 01/07/2026 chưa đến: phải là hôm nay (30/06/2026) hoặc một ngày trước đó."
    ]
    assert "“12345” không phải số điện thoại Việt Nam" in errors["phone"][0]
    assert counts() == before
    page = html.unescape(text(response))
    assert long_content in page  # what was typed is kept
    assert "Nước thải từ trại lợn" in page


def test_an_anonymous_denunciation_is_refused_with_the_form_s_errors(
    officer: User, commune: Unit
) -> None:
    before = counts()
    response = logged_in(officer).post(
        RECEIVE,
        intake(commune, kind="denunciation", full_name="", address="", phone="", subject="s" * 301),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["subject"] == ["Dài tối đa 300 ký tự (bạn đã nhập 301)."]
    assert errors["full_name"] == [
        "Tố cáo phải ghi rõ họ tên, địa chỉ người tố cáo; đơn nặc danh không được thụ lý."
    ]
    assert counts() == before


def test_classify_reports_a_missing_first_complaint_and_a_bad_choice_together(
    officer: User, receive: Callable[..., Case]
) -> None:
    case = receive(sender=Identity())
    client = logged_in(officer)
    response = post_action(client, "classify", case, kind="denunciation", complexity="7")
    assert response.status_code == 400
    errors = response.context["bound"].errors
    # The service (an anonymous letter cannot be a denunciation) and the form (a
    # complexity not in the list) in one answer.
    assert "không được xử lý như tố cáo" in errors["kind"][0]
    assert errors["complexity"] == [
        "“7” không có trong danh sách; hãy chọn một mục trong danh sách."
    ]
    assert fresh(case).status == Status.RECEIVED


def test_transfer_reports_an_over_long_note_and_the_own_unit_together(
    officer: User, commune: Unit, receive: Callable[..., Case]
) -> None:
    case = receive()
    note = "n" * 2001
    response = post_action(
        logged_in(officer), "transfer", case, to_unit_code=commune.code, note=note
    )
    assert response.status_code == 400
    errors = response.context["bound"].errors
    assert errors["note"] == ["Dài tối đa 2000 ký tự (bạn đã nhập 2001)."]
    assert errors["to_unit_code"] == [
        "Không thể chuyển vụ việc cho chính đơn vị mình; chọn đơn vị có thẩm quyền khác."
    ]
    assert fresh(case).status == case.status
    assert not Case.objects.filter(transferred_from=case).exists()
    assert note in text(response)


def test_a_session_with_a_long_place_and_a_day_to_come(commune: Unit) -> None:
    chair = make_official(commune, "Hoàng Văn Chủ")
    place = "Trụ sở " + "p" * 200
    form = SessionForm(
        {"leader": chair.pk, "held_on": "01/07/2026", "place": place, "citizens_count": "2"},
        unit=commune,
    )
    assert not form.is_valid()
    assert form.errors["place"] == [f"Dài tối đa 200 ký tự (bạn đã nhập {len(place)})."]
    assert form.errors["held_on"] == [
        "Ngày tiếp 01/07/2026 chưa đến: chỉ ghi buổi tiếp đã diễn ra, đến hôm nay (30/06/2026)."
    ]
    assert place in html.unescape(str(form["place"]))


def test_dialogue_results_missing_and_published_on_a_day_to_come() -> None:
    form = PublishForm({"results": "", "published_on": "01/07/2026"})
    assert not form.is_valid()
    assert form.errors["results"] == ["Chưa nhập: đây là thông tin bắt buộc."]
    assert form.errors["published_on"] == [
        "Ngày 01/07/2026 chưa đến: phải là hôm nay (30/06/2026) hoặc một ngày trước đó."
    ]


def test_a_schedule_reports_the_form_s_and_the_service_s_errors_together(
    officer: User, commune: Unit
) -> None:
    chair = make_official(commune, "Hoàng Văn Chủ")
    place = "Phòng tiếp công dân " + "p" * 200
    response = logged_in(officer).post(
        f"{reverse('reception:schedule_create')}?unit={commune.code}",
        {
            "leader": str(chair.pk),
            "pattern": "monthly",
            "month_day": "31",  # the form: no day 31 in every month
            "place": place,  # the form: too long
            "valid_from": "01/07/2026",
            "valid_to": "30/06/2026",  # the service: ends before it starts
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["month_day"] == ["Phải nhỏ hơn hoặc bằng 28."]
    assert errors["place"] == [f"Dài tối đa 200 ký tự (bạn đã nhập {len(place)})."]
    assert errors["valid_to"] == [
        "Ngày kết thúc không được trước ngày áp dụng (01/07/2026): chọn từ ngày 01/07/2026 trở đi."
    ]
    assert not ReceptionSchedule.objects.exists()
    assert not AuditEvent.objects.filter(model_label="cases.receptionschedule").exists()
    page = html.unescape(text(response))
    assert place in page  # what was typed is kept
    assert 'value="30/06/2026"' in page


def test_a_schedule_s_day_missing_beside_a_unit_that_has_stopped(commune: Unit) -> None:
    chair = make_official(commune, "Hoàng Văn Chủ")
    commune.valid_to = dt.date(2026, 6, 1)  # merged away: the unit no longer works
    form = ScheduleForm(
        {
            "leader": str(chair.pk),
            "pattern": "weekly",
            "place": "Trụ sở",
            "valid_from": "01/07/2026",
        },
        unit=commune,
    )
    assert not form.is_valid()
    assert form.errors["weekday"] == [
        "Lịch hằng tuần cần một ngày tiếp: chọn từ thứ Hai đến Chủ nhật."
    ]
    # The unit is no field of the form: the service's refusal goes to the summary.
    assert form.non_field_errors() == [f"Đơn vị {commune.name} đã ngừng hoạt động."]


def test_ending_a_schedule_before_it_began_is_refused_in_the_form_pass(
    officer: User, commune: Unit
) -> None:
    schedule = schedule_for(make_official(commune, "Hoàng Văn Chủ"), valid_from=dt.date(2026, 3, 1))
    # The form itself reports the service's rule: the view never reaches the service.
    form = ScheduleEndForm({"valid_to": "28/02/2026"}, schedule=schedule)
    assert not form.is_valid()
    assert form.errors["valid_to"] == [
        "Ngày kết thúc không được trước ngày áp dụng (01/03/2026): chọn từ ngày 01/03/2026 trở đi."
    ]
    # A date that does not parse is the form's own error, the one to fix first.
    form = ScheduleEndForm({"valid_to": "31/02/2026"}, schedule=schedule)
    assert not form.is_valid()
    assert len(form.errors["valid_to"]) == 1
    assert "Ngày kết thúc không được" not in form.errors["valid_to"][0]
    response = logged_in(officer).post(
        reverse("reception:schedule_end", args=[schedule.pk]), {"valid_to": "28/02/2026"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["valid_to"] == [
        "Ngày kết thúc không được trước ngày áp dụng (01/03/2026): chọn từ ngày 01/03/2026 trở đi."
    ]
    schedule.refresh_from_db()
    assert schedule.valid_to is None
    assert not AuditEvent.objects.filter(
        model_label="cases.receptionschedule", action="update"
    ).exists()
    assert 'value="28/02/2026"' in text(response)


def test_ending_an_ended_schedule_later_says_which_days_are_allowed(
    officer: User, commune: Unit
) -> None:
    schedule = schedule_for(
        make_official(commune, "Hoàng Văn Chủ"),
        valid_from=dt.date(2026, 3, 1),
        valid_to=dt.date(2026, 5, 31),
    )
    form = ScheduleEndForm({"valid_to": "30/06/2026"}, schedule=schedule)
    assert not form.is_valid()
    assert form.errors["valid_to"] == [
        "Lịch đã kết thúc ngày 31/05/2026; chỉ được chọn ngày từ 01/03/2026 đến 31/05/2026. "
        "Muốn áp dụng lại, hãy thêm lịch mới."
    ]
