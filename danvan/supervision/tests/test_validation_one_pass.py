"""The supervision forms (boards, plans, members, conferences and their schedule) report
their own errors and the service's rules in one pass; nothing is written on refusal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from danvan.accounts.models import User
from danvan.core.errors import DomainError
from danvan.supervision import services
from danvan.supervision.forms import BoardForm, PlanForm
from danvan.supervision.models import BoardMember, Conference, ConferencePlan
from danvan.units.models import Unit, UnitKind
from danvan.units.services import unit_create

from .test_services import add, inspection, investment
from .test_views import client_of, text

pytestmark = pytest.mark.django_db


def test_a_board_with_a_bad_kind_and_a_term_ending_before_it_starts() -> None:
    form = BoardForm({"kind": "club", "term_start": "01/03/2026", "term_end": "01/01/2026"})
    assert not form.is_valid()
    assert form.errors["kind"] == [
        "“club” không có trong danh sách; hãy chọn một mục trong danh sách."
    ]
    assert form.errors["term_end"] == [
        "Ngày kết thúc nhiệm kỳ phải từ ngày bắt đầu (01/03/2026) trở đi."
    ]


def test_an_inspection_board_tied_to_a_project_says_to_leave_it_empty() -> None:
    form = BoardForm({"kind": "inspection", "project": "Đường liên thôn", "term_start": "x"})
    assert not form.is_valid()
    assert "dd/mm/yyyy" in form.errors["term_start"][0]
    assert form.errors["project"] == [
        "Ban Thanh tra nhân dân không gắn với một dự án: để trống ô này."
    ]


def test_a_plan_with_a_long_title_sent_after_it_starts() -> None:
    title = "k" * 301
    form = PlanForm(
        {"title": title, "starts_on": "10/03/2026", "sent_on": "20/03/2026", "scope": "s"}
    )
    assert not form.is_valid()
    assert form.errors["title"] == ["Dài tối đa 300 ký tự (bạn đã nhập 301)."]
    assert form.errors["sent_on"] == [
        "Ngày gửi kế hoạch phải trước hoặc đúng ngày bắt đầu (10/03/2026)."
    ]
    assert title in str(form["title"])


def test_a_plan_starting_years_ahead_is_refused_with_the_allowed_range() -> None:
    form = PlanForm({"title": "Kế hoạch", "starts_on": "10/03/2029"})
    assert not form.is_valid()
    assert form.errors["starts_on"] == [
        "Ngày 10/03/2029 quá xa: chỉ được đến 25/03/2027 (tối đa 1 năm sau hôm nay)."
    ]


# --- board members ---------------------------------------------------------------------------


def test_a_member_form_shows_its_own_and_the_services_errors_in_one_post(
    officer: User, commune: Unit
) -> None:
    board = inspection(commune)
    name = "n" * 201
    response = client_of(officer).post(
        reverse("supervision:member_add", args=[board.public_id]),
        {"full_name": name, "role": "member", "term_start": "10/03/2026", "term_end": "01/03/2026"},
    )
    assert response.status_code == 400
    form = response.context["member_form"]
    # The form's own limit and the service's date rule, side by side.
    assert form.errors["full_name"] == ["Dài tối đa 200 ký tự (bạn đã nhập 201)."]
    assert form.errors["term_end"] == ["Ngày kết thúc phải từ ngày bắt đầu (10/03/2026) trở đi."]
    assert name in str(form["full_name"])
    assert not BoardMember.objects.exists()


def test_the_member_service_reports_every_problem_at_once(
    commune: Unit, sibling_commune: Unit
) -> None:
    board = inspection(commune)
    elsewhere = unit_create(
        actor=None, parent=sibling_commune, kind=UnitKind.VILLAGE, name="Thôn ngoài xã"
    )
    with pytest.raises(DomainError) as refused:
        services.member_add(
            actor=None,
            board=board,
            full_name="  ",
            role="representative",
            village=elsewhere,
            term_start=dt.date(2026, 3, 10),
            term_end=dt.date(2026, 3, 1),
        )
    problems = {p.field: p.message for p in refused.value.problems}
    assert problems == {
        "full_name": "Cần ghi họ và tên thành viên.",
        "role": "Vai trò “Đại diện cộng đồng” chỉ dùng cho Ban Giám sát đầu tư của cộng đồng; "
        "Ban Thanh tra nhân dân có Trưởng ban, Phó trưởng ban và Thành viên.",
        "village": f"Chọn một thôn, tổ dân phố đang hoạt động của {commune.name}, hoặc để trống.",
        "term_end": "Ngày kết thúc phải từ ngày bắt đầu (10/03/2026) trở đi.",
    }
    assert not BoardMember.objects.exists()


def test_a_role_outside_the_list_names_the_roles(commune: Unit) -> None:
    with pytest.raises(DomainError) as refused:
        services.member_checks({"role": "chairman"}, board=investment(commune))
    assert refused.value.field == "role"
    assert "Trưởng ban" in refused.value.message
    assert "Đại diện cộng đồng" in refused.value.message


def test_the_board_size_is_still_checked_after_the_form(officer: User, commune: Unit) -> None:
    # A rule that counts the current members runs under the board's lock, after the form.
    board = investment(commune)
    add(board, 2, "deputy")
    response = client_of(officer).post(
        reverse("supervision:member_add", args=[board.public_id]),
        {"full_name": "Phó thứ ba", "role": "deputy"},
    )
    assert response.status_code == 400
    assert (
        response.context["member_form"]
        .errors["role"][0]
        .startswith("Ban Giám sát đầu tư của cộng đồng có tối đa 2 phó trưởng ban")
    )
    assert BoardMember.objects.filter(board=board).count() == 2


# --- conferences -----------------------------------------------------------------------------


def test_a_conference_form_shows_its_own_and_the_services_errors_in_one_post(
    officer: User, commune: Unit, agency: Unit
) -> None:
    response = client_of(officer).post(
        f"{reverse('supervision:conference_create')}?unit={commune.code}",
        {
            "unit_code": agency.code,  # a workplace dialogue is an enterprise's
            "kind": "dialogue",
            "held_on": "30/03/2026",  # not yet come
            "participants_employer": "ba",
            "participants_workers": "2",
            "minutes": "Biên bản đối thoại",
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["participants_employer"] == ["Phải là một số nguyên, chỉ gồm chữ số (ví dụ 12)."]
    assert errors["unit_code"] == [
        "Đối thoại tại nơi làm việc chỉ ghi nhận cho Doanh nghiệp đang hoạt động; "
        f"“{agency.name}” không phải là đơn vị như vậy."
    ]
    assert errors["held_on"] == [
        "Ngày 30/03/2026 chưa đến: phải là hôm nay (25/03/2026) hoặc một ngày trước đó."
    ]
    assert len(errors["participants_workers"]) == 1
    assert errors["participants_workers"][0].startswith(
        "Đối thoại tại nơi làm việc cần ít nhất 3 người mỗi bên ("
    )
    assert errors["participants_workers"][0].endswith("); bên này có 2 người.")
    assert "Biên bản đối thoại" in text(response)
    assert not Conference.objects.exists()


def test_the_conference_service_reports_every_problem_at_once(enterprise: Unit) -> None:
    with pytest.raises(DomainError) as refused:
        services.conference_record(
            actor=None,
            unit=enterprise,
            kind="dialogue",
            held_on=dt.date(2026, 3, 2),
            participants_employer=-1,
            participants_workers=1,
        )
    fields = [(p.field, p.code) for p in refused.value.problems]
    assert fields == [
        ("participants_employer", "supervision_too_few_participants"),
        ("participants_workers", "supervision_too_few_participants"),
    ]
    assert refused.value.problems[0].message == "Số người không được âm: nhập 0 hoặc số dương."
    assert "bên này có 1 người" in refused.value.problems[1].message
    assert not Conference.objects.exists()


def test_a_conference_plan_form_shows_its_own_and_the_services_errors_in_one_post(
    officer: User, commune: Unit, agency: Unit
) -> None:
    place = "p" * 201
    response = client_of(officer).post(
        f"{reverse('supervision:conference_plan_create')}?unit={commune.code}",
        {"unit_code": agency.code, "kind": "workers", "planned_on": "20/03/2026", "place": place},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["place"] == ["Dài tối đa 200 ký tự (bạn đã nhập 201)."]
    assert errors["unit_code"][0].startswith(
        "Hội nghị người lao động chỉ ghi nhận cho Doanh nghiệp đang hoạt động"
    )
    assert errors["planned_on"] == [
        "Ngày dự kiến đã qua: chỉ lên lịch từ hôm nay (25/03/2026) trở đi; hội nghị đã tổ "
        "chức thì ghi nhận hội nghị."
    ]
    assert place in text(response)
    assert not ConferencePlan.objects.exists()
