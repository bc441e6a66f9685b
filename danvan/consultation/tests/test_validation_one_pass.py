"""The consultation forms report their own errors and the service's rules in one pass."""

from __future__ import annotations

import pytest

from danvan.consultation.forms import ConsultationForm, OpenForm

pytestmark = pytest.mark.django_db


def test_a_draft_with_a_long_title_and_no_content() -> None:
    title = "d" * 301
    form = ConsultationForm({"subject": "project", "title": title, "draft": ""})
    assert not form.is_valid()
    assert form.errors["title"] == ["Dài tối đa 300 ký tự (bạn đã nhập 301)."]
    assert form.errors["draft"] == ["Cần ghi nội dung dự thảo hoặc đính kèm tệp dự thảo."]
    assert title in str(form["title"])


def test_a_period_starting_years_ahead_and_ending_in_the_past() -> None:
    form = OpenForm({"opens_on": "01/06/2029", "closes_on": "01/05/2026"})
    assert not form.is_valid()
    assert form.errors["opens_on"] == [
        "Ngày 01/06/2029 quá xa: chỉ được đến 10/05/2027 (tối đa 1 năm sau hôm nay)."
    ]
    assert form.errors["closes_on"] == [
        "Ngày kết thúc lấy ý kiến đã qua: chọn từ hôm nay (10/05/2026) trở đi."
    ]
