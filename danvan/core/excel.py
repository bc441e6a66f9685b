"""The one Excel writer of danvan: every export builds its workbook with `Workbook` here.

What a user typed (an entry's name, a unit's name, a decision number) ends up in exports
that officers open in Excel or LibreOffice. openpyxl stores any string that begins with
"=" as a formula, so an entry named ``=HYPERLINK("http://x","y")`` would become a live
link or calculation in the officer's spreadsheet ("CSV/formula injection", OWASP). A
spreadsheet also reads a cell that begins with "+", "-", "@", a tab or a carriage return
as a formula once someone edits it. This writer therefore:

- writes every string as text, never as a formula or an error code (``#N/A``), and marks
  the strings that begin with one of those characters with Excel's "quote prefix", so the
  cell stays text when edited;
- leaves numbers as numbers and writes dates as real dates shown dd/mm/yyyy (openpyxl's
  default shows yyyy-mm-dd), so exported figures can still be summed and sorted.

danvan's exports write no formulas of their own: a value is data, never code. The rule
holds however a value reaches a cell (``ws.append``, ``ws.cell(value=…)``, ``ws["A1"] =``)
because it is applied when the workbook is saved, and, in write-only mode (where rows
go to the file as they are appended), when a row is appended. A walk test
(core/tests/test_excel.py) fails if a module builds a workbook any other way.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable
from typing import IO, Any

from openpyxl import Workbook as _OpenpyxlWorkbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

# A date cell of an export: a real date, shown day first.
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
# Characters that make a spreadsheet read a cell as a formula (OWASP "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The number formats openpyxl gives a date or a datetime cell by default.
_OPENPYXL_DATE_FORMATS = {"yyyy-mm-dd": DATE_FORMAT, "yyyy-mm-dd h:mm:ss": DATETIME_FORMAT}


def _reads_as_code(value: str) -> bool:
    return value.startswith(FORMULA_STARTS) or value in ERROR_CODES


def make_safe(cell: Cell) -> Cell:
    """Make *cell* hold its value as data: a string as text, a date shown dd/mm/yyyy."""
    value = cell._value
    if isinstance(value, str):
        # openpyxl typed "=…" as a formula ("f") and "#N/A" as an error ("e").
        cell.data_type = "s"
        if _reads_as_code(value):
            cell.quotePrefix = True
    elif isinstance(value, dt.date):  # a datetime is a date too
        fmt = _OPENPYXL_DATE_FORMATS.get(cell.number_format)
        if fmt is not None:
            cell.number_format = fmt
    return cell


class _WriteOnlySheet(WriteOnlyWorksheet):
    """A write-only sheet whose rows are made safe before they are streamed out."""

    def append(self, row: Iterable[Any]) -> None:
        super().append([self._safe(value) for value in row])

    def _safe(self, value: Any) -> Any:
        if isinstance(value, Cell):
            return make_safe(value)
        # Only the values that need it become cell objects: a province's list has
        # hundreds of thousands of plain strings and numbers.
        if isinstance(value, dt.date) or (isinstance(value, str) and _reads_as_code(value)):
            return make_safe(WriteOnlyCell(self, value=value))
        return value


class Workbook(_OpenpyxlWorkbook):
    """openpyxl's workbook, writing every value as data (see the module docstring).

    Use it as openpyxl's: ``Workbook()`` or ``Workbook(write_only=True)``, ``create_sheet``,
    ``append``, ``cell``, then ``save`` (or `to_bytes`)."""

    def create_sheet(self, title: str | None = None, index: int | None = None) -> Any:
        if not self.write_only:
            return super().create_sheet(title=title, index=index)
        sheet = _WriteOnlySheet(parent=self, title=title)
        self._add_sheet(sheet=sheet, index=index)
        return sheet

    def save(self, filename: str | IO[bytes]) -> None:
        for sheet in self.worksheets:
            if isinstance(sheet, Worksheet):
                for cell in sheet._cells.values():
                    make_safe(cell)
        super().save(filename)

    def to_bytes(self) -> bytes:
        """The saved .xlsx file as bytes."""
        out = io.BytesIO()
        self.save(out)
        return out.getvalue()


class UnreadableWorkbook(ValueError):
    """The bytes are not a workbook openpyxl can read (not .xlsx, damaged, encrypted)."""


def first_sheet_values(data: bytes, *, limit: int) -> list[tuple[object, ...]]:
    """The values of the first sheet of the .xlsx *data*, row by row, at most *limit* rows,
    as the user sees them in Excel: a formula's last computed value (``data_only``), never
    its text, so that nothing read is a formula to run later. Read-only mode: one pass, one
    row in memory. Raises UnreadableWorkbook."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise UnreadableWorkbook(str(exc)) from exc
    try:
        rows: list[tuple[object, ...]] = []
        for values in book.worksheets[0].iter_rows(values_only=True):
            rows.append(tuple(values))
            if len(rows) >= limit:
                break
        return rows
    finally:
        book.close()
