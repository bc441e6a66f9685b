"""The movement's import spreadsheet: the template, opening an uploaded file, and checking
its rows one by one. Nothing here writes to the database (imports.services does).

The format is the template's first sheet ("Danh sách"): one header row, then one entry
per row. Columns are found by their header text after folding case, diacritics, "đ" and
punctuation, so their order does not matter and "Ma don vi" matches "Mã đơn vị". Values
of the choice columns (Loại, Lĩnh vực, Trạng thái, Cấp, Hình thức) are accepted as their
Vietnamese label or code, folded the same way.

Reading is streaming (openpyxl read-only mode, one pass, one row in memory), so a file of
10^5 rows needs about the memory of one of 10^4 (bench/movement_import.py).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.xml.functions import iterparse

from danvan.core import docnumber
from danvan.core.errors import DomainError
from danvan.core.excel import DATE_FORMAT, Workbook
from danvan.core.text import fold

from ..errors import MovementError
from ..models import Decision, EntryKind, Level, Status

DATA_SHEET = gettext_noop("Danh sách")
# The header is looked for in the first rows: spreadsheets often carry a title above it.
HEADER_SEARCH_ROWS = 10


@dataclass(frozen=True)
class Column:
    key: str
    # The header as written in the template (Vietnamese source text; translated on output).
    header: str
    # Must the header be present? (Columns added after the first template are optional.)
    mandatory: bool = True
    width: int = 16
    aliases: tuple[str, ...] = ()
    kind: str = "text"  # text | date | number (only for the template's cell formats)


COLUMNS: tuple[Column, ...] = (
    Column("unit_code", gettext_noop("Mã đơn vị"), width=12, aliases=("Mã ĐV",)),
    Column(
        "name",
        gettext_noop("Tên mô hình/điển hình"),
        width=48,
        aliases=("Tên mô hình, điển hình", "Tên mô hình", "Tên điển hình"),
    ),
    Column("kind", gettext_noop("Loại"), width=20),
    Column("field", gettext_noop("Lĩnh vực"), width=26),
    Column("registration_year", gettext_noop("Năm đăng ký"), width=12, kind="number"),
    Column("start_date", gettext_noop("Ngày bắt đầu"), width=14, kind="date"),
    Column("target_group", gettext_noop("Đối tượng"), width=24),
    Column("goals", gettext_noop("Mục tiêu"), width=36),
    Column("content_method", gettext_noop("Nội dung cách làm"), width=40),
    Column("achieved_results", gettext_noop("Kết quả đạt được"), width=36),
    Column(
        "money_mobilized",
        gettext_noop("Kinh phí huy động (đồng)"),
        width=20,
        aliases=("Kinh phí huy động",),
        kind="number",
    ),
    Column("working_days", gettext_noop("Ngày công"), width=12, kind="number"),
    Column(
        "land_donated_m2",
        gettext_noop("Đất hiến (m²)"),
        width=14,
        aliases=("Đất hiến", "Đất hiến (m2)"),
        kind="number",
    ),
    Column("contact_name", gettext_noop("Người liên hệ"), width=22),
    Column("contact_phone", gettext_noop("Điện thoại"), width=14, aliases=("Số điện thoại",)),
    Column("status", gettext_noop("Trạng thái"), width=22),
    Column("recognition_number", gettext_noop("Số QĐ công nhận"), width=18),
    Column("recognition_date", gettext_noop("Ngày QĐ công nhận"), width=14, kind="date"),
    Column("recognition_issuer", gettext_noop("Cơ quan công nhận"), width=26),
    Column("recognition_level", gettext_noop("Cấp công nhận"), width=14),
    Column("exemplary_number", gettext_noop("Số QĐ tiêu biểu"), width=18),
    Column("exemplary_date", gettext_noop("Ngày QĐ tiêu biểu"), width=14, kind="date"),
    # Optional columns: when absent or empty the recognition's issuer and level apply.
    Column("exemplary_issuer", gettext_noop("Cơ quan chọn tiêu biểu"), mandatory=False, width=26),
    Column("exemplary_level", gettext_noop("Cấp tiêu biểu"), mandatory=False, width=14),
    Column("commendation_number", gettext_noop("Số QĐ khen thưởng"), mandatory=False, width=18),
    Column(
        "commendation_date",
        gettext_noop("Ngày QĐ khen thưởng"),
        mandatory=False,
        width=14,
        kind="date",
    ),
    Column("commendation_form", gettext_noop("Hình thức khen thưởng"), mandatory=False, width=18),
    Column("commendation_issuer", gettext_noop("Cơ quan khen thưởng"), mandatory=False, width=26),
    Column("expected_results", gettext_noop("Kết quả dự kiến"), mandatory=False, width=36),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
REQUIRED_VALUES = ("unit_code", "name", "kind", "field", "registration_year")
# Headers that may stand in a spreadsheet without being imported.
IGNORED_HEADERS = (gettext_noop("STT"), gettext_noop("Ghi chú"))

_NON_WORD = re.compile(r"[\W_]+")


def choice_key(text: Any) -> str:
    """What headers and choice values are compared by: folded, punctuation as spaces
    ("Văn hóa – xã hội", "van hoa - xa hoi" and "van-hoa-xa-hoi" are equal)."""
    value = unicodedata.normalize("NFKC", str(text)).replace("*", " ")
    return _NON_WORD.sub(" ", fold(value)).strip()


def header_label(column: Column) -> str:
    return _(column.header)


class SpreadsheetError(DomainError):
    """The file as a whole cannot be imported (not a spreadsheet, wrong columns …)."""

    def __init__(self, message: str):
        super().__init__(MovementError.BAD_FILE.value, message, field="file")


def not_a_spreadsheet() -> SpreadsheetError:
    return SpreadsheetError(_("Tệp không phải bảng tính Excel (.xlsx)."))


# -- opening a file ------------------------------------------------------------


def _header_keys() -> dict[str, str]:
    """Header key → column key, for the Vietnamese source text, its translation and aliases."""
    keys: dict[str, str] = {}
    for column in COLUMNS:
        for text in (column.header, _(column.header), *column.aliases):
            keys[choice_key(text)] = column.key
    return keys


@dataclass
class Header:
    row: int  # 1-based sheet row of the header
    positions: dict[str, int]  # column key → 0-based index in the row
    width: int  # how many cells of each row to read

    def letter(self, key: str) -> str:
        return get_column_letter(self.positions[key] + 1)


def find_header(rows: list[tuple[Any, ...]], first_row: int = 1) -> Header:
    """Locate the header among *rows* (the sheet's first rows) and map its columns;
    raise SpreadsheetError listing the missing and unrecognized columns."""
    known = _header_keys()
    ignored = {choice_key(t) for t in IGNORED_HEADERS} | {choice_key(_(t)) for t in IGNORED_HEADERS}
    anchor = {choice_key(COLUMNS[0].header), choice_key(_(COLUMNS[0].header))}
    best: tuple[int, tuple[Any, ...]] | None = None
    for offset, cells in enumerate(rows):
        keys = {choice_key(c) for c in cells if c is not None}
        if keys & anchor or len({known[k] for k in keys if k in known}) >= 3:
            best = (first_row + offset, cells)
            break
    if best is None:
        missing = [header_label(c) for c in COLUMNS if c.mandatory]
        raise SpreadsheetError(
            _(
                "Không tìm thấy dòng tiêu đề trong %(n)s dòng đầu của trang tính. Thiếu cột: "
                "%(missing)s. Hãy dùng tệp mẫu."
            )
            % {"n": HEADER_SEARCH_ROWS, "missing": ", ".join(missing)}
        )
    row_number, cells = best
    positions: dict[str, int] = {}
    unknown: list[str] = []
    repeated: list[str] = []
    for index, cell in enumerate(cells):
        if cell is None or not str(cell).strip():
            continue
        key = choice_key(cell)
        column_key = known.get(key)
        where = f"{get_column_letter(index + 1)}{row_number}"
        if column_key is None:
            if key not in ignored:
                unknown.append(f"“{str(cell).strip()}” ({where})")
        elif column_key in positions:
            repeated.append(f"“{str(cell).strip()}” ({where})")
        else:
            positions[column_key] = index
    missing = [header_label(c) for c in COLUMNS if c.mandatory and c.key not in positions]
    problems: list[str] = []
    if missing:
        problems.append(_("Thiếu cột: %(cols)s.") % {"cols": ", ".join(missing)})
    if unknown:
        problems.append(_("Cột không nhận ra: %(cols)s.") % {"cols": ", ".join(unknown)})
    if repeated:
        problems.append(_("Cột bị lặp: %(cols)s.") % {"cols": ", ".join(repeated)})
    if problems:
        raise SpreadsheetError(
            " ".join([_("Tiêu đề cột không đúng mẫu."), *problems, _("Hãy dùng tệp mẫu.")])
        )
    return Header(row=row_number, positions=positions, width=max(positions.values()) + 1)


class _Sheet(ReadOnlyWorksheet):
    """openpyxl's read-only worksheet, reading its declared size from the head of the
    sheet's XML only.

    openpyxl looks for the <dimension> element until the *end* of <sheetData>: on a sheet
    without one (openpyxl's own write-only mode writes none) that is a whole extra pass
    over the rows, made when the workbook is opened, i.e. in the upload request. The
    element, when present, comes before <sheetData>, so stopping at its start finds the
    same size (openpyxl 3.1.5).
    """

    def _get_size(self) -> None:
        with self._get_source() as src:
            for _event, element in iterparse(src, events=("start",)):
                if element.tag == DIMENSION_TAG:
                    ref = element.get("ref") or ""
                    try:
                        bounds = range_boundaries(ref)
                    except (TypeError, ValueError):
                        return
                    self._min_column, self._min_row, self._max_column, self._max_row = bounds
                    return
                if element.tag == DATA_TAG:
                    return


class _Reader(ExcelReader):
    """openpyxl's reader in read-only mode, with _Sheet for the worksheets (chart sheets
    are skipped: they hold no rows)."""

    def read_worksheets(self) -> None:
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files or "chartsheet" in rel.Type:
                continue
            worksheet = _Sheet(self.wb, sheet.name, rel.target, self.shared_strings)
            worksheet.sheet_state = sheet.state
            self.wb._sheets.append(worksheet)


class Spreadsheet:
    """An uploaded .xlsx opened for one streaming pass (openpyxl read-only mode)."""

    def __init__(self, source: IO[bytes], *, max_uncompressed: int):
        _check_zip(source, max_uncompressed=max_uncompressed)
        try:
            reader = _Reader(source, read_only=True, data_only=True, keep_links=False)
            reader.read()
            self._book = reader.wb
        except Exception as exc:  # openpyxl raises many kinds for a broken package
            raise not_a_spreadsheet() from exc
        try:
            sheets = self._book.worksheets
            wanted = {choice_key(DATA_SHEET), choice_key(_(DATA_SHEET))}
            sheet = next((s for s in sheets if choice_key(s.title) in wanted), None)
            if sheet is None:
                if not sheets:
                    raise not_a_spreadsheet()
                sheet = sheets[0]
            self._sheet = sheet
            # The declared size only estimates the progress bar: some programs write a
            # wrong one, so reading goes by the rows actually present.
            declared = getattr(sheet, "max_row", None)
            sheet.reset_dimensions()
            top = list(sheet.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS, values_only=True))
            self.header = find_header(top)
            self.estimated_rows = (
                max(0, int(declared) - self.header.row) if isinstance(declared, int) else None
            )
        except DomainError:
            self.close()
            raise
        except Exception as exc:
            self.close()
            raise not_a_spreadsheet() from exc

    def rows(self) -> Iterator[tuple[int, tuple[Any, ...]]]:
        """(sheet row number, cell values) of every non-empty row under the header."""
        number = self.header.row
        for cells in self._sheet.iter_rows(
            min_row=self.header.row + 1, max_col=self.header.width, values_only=True
        ):
            number += 1
            for value in cells:
                if value is not None and (not isinstance(value, str) or value.strip()):
                    yield number, cells
                    break

    def close(self) -> None:
        self._book.close()

    def __enter__(self) -> Spreadsheet:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _check_zip(source: IO[bytes], *, max_uncompressed: int) -> None:
    """An .xlsx is a zip package; refuse other files, and packages that would unpack to
    more than *max_uncompressed* bytes (a "zip bomb"), before openpyxl reads them."""
    source.seek(0)
    if source.read(4) != b"PK\x03\x04":
        source.seek(0)
        raise not_a_spreadsheet()
    source.seek(0)
    try:
        with zipfile.ZipFile(source) as package:
            names = set(package.namelist())
            total = sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise not_a_spreadsheet() from exc
    finally:
        source.seek(0)
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise not_a_spreadsheet()
    if total > max_uncompressed:
        raise SpreadsheetError(
            _("Bảng tính quá lớn khi giải nén (tối đa %(mb)s MB dữ liệu).")
            % {"mb": max_uncompressed // (1024 * 1024)}
        )


# -- values ------------------------------------------------------------------------

_DMY = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_THOUSANDS = re.compile(r"^\d{1,3}([.,]\d{3})+$")


class BadValue(ValueError):
    """A cell's value is not acceptable; the message is Vietnamese."""


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if type(value) is str:
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def parse_date(value: Any) -> dt.date | None:
    """A date cell, or text written dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy, yyyy-mm-dd)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    if not text:
        return None
    match = _DMY.match(text)
    parts: tuple[int, int, int] | None = None
    if match:
        parts = (int(match[3]), int(match[2]), int(match[1]))
    elif match := _YMD.match(text):
        parts = (int(match[1]), int(match[2]), int(match[3]))
    if parts is None:
        raise BadValue(
            _("“%(v)s” không phải ngày hợp lệ; ghi theo dạng ngày/tháng/năm, ví dụ 15/03/2021.")
            % {"v": text}
        )
    try:
        day = dt.date(*parts)
    except ValueError as exc:
        raise BadValue(_("Ngày “%(v)s” không có thật.") % {"v": text}) from exc
    if day.year < 1945:
        raise BadValue(_("Ngày “%(v)s” quá xa: chỉ nhận ngày từ năm 1945 trở đi.") % {"v": text})
    return day


def parse_number(value: Any, *, places: int, limit: Decimal) -> Decimal | None:
    """A number ≥ 0 with at most *places* decimals (rounded), below *limit*.

    Text may use Vietnamese separators: "150.000.000" and "150,000,000" are 150 million,
    "1,5" is one and a half.
    """
    if value is None or isinstance(value, bool):
        if isinstance(value, bool):
            raise BadValue(_("Phải là một số."))
        return None
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    else:
        text = cell_text(value).replace(" ", "").replace("\u00a0", "")
        if not text:
            return None
        if _THOUSANDS.match(text):
            text = text.replace(".", "").replace(",", "")
        else:
            text = text.replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation as exc:
            raise BadValue(_("“%(v)s” không phải là số.") % {"v": cell_text(value)}) from exc
    if not number.is_finite():
        raise BadValue(_("Phải là một số."))
    if number < 0:
        raise BadValue(_("Giá trị không được âm."))
    number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if number >= limit:
        raise BadValue(_("Giá trị quá lớn."))
    return number


def parse_year(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value.year
    text = cell_text(value)
    if not text:
        return None
    if not text.isdigit():
        raise BadValue(_("“%(v)s” không phải năm (ví dụ 2021).") % {"v": text})
    return int(text)


def _choices(*pairs: tuple[str, Any], extra: dict[str, str] | None = None) -> dict[str, str]:
    """Choice key → code, for codes, their labels and common short forms."""
    table: dict[str, str] = {}
    for code, label in pairs:
        table[choice_key(code)] = code
        table[choice_key(str(label))] = code
    for text, code in (extra or {}).items():
        table[choice_key(text)] = code
        table[choice_key(_(text))] = code
    return table


def kind_choices() -> dict[str, str]:
    return _choices(
        *EntryKind.choices,
        extra={
            gettext_noop("Tập thể"): EntryKind.COLLECTIVE,
            gettext_noop("Cá nhân"): EntryKind.INDIVIDUAL,
        },
    )


# Returned entries wait for the owner's changes; that is not a state to load from a file.
IMPORT_STATUSES = tuple(s for s in Status if s != Status.RETURNED)
# A recognition decision makes no sense with these.
BEFORE_RECOGNITION = frozenset(
    {
        Status.DRAFT,
        Status.REGISTERED,
        Status.ACCEPTED,
        Status.IN_PROGRESS,
        Status.SUBMITTED,
        Status.NOT_RECOGNIZED,
    }
)
NEEDS_RECOGNITION = frozenset({Status.RECOGNIZED, Status.EXEMPLARY, Status.REPLICATED})
NEEDS_EXEMPLARY = frozenset({Status.EXEMPLARY, Status.REPLICATED})


def status_choices() -> dict[str, str]:
    return _choices(
        *[(s.value, s.label) for s in IMPORT_STATUSES],
        extra={
            gettext_noop("Đăng ký"): Status.REGISTERED,
            gettext_noop("Công nhận"): Status.RECOGNIZED,
            gettext_noop("Đã công nhận"): Status.RECOGNIZED,
            gettext_noop("Tiêu biểu"): Status.EXEMPLARY,
            gettext_noop("Nhân rộng"): Status.REPLICATED,
        },
    )


def level_choices() -> dict[str, str]:
    return _choices(
        *Level.choices,
        extra={
            gettext_noop("Xã"): Level.COMMUNE,
            gettext_noop("Phường"): Level.COMMUNE,
            gettext_noop("Cấp phường"): Level.COMMUNE,
            gettext_noop("Tỉnh"): Level.PROVINCE,
            gettext_noop("Thành phố"): Level.PROVINCE,
            gettext_noop("Cấp thành phố"): Level.PROVINCE,
            gettext_noop("TW"): Level.CENTRAL,
            gettext_noop("Cấp trung ương"): Level.CENTRAL,
        },
    )


COMMENDATION_FORMS = tuple(f for f in Decision.Form if f != Decision.Form.DECISION)


def commendation_form_choices() -> dict[str, str]:
    return _choices(*[(f.value, f.label) for f in COMMENDATION_FORMS])


# -- checking rows -------------------------------------------------------------------


@dataclass(frozen=True)
class UnitRef:
    id: int
    code: str
    name: str
    path: str
    valid_to: dt.date | None


@dataclass
class Lookups:
    """What validation needs from the database, loaded once per file."""

    unit_by_code: Callable[[str], UnitRef | None]
    scope: UnitRef | None  # None: national
    fields: dict[str, int]  # choice key (code or name) → Field id
    periods: list[tuple[int, int, int]]  # (start year, end year, Period id)
    today: dt.date


MONEY_LIMIT = Decimal(10) ** 16
LAND_LIMIT = Decimal(10) ** 11
DAYS_LIMIT = Decimal(2**31 - 1)
TEXT_LIMITS = {
    "name": 300,
    "target_group": 300,
    "contact_name": 200,
    "contact_phone": 32,
    "recognition_issuer": 200,
    "exemplary_issuer": 200,
    "commendation_issuer": 200,
}
PLAIN_TEXTS = (
    "target_group",
    "goals",
    "content_method",
    "expected_results",
    "achieved_results",
    "contact_name",
)


class RowChecker:
    """Checks rows one at a time and returns them normalized for writing.

    Keeps only what a one-pass check needs: the lookups, small caches of choice values
    and, for the duplicate check, one small key per accepted row.
    """

    def __init__(self, header: Header, lookups: Lookups):
        self.header = header
        self.lookups = lookups
        self.positions = header.positions
        self.kinds = kind_choices()
        self.statuses = status_choices()
        self.levels = level_choices()
        self.forms = commendation_form_choices()
        self._status_labels = {s.value: str(s.label) for s in Status}
        self._units: dict[str, UnitRef | None] = {}
        self._present = list(header.positions.items())
        self._choices: dict[tuple[int, str], Any] = {}
        self._periods: dict[int, int | None] = {}
        self._groups = {
            prefix: [
                f"{prefix}_{part}"
                for part in ("number", "date", "issuer", "level", "form")
                if f"{prefix}_{part}" in header.positions
            ]
            for prefix in ("recognition", "exemplary", "commendation")
        }
        # Duplicate check: hash of (unit id, period id, folded name) → first row. A hash
        # (8 bytes of it, not the name) keeps the memory small for 10^5 rows; two different
        # keys sharing a 64-bit hash in one file is a chance of about n²/2^65 (10^-9).
        self._seen: dict[int, int] = {}

    # The returned row (a plain dict, JSON-ready after services.stage) or None, and errors.
    def check(
        self, number: int, cells: tuple[Any, ...]
    ) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
        errors: list[dict[str, Any]] = []
        positions = self.positions
        # The row's non-empty cells by column key.
        present: dict[str, Any] = {}
        for key, index in self._present:
            value = cells[index]
            if value is not None and (type(value) is not str or value.strip()):
                present[key] = value
        raw = present.get

        def fail(key: str, message: str) -> None:
            # A decision's level or issuer with no column of its own: report on its number.
            if key not in COLUMN_BY_KEY:
                key = key.rsplit("_", 1)[0] + "_number"
            column = COLUMN_BY_KEY[key]
            errors.append(
                {
                    "row": number,
                    "column": self.header.letter(key) if key in positions else "",
                    "field": header_label(column),
                    "message": message,
                }
            )

        def text(key: str) -> str:
            value = cell_text(raw(key))
            limit = TEXT_LIMITS.get(key)
            if limit is not None and len(value) > limit:
                fail(key, _("Quá %(n)s ký tự.") % {"n": limit})
                return value[:limit]
            return value

        row: dict[str, Any] = {"row": number}
        for key in REQUIRED_VALUES:
            if not cell_text(raw(key)):
                fail(key, _("Không được để trống."))

        code = cell_text(raw("unit_code"))
        unit = self._unit(code, fail) if code else None
        name = text("name")
        row["name"] = name
        row["name_folded"] = fold(name)

        kind_raw = cell_text(raw("kind"))
        row["kind"] = self._choose(self.kinds, kind_raw)
        if kind_raw and row["kind"] is None:
            fail(
                "kind",
                _("Loại “%(v)s” không có; chọn: %(choices)s.")
                % {"v": kind_raw, "choices": ", ".join(str(k.label) for k in EntryKind)},
            )
        field_raw = cell_text(raw("field"))
        row["field_id"] = self._choose(self.lookups.fields, field_raw)
        if field_raw and row["field_id"] is None:
            fail("field", _("Lĩnh vực “%(v)s” không có trong danh mục.") % {"v": field_raw})

        year: int | None = None
        period_id: int | None = None
        try:
            year = parse_year(raw("registration_year"))
        except BadValue as exc:
            fail("registration_year", str(exc))
        if year is not None:
            if not 2000 <= year <= self.lookups.today.year + 1:
                fail(
                    "registration_year",
                    _("Năm đăng ký phải từ 2000 đến năm sau (%(last)s); bạn ghi %(y)s.")
                    % {"last": self.lookups.today.year + 1, "y": year},
                )
            else:
                period_id = self._period(year)
                if period_id is None:
                    fail(
                        "registration_year",
                        _("Năm %(year)s không thuộc giai đoạn nào của phong trào.")
                        % {"year": year},
                    )
        row["registration_year"] = year
        row["period_id"] = period_id
        if (
            unit is not None
            and unit.valid_to is not None
            and year is not None
            and year > unit.valid_to.year
        ):
            fail(
                "unit_code",
                _(
                    "Đơn vị “%(unit)s” đã hết hiệu lực từ %(day)s; chỉ nhập được mô hình"
                    " đăng ký đến năm %(year)s."
                )
                % {
                    "unit": unit.name,
                    "day": unit.valid_to.strftime("%d/%m/%Y"),
                    "year": unit.valid_to.year,
                },
            )
        row["unit_id"] = unit.id if unit is not None else None

        for key in PLAIN_TEXTS:
            if key in positions:
                row[key] = text(key)
        phone = raw("contact_phone")
        if isinstance(phone, int | float) and not isinstance(phone, bool):
            # Excel drops the leading 0 of a phone number typed as a number.
            digits = cell_text(phone)
            row["contact_phone"] = "0" + digits if len(digits) == 9 else digits
        elif "contact_phone" in positions:
            row["contact_phone"] = text("contact_phone")

        try:
            row["start_date"] = parse_date(raw("start_date"))
        except BadValue as exc:
            fail("start_date", str(exc))
        for key, places, limit in (
            ("money_mobilized", 0, MONEY_LIMIT),
            ("working_days", 0, DAYS_LIMIT),
            ("land_donated_m2", 1, LAND_LIMIT),
        ):
            try:
                row[key] = parse_number(raw(key), places=places, limit=limit)
            except BadValue as exc:
                fail(key, str(exc))
        if row.get("working_days") is not None:
            row["working_days"] = int(row["working_days"])

        self._check_history(row, raw, fail, text, year)

        if errors:
            errors.sort(key=lambda e: (len(e["column"]), e["column"]))  # left to right
            return None, errors
        if unit is not None and period_id is not None:
            natural = hash((unit.id, period_id, row["name_folded"]))
            first = self._seen.get(natural)
            if first is not None:
                fail(
                    "name",
                    _("Trùng với dòng %(row)s (cùng đơn vị, giai đoạn và tên).") % {"row": first},
                )
                return None, errors
            self._seen[natural] = number
        return row, errors

    def _choose(self, table: dict[str, Any], text: str) -> Any:
        """The code (or id) *text* names in *table*, None if none; cached per text, since
        a column's values repeat from row to row."""
        if not text:
            return None
        key = (id(table), text)
        if key in self._choices:
            return self._choices[key]
        found = table.get(choice_key(text))
        if len(self._choices) < 10_000:
            self._choices[key] = found
        return found

    def _period(self, year: int) -> int | None:
        if year not in self._periods:
            self._periods[year] = next(
                (p for start, end, p in self.lookups.periods if start <= year <= end), None
            )
        return self._periods[year]

    def _unit(self, code: str, fail: Callable[[str, str], None]) -> UnitRef | None:
        if code in self._units:
            unit = self._units[code]
        else:
            unit = self.lookups.unit_by_code(code)
            if unit is None and code.isdigit():
                # Excel turns "06" typed in a number cell into 6.
                for width in (2, 5):
                    unit = self.lookups.unit_by_code(code.zfill(width))
                    if unit is not None:
                        break
            self._units[code] = unit
        if unit is None:
            fail("unit_code", _("Không có đơn vị mã “%(code)s”.") % {"code": code})
            return None
        scope = self.lookups.scope
        if scope is not None and not unit.path.startswith(scope.path):
            fail(
                "unit_code",
                _("Đơn vị “%(unit)s” (mã %(code)s) không thuộc phạm vi của “%(scope)s”.")
                % {"unit": unit.name, "code": unit.code, "scope": scope.name},
            )
            return None
        return unit

    def _decision(
        self,
        prefix: str,
        raw: Callable[[str], Any],
        fail: Callable[[str, str], None],
        text: Callable[[str], str],
        *,
        default_issuer: str = "",
        default_level: str = "",
    ) -> tuple[bool, list[Any] | None]:
        """(any cell of the group filled, [number, key, date, issuer, level, form] or None)."""
        given = any(raw(k) is not None for k in self._groups[prefix])
        if not given:
            return False, None
        ok = True
        number = text(f"{prefix}_number")
        parsed: docnumber.DocumentNumber | None = None
        if not number:
            fail(f"{prefix}_number", _("Nhập số, ký hiệu quyết định."))
            ok = False
        else:
            try:
                parsed = docnumber.parse(number)
            except docnumber.DocumentNumberError as exc:
                fail(f"{prefix}_number", str(exc))
                ok = False
        day: dt.date | None = None
        try:
            day = parse_date(raw(f"{prefix}_date"))
        except BadValue as exc:
            fail(f"{prefix}_date", str(exc))
            ok = False
        else:
            if day is None:
                fail(f"{prefix}_date", _("Nhập ngày quyết định."))
                ok = False
            elif day > self.lookups.today:
                fail(f"{prefix}_date", _("Ngày quyết định không được sau hôm nay."))
                ok = False
        issuer = text(f"{prefix}_issuer") if f"{prefix}_issuer" in self.positions else ""
        issuer = issuer or default_issuer
        if not issuer:
            fail(f"{prefix}_issuer", _("Nhập cơ quan ban hành quyết định."))
            ok = False
        level = default_level
        level_raw = cell_text(raw(f"{prefix}_level"))
        if level_raw:
            level = self._choose(self.levels, level_raw) or ""
            if not level:
                fail(
                    f"{prefix}_level",
                    _("Cấp “%(v)s” không có; chọn: %(choices)s.")
                    % {"v": level_raw, "choices": ", ".join(str(x.label) for x in Level)},
                )
                ok = False
        elif not level:
            fail(
                f"{prefix}_level",
                _("Chọn cấp: %(c)s.") % {"c": ", ".join(str(x.label) for x in Level)},
            )
            ok = False
        form = Decision.Form.DECISION.value
        if prefix == "commendation":
            form_raw = cell_text(raw("commendation_form"))
            found = self._choose(self.forms, form_raw)
            if found is None:
                fail(
                    "commendation_form",
                    _("Chọn hình thức khen thưởng: %(c)s.")
                    % {"c": ", ".join(str(f.label) for f in COMMENDATION_FORMS)},
                )
                ok = False
            else:
                form = found
        if not ok or parsed is None or day is None:
            return True, None
        return True, [parsed.raw, parsed.key, day, issuer, level, form]

    def _check_history(
        self,
        row: dict[str, Any],
        raw: Callable[[str], Any],
        fail: Callable[[str, str], None],
        text: Callable[[str], str],
        year: int | None,
    ) -> None:
        """Status, milestones and decisions of a historical row."""
        rec_given, rec = self._decision("recognition", raw, fail, text)
        rec_issuer = rec[3] if rec else ""
        rec_level = rec[4] if rec else ""
        ex_given, ex = self._decision(
            "exemplary", raw, fail, text, default_issuer=rec_issuer, default_level=rec_level
        )
        com_given, com = self._decision(
            "commendation", raw, fail, text, default_issuer=rec_issuer, default_level=rec_level
        )
        status_raw = cell_text(raw("status"))
        status: str | None
        if status_raw:
            status = self._choose(self.statuses, status_raw)
            if status is None:
                fail(
                    "status",
                    _("Trạng thái “%(v)s” không có; chọn: %(choices)s.")
                    % {
                        "v": status_raw,
                        "choices": ", ".join(str(s.label) for s in IMPORT_STATUSES),
                    },
                )
                return
        elif ex_given:
            status = Status.EXEMPLARY
        elif rec_given:
            status = Status.RECOGNIZED
        else:
            status = Status.REGISTERED
        label = self._status_labels[status]
        if status in NEEDS_RECOGNITION and not rec_given:
            fail(
                "recognition_number",
                _("Trạng thái “%(s)s” cần số và ngày quyết định công nhận.") % {"s": label},
            )
        if status in NEEDS_EXEMPLARY and not ex_given:
            fail(
                "exemplary_number",
                _("Trạng thái “%(s)s” cần số và ngày quyết định chọn tiêu biểu.") % {"s": label},
            )
        if status in BEFORE_RECOGNITION and (rec_given or ex_given):
            fail(
                "status",
                _("Có quyết định công nhận, tiêu biểu nhưng trạng thái là “%(s)s”.") % {"s": label},
            )
        if (ex_given or com_given) and not rec_given and status not in NEEDS_RECOGNITION:
            fail(
                "recognition_number",
                _(
                    "Chỉ chọn tiêu biểu, khen thưởng mô hình đã được công nhận: nhập quyết định"
                    " công nhận."
                ),
            )
        if rec and year is not None and rec[2].year < year:
            fail("recognition_date", _("Ngày quyết định công nhận trước năm đăng ký."))
        if rec and ex and ex[2] < rec[2]:
            fail("exemplary_date", _("Ngày chọn tiêu biểu trước ngày công nhận."))
        if rec and com and com[2] < rec[2]:
            fail("commendation_date", _("Ngày khen thưởng trước ngày công nhận."))
        row["status"] = status
        row["decisions"] = [
            [kind, *d]
            for kind, d in (
                (Decision.Kind.RECOGNITION.value, rec),
                (Decision.Kind.EXEMPLARY.value, ex),
                (Decision.Kind.COMMENDATION.value, com),
            )
            if d is not None
        ]


# -- the template ------------------------------------------------------------------

_HEADER_FILL = PatternFill("solid", fgColor="FFD9E2F3")
_LIST_SHEET = gettext_noop("Danh mục")
_GUIDE_SHEET = gettext_noop("Hướng dẫn")
_EXAMPLE_SHEET = gettext_noop("Ví dụ")


def _example_rows(field_name: str) -> list[dict[str, Any]]:
    return [
        {
            "unit_code": "19",
            "name": _("Mô hình “Dân vận khéo” vận động nhân dân hiến đất làm đường"),
            "kind": str(EntryKind.INITIATIVE.label),
            "field": field_name,
            "registration_year": 2024,
            "start_date": dt.date(2024, 3, 1),
            "target_group": _("Hộ gia đình trong xã"),
            "goals": _("Bê tông hóa đường liên thôn"),
            "content_method": _("Họp thôn, vận động hiến đất, góp ngày công"),
            "achieved_results": _("3,2 km đường bê tông"),
            "money_mobilized": 1500000000,
            "working_days": 1200,
            "land_donated_m2": 3500,
            "contact_name": "Nguyễn Văn A",
            "contact_phone": "0912345678",
            "status": str(Status.REGISTERED.label),
        },
        {
            "unit_code": "06",
            "name": _("Điển hình tập thể Hội Phụ nữ thôn Nà Pài"),
            "kind": str(EntryKind.COLLECTIVE.label),
            "field": field_name,
            "registration_year": 2018,
            "status": str(Status.RECOGNIZED.label),
            "recognition_number": "125/QĐ-UBND",
            "recognition_date": dt.date(2018, 11, 20),
            "recognition_issuer": _("UBND tỉnh Bắc Kạn"),
            "recognition_level": str(Level.PROVINCE.label),
        },
        {
            "unit_code": "06",
            "name": _("Điển hình cá nhân ông Hoàng Văn B, trưởng thôn"),
            "kind": str(EntryKind.INDIVIDUAL.label),
            "field": field_name,
            "registration_year": 2018,
            "status": str(Status.EXEMPLARY.label),
            "recognition_number": "15-QĐ/TU",
            "recognition_date": dt.date(2018, 9, 5),
            "recognition_issuer": _("Tỉnh ủy Bắc Kạn"),
            "recognition_level": str(Level.PROVINCE.label),
            "exemplary_number": "20-QĐ/TU",
            "exemplary_date": "15/12/2018",
            "commendation_number": "301/QĐ-UBND",
            "commendation_date": "20/12/2018",
            "commendation_form": str(Decision.Form.MERIT.label),
            "commendation_issuer": _("UBND tỉnh Bắc Kạn"),
        },
    ]


def _write_header(sheet: Any) -> None:
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=header_label(column))
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.kind == "date":
            sheet.column_dimensions[letter].number_format = DATE_FORMAT
        elif column.key in ("unit_code", "contact_phone") or column.key.endswith("_number"):
            sheet.column_dimensions[letter].number_format = "@"
    sheet.freeze_panes = "C2"


