"""Issue 5, end to end in a real browser: a village officer opens an online household vote
on a village charter, households vote on the portal with their one-time codes, the tally
closes by the >50%-of-all-households rule and the result appears on the portal."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from danvan.democracy.models import HouseholdBallot, Outcome, Vote
from danvan.units import services as unit_services
from danvan.units.demo import COMMUNE_CODES
from danvan.units.models import Unit, UnitKind

from .conftest import screenshot
from .test_movement_flow import login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CHARTER = "Hương ước thôn Suối Cát sửa đổi năm 2026"
HOUSEHOLDS = [
    "Hộ Nguyễn Văn Tám",
    "Hộ Lò Thị Mai",
    "Hộ Hà Văn Sơn",
    "Hộ Ma Văn Tuấn",
    "Hộ Đinh Thị Na",
]


def test_household_vote_on_a_village_charter(new_page: Any) -> None:
    call_command("seed_demo", force=True, verbosity=0)
    commune = Unit.objects.get(code=COMMUNE_CODES[0])
    village = unit_services.unit_create(
        actor=None, parent=commune, kind=UnitKind.VILLAGE, name="Thôn Suối Cát", households=5
    )
    today = timezone.localdate()

    # 1. The officer raises the matter and opens an online vote.
    officer = new_page()
    login(officer, "xa.canbo")
    officer.goto("/dan-chu/them/")
    officer.get_by_label("Thôn, tổ dân phố").fill(village.code)  # the unit picker
    officer.get_by_label("Loại việc").select_option("charter")
    officer.get_by_label("Nội dung cần quyết định").fill(CHARTER)
    officer.get_by_label("Ngày đưa ra").fill(f"{today:%d/%m/%Y}")
    officer.get_by_role("button", name="Lưu").click()
    officer.wait_for_url(re.compile(r"/dan-chu/[0-9a-f-]{36}/$"))
    officer.get_by_label("Hình thức biểu quyết").select_option("online")
    officer.get_by_label("Ngày bắt đầu (ngày họp)").fill(f"{today:%d/%m/%Y}")
    officer.get_by_label("Ngày kết thúc").fill(f"{today + dt.timedelta(days=3):%d/%m/%Y}")
    officer.get_by_role("button", name="Mở biểu quyết").click()
    officer.wait_for_url(re.compile(r"/dan-chu/bieu-quyet/[0-9a-f-]{36}/$"))
    vote = Vote.objects.get(matter__title=CHARTER)
    assert vote.households_total == 5

    # 2. The village prints one code per household.
    # The list is pasted, previewed line by line, then confirmed.
    officer.get_by_label("Danh sách hộ gia đình").fill("\n".join(HOUSEHOLDS))
    officer.get_by_role("button", name="Xem trước danh sách").click()
    officer.wait_for_load_state()
    assert officer.locator("#household-preview tbody tr").count() == 5
    officer.get_by_role("button", name="Phát mã và in phiếu").click()
    officer.wait_for_load_state()
    codes = [c.strip() for c in officer.locator(".vote-code").all_inner_texts()]
    assert len(codes) == 5
    # Each slip carries the QR code of the vote's short address (drawn inline).
    assert officer.locator(".vote-code-slip svg.vote-qr").count() == 5
    screenshot(officer, "vote-1-codes")

    # 3. Three households agree and one disagrees on the portal; a code works once.
    portal_url = f"/cong-dan/bieu-quyet/{vote.public_id}/"
    for code, choice in zip(codes[:4], ["Đồng ý", "Đồng ý", "Không đồng ý", "Đồng ý"], strict=True):
        household = new_page()
        household.goto(portal_url)
        household.get_by_label("Mã biểu quyết của hộ").fill(code.lower())
        household.get_by_label(choice, exact=True).check()
        household.get_by_role("button", name="Gửi biểu quyết").click()
        household.wait_for_load_state()
        assert "Đã ghi nhận biểu quyết" in household.locator("main").inner_text()
    household.goto(portal_url)
    household.get_by_label("Mã biểu quyết của hộ").fill(codes[0])
    household.get_by_label("Đồng ý", exact=True).check()
    household.get_by_role("button", name="Gửi biểu quyết").click()
    household.wait_for_load_state()
    assert "đã được dùng" in household.locator("main").inner_text()
    assert HouseholdBallot.objects.filter(vote=vote).count() == 4

    # 4. The officer closes the vote (3 of 5 households agree: more than half of ALL
    # households) and publishes the result.
    officer.goto(vote.get_absolute_url())
    officer.get_by_role("button", name="Kết thúc biểu quyết").click()
    officer.wait_for_load_state()
    vote.refresh_from_db()
    assert (vote.households_present, vote.agree, vote.outcome) == (4, 3, Outcome.PASSED)
    officer.get_by_role("button", name="Công khai kết quả").click()
    officer.wait_for_load_state()
    vote.refresh_from_db()
    assert vote.published_at is not None

    # 5. Anyone sees the result on the portal, with no household named.
    citizen = new_page()
    citizen.goto("/cong-dan/bieu-quyet/")
    citizen.get_by_role("link", name=re.compile(re.escape(CHARTER))).first.click()
    text = citizen.locator("main").inner_text()
    assert "Được thông qua" in text
    html = citizen.content()
    for name in HOUSEHOLDS:
        assert name not in html
    screenshot(citizen, "vote-2-result")
