"""The report's exports: Word in the issuer's layout, the indicators in Excel."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from openpyxl import load_workbook

from danvan.core.charts import Item, Series
from danvan.legal.layoutcheck import assert_follows_layout, check_document
from danvan.reports.exports.chart_png import bar_chart_png, font, font_covers_vietnamese
from danvan.reports.exports.document import (
    AnnexRow,
    ChildRow,
    ChildTable,
    IndicatorRow,
    IndicatorTable,
    Level,
    ReportChart,
    ReportDocument,
    Section,
    TableRow,
)
from danvan.reports.exports.excel import indicators_xlsx, indicators_xlsx_chunks
from danvan.reports.exports.word import official_document, report_docx

pytestmark = pytest.mark.django_db

CHART = ReportChart(
    title="Hội nghị đối thoại theo xã",
    items=[Item("Xã Ea Tiêu", {"now": 12, "before": 7}), Item("Xã Đắk Liêng", {"now": 3})],
    series=[Series("now", "Kỳ này", "#0d6efd"), Series("before", "Kỳ trước", "#6c757d")],
)
STATE = ReportDocument(
    family="state",
    superior_body="UBND TỈNH THỬ NGHIỆM",
    issuer_body="BAN CHỈ ĐẠO THỬ NGHIỆM XYZ",
    number="21/BC-BCĐ",
    place="Thành Phố Thử",
    issued_on=dt.date(2027, 6, 20),
    doc_type_title="BÁO CÁO",
    excerpt="Kết quả thực hiện dân chủ ở cơ sở 6 tháng đầu năm 2027",
    signing_authority="TM. BAN CHỈ ĐẠO",
    signer_position="TRƯỞNG BAN",
    signer_name="Nguyễn Văn Thử",
    recipients=["- Ban Chỉ đạo Trung ương;", "- Lưu: VT."],
    sections=[
        Section(
            title="I. KẾT QUẢ THỰC HIỆN",
            paragraphs=["Sáu tháng đầu năm, các xã tổ chức hội nghị đối thoại."],
            indicators=[
                IndicatorRow("Số hội nghị đối thoại", "hội nghị", 3321, 2900, 3000),
                IndicatorRow("Tỉ lệ xã có quy chế", "%", 97.5, None, 95),
            ],
            charts=[CHART],
        ),
        Section(title="II. PHƯƠNG HƯỚNG", paragraphs=["Tiếp tục thực hiện."]),
    ],
    children=ChildTable(
        title="Số liệu theo xã",
        indicators=["Hội nghị", "Tỉ lệ (%)"],
        rows=[ChildRow("Xã Ea Tiêu", [12, 100]), ChildRow("Xã Đắk Liêng", [3, None])],
    ),
    annex=[
        AnnexRow("DC01", "Số hội nghị đối thoại", "democracy.dialogues", "hội nghị", 3321, 3321),
        AnnexRow("DC02", "Tỉ lệ xã có quy chế", "democracy.charters", "%", 97.5, 124, "124 xã"),
    ],
)
PARTY = dataclasses.replace(
    STATE,
    family="party",
    superior_body="TỈNH ỦY THỬ NGHIỆM",
    issuer_body="BAN TUYÊN GIÁO VÀ DÂN VẬN",
    number="45-BC/BTGDV",
    signing_authority="T/M BAN THƯỜNG VỤ",
    signer_position="PHÓ BÍ THƯ",
)


def _texts(data: bytes) -> list[str]:
    word = Document(io.BytesIO(data))
    texts = [p.text for p in word.paragraphs]
    for table in word.tables:
        for tr in table._tbl.tr_lst:
            texts.append(
                " | ".join("".join(t.text or "" for t in tc.iter(qn("w:t"))) for tc in tr.tc_lst)
            )
    return texts


@pytest.mark.parametrize("doc", [STATE, PARTY], ids=["state", "party"])
def test_the_report_follows_its_issuers_layout(doc: ReportDocument) -> None:
    data = report_docx(doc)
    assert_follows_layout(data, official_document(doc))
    texts = _texts(data)
    assert "BÁO CÁO" in texts
    number = "Số: 21/BC-BCĐ" if doc.family == "state" else "Số 45-BC/BTGDV"
    word = Document(io.BytesIO(data))
    left = word.tables[0].rows[0].cells[0]
    assert number in [p.text for p in left.paragraphs]
    # The figures, in the section's table.
    assert "1 | Số hội nghị đối thoại | hội nghị | 3.321 | 2.900 | 3.000" in texts
    assert "2 | Tỉ lệ xã có quy chế | % | 97,5 |  | 95" in texts
    assert "Bảng 1. I. KẾT QUẢ THỰC HIỆN" in texts
    # The chart, as a picture, with its caption.
    assert "Biểu đồ 1. Hội nghị đối thoại theo xã" in texts
    assert len(word.inline_shapes) == 1
    # The child units' table and the annex with each figure's source query and counts.
    assert "2 | Xã Đắk Liêng | 3 | " in texts
    assert "PHỤ LỤC: NGUỒN SỐ LIỆU CỦA CÁC CHỈ TIÊU" in texts
    assert (
        "1 | DC01 | Số hội nghị đối thoại | democracy.dialogues | hội nghị | 3.321 | 3.321 | "
        in texts
    )
    assert "2 | DC02 | Tỉ lệ xã có quy chế | democracy.charters | % | 97,5 | 124 | 124 xã" in texts
    assert texts.index("I. KẾT QUẢ THỰC HIỆN") < texts.index("II. PHƯƠNG HƯỚNG")


BY_FIELD = IndicatorTable(
    title="Mô hình đăng ký theo lĩnh vực",
    unit="mô hình",
    rows=[TableRow("Kinh tế", 1200, 900), TableRow("Văn hóa – xã hội", 52, None)],
    total=1252,
    previous_total=900,
)


def test_a_table_indicator_sits_in_its_section_row_by_row() -> None:
    first = dataclasses.replace(STATE.sections[0], tables=[BY_FIELD])
    doc = dataclasses.replace(
        STATE,
        sections=[first, *STATE.sections[1:]],
        child_tables=[
            ChildTable(
                title="Mô hình đăng ký theo lĩnh vực, theo đơn vị cấp dưới",
                indicators=["Kinh tế", "Văn hóa – xã hội"],
                rows=[ChildRow("Xã Ea Tiêu", [700, 2]), ChildRow("Xã Đắk Liêng", [500, 50])],
            )
        ],
    )
    data = report_docx(doc)
    assert_follows_layout(data, official_document(doc))
    texts = _texts(data)
    # After the section's figures (table 1), before its chart and the next section.
    caption = "Bảng 2. Mô hình đăng ký theo lĩnh vực"
    assert texts.index("Bảng 1. I. KẾT QUẢ THỰC HIỆN") < texts.index(caption)
    assert texts.index(caption) < texts.index("Biểu đồ 1. Hội nghị đối thoại theo xã")
    assert "STT | Nội dung | Kỳ này (mô hình) | Kỳ trước" in texts
    assert "1 | Kinh tế | 1.200 | 900" in texts
    assert "2 | Văn hóa – xã hội | 52 | " in texts
    assert " | Tổng cộng | 1.252 | 900" in texts
    # The children's rows of the table, after the children's figures.
    assert "Bảng 4. Mô hình đăng ký theo lĩnh vực, theo đơn vị cấp dưới" in texts
    assert "2 | Xã Đắk Liêng | 500 | 50" in texts


def test_the_checker_fails_a_report_with_the_wrong_margin() -> None:
    word = Document(io.BytesIO(report_docx(STATE)))
    word.sections[0].right_margin = Mm(20)  # the layout's is 15 mm
    out = io.BytesIO()
    word.save(out)
    problems = check_document(out.getvalue(), official_document(STATE))
    assert any("right margin" in p for p in problems), problems


def test_a_large_annex_is_written_whole() -> None:
    rows = [AnnexRow(f"X{i}", f"Xã {i}", "q", "người", i, i) for i in range(1, 501)]
    doc = dataclasses.replace(STATE, annex=rows)
    data = report_docx(doc)
    word = Document(io.BytesIO(data))
    annex = word.tables[-1]
    assert len(annex._tbl.tr_lst) == 501
    assert_follows_layout(data, official_document(doc))


def test_the_chart_font_draws_vietnamese() -> None:
    assert font_covers_vietnamese(font())
    png = bar_chart_png(CHART.title, CHART.items, CHART.series)
    assert png.startswith(b"\x89PNG")


def _levels() -> list[Level]:
    return [
        Level(
            name="Tỉnh",
            indicators=["Hội nghị", "Tỉ lệ (%)"],
            units_of_measure=["hội nghị", "%"],
            rows=iter([ChildRow("Tỉnh Thử", [3321, 97.5])]),
        ),
        Level(
            name="Xã",
            indicators=["Hội nghị", "Tỉ lệ (%)"],
            rows=(ChildRow(f"=Xã {i}" if i == 2 else f"Xã {i}", [i, None]) for i in range(1, 4)),
        ),
    ]


def test_the_indicators_workbook() -> None:
    book = load_workbook(io.BytesIO(indicators_xlsx(_levels())))
    assert book.sheetnames == ["Tỉnh", "Xã"]
    province, communes = book["Tỉnh"], book["Xã"]
    assert province.freeze_panes == "B3"
    assert communes.freeze_panes == "B2"
    rows = list(province.values)
    assert rows == [("Đơn vị", "Hội nghị", "Tỉ lệ (%)"), ("Đơn vị tính", "hội nghị", "%"),
                    ("Tỉnh Thử", 3321, 97.5)]  # fmt: skip
    assert isinstance(province["B3"].value, int)
    # A unit's name that looks like a formula stays text.
    assert communes["A3"].value == "=Xã 2"
    assert communes["A3"].data_type == "s"
    assert [r[0] for r in communes.values] == ["Đơn vị", "Xã 1", "=Xã 2", "Xã 3"]


def test_the_workbook_streams_in_chunks() -> None:
    data = b"".join(indicators_xlsx_chunks(_levels()))
    assert data.startswith(b"PK")
    assert load_workbook(io.BytesIO(data)).sheetnames == ["Tỉnh", "Xã"]
