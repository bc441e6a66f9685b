"""Every write of the movement: entries, their life cycle, decisions, replication, files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.audit import services as audit
from danvan.core import docnumber
from danvan.core.errors import Checks, DomainError, PermissionDenied
from danvan.core.pagecache import place_changed
from danvan.core.text import fold
from danvan.core.uploads import check_upload
from danvan.core.validators import one_of
from danvan.units.models import Unit, UnitKind

from . import workflow
from .errors import MovementError
from .models import Attachment, Decision, Entry, EntryEvent, EntryKind, Field, Level, Period, Status
from .selectors import PUBLIC_STATUSES

# Fields an owner may change while the entry is still being prepared or carried out.
EDITABLE_FIELDS = (
    "kind",
    "name",
    "field",
    "target_group",
    "goals",
    "content_method",
    "start_date",
    "registration_year",
    "expected_results",
    "achieved_results",
    "money_mobilized",
    "working_days",
    "land_donated_m2",
    "contact_name",
    "contact_phone",
)
EDITABLE_STATES = frozenset(
    {Status.DRAFT, Status.RETURNED, Status.REGISTERED, Status.ACCEPTED, Status.IN_PROGRESS}
)


def _error(code: MovementError, message: str, *, field: str | None = None) -> DomainError:
    return DomainError(code.value, message, field=field)


def period_for_year(year: int) -> Period:
    period = Period.objects.filter(start_year__lte=year, end_year__gte=year).first()
    if period is None:
        spans = [f"{a}–{b}" for a, b in Period.objects.values_list("start_year", "end_year")]
        raise _error(
            MovementError.BAD_YEAR,
            _("Năm đăng ký phải trong giai đoạn %(periods)s của phong trào (bạn nhập %(year)s).")
            % {"periods": _(" hoặc ").join(spans) or "—", "year": year},
            field="registration_year",
        )
    return period


def entry_checks(data: dict[str, Any], *, unit: Unit | None = None) -> None:
    """Every rule on an entry's fields that needs no lock, for the keys present in *data*
    (a form passes the fields that parsed); one DomainError lists every problem.

    entry_create and entry_update run it before they write; the entry forms run it in
    their own validation, so the user sees the form's and these errors in one answer.
    """
    checks = Checks()
    if unit is not None and unit.valid_to is not None:
        checks.refuse(
            MovementError.BAD_UNIT,
            _("“%(unit)s” đã hết hiệu lực, không thể đăng ký mới.") % {"unit": unit.name},
            field="unit",
        )
    if "name" in data and not (data["name"] or "").strip():
        checks.refuse(MovementError.BAD_VALUE, _("Nhập tên mô hình, điển hình."), field="name")
    if "kind" in data and data["kind"] not in EntryKind.values:
        checks.refuse(
            MovementError.BAD_VALUE,
            one_of(_("Loại"), EntryKind.labels),
            field="kind",
        )
    if "field" in data and not isinstance(data["field"], Field):
        checks.refuse(MovementError.BAD_VALUE, _("Chọn lĩnh vực."), field="field")
    for name in ("money_mobilized", "land_donated_m2", "working_days"):
        value = data.get(name)
        if value is not None and Decimal(value) < 0:
            checks.refuse(
                MovementError.BAD_VALUE, _("Không được âm: nhập 0 hoặc số dương."), field=name
            )
    year = data.get("registration_year")
    if year is not None:
        last = timezone.localdate().year + 1
        if int(year) > last:
            checks.refuse(
                MovementError.BAD_YEAR,
                _("Năm đăng ký chỉ được đến năm sau (%(last)s); bạn nhập %(year)s.")
                % {"last": last, "year": year},
                field="registration_year",
            )
        else:
            with checks.collect():
                period_for_year(int(year))
    checks.raise_if_any()


def duplicates_of(
    *, unit: Unit, name: str, period: Period, exclude: Entry | None = None
) -> list[Entry]:
    """Entries of the same unit and period whose name matches after folding case,
    diacritics and "đ" (the duplicate warning shown when registering)."""
    qs = Entry.objects.filter(unit=unit, period=period, name_folded=fold(name))
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return list(qs.exclude(status__in=[Status.WITHDRAWN]))


@transaction.atomic
def entry_create(
    *,
    actor: Any,
    unit: Unit,
    kind: str,
    name: str,
    field: Field,
    registration_year: int,
    co_units: Iterable[Unit] = (),
    **details: Any,
) -> Entry:
    if actor is not None:
        policies.require(actor, Perm.MOVEMENT_EDIT, unit)
    unknown = set(details) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"entry_create() got unexpected fields {sorted(unknown)}")
    data = {"kind": kind, "name": name, "field": field, "registration_year": registration_year}
    entry_checks({**data, **details}, unit=unit)
    entry = Entry(
        unit=unit,
        kind=kind,
        name=name.strip(),
        name_folded=fold(name),
        field=field,
        registration_year=registration_year,
        period=period_for_year(registration_year),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **details,
    )
    entry.save()
    co = [u for u in co_units if u.pk != unit.pk]
    if co:
        entry.co_units.set(co)
    audit.record_create(actor=actor, instance=entry)
    return entry


@transaction.atomic
def entry_update(
    *, actor: Any, entry: Entry, co_units: Iterable[Unit] | None = None, **changes: Any
) -> Entry:
    if actor is not None:
        policies.require(actor, Perm.MOVEMENT_EDIT, entry.unit)
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if entry.status not in EDITABLE_STATES:
        raise _error(
            MovementError.NOT_EDITABLE,
            _("Không sửa được mô hình ở trạng thái “%(status)s”.")
            % {"status": entry.get_status_display()},
        )
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"entry_update() got unexpected fields {sorted(unknown)}")
    entry_checks(changes)
    before = audit.snapshot(entry)
    for key, value in changes.items():
        setattr(entry, key, value.strip() if isinstance(value, str) else value)
    entry.name_folded = fold(entry.name)
    if "registration_year" in changes:
        entry.period = period_for_year(entry.registration_year)
    entry.save()
    if co_units is not None:
        entry.co_units.set([u for u in co_units if u.pk != entry.unit_id])
    audit.record_update(actor=actor, instance=entry, before=before)
    return entry


@dataclass(frozen=True)
class DecisionInput:
    number: str
    issued_on: dt.date
    issuer: str
    form: str = Decision.Form.DECISION
    level: str = ""


def level_of(actor: Any, unit: Unit) -> str:
    """The level at which *actor* acts on *unit*: central for a national grant, else the
    level (province/commune) of the highest granted unit covering *unit*."""
    covering = [
        g for g in policies.grants_of(actor) if g.unit is None or unit.path.startswith(g.unit.path)
    ]
    if actor is None or any(g.unit is None for g in covering):
        return Level.CENTRAL
    top = min((g.unit for g in covering if g.unit is not None), key=lambda u: u.depth, default=None)
    if top is not None and top.kind == UnitKind.PROVINCE:
        return Level.PROVINCE
    return Level.COMMUNE


def _decision(*, actor: Any, entry: Entry, kind: str, data: DecisionInput) -> Decision:
    try:
        parsed = docnumber.parse(data.number)
    except docnumber.DocumentNumberError as exc:
        raise _error(MovementError.BAD_DECISION_NUMBER, str(exc), field="number") from exc
    if not (data.issuer or "").strip():
        raise _error(
            MovementError.DECISION_REQUIRED, _("Nhập cơ quan ban hành quyết định."), field="issuer"
        )
    if data.issued_on > timezone.localdate():
        raise _error(
            MovementError.DECISION_REQUIRED,
            _("Ngày ban hành không được sau hôm nay."),
            field="issued_on",
        )
    if data.form not in Decision.Form.values:
        raise _error(
            MovementError.BAD_VALUE,
            one_of(_("Hình thức"), Decision.Form.labels),
            field="form",
        )
    decision = Decision.objects.create(
        entry=entry,
        kind=kind,
        number=parsed.raw,
        number_key=parsed.key,
        issued_on=data.issued_on,
        issuer=data.issuer.strip(),
        level=data.level or level_of(actor, entry.unit),
        form=data.form,
    )
    audit.record_create(actor=actor, instance=decision)
    return decision


def may_transition(actor: Any, entry: Entry, transition: workflow.Transition) -> bool:
    if actor is None:
        return True
    if transition.by == workflow.OWNER:
        return policies.has_perm(actor, Perm.MOVEMENT_EDIT, entry.unit)
    return policies.has_perm_above(actor, Perm.MOVEMENT_MANAGE, entry.unit)


def allowed_transitions(actor: Any, entry: Entry) -> list[workflow.Transition]:
    return [t for t in workflow.available(entry.status) if may_transition(actor, entry, t)]


@transaction.atomic
def entry_transition(
    *,
    actor: Any,
    entry: Entry,
    name: str,
    reason: str = "",
    decision: DecisionInput | None = None,
    on_date: dt.date | None = None,
) -> Entry:
    """Perform transition *name*: lock, check it is allowed from the current state and by
    this actor, apply it, record an event (who, when, why) and the audit row."""
    if actor is not None:
        policies.require_visible(actor, entry.unit)
    entry = Entry.objects.select_for_update().select_related("unit").get(pk=entry.pk)
    transition = workflow.find(name, entry.status) if name in workflow.NAMES else None
    if transition is None:
        raise _error(
            MovementError.BAD_TRANSITION,
            _("Không thể “%(action)s” khi mô hình đang ở trạng thái “%(status)s”.")
            % {"action": name, "status": entry.get_status_display()},
        )
    if not may_transition(actor, entry, transition):
        raise PermissionDenied(
            _("Bạn không có quyền thực hiện thao tác này với mô hình của đơn vị “%(unit)s”.")
            % {"unit": entry.unit.name}
        )
    if transition.reason_required and not reason.strip():
        raise _error(MovementError.REASON_REQUIRED, _("Cần ghi rõ lý do."), field="reason")
    day = on_date or timezone.localdate()
    before = audit.snapshot(entry)
    recorded: Decision | None = None
    if transition.decision:
        if decision is None:
            raise _error(
                MovementError.DECISION_REQUIRED,
                _("Cần số, ngày và cơ quan ban hành quyết định."),
                field="number",
            )
        kind = (
            Decision.Kind.RECOGNITION
            if transition.target == Status.RECOGNIZED
            else Decision.Kind.EXEMPLARY
        )
        recorded = _decision(actor=actor, entry=entry, kind=kind, data=decision)
        day = recorded.issued_on
    source = entry.status
    entry.status = transition.target
    if transition.target == Status.REGISTERED and entry.registered_on is None:
        entry.registered_on = day
    elif transition.target == Status.RECOGNIZED and recorded is not None:
        entry.recognized_on, entry.recognized_level = day, recorded.level
    elif transition.target == Status.EXEMPLARY and recorded is not None:
        entry.exemplary_on, entry.exemplary_level = day, recorded.level
    entry.save()
    EntryEvent.objects.create(
        entry=entry,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        from_status=source,
        to_status=entry.status,
        reason=reason.strip(),
        decision=recorded,
    )
    audit.record_update(actor=actor, instance=entry, before=before)
    if {source, entry.status} & set(PUBLIC_STATUSES):  # shown on its place's pages
        place_changed(entry.unit)
    return entry


@transaction.atomic
def entry_commend(*, actor: Any, entry: Entry, decision: DecisionInput) -> Decision:
    """Record a commendation (giấy khen, bằng khen …) of a recognized or exemplary entry."""
    if actor is not None and not policies.has_perm_above(actor, Perm.MOVEMENT_MANAGE, entry.unit):
        policies.require_visible(actor, entry.unit)
        raise PermissionDenied()
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if entry.recognized_on is None:
        raise _error(
            MovementError.BAD_TRANSITION,
            _("Chỉ khen thưởng mô hình đã được công nhận."),
        )
    before = audit.snapshot(entry)
    recorded = _decision(actor=actor, entry=entry, kind=Decision.Kind.COMMENDATION, data=decision)
    if entry.commended_on is None or recorded.issued_on < entry.commended_on:
        entry.commended_on = recorded.issued_on
        entry.save(update_fields=["commended_on", "updated_at"])
    audit.record_update(actor=actor, instance=entry, before=before)
    return recorded


@transaction.atomic
def replication_record(*, actor: Any, entry: Entry, source: Entry) -> Entry:
    """Record that *entry* (of another unit) replicates *source*."""
    if actor is not None:
        policies.require(actor, Perm.MOVEMENT_EDIT, entry.unit)
        policies.require(actor, Perm.MOVEMENT_VIEW, source.unit)
    if entry.pk == source.pk:
        raise _error(
            MovementError.REPLICATION_SELF,
            _("Mô hình không thể nhân rộng từ chính nó."),
            field="source",
        )
    if entry.unit_id == source.unit_id:
        raise _error(
            MovementError.REPLICATION_SAME_UNIT,
            _("Nhân rộng phải ở một đơn vị khác với đơn vị của mô hình gốc."),
            field="source",
        )
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    before = audit.snapshot(entry)
    entry.replicated_from = source
    entry.save(update_fields=["replicated_from", "updated_at"])
    audit.record_update(actor=actor, instance=entry, before=before)
    return entry


def _check_upload(upload: UploadedFile) -> str:
    return check_upload(upload, code=MovementError.BAD_FILE.value)


@transaction.atomic
def attachment_add(
    *, actor: Any, entry: Entry, upload: UploadedFile, caption: str = ""
) -> Attachment:
    if actor is not None:
        policies.require(actor, Perm.MOVEMENT_EDIT, entry.unit)
    content_type = _check_upload(upload)
    attachment = Attachment(
        entry=entry,
        original_name=(upload.name or "tep")[-255:],
        content_type=content_type,
        size=upload.size or 0,
        caption=caption.strip(),
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    attachment.file.save(upload.name or "tep", upload, save=False)
    # The file is written before the row; if the row cannot be saved, remove the file.
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    audit.record_create(actor=actor, instance=attachment)
    return attachment


def can_publish_photos(actor: Any, entry: Entry) -> bool:
    """May *actor* show or hide *entry*'s photos in the portal gallery? The entry's own
    unit (MOVEMENT_EDIT on it) or a managing body above it (MOVEMENT_MANAGE)."""
    return policies.has_perm(actor, Perm.MOVEMENT_EDIT, entry.unit) or policies.has_perm_above(
        actor, Perm.MOVEMENT_MANAGE, entry.unit
    )


@transaction.atomic
def attachment_set_public(*, actor: Any, attachment: Attachment, is_public: bool) -> Attachment:
    """Show (*is_public*) or hide a photo of an entry in the citizens' portal gallery.

    Only images may be shown: a document may hold names, phone numbers or signatures
    (Law 91/2025/QH15 on personal data), and the gallery serves photos only. The portal
    shows the photo only while the entry itself is recognized, exemplary or replicated.
    """
    entry = attachment.entry
    # No actor: the system (the demo), as attachment_add allows.
    if actor is not None and not can_publish_photos(actor, entry):
        policies.require_visible(actor, entry.unit)
        raise PermissionDenied(unit=entry.unit)
    attachment = (
        Attachment.objects.select_for_update().select_related("entry").get(pk=attachment.pk)
    )
    if is_public and not attachment.is_image:
        raise _error(
            MovementError.BAD_FILE,
            _("Chỉ hình ảnh mới được hiện trên cổng thông tin công dân."),
            field="is_public",
        )
    if attachment.is_public == is_public:
        return attachment
    before = audit.snapshot(attachment)
    attachment.is_public = is_public
    attachment.save(update_fields=["is_public", "updated_at"])
    audit.record_update(actor=actor, instance=attachment, before=before)
    return attachment
