"""Every write of the document register: record a document, correct it, link two
documents and remove a link.

Each service runs in one transaction, writes the audit row and raises a DomainError
(nothing written) when a rule refuses. ``document_checks`` is the one pass over a
document's fields that both the services and the forms run, so a clerk sees every
problem at once: a number that does not parse (naming the part that is wrong), a
duplicate, a date in the future or implausibly old, an excerpt too long, a term of the
wrong shape, a file that is not what its name says.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.audit import services as audit
from danvan.core import docnumber
from danvan.core.errors import Checks, DomainError, NotFound
from danvan.core.text import fold
from danvan.core.uploads import MAX_UPLOAD_BYTES, check_upload
from danvan.core.validators import future_date_message, one_of
from danvan.units.models import Unit

from .errors import DirectiveError
from .models import EXCERPT_MAX_LENGTH, Document, DocumentLink, Family, LinkKind

# The parser's numbering systems and the register's families (domain.md §6).
SYSTEM_FAMILY = {
    "party": Family.PARTY,
    "state": Family.STATE,
    "state_letter": Family.STATE,
    "normative": Family.NORMATIVE,
    "law": Family.NORMATIVE,
}
# Type codes as written in numbers (Decree 30/2020 Appendix III; Party Guidance
# 36-HD/VPTW) and what the register shows for them. An unknown code is shown as it is.
TYPE_LABELS = {
    "NQ": "Nghị quyết",
    "QĐ": "Quyết định",
    "CT": "Chỉ thị",
    "KL": "Kết luận",
    "QC": "Quy chế",
    "QYĐ": "Quy định",
    "QĐi": "Quy định",
    "TC": "Thông cáo",
    "TB": "Thông báo",
    "HD": "Hướng dẫn",
    "KH": "Kế hoạch",
    "CTr": "Chương trình",
    "PA": "Phương án",
    "ĐA": "Đề án",
    "DA": "Dự án",
    "BC": "Báo cáo",
    "BB": "Biên bản",
    "TTr": "Tờ trình",
    "HĐ": "Hợp đồng",
    "CV": "Công văn",
    "CĐ": "Công điện",
    "GM": "Giấy mời",
    "NĐ": "Nghị định",
    "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch",
    "NQLT": "Nghị quyết liên tịch",
    "L": "Luật",
}
# Letters (công văn) carry no type in their number; laws carry the legislature instead.
LETTER_TYPE = "CV"
LAW_TYPE = "L"
# Nothing the register holds predates the Party (founded 3 February 1930).
OLDEST_DATE = dt.date(1930, 2, 3)
# A Party committee's term is five years (Party Charter); written "2025-2030".
PARTY_TERM_YEARS = 5
_TERM = re.compile(r"^\s*(\d{4})\s*[-–—]\s*(\d{4})\s*$")
ISSUER_MAX_LENGTH = 300


def _error(code: DirectiveError, message: str, field: str | None = None) -> DomainError:
    return DomainError(code.value, message, field=field)


def _require(actor: Any, perm: Perm, unit: Unit) -> None:
    # actor None: the system itself (the demo seeder, a command), as in the other services.
    if actor is not None:
        policies.require(actor, perm, unit)


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def today() -> dt.date:
    return timezone.localdate()


# -- the number ---------------------------------------------------------------------------


def parse_number(text: str) -> docnumber.DocumentNumber:
    """The parsed number; the parser takes off the pasted "Số:" / "Số" label (domain.md §6)."""
    return docnumber.parse(text or "")


def number_error_message(exc: docnumber.DocumentNumberError) -> str:
    """The parser's sentence: what was typed, which part is wrong and what is allowed."""
    return str(exc)


def type_of(parsed: docnumber.DocumentNumber) -> tuple[str, str]:
    """(type code, label) of a parsed number: a letter is a công văn, a law a Luật."""
    if parsed.system == "state_letter":
        code = LETTER_TYPE
    elif parsed.system == "law":
        code = LAW_TYPE
    else:
        code = parsed.doc_type
    return code, TYPE_LABELS.get(code, code)


