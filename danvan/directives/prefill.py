"""Suggestions for the register form from an uploaded document's first page.

A clerk uploads the .docx or .pdf of a document and the form comes back filled with
what the first page says: number ("Số: 15/QĐ-UBND", "Số 20-KH/TU"), place and date
("Thái Nguyên, ngày 08 tháng 3 năm 2017"), type ("KẾ HOẠCH") and the excerpt under it
(or the "V/v …" line of a letter), and the issuing body above the number (domain.md
§6b: the State layout of Decree 30/2020 Appendix I and the Party layout). These are
suggestions only: the clerk confirms or corrects every field before it is saved.

The rules read lines of text, so both layouts and both file kinds go through one
function (``suggest_from_lines``): .docx gives the header table's cells then the
paragraphs (python-docx), .pdf the text of page 1 (pypdf).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import IO

from django.core.files.uploadedfile import UploadedFile

from danvan.core import docnumber
from danvan.core.text import fold

from . import services

# How much of the document the rules look at: the first page's worth of lines.
MAX_LINES = 60
_NUMBER = re.compile(r"(?:^|\s)(?:số|so)\s*:?\s*(\d[^\s,;]*)", re.IGNORECASE)
_DATE = re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})")
_LETTER_SUBJECT = re.compile(r"^\s*v/v[:.\s]*(.+)$", re.IGNORECASE)
_RULE = re.compile(r"^[\s\-_–—*.=]*$")
# The lines of the heading that are not the issuing body.
_NOT_ISSUER = ("cong hoa xa hoi chu nghia viet nam", "dang cong san viet nam", "doc lap")
# Where the excerpt ends: the body starts ("Căn cứ …", "Thực hiện …", "Kính gửi: …").
_BODY_START = ("can cu", "thuc hien", "kinh gui", "i.", "1.", "phan ")
_MAX_EXCERPT_LINES = 4
# Type lines as they are printed, folded: "KẾ HOẠCH" → "ke hoach".
_TYPE_LINES = {fold(label): label for label in services.TYPE_LABELS.values()}


@dataclass
class Suggestion:
    number: str = ""
    issued_on: dt.date | None = None
    doc_type_label: str = ""
    excerpt: str = ""
    issuer_name: str = ""

    def as_initial(self) -> dict[str, object]:
        """The form's initial values (only what was found)."""
        values = {
            "number": self.number,
            "issued_on": self.issued_on,
            "excerpt": self.excerpt,
            "issuer_name": self.issuer_name,
        }
        return {k: v for k, v in values.items() if v}

    @property
    def found_anything(self) -> bool:
        return bool(self.as_initial())


def _is_upper(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _number(lines: list[str]) -> tuple[int, str]:
    """The index of the "Số" line and the number on it, if one parses."""
    for i, line in enumerate(lines):
        for m in _NUMBER.finditer(line):
            if (parsed := docnumber.try_parse(m[1])) is not None:
                return i, parsed.raw
    return -1, ""


def _issued_on(lines: list[str]) -> dt.date | None:
    for line in lines:
        if m := _DATE.search(fold(line)):
            try:
                return dt.date(int(m[3]), int(m[2]), int(m[1]))
            except ValueError:
                return None
    return None


def _issuer(lines: list[str], at: int, party: bool) -> str:
    """The upper-case lines just above the number: the issuing body (the Party layout
    puts the superior body above it, so only the last line there)."""
    found: list[str] = []
    for line in reversed(lines[:at]):
        if _RULE.match(line):
            if found:
                break
            continue
        if not _is_upper(line) or fold(line).startswith(_NOT_ISSUER):
            break
        found.insert(0, line.strip())
        if party or len(found) == 2:
            break
    return " ".join(found)


def _type_and_excerpt(lines: list[str], start: int) -> tuple[str, str]:
    for i in range(max(start, 0), len(lines)):
        label = _TYPE_LINES.get(fold(lines[i]))
        if label is None or not _is_upper(lines[i]):
            continue
        excerpt: list[str] = []
        for line in lines[i + 1 :]:
            folded = fold(line)
            if _RULE.match(line):
                if excerpt:
                    break
                continue
            # The first line under the type is the excerpt even when it reads like the
            # body ("thực hiện …" in a Party plan's excerpt).
            if (excerpt and folded.startswith(_BODY_START)) or len(excerpt) == _MAX_EXCERPT_LINES:
                break
            excerpt.append(line.strip())
        return label, " ".join(excerpt)
    return "", ""


def suggest_from_lines(raw_lines: list[str]) -> Suggestion:
    lines = [" ".join(line.split()) for line in raw_lines if line and line.strip()][:MAX_LINES]
    found = Suggestion()
    at, found.number = _number(lines)
    found.issued_on = _issued_on(lines)
    party = False
    if found.number:
        party = services.parse_number(found.number).system == "party"
        found.issuer_name = _issuer(lines, at, party)
    found.doc_type_label, found.excerpt = _type_and_excerpt(lines, at + 1)
    if not found.excerpt:
        # A letter (công văn) has no type line: its subject is the "V/v …" under the number.
        for line in lines:
            if m := _LETTER_SUBJECT.match(line):
                found.excerpt = m[1].strip()
                break
    return found


def _docx_lines(handle: IO[bytes]) -> list[str]:
    import docx

    document = docx.Document(handle)
    lines: list[str] = []
    # The heading table of both layouts: issuing body and number on the left, the
    # national title (or the Party's name) and the place and date on the right.
    for table in document.tables[:1]:
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    lines.extend(paragraph.text.splitlines())
    for paragraph in document.paragraphs[:MAX_LINES]:
        lines.extend(paragraph.text.splitlines())
    return lines


def _pdf_lines(handle: IO[bytes]) -> list[str]:
    from pypdf import PdfReader

    reader = PdfReader(handle)
    if not reader.pages:
        return []
    return (reader.pages[0].extract_text() or "").splitlines()


def suggest(upload: UploadedFile) -> Suggestion:
    """Suggestions from *upload*'s first page. A file whose bytes do not match its name is
    refused (DomainError, field "file"); one that cannot be read gives no suggestion."""
    content_type = services.check_document_file(upload)
    upload.seek(0)
    try:
        read = _pdf_lines if content_type == "application/pdf" else _docx_lines
        lines = read(upload)
    except Exception:  # a damaged file (pypdf, zip or XML errors): the clerk types by hand
        lines = []
    finally:
        upload.seek(0)
    return suggest_from_lines(lines)
