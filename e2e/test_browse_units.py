"""A demo administrator logs in (password + TOTP) and browses Thái Nguyên down to its villages."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from danvan.units.models import Unit, UnitKind

from .conftest import screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DEMO_PASSWORD = "danvan-demo-2025"


def _current_code(username: str) -> str:
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _login(page: Any, username: str) -> None:
    page.goto("/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def test_admin_browses_thai_nguyen_to_villages(page: Any) -> None:
    call_command("seed_demo", force=True, verbosity=0)
    _login(page, "admin")
    # Administrators must pass the second factor first.
    page.wait_for_url("**/xac-thuc-hai-buoc/**")
    page.get_by_label("Mã xác thực").fill(_current_code("admin"))
    page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_url(lambda url: "xac-thuc" not in url)

    page.goto("/don-vi/")
    page.get_by_role("link", name="Thái Nguyên", exact=True).first.click()
    page.wait_for_url("**/don-vi/19/")
    assert page.get_by_role("heading", name="Thái Nguyên").first.is_visible()

    village = (
        Unit.objects.filter(kind=UnitKind.VILLAGE, parent__parent__code="19")
        .select_related("parent")
        .order_by("path")
        .first()
    )
    assert village is not None, "seed_demo should create villages under Thái Nguyên's communes"
    commune = village.parent
    assert commune is not None
    page.get_by_role("link", name=commune.name, exact=True).first.click()
    page.wait_for_url(f"**/don-vi/{commune.code}/")
    assert page.get_by_text(village.name, exact=True).first.is_visible()
    page.get_by_role("link", name=village.name, exact=True).first.click()
    page.wait_for_url(f"**/don-vi/{village.code}/")
    assert page.get_by_text(str(village.households)).first.is_visible()
    screenshot(page, "admin-browses-village")


def test_tree_search_ignores_diacritics(page: Any) -> None:
    call_command("seed_demo", force=True, verbosity=0)
    _login(page, "tinh.canbo")
    page.wait_for_url(lambda url: "dang-nhap" not in url)
    page.goto("/don-vi/")
    box = page.get_by_label("Tìm đơn vị")
    expected = Unit.objects.filter(parent__code="19").order_by("path").first()
    assert expected is not None
    plain = expected.name_folded
    box.fill(plain)
    box.press("Enter")
    page.get_by_role("link", name=expected.name, exact=True).first.wait_for()
    screenshot(page, "search-without-diacritics")


def test_tree_expands_and_collapses_by_keyboard(page: Any) -> None:
    call_command("seed_demo", force=True, verbosity=0)
    _login(page, "tinh.canbo")
    page.wait_for_url(lambda url: "dang-nhap" not in url)
    page.goto("/don-vi/")
    province = Unit.objects.get(code="19")
    toggle = page.locator(f"#toggle-{province.pk}")
    toggle.focus()
    page.keyboard.press("Enter")
    first_commune = (
        Unit.objects.filter(parent=province, valid_to__isnull=True).order_by("name_folded").first()
    )
    assert first_commune is not None
    children = page.locator(f"#children-{province.pk}")
    children.get_by_role("link", name=first_commune.name, exact=True).first.wait_for()
    toggle = page.locator(f"#toggle-{province.pk}")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert toggle.locator(".when-open").is_visible()
    toggle.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        f"document.querySelector('#toggle-{province.pk}').getAttribute('aria-expanded') === 'false'"
    )
    children.wait_for(state="hidden")
    assert toggle.locator(".when-closed").is_visible()
    screenshot(page, "tree-collapsed")
