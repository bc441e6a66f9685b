"""Dates typed and shown one way, dd/mm/yyyy, whatever the browser's locale (issue 10).

The parser reads day first only; each refusal says why in Vietnamese; what was typed
stays in the field; pages show dates dd/mm/yyyy and months "tháng MM/yyyy" in every
interface language; no form of the site keeps Django's locale-dependent date field.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

import danvan
from danvan.accounts.testing import login_verified, make_user
from danvan.core.dates import DateTextError, format_date, parse_date, parse_month
from danvan.core.forms import DateField, DateInput, MonthField
from danvan.core.http import paginate
from danvan.legal.models import CalendarException

WRONG_FORMAT = "Ngày phải viết theo dạng ngày/tháng/năm (dd/mm/yyyy), ví dụ 07/12/2026."


class DayForm(forms.Form):
    day = DateField(label="Ngày")
    until = DateField(label="Đến ngày", required=False)
    month = MonthField(label="Tháng", required=False)


def errors(data: dict[str, str]) -> dict[str, list[str]]:
    form = DayForm(data)
    assert not form.is_valid()
    return {name: [str(m) for m in messages] for name, messages in form.errors.items()}


# --- parsing ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["07/12/2026", "7/12/2026", "07-12-2026", "07.12.2026", "07122026", " 07/12/2026 "],
)
def test_a_date_is_read_day_first(typed: str) -> None:
    assert parse_date(typed) == dt.date(2026, 12, 7)
    form = DayForm({"day": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == dt.date(2026, 12, 7)


def test_12_07_is_12_july_never_7_december() -> None:
    assert parse_date("12/07/2026") == dt.date(2026, 7, 12)


@pytest.mark.parametrize(
    "typed", ["2026-12-07", "7 tháng 12 2026", "07/12/26", "07/12-2026", "ngày mai", "1/1/1/2026"]
)
def test_other_formats_are_refused_with_the_format_and_an_example(typed: str) -> None:
    with pytest.raises(DateTextError) as exc:
        parse_date(typed)
    assert exc.value.code == "invalid"
    assert errors({"day": typed}) == {"day": [WRONG_FORMAT]}


def test_month_first_is_refused_with_the_order() -> None:
    # 12/31/2026 as an American browser would write it.
    (message,) = errors({"day": "12/31/2026"})["day"]
    assert message.startswith("Không có tháng 31: tháng phải từ 01 đến 12")
    assert "ngày trước, tháng sau" in message


def test_an_impossible_day_says_the_month_has_fewer_days() -> None:
    assert errors({"day": "31/02/2026"}) == {
        "day": ["Không có ngày 31/02/2026: tháng 02/2026 chỉ có 28 ngày."]
    }
    assert errors({"day": "31/04/2026"})["day"] == [
        "Không có ngày 31/04/2026: tháng 04/2026 chỉ có 30 ngày."
    ]
    assert "Không có ngày 00/05/2026" in errors({"day": "00/05/2026"})["day"][0]


def test_29_february_only_in_a_leap_year() -> None:
    assert parse_date("29/02/2024") == dt.date(2024, 2, 29)
    assert parse_date("29/02/2000") == dt.date(2000, 2, 29)
    assert errors({"day": "29/02/2026"})["day"] == [
        "Không có ngày 29/02/2026: tháng 02/2026 chỉ có 28 ngày."
    ]
    assert "chỉ có 28 ngày" in errors({"day": "29/02/2100"})["day"][0]  # not a leap year


@pytest.mark.parametrize("typed", ["31/12/1899", "01/01/2101", "01/01/0001", "31/12/9999"])
def test_years_outside_1900_2100_are_refused_with_the_range(typed: str) -> None:
    assert errors({"day": typed}) == {
        "day": ["Năm phải từ 1900 đến 2100 (ngày từ 01/01/1900 đến 31/12/2100)."]
    }
    assert parse_date("01/01/1900") == dt.date(1900, 1, 1)
    assert parse_date("31/12/2100") == dt.date(2100, 12, 31)


@pytest.mark.parametrize("typed", ["07/12/2026\x00", "\x00", "07/12/\x002026", "０７/12/2026"])
def test_nul_bytes_and_odd_digits_are_a_format_error(typed: str) -> None:
    assert errors({"day": typed}) == {"day": [WRONG_FORMAT]}


def test_an_empty_optional_date_is_none_and_dates_pass_through() -> None:
    form = DayForm({"day": "01/07/2026", "until": "  "})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["until"] is None
    field = DateField()
    assert field.clean(dt.date(2026, 7, 1)) == dt.date(2026, 7, 1)
    assert field.clean(dt.datetime(2026, 7, 1, 9, 30, tzinfo=dt.UTC)) == dt.date(2026, 7, 1)


def test_months_are_read_month_first_then_year() -> None:
    assert parse_month("07/2026") == (2026, 7)
    assert parse_month("7/2026") == (2026, 7)
    assert parse_month("07-2026") == (2026, 7)
    form = DayForm({"day": "01/07/2026", "month": "3/2026"})
    assert form.is_valid()
    assert form.cleaned_data["month"] == (2026, 3)
    assert errors({"day": "01/07/2026", "month": "2026-03"})["month"] == [
        "Tháng phải viết theo dạng tháng/năm (mm/yyyy), ví dụ 07/2026."
    ]
    assert errors({"day": "01/07/2026", "month": "13/2026"})["month"][0].startswith(
        "Không có tháng 13"
    )
    assert errors({"day": "01/07/2026", "month": "07/1800"})["month"][0].startswith("Năm phải")


# --- rendering ----------------------------------------------------------------------------


def test_the_field_is_text_with_a_day_first_placeholder() -> None:
    html = str(DayForm(initial={"day": dt.date(2026, 12, 7), "month": (2026, 7)})["day"])
    assert 'type="text"' in html
    assert 'value="07/12/2026"' in html
    assert 'placeholder="dd/mm/yyyy"' in html
    assert 'inputmode="numeric"' in html
    assert 'autocomplete="off"' in html
    assert 'maxlength="10"' in html
    assert "data-datefield" in html  # datefield.js adds the calendar button
    assert 'type="date"' not in html
    month = str(DayForm(initial={"month": (2026, 7)})["month"])
    assert 'value="07/2026"' in month
    assert 'placeholder="mm/yyyy"' in month


def test_what_was_typed_stays_in_the_field_after_an_error() -> None:
    form = DayForm({"day": "31/02/2026", "until": "12/31/2026", "month": "2026-7"})
    assert not form.is_valid()
    assert 'value="31/02/2026"' in str(form["day"])
    assert 'aria-invalid="true"' in str(form["day"])
    assert 'value="12/31/2026"' in str(form["until"])
    assert 'value="2026-7"' in str(form["month"])


def test_a_valid_date_is_written_back_day_first_in_english_too() -> None:
    with translation.override("en"):
        form = DayForm({"day": "7/12/2026"})
        assert form.is_valid()
        assert str(DayForm(initial={"day": form.cleaned_data["day"]})["day"]).count(
            'value="07/12/2026"'
        )


def test_extra_attributes_keep_the_defaults() -> None:
    widget = DateInput(attrs={"class": "form-control-sm", "placeholder": "ngày/tháng/năm"})
    html = widget.render("d", dt.date(2026, 1, 5))
    assert 'value="05/01/2026"' in html
    assert 'placeholder="ngày/tháng/năm"' in html
    assert 'class="form-control-sm"' in html
    assert "data-datefield" in html


# --- display ------------------------------------------------------------------------------


def render(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


@pytest.mark.parametrize("language", ["vi", "en"])
def test_dates_months_and_numbers_are_shown_the_vietnamese_way(language: str) -> None:
    day = dt.date(2026, 7, 1)
    moment = dt.datetime(2026, 7, 1, 8, 5, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with translation.override(language):
        assert render("{{ d|date }}", d=day) == "01/07/2026"
        assert render("{{ d|date:'SHORT_DATE_FORMAT' }}", d=day) == "01/07/2026"
        assert render("{{ d|date:'DATETIME_FORMAT' }}", d=moment) == "01/07/2026 08:05"
        assert render("{{ d|date:'YEAR_MONTH_FORMAT' }}", d=day) == "tháng 07/2026"
        assert render("{% load vn_dates %}{{ d|month_label }}", d=day) == "tháng 07/2026"
        assert render("{% load vn_dates %}{{ p|month_label }}", p=(2026, 12)) == "tháng 12/2026"
        assert render("{% load vn_dates %}{{ d|month_number }}", d=moment) == "07/2026"
        assert render("{% load vn_dates %}{{ x|month_label }}", x="") == ""
        assert render("{% load humanize %}{{ n|intcomma }}", n=1234567) == "1.234.567"
        assert render("{% load humanize %}{{ n|intcomma }}", n=Decimal("1234.5")) == "1.234,5"
        assert render("{{ n|floatformat:1 }}", n=12.5) == "12,5"
        assert render("{{ n|floatformat:'1g' }}", n=12345.25) == "12.345,3"
        assert render("{{ n }}", n=12.5) == "12,5"
        vn_number = "{% load entry_format %}{{ n|vn_number }}"
        assert render(vn_number, n=Decimal("1234567.50")) == "1.234.567,5"
        assert render(vn_number, n=1500000) == "1.500.000"
        # Years, ids and numbers inside URLs are never grouped ("2.026").
        assert render("{{ n }}", n=2026) == "2026"
        assert render("{{ n }}", n=1234567) == "1234567"


# --- query strings and posted forms ---------------------------------------------------------


def test_a_filter_date_survives_the_pager_links(rf: RequestFactory) -> None:
    request = rf.get("/x/", {"from": "07/12/2026", "to": "31/12/2026", "page": "2"})
    _page, query = paginate(request, CalendarException.objects.none(), 50)
    assert "page" not in query
    again = rf.get(f"/x/?{query}&page=3")
    form = DayForm({"day": again.GET["from"], "until": again.GET["to"]})
    assert form.is_valid()
    assert form.cleaned_data["day"] == dt.date(2026, 12, 7)
    assert form.cleaned_data["until"] == dt.date(2026, 12, 31)


@pytest.mark.django_db
def test_filter_pages_keep_the_typed_dates(client: Client) -> None:
    admin = make_user("qt.ngay", "system_admin", None)
    login_verified(client, admin)
    response = client.get(
        reverse("audit:list"), {"date_from": "01/03/2025", "date_to": "31/03/2025"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="01/03/2025"' in body
    assert 'value="31/03/2025"' in body
    bad = client.get(reverse("audit:list"), {"date_from": "31/02/2025"})
    assert "Không có ngày 31/02/2025" in bad.content.decode()
    assert 'value="31/02/2025"' in bad.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("07/12/2026\x00", WRONG_FORMAT),
        ("31/12/9999", "Năm phải từ 1900 đến 2100"),
        ("01/01/0001", "Năm phải từ 1900 đến 2100"),
        ("2026-12-07", WRONG_FORMAT),
        ("31/02/2026", "Không có ngày 31/02/2026"),
    ],
)
def test_a_posted_bad_date_is_a_400_that_changes_nothing(
    client: Client, typed: str, reason: str
) -> None:
    """Also on PostgreSQL: a NUL byte or a year beyond 9999 never reaches the database."""
    admin = make_user("qt.ngay", "system_admin", None)
    login_verified(client, admin)
    url = reverse("legal:day_add")
    response = client.post(url, {"date": typed, "kind": "day_off", "reason": "Nghỉ bù"})
    assert response.status_code == 400
    body = response.content.decode()
    assert reason in body
    assert 'id="error-summary"' in body
    assert not CalendarException.objects.exists()
    ok = client.post(url, {"date": "07/12/2026", "kind": "day_off", "reason": "Nghỉ bù"})
    assert ok.status_code == 302
    assert CalendarException.objects.get().date == dt.date(2026, 12, 7)


# --- one date field for the whole site ------------------------------------------------------


def _form_modules() -> Iterator[object]:
    for info in pkgutil.walk_packages(danvan.__path__, "danvan."):
        if re.search(r"\.forms(_\w+)?$", info.name) and ".tests" not in info.name:
            yield importlib.import_module(info.name)


def test_every_form_uses_the_one_date_field() -> None:
    offenders = []
    checked = 0
    for module in _form_modules():
        for obj in vars(module).values():
            if not (isinstance(obj, type) and issubclass(obj, forms.BaseForm)):
                continue
            declared: dict[str, forms.Field] = getattr(obj, "base_fields", {})
            for name, field in declared.items():
                if isinstance(field, forms.DateField | forms.DateTimeField):
                    checked += 1
                    if not isinstance(field, DateField):
                        offenders.append(f"{obj.__module__}.{obj.__name__}.{name}")
    assert checked > 20  # the walk found the site's forms
    assert offenders == []


def test_no_template_or_form_asks_the_browser_for_its_own_date_format() -> None:
    """Fields added in a form's __init__ and hand-written inputs escape the walk above."""
    root = Path(danvan.__file__).parent
    found = []
    for path in root.rglob("*"):
        if "tests" in path.parts or "migrations" in path.parts or not path.is_file():
            continue
        if path.suffix == ".html":
            text = path.read_text(encoding="utf-8")
            if re.search(r'type="(date|month|datetime-local)"', text):
                found.append(str(path.relative_to(root)))
        elif path.suffix == ".py" and re.search(
            r"forms\.(DateField|DateInput|DateTimeField)\(", path.read_text(encoding="utf-8")
        ):
            found.append(str(path.relative_to(root)))
    assert found == []


def test_format_date_is_what_the_field_reads_back() -> None:
    assert format_date(dt.date(2026, 12, 7)) == "07/12/2026"
    assert format_date(None) == ""
    assert parse_date(format_date(dt.date(1999, 1, 2))) == dt.date(1999, 1, 2)
