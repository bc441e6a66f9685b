"""A filtered list of entries as an Excel workbook (the way units exchange them today).

openpyxl's write-only mode streams rows to the file, so a province's full list does not
sit in memory as cell objects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import IO, Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from danvan.core.dates import EXCEL_DATE_FORMAT

from .models import Decision, Entry

CHUNK = 2000


def headers() -> list[str]:
    return [
        _("Tên mô hình, điển hình"),
        _("Loại"),
        _("Mã đơn vị"),
        _("Đơn vị chủ trì"),
        _("Lĩnh vực"),
        _("Năm đăng ký"),
        _("Giai đoạn"),
        _("Trạng thái"),
        _("Ngày đăng ký"),
        _("Ngày công nhận"),
        _("Ngày chọn tiêu biểu"),
        _("Ngày khen thưởng"),
        _("Số quyết định công nhận"),
        _("Kinh phí huy động (đồng)"),
        _("Ngày công"),
        _("Đất hiến (m²)"),
    ]


def with_recognitions(entries: QuerySet[Entry]) -> QuerySet[Entry]:
    """*entries* with their recognition decisions loaded (one query per chunk)."""
    return entries.prefetch_related(
        Prefetch(
            "decisions",
            queryset=Decision.objects.filter(kind=Decision.Kind.RECOGNITION).order_by(
                "-issued_on", "-id"
            ),
            to_attr="recognitions",
        )
    )


def row(entry: Entry) -> list[Any]:
    recognitions: list[Decision] = getattr(entry, "recognitions", [])
    return [
        entry.name,
        str(entry.get_kind_display()),
        entry.unit.code,
        entry.unit.name,
        entry.field.name,
        entry.registration_year,
        entry.period.name,
        str(entry.get_status_display()),
        entry.registered_on,
        entry.recognized_on,
        entry.exemplary_on,
        entry.commended_on,
        recognitions[0].number if recognitions else None,
        entry.money_mobilized,
        entry.working_days,
        entry.land_donated_m2,
    ]


def _cells(sheet: WriteOnlyWorksheet, values: list[Any]) -> list[Any]:
    """Dates as real dates shown dd/mm/yyyy (openpyxl's default shows yyyy-mm-dd)."""
    out: list[Any] = []
    for value in values:
        if isinstance(value, dt.date):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = EXCEL_DATE_FORMAT
            value = cell
        out.append(value)
    return out


def write_entries(entries: Iterable[Entry], out: IO[bytes]) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Mô hình, điển hình")[:31])
    sheet.append(headers())
    for entry in entries:
        sheet.append(_cells(sheet, row(entry)))
    workbook.save(out)


def export_entries(entries: QuerySet[Entry], out: IO[bytes]) -> None:
    """Write *entries* (already filtered and scoped by the selector) to *out* as .xlsx."""
    write_entries(with_recognitions(entries).iterator(chunk_size=CHUNK), out)
