"""Official documents as Word files, laid out by the rule data in force on the day of issue.

The figures (margins, fonts, sizes, the "Số:" label, the signing words, the heading
lines) come from `DocumentLayout` (layouts.py; domain.md §6b): the State layout of
Decree 30/2020/NĐ-CP, Appendix I, and the Party layout of Regulation 399-QĐ/TW and its
guidance. The names of the bodies come with each document, never from here: they change
(Ban Dân vận became Ban Tuyên giáo và Dân vận in 2025).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from danvan.core.errors import DomainError

from .layouts import layout_for
from .models import DocumentLayout

A4_WIDTH_MM = 210
A4_HEIGHT_MM = 297
# Average advance of a Times New Roman letter, in ems: used only to size the rules under
# the motto and the issuing body, which Decree 30/2020 sets relative to the line of text.
_EM_UPPER = 0.68
_EM_MIXED = 0.5
_PT_PER_CM = 72 / 2.54
# Word refuses a file whose properties are out of the schema's order (ECMA-376 Part 1,
# CT_PPr and CT_TblPr): the borders go before these.
_AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
_AFTER_TBLBORDERS = (
    "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
    "w:tblPrChange",
)  # fmt: skip


@dataclass(frozen=True)
class OfficialDocument:
    family: str  # "state" | "party"
    superior_body: str  # Party: the superior committee; State: "" or the superior body
    issuer_body: str  # e.g. "BAN CHỈ ĐẠO THỰC HIỆN QUY CHẾ DÂN CHỦ Ở CƠ SỞ"
    number: str  # "15/TB-BCĐ" or "05-TB/BCĐ" (already validated)
    place: str  # "Thái Nguyên"
    issued_on: date
    doc_type_title: str  # "THÔNG BÁO"
    excerpt: str  # "Kết luận của … tại Hội nghị sơ kết …"
    body: list[str]  # paragraphs
    signing_authority: str  # "TM. BAN CHỈ ĐẠO" / "T/M BAN THƯỜNG VỤ" / "KT. TRƯỞNG BAN"
    signer_position: str  # "PHÓ TRƯỞNG BAN"
    signer_name: str
    recipients: list[str]  # "- Như trên;", …, "- Lưu: VT."


def date_line(place: str, day: date) -> str:
    """The place and date line, e.g. "Thái Nguyên, ngày 05 tháng 02 năm 2027": a day below
    10 and the months 1 and 2 take a leading 0, the months 3 to 12 do not (Decree
    30/2020/NĐ-CP, Appendix I, place and date of issue)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return _("%(place)s, ngày %(d)s tháng %(m)s năm %(y)s") % {
        "place": place,
        "d": f"{day.day:02d}",
        "m": month,
        "y": day.year,
    }


def number_line(layout: DocumentLayout, number: str) -> str:
    """The number line: "Số: 15/TB-BCĐ" (State) or "Số 05-NQ/ĐU" (Party, no colon)."""
    return f"{layout.number_prefix} {number.strip()}"


def render_docx(doc: OfficialDocument) -> bytes:
    """The document as the bytes of a .docx file, in the layout of its family in force on
    the day it is issued (DomainError when there is none, or when the signing words are
    another family's)."""
    layout = layout_for(doc.family, doc.issued_on)
    _check_signing_words(doc, layout)
    word = Document()
    text_width_cm = _page(word, layout)
    _base_style(word, layout)
    _heading(word, doc, layout, text_width_cm)
    _title(word, doc, layout, text_width_cm)
    for text in doc.body:
        paragraph = word.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.first_line_indent = Cm(float(layout.first_line_indent_cm))
        paragraph.paragraph_format.space_after = Pt(layout.paragraph_spacing_pt)
        _run(paragraph, text, layout, layout.body_size)
    _closing(word, doc, layout, text_width_cm)
    _page_numbers(word, layout)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


# --- checks -------------------------------------------------------------------------------


def _check_signing_words(doc: OfficialDocument, layout: DocumentLayout) -> None:
    """A Party document signs "T/M", a State one "TM.": refuse another family's words,
    which the data of the other layouts name (one query)."""
    own = set(layout.signing_words)
    others = {
        word
        for row in DocumentLayout.objects.exclude(family=layout.family).values_list(
            "sign_on_behalf", "sign_deputy", "sign_by_order"
        )
        for word in row
    } - own
    first = doc.signing_authority.strip().split(" ", 1)[0]
    if first in others:
        raise DomainError(
            "officialdoc_signing_words",
            _("Thể thức %(f)s ghi thẩm quyền ký bằng %(own)s, không dùng “%(w)s”.")
            % {
                "f": layout.get_family_display().lower(),
                "own": ", ".join(f"“{w}”" for w in layout.signing_words),
                "w": first,
            },
            field="signing_authority",
        )


