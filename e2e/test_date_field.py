"""Issue 10, "dates one way": in a browser whose locale writes dates month first (en-US)
or with dots (de-DE), a date typed 07/12/2026 is stored as 7 December 2026, an impossible
date is refused with the reason and stays as typed, and the calendar button writes the
chosen day back as dd/mm/yyyy."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from danvan.accounts.models import Role
from danvan.accounts.services import grant_create, user_create
from danvan.legal.models import CalendarException

from .conftest import screenshot
from .test_movement_flow import PASSWORD, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DAY_ADD = "/quy-dinh/ngay-nghi/them/"
RULES = "/quy-dinh/"


@pytest.fixture
def admin(django_db_blocker: Any) -> str:
    with django_db_blocker.unblock():
        call_command("load_units", verbosity=0)
    user = user_create(actor=None, username="quantri.ngay", password=PASSWORD, full_name="Quản trị")
    grant_create(actor=None, user=user, role=Role.SYSTEM_ADMIN, unit=None)
    TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    return user.username


@pytest.fixture(params=["en-US", "de-DE"])
def foreign_page(request: Any, browser: Any, live_server: Any) -> Iterator[Any]:
    """A page in a browser that speaks another language and writes dates its own way."""
    context = browser.new_context(base_url=live_server.url, locale=request.param)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"script errors on the page: {errors}"


def _add_day(page: Any, typed: str, reason: str) -> None:
    page.goto(DAY_ADD)
    page.locator("#id_date").fill(typed)
    page.locator("#id_kind").select_option("day_off")
    page.locator("#id_reason").fill(reason)
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_load_state()


def test_a_date_typed_day_first_is_stored_as_typed(foreign_page: Any, admin: str) -> None:
    page = foreign_page
    login(page, admin)
    # The browser really is foreign: its own format would read 07/12 as July 12th (en-US)
    # or write 7.12.2026 (de-DE).
    native = page.evaluate("new Intl.DateTimeFormat().format(new Date(2026, 11, 7))")
    assert native in {"12/7/2026", "7.12.2026"}

    page.goto(DAY_ADD)
    field = page.locator("#id_date")
    assert field.get_attribute("type") == "text"
    assert field.get_attribute("placeholder") == "dd/mm/yyyy"

    # An impossible day: refused with the reason, nothing stored, what was typed kept.
    _add_day(page, "31/02/2026", "Nghỉ bù")
    assert "Không có ngày 31/02/2026" in page.locator("#error-summary").inner_text()
    assert page.locator("#id_date").input_value() == "31/02/2026"
    assert not CalendarException.objects.exists()

    # Day first, whatever the browser: 07/12/2026 is 7 December 2026.
    _add_day(page, "07/12/2026", "Nghỉ bù ngày lễ")
    page.wait_for_url(f"**{RULES}")
    assert CalendarException.objects.get(reason="Nghỉ bù ngày lễ").date == dt.date(2026, 12, 7)
    assert "07/12/2026 · " in page.locator("main").inner_text()

    # The calendar button: it starts from the typed day, and the day picked on the
    # browser's calendar comes back as dd/mm/yyyy (the picker itself is the browser's
    # own window, which a script cannot click: its "change" is dispatched instead).
    page.goto(DAY_ADD)
    page.locator("#id_date").fill("8/12/2026")
    screenshot(page, f"date-field-{page.evaluate('navigator.language')}")
    button = page.get_by_role("button", name="Chọn ngày trên lịch")
    button.click()
    hidden = page.locator(".datefield-native")
    assert hidden.input_value() == "2026-12-08"
    assert hidden.get_attribute("name") is None  # never posted
    page.keyboard.press("Escape")
    # From the keyboard: Alt+Down in the text field opens the same calendar.
    page.locator("#id_date").fill("10/12/2026")
    page.locator("#id_date").press("Alt+ArrowDown")
    assert hidden.input_value() == "2026-12-10"
    page.keyboard.press("Escape")
    hidden.evaluate(
        "el => { el.value = '2026-12-09'; el.dispatchEvent(new Event('change', {bubbles: true})); }"
    )
    assert page.locator("#id_date").input_value() == "09/12/2026"
    page.locator("#id_kind").select_option("working_day")
    page.locator("#id_reason").fill("Làm bù")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(f"**{RULES}")
    assert CalendarException.objects.get(reason="Làm bù").date == dt.date(2026, 12, 9)
