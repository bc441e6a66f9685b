"""The disclosure form reports its own errors and the service's rules in one pass."""

from __future__ import annotations

import pytest

from danvan.disclosure.forms import DisclosureEditForm
from danvan.units.models import Unit

from .conftest import kind

pytestmark = pytest.mark.django_db


def test_a_long_title_and_an_end_before_the_start_in_one_answer(commune: Unit) -> None:
    title = "t" * 301
    form = DisclosureEditForm(
        {"kind": kind(1).pk, "title": title, "start": "10/06/2026", "end": "01/06/2026"},
        unit=commune,
    )
    assert not form.is_valid()
    assert form.errors["title"] == ["Dài tối đa 300 ký tự (bạn đã nhập 301)."]
    assert form.errors["end"] == ["Ngày kết thúc không được trước ngày bắt đầu (10/06/2026)."]
    assert title in str(form["title"])  # what was typed is kept


def test_a_kind_not_yet_in_force_is_reported_with_a_missing_title(commune: Unit) -> None:
    form = DisclosureEditForm(
        {"kind": kind(1).pk, "title": "", "start": "01/01/2020"}, unit=commune
    )
    assert not form.is_valid()
    assert form.errors["title"] == ["Chưa nhập: đây là thông tin bắt buộc."]
    assert "không có hiệu lực vào ngày 01/01/2020" in form.errors["kind"][0]


def test_a_start_years_ahead_says_the_allowed_range(commune: Unit) -> None:
    form = DisclosureEditForm(
        {"kind": kind(1).pk, "title": "Kế hoạch", "start": "01/01/2099"}, unit=commune
    )
    assert not form.is_valid()
    assert "quá xa: chỉ được đến" in form.errors["start"][0]
    assert "(tối đa 1 năm sau hôm nay)" in form.errors["start"][0]
