"""How an audit event reads to a person: record kinds, field names and values in Vietnamese.

The trail stores what the code knows (``status: in_progress``, ``unit: 123``,
``held_on: 2026-03-01``); the people who read it know the form labels, the choices'
labels, the unit's name and dates written dd/mm/yyyy. This module turns one into the
other for a page of events at once: the records that foreign keys point to are loaded
with one query per kind of record on the page, whatever the number of events.

Masked personal values (services.MASK) are never looked up or reformatted: they are
shown as the trail wrote them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import posixpath
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .services import MASK, SECRET_FIELDS

# Kinds of record whose model has no Vietnamese verbose_name. Giving them one in the
# model would add a migration to each of these apps for a label only; the trail is the
# one page that names them.
_MODEL_NAMES = {
    "cases.caseevent": gettext_lazy("sự kiện vụ việc"),
    "democracy.votecode": gettext_lazy("mã biểu quyết trực tuyến"),
    "democracy.householdballot": gettext_lazy("phiếu của hộ gia đình"),
    "movement.entryevent": gettext_lazy("sự kiện mô hình, điển hình"),
    "movement.roundcandidate": gettext_lazy("mô hình, điển hình được đánh giá"),
    "movement.roundreviewer": gettext_lazy("người chấm điểm"),
    "movement.score": gettext_lazy("điểm chấm"),
    "otp_totp.totpdevice": gettext_lazy("thiết bị xác thực hai bước"),
}

# Field names that many models share and that were left without a verbose_name
# (Django then shows the bare name: "created by", "public id"). A foreign key without
# one is named after the model it points to (``case`` → "vụ việc") before this table.
_FIELD_NAMES = {
    "id": gettext_lazy("mã bản ghi"),
    "public_id": gettext_lazy("mã công khai"),
    "created_by": gettext_lazy("người tạo"),
    "created_at": gettext_lazy("thời điểm tạo"),
    "updated_at": gettext_lazy("thời điểm sửa"),
    "uploaded_by": gettext_lazy("người tải lên"),
    "granted_by": gettext_lazy("người phân quyền"),
    "assigned_by": gettext_lazy("người phân công"),
    "moderated_by": gettext_lazy("người kiểm duyệt"),
    "opened_by": gettext_lazy("người mở đợt"),
    "started_by": gettext_lazy("người bắt đầu"),
    "confirmed_by": gettext_lazy("người xác nhận"),
    "confirmed_at": gettext_lazy("thời điểm xác nhận"),
    "cancelled_by": gettext_lazy("người hủy"),
    "cancelled_at": gettext_lazy("thời điểm hủy"),
    "submitted_at": gettext_lazy("thời điểm nộp"),
    "rotated_at": gettext_lazy("thời điểm đổi khóa"),
    "revoked_at": gettext_lazy("thời điểm thu hồi"),
    "used_at": gettext_lazy("thời điểm dùng"),
    "issued_at": gettext_lazy("thời điểm phát"),
    "cast_at": gettext_lazy("thời điểm bỏ phiếu"),
    "last_used_at": gettext_lazy("lần dùng gần nhất"),
    "at": gettext_lazy("thời điểm"),
    "actor": gettext_lazy("người thực hiện"),
    "user": gettext_lazy("người dùng"),
    "state": gettext_lazy("trạng thái"),
    "status": gettext_lazy("trạng thái"),
    "from_status": gettext_lazy("từ trạng thái"),
    "to_status": gettext_lazy("sang trạng thái"),
    "action": gettext_lazy("thao tác"),
    "note": gettext_lazy("ghi chú"),
    "name": gettext_lazy("tên"),
    "confirmed": gettext_lazy("đã xác nhận"),
    "version": gettext_lazy("phiên bản"),
    "lat": gettext_lazy("vĩ độ"),
    "long": gettext_lazy("kinh độ"),
    "name_folded": gettext_lazy("tên không dấu (để tìm kiếm)"),
    "number_key": gettext_lazy("số hiệu (để so khớp)"),
    "path": gettext_lazy("vị trí trong cây đơn vị"),
    "unit_path": gettext_lazy("vị trí của đơn vị trong cây đơn vị"),
    "depth": gettext_lazy("cấp trong cây đơn vị"),
    "file": gettext_lazy("tệp"),
    "original_name": gettext_lazy("tên tệp gốc"),
    "content_type": gettext_lazy("loại tệp"),
    "size": gettext_lazy("dung lượng (byte)"),
    "sha256": gettext_lazy("mã băm SHA-256"),
    "token": gettext_lazy("dữ liệu mã hóa"),
    "name_token": gettext_lazy("tên tệp (mã hóa)"),
    "data_token": gettext_lazy("nội dung tệp (mã hóa)"),
    "prefix": gettext_lazy("tiền tố mã"),
    "key_hash": gettext_lazy("mã băm của khóa"),
    "code_hash": gettext_lazy("mã băm của mã biểu quyết"),
    "household": gettext_lazy("hộ gia đình"),
    "choice": gettext_lazy("lựa chọn"),
    "points": gettext_lazy("điểm"),
    "resolve_rule": gettext_lazy("quy định thời hạn giải quyết"),
    "transferred_from": gettext_lazy("chuyển từ đơn vị"),
    "transferred_to": gettext_lazy("chuyển đến đơn vị"),
    "follows": gettext_lazy("lần biểu quyết trước"),
    "document_type": gettext_lazy("loại văn bản"),
    "staged": gettext_lazy("dữ liệu chờ nhập"),
    "mode": gettext_lazy("cách nhập"),
    "total_rows": gettext_lazy("tổng số dòng"),
    "processed_rows": gettext_lazy("số dòng đã xử lý"),
    "valid_rows": gettext_lazy("số dòng hợp lệ"),
    "errors": gettext_lazy("lỗi"),
    "error_count": gettext_lazy("số lỗi"),
    "created_count": gettext_lazy("số bản ghi tạo mới"),
    "updated_count": gettext_lazy("số bản ghi cập nhật"),
    "unchanged_count": gettext_lazy("số bản ghi không đổi"),
    "failure": gettext_lazy("lỗi xử lý"),
    # Keys that are not fields: services record them beside the fields.
    "viewed": gettext_lazy("dữ liệu đã xem"),
    "correction": gettext_lazy("lý do đính chính"),
    "codes_issued": gettext_lazy("số mã biểu quyết đã phát"),
    "outcomes": gettext_lazy("kết quả đánh giá"),
    "password": gettext_lazy("mật khẩu"),
}

# Fields of another project's model without a verbose_name (django-otp's device): the
# names are generic ("key", "step"), so they are looked up with their model.
_MODEL_FIELD_NAMES = {
    ("otp_totp.totpdevice", "key"): gettext_lazy("khóa bí mật"),
    ("otp_totp.totpdevice", "step"): gettext_lazy("chu kỳ mã (giây)"),
    ("otp_totp.totpdevice", "t0"): gettext_lazy("mốc thời gian đầu"),
    ("otp_totp.totpdevice", "digits"): gettext_lazy("số chữ số của mã"),
    ("otp_totp.totpdevice", "tolerance"): gettext_lazy("số chu kỳ lệch cho phép"),
    ("otp_totp.totpdevice", "drift"): gettext_lazy("độ lệch đồng hồ"),
    ("otp_totp.totpdevice", "last_t"): gettext_lazy("chu kỳ của mã dùng gần nhất"),
    ("otp_totp.totpdevice", "throttling_failure_timestamp"): gettext_lazy(
        "lần nhập sai mã gần nhất"
    ),
    ("otp_totp.totpdevice", "throttling_failure_count"): gettext_lazy(
        "số lần nhập sai mã liên tiếp"
    ),
}

# What record_view writes in "viewed" (cases.services): which protected part was read.
_VIEWED = {"identity": gettext_lazy("danh tính người gửi")}

# Keys that are not fields and hold other records' public ids (an evaluation round's
# candidates, and its outcomes keyed by entry): shown as those records' names.
_PUBLIC_ID_KEYS = {
    ("movement.evaluationround", "candidates"): "movement.entry",
    ("movement.evaluationround", "outcomes"): "movement.entry",
}
# Keys that are not fields and hold a field's choices: shown as the choices' labels.
_CHOICE_KEYS = {("movement.evaluationround", "outcomes"): ("movement.roundcandidate", "outcome")}

# A long value (a staged import, a list of errors) is cut: the page stays small.
MAX_VALUE_CHARS = 300

EMPTY = "—"


@dataclass(frozen=True)
class ChangeLine:
    field: str
    old: str
    new: str


@cache
def model_for(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _is_default_name(verbose_name: Any, name: str) -> bool:
    """True when Django made the verbose name up from the attribute's name."""
    return str(verbose_name) == name.replace("_", " ")


