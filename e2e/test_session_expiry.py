"""Issue 10, "work not lost", in a real browser with a session of a few seconds: the
warning opens before the end with the focus on "Tiếp tục làm việc", pressing it keeps the
person signed in past the old end, working in another tab postpones the warning, and once
the time is gone the dialog says so and offers to sign in again in a new tab."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from danvan.accounts.models import Role
from danvan.accounts.services import grant_create, user_create
from danvan.movement.models import Entry
from danvan.units.models import Unit

from .test_movement_flow import PASSWORD, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Short enough for a test, long enough for a loaded machine to log in and click.
IDLE = 16
WARN = 8
PROFILE = "/tai-khoan/"


@pytest.fixture
def officer(settings: Any, new_page: Any) -> str:
    # The live server runs in this process: the override reaches its requests.
    settings.SESSION_COOKIE_AGE = IDLE
    settings.SESSION_WARNING_SECONDS = WARN
    commune = Unit.objects.filter(parent__parent__isnull=True, parent__isnull=False).first()
    user = user_create(actor=None, username="xa.phien", password=PASSWORD, full_name="Cán bộ")
    grant_create(actor=None, user=user, role=Role.OFFICER, unit=commune)
    return user.username


def _session_end() -> dt.datetime:
    return Session.objects.order_by("-expire_date").values_list("expire_date", flat=True)[0]


def test_warning_stay_signed_in_other_tab_and_end(new_page: Any, officer: str) -> None:
    page = new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, officer)
    page.goto(PROFILE)
    dialog = page.get_by_role("alertdialog")
    continue_button = dialog.get_by_role("button", name="Tiếp tục làm việc")

    # The warning opens WARN seconds before the end, with the focus on its button.
    dialog.wait_for(state="visible", timeout=(IDLE + 5) * 1000)
    assert "Phiên làm việc sắp hết hạn" in dialog.inner_text()
    page.wait_for_function(
        "document.activeElement && document.activeElement.hasAttribute('data-session-continue')"
    )
    end_before = _session_end()

    # "Tiếp tục làm việc" renews the session on the server and closes the dialog.
    continue_button.click()
    dialog.wait_for(state="hidden")
    assert _session_end() > end_before
    # Past the old end the person is still signed in.
    wait_s = max(0.0, (end_before - timezone.now()).total_seconds()) + 1
    page.wait_for_timeout(wait_s * 1000)
    page.goto(PROFILE)
    assert "dang-nhap" not in page.url

    # Working in another tab postpones the warning in this one.
    other = page.context.new_page()
    page.wait_for_timeout((IDLE - WARN - 3) * 1000)
    other.goto(PROFILE)
    page.wait_for_timeout(4000)  # past the moment this tab alone would have warned
    assert not dialog.is_visible()
    other.close()

    # With no activity at all the session ends: the dialog says so and offers to sign in
    # again in a new tab, leaving this page (and what is typed on it) as it is.
    expired = dialog.get_by_text("Phiên làm việc đã kết thúc", exact=False).first
    expired.wait_for(state="visible", timeout=(IDLE + 10) * 1000)
    again = dialog.get_by_role("link", name="Đăng nhập lại (mở thẻ mới)")
    assert again.get_attribute("target") == "_blank"
    assert "/tai-khoan/dang-nhap/?next=" in (again.get_attribute("href") or "")
    assert not continue_button.is_visible()
    assert not errors, errors


def test_a_form_sent_after_the_session_ended_comes_back_after_login(
    new_page: Any, officer: str
) -> None:
    page = new_page()
    login(page, officer)
    page.goto("/dan-van-kheo/mo-hinh/dang-ky/")
    page.get_by_label("Tên mô hình, điển hình").fill("Ngõ xóm sáng – xanh – sạch")
    content = "Vận động 120 hộ góp ngày công, hiến đất làm đường; " * 20
    page.locator("textarea[name=content_method]").fill(content)
    # The session ends while the person is typing (as after SESSION_IDLE_SECONDS); the
    # duplicate check's htmx request, which would renew it, has answered first.
    page.locator("textarea[name=content_method]").blur()
    page.wait_for_load_state("networkidle")
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    page.get_by_role("button", name="Lưu nháp").click()
    page.wait_for_url("**/dang-nhap/**")
    assert "Nội dung bạn nhập đã được giữ lại" in page.inner_text("main")
    assert not Entry.objects.exists()

    page.get_by_label("Tên đăng nhập").fill(officer)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/mo-hinh/dang-ky/**")
    assert "Phiên làm việc đã hết hạn; nội dung bạn nhập đã được giữ lại" in page.inner_text("main")
    assert page.get_by_label("Tên mô hình, điển hình").input_value() == "Ngõ xóm sáng – xanh – sạch"
    assert page.locator("textarea[name=content_method]").input_value().strip() == content.strip()
    assert not Entry.objects.exists()  # nothing saved until the person sends it again
