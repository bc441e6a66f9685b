"""The statistics tables as an Excel workbook ("Xuất Excel" on the statistics page).

One sheet per breakdown, the same numbers as the page: for each column the value of
the selection, of the year (or period) before, and the change. Each current value
links to the list of entries behind it, as on the page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import IO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from danvan.core.excel import Workbook

from .selectors import MILESTONE_KEYS, MILESTONE_LABELS, Row, Statistics

Link = Callable[[Row, str], str]
_BOLD = Font(bold=True)
_LINK = Font(color="1F4E9C", underline="single")


def _heading(ws: Worksheet, stats: Statistics, title: str) -> int:
    ws.append([_("Thống kê phong trào thi đua “Dân vận khéo”") + " — " + title])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([_("Đơn vị"), stats.scope_label])
    compared = stats.window.previous_label
    when = stats.window.label + (f" ({_('so với')} {compared})" if compared else "")
    ws.append([_("Thời gian (theo năm đăng ký)"), when])
    ws.append(
        [
            _("Số liệu quy đổi"),
            _("Có: tính cả đơn vị cũ đã sáp nhập") if stats.restated else _("Không"),
        ]
    )
    ws.append([_("Xuất lúc"), timezone.localtime().strftime("%d/%m/%Y %H:%M")])
    ws.append([])
    return ws.max_row + 1


def _table(
    ws: Worksheet,
    stats: Statistics,
    title: str,
    first_header: str,
    rows: Sequence[Row],
    link: Link | None,
    *,
    previous_label: str | None = None,
) -> None:
    start = _heading(ws, stats, title)
    current_label = stats.window.label if previous_label is None else _("Năm")
    before = stats.window.previous_label if previous_label is None else previous_label
    top = [first_header]
    sub = [""]
    for key in MILESTONE_KEYS:
        top += [str(MILESTONE_LABELS[key]), "", ""]
        sub += [current_label, before or _("Kỳ trước"), _("Tăng/giảm")]
    ws.append(top)
    ws.append(sub)
    for i in range(len(MILESTONE_KEYS)):
        col = 2 + i * 3
        ws.merge_cells(start_row=start, start_column=col, end_row=start, end_column=col + 2)
    for cell in (*ws[start], *ws[start + 1]):
        cell.font = _BOLD
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in rows:
        label = row.label + (f" ({row.note})" if row.note else "")
        values: list[object] = [label]
        for key in MILESTONE_KEYS:
            change = row.change(key)
            values += [
                row.counts[key],
                row.previous[key] if row.previous is not None else None,
                change.absolute if change is not None else None,
            ]
        ws.append(values)
        if link is not None:
            for i, key in enumerate(MILESTONE_KEYS):
                cell = ws.cell(row=ws.max_row, column=2 + i * 3)
                cell.hyperlink = link(row, key)
                cell.font = _LINK
    ws.column_dimensions["A"].width = 46
    for col in range(2, 2 + 3 * len(MILESTONE_KEYS)):
        ws.column_dimensions[get_column_letter(col)].width = 12
    ws.freeze_panes = ws.cell(row=start + 2, column=2)


def statistics_workbook(stats: Statistics, out: IO[bytes], *, link: Link | None = None) -> None:
    """Write *stats* as an .xlsx to *out*; *link* gives the absolute list URL of a number."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("Tổng hợp")
    _table(ws, stats, _("Tổng hợp"), _("Phạm vi"), [stats.totals], link)
    sheets: list[tuple[str, str, Sequence[Row]]] = [
        (_("Theo lĩnh vực"), _("Lĩnh vực"), stats.by_field),
        (_("Theo đơn vị trực thuộc"), _("Đơn vị"), stats.by_subunit),
        (_("Theo loại hình đơn vị"), _("Loại hình đơn vị"), stats.by_unit_kind),
    ]
    for title, header, rows in sheets:
        _table(wb.create_sheet(title[:31]), stats, title, header, rows, link)
    _table(
        wb.create_sheet(_("Theo năm")),
        stats,
        _("Theo năm"),
        _("Năm đăng ký"),
        stats.by_year,
        link,
        previous_label=_("Năm trước"),
    )
    wb.save(out)
