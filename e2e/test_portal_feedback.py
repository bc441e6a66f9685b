"""Issue 4, end to end in a real browser: a citizen sends feedback on the portal and gets a
code; a commune officer accepts it and answers; the citizen sees the answer by the code,
and nothing personal on the way."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.management import call_command

from danvan.cases.models import Case, Channel, Status
from danvan.units.demo import COMMUNE_CODES
from danvan.units.models import Unit

from .conftest import screenshot
from .test_movement_flow import login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NAME = "Nguyễn Thị Phản Ánh"
PHONE = "0912333444"
SUBJECT = "Cống thoát nước bị tắc trước chợ"
ANSWER = "Xã đã nạo vét cống thoát nước trước chợ ngày hôm qua."


def act(page: Any, button: str) -> Any:
    """Open an action's disclosure on the case page; it holds that action's own form."""
    exact = re.compile(f"^{re.escape(button)}$")
    details = page.locator("details").filter(has=page.locator("summary", has_text=exact))
    details.locator("summary").click()
    return details


def test_citizen_sends_feedback_officer_answers_citizen_reads_by_code(new_page: Any) -> None:
    call_command("seed_demo", force=True, verbosity=0)
    commune = Unit.objects.get(code=COMMUNE_CODES[0])

    # 1. A citizen, not logged in, sends feedback about their commune.
    citizen = new_page()
    citizen.goto("/cong-dan/")
    citizen.get_by_role("link", name=re.compile("Gửi phản ánh")).first.click()
    citizen.get_by_label("Tỉnh, thành phố nơi xảy ra sự việc").select_option(
        commune.parent.code if commune.parent else ""
    )
    # The province list submits itself (app.js); without JavaScript "Tiếp tục" does it.
    citizen.wait_for_url(re.compile(r"province=\d+"))
    citizen.get_by_label("Phản ánh", exact=False).first.check()
    citizen.get_by_label("Xã, phường, đặc khu nơi xảy ra sự việc").select_option(commune.code)
    citizen.get_by_label("Tóm tắt").fill(SUBJECT)
    citizen.get_by_label("Nội dung").fill("Mỗi khi mưa, nước tràn vào các ki-ốt phía trước chợ.")
    citizen.get_by_label("Họ và tên của bạn").fill(NAME)
    citizen.get_by_role("textbox", name="Số điện thoại").fill(PHONE)
    citizen.get_by_label(re.compile("^Tôi đồng ý")).check()
    citizen.get_by_role("button", name="Gửi", exact=True).click()
    citizen.wait_for_url(re.compile(r"/cong-dan/da-gui/$"))
    code = citizen.locator("#lookup-code").inner_text().strip()
    assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", code), code
    screenshot(citizen, "portal-1-code")
    case = Case.objects.get(lookup_code=code)
    assert (case.channel, case.kind, case.unit) == (Channel.PORTAL, "feedback", commune)

    # 2. The commune officer finds it in the unit's inbox, accepts it and answers.
    officer = new_page()
    login(officer, "xa.canbo")
    officer.goto("/vu-viec/?tab=inbox")
    officer.get_by_role("link", name=re.compile(re.escape(case.reference))).first.click()
    officer.wait_for_url(re.compile(r"/vu-viec/[0-9a-f-]{36}/$"))
    assert NAME not in officer.content()  # the case shows its pseudonym, not the sender
    accept = act(officer, "Thụ lý")
    accept.get_by_role("button", name="Thụ lý", exact=True).click()
    officer.wait_for_load_state()
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED, officer.locator("main").inner_text()[:500]
    resolve = act(officer, "Ghi kết quả giải quyết")
    resolve.get_by_label("Số, ký hiệu quyết định hoặc văn bản trả lời").fill("45/UBND-VP")
    resolve.get_by_label("Kết quả giải quyết").fill("Đã nạo vét cống, khơi thông dòng chảy.")
    resolve.get_by_label(re.compile("^Nội dung trả lời công khai")).fill(ANSWER)
    resolve.get_by_role("button", name="Ghi kết quả giải quyết", exact=True).click()
    officer.wait_for_load_state()
    case.refresh_from_db()
    assert case.status == Status.RESOLVED, officer.locator("main").inner_text()[:500]
    screenshot(officer, "portal-2-officer-resolved")

    # 3. The citizen looks the case up by its code and reads the answer; nothing personal.
    citizen.goto("/cong-dan/tra-cuu/")
    citizen.get_by_label("Mã tra cứu").fill(code.lower().replace("-", " "))
    citizen.get_by_role("button", name="Tra cứu").click()
    citizen.wait_for_load_state()
    page_text = citizen.locator("main").inner_text()
    assert ANSWER in page_text
    assert "45/UBND-VP" in page_text
    assert "Đã giải quyết" in page_text
    html = citizen.content()
    for secret in (NAME, PHONE, case.alias):
        assert secret not in html
    screenshot(citizen, "portal-3-answer")
