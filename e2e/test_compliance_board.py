"""The steering committee's compliance board in a real browser: a provincial leader opens
the board of the demo province, follows a red cell to the records behind it, and exports
the same cells to Excel; a reviewer (no access to citizens' cases) sees the reception
cells without links."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from danvan.units.demo import COMMUNE_CODES
from danvan.units.models import Unit

from .conftest import screenshot
from .test_movement_flow import login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# The columns of the board, in the order of democracy.board.selectors.OBLIGATIONS.
DISCLOSURE, RECEPTION = 0, 2


def test_leader_follows_a_cell_and_exports_the_board(new_page: Any) -> None:
    call_command("seed_demo", force=True, verbosity=0)
    today = timezone.localdate()
    query = f"unit=19&from={today - dt.timedelta(days=365):%d/%m/%Y}&to={today:%d/%m/%Y}"
    second = Unit.objects.get(code=COMMUNE_CODES[1])  # misses disclosure kinds 5 and 11

    leader = new_page()
    login(leader, "tinh.lanhdao")
    leader.goto(f"/dan-chu/bang-theo-doi/?{query}")
    # Totals first, then the units late or missing something as a heat map (colours and
    # glyphs, a text alternative) above the same cells in the table.
    assert leader.locator("#board-totals").is_visible()
    heatmap = leader.locator("#board-heatmap")
    assert heatmap.get_attribute("role") == "img"
    assert "Chưa thực hiện" in (heatmap.locator("desc").text_content() or "")
    assert leader.locator("#board-problems-only").get_attribute("aria-current") == "true"
    row = leader.locator("#board-table tbody tr", has_text=second.name)
    cell = row.locator("td").nth(DISCLOSURE)
    assert "Chưa thực hiện" in cell.inner_text()
    assert row.locator("td").nth(RECEPTION).locator("a").count() == 1
    screenshot(leader, "compliance-board")

    # The red cell opens the disclosure compliance of that commune.
    cell.locator("a").click()
    leader.wait_for_url(lambda url: "/cong-khai/tuan-thu/" in url and second.code in url)
    assert "Chưa công khai nội dung bắt buộc" in leader.content()

    # The Excel export carries the same cells.
    leader.go_back()
    with leader.expect_download() as download:
        leader.locator("#board-excel").click()
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    assert sheet is not None
    header = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "Mã đơn vị")
    exported = next(r for r in sheet.iter_rows(values_only=True) if r[0] == second.code)
    column = header.index("Công khai đủ nội dung bắt buộc")
    assert exported[column] == "Chưa thực hiện"

    # A reviewer sees every cell but cannot open the reception records.
    reviewer = new_page()
    login(reviewer, "tinh.danhgia")
    reviewer.goto(f"/dan-chu/bang-theo-doi/?{query}")
    row = reviewer.locator("#board-table tbody tr", has_text=second.name)
    assert row.locator("td").nth(DISCLOSURE).locator("a").count() == 1
    assert row.locator("td").nth(RECEPTION).locator("a").count() == 0