def model_title(label: str) -> str:
    """ "Vụ việc" for "cases.case"; the label itself for a model that no longer exists."""
    if label in _MODEL_NAMES:
        return str(capfirst(_MODEL_NAMES[label]))
    model = model_for(label)
    if model is None:
        return label
    meta = model._meta
    if _is_default_name(meta.verbose_name, meta.model_name or ""):
        return label
    return str(capfirst(meta.verbose_name))


def _field(model: type[models.Model] | None, name: str) -> Any:
    """The model's field, reverse relation or m2m called *name* (or whose column is)."""
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        pass
    for field in model._meta.concrete_fields:
        if field.attname == name:
            return field
    return None


def field_title(model: type[models.Model] | None, name: str) -> str:
    """The field's label as the forms show it. Never raises: a reverse relation of any
    kind (one to many, one to one, many to many: none has a verbose_name or a
    primary_key attribute) is named after the model on its other side, an unknown key
    after the tables above or, at worst, the key itself."""
    field = _field(model, name)
    label: Any = None
    if model is not None and (model._meta.label_lower, name) in _MODEL_FIELD_NAMES:
        label = _MODEL_FIELD_NAMES[(model._meta.label_lower, name)]
    elif field is not None:
        if isinstance(field, models.ForeignObjectRel):
            other: Any = field.related_model  # a model class: "self" is resolved by then
            label = model_title(other._meta.label_lower)
        elif getattr(field, "primary_key", False) and name == "id":
            label = _FIELD_NAMES["id"]  # Django's own label is the English "ID"
        elif not _is_default_name(getattr(field, "verbose_name", name), field.name):
            label = field.verbose_name
        elif field.is_relation and field.related_model is not None:
            label = _FIELD_NAMES.get(name) or model_title(field.related_model._meta.label_lower)
    if label is None:
        label = _FIELD_NAMES.get(name, name)
    return str(capfirst(str(label)))


