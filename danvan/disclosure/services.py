"""Every write of disclosures: record one, correct it, add a form it used, add evidence.

Each service checks the actor's Perm.DEMOCRACY_MANAGE on the unit, validates, writes in
one transaction and records the audit rows; a refusal is a DomainError with a code and
a Vietnamese message, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.audit import services as audit
from danvan.core.errors import Checks, DomainError
from danvan.core.pagecache import place_changed
from danvan.core.uploads import check_upload
from danvan.core.validators import one_of
from danvan.units.models import Unit, UnitKind

from .errors import DisclosureError
from .models import (
    RULE_KIND_OF_UNIT,
    Disclosure,
    DisclosureChannel,
    DisclosureEvidence,
    DisclosureForm,
    DisclosureKind,
)


@dataclass(frozen=True)
class ChannelSpec:
    """One form a disclosure uses, with its own days (end None: still running)."""

    form: str
    start: dt.date
    end: dt.date | None = None
    place: str = ""


def _error(code: DisclosureError, message: str, field: str | None = None) -> DomainError:
    return DomainError(code.value, message, field=field)


def _require(actor: Any, unit: Unit) -> None:
    # actor None: the system itself (a loader, a command), as in the other services.
    if actor is not None:
        policies.require(actor, Perm.DEMOCRACY_MANAGE, unit)


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise _error(DisclosureError.EMPTY, message, field)
    return value


def _check_period(start: dt.date, end: dt.date | None, field: str = "end") -> None:
    if end is not None and end < start:
        raise _error(
            DisclosureError.BAD_DATE,
            _("Ngày kết thúc không được trước ngày bắt đầu (%(d)s).") % {"d": f"{start:%d/%m/%Y}"},
            field,
        )


def _check_kind(unit: Unit, kind: DisclosureKind, start: dt.date) -> None:
    """The kind must be of the unit's list (Law 10/2022/QH15: Điều 11 for communes,
    Chương III for agencies, Chương IV for enterprises) and in force on the first day."""
    rule_kind = RULE_KIND_OF_UNIT.get(unit.kind)
    if rule_kind is None:
        raise _error(
            DisclosureError.BAD_UNIT,
            _("%(kind)s không thuộc diện ghi nhận công khai theo Luật Thực hiện dân chủ ở cơ sở.")
            % {"kind": UnitKind(unit.kind).label},
            "unit",
        )
    if kind.unit_kind != rule_kind:
        raise _error(
            DisclosureError.BAD_KIND,
            _("Loại nội dung “%(title)s” không áp dụng cho %(unit)s.")
            % {"title": kind.title, "unit": unit.name},
            "kind",
        )
    if not kind.is_valid_on(start):
        raise _error(
            DisclosureError.BAD_KIND,
            _("Loại nội dung “%(title)s” không có hiệu lực vào ngày %(d)s.")
            % {"title": kind.title, "d": f"{start:%d/%m/%Y}"},
            "kind",
        )


def _check_unit_open(unit: Unit) -> None:
    if unit.is_historical:
        raise _error(
            DisclosureError.BAD_UNIT,
            _("Đơn vị %(name)s đã ngừng hoạt động.") % {"name": unit.name},
            "unit",
        )


def _check_channel(spec: ChannelSpec, start: dt.date) -> None:
    if spec.form not in DisclosureForm.values:
        raise _error(
            DisclosureError.BAD_CHANNEL,
            one_of(_("Hình thức công khai"), DisclosureForm.labels),
            "form",
        )
    if spec.end is not None and spec.end < spec.start:
        raise _error(
            DisclosureError.BAD_DATE,
            _("%(form)s: ngày kết thúc không được trước ngày bắt đầu (%(d)s).")
            % {"form": DisclosureForm(spec.form).label, "d": f"{spec.start:%d/%m/%Y}"},
            "end",
        )
    if spec.start < start:
        raise _error(
            DisclosureError.BAD_DATE,
            _("%(form)s: không được bắt đầu trước ngày công khai (%(d)s).")
            % {"form": DisclosureForm(spec.form).label, "d": f"{start:%d/%m/%Y}"},
            "start",
        )


def _add_channel(actor: Any, disclosure: Disclosure, spec: ChannelSpec) -> DisclosureChannel:
    channel = DisclosureChannel.objects.create(
        disclosure=disclosure,
        form=spec.form,
        place=(spec.place or "").strip(),
        start=spec.start,
        end=spec.end,
    )
    audit.record_create(actor=actor, instance=channel)
    return channel


def disclosure_checks(data: dict[str, Any], *, unit: Unit) -> None:
    """The rules on a disclosure of *unit*, for the keys present in *data*
    (disclosure_create's keyword names); one DomainError lists every problem.
    DisclosureEditForm runs it too, so its errors and these show in one answer."""
    checks = Checks()
    if "title" in data and not (data["title"] or "").strip():
        checks.refuse(
            DisclosureError.EMPTY, _("Cần ghi tiêu đề nội dung công khai."), field="title"
        )
    start, end = data.get("start"), data.get("end")
    if start is not None:
        with checks.collect():
            _check_period(start, end)
        if data.get("kind") is not None:
            with checks.collect():
                _check_kind(unit, data["kind"], start)
    checks.raise_if_any()


@transaction.atomic
def disclosure_create(
    *,
    actor: Any,
    unit: Unit,
    kind: DisclosureKind,
    title: str,
    summary: str = "",
    start: dt.date,
    end: dt.date | None = None,
    due_on: dt.date | None = None,
    is_public: bool = False,
    channels: Sequence[ChannelSpec] = (),
) -> Disclosure:
    """Record that *unit* disclosed a content of *kind* from *start*, with its forms."""
    _require(actor, unit)
    _check_unit_open(unit)
    disclosure_checks({"kind": kind, "title": title, "start": start, "end": end}, unit=unit)
    title = title.strip()
    for spec in channels:
        _check_channel(spec, start)
    disclosure = Disclosure.objects.create(
        unit=unit,
        kind=kind,
        title=title,
        summary=(summary or "").strip(),
        start=start,
        end=end,
        due_on=due_on,
        is_public=is_public,
        created_by=_user(actor),
    )
    audit.record_create(actor=actor, instance=disclosure)
    for spec in channels:
        _add_channel(actor, disclosure, spec)
    if is_public:
        place_changed(unit)
    return disclosure


@transaction.atomic
def disclosure_update(
    *,
    actor: Any,
    disclosure: Disclosure,
    kind: DisclosureKind,
    title: str,
    summary: str = "",
    start: dt.date,
    end: dt.date | None = None,
    due_on: dt.date | None = None,
    is_public: bool = False,
) -> Disclosure:
    """Correct a disclosure (every field as the form shows it); its forms stay."""
    _require(actor, disclosure.unit)
    disclosure = Disclosure.objects.select_for_update().select_related("unit").get(pk=disclosure.pk)
    disclosure_checks(
        {"kind": kind, "title": title, "start": start, "end": end}, unit=disclosure.unit
    )
    title = title.strip()
    first = (
        DisclosureChannel.objects.filter(disclosure=disclosure)
        .order_by("start")
        .values_list("start", flat=True)
        .first()
    )
    if first is not None and first < start:
        raise _error(
            DisclosureError.BAD_DATE,
            _("Đã có hình thức công khai bắt đầu ngày %(d)s, trước ngày công khai mới.")
            % {"d": f"{first:%d/%m/%Y}"},
            "start",
        )
    before = audit.snapshot(disclosure)
    disclosure.kind = kind
    disclosure.title = title
    disclosure.summary = (summary or "").strip()
    disclosure.start = start
    disclosure.end = end
    disclosure.due_on = due_on
    disclosure.is_public = is_public
    disclosure.save()
    audit.record_update(actor=actor, instance=disclosure, before=before)
    place_changed(disclosure.unit)  # published, withdrawn or corrected
    return disclosure


@transaction.atomic
def channel_add(
    *,
    actor: Any,
    disclosure: Disclosure,
    form: str,
    start: dt.date,
    end: dt.date | None = None,
    place: str = "",
) -> DisclosureChannel:
    """Record one more form a disclosure used, with its own days."""
    _require(actor, disclosure.unit)
    spec = ChannelSpec(form=form, start=start, end=end, place=place)
    _check_channel(spec, disclosure.start)
    return _add_channel(actor, disclosure, spec)


@transaction.atomic
def channel_remove(*, actor: Any, channel: DisclosureChannel) -> None:
    """Remove a form recorded by mistake (the audit trail keeps what it was)."""
    _require(actor, channel.disclosure.unit)
    audit.record_delete(actor=actor, instance=channel)
    channel.delete()


@transaction.atomic
def evidence_add(
    *,
    actor: Any,
    disclosure: Disclosure,
    file: UploadedFile,
    caption: str = "",
    is_public: bool = False,
) -> DisclosureEvidence:
    """Attach a photo or document proving *disclosure*; the file is checked by content.

    *is_public*: the file is the disclosed document itself and the citizens' portal may
    serve it (while the disclosure is public). Photos never are: a picture of the notice
    board is proof for the officers and may show people (Law 91/2025/QH15).
    """
    _require(actor, disclosure.unit)
    content_type = check_upload(file, code=DisclosureError.BAD_FILE.value)
    if is_public and content_type.startswith("image/"):
        raise _error(
            DisclosureError.BAD_FILE,
            _(
                "Ảnh minh chứng chỉ dùng nội bộ, không công bố trên cổng thông tin. "
                "Chỉ công bố tài liệu PDF, DOCX hoặc XLSX."
            ),
            "is_public",
        )
    evidence = DisclosureEvidence(
        disclosure=disclosure,
        original_name=(file.name or "")[:255],
        content_type=content_type,
        size=file.size or 0,
        caption=(caption or "").strip()[:300],
        is_public=is_public,
        created_by=_user(actor),
    )
    evidence.file.save(file.name or "evidence", file, save=False)
    evidence.save()
    audit.record_create(actor=actor, instance=evidence)
    return evidence
