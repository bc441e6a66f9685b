"""The layout checker: opens a .docx and checks it against the rules of its layout.

It reads the file as Word will (python-docx over the saved bytes), not the writer's
intentions, and checks what domain.md §6b and the `DocumentLayout` row say: A4 portrait,
the margins, the font of every run, and, block by block, the size, bold, italic and upper
case of the heading lines (issuing body, national title and motto or the Party's name),
the number line ("Số: …" for the State, "Số …" for the Party), the place-and-date line,
the document type, the excerpt, the body, the tables, the recipients and the signature
block, and the page numbers from page 2 (Decree 30/2020/NĐ-CP, Appendix I; Regulation
399-QĐ/TW).

It knows the shape officialdoc.py writes: a borderless two-column table for the heading,
then the title and excerpt, the body (paragraphs, section titles, bordered tables,
pictures with captions), a borderless two-column table for the recipients and the
signature, then the annexes. Every export runs through it in the tests
(`assert_follows_layout`); its problems are diagnostics for developers, in English.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import date

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from .layouts import layout_for
from .models import DocumentLayout
from .officialdoc import A4_HEIGHT_MM, A4_WIDTH_MM, OfficialDocument, date_line, number_line

# "…, ngày 05 tháng 02 năm 2027": day with a leading 0, months 1–2 with one, 3–12 without
# (Decree 30/2020/NĐ-CP, Appendix I).
DATE_LINE = re.compile(r"^\S.*, ngày (0[1-9]|[12]\d|3[01]) tháng (0[12]|[3-9]|1[0-2]) năm \d{4}$")
# Word stores lengths in twentieths of a point: compare to a tenth of a millimetre.
_MM_TOLERANCE = 0.1


class Checker:
    def __init__(self, word: DocumentObject, layout: DocumentLayout) -> None:
        self.word = word
        self.layout = layout
        self.problems: list[str] = []
        normal = word.styles["Normal"].font
        self.normal_size = normal.size.pt if normal.size is not None else None
        self.normal_font = normal.name

    def problem(self, text: str) -> None:
        self.problems.append(text)

    # --- runs ----------------------------------------------------------------------------

    def size(self, run: Run) -> float | None:
        if run.font.size is not None:
            return run.font.size.pt
        return self.normal_size

    def block(
        self,
        what: str,
        paragraph: Paragraph | None,
        size: float,
        *,
        bold: bool = False,
        italic: bool = False,
        upper: bool = False,
        text: str | None = None,
    ) -> None:
        """*paragraph* is the block *what*: its text (when given), size, bold, italic and
        upper case as the layout says."""
        if paragraph is None:
            self.problem(f"{what}: missing")
            return
        shown = paragraph.text.strip()
        if text is not None and shown != text:
            self.problem(f"{what}: reads {shown!r}, expected {text!r}")
        if upper and shown != shown.upper():
            self.problem(f"{what}: {shown!r} is not upper case")
        for run in paragraph.runs:
            if not run.text.strip():
                continue
            if self.size(run) != size:
                self.problem(f"{what}: size {self.size(run)} pt, layout says {size} pt")
            if bool(run.bold) != bold:
                self.problem(f"{what}: bold is {bool(run.bold)}, layout says {bold}")
            if bool(run.italic) != italic:
                self.problem(f"{what}: italic is {bool(run.italic)}, layout says {italic}")
            return  # one report per block: the runs of a block are written alike

    def fonts(self) -> None:
        """Every run of the body and the headers in the layout's font, in every script
        slot it names (Word puts some Vietnamese letters in the east-asian slot)."""
        wanted = self.layout.font_name
        if self.normal_font != wanted:
            self.problem(f"style Normal: font {self.normal_font!r}, layout says {wanted!r}")
        wrong: Counter[str] = Counter()
        parts = [self.word.element.body]
        for section in self.word.sections:
            parts += [section.header._element, section.first_page_header._element]
        for part in parts:
            for r in part.iter(qn("w:r")):
                rpr = r.rPr
                fonts = rpr.rFonts if rpr is not None else None
                if fonts is None:
                    continue  # inherits Normal, checked above
                for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                    name = fonts.get(qn(slot))
                    if name is not None and name != wanted:
                        wrong[name] += 1
        for name, count in wrong.items():
            self.problem(f"font {name!r} in {count} run(s), layout says {wanted!r}")

    # --- page ----------------------------------------------------------------------------

    def page(self) -> None:
        layout = self.layout
        for i, section in enumerate(self.word.sections):
            where = f"section {i + 1}"
            if section.orientation != WD_ORIENT.PORTRAIT:
                self.problem(f"{where}: not portrait")
            self.length(f"{where}: page width", section.page_width, A4_WIDTH_MM)
            self.length(f"{where}: page height", section.page_height, A4_HEIGHT_MM)
            self.length(f"{where}: top margin", section.top_margin, layout.margin_top_mm)
            self.length(f"{where}: bottom margin", section.bottom_margin, layout.margin_bottom_mm)
            self.length(f"{where}: left margin", section.left_margin, layout.margin_left_mm)
            self.length(f"{where}: right margin", section.right_margin, layout.margin_right_mm)

    def length(self, what: str, value: object, mm: float) -> None:
        got = getattr(value, "mm", None)
        if got is None or abs(got - mm) > _MM_TOLERANCE:
            shown = "none" if got is None else f"{got:.1f} mm"
            self.problem(f"{what}: {shown}, layout says {mm} mm")

    def page_numbers(self) -> None:
        """Page numbers from page *page_number_from*, a PAGE field centred at the top."""
        section = self.word.sections[0]
        header = section.header
        fields = [e.text.strip() for e in header._element.iter(qn("w:instrText")) if e.text]
        if "PAGE" not in fields:
            self.problem("page numbers: no PAGE field in the header")
        elif header.paragraphs[0].alignment != WD_ALIGN_PARAGRAPH.CENTER:
            self.problem("page numbers: not centred")
        if self.layout.page_number_from >= 2:
            first = section.first_page_header
            if not section.different_first_page_header_footer or list(
                first._element.iter(qn("w:instrText"))
            ):
                self.problem("page numbers: the first page must not be numbered")

    # --- parts ---------------------------------------------------------------------------

    def heading(self, table: Table, number: str, when: str | None) -> None:
        layout = self.layout
        cells = table.rows[0].cells
        if len(cells) != 2:
            self.problem(f"heading: {len(cells)} columns, expected 2")
            return
        left, right = cells
        lines = _texts(left)
        expected_number = number_line(layout, number)
        at = next(
            (i for i, p in enumerate(lines) if p.text.strip().startswith(layout.number_label)),
            None,
        )
        if at is None:
            self.problem(f"number line: missing (expected {expected_number!r})")
            at = len(lines)
        else:
            self.block("number line", lines[at], layout.number_size, text=expected_number)
        above = lines[:at]
        if layout.issuer_mark:
            mark = above.pop() if above else None
            self.block("mark under the issuer", mark, layout.issuer_size, text=layout.issuer_mark)
        issuer = above.pop() if above else None
        self.block("issuing body", issuer, layout.issuer_size, bold=True, upper=True)
        for superior in above:
            self.block("superior body", superior, layout.superior_size, upper=True)
        if _has_rule(left) != layout.issuer_rule:
            self.problem(f"issuing body: rule under it is {_has_rule(left)}, layout says "
                         f"{layout.issuer_rule}")  # fmt: skip

        lines = _texts(right)
        self.block(
            "heading title",
            lines[0] if lines else None,
            layout.heading_title_size,
            bold=True,
            upper=True,
            text=layout.heading_title,
        )
        rest = lines[1:]
        if layout.heading_motto:
            motto = rest.pop(0) if rest else None
            self.block(
                "motto", motto, layout.heading_motto_size, bold=True, text=layout.heading_motto
            )
        if not _has_rule(right):
            self.problem("heading title: no rule under it")
        dated = rest.pop(0) if rest else None
        self.block("place and date", dated, layout.date_size, italic=True, text=when)
        if dated is not None and not DATE_LINE.match(dated.text.strip()):
            self.problem(
                f"place and date: {dated.text.strip()!r} is not “…, ngày dd tháng m năm yyyy”"
            )
        for extra in rest:
            self.problem(f"heading: unexpected line {extra.text!r}")

    def title(self, elements: Iterator[object], doc_type_title: str | None) -> list[object]:
        """The document type and the excerpt; returns the elements of the body after them."""
        layout = self.layout
        remaining = list(elements)
        paragraphs = [
            (i, e) for i, e in enumerate(remaining) if isinstance(e, Paragraph) and e.text.strip()
        ]
        if not paragraphs:
            self.problem("document type: missing")
            return remaining
        i, title = paragraphs[0]
        self.block(
            "document type",
            title,
            layout.doc_type_size,
            bold=True,
            upper=True,
            text=doc_type_title.strip().upper() if doc_type_title is not None else None,
        )
        end = i + 1
        if len(paragraphs) > 1:
            j, excerpt = paragraphs[1]
            if excerpt.alignment == WD_ALIGN_PARAGRAPH.CENTER and j == i + 1:
                self.block("excerpt", excerpt, layout.excerpt_size, bold=True)
                end = j + 1
                ruled = end < len(remaining) and _is_rule(remaining[end])
                if ruled != layout.excerpt_rule:
                    self.problem(
                        f"excerpt: rule under it is {ruled}, layout says {layout.excerpt_rule}"
                    )
                if ruled:
                    end += 1
        return remaining[end:]

    def body(self, elements: Sequence[object], where: str) -> None:
        layout = self.layout
        for element in elements:
            if isinstance(element, Table):
                self.data_table(element, where)
                continue
            assert isinstance(element, Paragraph)
            text = element.text.strip()
            if not text:
                continue  # a picture, a page break, an empty line
            if element.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY:
                self.block(f"{where} paragraph", element, layout.body_size)
                fmt = element.paragraph_format
                indent = fmt.first_line_indent
                if indent is None or abs(indent.cm - float(layout.first_line_indent_cm)) > 0.01:
                    self.problem(f"{where} paragraph {text[:30]!r}: first-line indent")
                if fmt.space_after is None or fmt.space_after.pt < layout.paragraph_spacing_pt:
                    self.problem(f"{where} paragraph {text[:30]!r}: space after")
            elif any(bool(r.italic) for r in element.runs if r.text.strip()):
                self.block(f"{where} caption", element, layout.table_size, italic=True)
            else:
                self.block(f"{where} section title", element, layout.body_size, bold=True)

    def data_table(self, table: Table, where: str) -> None:
        """Every cell's text in the table size; the header rows (repeated on each page)
        bold. Reads the XML, not `table.cell()`, which is quadratic."""
        size = self.layout.table_size * 2  # half-points
        sizes: Counter[str] = Counter()
        heads = 0
        for tr in table._tbl.tr_lst:
            head = tr.trPr is not None and tr.trPr.find(qn("w:tblHeader")) is not None
            heads += head
            for r in tr.iter(qn("w:r")):
                rpr = r.rPr
                got = rpr.find(qn("w:sz")) if rpr is not None else None
                value = got.get(qn("w:val")) if got is not None else None
                if value != str(size):
                    sizes[f"size {value} half-points"] += 1
                if head and (rpr is None or rpr.find(qn("w:b")) is None):
                    sizes["header not bold"] += 1
        for what, count in sizes.items():
            self.problem(f"{where} table: {what} in {count} run(s), layout says "
                         f"{self.layout.table_size} pt")  # fmt: skip
        if not heads:
            self.problem(f"{where} table: no header row")

    def closing(self, table: Table) -> None:
        layout = self.layout
        cells = table.rows[0].cells
        if len(cells) != 2:
            self.problem(f"signature block: {len(cells)} columns, expected 2")
            return
        left, right = cells
        lines = _texts(left)
        if lines:
            self.block(
                "recipients label",
                lines[0],
                layout.recipients_label_size,
                bold=True,
                italic=True,
                text=layout.recipients_label,
            )
            for entry in lines[1:]:
                self.block("recipient", entry, layout.recipients_size)
            # The archive copy closes the list (Decree 30/2020, Appendix I).
            if len(lines) < 2 or not lines[-1].text.strip().startswith("- Lưu"):
                self.problem("recipients: the last entry must be “- Lưu: …”")
        lines = _texts(right)
        if not lines:
            self.problem("signature: missing")
        for i, line in enumerate(lines):
            name = i == len(lines) - 1
            self.block(
                "signer's name" if name else "signing authority",
                line,
                layout.signature_size,
                bold=True,
                upper=not name,
            )


def _texts(cell: _Cell) -> list[Paragraph]:
    return [p for p in cell.paragraphs if p.text.strip()]


def _is_rule(element: object) -> bool:
    if not isinstance(element, Paragraph):
        return False
    ppr = element._p.pPr
    return ppr is not None and ppr.find(qn("w:pBdr")) is not None


def _has_rule(cell: _Cell) -> bool:
    return any(_is_rule(p) for p in cell.paragraphs)


def _borderless(table: Table) -> bool:
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    return borders is not None and {e.get(qn("w:val")) for e in borders} == {"nil"}


def _elements(word: DocumentObject) -> list[Paragraph | Table]:
    body = word.element.body
    out: list[Paragraph | Table] = []
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            out.append(Paragraph(child, word._body))
        elif child.tag == qn("w:tbl"):
            out.append(Table(child, word._body))
    return out


def check_docx(
    data: bytes,
    layout: DocumentLayout,
    *,
    number: str,
    doc_type_title: str | None = None,
    place: str | None = None,
    issued_on: date | None = None,
) -> list[str]:
    """The problems of the .docx *data* against *layout*, none when it follows it.

    *number* is the number-symbol the number line must carry; the document type, place
    and date are checked against the given values too when given."""
    try:
        word = Document(io.BytesIO(data))
    except Exception as exc:  # a file Word cannot open is the first problem
        return [f"not a .docx file: {exc}"]
    check = Checker(word, layout)
    check.page()
    check.fonts()
    check.page_numbers()
    elements = _elements(word)
    frames = [i for i, e in enumerate(elements) if isinstance(e, Table) and _borderless(e)]
    if len(frames) < 2:
        check.problem("heading or signature block: missing (two borderless tables expected)")
        return check.problems
    first, last = frames[0], frames[-1]
    if any(isinstance(e, Paragraph) and e.text.strip() for e in elements[:first]):
        check.problem("heading: text before the heading")
    when = date_line(place, issued_on) if place is not None and issued_on is not None else None
    heading = elements[first]
    assert isinstance(heading, Table)
    check.heading(heading, number, when)
    body = check.title(iter(elements[first + 1 : last]), doc_type_title)
    check.body(body, "body")
    closing = elements[last]
    assert isinstance(closing, Table)
    check.closing(closing)
    check.body(elements[last + 1 :], "annex")
    return check.problems


def check_document(data: bytes, doc: OfficialDocument) -> list[str]:
    """`check_docx` with the layout, number, type, place and date of *doc*."""
    return check_docx(
        data,
        layout_for(doc.family, doc.issued_on),
        number=doc.number,
        doc_type_title=doc.doc_type_title,
        place=doc.place,
        issued_on=doc.issued_on,
    )


def assert_follows_layout(data: bytes, doc: OfficialDocument) -> None:
    """For tests: fail with every problem listed when *data* breaks *doc*'s layout."""
    problems = check_document(data, doc)
    assert not problems, "the file breaks its layout:\n- " + "\n- ".join(problems)
