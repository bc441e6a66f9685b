"""Errors in a real browser: the Vietnamese pages in the site's layout, and an htmx
request that fails shows its error fragment where the person is looking (htmx does not
swap 4xx/5xx answers by itself: static/danvan/errors.js lets it for the site's errors)."""

from __future__ import annotations

from typing import Any

import pytest

from danvan.accounts.models import Role
from danvan.accounts.testing import make_user
from danvan.units.models import Unit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "mat-khau-thu-nghiem-2026"


def _login_officer(page: Any) -> None:
    commune = Unit.objects.filter(parent__code="19").order_by("code").first()
    user = make_user("canbo.loi", Role.OFFICER, commune)
    user.set_password(PASSWORD)
    user.save()
    page.goto("/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("canbo.loi")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "dang-nhap" not in url)


def test_error_pages_and_htmx_fragments(page: Any) -> None:
    _login_officer(page)
    response = page.goto("/khong-co-trang-nay/")
    assert response.status == 404
    assert page.get_by_role(
        "heading", name="Không tìm thấy trang hoặc hồ sơ (lỗi 404)"
    ).is_visible()
    assert page.get_by_role("navigation", name="Điều hướng chính").is_visible()
    assert page.get_by_role("link", name="Về trang chủ").is_visible()

    # A refused partial update: the 403 fragment replaces the target, no full page inside.
    page.goto("/")
    page.evaluate("htmx.ajax('GET', '/quy-dinh/them/', {target: '#main', swap: 'innerHTML'})")
    heading = page.locator("#main").get_by_role("heading", name="Không có quyền (lỗi 403)")
    heading.wait_for()
    assert page.locator("#main").get_by_text("Chỉ quản trị hệ thống được sửa").is_visible()
    assert page.locator("#main nav").count() == 0

    page.evaluate("htmx.ajax('GET', '/khong-co/', {target: '#main', swap: 'innerHTML'})")
    page.locator("#main").get_by_role(
        "heading", name="Không tìm thấy trang hoặc hồ sơ (lỗi 404)"
    ).wait_for()