def issuer_key(issuer_name: str) -> str:
    """The issuer as compared for duplicates: its name folded (case, diacritics, spaces)."""
    return fold(issuer_name)[:300]


def duplicate_key(
    parsed: docnumber.DocumentNumber, *, issued_on: dt.date | None, party_term: str
) -> str | None:
    """The key two documents of one issuer may not share: ``docnumber.duplicate_key``
    (the number with the year for State documents, with the term for Party ones; TƯ = TW).
    None when the date is missing."""
    if issued_on is None:
        return None
    try:
        return docnumber.duplicate_key(parsed, issued_on=issued_on, term=party_term or None)
    except ValueError:  # a malformed term ("2030-2025"): refused by document_checks
        return None


def normalize_term(text: str) -> str | None:
    """ "2025 – 2030" as "2025-2030"; None when it is not two years."""
    m = _TERM.match(text or "")
    return f"{m[1]}-{m[2]}" if m else None


# -- the one pass of checks ---------------------------------------------------------------


@dataclass
class Cleaned:
    """A document's fields once every check passed, ready for the model."""

    fields: dict[str, Any]
    content_type: str = ""


def find_duplicate(
    data: Mapping[str, Any], *, unit: Unit | None, instance: Document | None = None
) -> Document | None:
    """The document already in *unit*'s register (or an ancestor's) with the same issuer
    and duplicate key as *data*, if any (None when *data* does not parse far enough)."""
    if unit is None:
        return None
    parsed = docnumber.try_parse(str(data.get("number") or ""))
    if parsed is None:
        return None
    issuer = _issuer_name(data)
    term = normalize_term(str(data.get("party_term") or "")) or ""
    key = duplicate_key(parsed, issued_on=data.get("issued_on"), party_term=term)
    if key is None or not issuer:
        return None
    rows = Document.objects.filter(
        unit_id__in=[unit.pk, *unit.ancestor_ids],
        issuer_key=issuer_key(issuer),
        duplicate_key=key,
    ).select_related("unit")
    if instance is not None and instance.pk is not None:
        rows = rows.exclude(pk=instance.pk)
    return rows.first()


def _issuer_name(data: Mapping[str, Any]) -> str:
    name = str(data.get("issuer_name") or "").strip()
    issuer_unit = data.get("issuer_unit")
    if not name and isinstance(issuer_unit, Unit):
        name = issuer_unit.name
    return name


def _duplicate_message(found: Document) -> str:
    return _(
        "Văn bản số %(number)s của %(issuer)s đã có trong sổ văn bản của %(unit)s (ban hành"
        " ngày %(day)s: %(excerpt)s). Mở văn bản đó thay vì vào sổ lần nữa."
    ) % {
        "number": found.number,
        "issuer": found.issuer_name,
        "unit": found.unit.name,
        "day": f"{found.issued_on:%d/%m/%Y}",
        "excerpt": found.excerpt[:120],
    }


