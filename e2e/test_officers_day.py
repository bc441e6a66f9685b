"""Issue 10, "done when": the officer's day in a real browser, at 1366×768, 1024×768 and
360×740, in browsers that write dates their own way.

A commune officer signs in and sees an overdue case at the top of the home page's list of
what needs doing, opens it from there, records a handling step on a date typed dd/mm/yyyy
(stored as typed whatever the browser's locale), and transfers the case to a unit chosen
by typing its name without diacritics. A provincial leader follows every entry of the top
bar's menus and never meets a 403; neither page scrolls sideways.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from danvan.accounts.models import Role
from danvan.accounts.services import grant_create, user_create
from danvan.cases import services
from danvan.cases.identity import Identity
from danvan.cases.models import Case, CaseStep, Channel, Status
from danvan.units.models import Unit

from .test_movement_flow import PASSWORD, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENS = [
    pytest.param(((1366, 768), "vi-VN"), id="1366x768-vi"),
    pytest.param(((1024, 768), "en-US"), id="1024x768-en"),
    pytest.param(((360, 740), "de-DE"), id="360x740-de"),
]


@pytest.fixture
def screen(request: Any, browser: Any, live_server: Any, django_db_blocker: Any) -> Iterator[Any]:
    (width, height), locale = request.param
    with django_db_blocker.unblock():
        call_command("load_units", verbosity=0)
    context = browser.new_context(
        base_url=live_server.url, locale=locale, viewport={"width": width, "height": height}
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"script errors on the page: {errors}"


def _no_sideways_scroll(page: Any) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow} px"


def _step_day(received: dt.date, today: dt.date) -> dt.date:
    """A day between *received* and *today* whose day and month differ and could be read
    the other way round (day ≤ 12): a browser that swapped them would store another day."""
    day = today
    while day >= received:
        if day.day <= 12 and day.day != day.month:
            return day
        day -= dt.timedelta(days=1)
    raise AssertionError("no such day in the range")


@pytest.mark.parametrize("screen", SCREENS, indirect=True)
def test_the_officers_day(screen: Any) -> None:
    page = screen
    today = timezone.localdate()
    commune = Unit.objects.filter(parent__code="19", kind="commune").order_by("code")[0]
    officer = user_create(actor=None, username="xa.canbo", password=PASSWORD, full_name="Cán bộ")
    grant_create(actor=None, user=officer, role=Role.OFFICER, unit=commune)
    received = today - dt.timedelta(days=40)

    def feedback(subject: str, sender: str, on: dt.date, due: dt.date) -> Case:
        case = services.case_receive(
            actor=officer,
            unit=commune,
            kind="feedback",
            channel=Channel.LETTER,
            subject=subject,
            content=f"{subject}.",
            sender=Identity(full_name=sender, phone="0987000111"),
            received_on=on,
        )
        Case.objects.filter(pk=case.pk).update(due_date=due)
        return case

    case = feedback("Đèn đường thôn 3 hỏng", "Trần Thị Bình", received, today - dt.timedelta(3))
    # Another case later due, so the overdue one has to be first, not alone.
    feedback("Rác thải tồn đọng ở chợ", "Lê Văn Cường", today, today + dt.timedelta(days=2))
    target = Unit.objects.get(name="Phường Phan Đình Phùng", parent__code="19")

    login(page, officer.username)
    page.goto("/")
    _no_sideways_scroll(page)
    first = page.locator("#worklist-items > li").first
    assert first.get_attribute("data-source") == "cases.overdue"
    assert "Đèn đường thôn 3 hỏng" in first.inner_text()
    assert "Quá hạn" in first.inner_text()
    first.get_by_role("link").click()
    page.wait_for_url(f"**{case.get_absolute_url()}")
    _no_sideways_scroll(page)

    # A handling step on a day typed dd/mm/yyyy, whatever the browser's own format.
    day = _step_day(received, today)
    step = page.locator("#action-add_step")
    step.locator("summary").click()
    step.get_by_label("Loại bước").select_option("verify")
    date_input = step.locator("input[name='on'][type='text']")
    date_input.fill(f"{day:%d/%m/%Y}")
    step.get_by_label("Nội dung").fill("Đã kiểm tra hiện trường cùng trưởng thôn.")
    step.get_by_role("button").last.click()
    page.wait_for_load_state()
    for _ in range(50):
        if CaseStep.objects.filter(case=case).exists():
            break
        page.wait_for_timeout(200)
    assert CaseStep.objects.get(case=case).on == day

    # Transfer to a unit typed without diacritics, picked from the suggestions.
    page.goto(case.get_absolute_url())
    transfer = page.locator("#action-transfer")
    transfer.locator("summary").click()
    combobox = page.get_by_role("combobox", name="Đơn vị có thẩm quyền")
    combobox.click()
    combobox.press_sequentially("phan dinh phung", delay=30)
    listbox = page.locator(f"#{combobox.get_attribute('aria-controls')}")
    listbox.get_by_role("option", name="Phường Phan Đình Phùng").first.wait_for(state="visible")
    _no_sideways_scroll(page)
    combobox.press("ArrowDown")
    combobox.press("Enter")
    transfer.get_by_role("button", name="Chuyển cơ quan có thẩm quyền").click()
    for _ in range(50):
        case.refresh_from_db()
        if case.status == Status.TRANSFERRED:
            break
        page.wait_for_timeout(200)
    assert case.status == Status.TRANSFERRED
    assert Case.objects.get(transferred_from=case).unit == target
    # Done: the case leaves the officer's list of what needs doing.
    page.goto("/")
    assert "Đèn đường thôn 3 hỏng" not in page.locator("#worklist").inner_text()


@pytest.mark.parametrize("screen", SCREENS[:2], indirect=True)
def test_a_leader_never_meets_a_403_from_the_menus(screen: Any) -> None:
    page = screen
    province = Unit.objects.get(code="19")
    leader = user_create(
        actor=None, username="tinh.lanhdao", password=PASSWORD, full_name="Lãnh đạo"
    )
    grant_create(actor=None, user=leader, role=Role.LEADER, unit=province)
    login(page, leader.username)
    page.goto("/")
    links = page.eval_on_selector_all(
        "nav .dropdown-menu a[href], nav .navbar-nav > li > a.nav-link[href]",
        "els => els.map(e => e.getAttribute('href'))",
    )
    entries = sorted({h for h in links if h.startswith("/") and not h.startswith("//")})
    assert len(entries) >= 8, entries
    for href in entries:
        response = page.goto(href)
        assert response is not None
        assert response.status != 403, f"{href} answers 403 to a leader"
        assert response.status < 400, f"{href} answers {response.status}"
        _no_sideways_scroll(page)
