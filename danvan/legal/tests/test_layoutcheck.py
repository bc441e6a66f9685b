"""The layout checker catches a file that breaks its layout (domain.md §6b)."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable

import pytest
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from danvan.legal.layoutcheck import check_document
from danvan.legal.officialdoc import DataTable, OfficialDocument, render_docx

from .test_officialdoc import PARTY, STATE

pytestmark = pytest.mark.django_db


def _corrupted(doc: OfficialDocument, change: Callable[[DocumentObject], None]) -> bytes:
    word = Document(io.BytesIO(render_docx(doc)))
    change(word)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _paragraph(word: DocumentObject, start: str) -> Paragraph:
    for table in word.tables:
        for cell in table._cells:
            for p in cell.paragraphs:
                if p.text.startswith(start):
                    return p
    return next(p for p in word.paragraphs if p.text.startswith(start))


def _left_margin(word: DocumentObject) -> None:
    word.sections[0].left_margin = Mm(25)


def _landscape(word: DocumentObject) -> None:
    section = word.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE


def _letter(word: DocumentObject) -> None:
    word.sections[0].page_height = Mm(279)


def _font(word: DocumentObject) -> None:
    _paragraph(word, "Đoạn thứ nhất").runs[0].font.name = "Arial"


def _number_size(word: DocumentObject) -> None:
    _paragraph(word, "Số").runs[0].font.size = Pt(12)


def _no_number(word: DocumentObject) -> None:
    p = _paragraph(word, "Số")._p
    p.getparent().remove(p)


def _number_colon_changed(word: DocumentObject) -> None:
    run = _paragraph(word, "Số").runs[0]
    run.text = (
        run.text.replace("Số: ", "Số ") if ":" in run.text else run.text.replace("Số ", "Số: ")
    )


def _issuer_not_bold(word: DocumentObject) -> None:
    _paragraph(word, "BAN CHỈ ĐẠO" if "BAN CHỈ ĐẠO" in _all(word) else "ĐẢNG ỦY").runs[
        0
    ].bold = False


def _date_not_italic(word: DocumentObject) -> None:
    _paragraph(word, "Thành Phố Thử").runs[0].italic = False


def _date_format(word: DocumentObject) -> None:
    run = _paragraph(word, "Thành Phố Thử").runs[0]
    run.text = run.text.replace("05 tháng 02", "5 tháng 2")


def _title_size(word: DocumentObject) -> None:
    _paragraph(word, "THÔNG BÁO").runs[0].font.size = Pt(12)


def _body_indent(word: DocumentObject) -> None:
    _paragraph(word, "Đoạn thứ nhất").paragraph_format.first_line_indent = Mm(5)


def _signature_size(word: DocumentObject) -> None:
    _paragraph(word, "Nguyễn Văn Thử").runs[0].font.size = Pt(12)


def _recipients_label(word: DocumentObject) -> None:
    _paragraph(word, "Nơi nhận").runs[0].italic = False


def _page_numbers(word: DocumentObject) -> None:
    word.sections[0].different_first_page_header_footer = False


def _all(word: DocumentObject) -> str:
    return "\n".join(p.text for t in word.tables for c in t._cells for p in c.paragraphs)


CORRUPTIONS = {
    "left margin": (_left_margin, "left margin"),
    "landscape": (_landscape, "not portrait"),
    "page size": (_letter, "page height"),
    "font": (_font, "font 'Arial'"),
    "number size": (_number_size, "number line: size 12.0 pt"),
    "number missing": (_no_number, "number line: missing"),
    "number colon": (_number_colon_changed, "number line: reads"),
    "issuer bold": (_issuer_not_bold, "issuing body: bold"),
    "date italic": (_date_not_italic, "place and date: italic"),
    "date format": (_date_format, "place and date"),
    "title size": (_title_size, "document type: size"),
    "body indent": (_body_indent, "first-line indent"),
    "signature size": (_signature_size, "signer's name: size"),
    "recipients label": (_recipients_label, "recipients label: italic"),
    "page numbers": (_page_numbers, "first page must not be numbered"),
}


@pytest.mark.parametrize("doc", [STATE, PARTY], ids=["state", "party"])
@pytest.mark.parametrize("name", list(CORRUPTIONS))
def test_the_checker_catches_a_corrupted_file(doc: OfficialDocument, name: str) -> None:
    change, expected = CORRUPTIONS[name]
    assert check_document(render_docx(doc), doc) == []
    problems = check_document(_corrupted(doc, change), doc)
    assert any(expected in p for p in problems), problems


def test_the_checker_catches_a_wrong_size_in_a_table() -> None:
    table = DataTable(header=[["A", "B"]], rows=[["x", 1], ["y", 2]])
    doc = dataclasses.replace(STATE, body=[*STATE.body, table])

    def change(word: DocumentObject) -> None:
        word.tables[1].rows[2].cells[1].paragraphs[0].runs[0].font.size = Pt(14)

    assert check_document(render_docx(doc), doc) == []
    problems = check_document(_corrupted(doc, change), doc)
    assert any("body table: size 28 half-points in 1 run(s)" in p for p in problems), problems


def test_the_checker_reads_the_other_familys_file_as_wrong() -> None:
    """A Party file checked against the State layout breaks it: the figures differ."""
    problems = check_document(render_docx(PARTY), dataclasses.replace(PARTY, family="state"))
    assert any("number line" in p for p in problems)
    assert any("heading title" in p for p in problems)


def test_the_checker_refuses_bytes_that_are_no_docx() -> None:
    assert check_document(b"not a zip", STATE)[0].startswith("not a .docx file")
