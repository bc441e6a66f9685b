"""Pre-filling the register form from a document's first page."""

from __future__ import annotations

import datetime as dt

import pytest

from danvan.core.errors import DomainError
from danvan.directives import prefill

from .documents import STATE_PDF_LINES, party_docx, state_docx, text_pdf, upload


def test_state_docx() -> None:
    found = prefill.suggest(upload("qd.docx", state_docx()))
    assert found.number == "15/QĐ-UBND"
    assert found.issued_on == dt.date(2017, 3, 8)
    assert found.doc_type_label == "Quyết định"
    assert found.excerpt == "Về việc ban hành Quy chế dân chủ ở cơ sở trên địa bàn tỉnh"
    assert found.issuer_name == "ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN"


def test_party_docx() -> None:
    found = prefill.suggest(upload("kh.docx", party_docx()))
    assert found.number == "20-KH/TU"
    assert found.issued_on == dt.date(2016, 8, 12)
    assert found.doc_type_label == "Kế hoạch"
    assert found.excerpt == "thực hiện phong trào thi đua “Dân vận khéo”"
    assert found.issuer_name == "TỈNH ỦY"


def test_pdf_letter() -> None:
    found = prefill.suggest(upload("cv.pdf", text_pdf(STATE_PDF_LINES), "application/pdf"))
    assert found.number == "123/UBND-VP"
    assert found.issued_on == dt.date(2026, 1, 5)
    assert found.excerpt == "đôn đốc thực hiện Kế hoạch dân vận năm 2026"
    assert found.issuer_name == "ỦY BAN NHÂN DÂN XÃ ĐỒNG HỶ"


def test_a_file_that_is_not_what_its_name_says() -> None:
    with pytest.raises(DomainError) as exc:
        prefill.suggest(upload("qd.docx", text_pdf(["Số: 1/QĐ-UBND"]), "application/pdf"))
    assert exc.value.field == "file"


def test_an_unreadable_file_gives_no_suggestion() -> None:
    found = prefill.suggest(upload("qd.pdf", b"%PDF-1.4 broken", "application/pdf"))
    assert not found.found_anything


def test_wrong_number_is_skipped() -> None:
    found = prefill.suggest_from_lines(["Số: abc", "Số: 5/TB-UBND", "ngày 1 tháng 2 năm 2026"])
    assert found.number == "5/TB-UBND"
    assert found.issued_on == dt.date(2026, 2, 1)
