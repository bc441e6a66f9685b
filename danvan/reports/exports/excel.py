"""The indicators of a report as an Excel workbook: one sheet per level of units, the
header rows frozen, a row per unit (issue 13, item 5).

Written in openpyxl's write-only mode through danvan's one writer (core/excel.py, which
keeps every string as text, never a formula): each row goes to the sheet's temporary
file as it is appended, so memory does not grow with the rows. `write_indicators_xlsx`
writes to a file or a response; `indicators_xlsx_chunks` yields the file in pieces for a
streaming response.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from typing import IO

from django.utils.translation import gettext as _

from danvan.core.excel import Workbook

from .document import Level

CHUNK = 64 * 1024
# Excel refuses a sheet title over 31 characters or with any of these.
_TITLE_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def _title(name: str, taken: set[str]) -> str:
    base = name.translate(_TITLE_FORBIDDEN).strip()[:31] or _("Cấp")
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def write_indicators_xlsx(levels: Iterable[Level], out: str | IO[bytes]) -> None:
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    for level in levels:
        sheet = workbook.create_sheet(_title(level.name, taken))
        # The unit column and the header rows stay in view while scrolling.
        header_rows = 2 if level.units_of_measure else 1
        sheet.freeze_panes = f"B{header_rows + 1}"
        sheet.column_dimensions["A"].width = 36
        sheet.append([_("Đơn vị"), *level.indicators])
        if level.units_of_measure:
            sheet.append([_("Đơn vị tính"), *level.units_of_measure])
        for row in level.rows:
            sheet.append([row.unit_name, *row.values])
    workbook.save(out)


def indicators_xlsx(levels: Iterable[Level]) -> bytes:
    """The workbook's bytes (for tests and small exports: the whole file in memory)."""
    with tempfile.TemporaryFile() as out:
        write_indicators_xlsx(levels, out)
        out.seek(0)
        return out.read()


def indicators_xlsx_chunks(levels: Iterable[Level]) -> Iterator[bytes]:
    """The workbook in pieces of 64 KiB, written first to a temporary file (a zip is
    complete only when closed), for a StreamingHttpResponse."""
    with tempfile.TemporaryFile() as out:
        write_indicators_xlsx(levels, out)
        out.seek(0)
        while chunk := out.read(CHUNK):
            yield chunk
