"""A filtered list of entries as an Excel workbook (the way units exchange them today).

openpyxl's write-only mode streams rows to the file, so a province's full list does not
sit in memory as cell objects.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from danvan.core.excel import Workbook

from ..models import Decision, Entry

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


def write_entries(entries: Iterable[Entry], out: IO[bytes]) -> None:
    # core.excel writes names as text (never a formula) and dates shown dd/mm/yyyy.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Mô hình, điển hình")[:31])
    sheet.append(headers())
    for entry in entries:
        sheet.append(row(entry))
    workbook.save(out)


def export_entries(entries: QuerySet[Entry], out: IO[bytes]) -> None:
    """Write *entries* (already filtered and scoped by the selector) to *out* as .xlsx."""
    write_entries(with_recognitions(entries).iterator(chunk_size=CHUNK), out)