def _cut(text: str) -> str:
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


def _parse_datetime(value: str) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment


def _scalar(field: Any, value: Any, names: dict[tuple[str, Any], str]) -> str:
    """One stored value as a person reads it, using what *field* says it is."""
    if value is None or value == "":
        return EMPTY
    if value == MASK:
        return MASK
    if value is True:
        return _("Có")
    if value is False:
        return _("Không")
    if field is not None and field.concrete:
        choices = getattr(field, "flatchoices", None)
        if choices:
            for key, text in choices:
                if key == value or str(key) == str(value):
                    return str(text)
        if field.is_relation and field.related_model is not None:
            target = field.related_model._meta.label_lower
            return names.get((target, _key(value)), f"#{value}")
        if isinstance(value, str):
            if isinstance(field, models.DateTimeField):
                moment = _parse_datetime(value)
                return f"{moment:%d/%m/%Y %H:%M}" if moment else value
            if isinstance(field, models.DateField):
                try:
                    return f"{dt.date.fromisoformat(value):%d/%m/%Y}"
                except ValueError:
                    return value
            if isinstance(field, models.TimeField):
                return value[:5]
            if isinstance(field, models.DecimalField):
                try:
                    return str(formats.number_format(decimal.Decimal(value)))
                except decimal.InvalidOperation:
                    return value
            if isinstance(field, models.FileField):
                return posixpath.basename(value)
    if isinstance(value, float | decimal.Decimal):
        return str(formats.number_format(value))
    return str(value)


def _hinted(label: str, name: str, value: Any, names: dict[tuple[str, Any], str]) -> str | None:
    """A value of a key listed in _PUBLIC_ID_KEYS / _CHOICE_KEYS, or None for other keys."""
    target = _PUBLIC_ID_KEYS.get((label, name))
    if target is None:
        return None
    choice = _CHOICE_KEYS.get((label, name))
    choice_field = _field(model_for(choice[0]), choice[1]) if choice else None

    def record(public_id: Any) -> str:
        return names.get((target, f"public:{_uuid_or_none(public_id)}"), str(public_id))

    if isinstance(value, dict):
        text = "; ".join(
            f"{record(k)}: {_scalar(choice_field, v, names)}" for k, v in value.items()
        )
    elif isinstance(value, list | tuple):
        text = " | ".join(record(v) for v in value)
    else:
        return None
    return _cut(text) or EMPTY


def _value(
    model: type[models.Model] | None, name: str, value: Any, names: dict[tuple[str, Any], str]
) -> str:
    field = _field(model, name)
    if model is not None:
        hinted = _hinted(model._meta.label_lower, name, value, names)
        if hinted is not None:
            return hinted
    if name in SECRET_FIELDS and value not in (None, "", MASK, "••••••"):
        return MASK  # a password hash written before services masked it
    if name == "viewed" and isinstance(value, str):
        return _viewed(value)
    if isinstance(value, dict):
        # A row of a related table (a criterion) or a map (an outcome per entry).
        related = field.related_model if field is not None and field.is_relation else None
        parts = [
            f"{field_title(related, str(k))}: {_value(related, str(k), v, names)}"
            if related is not None
            else f"{k}: {_value(None, '', v, names)}"
            for k, v in value.items()
            if k != "id"
        ]
        return _cut("; ".join(parts)) or EMPTY
    if isinstance(value, list | tuple):
        # An m2m's or a reverse relation's members, or several values of one field.
        inner = field if field is not None and field.concrete else None
        if field is not None and field.many_to_many:
            inner = None
        return _cut(" | ".join(_value_of(inner, model, name, v, names) for v in value)) or EMPTY
    return _cut(_scalar(field, value, names))