# --- page and styles ----------------------------------------------------------------------


def _page(word: DocumentObject, layout: DocumentLayout) -> float:
    """A4 portrait with the layout's margins; returns the width of the text in cm."""
    section = word.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Mm(A4_WIDTH_MM)
    section.page_height = Mm(A4_HEIGHT_MM)
    section.top_margin = Mm(layout.margin_top_mm)
    section.bottom_margin = Mm(layout.margin_bottom_mm)
    section.left_margin = Mm(layout.margin_left_mm)
    section.right_margin = Mm(layout.margin_right_mm)
    return (A4_WIDTH_MM - layout.margin_left_mm - layout.margin_right_mm) / 10


def _set_fonts(rpr_owner: object, name: str) -> None:
    """Name the font for every script: Word picks the east-asian slot for some
    Vietnamese letters, which would otherwise fall back to another font."""
    rpr = rpr_owner.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), name)


def _base_style(word: DocumentObject, layout: DocumentLayout) -> None:
    normal = word.styles["Normal"]
    normal.font.name = layout.font_name
    normal.font.size = Pt(layout.body_size)
    normal.font.color.rgb = RGBColor(0, 0, 0)
    _set_fonts(normal.element, layout.font_name)
    spacing = normal.paragraph_format
    spacing.space_before = Pt(0)
    spacing.space_after = Pt(0)
    spacing.line_spacing = 1.0


def _run(
    paragraph: Paragraph,
    text: str,
    layout: DocumentLayout,
    size: int,
    *,
    bold: bool = False,
    italic: bool = False,
) -> None:
    run = paragraph.add_run(text)
    run.font.name = layout.font_name
    run.font.size = Pt(size)
    run.font.color.rgb = RGBColor(0, 0, 0)
    run.bold = bold
    run.italic = italic
    _set_fonts(run._r, layout.font_name)


def _line(
    container: DocumentObject | _Cell,
    text: str,
    layout: DocumentLayout,
    size: int,
    *,
    bold: bool = False,
    italic: bool = False,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
    reuse_first: bool = False,
) -> Paragraph:
    """One paragraph of one run; *reuse_first* fills a table cell's empty first paragraph."""
    if reuse_first and isinstance(container, _Cell) and not container.paragraphs[0].text:
        paragraph = container.paragraphs[0]
    else:
        paragraph = container.add_paragraph()
    paragraph.alignment = align
    _run(paragraph, text, layout, size, bold=bold, italic=italic)
    return paragraph


def _text_width_cm(text: str, size: int) -> float:
    em = _EM_UPPER if text == text.upper() else _EM_MIXED
    return len(text) * size * em / _PT_PER_CM


def _rule(container: DocumentObject | _Cell, length_cm: float, width_cm: float) -> Paragraph:
    """A centred horizontal rule of *length_cm* in a space *width_cm* wide: the top border
    of an empty paragraph one point high, narrowed by equal indents."""
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    side = max((width_cm - min(length_cm, width_cm)) / 2, 0)
    fmt.left_indent = Cm(side)
    fmt.right_indent = Cm(side)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(1)
    border = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        top.set(qn(key), value)
    border.append(top)
    paragraph._p.get_or_add_pPr().insert_element_before(border, *_AFTER_PBDR)
    return paragraph


