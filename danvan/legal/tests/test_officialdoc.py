"""The Word writer lays documents out by the layout data in force (domain.md §6b)."""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import inspect
import io
from decimal import Decimal

import pytest
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Length, Pt
from docx.text.paragraph import Paragraph

from danvan.core.errors import DomainError
from danvan.legal import officialdoc
from danvan.legal.layoutcheck import assert_follows_layout
from danvan.legal.layouts import layout_for
from danvan.legal.models import DocumentLayout
from danvan.legal.officialdoc import (
    Block,
    BodyText,
    DataTable,
    OfficialDocument,
    SectionTitle,
    cell_text,
    date_line,
    render_docx,
)

pytestmark = pytest.mark.django_db

# Names that are NOT in any layout: they must reach the file from the document only.
STATE = OfficialDocument(
    family="state",
    superior_body="UBND TỈNH THỬ NGHIỆM",
    issuer_body="BAN CHỈ ĐẠO THỬ NGHIỆM XYZ",
    number="15/TB-BCĐ",
    place="Thành Phố Thử",
    issued_on=dt.date(2027, 2, 5),
    doc_type_title="THÔNG BÁO",
    excerpt="Kết luận của Trưởng Ban tại Hội nghị sơ kết",
    body=["Đoạn thứ nhất của nội dung.", "Đoạn thứ hai của nội dung."],
    signing_authority="KT. TRƯỞNG BAN",
    signer_position="PHÓ TRƯỞNG BAN",
    signer_name="Nguyễn Văn Thử",
    recipients=["- Như trên;", "- Lưu: VT."],
)
PARTY = dataclasses.replace(
    STATE,
    family="party",
    superior_body="TỈNH ỦY THỬ NGHIỆM",
    issuer_body="ĐẢNG ỦY CƠ QUAN THỬ",
    number="05-TB/ĐU",
    signing_authority="T/M BAN THƯỜNG VỤ",
    signer_position="BÍ THƯ",
)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2027, 2, 5), "Thái Nguyên, ngày 05 tháng 02 năm 2027"),
        (dt.date(2027, 1, 9), "Thái Nguyên, ngày 09 tháng 01 năm 2027"),
        (dt.date(2027, 1, 10), "Thái Nguyên, ngày 10 tháng 01 năm 2027"),
        (dt.date(2027, 2, 28), "Thái Nguyên, ngày 28 tháng 02 năm 2027"),
        # From March the month takes no leading zero (Decree 30/2020, Appendix I).
        (dt.date(2027, 3, 1), "Thái Nguyên, ngày 01 tháng 3 năm 2027"),
        (dt.date(2027, 9, 30), "Thái Nguyên, ngày 30 tháng 9 năm 2027"),
        (dt.date(2027, 10, 2), "Thái Nguyên, ngày 02 tháng 10 năm 2027"),
        (dt.date(2027, 12, 31), "Thái Nguyên, ngày 31 tháng 12 năm 2027"),
    ],
)
def test_date_line(day: dt.date, expected: str) -> None:
    assert date_line("Thái Nguyên", day) == expected


def _mm(length: Length | None) -> float:
    """A length as Word stores it (in twentieths of a point), to the tenth of a mm."""
    assert length is not None
    return round(length.mm, 1)


def _open(doc: OfficialDocument) -> DocumentObject:
    return Document(io.BytesIO(render_docx(doc)))


def _all_paragraphs(word: DocumentObject) -> list[Paragraph]:
    paragraphs = list(word.paragraphs)
    for table in word.tables:
        for cell in table._cells:
            paragraphs.extend(cell.paragraphs)
    return paragraphs


def _find(word: DocumentObject, text: str) -> Paragraph:
    matches = [p for p in _all_paragraphs(word) if p.text == text]
    assert len(matches) == 1, f"{text!r}: {[p.text for p in _all_paragraphs(word)]}"
    return matches[0]


def _style(paragraph: Paragraph) -> tuple[float | None, bool, bool]:
    run = paragraph.runs[0]
    assert run.font.name == "Times New Roman"
    # Vietnamese letters Word files under the east-asian slot use the same font.
    rpr = run._r.rPr
    assert rpr is not None
    assert rpr.rFonts is not None
    assert rpr.rFonts.get(qn("w:eastAsia")) == "Times New Roman"
    size = run.font.size.pt if run.font.size is not None else None
    return size, bool(run.bold), bool(run.italic)


