"""Issue 10, "units picked by name": a commune officer transfers a case to a unit chosen
by typing its name without diacritics, picking it from the suggestions with the keyboard
(the ARIA combobox of unitpicker.js), and the case goes to that unit."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from danvan.accounts.models import Role
from danvan.accounts.services import grant_create, user_create
from danvan.cases import services
from danvan.cases.identity import Identity
from danvan.cases.models import Case, Channel, Status
from danvan.units.models import Unit

from .test_movement_flow import PASSWORD, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def officer_and_case(new_page: Any) -> tuple[str, Case]:
    commune = Unit.objects.filter(parent__code="19").order_by("code").first()
    assert commune is not None
    user = user_create(actor=None, username="xa.chuyen", password=PASSWORD, full_name="Cán bộ")
    grant_create(actor=None, user=user, role=Role.OFFICER, unit=commune)
    case = services.case_receive(
        actor=user,
        unit=commune,
        kind="feedback",
        channel=Channel.LETTER,
        subject="Đường liên thôn xuống cấp",
        content="Đoạn đường từ thôn 3 đến thôn 5 có nhiều ổ gà.",
        sender=Identity(full_name="Trần Thị Bình", phone="0987000111"),
        received_on=timezone.localdate(),
    )
    return user.username, case


def test_transfer_to_a_unit_typed_without_diacritics(
    new_page: Any, officer_and_case: tuple[str, Case]
) -> None:
    username, case = officer_and_case
    target = Unit.objects.get(name="Phường Phan Đình Phùng", parent__code="19")
    page = new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, username)
    page.goto(case.get_absolute_url())
    page.locator("#action-transfer > summary").click()

    combobox = page.get_by_role("combobox", name="Đơn vị có thẩm quyền")
    combobox.click()
    combobox.press_sequentially("phan dinh phung", delay=30)
    listbox = page.locator(f"#{combobox.get_attribute('aria-controls')}")
    option = listbox.get_by_role("option", name="Phường Phan Đình Phùng")
    option.first.wait_for(state="visible")
    assert combobox.get_attribute("aria-expanded") == "true"
    assert "Thái Nguyên" in option.first.inner_text()  # the parent tells namesakes apart

    # Choose with the keyboard: the first suggestion becomes the active descendant.
    combobox.press("ArrowDown")
    active = combobox.get_attribute("aria-activedescendant")
    assert active
    assert page.locator(f"#{active}").get_attribute("data-code") == target.code
    combobox.press("Enter")
    assert combobox.get_attribute("aria-expanded") == "false"
    assert combobox.input_value() == "Phường Phan Đình Phùng — Thái Nguyên"
    hidden = page.locator("input[name='to_unit_code_pick']")
    assert hidden.input_value() == target.code

    transfer = page.locator("#action-transfer")
    transfer.get_by_role("button", name="Chuyển cơ quan có thẩm quyền").click()
    # The form posts and the page reloads: wait for the server to have written it.
    for _ in range(50):
        case.refresh_from_db()
        if case.status == Status.TRANSFERRED:
            break
        page.wait_for_timeout(200)
    assert case.status == Status.TRANSFERRED
    assert Case.objects.get(transferred_from=case).unit == target
    assert not errors, errors


def test_escape_closes_the_suggestions_and_typing_again_forgets_the_pick(
    new_page: Any, officer_and_case: tuple[str, Case]
) -> None:
    username, case = officer_and_case
    page = new_page()
    login(page, username)
    page.goto(case.get_absolute_url())
    page.locator("#action-transfer > summary").click()
    combobox = page.get_by_role("combobox", name="Đơn vị có thẩm quyền")
    combobox.click()
    combobox.press_sequentially("thai nguyen", delay=30)
    listbox = page.locator(f"#{combobox.get_attribute('aria-controls')}")
    listbox.get_by_role("option").first.wait_for(state="visible")
    combobox.press("Escape")
    assert combobox.get_attribute("aria-expanded") == "false"
    assert not listbox.is_visible()
    combobox.press("ArrowDown")  # reopens on the same suggestions
    assert combobox.get_attribute("aria-expanded") == "true"
    combobox.press("Enter")
    assert page.locator("input[name='to_unit_code_pick']").input_value() != ""
    combobox.press("End")
    combobox.press_sequentially(" x")
    assert page.locator("input[name='to_unit_code_pick']").input_value() == ""


def test_the_top_bar_switcher_picks_a_unit_with_the_keyboard(new_page: Any) -> None:
    """A province leader (90-odd communes) switches the working unit by typing a name."""
    province = Unit.objects.get(code="19")
    target = Unit.objects.get(name="Phường Phan Đình Phùng", parent=province)
    user = user_create(actor=None, username="tinh.lanhdao", password=PASSWORD, full_name="Lãnh đạo")
    grant_create(actor=None, user=user, role=Role.LEADER, unit=province)
    page = new_page()
    login(page, user.username)
    page.goto("/tai-khoan/")
    switcher = page.locator("#unit-switcher-unit")
    assert switcher.get_attribute("role") == "combobox"
    switcher.click()
    switcher.fill("")
    switcher.press_sequentially("phan dinh phung", delay=30)
    listbox = page.locator(f"#{switcher.get_attribute('aria-controls')}")
    listbox.get_by_role("option").first.wait_for(state="visible")
    switcher.press("ArrowDown")
    with page.expect_navigation():
        switcher.press("Enter")  # choosing submits the switcher's form
    assert page.locator("#unit-switcher-unit").input_value() == (
        "Phường Phan Đình Phùng — Thái Nguyên"
    )
    assert page.locator("input[name='unit_pick']").first.input_value() == target.code
