"""Every write of a case: intake, classification, acceptance, refusal, transfer, handling,
extension, pause, result; and the reading of a sender's identity, which is audited.

Each action locks the case row, checks the version the actor saw (so a second officer's
save never silently overwrites the first's), checks the transition (workflow.py), writes
and records the audit event, all in one transaction.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.audit import services as audit
from danvan.core import docnumber
from danvan.core.errors import Checks, DomainError, NotFound, PermissionDenied
from danvan.core.images import clean_photo
from danvan.core.pagecache import place_changed
from danvan.core.uploads import check_upload
from danvan.core.validators import future_date_message, one_of
from danvan.legal import deadlines
from danvan.legal.models import Action, CaseKind
from danvan.units.models import Unit
from danvan.worklist.models import Notice
from danvan.worklist.services import notice_send

from . import identity as crypto
from . import workflow
from .errors import CaseError
from .identity import Identity
from .models import (
    KINDS,
    OPEN_STATUSES,
    Alert,
    Case,
    CaseAssignment,
    CaseDocument,
    CaseEvent,
    CaseStep,
    Channel,
    CitizenVerdict,
    IdentityScan,
    PublicState,
    ReceptionSession,
    SenderIdentity,
    Status,
    StepKind,
    Verdict,
)

# Unambiguous letters and digits (no 0/O, 1/I/L): read out over the phone without error.
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_CODE_LENGTH = 12  # 31^12 ≈ 7.9 × 10^17 codes: guessing one is not practical
_REFERENCE_PREFIX = {
    CaseKind.COMPLAINT: "KN",
    CaseKind.DENUNCIATION: "TC",
    CaseKind.FEEDBACK: "PA",
    CaseKind.PETITION: "KNG",
}
# Channels a citizen uses without an account: only feedback and petitions come this way;
# complaints and denunciations are signed and received in person or by letter.
PUBLIC_CHANNELS = (Channel.PORTAL, Channel.OPEN311)
PUBLIC_KINDS = (CaseKind.FEEDBACK, CaseKind.PETITION)
# A citizen's photos with one case: enough to show the matter, few enough for a slow line.
MAX_PHOTOS = 3
# Vietnam's mainland and near islands, roughly (the Spratly and Paracel islands reach
# further east and south): a point outside is a typing or GPS error, not a commune's.
VIETNAM_LAT = (8.0, 24.0)
VIETNAM_LONG = (102.0, 110.0)
# Statuses after which the citizen has had an answer (the portal then asks "was it
# resolved?"): a decision, a refusal with its reasons, a withdrawal.
ANSWERED_STATUSES = (Status.RESOLVED, Status.REFUSED, Status.WITHDRAWN)
# The citizen may change their verdict for this long after first giving it.
VERDICT_CHANGE_DAYS = 30


class StaleCase(DomainError):
    """Somebody saved the case after the actor read it (optimistic locking): HTTP 409."""

    status_code = 409


def _error(code: CaseError, message: str, field: str | None = None) -> DomainError:
    return DomainError(code.value, message, field=field)


def today() -> dt.date:
    return timezone.localdate()


def new_lookup_code() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(_CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalize_lookup_code(text: str) -> str:
    raw = "".join(ch for ch in text.upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}" if len(raw) == _CODE_LENGTH else raw


def _new_alias(kind: str) -> str:
    tag = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(5))
    if kind == CaseKind.DENUNCIATION:
        return _("Người tố cáo %(tag)s") % {"tag": tag}
    return _("Người gửi %(tag)s") % {"tag": tag}


def _check_kind(kind: str) -> None:
    if kind not in [k.value for k in KINDS]:
        raise _error(
            CaseError.BAD_KIND,
            _(
                "Loại vụ việc “%(kind)s” không hợp lệ. "
                "Chọn khiếu nại, tố cáo, phản ánh hoặc kiến nghị."
            )
            % {"kind": kind},
            "kind",
        )


def _round_for(kind: str, round: int) -> int:
    if kind != CaseKind.COMPLAINT:
        return 0
    return round if round in (1, 2) else 1


def _check_previous(*, kind: str, round: int, previous: Case | None, unit: Unit) -> None:
    """A second-time complaint follows a first one that was resolved, or that was not
    resolved in time (Law on Complaints 2011, art. 33 and 37)."""
    if kind != CaseKind.COMPLAINT or round != 2:
        if previous is not None and kind != CaseKind.COMPLAINT:
            raise _error(
                CaseError.BAD_PREVIOUS,
                _("Chỉ khiếu nại lần hai mới gắn với một vụ việc lần đầu."),
                "previous",
            )
        return
    if previous is None:
        raise _error(
            CaseError.NO_FIRST_COMPLAINT,
            _(
                "Khiếu nại lần hai phải gắn với vụ việc khiếu nại lần đầu đã có kết quả "
                "hoặc đã quá hạn giải quyết. Hãy nhập mã hoặc số hồ sơ của vụ việc lần đầu."
            ),
            "previous",
        )
    late = previous.is_open and previous.due_date is not None and previous.due_date < today()
    if previous.kind != CaseKind.COMPLAINT or previous.round != 1:
        raise _error(
            CaseError.BAD_PREVIOUS,
            _("Vụ việc %(ref)s không phải khiếu nại lần đầu.") % {"ref": previous.reference},
            "previous",
        )
    if previous.status != Status.RESOLVED and not late:
        raise _error(
            CaseError.BAD_PREVIOUS,
            _(
                "Khiếu nại lần đầu %(ref)s chưa có quyết định giải quyết và chưa quá hạn: "
                "chưa thể khiếu nại lần hai."
            )
            % {"ref": previous.reference},
            "previous",
        )


def _intake_clock(case: Case) -> deadlines.Deadline:
    """The deadline to accept or refuse a received case (domain.md §5): 10 days for a
    complaint, 7 working days for a denunciation, 10 working days to classify a letter."""
    if case.kind == CaseKind.COMPLAINT:
        return deadlines.due_date(
            case_kind=CaseKind.COMPLAINT,
            action=Action.ACCEPT,
            round=case.round,
            start=case.received_on,
        )
    if case.kind == CaseKind.DENUNCIATION:
        return deadlines.due_date(
            case_kind=CaseKind.DENUNCIATION, action=Action.ACCEPT, start=case.received_on
        )
    return deadlines.due_date(
        case_kind=CaseKind.LETTER, action=Action.CLASSIFY, start=case.received_on
    )


def _resolve_clock(case: Case, start: dt.date) -> deadlines.Deadline:
    is_complaint = case.kind == CaseKind.COMPLAINT
    return deadlines.due_date(
        case_kind=case.kind,
        action=Action.RESOLVE,
        start=start,
        round=case.round,
        complex=case.complex if is_complaint else False,
        remote=case.remote if is_complaint else False,
    )


def _locked(case: Case, version: int | None) -> Case:
    """The case row, locked, as long as nobody saved it since *version* was read."""
    fresh = Case.objects.select_for_update().select_related("unit").get(pk=case.pk)
    if version is not None and fresh.version != version:
        last = fresh.events.order_by("-at", "-id").select_related("actor").first()
        who = last.actor.get_username() if last and last.actor else _("người khác")
        when = timezone.localtime(fresh.updated_at).strftime("%H:%M %d/%m/%Y")
        raise StaleCase(
            CaseError.STALE.value,
            _(
                "Vụ việc vừa được %(who)s cập nhật lúc %(when)s, sau khi bạn mở trang. "
                "Thay đổi của bạn chưa được lưu: hãy tải lại trang để xem nội dung mới rồi "
                "thực hiện lại."
            )
            % {"who": who, "when": when},
            field="version",
        )
    return fresh


def _event(case: Case, *, actor: Any, action: str, before: str, note: str = "") -> None:
    CaseEvent.objects.create(
        case=case,
        action=action,
        from_status=before,
        to_status=case.status,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        note=note,
    )


def _save(case: Case, *, actor: Any, action: str, before_status: str, before: Any) -> Case:
    case.version += 1
    case.is_open = case.status in OPEN_STATUSES
    if not case.is_open:
        case.alert = Alert.NONE
    case.save()
    _event(case, actor=actor, action=action, before=before_status)
    audit.record_update(actor=actor, instance=case, before=before)
    return case


def _parse_decision(number: str, field: str = "decision_number") -> str:
    if not number or not number.strip():
        raise _error(
            CaseError.NO_DECISION,
            _("Cần số, ký hiệu của quyết định hoặc văn bản trả lời (ví dụ 15/QĐ-UBND)."),
            field,
        )
    try:
        return docnumber.parse(number).raw
    except docnumber.DocumentNumberError as exc:
        raise _error(CaseError.BAD_DECISION, str(exc), field) from exc


def _check_date(value: dt.date, field: str, *, not_before: dt.date | None = None) -> None:
    if value > today():
        raise _error(CaseError.BAD_DATE, future_date_message(value, today()), field)
    if not_before is not None and value < not_before:
        raise _error(
            CaseError.BAD_DATE,
            _("Ngày không được trước ngày %(d)s.") % {"d": f"{not_before:%d/%m/%Y}"},
            field,
        )


# --- intake -------------------------------------------------------------------------


def check_location(lat: float | None, long: float | None) -> None:
    """Both coordinates or neither, and inside Vietnam (VIETNAM_LAT, VIETNAM_LONG)."""
    checks = Checks()
    if (lat is None) != (long is None):
        checks.refuse(
            CaseError.BAD_PLACE,
            _("Cần cả vĩ độ và kinh độ, hoặc để trống cả hai."),
            field="lat" if lat is None else "long",
        )
    if lat is not None and not VIETNAM_LAT[0] <= lat <= VIETNAM_LAT[1]:
        checks.refuse(
            CaseError.BAD_PLACE,
            _("Vĩ độ %(v)s nằm ngoài Việt Nam: vĩ độ phải từ %(a)s đến %(b)s (ví dụ 21.59).")
            % {"v": lat, "a": VIETNAM_LAT[0], "b": VIETNAM_LAT[1]},
            field="lat",
        )
    if long is not None and not VIETNAM_LONG[0] <= long <= VIETNAM_LONG[1]:
        checks.refuse(
            CaseError.BAD_PLACE,
            _("Kinh độ %(v)s nằm ngoài Việt Nam: kinh độ phải từ %(a)s đến %(b)s (ví dụ 105.85).")
            % {"v": long, "a": VIETNAM_LONG[0], "b": VIETNAM_LONG[1]},
            field="long",
        )
    checks.raise_if_any()


def clean_photos(photos: Sequence[UploadedFile], *, field: str = "photos") -> list[Any]:
    """Every photo re-encoded without its metadata (core.images), or one DomainError.

    Run before anything is written, so a bad photo leaves nothing stored.
    """
    if len(photos) > MAX_PHOTOS:
        raise _error(
            CaseError.BAD_PHOTO,
            _("Gửi tối đa %(n)s ảnh (bạn đã chọn %(k)s); hãy chọn lại ảnh.")
            % {"n": MAX_PHOTOS, "k": len(photos)},
            field,
        )
    cleaned = []
    for index, photo in enumerate(photos, start=1):
        try:
            cleaned.append(clean_photo(photo, code=CaseError.BAD_PHOTO.value, field=field))
        except DomainError as exc:
            raise _error(
                CaseError.BAD_PHOTO,
                _("Ảnh thứ %(i)s (%(name)s): %(why)s Ảnh chưa được lưu, hãy chọn lại ảnh.")
                % {"i": index, "name": (photo.name or "")[:80], "why": exc.message},
                field,
            ) from exc
    return cleaned


def case_receive_checks(data: dict[str, Any], *, public: bool = False) -> None:
    """The rules on a received case that need no lock, for the keys present in *data*
    (case_receive's keyword names; a form passes the fields that parsed). One
    DomainError lists every problem. *public*: sent by a citizen through the portal.

    case_receive runs it before it writes; ReceiveForm runs it in its own validation,
    so the officer sees the form's errors and these in one answer.
    """
    checks = Checks()
    kind, channel, unit = data.get("kind"), data.get("channel"), data.get("unit")
    if "kind" in data:
        with checks.collect():
            _check_kind(kind or "")
    if "channel" in data and channel not in Channel.values:
        checks.refuse(
            CaseError.BAD_CHANNEL,
            one_of(_("Kênh tiếp nhận"), Channel.labels),
            field="channel",
        )
    if public and (channel not in PUBLIC_CHANNELS or kind not in PUBLIC_KINDS):
        checks.refuse(
            CaseError.BAD_KIND,
            _("Qua cổng thông tin chỉ gửi được phản ánh hoặc kiến nghị."),
            field="kind",
        )
    if unit is not None and unit.is_historical:
        checks.refuse(
            CaseError.BAD_TRANSFER,
            _("Đơn vị %(name)s đã ngừng hoạt động; chọn đơn vị đang hoạt động.")
            % {"name": unit.name},
            field="unit",
        )
    if "subject" in data and not (data["subject"] or "").strip():
        checks.refuse(CaseError.EMPTY, _("Cần ghi tóm tắt nội dung vụ việc."), field="subject")
    if "content" in data and not (data["content"] or "").strip():
        checks.refuse(CaseError.EMPTY, _("Cần ghi nội dung vụ việc."), field="content")
    sender = data.get("sender")
    if kind == CaseKind.DENUNCIATION and sender is not None and sender.is_empty():
        # Anonymous letters are not denunciations (Law on Denunciations 2018, art. 23).
        checks.refuse(
            CaseError.NO_IDENTITY,
            _("Tố cáo phải ghi rõ họ tên, địa chỉ người tố cáo; đơn nặc danh không được thụ lý."),
            field="full_name",
        )
    if data.get("received_on") is not None:
        with checks.collect():
            _check_date(data["received_on"], "received_on")
    session = data.get("reception_session")
    if session is not None and unit is not None and session.unit_id != unit.pk:
        checks.refuse(
            CaseError.BAD_SESSION,
            _("Buổi tiếp công dân thuộc đơn vị khác; chọn một buổi tiếp của %(name)s.")
            % {"name": unit.name},
            field="reception_session",
        )
    if "kind" in data and "previous" in data and unit is not None:
        with checks.collect():
            _check_previous(
                kind=kind or "",
                round=_round_for(kind or "", data.get("round") or 0),
                previous=data["previous"],
                unit=unit,
            )
    checks.raise_if_any()


@transaction.atomic
def case_receive(
    *,
    actor: Any,
    unit: Unit,
    kind: str,
    channel: str,
    subject: str,
    content: str,
    sender: Identity,
    received_on: dt.date | None = None,
    round: int = 0,
    complex: bool = False,
    remote: bool = False,
    complexity: int = 0,
    previous: Case | None = None,
    reception_session: ReceptionSession | None = None,
    address: str = "",
    lat: float | None = None,
    long: float | None = None,
    scans: Sequence[UploadedFile] = (),
    photos: Sequence[UploadedFile] = (),
) -> Case:
    """Register a case received by *unit*. *actor* None: a citizen on the portal or Open311.

    The sender's identity is encrypted into its own row; the case carries a pseudonym.
    *photos* (at most MAX_PHOTOS) are re-encoded without EXIF/GPS and kept as the case's
    documents, private until a moderator publishes them (case_moderate_public).
    """
    if actor is not None:
        policies.require(actor, Perm.CASE_INTAKE, unit)
    case_receive_checks(
        {
            "unit": unit,
            "kind": kind,
            "channel": channel,
            "subject": subject,
            "content": content,
            "sender": sender,
            "received_on": received_on or today(),
            "round": round,
            "previous": previous,
            "reception_session": reception_session,
        },
        public=actor is None,
    )
    subject, content = subject.strip(), content.strip()
    received_on = received_on or today()
    round = _round_for(kind, round)
    checked_scans = [
        (s, check_upload(s, code=CaseError.BAD_FILE.value, field="scans")) for s in scans
    ]
    check_location(lat, long)
    cleaned_photos = clean_photos(photos)
    case = Case(
        lookup_code=new_lookup_code(),
        unit=unit,
        kind=kind,
        round=round,
        complex=complex,
        remote=remote,
        complexity=complexity if kind == CaseKind.DENUNCIATION else 0,
        channel=channel,
        subject=subject[:300],
        content=content,
        alias=_new_alias(kind),
        received_on=received_on,
        previous=previous,
        reception_session=reception_session,
        address=address[:300],
        lat=lat,
        long=long,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    clock = _intake_clock(case)
    case.due_date, case.rule = clock.due, clock.rule
    case.save()
    case.reference = f"{_REFERENCE_PREFIX[CaseKind(kind)]}-{received_on.year}-{case.pk:06d}"
    case.save(update_fields=["reference"])
    ident = SenderIdentity.objects.create(case=case, token=crypto.encrypt(sender))
    for upload, content_type in checked_scans:
        data = upload.read()
        IdentityScan.objects.create(
            identity=ident,
            content_type=content_type,
            name_token=crypto.encrypt(Identity(full_name=upload.name or "scan")),
            data_token=crypto.encrypt_bytes(data),
            size=len(data),
        )
    for index, photo in enumerate(cleaned_photos, start=1):
        document = CaseDocument(
            case=case,
            # Not the citizen's file name: it may carry their name or the phone's.
            original_name=f"anh-{index}.{photo.content.name.rsplit('.', 1)[-1]}",
            title=_("Ảnh người gửi %(i)s") % {"i": index},
            content_type=photo.content_type,
            size=photo.content.size,
            citizen_photo=True,
        )
        document.file.save(photo.content.name, photo.content, save=False)
        document.save()
    _event(case, actor=actor, action="receive", before="")
    audit.record_create(actor=actor, instance=case)
    return case


# --- classification, assignment ---------------------------------------------------------


def case_classify_checks(data: dict[str, Any], *, case: Case) -> None:
    """The rules on classifying *case*, for the keys present in *data* (case_classify's
    keyword names); one DomainError lists every problem. ClassifyForm runs it too."""
    checks = Checks()
    kind = data.get("kind") or ""
    if "kind" in data:
        with checks.collect():
            _check_kind(kind)
        if "previous" in data:
            with checks.collect():
                _check_previous(
                    kind=kind,
                    round=_round_for(kind, data.get("round") or 0),
                    previous=data["previous"],
                    unit=case.unit,
                )
        if kind == CaseKind.DENUNCIATION and crypto.decrypt(case.identity.token).is_empty():
            checks.refuse(
                CaseError.NO_IDENTITY,
                _(
                    "Đơn không ghi họ tên, địa chỉ người gửi không được xử lý như tố cáo; "
                    "chọn phản ánh, kiến nghị hoặc khiếu nại."
                ),
                field="kind",
            )
    checks.raise_if_any()


@transaction.atomic
def case_classify(
    *,
    actor: Any,
    case: Case,
    version: int | None,
    kind: str,
    round: int = 0,
    complex: bool = False,
    remote: bool = False,
    complexity: int = 0,
    previous: Case | None = None,
) -> Case:
    """Decide the kind and how complex a received case is; the intake clock follows."""
    policies.require(actor, Perm.CASE_HANDLE, case.unit)
    case = _locked(case, version)
    status = workflow.target("classify", case.status)
    case_classify_checks({"kind": kind, "round": round, "previous": previous}, case=case)
    round = _round_for(kind, round)
    before, before_status = audit.snapshot(case), case.status
    if kind != case.kind and (kind == CaseKind.DENUNCIATION or case.is_denunciation):
        case.alias = _new_alias(kind)
    case.kind, case.round, case.complex, case.remote = kind, round, complex, remote
    case.complexity = complexity if kind == CaseKind.DENUNCIATION else 0
    case.previous = previous
    case.status = status
    clock = _intake_clock(case)
    case.due_date, case.rule = clock.due, clock.rule
    return _save(case, actor=actor, action="classify", before_status=before_status, before=before)


@transaction.atomic
def case_assign(
    *, actor: Any, case: Case, version: int | None, users: Iterable[Any], lead: Any
) -> Case:
    """Assign the officers who handle *case*; *lead* (one of them) is the handler whose
    queue it shows in."""
    policies.require(actor, Perm.CASE_ASSIGN, case.unit)
    case = _locked(case, version)
    people = {u.pk: u for u in users}
    people.setdefault(lead.pk, lead)
    for user in people.values():
        if not policies.has_perm(user, Perm.CASE_HANDLE, case.unit):
            raise _error(
                CaseError.BAD_ASSIGNEE,
                _("%(name)s không có quyền xử lý vụ việc của đơn vị này.")
                % {"name": user.get_full_name() or user.get_username()},
                "users",
            )
    before, before_status = audit.snapshot(case), case.status
    current = set(case.assignments.values_list("user_id", flat=True))
    for pk in current - people.keys():
        gone = CaseAssignment.objects.get(case=case, user_id=pk)
        audit.record_delete(actor=actor, instance=gone)
        gone.delete()
    new = people.keys() - current
    for pk in new:
        added = CaseAssignment.objects.create(case=case, user=people[pk], assigned_by=actor)
        audit.record_create(actor=actor, instance=added)
    case.handler = lead
    # The subject only: never the sender (a denouncer's identity stays in the case).
    notice_send(
        users=[people[pk] for pk in sorted(new)],
        kind=Notice.Kind.CASE_ASSIGNED,
        title=_("Bạn được giao xử lý vụ việc %(ref)s: %(subject)s")
        % {"ref": case.reference or case.lookup_code, "subject": case.subject[:120]},
        url=case.get_absolute_url(),
        unit=case.unit,
        skip=actor,
    )
    return _save(case, actor=actor, action="assign", before_status=before_status, before=before)


# --- acceptance, refusal, transfer ------------------------------------------------------


@transaction.atomic
def case_accept(
    *, actor: Any, case: Case, version: int | None, accepted_on: dt.date | None = None
) -> Case:
    """Accept (thụ lý) a case: the resolution clock starts, under the rule version in force
    that day, which the case keeps."""
    policies.require(actor, Perm.CASE_HANDLE, case.unit)
    case = _locked(case, version)
    status = workflow.target("accept", case.status)
    accepted_on = accepted_on or today()
    _check_date(accepted_on, "accepted_on", not_before=case.received_on)
    before, before_status = audit.snapshot(case), case.status
    clock = _resolve_clock(case, accepted_on)
    case.status, case.accepted_on = status, accepted_on
    case.due_date, case.rule, case.resolve_rule = clock.due, clock.rule, clock.rule
    case.alert = Alert.NONE
    if case.handler_id is None:
        case.handler = actor
        CaseAssignment.objects.get_or_create(case=case, user=actor, defaults={"assigned_by": actor})
    return _save(case, actor=actor, action="accept", before_status=before_status, before=before)


@transaction.atomic
def case_refuse(
    *,
    actor: Any,
    case: Case,
    version: int | None,
    reason: str,
    answer_number: str,
    public_answer: str = "",
    decided_on: dt.date | None = None,
) -> Case:
    """Refuse to accept, with the reason and the written answer sent to the citizen
    (Law on Complaints 2011, art. 11 and 27): never a silent "not ours"."""
    policies.require(actor, Perm.CASE_HANDLE, case.unit)
    case = _locked(case, version)
    status = workflow.target("refuse", case.status)
    if not reason.strip():
        raise _error(CaseError.NO_REASON, _("Cần ghi lý do không thụ lý."), "reason")
    number = _parse_decision(answer_number, "answer_number")
    decided_on = decided_on or today()
    _check_date(decided_on, "decided_on", not_before=case.received_on)
    before, before_status = audit.snapshot(case), case.status
    case.status, case.refusal_reason = status, reason.strip()
    case.decision_number, case.decision_date = number, decided_on
    case.public_answer = public_answer.strip() or reason.strip()
    case.closed_on = decided_on
    return _save(case, actor=actor, action="refuse", before_status=before_status, before=before)


def transfer_target(*, case: Case, to_unit_code: str) -> Unit:
    """The active unit *case* may be transferred to, named by its code; DomainError with
    what is allowed otherwise. TransferForm checks with it too (one pass)."""
    code = (to_unit_code or "").strip()
    target_unit = Unit.objects.filter(code=code).first() if code else None
    if target_unit is None or target_unit.is_historical:
        raise _error(
            CaseError.BAD_TRANSFER,
            _(
                "Không có đơn vị đang hoạt động mã “%(code)s” trong hệ thống. Với cơ quan "
                "ngoài hệ thống, hãy trả lời bằng văn bản hướng dẫn công dân (không thụ lý)."
            )
            % {"code": code},
            "to_unit_code",
        )
    if target_unit.pk == case.unit_id:
        raise _error(
            CaseError.BAD_TRANSFER,
            _("Không thể chuyển vụ việc cho chính đơn vị mình; chọn đơn vị có thẩm quyền khác."),
            "to_unit_code",
        )
    return target_unit


@transaction.atomic
def case_transfer(
    *, actor: Any, case: Case, version: int | None, to_unit_code: str, note: str = ""
) -> Case:
    """Send the case to the competent unit: the case is closed here and opened there,
    with the same sender (still encrypted) and a link both ways. Returns the new case."""
    policies.require(actor, Perm.CASE_HANDLE, case.unit)
    case = _locked(case, version)
    target_unit = transfer_target(case=case, to_unit_code=to_unit_code)
    status = workflow.target("transfer", case.status)
    before, before_status = audit.snapshot(case), case.status
    case.status, case.transferred_to, case.closed_on = status, target_unit, today()
    _save(case, actor=actor, action="transfer", before_status=before_status, before=before)
    moved = Case(
        lookup_code=new_lookup_code(),
        unit=target_unit,
        kind=case.kind,
        round=case.round,
        complex=case.complex,
        remote=case.remote,
        complexity=case.complexity,
        channel=Channel.TRANSFERRED,
        subject=case.subject,
        content=case.content + (f"\n\n{note.strip()}" if note.strip() else ""),
        alias=case.alias,
        received_on=today(),
        previous=case.previous,
        transferred_from=case,
        address=case.address,
        lat=case.lat,
        long=case.long,
        created_by=actor,
    )
    clock = _intake_clock(moved)
    moved.due_date, moved.rule = clock.due, clock.rule
    moved.save()
    moved.reference = (
        f"{_REFERENCE_PREFIX[CaseKind(moved.kind)]}-{moved.received_on.year}-{moved.pk:06d}"
    )
    moved.save(update_fields=["reference"])
    source = case.identity
    ident = SenderIdentity.objects.create(case=moved, token=source.token)
    for scan in source.scans.all():
        IdentityScan.objects.create(
            identity=ident,
            content_type=scan.content_type,
            name_token=scan.name_token,
            data_token=scan.data_token,
            size=scan.size,
        )
    _event(moved, actor=actor, action="receive", before="", note=case.reference)
    audit.record_create(actor=actor, instance=moved)
    return moved


# --- handling -----------------------------------------------------------------------------


@transaction.atomic
def case_add_step(
    *,
    actor: Any,
    case: Case,
    kind: str,
    on: dt.date,
    text: str,
    document_number: str = "",
    version: int | None = None,
) -> CaseStep:
    """Record a verification, meeting, document or note. A step adds and never
    overwrites, yet with *version* it is refused when the case changed since it was read."""
    policies.require(actor, Perm.CASE_HANDLE, case.unit)
    if version is not None:
        case = _locked(case, version)
    if kind not in (StepKind.VERIFY, StepKind.MEETING, StepKind.DOCUMENT, StepKind.NOTE):
        raise _error(
            CaseError.BAD_TRANSITION,
            one_of(
                _("Loại bước xử lý"),
                [
                    k.label
                    for k in (StepKind.VERIFY, StepKind.MEETING, StepKind.DOCUMENT, StepKind.NOTE)
                ],
            ),
            "kind",
        )
    if not case.is_open:
        raise _error(CaseError.BAD_TRANSITION, _("Vụ việc đã kết thúc."), "kind")
    if not text.strip():
        raise _error(CaseError.EMPTY, _("Cần ghi nội dung bước xử lý."), "text")
    _check_date(on, "on", not_before=case.received_on)
    number = _parse_decision(document_number, "document_number") if document_number.strip() else ""
    step = CaseStep.objects.create(
        case=case, kind=kind, on=on, text=text.strip(), document_number=number, actor=actor
    )
    audit.record_create(actor=actor, instance=step)
    return step


@transaction.atomic
def case_add_document(
    *, actor: Any, case: Case, upload: UploadedFile, title: str = ""
) -> CaseDocument:
    policies.require(actor, Perm.CASE_HANDLE, case.unit)
    content_type = check_upload(upload, code=CaseError.BAD_FILE.value)
    document = CaseDocument(
        case=case,
        original_name=(upload.name or "tep")[-255:],
        title=title.strip()[:200],
        content_type=content_type,
        size=upload.size or 0,
        uploaded_by=actor,
    )
    document.file.save(upload.name or "tep", upload, save=False)
    document.save()
    audit.record_create(actor=actor, instance=document)
    return document


def current_deadline(case: Case) -> deadlines.Deadline:
    """The resolution deadline of an accepted case, as the legal clock sees it."""
    assert case.resolve_rule is not None
    assert case.accepted_on is not None
    assert case.due_date is not None
    extensions = tuple(
        case.steps.filter(kind=StepKind.EXTEND)
        .order_by("on", "id")
        .values_list("document_number", flat=True)
    )
    # Computed again from the acceptance, the extensions and the days paused: the stored
    # due date has been rolled to a working day, and an extension or a pause runs from
    # the end of the period, not from that day (legal.deadlines).
    return deadlines.restore(
        start=case.accepted_on,
        rule=case.resolve_rule,
        extensions=extensions,
        paused_days=case.paused_days,
    )


@transaction.atomic
def case_extend(
    *,
    actor: Any,
    case: Case,
    version: int | None,
    decision_number: str,
    complexity: int | None = None,
    on: dt.date | None = None,
) -> Case:
    """Extend the resolution deadline by written decision (Law on Denunciations 2018,
    art. 30(1)): one extension if complex, two if especially complex."""
    policies.require(actor, Perm.CASE_HANDLE, case.unit)
    case = _locked(case, version)
    workflow.target("extend", case.status)
    before, before_status = audit.snapshot(case), case.status
    if complexity is not None:
        case.complexity = complexity
    if not decision_number.strip():
        raise _error(
            CaseError.NO_DECISION, _("Gia hạn phải có quyết định bằng văn bản."), "decision_number"
        )
    extended = deadlines.extend(
        current_deadline(case), complexity=case.complexity, decision_number=decision_number
    )
    on = on or today()
    step = CaseStep.objects.create(
        case=case,
        kind=StepKind.EXTEND,
        on=on,
        text=_("Gia hạn giải quyết đến %(d)s") % {"d": f"{extended.due:%d/%m/%Y}"},
        document_number=extended.extensions[-1],
        actor=actor,
    )
    audit.record_create(actor=actor, instance=step)
    case.due_date = extended.due
    case.alert = Alert.NONE
    return _save(case, actor=actor, action="extend", before_status=before_status, before=before)


@transaction.atomic
def case_pause(*, actor: Any, case: Case, version: int | None, on: dt.date, reason: str) -> Case:
    """Suspend the resolution (Law on Denunciations 2018, art. 31): the clock stops."""
    policies.require(actor, Perm.CASE_HANDLE, case.unit)
    case = _locked(case, version)
    status = workflow.target("pause", case.status)
    if not reason.strip():
        raise _error(CaseError.NO_REASON, _("Cần ghi lý do tạm đình chỉ."), "reason")
    _check_date(on, "on", not_before=case.accepted_on)
    before, before_status = audit.snapshot(case), case.status
    CaseStep.objects.create(case=case, kind=StepKind.PAUSE, on=on, text=reason.strip(), actor=actor)
    case.status, case.paused_on = status, on
    return _save(case, actor=actor, action="pause", before_status=before_status, before=before)


@transaction.atomic
def case_resume(*, actor: Any, case: Case, version: int | None, on: dt.date) -> Case:
    policies.require(actor, Perm.CASE_HANDLE, case.unit)
    case = _locked(case, version)
    status = workflow.target("resume", case.status)
    assert case.paused_on is not None
    _check_date(on, "on", not_before=case.paused_on)
    before, before_status = audit.snapshot(case), case.status
    resumed = deadlines.pause(current_deadline(case), paused_from=case.paused_on, resumed_on=on)
    CaseStep.objects.create(
        case=case,
        kind=StepKind.RESUME,
        on=on,
        text=_("Tiếp tục giải quyết; hạn mới %(d)s") % {"d": f"{resumed.due:%d/%m/%Y}"},
        actor=actor,
    )
    case.status, case.paused_on = status, None
    case.due_date, case.paused_days = resumed.due, resumed.paused_days
    case.alert = Alert.NONE
    return _save(case, actor=actor, action="resume", before_status=before_status, before=before)


@transaction.atomic
def case_resolve(
    *,
    actor: Any,
    case: Case,
    version: int | None,
    decision_number: str,
    result_summary: str,
    public_answer: str,
    decision_date: dt.date | None = None,
) -> Case:
    """Record the result: a decision (complaints, denunciations) or a written answer
    (feedback, petitions), each with a valid document number."""
    policies.require(actor, Perm.CASE_HANDLE, case.unit)
    case = _locked(case, version)
    status = workflow.target("resolve", case.status)
    number = _parse_decision(decision_number)
    if not result_summary.strip():
        raise _error(CaseError.EMPTY, _("Cần ghi kết quả giải quyết."), "result_summary")
    if not public_answer.strip():
        raise _error(
            CaseError.EMPTY,
            _("Cần ghi nội dung trả lời công khai (không có thông tin cá nhân)."),
            "public_answer",
        )
    decision_date = decision_date or today()
    _check_date(decision_date, "decision_date", not_before=case.accepted_on)
    before, before_status = audit.snapshot(case), case.status
    case.status, case.decision_number, case.decision_date = status, number, decision_date
    case.result_summary, case.public_answer = result_summary.strip(), public_answer.strip()
    case.closed_on = decision_date
    return _save(case, actor=actor, action="resolve", before_status=before_status, before=before)


@transaction.atomic
def case_withdraw(*, actor: Any, case: Case, version: int | None, on: dt.date, note: str) -> Case:
    policies.require(actor, Perm.CASE_HANDLE, case.unit)
    case = _locked(case, version)
    status = workflow.target("withdraw", case.status)
    if not note.strip():
        raise _error(CaseError.NO_REASON, _("Cần ghi căn cứ rút đơn."), "note")
    before, before_status = audit.snapshot(case), case.status
    case.status, case.closed_on = status, on
    case.public_answer = note.strip()
    return _save(case, actor=actor, action="withdraw", before_status=before_status, before=before)


# --- what the public may see, and what the citizen says of the answer -----------------------


@transaction.atomic
def case_moderate_public(
    *,
    actor: Any,
    case: Case,
    summary: str,
    publish: bool,
    photos: Iterable[int] | None = None,
    version: int | None = None,
) -> Case:
    """Publish (or hide) the case's public summary, its place and the chosen photos.

    Only an officer who handles the unit's cases moderates: what a citizen wrote may name
    people or carry personal data (Law 91/2025/QH15), so the portal and Open311 show a
    summary the officer wrote or checked, never the citizen's text. *photos*: ids of the
    case's citizen photos to publish (None keeps the current choice); hiding the case
    hides them all.
    """
    policies.require(actor, Perm.CASE_HANDLE, case.unit)
    case = _locked(case, version)
    summary = summary.strip()
    if publish and not summary:
        raise _error(
            CaseError.EMPTY,
            _("Cần ghi tóm tắt công khai (không có họ tên, số điện thoại, địa chỉ nhà riêng)."),
            "summary",
        )
    if case.kind not in PUBLIC_KINDS:
        # Complaints and denunciations are never public (Law on Denunciations 2018, art. 8).
        raise _error(
            CaseError.BAD_KIND,
            _("Chỉ phản ánh, kiến nghị mới được công khai trên cổng thông tin."),
            "summary",
        )
    own_photos = {d.pk: d for d in case.documents.filter(citizen_photo=True)}
    if photos is not None:
        chosen = set(photos)
        unknown = chosen - set(own_photos)
        if unknown:
            raise _error(CaseError.BAD_PHOTO, _("Ảnh đã chọn không thuộc vụ việc này."), "photos")
        for pk, document in own_photos.items():
            wanted = publish and pk in chosen
            if document.public != wanted:
                before_doc = audit.snapshot(document)
                document.public = wanted
                document.save(update_fields=["public", "updated_at"])
                audit.record_update(actor=actor, instance=document, before=before_doc)
    elif not publish:
        for document in own_photos.values():
            if document.public:
                before_doc = audit.snapshot(document)
                document.public = False
                document.save(update_fields=["public", "updated_at"])
                audit.record_update(actor=actor, instance=document, before=before_doc)
    before = audit.snapshot(case)
    case.public_summary = summary[:2000]
    case.public_state = PublicState.PUBLISHED if publish else PublicState.HIDDEN
    case.moderated_by = actor
    case.moderated_at = timezone.now()
    case.version += 1
    case.save()
    _event(case, actor=actor, action="moderate", before=case.status)
    audit.record_update(actor=actor, instance=case, before=before)
    place_changed(case.unit)
    return case


@transaction.atomic
def citizen_verdict_record(
    *, actor: Any = None, case: Case, answer: str, comment: str = ""
) -> CitizenVerdict:
    """The citizen's answer to "was it resolved?" (resolved, partly, not), by the holder
    of the lookup code, once the case is answered (ANSWERED_STATUSES).

    One answer per case: a new one replaces it for VERDICT_CHANGE_DAYS after the first,
    then it is final. The comment stays private to the unit's officers.
    """
    if answer not in Verdict.values:
        raise _error(
            CaseError.BAD_VERDICT,
            one_of(_("Đánh giá"), Verdict.labels),
            "answer",
        )
    case = Case.objects.select_for_update().select_related("unit").get(pk=case.pk)
    if case.status not in ANSWERED_STATUSES:
        raise _error(
            CaseError.NOT_ANSWERED,
            _("Hồ sơ chưa có trả lời: chỉ đánh giá được khi cơ quan đã trả lời."),
            "answer",
        )
    comment = comment.strip()[:2000]
    verdict = CitizenVerdict.objects.filter(case=case).first()
    if verdict is None:
        verdict = CitizenVerdict.objects.create(
            case=case, unit=case.unit, answer=answer, comment=comment
        )
        audit.record_create(actor=actor, instance=verdict)
        return verdict
    if timezone.now() - verdict.created_at > dt.timedelta(days=VERDICT_CHANGE_DAYS):
        raise _error(
            CaseError.BAD_VERDICT,
            _("Đánh giá chỉ được sửa trong %(n)s ngày sau lần đánh giá đầu.")
            % {"n": VERDICT_CHANGE_DAYS},
            "answer",
        )
    before = audit.snapshot(verdict)
    verdict.answer, verdict.comment = answer, comment
    verdict.save()
    audit.record_update(actor=actor, instance=verdict, before=before)
    return verdict


# --- the sender's identity ------------------------------------------------------------------


def identity_view(*, actor: Any, case: Case) -> Identity:
    """Decrypt who sent *case* for *actor*, and record that they looked."""
    if not policies.has_perm(actor, Perm.CASE_VIEW, case.unit) and not policies.has_perm(
        actor, Perm.CASE_IDENTITY, case.unit
    ):
        raise NotFound()
    if not policies.can_view_identity(actor, case):
        raise PermissionDenied(_("Bạn không được xem danh tính người gửi vụ việc này."))
    try:
        row = case.identity
    except SenderIdentity.DoesNotExist as exc:
        raise NotFound() from exc
    with transaction.atomic():
        audit.record_view(actor=actor, instance=case, what="identity")
    return crypto.decrypt(row.token)


def identity_scan(*, actor: Any, case: Case, scan_id: int) -> tuple[str, str, bytes]:
    """(file name, content type, bytes) of a scan, for those who may see the identity."""
    if not policies.can_view_identity(actor, case):
        raise PermissionDenied(_("Bạn không được xem danh tính người gửi vụ việc này."))
    scan = IdentityScan.objects.filter(identity__case=case, pk=scan_id).first()
    if scan is None:
        raise NotFound()
    with transaction.atomic():
        audit.record_view(actor=actor, instance=case, what=f"scan {scan.pk}")
    name = crypto.decrypt(scan.name_token).full_name
    return name, scan.content_type, crypto.decrypt_bytes(scan.data_token)


@transaction.atomic
def identity_rotate_keys(*, batch: int = 500) -> int:
    """Re-encrypt every identity and scan with the newest key; returns the rows done."""
    done = 0
    now = timezone.now()
    for row in SenderIdentity.objects.select_for_update().iterator(chunk_size=batch):
        SenderIdentity.objects.filter(pk=row.pk).update(
            token=crypto.rotate(row.token), rotated_at=now
        )
        done += 1
    for scan in IdentityScan.objects.select_for_update().iterator(chunk_size=batch):
        IdentityScan.objects.filter(pk=scan.pk).update(
            name_token=crypto.rotate(scan.name_token), data_token=crypto.rotate(scan.data_token)
        )
        done += 1
    return done