@pytest.mark.parametrize("doc", [STATE, PARTY], ids=["state", "party"])
def test_page_margins_and_orientation_follow_the_layout(doc: OfficialDocument) -> None:
    layout = layout_for(doc.family, doc.issued_on)
    section = _open(doc).sections[0]
    assert (_mm(section.page_width), _mm(section.page_height)) == (210, 297)
    assert _mm(section.top_margin) == layout.margin_top_mm
    assert _mm(section.bottom_margin) == layout.margin_bottom_mm
    assert _mm(section.left_margin) == layout.margin_left_mm
    assert _mm(section.right_margin) == layout.margin_right_mm


def test_state_document_key_paragraphs() -> None:
    word = _open(STATE)
    layout = layout_for("state", STATE.issued_on)
    assert _style(_find(word, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")) == (13, True, False)
    assert _style(_find(word, "Độc lập - Tự do - Hạnh phúc")) == (14, True, False)
    assert _style(_find(word, "UBND TỈNH THỬ NGHIỆM")) == (13, False, False)
    assert _style(_find(word, "BAN CHỈ ĐẠO THỬ NGHIỆM XYZ")) == (13, True, False)
    assert _style(_find(word, "Số: 15/TB-BCĐ")) == (13, False, False)
    assert _style(_find(word, "Thành Phố Thử, ngày 05 tháng 02 năm 2027")) == (14, False, True)
    assert _style(_find(word, "THÔNG BÁO")) == (14, True, False)
    assert _style(_find(word, STATE.excerpt)) == (14, True, False)
    assert _style(_find(word, "KT. TRƯỞNG BAN")) == (14, True, False)
    assert _style(_find(word, "PHÓ TRƯỞNG BAN")) == (14, True, False)
    assert _style(_find(word, "Nguyễn Văn Thử")) == (14, True, False)
    assert _style(_find(word, "Nơi nhận:")) == (12, True, True)
    assert _style(_find(word, "- Lưu: VT.")) == (11, False, False)
    body = _find(word, "Đoạn thứ nhất của nội dung.")
    assert _style(body) == (14, False, False)
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    indent = body.paragraph_format.first_line_indent
    assert round(indent.cm, 2) == float(layout.first_line_indent_cm)
    assert body.paragraph_format.space_after == Pt(layout.paragraph_spacing_pt)
    # The heading has no "*" (that is the Party's), and no Party words at all.
    texts = [p.text for p in _all_paragraphs(word)]
    assert "*" not in texts
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in texts


def test_state_heading_has_the_rules_under_the_issuer_and_the_motto() -> None:
    word = _open(STATE)
    heading = word.tables[0]
    left, right = heading.rows[0].cells
    ruled = [
        cell
        for cell in (left, right)
        for p in cell.paragraphs
        if p._p.pPr is not None and p._p.pPr.find(qn("w:pBdr")) is not None
    ]
    assert len(ruled) == 2
    # Borderless: the heading is a layout grid, not a table to read.
    borders = heading._tbl.tblPr.find(qn("w:tblBorders"))
    assert {edge.get(qn("w:val")) for edge in borders} == {"nil"}


def test_party_document_key_paragraphs() -> None:
    word = _open(PARTY)
    left, right = word.tables[0].rows[0].cells
    assert [p.text for p in left.paragraphs] == [
        "TỈNH ỦY THỬ NGHIỆM",
        "ĐẢNG ỦY CƠ QUAN THỬ",
        "*",
        "Số 05-TB/ĐU",
    ]
    assert right.paragraphs[0].text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert _style(right.paragraphs[0]) == (15, True, False)
    assert _style(_find(word, "Số 05-TB/ĐU")) == (14, False, False)
    assert _style(_find(word, "T/M BAN THƯỜNG VỤ")) == (14, True, False)
    assert _style(_find(word, "Thành Phố Thử, ngày 05 tháng 02 năm 2027")) == (14, False, True)
    texts = [p.text for p in _all_paragraphs(word)]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in texts
    assert not any(t.startswith("Số:") for t in texts)


@pytest.mark.parametrize("doc", [STATE, PARTY], ids=["state", "party"])
def test_page_numbers_from_page_two_centred_at_the_top(doc: OfficialDocument) -> None:
    section = _open(doc).sections[0]
    assert section.different_first_page_header_footer is True
    header = section.header.paragraphs[0]
    assert header.alignment == WD_ALIGN_PARAGRAPH.CENTER
    instructions = [e.text for e in header._p.iter(qn("w:instrText"))]
    assert [i.strip() for i in instructions] == ["PAGE"]
    kinds = [e.get(qn("w:fldCharType")) for e in header._p.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"]
    first = section.first_page_header
    assert first.is_linked_to_previous is False
    assert all(not p.text for p in first.paragraphs)
    assert not list(first._element.iter(qn("w:instrText")))


@pytest.mark.parametrize("doc", [STATE, PARTY], ids=["state", "party"])
def test_properties_follow_the_schema_order_word_requires(doc: OfficialDocument) -> None:
    """Word refuses a file whose borders come after the spacing or the table layout."""
    word = _open(doc)
    ruled = 0
    for paragraph in _all_paragraphs(word):
        ppr = paragraph._p.pPr
        if ppr is None or ppr.find(qn("w:pBdr")) is None:
            continue
        ruled += 1
        tags = [child.tag for child in ppr]
        border = tags.index(qn("w:pBdr"))
        for later in ("w:spacing", "w:ind", "w:jc"):
            if qn(later) in tags:
                assert tags.index(qn(later)) > border
    assert ruled >= 1
    for table in word.tables:
        tags = [child.tag for child in table._tbl.tblPr]
        assert tags.index(qn("w:tblBorders")) < tags.index(qn("w:tblLayout"))


def test_the_figures_come_from_the_layout_in_force() -> None:
    """A new version of the State layout changes the file without touching the code."""
    old = DocumentLayout.objects.get(family="state")
    old.valid_to = dt.date(2027, 2, 28)
    old.save()
    new = DocumentLayout.objects.get(pk=old.pk)
    new.pk, new.valid_from, new.valid_to = None, dt.date(2027, 3, 1), None
    new.margin_top_mm, new.body_size, new.number_label = 25, 13, "Số hiệu"
    new.first_line_indent_cm = Decimal("1.00")
    new.save()
    before = _open(STATE)
    after = _open(dataclasses.replace(STATE, issued_on=dt.date(2027, 3, 2)))
    assert _mm(before.sections[0].top_margin) == 20
    assert _mm(after.sections[0].top_margin) == 25
    _find(after, "Số hiệu: 15/TB-BCĐ")
    body = _find(after, "Đoạn thứ nhất của nội dung.")
    assert _style(body)[0] == 13
    assert round(body.paragraph_format.first_line_indent.cm, 2) == 1


def test_another_familys_signing_words_are_refused() -> None:
    with pytest.raises(DomainError) as refused:
        render_docx(dataclasses.replace(PARTY, signing_authority="TM. BAN THƯỜNG VỤ"))
    assert refused.value.code == "officialdoc_signing_words"
    assert refused.value.field == "signing_authority"
    with pytest.raises(DomainError):
        render_docx(dataclasses.replace(STATE, signing_authority="K/T TRƯỞNG BAN"))


def test_a_document_before_any_layout_is_refused() -> None:
    with pytest.raises(DomainError) as refused:
        render_docx(dataclasses.replace(PARTY, issued_on=dt.date(2025, 5, 1)))
    assert refused.value.code == "layout_none_in_force"


def _literals(module: object) -> str:
    """Every string literal of *module* but its docstrings, upper-cased."""
    tree = ast.parse(inspect.getsource(module))  # type: ignore[arg-type]
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    return "\n".join(
        node.value.upper()
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    )


def test_no_body_name_or_heading_is_hard_coded_in_the_writer() -> None:
    source = _literals(officialdoc)
    assert "NGÀY" in source  # the date line is the writer's own words
    for words in (
        "CỘNG HÒA",
        "ĐỘC LẬP",
        "ĐẢNG CỘNG SẢN",
        "ỦY BAN",
        "UBND",
        "TỈNH ỦY",
        "ĐẢNG ỦY",
        "DÂN VẬN",
        "MẶT TRẬN",
        "TM.",
        "T/M",
        "SỐ",
        "NƠI NHẬN",
    ):
        assert words not in source, words


@pytest.mark.parametrize("doc", [STATE, PARTY], ids=["state", "party"])
def test_the_layout_checker_passes_the_writers_file(doc: OfficialDocument) -> None:
    assert_follows_layout(render_docx(doc), doc)


BLOCKS: list[Block] = [
    SectionTitle("I. KẾT QUẢ THỰC HIỆN"),
    "Đoạn văn bản thường, kiểu chuỗi như cũ.",
    BodyText("Đoạn văn bản thứ hai."),
    DataTable(
        header=[["STT", "Chỉ tiêu", "Giá trị"]],
        rows=[[1, "Số hội nghị", 3321], [2, "Tỉ lệ (%)", Decimal("12.5")], [3, "Chưa có", None]],
        widths_cm=[1.5, 9, 4],
        caption="Bảng 1. Các chỉ tiêu",
    ),
]


@pytest.mark.parametrize("doc", [STATE, PARTY], ids=["state", "party"])
def test_blocks_in_order_with_tables_filled_row_by_row(doc: OfficialDocument) -> None:
    annex: list[Block] = [SectionTitle("PHỤ LỤC"), BLOCKS[3]]
    full = dataclasses.replace(doc, body=BLOCKS, annex=annex)
    data = render_docx(full)
    assert_follows_layout(data, full)
    word = Document(io.BytesIO(data))
    layout = layout_for(doc.family, doc.issued_on)
    # heading, the body's table, the signature block, the annex's table
    assert len(word.tables) == 4
    table = word.tables[1]
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["STT", "Chỉ tiêu", "Giá trị"],
        ["1", "Số hội nghị", "3.321"],
        ["2", "Tỉ lệ (%)", "12,5"],
        ["3", "Chưa có", ""],
    ]
    header = table.rows[0]._tr.trPr
    assert header is not None
    assert header.find(qn("w:tblHeader")) is not None
    cell = table.rows[1].cells[2].paragraphs[0]
    assert cell.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert _style(cell) == (layout.table_size, False, False)
    assert _style(table.rows[0].cells[0].paragraphs[0]) == (layout.table_size, True, False)
    texts = [p.text for p in word.paragraphs]
    order = ["I. KẾT QUẢ THỰC HIỆN", "Đoạn văn bản thường, kiểu chuỗi như cũ."]
    order += ["Đoạn văn bản thứ hai.", "Bảng 1. Các chỉ tiêu", "PHỤ LỤC"]
    assert [texts.index(t) for t in order] == sorted(texts.index(t) for t in order)
    # The annex starts on a new page, after the signature block.
    body = list(word.element.body.iterchildren())
    signature = body.index(word.tables[2]._tbl)
    annex_title = body.index(next(p._p for p in word.paragraphs if p.text == "PHỤ LỤC"))
    breaks = [
        i
        for i, e in enumerate(body)
        if any(b.get(qn("w:type")) == "page" for b in e.iter(qn("w:br")))
    ]
    assert any(signature < i < annex_title for i in breaks)


def test_a_row_of_the_wrong_width_is_refused() -> None:
    bad = DataTable(header=[["A", "B"]], rows=[["x"]])
    with pytest.raises(ValueError, match="1 cells"):
        render_docx(dataclasses.replace(STATE, body=[bad]))


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (3321, "3.321"),
        (1234567, "1.234.567"),
        (-1500, "-1.500"),
        (Decimal("12.50"), "12,5"),
        (0.333333, "0,33"),
        (1234.5, "1.234,5"),
        (7.0, "7"),
        (None, ""),
        ("=1+1", "=1+1"),
    ],
)
def test_cell_text_writes_numbers_the_vietnamese_way(value: object, text: str) -> None:
    assert cell_text(value) == text  # type: ignore[arg-type]
