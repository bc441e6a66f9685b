"""Every write of a consultation of citizens on a draft (Law 10/2022/QH15, art. 25–26):
create it, open it for a period, take in comments, moderate and answer them, close it,
and publish how the opinions were taken in.

A consultation moves draft → open → closed → reported; TRANSITIONS below is the one table
of what may be done in which state. Each service runs in one transaction, writes the
audit row, and raises a DomainError (nothing written) when a rule refuses.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.audit import services as audit
from danvan.core.errors import Checks, DomainError
from danvan.core.pagecache import place_changed
from danvan.core.uploads import check_upload
from danvan.core.validators import one_of
from danvan.units.models import Unit, UnitKind

from .errors import ConsultationError
from .models import Comment, Consultation

State = Consultation.State
Status = Comment.Status

# The one table of what may be done to a consultation in which state.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "open": (State.DRAFT,),
    "comment_submit": (State.OPEN,),
    # Comments sent in the last days are moderated and answered after closing too.
    "comment_moderate": (State.OPEN, State.CLOSED),
    "comment_answer": (State.OPEN, State.CLOSED),
    "close": (State.OPEN,),
    "report": (State.CLOSED,),
}
# Consultations are held by the commune or by a village (Law 10/2022/QH15, art. 25).
UNIT_KINDS = (UnitKind.COMMUNE, UnitKind.VILLAGE)
MODERATIONS = ("publish", "reject", "group")
TEXT_MAX = 5000


def _error(code: ConsultationError, message: str, field: str | None = None) -> DomainError:
    return DomainError(code.value, message, field=field)


def _require(actor: Any, perm: Perm, unit: Unit) -> None:
    # actor None: the system itself (a loader, a command), as in the other services.
    if actor is not None:
        policies.require(actor, perm, unit)


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def today() -> dt.date:
    return timezone.localdate()


def allowed(action: str, consultation: Consultation) -> bool:
    return consultation.state in TRANSITIONS[action]


def _check_allowed(action: str, consultation: Consultation) -> None:
    if not allowed(action, consultation):
        raise _error(
            ConsultationError.BAD_STATE,
            _("Không thực hiện được thao tác này khi đợt lấy ý kiến đang ở trạng thái “%(state)s”.")
            % {"state": consultation.get_state_display()},
        )


def _text(value: str, field: str, message: str, *, limit: int | None = None) -> str:
    value = (value or "").strip()
    if not value:
        raise _error(ConsultationError.EMPTY, message, field)
    if limit is not None and len(value) > limit:
        raise _error(ConsultationError.EMPTY, _("Dài tối đa %(n)s ký tự.") % {"n": limit}, field)
    return value


def is_taking_comments(consultation: Consultation, on: dt.date | None = None) -> bool:
    """Is *consultation* open and within its period on *on* (default today)?"""
    on = on or today()
    return (
        consultation.state == State.OPEN
        and consultation.opens_on is not None
        and consultation.closes_on is not None
        and consultation.opens_on <= on <= consultation.closes_on
    )


def _locked(consultation: Consultation) -> Consultation:
    return Consultation.objects.select_for_update().select_related("unit").get(pk=consultation.pk)


def _locked_comment(comment: Comment) -> Comment:
    return (
        Comment.objects.select_for_update().select_related("consultation__unit").get(pk=comment.pk)
    )


def _save(consultation: Consultation, *, actor: Any, before: audit.Snapshot) -> Consultation:
    consultation.save()
    audit.record_update(actor=actor, instance=consultation, before=before)
    return consultation


# --- the consultation ------------------------------------------------------------------------


def consultation_checks(data: dict[str, Any]) -> None:
    """The rules on a draft's fields, for the keys present in *data*
    (consultation_create's keyword names); one DomainError lists every problem.
    ConsultationForm runs it too (one pass)."""
    checks = Checks()
    if "subject" in data and data["subject"] not in Consultation.Subject.values:
        checks.refuse(
            ConsultationError.BAD_SUBJECT,
            one_of(_("Loại nội dung"), Consultation.Subject.labels),
            field="subject",
        )
    if "title" in data and not (data["title"] or "").strip():
        checks.refuse(ConsultationError.EMPTY, _("Cần ghi tên dự thảo."), field="title")
    has_draft = bool((data.get("draft") or "").strip()) or data.get("document") is not None
    if "draft" in data and "document" in data and not has_draft:
        checks.refuse(
            ConsultationError.EMPTY,
            _("Cần ghi nội dung dự thảo hoặc đính kèm tệp dự thảo."),
            field="draft",
        )
    checks.raise_if_any()


def consultation_open_checks(data: dict[str, Any]) -> None:
    """The rules on the period of opinions, for the keys present in *data*
    (consultation_open's keyword names); OpenForm runs it too (one pass)."""
    checks = Checks()
    opens_on, closes_on = data.get("opens_on"), data.get("closes_on")
    if opens_on is not None and closes_on is not None and closes_on < opens_on:
        checks.refuse(
            ConsultationError.BAD_PERIOD,
            _("Ngày kết thúc lấy ý kiến phải từ ngày bắt đầu (%(d)s) trở đi.")
            % {"d": f"{opens_on:%d/%m/%Y}"},
            field="closes_on",
        )
    elif closes_on is not None and closes_on < today():
        checks.refuse(
            ConsultationError.BAD_PERIOD,
            _("Ngày kết thúc lấy ý kiến đã qua: chọn từ hôm nay (%(d)s) trở đi.")
            % {"d": f"{today():%d/%m/%Y}"},
            field="closes_on",
        )
    checks.raise_if_any()


@transaction.atomic
def consultation_create(
    *,
    actor: Any,
    unit: Unit,
    subject: str,
    title: str,
    draft: str = "",
    document: UploadedFile | None = None,
) -> Consultation:
    """Prepare a draft of *unit* for consultation (not yet open to citizens)."""
    _require(actor, Perm.DEMOCRACY_MANAGE, unit)
    if unit.kind not in UNIT_KINDS or unit.is_historical:
        raise _error(
            ConsultationError.BAD_UNIT,
            _(
                "Chỉ xã, phường, đặc khu hoặc thôn, tổ dân phố đang hoạt động mới lấy ý kiến "
                "Nhân dân."
            ),
            "unit",
        )
    consultation_checks({"subject": subject, "title": title, "draft": draft, "document": document})
    title = _text(title, "title", _("Cần ghi tên dự thảo."), limit=300)
    draft = (draft or "").strip()
    content_type = ""
    if document is not None:
        content_type = check_upload(
            document, code=ConsultationError.BAD_FILE.value, field="document"
        )
    consultation = Consultation(
        unit=unit,
        subject=subject,
        title=title,
        draft=draft,
        created_by=_user(actor),
    )
    if document is not None:
        consultation.document_name = (document.name or "du-thao")[-255:]
        consultation.document_type = content_type
        consultation.document.save(document.name or "du-thao", document, save=False)
    consultation.save()
    audit.record_create(actor=actor, instance=consultation)
    return consultation


@transaction.atomic
def consultation_open(
    *, actor: Any, consultation: Consultation, opens_on: dt.date, closes_on: dt.date
) -> Consultation:
    """Open the draft for citizens' opinions from *opens_on* to *closes_on* (both included)."""
    _require(actor, Perm.DEMOCRACY_MANAGE, consultation.unit)
    consultation = _locked(consultation)
    _check_allowed("open", consultation)
    consultation_open_checks({"opens_on": opens_on, "closes_on": closes_on})
    before = audit.snapshot(consultation)
    consultation.opens_on = opens_on
    consultation.closes_on = closes_on
    consultation.state = State.OPEN
    consultation = _save(consultation, actor=actor, before=before)
    place_changed(consultation.unit)
    return consultation


@transaction.atomic
def consultation_close(*, actor: Any, consultation: Consultation) -> Consultation:
    """End the taking of opinions (early, or once the period is over)."""
    _require(actor, Perm.DEMOCRACY_MANAGE, consultation.unit)
    consultation = _locked(consultation)
    _check_allowed("close", consultation)
    before = audit.snapshot(consultation)
    consultation.state = State.CLOSED
    consultation.closed_on = today()
    consultation = _save(consultation, actor=actor, before=before)
    place_changed(consultation.unit)
    return consultation


def unresolved_counts(consultation: Consultation) -> tuple[int, int]:
    """(comments still pending, published comments not answered) of *consultation*."""
    rows = Comment.objects.filter(consultation=consultation)
    pending = rows.filter(status=Status.PENDING).count()
    unanswered = rows.filter(status=Status.PUBLISHED, answer="").count()
    return pending, unanswered


@transaction.atomic
def consultation_report(*, actor: Any, consultation: Consultation, report: str) -> Consultation:
    """Publish how the opinions were taken in (Law 10/2022/QH15, art. 11 and 26).

    Every comment must first be moderated, and every published one answered or grouped
    into another: the citizens see what became of each opinion.
    """
    _require(actor, Perm.DEMOCRACY_MANAGE, consultation.unit)
    consultation = _locked(consultation)
    _check_allowed("report", consultation)
    report = _text(report, "report", _("Cần ghi kết quả tiếp thu, giải trình ý kiến."))
    pending, unanswered = unresolved_counts(consultation)
    if pending:
        raise _error(
            ConsultationError.PENDING,
            ngettext(
                "Còn %(n)s ý kiến chưa kiểm duyệt.",
                "Còn %(n)s ý kiến chưa kiểm duyệt.",
                pending,
            )
            % {"n": pending},
        )
    if unanswered:
        raise _error(
            ConsultationError.UNANSWERED,
            ngettext(
                "Còn %(n)s ý kiến chưa trả lời.",
                "Còn %(n)s ý kiến chưa trả lời.",
                unanswered,
            )
            % {"n": unanswered},
        )
    before = audit.snapshot(consultation)
    consultation.report = report
    consultation.reported_on = today()
    consultation.state = State.REPORTED
    return _save(consultation, actor=actor, before=before)


# --- comments --------------------------------------------------------------------------------


@transaction.atomic
def comment_submit(
    *,
    actor: Any,
    consultation: Consultation,
    text: str,
    commenter_name: str = "",
    contact: str = "",
    show_name: bool = False,
) -> Comment:
    """Take in a citizen's comment (actor None: sent on the portal). It waits for moderation."""
    if actor is not None:
        _require(actor, Perm.DEMOCRACY_MANAGE, consultation.unit)
    consultation = _locked(consultation)
    if not is_taking_comments(consultation):
        raise _error(
            ConsultationError.NOT_OPEN,
            _("Đợt lấy ý kiến này không còn nhận ý kiến."),
        )
    name = " ".join((commenter_name or "").split())[:200]
    comment = Comment.objects.create(
        consultation=consultation,
        text=_text(text, "text", _("Cần ghi nội dung ý kiến."), limit=TEXT_MAX),
        commenter_name=name,
        contact=(contact or "").strip()[:300],
        show_name=bool(show_name and name),
    )
    audit.record_create(actor=actor, instance=comment)
    return comment


@transaction.atomic
def comment_moderate(
    *,
    actor: Any,
    comment: Comment,
    action: str,
    reason: str = "",
    into: Comment | None = None,
) -> Comment:
    """Publish a pending comment, reject it with a reason, or group it into another
    published comment of the same consultation (a published one may be grouped too)."""
    _require(actor, Perm.DEMOCRACY_MANAGE, comment.consultation.unit)
    consultation = _locked(comment.consultation)
    _check_allowed("comment_moderate", consultation)
    item = _locked_comment(comment)
    if action not in MODERATIONS:
        raise _error(ConsultationError.BAD_MODERATION, _("Hãy chọn cách xử lý ý kiến."), "action")
    movable = (Status.PENDING,) if action != "group" else (Status.PENDING, Status.PUBLISHED)
    if item.status not in movable:
        raise _error(
            ConsultationError.BAD_MODERATION,
            _("Ý kiến đang ở trạng thái “%(s)s”, không xử lý được như vậy.")
            % {"s": item.get_status_display()},
            "action",
        )
    before = audit.snapshot(item)
    item.moderated_by = _user(actor)
    if action == "publish":
        item.status = Status.PUBLISHED
    elif action == "reject":
        item.reject_reason = _text(reason, "reason", _("Cần ghi lý do không đăng ý kiến."))
        item.status = Status.REJECTED
    else:
        if into is None:
            raise _error(ConsultationError.BAD_GROUP, _("Hãy chọn ý kiến để gộp vào."), "into")
        target = Comment.objects.select_for_update().filter(pk=into.pk).first()
        if (
            target is None
            or target.consultation_id != consultation.pk
            or target.pk == item.pk
            or target.status != Status.PUBLISHED
        ):
            raise _error(
                ConsultationError.BAD_GROUP,
                _("Chỉ gộp được vào một ý kiến đã đăng khác của cùng đợt lấy ý kiến."),
                "into",
            )
        if item.grouped.exists():
            raise _error(
                ConsultationError.BAD_GROUP,
                _("Đã có ý kiến khác gộp vào ý kiến này, không gộp tiếp được."),
                "into",
            )
        item.group_of = target
        item.status = Status.GROUPED
    item.save()
    item.consultation = consultation
    audit.record_update(actor=actor, instance=item, before=before)
    return item


@transaction.atomic
def comment_answer(*, actor: Any, comment: Comment, answer: str) -> Comment:
    """Record (or correct) the answer to a published comment."""
    _require(actor, Perm.DEMOCRACY_MANAGE, comment.consultation.unit)
    consultation = _locked(comment.consultation)
    _check_allowed("comment_answer", consultation)
    item = _locked_comment(comment)
    if item.status != Status.PUBLISHED:
        raise _error(
            ConsultationError.BAD_MODERATION,
            _("Chỉ trả lời ý kiến đã đăng."),
            "answer",
        )
    before = audit.snapshot(item)
    item.answer = _text(answer, "answer", _("Cần ghi nội dung trả lời."), limit=TEXT_MAX)
    item.answered_on = today()
    item.save()
    item.consultation = consultation
    audit.record_update(actor=actor, instance=item, before=before)
    return item
