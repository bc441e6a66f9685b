"""Issue 12, "done when": every "giao …" followed to the end, in a real browser.

A provincial officer records a half-year review conference, pastes its conclusion and
confirms the three tasks the system proposes, assigned to two communes; a commune officer
reports progress on one and closes it with its deliverable (the province accepts it); the
time passes the other commune's due date (frozen), the daily ladder reminds, then urges;
the province's board shows one task done on time, one overdue with its urging step, one
not yet due.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from danvan.accounts.models import Role
from danvan.accounts.services import grant_create, user_create
from danvan.directives.tasks.ladder import ladder_run
from danvan.directives.tasks.models import EventKind, Task, TaskEvent
from danvan.units.models import Unit

from .test_movement_flow import PASSWORD, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = dt.date(2027, 7, 19)  # no holiday in the fortnight that follows
CONCLUSION = (
    "Hội nghị thống nhất đánh giá 6 tháng đầu năm các xã, phường đã thực hiện tốt Luật"
    " Thực hiện dân chủ ở cơ sở.\n"
    "1. Giao Ủy ban nhân dân phường Phan Đình Phùng tổ chức hội nghị đối thoại với Nhân dân"
    " về giải phóng mặt bằng, báo cáo kết quả trước ngày 30/7/2027.\n"
    "2. Giao Ủy ban nhân dân xã Tân Cương rà soát việc công khai thông tin ở cơ sở, báo cáo"
    " kết quả trước ngày 23/7/2027.\n"
    "3. Giao Ủy ban nhân dân phường Phan Đình Phùng kiện toàn Ban Thanh tra nhân dân, báo cáo"
    " kết quả trước ngày 30/9/2027."
)


def _left(page: Any, fragment: str) -> None:
    """Wait until the form posted leaves the page whose URL holds *fragment*; say why not."""
    page.wait_for_load_state()
    if fragment in page.url:
        summary = page.locator("#error-summary, .invalid-feedback, .alert-danger")
        raise AssertionError(f"{page.url}: {summary.all_inner_texts()}")


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 9, 0, tzinfo=HCM)


@pytest.fixture
def frozen() -> Iterator[Any]:
    # tick: the live server's requests still see time pass (sessions, CSRF, timestamps).
    with time_machine.travel(_at(MONDAY), tick=True) as traveller:
        yield traveller


def test_a_conclusion_becomes_tasks_followed_to_the_board(
    new_page: Any, frozen: Any, django_db_blocker: Any
) -> None:
    province = Unit.objects.get(code="19")
    ward = Unit.objects.get(code="05443")  # Phường Phan Đình Phùng
    commune = Unit.objects.get(code="05503")  # Xã Tân Cương
    for username, unit in (("tinh-chidao", province), ("phuong-canbo", ward)):
        user = user_create(actor=None, username=username, password=PASSWORD, full_name=username)
        grant_create(actor=None, user=user, role=Role.OFFICER, unit=unit)

    # The province records the review and its conclusion.
    page = new_page()
    login(page, "tinh-chidao")
    page.goto(f"/hoi-nghi/ghi/?unit={province.code}")
    page.get_by_label("Loại hội nghị").select_option("half_year_review")
    page.get_by_label("Tên hội nghị").fill("Hội nghị sơ kết 6 tháng đầu năm 2027")
    page.locator("#id_held_on").fill("16/07/2027")
    page.get_by_label("Năm được sơ kết, tổng kết").fill("2027")
    page.get_by_label("Sáu tháng (với hội nghị sơ kết 6 tháng)").select_option("1")
    page.get_by_role("button", name="Lưu").click()
    _left(page, "/ghi/")
    conference_url = page.url
    page.goto(conference_url.rstrip("/") + "/ket-luan/")
    page.get_by_label("Kết luận của hội nghị").fill(CONCLUSION)
    page.get_by_role("button", name="Lưu").click()
    _left(page, "/ket-luan/")

    # Proposed from the conclusion: three tasks, confirmed as proposed.
    page.get_by_role("link", name="Đề xuất nhiệm vụ từ kết luận").click()
    page.get_by_role("button", name="Đề xuất nhiệm vụ").click()
    page.wait_for_selector("#p1")
    assert page.locator("section.card").count() == 3, page.content()[:3000]
    page.get_by_role("button", name="Tạo nhiệm vụ").click()
    _left(page, "de-xuat")
    tasks = {t.lead_unit_id: t for t in Task.objects.filter(due_on=dt.date(2027, 7, 23))}
    assert Task.objects.count() == 3
    assert set(Task.objects.values_list("lead_unit_id", flat=True)) == {ward.pk, commune.pk}
    late = tasks[commune.pk]
    done = Task.objects.get(lead_unit=ward, due_on=dt.date(2027, 7, 30))
    assert late.source_paragraph.startswith("2. Giao") or "Tân Cương" in late.source_paragraph

    # The ward reports progress, then closes its task with the deliverable.
    ward_page = new_page()
    login(ward_page, "phuong-canbo")
    ward_page.goto(done.get_absolute_url())
    ward_page.locator("#action-report").click()
    ward_page.get_by_label("Tiến độ (%)").fill("60")
    ward_page.get_by_label("Nội dung đã thực hiện, kết quả").fill("Đã tổ chức đối thoại.")
    ward_page.get_by_role("button", name="Lưu").click()
    _left(ward_page, "tien-do")
    ward_page.locator("#action-submit").click()
    ward_page.get_by_label("Số, ký hiệu văn bản kết quả").fill("Số: 25/BC-UBND")
    ward_page.get_by_role("button", name="Lưu").click()
    _left(ward_page, "nop-san-pham")
    page.goto(done.get_absolute_url())
    page.locator("#action-accept").click()
    page.wait_for_load_state()
    done.refresh_from_db()
    assert done.state == "closed"
    assert done.result_number == "25/BC-UBND"

    # Time passes the commune's due date: the daily ladder reminds, then urges.
    with django_db_blocker.unblock():
        frozen.move_to(_at(dt.date(2027, 7, 21)))
        ladder_run(today=dt.date(2027, 7, 21))
        frozen.move_to(_at(dt.date(2027, 7, 26)))
        ladder_run(today=dt.date(2027, 7, 26))
    steps = list(TaskEvent.objects.filter(task=late).values_list("kind", flat=True))
    assert EventKind.REMINDED in steps, steps
    assert EventKind.URGED in steps, steps

    # The province's board: one done on time, one overdue (urged), one not yet due.
    page = new_page()
    login(page, "tinh-chidao")
    page.goto(f"/nhiem-vu/bang-theo-doi/?unit={province.code}&year=2027")
    cells = page.locator("#board-total tbody tr td").all_inner_texts()
    total, overdue, done_late, open_in_time, due_soon, not_due, on_time = cells[:7]
    assert (total, overdue, done_late, on_time) == ("3", "1", "0", "1"), cells
    assert (open_in_time, due_soon, not_due) == ("1", "0", "1"), cells
    page.goto(late.get_absolute_url())
    assert page.get_by_text("Đôn đốc").first.is_visible()
