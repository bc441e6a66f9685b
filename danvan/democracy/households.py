"""Reading a village's household list pasted or uploaded by an officer, before one-time
codes are issued for an online vote (services.vote_issue_codes).

The list comes from wherever the village keeps it: lines typed or pasted ("Hộ 12 –
Nguyễn Văn A"), rows copied from Excel (cells separated by tabs), or an .xlsx or .csv
file. Each row becomes one household label (the cells joined by " – ", at most
MAX_LABEL characters, the size of VoteCode.household), checked line by line so the
preview can say what is wrong where. Nothing here writes: the officer confirms the
preview and the service issues the codes in one transaction.

A cell beginning with "=", "+", "-" or "@" is how a spreadsheet formula starts (OWASP
"CSV injection"); such characters are removed from the start of a cell, with a note, so
a label never reaches a slip or a later export as a formula (core.excel does the same on
export).
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from danvan.core.excel import FORMULA_STARTS, UnreadableWorkbook, first_sheet_values
from danvan.core.text import fold

from .models import VoteCode

MAX_LABEL = VoteCode._meta.get_field("household").max_length or 40
# A village has at most a few thousand households; a longer list is the wrong file.
MAX_ROWS = 3000
MAX_FILE_BYTES = 1024 * 1024
SEPARATOR = " – "
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Words of a header row ("STT | Họ tên chủ hộ | Thôn"), folded: such a first row is skipped.
_HEADER_WORDS = ("stt", "ho ten", "chu ho", "ho gia dinh", "so ho", "ten ho")


class Problem:
    EMPTY = "empty"
    TOO_LONG = "too_long"
    DUPLICATE = "duplicate"
    ISSUED = "issued"


@dataclass
class Row:
    """One line of the list as the preview shows it."""

    line: int
    label: str
    problem: str = ""
    error: str = ""
    note: str = ""


@dataclass
class HouseholdList:
    rows: list[Row] = field(default_factory=list)
    blank: int = 0

    @property
    def labels(self) -> list[str]:
        return [r.label for r in self.rows]

    @property
    def errors(self) -> list[Row]:
        return [r for r in self.rows if r.error]

    def problems(self) -> set[str]:
        return {r.problem for r in self.rows if r.problem}


class ListFileError(ValueError):
    """An upload that cannot be read as a household list (the message says why)."""


def _clean_cell(value: object) -> tuple[str, bool]:
    """The cell as text without control characters and formula starts; True when a
    formula start was removed."""
    if value is None:
        return "", False
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a house number typed in Excel comes back as 12.0
    text = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in str(value)
    )
    text = " ".join(text.split())
    neutralized = False
    while text.startswith(FORMULA_STARTS):
        text = text[1:].lstrip()
        neutralized = True
    return text, neutralized


def _is_header(cells: list[str]) -> bool:
    folded = fold(" ".join(cells)).lower()
    return any(word in folded for word in _HEADER_WORDS) and not any(ch.isdigit() for ch in folded)


def read_rows(rows: Iterable[Iterable[object]], *, issued: Iterable[str] = ()) -> HouseholdList:
    """Check *rows* (each a sequence of cells) as households of one vote; *issued*: the
    labels that already have a code in that vote."""
    result = HouseholdList()
    seen: dict[str, int] = {}
    already = {fold(label).lower() for label in issued}
    for number, raw in enumerate(rows, start=1):
        if number > MAX_ROWS + 1:
            raise ListFileError(
                _("Danh sách dài quá %(n)s dòng; hãy chia thành nhiều lần.") % {"n": MAX_ROWS}
            )
        cleaned = [_clean_cell(cell) for cell in raw]
        if not any(text or neutralized for text, neutralized in cleaned):
            result.blank += 1
            continue
        cells = [text for text, _n in cleaned if text]
        if not result.rows and not result.blank and number == 1 and cells and _is_header(cells):
            continue
        row = Row(line=number, label=SEPARATOR.join(cells))
        if any(neutralized for _t, neutralized in cleaned):
            row.note = _("Đã bỏ ký tự =, +, -, @ ở đầu ô (dạng công thức bảng tính).")
        key = fold(row.label).lower()
        if not row.label:
            row.problem, row.error = Problem.EMPTY, _("Dòng không có tên hộ.")
        elif len(row.label) > MAX_LABEL:
            row.problem = Problem.TOO_LONG
            row.error = _("Dài %(n)s ký tự; mỗi hộ ghi tối đa %(max)s ký tự.") % {
                "n": len(row.label),
                "max": MAX_LABEL,
            }
        elif key in seen:
            row.problem = Problem.DUPLICATE
            row.error = _("Trùng với dòng %(n)s.") % {"n": seen[key]}
        elif key in already:
            row.problem, row.error = Problem.ISSUED, _("Hộ này đã được phát mã.")
        else:
            seen[key] = number
        result.rows.append(row)
    return result


def read_text(text: str, *, issued: Iterable[str] = ()) -> HouseholdList:
    """Pasted lines; cells copied from a spreadsheet are separated by tabs."""
    return read_rows((line.split("\t") for line in text.splitlines()), issued=issued)


def _xlsx_rows(data: bytes) -> list[tuple[object, ...]]:
    """The first sheet's values as the officer sees them in Excel (core.excel)."""
    try:
        return first_sheet_values(data, limit=MAX_ROWS + 2)
    except UnreadableWorkbook as exc:
        raise ListFileError(
            _("Không đọc được tệp Excel (.xlsx); hãy lưu lại tệp rồi thử.")
        ) from exc


def _csv_rows(data: bytes) -> list[list[str]]:
    if b"\x00" in data:
        raise ListFileError(_("Tệp CSV chứa ký tự không hợp lệ; hãy lưu lại dạng CSV UTF-8."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ListFileError(
            _("Tệp CSV phải mã hóa UTF-8 (trong Excel: Lưu thành “CSV UTF-8”).")
        ) from exc
    # Only the separator is guessed (Excel writes "," or ";" by locale); the quoting is
    # Excel's, which the sniffer guesses badly.
    try:
        delimiter = csv.Sniffer().sniff(text[:4096], ",;\t").delimiter
    except csv.Error:
        delimiter = ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def read_upload(upload: UploadedFile, *, issued: Iterable[str] = ()) -> HouseholdList:
    """An .xlsx (first sheet) or .csv file; ListFileError when it cannot be read."""
    name = (upload.name or "").lower()
    if upload.size is None or upload.size > MAX_FILE_BYTES:
        raise ListFileError(_("Tệp quá lớn (tối đa %(kb)s KB).") % {"kb": MAX_FILE_BYTES // 1024})
    data = upload.read(MAX_FILE_BYTES + 1)
    if name.endswith(".xlsx"):
        if not data.startswith(b"PK\x03\x04"):
            raise ListFileError(_("Tệp không phải tệp Excel (.xlsx)."))
        return read_rows(_xlsx_rows(data), issued=issued)
    if name.endswith(".csv"):
        return read_rows(_csv_rows(data), issued=issued)
    raise ListFileError(_("Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)."))
