"""One-pass validation: the site's messages, the text limits, service checks with the form's."""

from __future__ import annotations

import copy
import datetime as dt
import importlib
import inspect
import pkgutil
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django import forms
from django.core.exceptions import ValidationError

import danvan
from danvan.core.errors import Checks, DomainError, NotFound
from danvan.core.forms import BootstrapMixin, apply_service
from danvan.core.validation import LINE_LIMIT, TEXT_LIMIT, word_field
from danvan.core.validators import DateWindow, normalize_phone, validate_phone

TODAY = dt.datetime(2026, 6, 15, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def _service_check(data: dict[str, Any]) -> None:
    """A service's check function: one DomainError listing every problem."""
    checks = Checks()
    if "year" in data and not 2026 <= data["year"] <= 2030:
        checks.refuse("bad_year", "Năm phải trong giai đoạn 2026–2030.", field="year")
    if "title" in data and data["title"].lower() == "trùng":
        checks.refuse("duplicate", "Đã có việc cùng tên.", field="title")
    if "title" in data and "year" in data and data["title"] == "cả hai":
        checks.refuse("combo", "Một lỗi chung của biểu mẫu.")
    checks.raise_if_any()


class SampleForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label="Tên", max_length=20)
    year = forms.IntegerField(label="Năm")
    kind = forms.ChoiceField(label="Loại", choices=[("a", "A"), ("b", "B")])
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea)
    place = forms.CharField(label="Nơi", required=False)
    email = forms.EmailField(label="Thư", required=False)
    own = forms.CharField(label="Riêng", required=False, error_messages={"required": "Của tôi"})

    def service_checks(self, data: dict[str, Any]) -> None:
        _service_check(data)


def test_checks_collect_every_problem_and_raise_one_error() -> None:
    checks = Checks()
    with checks.collect():
        raise DomainError("one", "Một.", field="a")
    checks.refuse("two", "Hai.", field="b")
    assert checks
    with pytest.raises(DomainError) as exc:
        checks.raise_if_any()
    assert (exc.value.code, exc.value.message, exc.value.field) == ("one", "Một.", "a")
    assert [(p.field, p.code) for p in exc.value.problems] == [("a", "one"), ("b", "two")]


def test_checks_let_not_found_through() -> None:
    checks = Checks()
    with pytest.raises(NotFound), checks.collect():
        raise NotFound()
    assert not checks
    checks.raise_if_any()  # nothing collected: no error


def test_a_single_domain_error_is_its_own_problem() -> None:
    error = DomainError("x", "Lý do.", field="f")
    assert [(p.field, p.code, p.message) for p in error.problems] == [("f", "x", "Lý do.")]


def test_form_and_service_errors_come_in_one_pass() -> None:
    # "title" fails the form (too long); "year" parses but fails the service's rule.
    form = SampleForm({"title": "x" * 25, "year": "2019", "kind": "a"})
    assert not form.is_valid()
    assert form.errors["title"] == ["Dài tối đa 20 ký tự (bạn đã nhập 25)."]
    assert form.errors["year"] == ["Năm phải trong giai đoạn 2026–2030."]


def test_a_service_problem_on_a_field_with_its_own_error_is_not_added() -> None:
    form = SampleForm({"title": "trùng", "year": "abc", "kind": "a"})
    assert not form.is_valid()
    assert form.errors["title"] == ["Đã có việc cùng tên."]
    assert form.errors["year"] == ["Phải là một số nguyên, chỉ gồm chữ số (ví dụ 12)."]


def test_a_problem_without_a_field_goes_to_the_summary() -> None:
    form = SampleForm({"title": "cả hai", "year": "2027", "kind": "a"})
    assert not form.is_valid()
    assert form.non_field_errors() == ["Một lỗi chung của biểu mẫu."]


def test_apply_service_shows_every_problem_of_a_refusal() -> None:
    form = SampleForm({"title": "ok", "year": "2027", "kind": "a"})
    assert form.is_valid()

    def refuse() -> None:
        checks = Checks()
        checks.refuse("a", "Lỗi một.", field="title")
        checks.refuse("b", "Lỗi hai.", field="year")
        checks.raise_if_any()

    assert apply_service(form, refuse) is None
    assert form.errors == {"title": ["Lỗi một."], "year": ["Lỗi hai."]}


def test_stock_messages_are_replaced_and_a_form_s_own_kept() -> None:
    form = SampleForm({"kind": "z", "email": "khong-phai-thu"})
    assert not form.is_valid()
    assert form.errors["title"] == ["Chưa nhập: đây là thông tin bắt buộc."]
    assert form.errors["kind"] == [
        "“z” không có trong danh sách; hãy chọn một mục trong danh sách."
    ]
    assert form.errors["email"] == [
        "Địa chỉ thư điện tử chưa đúng dạng; ví dụ đúng: ten@donvi.gov.vn."
    ]
    assert form.fields["own"].error_messages["required"] == "Của tôi"
    blank_kind = SampleForm({"title": "a", "year": "2027"})
    assert blank_kind.errors["kind"] == ["Chưa chọn: đây là thông tin bắt buộc."]