def document_checks(
    data: Mapping[str, Any], *, unit: Unit | None = None, instance: Document | None = None
) -> Cleaned:
    """Check the fields present in *data* (document_register's keys) in one pass and
    return them cleaned; one DomainError lists every problem. The forms run it too."""
    checks = Checks()
    fields: dict[str, Any] = {}
    parsed: docnumber.DocumentNumber | None = None
    if "number" in data:
        try:
            parsed = parse_number(str(data["number"] or ""))
        except docnumber.DocumentNumberError as exc:
            checks.refuse(DirectiveError.BAD_NUMBER, number_error_message(exc), field="number")
        else:
            code, label = type_of(parsed)
            fields.update(
                number=parsed.raw,
                number_key=parsed.key,
                family=SYSTEM_FAMILY[parsed.system],
                doc_type=code,
                doc_type_label=label,
            )
    issued_on = data.get("issued_on")
    if "issued_on" in data:
        if not isinstance(issued_on, dt.date):
            checks.refuse(
                DirectiveError.BAD_DATE, _("Cần ghi ngày ban hành văn bản."), field="issued_on"
            )
            issued_on = None
        elif issued_on > today():
            checks.refuse(
                DirectiveError.BAD_DATE, future_date_message(issued_on, today()), field="issued_on"
            )
        elif issued_on < OLDEST_DATE:
            checks.refuse(
                DirectiveError.BAD_DATE,
                _("Ngày %(day)s quá xa: sổ văn bản nhận văn bản ban hành từ %(oldest)s trở đi.")
                % {"day": f"{issued_on:%d/%m/%Y}", "oldest": f"{OLDEST_DATE:%d/%m/%Y}"},
                field="issued_on",
            )
        elif parsed is not None and parsed.year is not None and parsed.year != issued_on.year:
            # A normative number carries the year it was issued: 60/2013/NĐ-CP is of 2013.
            checks.refuse(
                DirectiveError.BAD_DATE,
                _(
                    "Số ký hiệu ghi năm %(year)s nhưng ngày ban hành là %(day)s: văn bản quy"
                    " phạm pháp luật ban hành trong năm ghi ở số ký hiệu."
                )
                % {"year": parsed.year, "day": f"{issued_on:%d/%m/%Y}"},
                field="issued_on",
            )
        else:
            fields["issued_on"] = issued_on
            fields["year"] = issued_on.year
    if "excerpt" in data:
        excerpt = " ".join(str(data["excerpt"] or "").split())
        if not excerpt:
            checks.refuse(
                DirectiveError.EMPTY,
                _("Cần ghi trích yếu (nội dung tóm tắt của văn bản)."),
                field="excerpt",
            )
        elif len(excerpt) > EXCERPT_MAX_LENGTH:
            checks.refuse(
                DirectiveError.TOO_LONG,
                _("Trích yếu dài tối đa %(n)s ký tự (bạn đã nhập %(m)s).")
                % {"n": EXCERPT_MAX_LENGTH, "m": len(excerpt)},
                field="excerpt",
            )
        else:
            fields["excerpt"] = excerpt
    if "issuer_name" in data or "issuer_unit" in data:
        issuer = _issuer_name(data)
        if not issuer:
            checks.refuse(
                DirectiveError.EMPTY,
                _("Cần ghi cơ quan ban hành như trên văn bản (ví dụ: Ban Thường vụ Tỉnh ủy)."),
                field="issuer_name",
            )
        elif len(issuer) > ISSUER_MAX_LENGTH:
            checks.refuse(
                DirectiveError.TOO_LONG,
                _("Tên cơ quan ban hành dài tối đa %(n)s ký tự.") % {"n": ISSUER_MAX_LENGTH},
                field="issuer_name",
            )
        else:
            fields["issuer_name"] = issuer
            fields["issuer_key"] = issuer_key(issuer)
            issuer_unit = data.get("issuer_unit")
            fields["issuer_unit"] = issuer_unit if isinstance(issuer_unit, Unit) else None
    term = ""
    if "party_term" in data and parsed is not None:
        raw_term = str(data["party_term"] or "").strip()
        if SYSTEM_FAMILY[parsed.system] != Family.PARTY:
            fields["party_term"] = ""  # a term means nothing to a State document
        elif not raw_term:
            # Numbers restart each term: left empty, the term is the default the parser
            # derives from the date (the province-level rhythm), shown on the document.
            if issued_on is not None:
                term = docnumber.party_term(issued_on)
                fields["party_term"] = term
        elif (normalized := normalize_term(raw_term)) is None or (
            int(normalized[5:]) - int(normalized[:4]) != PARTY_TERM_YEARS
        ):
            checks.refuse(
                DirectiveError.BAD_TERM,
                _("Nhiệm kỳ viết dạng năm đầu-năm cuối, cách nhau 5 năm, ví dụ 2025-2030."),
                field="party_term",
            )
        elif issued_on is not None and not (
            int(normalized[:4]) <= issued_on.year <= int(normalized[5:])
        ):
            checks.refuse(
                DirectiveError.BAD_TERM,
                _("Ngày ban hành %(day)s không thuộc nhiệm kỳ %(term)s.")
                % {"day": f"{issued_on:%d/%m/%Y}", "term": normalized},
                field="party_term",
            )
        else:
            term = normalized
            fields["party_term"] = term
    for name, label in (("signer_name", _("Người ký")), ("signer_position", _("Chức vụ"))):
        if name in data:
            value = " ".join(str(data[name] or "").split())
            if len(value) > 200:
                checks.refuse(
                    DirectiveError.TOO_LONG,
                    _("%(label)s dài tối đa 200 ký tự.") % {"label": label},
                    field=name,
                )
            fields[name] = value
    content_type = ""
    upload = data.get("file")
    if isinstance(upload, UploadedFile):
        with checks.collect():
            content_type = check_document_file(upload)
    if parsed is not None and "issuer_key" in fields and not checks:
        key = duplicate_key(parsed, issued_on=fields.get("issued_on"), party_term=term)
        if key is not None:
            fields["duplicate_key"] = key
        found = find_duplicate(data, unit=unit, instance=instance)
        if found is not None:
            checks.refuse(DirectiveError.DUPLICATE, _duplicate_message(found), field="number")
    checks.raise_if_any()
    return Cleaned(fields, content_type)


