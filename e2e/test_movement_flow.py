"""Issue 3, end to end in a real browser: a commune officer registers an initiative, the
province opens an evaluation round, two reviewers score it, the administrator confirms,
and the province's statistics page shows it recognized."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from danvan.accounts.models import Role
from danvan.accounts.services import grant_create, user_create
from danvan.movement.models import Entry, Status
from danvan.units.models import Unit

from .conftest import screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "danvan-demo-2025"
NAME = "Mô hình “Ngõ xóm sáng – xanh – sạch” thử nghiệm"


def login(page: Any, username: str) -> None:
    page.goto("/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "dang-nhap" not in url)
    if "xac-thuc-hai-buoc" in page.url:
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        page.get_by_label("Mã xác thực").fill(f"{code:06d}")
        page.get_by_role("button", name="Xác nhận").click()
        page.wait_for_url(lambda url: "xac-thuc" not in url)


def _errors(page: Any) -> str:
    summary = page.locator("#error-summary")
    return summary.inner_text() if summary.count() else page.url


def act(page: Any, entry: Entry, button: str) -> None:
    page.goto(entry.get_absolute_url())
    # Each action is a disclosure (<details>): open it, then press its button.
    details = page.locator("details").filter(has=page.locator("summary", has_text=button))
    details.locator("summary").click()
    details.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()


def test_register_evaluate_recognize_count(new_page: Any) -> None:
    call_command("seed_demo", force=True, verbosity=0)
    province = Unit.objects.get(code="19")
    second = user_create(
        actor=None, username="tinh.danhgia2", password=PASSWORD, full_name="Lê Thị Hoa"
    )
    grant_create(actor=None, user=second, role=Role.REVIEWER, unit=province)
    year = timezone.localdate().year

    # 1. The commune officer registers the initiative.
    officer = new_page()
    login(officer, "xa.canbo")
    officer.goto("/dan-van-kheo/mo-hinh/dang-ky/")
    officer.get_by_label("Tên mô hình, điển hình").fill(NAME)
    officer.get_by_label("Loại").select_option("initiative")
    officer.get_by_label("Lĩnh vực").select_option(label="Văn hóa – xã hội")
    officer.get_by_label("Năm đăng ký").fill(str(year))
    officer.get_by_label("Mục tiêu").fill("Mọi ngõ xóm có đèn chiếu sáng và cây xanh.")
    officer.get_by_role("button", name="Lưu và đăng ký").click()
    officer.wait_for_url(re.compile(r"/mo-hinh/[0-9a-f-]{36}/$"))
    entry = Entry.objects.get(name=NAME)
    assert entry.status == Status.REGISTERED
    screenshot(officer, "movement-1-registered")

    # 2. The province (the managing body) accepts; the commune carries it out and submits.
    province_officer = new_page()
    login(province_officer, "tinh.canbo")
    act(province_officer, entry, "Tiếp nhận")
    act(officer, entry, "Bắt đầu thực hiện")
    act(officer, entry, "Đề nghị đánh giá, công nhận")
    entry.refresh_from_db()
    assert entry.status == Status.SUBMITTED

    # 3. The province administrator opens a round with two reviewers.
    admin = new_page()
    login(admin, "tinh.quantri")
    admin.goto("/dan-van-kheo/danh-gia/mo-dot/?unit=19")
    admin.get_by_label("Tên đợt đánh giá").fill(f"Đánh giá mô hình năm {year}")
    admin.locator("#id_year").fill(str(year))
    admin.get_by_label("Bộ tiêu chí").select_option(index=1)
    admin.get_by_label("Ngõ xóm sáng – xanh – sạch").check()
    admin.get_by_label("(tinh.danhgia)").check()
    admin.get_by_label("(tinh.danhgia2)").check()
    admin.get_by_role("button", name="Mở đợt đánh giá").click()
    admin.wait_for_load_state()
    assert re.search(r"/danh-gia/[0-9a-f-]{36}/$", admin.url), _errors(admin)
    round_url = admin.url
    screenshot(admin, "movement-2-round-opened")

    # 4. Both reviewers score every criterion and submit.
    for username, points in (("tinh.danhgia", "9"), ("tinh.danhgia2", "8")):
        reviewer = new_page()
        login(reviewer, username)
        reviewer.goto(round_url)
        card = reviewer.locator("section.card", has_text=NAME)
        boxes = card.locator("input[type=number]")
        for i in range(boxes.count()):
            boxes.nth(i).fill(points)
        card.get_by_role("button", name="Lưu điểm").click()
        reviewer.locator("section.card", has_text=NAME).get_by_text("Đã lưu điểm.").wait_for()
        reviewer.get_by_role("button", name="Nộp phiếu chấm").click()
        reviewer.get_by_text("Bạn đã nộp phiếu chấm").wait_for()
    screenshot(reviewer, "movement-3-scored")

    # 5. The administrator confirms with the recognition decision.
    admin.goto(round_url + "xac-nhan/")
    admin.get_by_label("Số, ký hiệu quyết định").fill("45/QĐ-UBND")
    admin.get_by_label("Ngày ban hành").fill(f"{timezone.localdate():%d/%m/%Y}")
    admin.get_by_label("Cơ quan ban hành").fill("UBND tỉnh Thái Nguyên")
    admin.get_by_role("button", name="Xác nhận kết quả").click()
    admin.wait_for_load_state()
    entry.refresh_from_db()
    assert entry.status in (Status.RECOGNIZED, Status.EXEMPLARY)
    assert entry.recognized_on is not None

    # 6. The province's statistics show it recognized, and the number opens its list.
    admin.goto(f"/dan-van-kheo/thong-ke/?unit={province.code}&year={year}")
    screenshot(admin, "movement-4-statistics")
    recognized = Entry.objects.filter(
        unit__path__startswith=province.path, registration_year=year, recognized_on__isnull=False
    ).count()
    assert recognized >= 1
    link = admin.locator(f"a[href*='milestone=recognized'][href*='year={year}']").first
    assert link.inner_text().strip().replace(".", "") == str(recognized)
    link.click()
    admin.get_by_role("link", name=NAME).first.wait_for()
    screenshot(admin, "movement-5-list-behind-the-number")
