"""The conclusion notice (thông báo kết luận) of a conference as an official document.

The notice is built from the conference's record (its notice fields, chair, place, date
and conclusion) and printed by the one Word writer, ``danvan.legal.officialdoc``, in the
layout of its issuer in force on the notice's date: Decree 30/2020/NĐ-CP Appendix I for
a State body, the Party layout (Regulation 399-QĐ/TW) for a Party body (domain.md §6b).
The issuer's name comes from the record, never from a template: bodies are renamed
(Ban Dân vận became Ban Tuyên giáo và Dân vận in 2025).
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from danvan.core.text import fold
from danvan.legal.officialdoc import OfficialDocument, render_docx

from .models import Conference

DOC_TYPE_TITLE = "THÔNG BÁO"
# Decree 30/2020 Appendix I: the last entry of "Nơi nhận" is the archive copy.
DEFAULT_RECIPIENTS = ("- Lưu: VT.",)


def excerpt(conference: Conference) -> str:
    """ "Kết luận của đồng chí …, … tại Hội nghị …" (the notice's excerpt, trích yếu)."""
    if conference.chair_name:
        return _("Kết luận của đồng chí %(name)s, %(position)s tại %(title)s") % {
            "name": conference.chair_name,
            "position": conference.chair_position,
            "title": conference.title,
        }
    return _("Kết luận tại %(title)s") % {"title": conference.title}


def opening(conference: Conference, points: int = 0) -> str:
    """The first paragraph: when, where, who held it and who chaired it."""
    text = _("Ngày %(day)s, %(body)s tổ chức %(title)s") % {
        "day": f"{conference.held_on.day}/{conference.held_on.month}/{conference.held_on.year}",
        "body": conference.issuer_body or conference.unit.name,
        "title": conference.title,
    }
    if conference.place:
        text += _(" tại %(place)s") % {"place": conference.place}
    if conference.online and points:
        text += _(", kết nối trực tuyến đến %(n)s điểm cầu") % {"n": points}
    text += "."
    if conference.chair_name:
        text += _(" Đồng chí %(name)s, %(position)s chủ trì hội nghị.") % {
            "name": conference.chair_name,
            "position": conference.chair_position,
        }
    text += _(
        " Sau khi nghe báo cáo và ý kiến phát biểu của các đại biểu, hội nghị kết luận như sau:"
    )
    return text


def body(conference: Conference, points: int = 0) -> list[str]:
    """The opening paragraph, then the conclusion paragraph by paragraph."""
    paragraphs = [line.strip() for line in conference.conclusion.splitlines() if line.strip()]
    return [opening(conference, points), *paragraphs]


def build(conference: Conference, *, points: int = 0) -> OfficialDocument:
    """The notice of *conference* (its notice fields recorded: ``has_notice``)."""
    assert conference.notice_on is not None
    return OfficialDocument(
        family=conference.issuer_family,
        superior_body=conference.superior_body.upper(),
        issuer_body=conference.issuer_body.upper(),
        number=conference.notice_number,
        place=conference.notice_place,
        issued_on=conference.notice_on,
        doc_type_title=DOC_TYPE_TITLE,
        excerpt=excerpt(conference),
        body=body(conference, points),
        signing_authority=conference.signing_authority,
        signer_position=conference.signer_position.upper(),
        signer_name=conference.signer_name,
        recipients=conference.recipient_lines() or list(DEFAULT_RECIPIENTS),
    )


def file_name(conference: Conference) -> str:
    """An ASCII name for the download: thong-bao-ket-luan-15-tb-bcd.docx."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(conference.notice_number)).strip("-")
    return f"thong-bao-ket-luan-{slug or 'hoi-nghi'}.docx"


def render(conference: Conference, *, points: int = 0) -> bytes:
    return render_docx(build(conference, points=points))