def _value_of(
    inner: Any,
    model: type[models.Model] | None,
    name: str,
    value: Any,
    names: dict[tuple[str, Any], str],
) -> str:
    if isinstance(value, dict | list | tuple):
        return _value(model, name, value, names)
    return _scalar(inner, value, names)


def _viewed(value: str) -> str:
    if value in _VIEWED:
        return str(_VIEWED[value])
    if value.startswith("scan "):
        return _("bản quét đơn số %(n)s") % {"n": value[5:]}
    return value


def _key(value: Any) -> Any:
    """A primary key as the lookup table holds it (ids are numbers or UUID strings)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return str(value)


@dataclass
class _Wanted:
    """What a page of events needs named: primary keys and public ids, per model."""

    pks: dict[type[models.Model], set[Any]] = dataclasses.field(
        default_factory=lambda: defaultdict(set)
    )
    public_ids: dict[type[models.Model], set[uuid.UUID]] = dataclasses.field(
        default_factory=lambda: defaultdict(set)
    )


def _members(value: Any) -> list[Any]:
    """The public ids in a hinted value: a list of them, or a map keyed by them."""
    if isinstance(value, dict):
        return list(value)
    return list(value) if isinstance(value, list) else []


def _wanted(events: Iterable[Any]) -> _Wanted:
    wanted = _Wanted()
    for event in events:
        model = model_for(event.model_label)
        for name, pair in (event.changes or {}).items():
            values = pair if isinstance(pair, list) else [pair]
            target = model_for(_PUBLIC_ID_KEYS.get((event.model_label, name), ""))
            if target is not None:
                for value in values:
                    ids = (_uuid_or_none(m) for m in _members(value))
                    wanted.public_ids[target].update(i for i in ids if i is not None)
                continue
            rel = _field(model, name)
            if rel is None or not rel.concrete or not rel.is_relation or not rel.related_model:
                continue
            for value in values:
                if value in (None, "", MASK) or isinstance(value, dict | list):
                    continue
                key = _pk_or_none(rel.related_model._meta.pk, value)
                if key is not None:
                    wanted.pks[rel.related_model].add(key)
    return wanted


def _uuid_or_none(text: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(text))
    except ValueError:
        return None


def _pk_or_none(pk_field: Any, raw: Any) -> Any:
    """*raw* as the model's primary key, or None for a value of another type (shown as
    "#value" then, never looked up: a text in an integer column would fail on PostgreSQL)."""
    try:
        return pk_field.to_python(raw)
    except ValidationError:
        return None


def _load_names(wanted: _Wanted) -> dict[tuple[str, Any], str]:
    """One query per model: each record's str(), as object_repr shows it elsewhere on the
    page (its forward foreign keys in the same query: several __str__ read one); records
    named by public id (entries) by their name."""
    names: dict[tuple[str, Any], str] = {}
    for model, keys in wanted.pks.items():
        label = model._meta.label_lower
        related = [f.name for f in model._meta.concrete_fields if f.many_to_one]
        for obj in model._default_manager.select_related(*related).filter(pk__in=keys):
            names[(label, _key(obj.pk))] = _cut(str(obj))
    for model, public_ids in wanted.public_ids.items():
        label = model._meta.label_lower
        rows = model._default_manager.filter(public_id__in=public_ids).values_list(
            "public_id", "name"
        )
        for public_id, text in rows:
            names[(label, f"public:{public_id}")] = _cut(str(text))
    return names


def change_lines(events: Sequence[Any]) -> dict[int, list[ChangeLine]]:
    """{event id: its changes as lines}, for a page of events, in a constant number of
    queries (one per kind of record that a changed foreign key points to)."""
    names = _load_names(_wanted(events))
    out: dict[int, list[ChangeLine]] = {}
    for event in events:
        model = model_for(event.model_label)
        rows = []
        for name, pair in sorted((event.changes or {}).items()):
            if isinstance(pair, list) and len(pair) == 2:
                old, new = pair
            else:
                old, new = None, pair
            rows.append(
                ChangeLine(
                    field=field_title(model, name),
                    old=_value(model, name, old, names),
                    new=_value(model, name, new, names),
                )
            )
        out[event.pk] = rows
    return out
