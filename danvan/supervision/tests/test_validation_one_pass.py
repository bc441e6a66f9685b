"""The board and plan forms report their own errors and the service's rules in one pass."""

from __future__ import annotations

import pytest

from danvan.supervision.forms import BoardForm, PlanForm

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
