"""The conclusion notice: built from the conference, printed by the Word writer."""

from __future__ import annotations

import io

import pytest
from docx import Document

from danvan.directives.conferences import notice
from danvan.directives.conferences.demo import seed_conferences
from danvan.legal.layoutcheck import assert_follows_layout
from danvan.units.models import Unit

pytestmark = pytest.mark.django_db


def test_notice_builds_and_opens(thai_nguyen: Unit) -> None:
    conference = seed_conferences(thai_nguyen)
    doc = notice.build(conference, points=90)
    assert doc.family == "party"
    assert doc.number == "05-TB/BCĐ"
    day = conference.held_on
    opening = doc.body[0]
    assert isinstance(opening, str)
    assert opening.startswith(f"Ngày {day.day}/{day.month}/{day.year}")
    assert "90 điểm cầu" in opening
    assert len(doc.body) == 6  # the opening and the five paragraphs
    assert doc.recipients[-1] == "- Lưu: VT."
    data = notice.render(conference, points=90)
    assert_follows_layout(data, doc)  # page, margins, fonts and sizes of every block
    word = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in word.paragraphs)
    for table in word.tables:
        for row in table.rows:
            for cell in row.cells:
                text += "\n" + cell.text
    assert "05-TB/BCĐ" in text
    assert "THÔNG BÁO" in text
    assert "Giao Ban Tuyên giáo và Dân vận Tỉnh ủy chủ trì" in text
    assert notice.file_name(conference) == "thong-bao-ket-luan-05-tb-bcd.docx"
