"""Registering an entry with bad input: every error in one answer (the form's and the
service's), each saying what is allowed; 400, nothing saved, what was typed kept."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.utils import timezone

from danvan.accounts.models import User
from danvan.core.validation import TEXT_LIMIT
from danvan.movement.models import Entry, Field
from danvan.units.models import Unit

from .test_entry_views import CREATE, form_data, logged_in, url

pytestmark = pytest.mark.django_db


def _post(user: User, data: dict[str, Any]) -> Any:
    return logged_in(user).post(CREATE, data)


def test_a_form_error_and_a_service_rule_come_in_one_answer(
    commune: Unit, commune_officer: User, field_economy: Field
) -> None:
    name = "Đường điện sáng " + "x" * 300
    response = _post(
        commune_officer,
        form_data(commune, field_economy, name=name, registration_year="2015"),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["name"] == [f"Dài tối đa 300 ký tự (bạn đã nhập {len(name)})."]
    assert errors["registration_year"] == [
        "Năm đăng ký phải trong giai đoạn 2016–2020 hoặc 2021–2025 hoặc 2026–2030 "
        "của phong trào (bạn nhập 2015)."
    ]
    assert not Entry.objects.exists()
    assert name in html.unescape(response.content.decode())


def test_a_year_after_next_year_says_the_last_allowed(
    commune: Unit, commune_officer: User, field_economy: Field
) -> None:
    last = timezone.localdate().year + 1
    response = _post(
        commune_officer, form_data(commune, field_economy, registration_year=str(last + 1))
    )
    assert response.status_code == 400
    assert response.context["form"].errors["registration_year"] == [
        f"Năm đăng ký chỉ được đến năm sau ({last}); bạn nhập {last + 1}."
    ]
    assert not Entry.objects.exists()


def test_implausible_phone_start_date_and_text_are_refused_together(
    commune: Unit, commune_officer: User, field_economy: Field
) -> None:
    today = timezone.localdate()
    far = today.replace(year=today.year + 3)
    goals = "g" * (TEXT_LIMIT + 1)
    response = _post(
        commune_officer,
        form_data(
            commune,
            field_economy,
            contact_phone="12345",
            start_date=f"{far:%d/%m/%Y}",
            goals=goals,
        ),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "“12345” không phải số điện thoại Việt Nam" in errors["contact_phone"][0]
    assert errors["start_date"][0].startswith(f"Ngày {far:%d/%m/%Y} quá xa: chỉ được đến ")
    assert "(tối đa 1 năm sau hôm nay)" in errors["start_date"][0]
    assert errors["goals"] == [f"Dài tối đa {TEXT_LIMIT} ký tự (bạn đã nhập {TEXT_LIMIT + 1})."]
    assert not Entry.objects.exists()
    page = html.unescape(response.content.decode())
    assert goals in page
    assert "12345" in page
    assert f"{far:%d/%m/%Y}" in page


def test_phone_written_with_spaces_and_country_code_is_accepted(
    commune: Unit, commune_officer: User, field_economy: Field
) -> None:
    response = _post(
        commune_officer, form_data(commune, field_economy, contact_phone="+84 912.345.678")
    )
    assert response.status_code == 302
    assert Entry.objects.get().contact_phone == "+84 912.345.678"


def test_editing_reports_the_year_rule_with_the_form_s_errors(
    make_entry: Any, commune_officer: User, commune: Unit, field_economy: Field
) -> None:
    entry = make_entry("Đường điện sáng")
    data = form_data(commune, field_economy, registration_year="2031", contact_name="a" * 201)
    data.pop("unit")
    response = logged_in(commune_officer).post(url("edit", entry), data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["contact_name"] == ["Dài tối đa 200 ký tự (bạn đã nhập 201)."]
    assert "registration_year" in errors
    entry.refresh_from_db()
    assert entry.contact_name != "a" * 201
