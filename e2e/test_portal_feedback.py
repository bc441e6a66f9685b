"""Issues 4 and 14, end to end in a real browser: a citizen sends feedback with a photo on
the portal and gets a code; a commune officer accepts it and answers; the citizen finds it
again from this device's list (no code typed, none in a URL), reads the answer and says it
was partly resolved; nothing personal on the way."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core.management import call_command
from PIL import Image

from danvan.cases.models import Case, Channel, CitizenVerdict, Status
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
    photo = io.BytesIO()
    Image.new("RGB", (320, 240), (90, 120, 200)).save(photo, format="JPEG")
    citizen.get_by_label("Ảnh chụp sự việc (không bắt buộc)").set_input_files(
        files=[{"name": "cong.jpg", "mimeType": "image/jpeg", "buffer": photo.getvalue()}]
    )
    citizen.get_by_label(re.compile("^Tôi đồng ý")).check()
    # The anti-abuse check refuses a form posted within 3 s of being rendered.
    citizen.wait_for_timeout(3200)
    citizen.get_by_role("button", name="Gửi", exact=True).click()
    citizen.wait_for_url(re.compile(r"/cong-dan/da-gui/$"))
    code = citizen.locator("#lookup-code").inner_text().strip()
    assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", code), code
    screenshot(citizen, "portal-1-code")
    case = Case.objects.get(lookup_code=code)
    assert (case.channel, case.kind, case.unit) == (Channel.PORTAL, "feedback", commune)
    assert case.documents.filter(citizen_photo=True, public=False).count() == 1

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

    # 3. The citizen comes back on the same device: the case is listed (the code is in a
    # signed cookie, not in the page nor in a URL); they read the answer.
    citizen.goto("/cong-dan/tra-cuu/")
    assert code not in citizen.content()
    citizen.get_by_role("button", name=re.compile("^Xem tiến độ phản ánh")).first.click()
    citizen.wait_for_load_state()
    assert code not in citizen.url
    page_text = citizen.locator("main").inner_text()
    assert ANSWER in page_text
    assert "45/UBND-VP" in page_text
    assert "Đã giải quyết" in page_text
    html = citizen.content()
    for secret in (NAME, PHONE, case.alias):
        assert secret not in html
    screenshot(citizen, "portal-3-answer")

    # 4. Asked "was it resolved?", the citizen answers "partly".
    citizen.get_by_label("Giải quyết một phần").check()
    citizen.get_by_label("Ý kiến thêm (không bắt buộc)").fill("Còn một đoạn cống chưa thông.")
    citizen.get_by_role("button", name="Gửi đánh giá").click()
    citizen.wait_for_load_state()
    assert "Cảm ơn bạn" in citizen.locator("main").inner_text()
    verdict = CitizenVerdict.objects.get(case=case)
    assert verdict.answer == "partly"
    screenshot(citizen, "portal-4-verdict")

    # 5. Typing the code still works, in any case and spacing.
    citizen.goto("/cong-dan/tra-cuu/")
    citizen.get_by_label("Mã tra cứu").fill(code.lower().replace("-", " "))
    citizen.get_by_role("button", name="Tra cứu", exact=True).click()
    citizen.wait_for_load_state()
    assert ANSWER in citizen.locator("main").inner_text()
    assert "Bạn đã đánh giá" in citizen.locator("main").inner_text()
