"""The entries export writes its dates as real dates shown dd/mm/yyyy (issue 10)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from danvan.accounts.models import User
from danvan.accounts.testing import login_verified
from danvan.movement import services
from danvan.movement.models import Entry
from danvan.units.models import Unit

pytestmark = pytest.mark.django_db


def test_export_dates_are_dates_shown_day_first(
    make_entry: Callable[..., Entry], province_officer: User, thai_nguyen: Unit
) -> None:
    entry = services.entry_transition(actor=None, entry=make_entry("Đường hoa"), name="register")
    client = Client()
    login_verified(client, province_officer)
    response = client.get(reverse("movement:export"), {"unit": thai_nguyen.code, "year": "2025"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    sheet = load_workbook(io.BytesIO(body)).active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("Ngày đăng ký") + 1)
    assert isinstance(cell.value, dt.datetime)  # a real date, not a text
    assert cell.value.date() == entry.registered_on
    assert cell.number_format == "DD/MM/YYYY"
    name = sheet.cell(row=2, column=1)
    assert name.value == "Đường hoa"
    assert name.number_format == "General"


def test_export_writes_a_formula_like_name_as_text(
    make_entry: Callable[..., Entry], province_officer: User, thai_nguyen: Unit
) -> None:
    """Issue 11: a name typed as a formula comes back as the literal text, not a live
    formula (danvan.core.excel writes every export)."""
    name = '=HYPERLINK("http://x","y")'
    make_entry(name)
    make_entry("-5 hộ thoát nghèo")
    client = Client()
    login_verified(client, province_officer)
    response = client.get(reverse("movement:export"), {"unit": thai_nguyen.code, "year": "2025"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    sheet = load_workbook(io.BytesIO(body)).active
    assert sheet is not None
    cells = {c.value: c for c in sheet["A"][1:]}
    assert set(cells) == {name, "-5 hộ thoát nghèo"}
    for cell in cells.values():
        assert cell.data_type == "s"
        assert cell.quotePrefix  # stays text when an officer edits the cell in Excel
    # The saved XML holds no formula at all.
    with zipfile.ZipFile(io.BytesIO(body)) as package:
        sheet_xml = package.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml
    assert b"<f " not in sheet_xml
    assert b"HYPERLINK" in sheet_xml