def check_document_file(upload: UploadedFile) -> str:
    """The checked content type: only PDF and DOCX, and only when the bytes match the name
    (core.uploads.check_upload), with a message that names this register's two kinds."""
    name = upload.name or ""
    if not name.lower().endswith(_FILE_SUFFIXES):
        raise _error(
            DirectiveError.BAD_FILE,
            _("Tệp “%(name)s” không nhận được: sổ văn bản chỉ nhận tệp PDF hoặc Word (.docx).")
            % {"name": name},
            "file",
        )
    try:
        return check_upload(upload, code=DirectiveError.BAD_FILE.value, field="file")
    except DomainError:
        if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
            raise  # its message says the size limit
        raise _error(
            DirectiveError.BAD_FILE,
            _(
                "Nội dung tệp “%(name)s” không phải %(kind)s như tên tệp ghi (có thể tệp bị"
                " đổi tên hoặc hỏng). Hãy chọn đúng tệp PDF hoặc Word (.docx) của văn bản."
            )
            % {"name": name, "kind": "PDF" if name.lower().endswith(".pdf") else "Word (.docx)"},
            "file",
        ) from None


_FILE_SUFFIXES = (".pdf", ".docx")
_REQUIRED_KEYS = ("number", "issued_on", "excerpt", "issuer_name", "party_term")


def _attach(document: Document, upload: UploadedFile, content_type: str) -> None:
    document.file_name = (upload.name or "van-ban")[-255:]
    document.file_content_type = content_type
    document.file.save(upload.name or "van-ban", upload, save=False)


def _index(document: Document) -> None:
    """The folded text the list searches: number (also as its key, so TW finds TƯ),
    issuer and excerpt."""
    document.search_folded = fold(
        " ".join((document.number, document.number_key, document.issuer_name, document.excerpt))
    )


def _save_new(document: Document) -> None:
    """Save in a savepoint: a duplicate that slipped past the check under a race is
    refused by the constraint, with the same message."""
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:
        raise _error(
            DirectiveError.DUPLICATE,
            _("Văn bản số %(number)s của %(issuer)s đã có trong sổ văn bản.")
            % {"number": document.number, "issuer": document.issuer_name},
            "number",
        ) from None


@transaction.atomic
def document_register(
    *,
    actor: Any,
    unit: Unit,
    data: Mapping[str, Any],
    file: UploadedFile | None = None,
    implements: Document | None = None,
) -> Document:
    """Record a document in *unit*'s register. *data* holds number, issued_on, excerpt,
    issuer_name (or issuer_unit), signer_name, signer_position, party_term. With
    *implements*, the new document is linked as implementing it in the same transaction
    (a commune's plan recorded from the province's plan it carries out)."""
    _require(actor, Perm.DIRECTIVE_MANAGE, unit)
    values = {key: data.get(key) for key in _REQUIRED_KEYS}
    values.update(
        {k: data[k] for k in ("issuer_unit", "signer_name", "signer_position") if k in data}
    )
    values["file"] = file
    cleaned = document_checks(values, unit=unit)
    document = Document(unit=unit, created_by=_user(actor), **cleaned.fields)
    _index(document)
    _save_new(document)
    if file is not None:
        _attach(document, file, cleaned.content_type)
        document.save(update_fields=["file", "file_name", "file_content_type"])
    audit.record_create(actor=actor, instance=document)
    if implements is not None:
        document_link_add(actor=actor, source=document, target=implements, kind=LinkKind.IMPLEMENTS)
    return document