def _borderless_table(word: DocumentObject, widths_cm: Sequence[float]) -> Table:
    table = word.add_table(rows=1, cols=len(widths_cm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "nil")
        borders.append(edge)
    table._tbl.tblPr.insert_element_before(borders, *_AFTER_TBLBORDERS)
    for column, cell, width_cm in zip(table.columns, table.rows[0].cells, widths_cm, strict=True):
        column.width = Cm(width_cm)
        cell.width = Cm(width_cm)
    return table


# --- parts of the document ----------------------------------------------------------------


def _columns(layout: DocumentLayout, text_width_cm: float) -> tuple[float, float]:
    left = text_width_cm * layout.issuer_column_pct / 100
    return left, text_width_cm - left


def _heading(
    word: DocumentObject, doc: OfficialDocument, layout: DocumentLayout, text_width_cm: float
) -> None:
    """The two-column heading: superior and issuing body, "*" or a short rule, and the
    number on the left; the national title and motto (State) or the Party's name, a rule,
    and the place and date on the right."""
    widths = _columns(layout, text_width_cm)
    left, right = _borderless_table(word, widths).rows[0].cells
    first = True
    if doc.superior_body.strip():
        _line(
            left, doc.superior_body.strip().upper(), layout, layout.superior_size, reuse_first=True
        )
        first = False
    issuer = doc.issuer_body.strip().upper()
    _line(left, issuer, layout, layout.issuer_size, bold=True, reuse_first=first)
    if layout.issuer_rule:
        # A short rule, 1/3 to 1/2 of the line above (Decree 30/2020, Appendix I).
        line = min(_text_width_cm(issuer, layout.issuer_size), widths[0])
        _rule(left, 0.4 * line, widths[0])
    if layout.issuer_mark:
        _line(left, layout.issuer_mark, layout, layout.issuer_size)
    number = _line(left, number_line(layout, doc.number), layout, layout.number_size)
    number.paragraph_format.space_before = Pt(6)

    _line(
        right, layout.heading_title, layout, layout.heading_title_size, bold=True, reuse_first=True
    )
    last, size = layout.heading_title, layout.heading_title_size
    if layout.heading_motto:
        _line(right, layout.heading_motto, layout, layout.heading_motto_size, bold=True)
        last, size = layout.heading_motto, layout.heading_motto_size
    # The rule under the last heading line runs its full length.
    _rule(right, _text_width_cm(last, size), widths[1])
    when = _line(right, date_line(doc.place, doc.issued_on), layout, layout.date_size, italic=True)
    when.paragraph_format.space_before = Pt(6)


def _title(
    word: DocumentObject, doc: OfficialDocument, layout: DocumentLayout, text_width_cm: float
) -> None:
    title = _line(word, doc.doc_type_title.strip().upper(), layout, layout.doc_type_size, bold=True)
    title.paragraph_format.space_before = Pt(12)
    if doc.excerpt.strip():
        excerpt = _line(word, doc.excerpt.strip(), layout, layout.excerpt_size, bold=True)
        excerpt.paragraph_format.keep_with_next = True
        if layout.excerpt_rule:
            # As under the issuing body: 1/3 to 1/2 of the (first) line of the excerpt.
            line = min(_text_width_cm(doc.excerpt.strip(), layout.excerpt_size), text_width_cm)
            _rule(word, 0.4 * line, text_width_cm)
    word.paragraphs[-1].paragraph_format.space_after = Pt(12)


def _closing(
    word: DocumentObject, doc: OfficialDocument, layout: DocumentLayout, text_width_cm: float
) -> None:
    """The recipients ("Nơi nhận:") and their entries on the left; the signing authority,
    the position, room to sign and seal, and the signer's name on the right."""
    widths = (text_width_cm * 0.45, text_width_cm * 0.55)
    table = _borderless_table(word, widths)
    left, right = table.rows[0].cells
    if doc.recipients:
        _line(
            left,
            layout.recipients_label,
            layout,
            layout.recipients_label_size,
            bold=True,
            italic=True,
            align=WD_ALIGN_PARAGRAPH.LEFT,
            reuse_first=True,
        )
        for entry in doc.recipients:
            _line(left, entry, layout, layout.recipients_size, align=WD_ALIGN_PARAGRAPH.LEFT)
    size = layout.signature_size
    first = True
    for text in (doc.signing_authority, doc.signer_position):
        if text.strip():
            _line(right, text.strip().upper(), layout, size, bold=True, reuse_first=first)
            first = False
    for _blank in range(4):  # room for the signature and the seal
        right.add_paragraph()
    _line(right, doc.signer_name.strip(), layout, size, bold=True)


def _page_numbers(word: DocumentObject, layout: DocumentLayout) -> None:
    """Page numbers centred at the top from page *page_number_from* (2: none on the first
    page, Decree 30/2020, Appendix I), as a PAGE field so Word counts the pages."""
    section = word.sections[0]
    section.different_first_page_header_footer = layout.page_number_from >= 2
    if section.different_first_page_header_footer:
        # An empty header of its own for page 1, rather than relying on what Word does
        # when none is defined.
        section.first_page_header.is_linked_to_previous = False
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, "", layout, layout.body_size)
    run = paragraph.runs[0]._r
    for kind, instruction in (("begin", None), (None, " PAGE "), ("separate", None), ("end", None)):
        if kind is None:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = instruction
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run.append(element)