def test_every_free_text_gets_a_limit() -> None:
    form = SampleForm()
    note, place = form.fields["note"], form.fields["place"]
    assert isinstance(note, forms.CharField)
    assert isinstance(place, forms.CharField)
    assert note.max_length == TEXT_LIMIT
    assert place.max_length == LINE_LIMIT
    assert f'maxlength="{TEXT_LIMIT}"' in str(form["note"])
    too_long = SampleForm(
        {"title": "a", "year": "2027", "kind": "a", "note": "n" * (TEXT_LIMIT + 3)}
    )
    assert too_long.errors["note"] == [
        f"Dài tối đa {TEXT_LIMIT} ký tự (bạn đã nhập {TEXT_LIMIT + 3})."
    ]
    # What was typed stays in the field.
    assert "n" * (TEXT_LIMIT + 3) in str(too_long["note"])


def test_a_nul_character_is_refused_with_a_reason() -> None:
    form = SampleForm({"title": "a\x00b", "year": "2027", "kind": "a"})
    assert form.errors["title"] == [
        "Có ký tự rỗng (NUL) không được phép, thường do dán từ một tệp khác; "
        "hãy xoá rồi gõ lại đoạn đó."
    ]


@pytest.mark.parametrize(
    ("typed", "digits"),
    [
        ("0912345678", "0912345678"),
        ("0912 345 678", "0912345678"),
        ("+84 912.345.678", "0912345678"),
        ("84912345678", "0912345678"),
        ("038-123-4567", "0381234567"),
        ("0208 3855 123", "02083855123"),
        ("(024) 3825 1234", "02438251234"),
        ("1900 1234", "19001234"),
    ],
)
def test_vietnamese_phone_numbers_are_accepted(typed: str, digits: str) -> None:
    assert normalize_phone(typed) == digits


@pytest.mark.parametrize(
    "typed", ["12345", "0112345678", "091234567", "09123456789", "abc", "+1 202 555 0100"]
)
def test_what_is_not_a_phone_number_is_refused_with_the_allowed_shape(typed: str) -> None:
    with pytest.raises(ValidationError) as exc:
        validate_phone(typed)
    message = exc.value.messages[0]
    assert f"“{typed}” không phải số điện thoại Việt Nam" in message
    assert "10 chữ số bắt đầu bằng 03, 05, 07, 08 hoặc 09" in message
    assert "11 chữ số bắt đầu bằng 02" in message


def test_an_empty_phone_is_left_to_required() -> None:
    validate_phone("")


@time_machine.travel(TODAY, tick=False)
def test_date_window_says_the_allowed_range() -> None:
    start = DateWindow(past_years=5, future_years=1)
    start(dt.date(2027, 6, 15))
    start(dt.date(2021, 6, 15))
    with pytest.raises(ValidationError) as late:
        start(dt.date(2029, 1, 1))
    assert late.value.messages == [
        "Ngày 01/01/2029 quá xa: chỉ được đến 15/06/2027 (tối đa 1 năm sau hôm nay)."
    ]
    with pytest.raises(ValidationError) as early:
        start(dt.date(2020, 1, 1))
    assert early.value.messages == [
        "Ngày 01/01/2020 đã quá xa: chỉ được từ 15/06/2021 (tối đa 5 năm trước hôm nay)."
    ]
    with pytest.raises(ValidationError) as future:
        DateWindow(future_days=0)(dt.date(2026, 6, 16))
    assert future.value.messages == [
        "Ngày 16/06/2026 chưa đến: phải là hôm nay (15/06/2026) hoặc một ngày trước đó."
    ]
    DateWindow(future_days=0)(None)  # no date: left to required


@pytest.mark.django_db
def test_a_nul_in_a_query_string_is_a_400_with_a_reason(client: Any) -> None:
    response = client.get("/", {"q": "a\x00b"})
    assert response.status_code == 400
    assert "“q” có ký tự rỗng (NUL) không được phép" in response.content.decode()


@pytest.mark.django_db
def test_a_nul_in_an_api_body_is_a_400_problem(client: Any) -> None:
    response = client.post(
        "/api/v1/cases/intake", '{"subject": "a\\u0000b"}', content_type="application/json"
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["code"] == "nul_character"


def _form_classes() -> list[Any]:
    found = []
    for info in pkgutil.walk_packages(danvan.__path__, "danvan."):
        if ".tests" in info.name or ".migrations" in info.name or ".settings" in info.name:
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (
                inspect.isclass(value)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == module.__name__
            ):
                found.append(value)
    return found


def test_every_text_field_of_every_form_has_a_limit() -> None:
    # Forms built on BootstrapMixin get a limit for a text field that names none (checked
    # on a copy of each field); any other form must name its limits itself.
    missing = []
    classes = _form_classes()
    assert len(classes) > 50  # the walk found the site's forms
    for cls in classes:
        for name, field in cls.base_fields.items():
            if not isinstance(field, forms.CharField) or isinstance(
                field.widget, forms.PasswordInput | forms.HiddenInput
            ):
                continue
            if issubclass(cls, BootstrapMixin):
                field = copy.deepcopy(field)
                word_field(field)
            if field.max_length is None:
                missing.append(f"{cls.__module__}.{cls.__name__}.{name}")
    assert missing == []
