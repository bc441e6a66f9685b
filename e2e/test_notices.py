"""In-app notices in a real browser: a case assigned to an officer shows as a count in
the top bar; the officer opens the notices page (/viec-can-lam/thong-bao/), finds the
notice with its link, opens it, and the count goes down.

The notice is sent by danvan.worklist.services.notice_send from cases.services.case_assign;
one assignment is made by a leader through the case page in the browser, one through the
service, so the count has something left after the first notice is read.
"""

from __future__ import annotations

from typing import Any

import pytest

from danvan.accounts.models import Role
from danvan.accounts.services import grant_create, user_create
from danvan.cases import services
from danvan.cases.identity import Identity
from danvan.cases.models import Case, CaseAssignment, Channel
from danvan.units.models import Unit
from danvan.worklist.models import Notice

from .test_movement_flow import PASSWORD, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NOTICES = "/viec-can-lam/thong-bao/"
OFFICER_NAME = "Dương Văn Hải"


def _wait_for(page: Any, ready: Any) -> None:
    """Wait (polling the database between short browser pauses) until *ready()*."""
    for _ in range(50):
        if ready():
            return
        page.wait_for_timeout(200)
    raise AssertionError("the browser's action never reached the database")


def test_an_assigned_case_is_a_notice_the_officer_opens(new_page: Any) -> None:
    commune = Unit.objects.filter(parent__code="19", kind="commune").order_by("code")[0]
    officer = user_create(
        actor=None, username="xa.canbo", password=PASSWORD, full_name=OFFICER_NAME
    )
    grant_create(actor=None, user=officer, role=Role.OFFICER, unit=commune)
    leader = user_create(
        actor=None, username="xa.lanhdao", password=PASSWORD, full_name="Hà Văn Bình"
    )
    grant_create(actor=None, user=leader, role=Role.LEADER, unit=commune)

    def receive(subject: str) -> Case:
        return services.case_receive(
            actor=officer,
            unit=commune,
            kind="feedback",
            channel=Channel.LETTER,
            subject=subject,
            content=f"{subject}.",
            sender=Identity(full_name="Trần Thị Bình", phone="0987000111"),
        )

    lights = receive("Đèn đường thôn 3 hỏng")
    market = receive("Rác thải tồn đọng ở chợ")
    services.case_assign(actor=leader, case=market, version=None, users=[officer], lead=officer)

    # The leader assigns the other case to the officer on the case's page.
    boss = new_page()
    login(boss, leader.username)
    boss.goto(lights.get_absolute_url())
    assign = boss.locator("#action-assign")
    assign.locator("summary").click()
    assign.get_by_role("checkbox", name=OFFICER_NAME).check()
    assign.get_by_label("Cán bộ chủ trì (thụ lý)").select_option(label=OFFICER_NAME)
    assign.get_by_role("button", name="Phân công xử lý").click()
    _wait_for(boss, CaseAssignment.objects.filter(case=lights, user=officer).exists)
    assert Notice.objects.filter(user=officer, read_at__isnull=True).count() == 2
    # The one who assigned is not told about their own action.
    assert not Notice.objects.filter(user=leader).exists()

    # The officer sees two new notices in the top bar.
    page = new_page()
    login(page, officer.username)
    page.goto("/")
    badge = page.locator("#notices-link")
    assert page.locator("#notices-count").inner_text() == "2"
    assert badge.get_attribute("aria-label") == "2 thông báo mới"

    # The notices page lists both, new, each a link.
    badge.click()
    page.wait_for_url(f"**{NOTICES}")
    items = page.locator("#notices > li")
    assert items.count() == 2
    item = items.filter(has_text="Đèn đường thôn 3 hỏng")
    assert "Bạn được giao xử lý vụ việc" in item.inner_text()
    assert item.get_by_text("mới", exact=True).count() == 1
    notice = Notice.objects.get(user=officer, url=lights.get_absolute_url())
    link = item.get_by_role("link", name=notice.title)
    assert link.get_attribute("href") == f"{NOTICES}{notice.pk}/"

    # Opening it leads to the case and marks it read: one new notice left.
    link.click()
    page.wait_for_url(f"**{lights.get_absolute_url()}")
    assert "Đèn đường thôn 3 hỏng" in page.locator("h1").inner_text()
    assert page.locator("#notices-count").inner_text() == "1"
    assert page.locator("#notices-link").get_attribute("aria-label") == "1 thông báo mới"
    notice.refresh_from_db()
    assert notice.read_at is not None

    page.goto(NOTICES)
    items = page.locator("#notices > li")
    assert items.count() == 2  # read notices stay listed, without the "new" mark
    read = items.filter(has_text="Đèn đường thôn 3 hỏng")
    assert read.get_by_text("mới", exact=True).count() == 0
    unread = items.filter(has_text="Rác thải tồn đọng ở chợ")
    assert unread.get_by_text("mới", exact=True).count() == 1

    # Marking all read empties the count.
    page.get_by_role("button", name="Đánh dấu tất cả là đã xem").click()
    page.wait_for_url(f"**{NOTICES}")
    assert page.locator("#notices-count").count() == 0
    assert page.locator("#notices-link").get_attribute("aria-label") == "Thông báo"
    assert not Notice.objects.filter(user=officer, read_at__isnull=True).exists()