def build_template(*, fields: list[tuple[str, str]]) -> bytes:
    """The import template: the (empty) data sheet, a guide, the allowed values and
    example rows. *fields* are the active fields as (code, name)."""
    book = Workbook()
    data = book.active
    data.title = _(DATA_SHEET)
    _write_header(data)

    lists = book.create_sheet(_(_LIST_SHEET))
    columns = [
        (_("Loại"), [str(k.label) for k in EntryKind]),
        (_("Lĩnh vực"), [name for _code, name in fields]),
        (_("Trạng thái"), [str(s.label) for s in IMPORT_STATUSES]),
        (_("Cấp"), [str(level.label) for level in Level]),
        (_("Hình thức khen thưởng"), [str(f.label) for f in COMMENDATION_FORMS]),
    ]
    targets = {
        "kind": 0,
        "field": 1,
        "status": 2,
        "recognition_level": 3,
        "exemplary_level": 3,
        "commendation_form": 4,
    }
    for c, (title, values) in enumerate(columns, start=1):
        lists.cell(row=1, column=c, value=title).font = Font(bold=True)
        lists.column_dimensions[get_column_letter(c)].width = 32
        for r, value in enumerate(values, start=2):
            lists.cell(row=r, column=c, value=value)
    for key, source in targets.items():
        letter = get_column_letter(source + 1)
        count = len(columns[source][1])
        # A warning, not a stop: codes and unaccented spellings are accepted too.
        validation = DataValidation(
            type="list",
            formula1=f"='{lists.title}'!${letter}$2:${letter}${count + 1}",
            allow_blank=True,
            errorStyle="warning",
        )
        target = get_column_letter([c.key for c in COLUMNS].index(key) + 1)
        validation.add(f"{target}2:{target}5000")
        data.add_data_validation(validation)

    guide = book.create_sheet(_(_GUIDE_SHEET))
    guide.column_dimensions["A"].width = 28
    guide.column_dimensions["B"].width = 100
    lines: list[tuple[str, str]] = [
        (_("Cách dùng"), ""),
        (
            "1",
            _(
                "Nhập mỗi mô hình, điển hình trên một dòng của trang “%(sheet)s”, bắt đầu từ"
                " dòng 2. Không đổi tên cột; có thể bỏ các cột không bắt buộc ở cuối."
            )
            % {"sheet": _(DATA_SHEET)},
        ),
        (
            "2",
            _(
                "Bắt buộc: Mã đơn vị, Tên mô hình/điển hình, Loại, Lĩnh vực, Năm đăng ký. Mã"
                " đơn vị phải thuộc đơn vị nhận dữ liệu; có thể dùng mã đơn vị đã sáp nhập"
                " (ví dụ Bắc Kạn “06”) cho số liệu các năm trước."
            ),
        ),
        ("3", _("Ngày ghi theo dạng ngày/tháng/năm (15/03/2021) hoặc định dạng ngày của Excel.")),
        (
            "4",
            _(
                "Số tiền, ngày công, diện tích là số không âm; có thể viết 150.000.000. Ô trống"
                " khi nhập lại không xóa dữ liệu đã có."
            ),
        ),
        (
            "5",
            _(
                "Số liệu các năm trước: ghi Trạng thái và quyết định. “Được công nhận” cần số,"
                " ngày, cơ quan và cấp công nhận; “Điển hình tiêu biểu” cần thêm số và ngày"
                " quyết định tiêu biểu. Số quyết định viết như 15/QĐ-UBND hoặc 20-QĐ/TU."
            ),
        ),
        (
            "6",
            _(
                "Nhập lại cùng tệp không tạo bản ghi trùng: dòng cùng đơn vị, giai đoạn và tên"
                " (không phân biệt hoa thường, dấu) cập nhật bản ghi đã có."
            ),
        ),
        ("", ""),
        (_("Cột"), _("Ghi chú")),
    ]
    for column in COLUMNS:
        note = _("bắt buộc") if column.key in REQUIRED_VALUES else _("không bắt buộc")
        lines.append((header_label(column), note))
    lines += [("", ""), (_("Giá trị được chấp nhận"), "")]
    lines.append((_("Loại"), "; ".join(f"{k.label} ({k.value})" for k in EntryKind)))
    lines.append((_("Lĩnh vực"), "; ".join(f"{name} ({code})" for code, name in fields)))
    lines.append((_("Trạng thái"), "; ".join(f"{s.label} ({s.value})" for s in IMPORT_STATUSES)))
    lines.append((_("Cấp"), "; ".join(f"{x.label} ({x.value})" for x in Level)))
    lines.append(
        (
            _("Hình thức khen thưởng"),
            "; ".join(f"{f.label} ({f.value})" for f in COMMENDATION_FORMS),
        )
    )
    for r, (a, b) in enumerate(lines, start=1):
        guide.cell(row=r, column=1, value=a).font = Font(bold=not b or r == 1)
        guide.cell(row=r, column=2, value=b).alignment = Alignment(wrap_text=True)

    example = book.create_sheet(_(_EXAMPLE_SHEET))
    _write_header(example)
    default_field = fields[0][1] if fields else ""
    for r, example_row in enumerate(_example_rows(default_field), start=2):
        for c, column in enumerate(COLUMNS, start=1):
            sample = example_row.get(column.key)
            example.cell(row=r, column=c, value=sample)

    return book.to_bytes()