@transaction.atomic
def document_update(
    *,
    actor: Any,
    document: Document,
    data: Mapping[str, Any],
    file: UploadedFile | None = None,
) -> Document:
    """Correct the fields present in *data*; *file* replaces the stored file."""
    _require(actor, Perm.DIRECTIVE_MANAGE, document.unit)
    document = Document.objects.select_for_update().select_related("unit").get(pk=document.pk)
    # The duplicate key depends on number, date, issuer and term together: check them as a
    # whole, the stored value standing in for what *data* leaves out.
    values: dict[str, Any] = {
        "number": document.number,
        "issued_on": document.issued_on,
        "excerpt": document.excerpt,
        "issuer_name": document.issuer_name,
        "party_term": document.party_term,
        "signer_name": document.signer_name,
        "signer_position": document.signer_position,
        "issuer_unit": document.issuer_unit,
    }
    values.update({k: v for k, v in data.items() if k in values})
    values["file"] = file
    cleaned = document_checks(values, unit=document.unit, instance=document)
    before = audit.snapshot(document)
    for name, value in cleaned.fields.items():
        setattr(document, name, value)
    if file is not None:
        _attach(document, file, cleaned.content_type)
    _index(document)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:
        raise _error(
            DirectiveError.DUPLICATE,
            _("Văn bản số %(number)s của %(issuer)s đã có trong sổ văn bản.")
            % {"number": document.number, "issuer": document.issuer_name},
            "number",
        ) from None
    audit.record_update(actor=actor, instance=document, before=before)
    return document


# -- links --------------------------------------------------------------------------------


def document_link_checks(*, source: Document, target: Document | None, kind: str) -> None:
    checks = Checks()
    if kind not in LinkKind.values:
        checks.refuse(DirectiveError.BAD_LINK, one_of(_("Quan hệ"), LinkKind.labels), field="kind")
    if target is None:
        checks.refuse(DirectiveError.BAD_LINK, _("Chọn văn bản được liên kết."), field="target")
    elif target.pk == source.pk:
        checks.refuse(
            DirectiveError.BAD_LINK,
            _("Không liên kết một văn bản với chính nó."),
            field="target",
        )
    elif DocumentLink.objects.filter(source=source, target=target, kind=kind).exists():
        checks.refuse(
            DirectiveError.DUPLICATE_LINK,
            _("Liên kết này đã có: %(source)s %(kind)s %(target)s.")
            % {
                "source": source.number,
                "kind": LinkKind(kind).label.lower(),
                "target": target.number,
            },
            field="target",
        )
    checks.raise_if_any()


@transaction.atomic
def document_link_add(*, actor: Any, source: Document, target: Document, kind: str) -> DocumentLink:
    """Record that *source* implements / replaces / amends / guides *target*. The target
    may be in another register the actor sees (the province's plan a commune implements)."""
    _require(actor, Perm.DIRECTIVE_MANAGE, source.unit)
    if actor is not None:
        from .selectors import documents_visible

        if not documents_visible(actor).filter(pk=target.pk).exists():
            raise NotFound(_("Không tìm thấy văn bản."), code="document_not_found")
    document_link_checks(source=source, target=target, kind=kind)
    link = DocumentLink(source=source, target=target, kind=kind, created_by=_user(actor))
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError:
        raise _error(DirectiveError.DUPLICATE_LINK, _("Liên kết này đã có."), "target") from None
    audit.record_create(actor=actor, instance=link)
    return link


@transaction.atomic
def document_link_remove(*, actor: Any, link: DocumentLink) -> None:
    """Remove a link recorded by mistake (the audit row keeps what it was)."""
    _require(actor, Perm.DIRECTIVE_MANAGE, link.source.unit)
    audit.record_delete(actor=actor, instance=link)
    link.delete()
