"""Official documents as Word files, laid out by the rule data in force on the day of issue.

The figures (margins, fonts, sizes, the "Số:" label, the signing words, the heading
lines) come from `DocumentLayout` (layouts.py; domain.md §6b): the State layout of
Decree 30/2020/NĐ-CP, Appendix I, and the Party layout of Regulation 399-QĐ/TW and its
guidance. The names of the bodies come with each document, never from here: they change
(Ban Dân vận became Ban Tuyên giáo và Dân vận in 2025).
"""

from __future__ import annotations

import copy
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
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


# --- blocks of the body ---------------------------------------------------------------------

# A value of a table cell: text as it is, a number written the Vietnamese way (3.321; 12,5).
CellValue = str | int | float | Decimal | None


@dataclass(frozen=True)
class BodyText:
    """A paragraph of the body: justified, indented, in the body's size."""

    text: str


@dataclass(frozen=True)
class SectionTitle:
    """The title of a section of the body ("I. KẾT QUẢ …"): bold, in the body's size."""

    text: str


@dataclass(frozen=True)
class DataTable:
    """A table of figures: *header* rows (repeated on every page), then *rows*, the text
    in the layout's table size; *widths_cm* per column (else equal shares of the text
    width); *caption* above the table."""

    header: Sequence[Sequence[str]]
    rows: Sequence[Sequence[CellValue]]
    widths_cm: Sequence[float] = ()
    caption: str = ""


@dataclass(frozen=True)
class Figure:
    """A picture (a chart as PNG bytes) *width_cm* wide, centred, its caption under it."""

    png: bytes
    width_cm: float
    caption: str = ""


# A plain string is a paragraph, so that `body=["…", "…"]` reads as it always did.
Block = str | BodyText | SectionTitle | DataTable | Figure


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
    body: Sequence[Block]  # paragraphs (str), section titles, tables, figures, in order
    signing_authority: str  # "TM. BAN CHỈ ĐẠO" / "T/M BAN THƯỜNG VỤ" / "KT. TRƯỞNG BAN"
    signer_position: str  # "PHÓ TRƯỞNG BAN"
    signer_name: str
    recipients: list[str]  # "- Như trên;", …, "- Lưu: VT."
    # Blocks after the signature, from a new page: the annexes (phụ lục) of a report.
    annex: Sequence[Block] = field(default_factory=tuple)


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
    for block in doc.body:
        _block(word, block, layout, text_width_cm)
    _closing(word, doc, layout, text_width_cm)
    if doc.annex:
        word.add_page_break()
        for block in doc.annex:
            _block(word, block, layout, text_width_cm)
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


# --- blocks of the body -------------------------------------------------------------------


def _block(word: DocumentObject, block: Block, layout: DocumentLayout, width_cm: float) -> None:
    if isinstance(block, str | BodyText):
        text = block if isinstance(block, str) else block.text
        paragraph = word.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.first_line_indent = Cm(float(layout.first_line_indent_cm))
        paragraph.paragraph_format.space_after = Pt(layout.paragraph_spacing_pt)
        _run(paragraph, text, layout, layout.body_size)
    elif isinstance(block, SectionTitle):
        paragraph = _line(
            word, block.text, layout, layout.body_size, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT
        )
        paragraph.paragraph_format.space_before = Pt(layout.paragraph_spacing_pt)
        paragraph.paragraph_format.space_after = Pt(layout.paragraph_spacing_pt)
        paragraph.paragraph_format.keep_with_next = True
    elif isinstance(block, DataTable):
        _data_table(word, block, layout, width_cm)
    elif isinstance(block, Figure):
        paragraph = word.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.keep_with_next = bool(block.caption)
        paragraph.add_run().add_picture(
            io.BytesIO(block.png), width=Cm(min(block.width_cm, width_cm))
        )
        if block.caption:
            _caption(word, block.caption, layout)
    else:  # pragma: no cover - the type says it cannot happen
        raise TypeError(f"not a block of the body: {block!r}")


def _caption(word: DocumentObject, text: str, layout: DocumentLayout) -> Paragraph:
    caption = _line(word, text, layout, layout.table_size, italic=True)
    caption.paragraph_format.space_after = Pt(layout.paragraph_spacing_pt)
    return caption


