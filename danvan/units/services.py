"""Every write to the unit tree, the succession records and the directory.

Each service checks the actor's permission (actor=None means the system itself,
for management commands), validates, writes in one transaction and records the
audit trail.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.audit import services as audit
from danvan.audit.models import AuditEvent
from danvan.core.errors import PermissionDenied
from danvan.core.text import fold
from danvan.core.validators import one_of

from . import tree
from .errors import UnitError, unit_error
from .former_names import PackageData, build_rows, package_data
from .models import (
    ALLOWED_PARENT_KINDS,
    LEVEL_KINDS,
    FormerName,
    FormerNameUnit,
    Official,
    SteeringCommitteeMember,
    Succession,
    Unit,
    UnitKind,
)

_UNIT_FIELDS = ("code", "name", "division_type", "households", "valid_from", "valid_to")


def _check(actor: Any, perm: Perm, unit: Unit | None) -> None:
    if actor is not None:
        policies.require(actor, perm, unit)


def _validate_placement(kind: str, parent: Unit | None) -> None:
    allowed = ALLOWED_PARENT_KINDS.get(kind)
    if allowed is None:
        raise unit_error(
            UnitError.BAD_PARENT_KIND,
            one_of(_("Loại đơn vị"), [UnitKind(k).label for k in ALLOWED_PARENT_KINDS]),
            field="kind",
        )
    if not allowed:
        if parent is not None:
            raise unit_error(
                UnitError.BAD_PARENT_KIND,
                _("Tỉnh, thành phố không có đơn vị cấp trên."),
                field="parent",
            )
        return
    if parent is None or parent.kind not in allowed:
        names = ", ".join(str(UnitKind(k).label) for k in allowed)
        raise unit_error(
            UnitError.BAD_PARENT_KIND,
            _("Đơn vị loại “%(kind)s” phải trực thuộc: %(parents)s.")
            % {"kind": UnitKind(kind).label, "parents": names},
            field="parent",
        )
    if parent.valid_to is not None:
        raise unit_error(
            UnitError.HISTORICAL_PARENT,
            _("“%(name)s” đã hết hiệu lực, không thể thêm đơn vị trực thuộc.")
            % {"name": parent.name},
            field="parent",
        )


def _validate_fields(kind: str, households: int | None, valid_from: Any, valid_to: Any) -> None:
    if households is not None and kind != UnitKind.VILLAGE:
        raise unit_error(
            UnitError.HOUSEHOLDS_NOT_VILLAGE,
            _("Chỉ thôn, tổ dân phố mới ghi số hộ gia đình."),
            field="households",
        )
    if households is not None and households < 0:
        raise unit_error(
            UnitError.HOUSEHOLDS_NOT_VILLAGE, _("Số hộ không được âm."), field="households"
        )
    if valid_from and valid_to and valid_to < valid_from:
        raise unit_error(
            UnitError.BAD_DATES, _("Ngày hết hiệu lực phải sau ngày bắt đầu."), field="valid_to"
        )


# Codes appear in URLs (/don-vi/<code>/) and in the API, so they stay URL-safe,
# and the words the unit pages use as path segments cannot become codes.
_CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
RESERVED_CODES = frozenset({"goi-y", "can-bo", "ban-chi-dao"})


def _check_code_free(code: str, *, exclude_pk: int | None = None) -> None:
    if not _CODE_PATTERN.match(code):
        raise unit_error(
            UnitError.BAD_CODE,
            _(
                "Mã “%(code)s” không hợp lệ: chỉ gồm chữ cái không dấu, chữ số, dấu chấm,"
                " gạch ngang, gạch dưới (tối đa 32 ký tự)."
            )
            % {"code": code},
            field="code",
        )
    if code.lower() in RESERVED_CODES:
        raise unit_error(
            UnitError.BAD_CODE, _("Mã “%(code)s” không dùng được.") % {"code": code}, field="code"
        )
    qs = Unit.objects.filter(code=code)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise unit_error(
            UnitError.DUPLICATE_CODE,
            _("Mã đơn vị “%(code)s” đã tồn tại.") % {"code": code},
            field="code",
        )


def _next_code(parent: Unit | None, kind: str) -> str:
    """A readable code for a unit created by hand: parent code, kind letter, sequence."""
    base = f"{parent.code if parent else 'X'}-{kind[:2].upper()}"
    n = Unit.objects.filter(code__startswith=base + "-").count() + 1
    while Unit.objects.filter(code=f"{base}-{n:03d}").exists():
        n += 1
    return f"{base}-{n:03d}"


def _insert(unit: Unit) -> Unit:
    """Save a new unit and give it its path (which needs the primary key)."""
    unit.name_folded = fold(unit.name)
    unit.path = f"tmp-{unit.code}"
    try:
        with transaction.atomic():
            unit.save()
    except IntegrityError as exc:
        raise unit_error(
            UnitError.DUPLICATE_CODE,
            _("Mã đơn vị “%(code)s” đã tồn tại.") % {"code": unit.code},
            field="code",
        ) from exc
    parent_path = unit.parent.path if unit.parent else ""
    unit.path = tree.child_path(parent_path, unit.pk)
    unit.depth = tree.depth_of(unit.path)
    Unit.objects.filter(pk=unit.pk).update(path=unit.path, depth=unit.depth)
    return unit


@transaction.atomic
def unit_create(
    *,
    actor: Any,
    parent: Unit | None,
    kind: str,
    name: str,
    code: str | None = None,
    division_type: str = "",
    households: int | None = None,
    valid_from: dt.date | None = None,
) -> Unit:
    if parent is None:
        _check(actor, Perm.SUCCESSION_RECORD, None)  # a new province: national power
    else:
        _check(actor, Perm.UNIT_CREATE_CHILD, parent)
    name = (name or "").strip()
    if not name:
        raise unit_error(
            UnitError.BAD_PARENT_KIND, _("Tên đơn vị không được để trống."), field="name"
        )
    _validate_placement(kind, parent)
    _validate_fields(kind, households, valid_from, None)
    code = (code or "").strip() or _next_code(parent, kind)
    _check_code_free(code)
    unit = _insert(
        Unit(
            code=code,
            name=name,
            kind=kind,
            division_type=division_type.strip(),
            parent=parent,
            households=households,
            valid_from=valid_from,
        )
    )
    audit.record_create(actor=actor, instance=unit)
    return unit


@transaction.atomic
def unit_update(
    *,
    actor: Any,
    unit: Unit,
    name: str | None = None,
    code: str | None = None,
    division_type: str | None = None,
    households: int | None = None,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
) -> Unit:
    _check(actor, Perm.UNIT_CHANGE, unit)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    before = audit.snapshot(unit)
    _apply_changes(
        unit,
        name=name,
        code=code,
        division_type=division_type,
        households=households,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    audit.record_update(actor=actor, instance=unit, before=before)
    return unit


def _apply_changes(
    unit: Unit,
    *,
    name: str | None,
    code: str | None,
    division_type: str | None,
    households: int | None,
    valid_from: dt.date | None,
    valid_to: dt.date | None,
) -> None:
    """Validate and save the given fields of *unit* (locked by the caller); None: unchanged."""
    if name is not None:
        if not name.strip():
            raise unit_error(
                UnitError.BAD_PARENT_KIND, _("Tên đơn vị không được để trống."), field="name"
            )
        unit.name = name.strip()
        unit.name_folded = fold(unit.name)
    if code is not None and code != unit.code:
        _check_code_free(code, exclude_pk=unit.pk)
        unit.code = code
    if division_type is not None:
        unit.division_type = division_type.strip()
    if households is not None:
        unit.households = households
    if valid_from is not None:
        unit.valid_from = valid_from
    if valid_to is not None:
        unit.valid_to = valid_to
    _validate_fields(unit.kind, unit.households, unit.valid_from, unit.valid_to)
    unit.save()


@transaction.atomic
def succession_correct(
    *,
    actor: Any,
    unit: Unit,
    reason: str,
    name: str | None = None,
    code: str | None = None,
    division_type: str | None = None,
    households: int | None = None,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
) -> Unit:
    """Correct a mistake in an ended unit (its name, code, dates…): the one way it changes.

    An ended unit is history, read-only for every role (accounts.policies): its
    successor's officers read it, nobody edits it through unit_update. A correction is a
    system administrator's act, with the reason written into the audit trail beside the
    change ("correction"), so the history says who changed the record of a merged unit,
    when and why. *actor* None is the system itself (a management command).
    """
    if actor is not None and not policies.is_system_admin(actor):
        raise PermissionDenied(
            _(
                "Chỉ quản trị hệ thống được đính chính đơn vị đã kết thúc hoạt động"
                " (sáp nhập, chia tách)."
            )
        )
    reason = (reason or "").strip()
    if not reason:
        raise unit_error(
            UnitError.CORRECTION_NO_REASON,
            _("Ghi lý do đính chính (ví dụ: số, ngày văn bản xác nhận sai sót)."),
            field="reason",
        )
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if not policies.is_ended(unit):
        raise unit_error(
            UnitError.CORRECTION_NOT_ENDED,
            _(
                "“%(unit)s” còn hoạt động: sửa trực tiếp trên trang của đơn vị, không cần"
                " đính chính."
            )
            % {"unit": unit.name},
        )
    before = audit.snapshot(unit)
    _apply_changes(
        unit,
        name=name,
        code=code,
        division_type=division_type,
        households=households,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    changes = audit.diff(before, audit.snapshot(unit))
    if changes:
        changes["correction"] = [None, reason]
        audit.record(actor=actor, action=AuditEvent.Action.UPDATE, instance=unit, changes=changes)
    return unit


@transaction.atomic
def unit_move(*, actor: Any, unit: Unit, new_parent: Unit) -> Unit:
    """Place *unit* (and its subtree) under *new_parent*: one UPDATE rewrites the paths."""
    _check(actor, Perm.UNIT_MOVE, unit)
    _check(actor, Perm.UNIT_CREATE_CHILD, new_parent)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if new_parent.path.startswith(unit.path):
        raise unit_error(
            UnitError.CYCLE,
            _("Không thể đặt một đơn vị trực thuộc chính nó hoặc đơn vị cấp dưới của nó."),
            field="parent",
        )
    _validate_placement(unit.kind, new_parent)
    before = audit.snapshot(unit)
    old_path = unit.path
    new_path = tree.child_path(new_parent.path, unit.pk)
    delta = tree.depth_of(new_path) - tree.depth_of(old_path)
    units_subtree = Unit.objects.filter(policies.subtree_q(unit))
    units_subtree.update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + delta,
    )
    Unit.objects.filter(pk=unit.pk).update(parent=new_parent)
    unit.refresh_from_db()
    audit.record_update(actor=actor, instance=unit, before=before)
    return unit


@transaction.atomic
def succession_record(
    *,
    actor: Any,
    kind: str,
    predecessors: Sequence[Unit],
    successors: Sequence[Unit],
    effective_date: dt.date,
    resolution_number: str,
    note: str = "",
) -> Succession:
    """Record a merge (many → one) or a split (one → many).

    Predecessors that do not continue as a successor end the day before the
    effective date; their records stay theirs and are restated, never rewritten.
    """
    for unit in [*predecessors, *successors]:
        _check(actor, Perm.SUCCESSION_RECORD, unit)
    resolution_number = (resolution_number or "").strip()
    if not resolution_number:
        raise unit_error(
            UnitError.SUCCESSION_NO_RESOLUTION,
            _("Cần ghi số nghị quyết, quyết định sáp nhập hoặc chia tách."),
            field="resolution_number",
        )
    pred_ids = {u.pk for u in predecessors}
    succ_ids = {u.pk for u in successors}
    if len(pred_ids) != len(predecessors) or len(succ_ids) != len(successors):
        raise unit_error(UnitError.SUCCESSION_SHAPE, _("Một đơn vị được chọn hai lần."))
    if kind == Succession.Kind.MERGE and not (len(pred_ids - succ_ids) >= 1 and len(succ_ids) == 1):
        raise unit_error(
            UnitError.SUCCESSION_SHAPE,
            _("Sáp nhập cần một đơn vị sau và ít nhất một đơn vị trước chấm dứt."),
        )
    if kind == Succession.Kind.SPLIT and not (len(pred_ids) == 1 and len(succ_ids) >= 2):
        raise unit_error(
            UnitError.SUCCESSION_SHAPE,
            _("Chia tách cần một đơn vị trước và ít nhất hai đơn vị sau."),
        )
    if kind not in Succession.Kind.values:
        raise unit_error(
            UnitError.SUCCESSION_SHAPE,
            one_of(_("Hình thức"), Succession.Kind.labels),
            field="kind",
        )
    for pred in predecessors:
        for succ in successors:
            if succ.pk != pred.pk and succ.path.startswith(pred.path):
                raise unit_error(
                    UnitError.SUCCESSION_INTO_DESCENDANT,
                    _("Không thể sáp nhập “%(unit)s” vào đơn vị cấp dưới của nó “%(child)s”.")
                    % {"unit": pred.name, "child": succ.name},
                )
            if pred.pk != succ.pk and pred.path.startswith(succ.path):
                raise unit_error(
                    UnitError.SUCCESSION_INTO_DESCENDANT,
                    _("“%(unit)s” là đơn vị cấp trên của “%(child)s”.")
                    % {"unit": succ.name, "child": pred.name},
                )
    kinds = {u.kind for u in [*predecessors, *successors]}
    if len(kinds) != 1:
        raise unit_error(
            UnitError.SUCCESSION_KIND_MISMATCH,
            _("Các đơn vị sáp nhập, chia tách phải cùng một loại."),
        )
    for unit in [*predecessors, *successors]:
        if (
            unit.valid_from is not None
            and effective_date <= unit.valid_from
            and unit.pk in pred_ids
        ):
            raise unit_error(
                UnitError.SUCCESSION_BEFORE_EXISTENCE,
                _("Ngày hiệu lực %(date)s không sau ngày thành lập “%(name)s” (%(founded)s).")
                % {
                    "date": f"{effective_date:%d/%m/%Y}",
                    "name": unit.name,
                    "founded": f"{unit.valid_from:%d/%m/%Y}",
                },
                field="effective_date",
            )
        if unit.valid_to is not None and unit.valid_to < effective_date - dt.timedelta(days=1):
            raise unit_error(
                UnitError.SUCCESSION_AFTER_END,
                _("“%(name)s” đã hết hiệu lực từ %(date)s.")
                % {"name": unit.name, "date": f"{unit.valid_to:%d/%m/%Y}"},
                field="effective_date",
            )
    succession = Succession.objects.create(
        kind=kind,
        effective_date=effective_date,
        resolution_number=resolution_number,
        note=note,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    succession.predecessors.set(predecessors)
    succession.successors.set(successors)
    audit.record(
        actor=actor,
        action="create",
        instance=succession,
        changes={
            "kind": [None, kind],
            "effective_date": [None, effective_date.isoformat()],
            "resolution_number": [None, resolution_number],
            "predecessors": [None, sorted(u.code for u in predecessors)],
            "successors": [None, sorted(u.code for u in successors)],
        },
    )
    last_day = effective_date - dt.timedelta(days=1)
    for pred in Unit.objects.select_for_update().filter(pk__in=pred_ids - succ_ids):
        if pred.valid_to is None:
            before = audit.snapshot(pred)
            pred.valid_to = last_day
            pred.save(update_fields=["valid_to", "updated_at"])
            audit.record_update(actor=actor, instance=pred, before=before)
    return succession


@transaction.atomic
def official_create(
    *,
    actor: Any,
    unit: Unit,
    full_name: str,
    position: str,
    term_start: dt.date | None = None,
    term_end: dt.date | None = None,
    phone: str = "",
    email: str = "",
) -> Official:
    _check(actor, Perm.OFFICIAL_MANAGE, unit)
    if term_start and term_end and term_end < term_start:
        raise unit_error(
            UnitError.BAD_DATES,
            _("Ngày kết thúc nhiệm kỳ phải sau ngày bắt đầu."),
            field="term_end",
        )
    official = Official.objects.create(
        unit=unit,
        full_name=full_name.strip(),
        position=position.strip(),
        term_start=term_start,
        term_end=term_end,
        phone=phone.strip(),
        email=email.strip(),
    )
    audit.record_create(actor=actor, instance=official)
    return official


@transaction.atomic
def official_update(*, actor: Any, official: Official, **fields: Any) -> Official:
    _check(actor, Perm.OFFICIAL_MANAGE, official.unit)
    official = Official.objects.select_for_update().get(pk=official.pk)
    before = audit.snapshot(official)
    allowed = {"full_name", "position", "term_start", "term_end", "phone", "email"}
    for key, value in fields.items():
        if key not in allowed:
            raise TypeError(f"official_update() got an unexpected field {key!r}")
        setattr(official, key, value.strip() if isinstance(value, str) else value)
    if official.term_start and official.term_end and official.term_end < official.term_start:
        raise unit_error(
            UnitError.BAD_DATES,
            _("Ngày kết thúc nhiệm kỳ phải sau ngày bắt đầu."),
            field="term_end",
        )
    official.save()
    audit.record_update(actor=actor, instance=official, before=before)
    return official


@transaction.atomic
def steering_member_add(
    *,
    actor: Any,
    level: Unit,
    official: Official,
    role: str,
    decision_number: str = "",
    start_date: dt.date | None = None,
) -> SteeringCommitteeMember:
    _check(actor, Perm.STEERING_MANAGE, level)
    if level.kind not in LEVEL_KINDS:
        raise unit_error(
            UnitError.STEERING_NOT_LEVEL,
            _("Ban Chỉ đạo chỉ lập ở cấp tỉnh hoặc cấp xã."),
            field="level",
        )
    if not official.unit.path.startswith(level.path):
        raise unit_error(
            UnitError.OFFICIAL_OUT_OF_SCOPE,
            _("Cán bộ phải thuộc đơn vị của cấp này."),
            field="official",
        )
    if SteeringCommitteeMember.objects.filter(
        level=level, official=official, end_date__isnull=True
    ).exists():
        raise unit_error(
            UnitError.STEERING_DUPLICATE,
            _("Cán bộ này đã là thành viên Ban Chỉ đạo."),
            field="official",
        )
    member = SteeringCommitteeMember.objects.create(
        level=level,
        official=official,
        role=role,
        decision_number=decision_number.strip(),
        start_date=start_date,
    )
    audit.record_create(actor=actor, instance=member)
    return member


@transaction.atomic
def steering_member_end(
    *, actor: Any, member: SteeringCommitteeMember, end_date: dt.date
) -> SteeringCommitteeMember:
    _check(actor, Perm.STEERING_MANAGE, member.level)
    member = SteeringCommitteeMember.objects.select_for_update().get(pk=member.pk)
    before = audit.snapshot(member)
    if member.start_date and end_date < member.start_date:
        raise unit_error(
            UnitError.BAD_DATES, _("Ngày kết thúc phải sau ngày bắt đầu."), field="end_date"
        )
    member.end_date = end_date
    member.save()
    audit.record_update(actor=actor, instance=member, before=before)
    return member


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    unchanged: int


@transaction.atomic
def units_load_official(*, actor: Any = None) -> LoadResult:
    """Load or refresh the 34 provinces and 3,321 communes from `vietnam-provinces`.

    Idempotent: a second run changes nothing; a renamed unit is updated in place
    (same code). Runs in one transaction, so a failure leaves the tree as it was.
    Since 1 July 2025 local government has two tiers (Resolution 202/2025/QH15).
    """
    from vietnam_provinces import Province, Ward

    _check(actor, Perm.SUCCESSION_RECORD, None)
    existing = {u.code: u for u in Unit.objects.filter(kind__in=LEVEL_KINDS)}
    counts = {"created": 0, "updated": 0, "unchanged": 0}

    def sync(rows: list[tuple[str, str, str, str, Unit | None]]) -> None:
        new: list[Unit] = []
        for code, name, kind, division_type, parent in rows:
            unit = existing.get(code)
            if unit is None:
                new.append(
                    Unit(
                        code=code,
                        name=name,
                        name_folded=fold(name),
                        kind=kind,
                        division_type=division_type,
                        parent=parent,
                        path=f"tmp-{code}",
                    )
                )
            elif unit.name == name and unit.division_type == division_type:
                counts["unchanged"] += 1
            else:
                before = audit.snapshot(unit)
                unit.name, unit.name_folded, unit.division_type = name, fold(name), division_type
                unit.save(update_fields=["name", "name_folded", "division_type", "updated_at"])
                audit.record_update(actor=actor, instance=unit, before=before)
                counts["updated"] += 1
        if not new:
            return
        # Bulk insert (primary keys come back on SQLite and PostgreSQL), then
        # derive each path from the primary key in one bulk update.
        Unit.objects.bulk_create(new, batch_size=500)
        for unit in new:
            unit.path = tree.child_path(unit.parent.path if unit.parent else "", unit.pk)
            unit.depth = tree.depth_of(unit.path)
            existing[unit.code] = unit
        Unit.objects.bulk_update(new, ["path", "depth"], batch_size=500)
        audit.record_bulk_create(actor=actor, instances=new)
        counts["created"] += len(new)

    sync(
        [
            (f"{int(p.code):02d}", p.name, UnitKind.PROVINCE, p.division_type.value, None)
            for p in Province.iter_all()
        ]
    )
    sync(
        [
            (
                f"{int(w.code):05d}",
                w.name,
                UnitKind.COMMUNE,
                w.division_type.value,
                existing[f"{int(w.province_code):02d}"],
            )
            for w in Ward.iter_all()
        ]
    )
    return LoadResult(**counts)


HISTORICAL_DATA = "historical_2025.json"


@transaction.atomic
def units_load_historical(*, actor: Any = None) -> int:
    """Add the units that ended in the 2025 reorganisation and their successions.

    Reads danvan/units/data/historical_2025.json. Idempotent: a succession with
    the same resolution and predecessors is not recorded twice. Returns how
    many successions were recorded.
    """
    import json
    from importlib import resources

    _check(actor, Perm.SUCCESSION_RECORD, None)
    raw = resources.files("danvan.units").joinpath("data", HISTORICAL_DATA).read_text("utf-8")
    data = json.loads(raw)
    for item in data["historical_units"]:
        if not Unit.objects.filter(code=item["code"]).exists():
            unit = _insert(
                Unit(
                    code=item["code"],
                    name=item["name"],
                    kind=item["kind"],
                    division_type=item["division_type"],
                    valid_from=dt.date.fromisoformat(item["valid_from"]),
                )
            )
            audit.record_create(actor=actor, instance=unit)
    recorded = 0
    for item in data["successions"]:
        preds = list(Unit.objects.filter(code__in=item["predecessors"]))
        succs = list(Unit.objects.filter(code__in=item["successors"]))
        if len(preds) != len(item["predecessors"]) or len(succs) != len(item["successors"]):
            raise unit_error(UnitError.UNKNOWN_UNIT, _("Thiếu đơn vị cho dữ liệu sáp nhập 2025."))
        already = Succession.objects.filter(
            resolution_number=item["resolution_number"], predecessors__in=preds
        ).exists()
        if already:
            continue
        succession_record(
            actor=actor,
            kind=item["kind"],
            predecessors=preds,
            successors=succs,
            effective_date=dt.date.fromisoformat(item["effective_date"]),
            resolution_number=item["resolution_number"],
            note=item.get("note", ""),
        )
        recorded += 1
    return recorded


@dataclass(frozen=True)
class FormerNamesResult:
    created: int
    updated: int
    unchanged: int
    deleted: int
    # New communes of the package that match none of ours (reported, not fatal).
    unmatched: tuple[str, ...]


_FORMER_FIELDS = ("name", "name_folded", "district_name", "province_name")


@transaction.atomic
def former_names_load(*, actor: Any = None, data: PackageData | None = None) -> FormerNamesResult:
    """Load or refresh the names of provinces, districts and communes before 1 July 2025.

    Reads the `vietnamadminunits` package data (*data* for tests) and matches it to the
    current units (units_load_official runs first). Idempotent: a second run writes
    nothing; a changed row is updated in place and its coverage rewritten. About 10,800
    rows and 12,000 links go in with a few bulk inserts, in one transaction.
    """
    _check(actor, Perm.SUCCESSION_RECORD, None)
    current = Unit.objects.filter(kind__in=LEVEL_KINDS, valid_to__isnull=True)
    provinces: dict[str, str] = {}
    communes: dict[str, tuple[str, str]] = {}
    unit_ids: dict[str, int] = {}
    for pk, code, name, kind, parent_code in current.values_list(
        "pk", "code", "name", "kind", "parent__code"
    ):
        unit_ids[code] = pk
        if kind == UnitKind.PROVINCE:
            provinces[code] = name
        else:
            communes[code] = (parent_code or "", name)
    built = build_rows(data or package_data(), provinces=provinces, communes=communes)

    existing = {(f.kind, f.code): f for f in FormerName.objects.all()}
    links: dict[int, list[tuple[int, bool]]] = {}
    for former_id, unit_id, is_default in FormerNameUnit.objects.order_by(
        "former_name_id", "position"
    ).values_list("former_name_id", "unit_id", "is_default"):
        links.setdefault(former_id, []).append((unit_id, is_default))

    new: list[FormerName] = []
    changed: list[tuple[FormerName, audit.Snapshot]] = []
    wanted_links: dict[tuple[str, str], list[tuple[int, bool]]] = {}
    relink: list[FormerName] = []
    for row in built.rows:
        key = (row.kind, row.code)
        wanted_links[key] = [(unit_ids[c], d) for c, d in row.units if c in unit_ids]
        values = {
            "name": row.name,
            "name_folded": fold(row.name),
            "district_name": row.district_name,
            "province_name": row.province_name,
        }
        former = existing.pop(key, None)
        if former is None:
            new.append(FormerName(kind=row.kind, code=row.code, **values))
            continue
        if any(getattr(former, f) != v for f, v in values.items()):
            before = audit.snapshot(former)
            for f, v in values.items():
                setattr(former, f, v)
            changed.append((former, before))
        if links.get(former.pk, []) != wanted_links[key]:
            relink.append(former)
    stale = list(existing.values())
    if stale:
        FormerName.objects.filter(pk__in=[f.pk for f in stale]).delete()
    if changed:
        FormerName.objects.bulk_update([f for f, _ in changed], _FORMER_FIELDS, batch_size=500)
        audit.record_bulk_update(actor=actor, changes=changed)
    if relink:
        FormerNameUnit.objects.filter(former_name__in=[f.pk for f in relink]).delete()
    if new:
        FormerName.objects.bulk_create(new, batch_size=500)
        audit.record_bulk_create(actor=actor, instances=new)
    FormerNameUnit.objects.bulk_create(
        [
            FormerNameUnit(former_name=f, unit_id=unit_id, is_default=is_default, position=i)
            for f in [*relink, *new]
            for i, (unit_id, is_default) in enumerate(wanted_links[(f.kind, f.code)])
        ],
        batch_size=1000,
    )
    updated = len({f.pk for f, _ in changed} | {f.pk for f in relink})
    return FormerNamesResult(
        created=len(new),
        updated=updated,
        unchanged=len(built.rows) - len(new) - updated,
        deleted=len(stale),
        unmatched=tuple(built.unmatched),
    )
