"""The minutes of a closed vote as a Word document, shaped like the forms of Decree
59/2023/NĐ-CP: a community meeting (with its vote count), a household ballot, or an
online vote. Shares are of ALL households, as exact fractions and percents truncated to
two decimals, never rounded (selectors.share)."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Pt

from . import selectors
from .models import Method, Outcome, Vote


def _titles() -> dict[str, str]:
    return {
        Method.MEETING: _("BIÊN BẢN HỘI NGHỊ CỘNG ĐỒNG DÂN CƯ"),
        Method.BALLOT: _("BIÊN BẢN TỔNG HỢP KẾT QUẢ LẤY Ý KIẾN HỘ GIA ĐÌNH"),
        Method.ONLINE: _("BIÊN BẢN KẾT QUẢ BIỂU QUYẾT TRỰC TUYẾN"),
    }


def minutes_title(vote: Vote) -> str:
    return _titles()[vote.method]


def minutes_filename(vote: Vote) -> str:
    """An ASCII file name (no diacritics: every browser and mail client copes)."""
    return f"bien-ban-bieu-quyet-{vote.opened_on:%Y%m%d}-{str(vote.public_id)[:8]}.docx"


def _date_words(day: object) -> str:
    return _("ngày %(d)s tháng %(m)s năm %(y)s") % {
        "d": f"{day:%d}",
        "m": f"{day:%m}",
        "y": f"{day:%Y}",
    }


def _para(
    doc: DocumentObject,
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    center: bool = False,
    right: bool = False,
    size: int | None = None,
) -> None:
    paragraph = doc.add_paragraph()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run(text)
    run.bold = bold
    run.italic = italic
    if size is not None:
        run.font.size = Pt(size)


def _cell_lines(cell: object, lines: list[tuple[str, bool, bool]]) -> None:
    """Fill a table cell with centred lines of (text, bold, italic)."""
    first = True
    for text, bold, italic in lines:
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()  # type: ignore[attr-defined]
        first = False
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.bold = bold
        run.italic = italic


def outcome_sentence(vote: Vote) -> str:
    """The conclusion with the rule it applies (Law 10/2022/QH15; domain.md §3)."""
    numbers = {
        "p": vote.households_present,
        "a": vote.agree,
        "t": vote.households_total,
    }
    if vote.outcome == Outcome.INVALID:
        return (
            _(
                "Cuộc biểu quyết không hợp lệ: chỉ có %(p)s/%(t)s hộ tham gia, không quá 1/2 "
                "tổng số hộ gia đình; cần tổ chức lại hoặc phát phiếu lấy ý kiến hộ gia đình."
            )
            % numbers
        )
    if vote.outcome == Outcome.PASSED:
        return (
            _(
                "Nội dung được thông qua: có %(a)s/%(t)s hộ đồng ý, quá 1/2 tổng số hộ gia "
                "đình trong thôn, tổ dân phố."
            )
            % numbers
        )
    return (
        _(
            "Nội dung không được thông qua: có %(a)s/%(t)s hộ đồng ý, không quá 1/2 tổng số "
            "hộ gia đình trong thôn, tổ dân phố."
        )
        % numbers
    )


def _signatures(doc: DocumentObject, left: tuple[str, str], right: tuple[str, str]) -> None:
    """Two signature blocks; the names go under the blank lines left for signing."""
    table = doc.add_table(rows=1, cols=2)
    sign = _("(Ký, ghi rõ họ tên)")
    for cell, (title, name) in zip(table.rows[0].cells, (left, right), strict=True):
        blank = ("", False, False)
        _cell_lines(
            cell, [(title, True, False), (sign, False, True), blank, blank, (name, True, False)]
        )


def _numbers(doc: DocumentObject, vote: Vote, present_label: str) -> None:
    total = vote.households_total
    abstain = max(vote.households_present - vote.agree - vote.disagree, 0)
    _para(doc, _("- Tổng số hộ gia đình trong thôn, tổ dân phố: %(t)s hộ.") % {"t": total})
    _para(
        doc,
        f"- {present_label}: {selectors.share(vote.households_present, total)}.",
    )
    _para(doc, _("- Số hộ đồng ý: %(s)s.") % {"s": selectors.share(vote.agree, total)})
    _para(doc, _("- Số hộ không đồng ý: %(s)s.") % {"s": selectors.share(vote.disagree, total)})
    if abstain:
        _para(
            doc,
            _("- Số hộ tham gia nhưng không biểu quyết: %(s)s.")
            % {"s": selectors.share(abstain, total)},
        )


def minutes_docx(vote: Vote) -> bytes:
    """The minutes of the closed *vote* as the bytes of a .docx file."""
    matter = vote.matter
    village = matter.unit
    commune = village.parent
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(13)

    # The header: the village and its commune on the left, the national motto on the right.
    header = doc.add_table(rows=1, cols=2)
    _cell_lines(
        header.rows[0].cells[0],
        [
            (
                (_("UBND %(name)s") % {"name": commune.name}).upper() if commune else "",
                False,
                False,
            ),
            (village.name.upper(), True, False),
        ],
    )
    _cell_lines(
        header.rows[0].cells[1],
        [
            (_("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), True, False),
            (_("Độc lập - Tự do - Hạnh phúc"), True, False),
        ],
    )
    if vote.method == Method.MEETING or vote.closed_at is None:
        day = vote.opened_on
    else:
        day = timezone.localdate(vote.closed_at)
    place_name = commune.name if commune else village.name
    _para(doc, f"{place_name}, {_date_words(day)}", italic=True, right=True)

    _para(doc, minutes_title(vote), bold=True, center=True, size=14)
    _para(doc, _("Về việc: %(t)s") % {"t": matter.title}, bold=True, center=True)

    _para(doc, _("I. THỜI GIAN, ĐỊA ĐIỂM, THÀNH PHẦN"), bold=True)
    if vote.closes_on and vote.closes_on != vote.opened_on:
        when = _("Từ ngày %(a)s đến ngày %(b)s.") % {
            "a": f"{vote.opened_on:%d/%m/%Y}",
            "b": f"{vote.closes_on:%d/%m/%Y}",
        }
    else:
        when = _("Ngày %(a)s.") % {"a": f"{vote.opened_on:%d/%m/%Y}"}
    _para(doc, _("- Thời gian: %(w)s") % {"w": when})
    _para(doc, _("- Địa điểm: %(p)s.") % {"p": vote.place or village.name})
    _para(doc, _("- Thôn, tổ dân phố: %(v)s.") % {"v": village.name})
    if commune:
        _para(doc, _("- Xã, phường, đặc khu: %(c)s.") % {"c": commune.name})
    _para(doc, _("- Người chủ trì: %(c)s.") % {"c": vote.chair or "……………………"})
    _para(doc, _("- Thư ký: %(s)s.") % {"s": vote.secretary or "……………………"})

    _para(doc, _("II. NỘI DUNG BIỂU QUYẾT"), bold=True)
    _para(doc, f"- {matter.get_kind_display()}: {matter.title}.")
    if matter.description:
        _para(doc, matter.description)

    present_labels: dict[str, str] = {
        Method.MEETING: _("Số hộ gia đình có đại diện dự hội nghị"),
        Method.BALLOT: _("Số phiếu lấy ý kiến hộ gia đình thu về"),
        Method.ONLINE: _("Số hộ gia đình đã biểu quyết trực tuyến"),
    }
    present_label = present_labels[vote.method]
    _para(doc, _("III. KẾT QUẢ"), bold=True)
    if vote.method == Method.MEETING:
        _numbers(doc, vote, present_label)
    elif vote.method == Method.BALLOT:
        _para(
            doc,
            _("- Số phiếu phát ra: %(t)s phiếu (mỗi hộ một phiếu).") % {"t": vote.households_total},
        )
        _numbers(doc, vote, present_label)
    else:
        _para(
            doc, _("- Số mã biểu quyết đã phát cho hộ gia đình: %(n)s.") % {"n": vote.codes.count()}
        )
        _numbers(doc, vote, present_label)

    _para(doc, _("IV. KẾT LUẬN"), bold=True)
    _para(
        doc,
        _(
            "Căn cứ Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15: việc biểu quyết hợp lệ khi "
            "có quá 1/2 tổng số hộ gia đình tham gia; nội dung được thông qua khi có quá 1/2 "
            "tổng số hộ gia đình trong thôn, tổ dân phố đồng ý."
        ),
    )
    _para(doc, outcome_sentence(vote), bold=True)
    _para(
        doc,
        _("Biên bản đã được đọc lại, các thành viên tham dự cùng nghe và thống nhất."),
        italic=True,
    )
    _signatures(doc, (_("THƯ KÝ"), vote.secretary), (_("NGƯỜI CHỦ TRÌ"), vote.chair))

    if vote.method == Method.MEETING:
        # The vote count of the meeting, on its own page.
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _para(doc, _("BIÊN BẢN KIỂM PHIẾU"), bold=True, center=True, size=14)
        _para(doc, _("Về việc: %(t)s") % {"t": matter.title}, bold=True, center=True)
        _para(
            doc,
            _("Hội nghị cộng đồng dân cư %(v)s, ngày %(d)s; tổ kiểm phiếu đã kiểm phiếu như sau:")
            % {"v": village.name, "d": f"{vote.opened_on:%d/%m/%Y}"},
        )
        _numbers(doc, vote, present_label)
        _para(doc, outcome_sentence(vote), bold=True)
        _signatures(doc, (_("TỔ KIỂM PHIẾU"), ""), (_("NGƯỜI CHỦ TRÌ"), vote.chair))

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