def cell_text(value: CellValue) -> str:
    """A cell's text: numbers grouped by "." with a decimal comma (Vietnamese usage), at
    most two decimals; nothing for None."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int) or (isinstance(value, Decimal | float) and value == int(value)):
        return f"{int(value):,}".replace(",", ".")
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


_W_T = qn("w:t")


def _twips(cm: float) -> str:
    return str(round(cm * 1440 / 2.54))


def _cell_template(
    layout: DocumentLayout, width_cm: float, *, bold: bool, align: str
) -> BaseOxmlElement:
    """An empty <w:tc> of one paragraph of one run in the layout's font and table size,
    copied for every cell of the column (the run's properties are built once)."""
    tc = OxmlElement("w:tc")
    tcpr = OxmlElement("w:tcPr")
    tcw = OxmlElement("w:tcW")
    tcw.set(qn("w:w"), _twips(width_cm))
    tcw.set(qn("w:type"), "dxa")
    tcpr.append(tcw)
    tc.append(tcpr)
    p = OxmlElement("w:p")
    ppr = OxmlElement("w:pPr")
    jc = OxmlElement("w:jc")
    jc.set(qn("w:val"), align)
    ppr.append(jc)
    p.append(ppr)
    r = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    fonts = OxmlElement("w:rFonts")
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), layout.font_name)
    rpr.append(fonts)
    if bold:
        rpr.append(OxmlElement("w:b"))
    color = OxmlElement("w:color")
    color.set(qn("w:val"), "000000")
    rpr.append(color)
    for tag in ("w:sz", "w:szCs"):
        size = OxmlElement(tag)
        size.set(qn("w:val"), str(layout.table_size * 2))  # half-points
        rpr.append(size)
    r.append(rpr)
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    r.append(t)
    p.append(r)
    tc.append(p)
    return tc


def _data_table(
    word: DocumentObject, block: DataTable, layout: DocumentLayout, width_cm: float
) -> None:
    """The table built row by row from copies of prepared cells, straight into the XML:
    linear in its rows. (python-docx's `table.cell(r, c)` walks the whole grid on each
    call, which makes filling a province's annex of thousands of rows quadratic.)"""
    columns = max([len(row) for row in block.header] + [len(row) for row in block.rows[:1]])
    if columns == 0:
        return
    widths = list(block.widths_cm) or [width_cm / columns] * columns
    if len(widths) != columns:
        raise ValueError(f"{len(widths)} widths for {columns} columns")
    scale = min(1.0, width_cm / sum(widths))
    widths = [w * scale for w in widths]
    if block.caption:
        _caption(word, block.caption, layout).paragraph_format.keep_with_next = True
    table = word.add_table(rows=0, cols=columns)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl = table._tbl
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0")):
            edge.set(qn(key), value)
        edge.set(qn("w:color"), "000000")
        borders.append(edge)
    tbl.tblPr.insert_element_before(borders, *_AFTER_TBLBORDERS)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    heads = [_cell_template(layout, w, bold=True, align="center") for w in widths]
    texts = [_cell_template(layout, w, bold=False, align="left") for w in widths]
    numbers = [_cell_template(layout, w, bold=False, align="right") for w in widths]
    # Header rows repeat at the top of every page; no row breaks across two pages.
    head_pr = OxmlElement("w:trPr")
    head_pr.append(OxmlElement("w:cantSplit"))
    head_pr.append(OxmlElement("w:tblHeader"))
    row_pr = OxmlElement("w:trPr")
    row_pr.append(OxmlElement("w:cantSplit"))
    for header in block.header:
        tbl.append(_row(head_pr, heads, header, columns))
    for values in block.rows:
        templates = [
            texts[i] if isinstance(v, str) or v is None else numbers[i]
            for i, v in enumerate(values)
        ]
        tbl.append(_row(row_pr, templates, values, columns))


def _row(
    trpr: BaseOxmlElement,
    templates: Sequence[BaseOxmlElement],
    values: Sequence[CellValue],
    columns: int,
) -> BaseOxmlElement:
    if len(values) != columns:
        raise ValueError(f"a row of {len(values)} cells in a table of {columns} columns")
    tr = OxmlElement("w:tr")
    tr.append(copy.deepcopy(trpr))
    for template, value in zip(templates, values, strict=True):
        tc = copy.deepcopy(template)
        # The template's only <w:t>, the last element of its tree.
        next(tc.iter(_W_T)).text = cell_text(value)
        tr.append(tc)
    return tr


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
