"""The one Excel writer (danvan.core.excel): values are data, never formulas (issue 11)."""

from __future__ import annotations

import ast
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from danvan.core.excel import Workbook

CODE_LIKE = [
    '=HYPERLINK("http://x","y")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "#N/A",
]


def _read_back(wb: Workbook) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(wb.to_bytes())).worksheets[-1]
    return [list(row) for row in sheet.iter_rows()]


@pytest.mark.parametrize("write_only", [False, True])
def test_code_like_strings_are_saved_as_text(write_only: bool) -> None:
    wb = Workbook(write_only=write_only)
    sheet = wb.create_sheet("x") if write_only else wb.active
    assert sheet is not None
    sheet.append(CODE_LIKE)
    (row,) = _read_back(wb)
    for cell, typed in zip(row, CODE_LIKE, strict=True):
        assert cell.data_type == "s", typed
        assert cell.value == typed
        assert cell.quotePrefix


def test_every_way_into_a_cell_is_covered() -> None:
    """ws.cell(value=…) and ws["B1"] = … are made safe at save as well as ws.append."""
    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.cell(row=1, column=1, value="=1+1")
    sheet["B1"] = "=2+2"
    (row,) = _read_back(wb)
    assert [(c.value, c.data_type) for c in row] == [
        ("=1+1", "s"),
        ("=2+2", "s"),
    ]


@pytest.mark.parametrize("write_only", [False, True])
def test_numbers_and_dates_stay_numbers_and_dates(write_only: bool) -> None:
    wb = Workbook(write_only=write_only)
    sheet = wb.create_sheet("x") if write_only else wb.active
    assert sheet is not None
    # Excel has no time zones: an export writes local wall-clock datetimes, naive.
    moment_in = dt.datetime(2026, 2, 14, 8, 30)  # noqa: DTZ001
    sheet.append([-5, 2.5, dt.date(2026, 2, 14), moment_in, "Tết"])
    (row,) = _read_back(wb)
    number, real, day, moment, text = row
    assert (number.value, number.data_type) == (-5, "n")
    assert (real.value, real.data_type) == (2.5, "n")
    assert day.value.date() == dt.date(2026, 2, 14)
    assert day.number_format == "DD/MM/YYYY"
    assert moment.value == moment_in
    assert moment.number_format == "DD/MM/YYYY HH:MM"
    assert (text.value, text.data_type, text.quotePrefix) == ("Tết", "s", False)


# --- the walk: no module builds a workbook except through core.excel -------------------

DANVAN = Path(__file__).resolve().parents[2]
# Names that create a writable workbook or a cell outside core.excel's control.
_FORBIDDEN = {"Workbook", "WriteOnlyCell", "load_workbook"}


def _bypasses(tree: ast.AST) -> list[str]:
    found: list[str] = []
    # Names bound to openpyxl or one of its modules ("import openpyxl as xl").
    modules = {"openpyxl"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "openpyxl":
                    modules.add(alias.asname or "openpyxl")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("openpyxl"):
            names = [a.name for a in node.names if a.name in _FORBIDDEN]
            found += [f"from {node.module} import {name}" for name in names]
            modules.update(a.asname or a.name for a in node.names if a.name == "workbook")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in _FORBIDDEN:
            # openpyxl.Workbook(...), xl.workbook.Workbook, openpyxl.load_workbook
            base = node.value
            while isinstance(base, ast.Attribute):
                base = base.value
            if isinstance(base, ast.Name) and base.id in modules:
                found.append(f"{base.id}….{node.attr}")
    return found


def test_the_walk_catches_a_bypass() -> None:
    sample = "import openpyxl\nfrom openpyxl import Workbook\nwb = openpyxl.Workbook()\n"
    assert len(_bypasses(ast.parse(sample))) == 2
    sample = "import openpyxl as xl\nfrom openpyxl import workbook\nxl.load_workbook(f)\n"
    sample += "workbook.Workbook()\n"
    assert len(_bypasses(ast.parse(sample))) == 2
    # Reading helpers and styles are not writing a workbook.
    sample = "from openpyxl.styles import Font\nfrom openpyxl.reader.excel import ExcelReader\n"
    assert _bypasses(ast.parse(sample)) == []


def test_no_module_writes_a_workbook_except_through_core_excel() -> None:
    """A module under danvan/ (tests aside: they read workbooks back) that imports
    openpyxl's Workbook, WriteOnlyCell or load_workbook would write cells that core.excel
    never sees."""
    offenders: dict[str, list[str]] = {}
    for path in sorted(DANVAN.rglob("*.py")):
        relative = path.relative_to(DANVAN)
        if "tests" in relative.parts or relative == Path("core/excel.py"):
            continue
        found = _bypasses(ast.parse(path.read_text(encoding="utf-8")))
        if found:
            offenders[str(relative)] = found
    assert offenders == {}
    # The walk did see the exports.
    assert (DANVAN / "movement" / "entries" / "export.py").exists()
