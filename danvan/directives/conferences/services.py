"""Every write of conferences: record and correct a conference, its delegates, its
participating points and their attendance, its speeches, its conclusion and the
conclusion notice.

Each service runs in one transaction, writes the audit row and raises a DomainError
(nothing written) when a rule refuses. The ``*_checks`` functions are the one pass over
a form's fields that both the services and the forms run, so an officer sees every
problem at once, each saying why and what is allowed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.audit import services as audit
from danvan.audit.models import AuditEvent
from danvan.core import docnumber
from danvan.core.bulk_insert import insert_rows
from danvan.core.errors import Checks, DomainError
from danvan.core.validators import one_of
from danvan.legal.layouts import layout_for
from danvan.units.models import Official, Unit, UnitKind

from .errors import ConferenceError
from .models import (
    NAME_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Conference,
    ConferenceKind,
    Delegate,
    Half,
    IssuerFamily,
    Point,
    Speech,
)

# A conference is recorded once it is in a work programme: the annual programme
# (chương trình công tác năm) schedules the next year's reviews, so up to 31 December
# of the next year.
# Free texts beyond the short fields (agenda, conclusion, a speech's summary).
TEXT_MAX_LENGTH = 10_000
# The number systems (core.docnumber) each issuer family numbers its notices in.
NUMBER_SYSTEMS: dict[str, tuple[str, ...]] = {
    IssuerFamily.STATE: ("state",),
    IssuerFamily.PARTY: ("party",),
}
# A notice (thông báo) is typed TB (Decree 30/2020 Appendix III; Party Regulation 399-QĐ/TW).
NOTICE_TYPE = "TB"


def _require(actor: Any, conference_unit: Unit) -> None:
    # actor None: the system itself (the demo seeder), as in the other services.
    if actor is not None:
        policies.require(actor, Perm.DIRECTIVE_MANAGE, conference_unit)


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def today() -> dt.date:
    return timezone.localdate()


def _line(value: Any) -> str:
    return " ".join(str(value or "").split())


def _text(value: Any) -> str:
    lines = [" ".join(line.split()) for line in str(value or "").strip().splitlines()]
    return "\n".join(lines).strip()


def _check_length(
    checks: Checks, value: str, *, limit: int, label: str, field: str, required: bool = False
) -> None:
    if required and not value:
        checks.refuse(
            ConferenceError.EMPTY, _("Cần ghi %(label)s.") % {"label": label.lower()}, field=field
        )
    elif len(value) > limit:
        checks.refuse(
            ConferenceError.TOO_LONG,
            _("%(label)s dài tối đa %(n)s ký tự (bạn đã nhập %(m)s).")
            % {"label": label, "n": limit, "m": len(value)},
            field=field,
        )


def _half_label(half: int | None) -> str:
    return str(Half(half).label) if half is not None and half in Half.values else ""


# -- the conference -----------------------------------------------------------------------


def _duplicate(
    *, unit: Unit, kind: str, year: int | None, half: int | None, instance: Conference | None
) -> Conference | None:
    """The review of the same level and period already recorded (a half-year or annual
    review is held once per period; thematic conferences may be many)."""
    if kind == ConferenceKind.THEMATIC or year is None:
        return None
    rows = Conference.objects.filter(unit=unit, kind=kind, period_year=year, period_half=half)
    if instance is not None and instance.pk is not None:
        rows = rows.exclude(pk=instance.pk)
    return rows.first()


def conference_checks(
    data: Mapping[str, Any], *, unit: Unit, instance: Conference | None = None
) -> dict[str, Any]:
    """Check a conference's fields (kind, title, held_on, place, online, chair,
    period_year, period_half, agenda) in one pass; return them cleaned."""
    checks = Checks()
    fields: dict[str, Any] = {}
    kind = str(data.get("kind") or "")
    if kind not in ConferenceKind.values:
        checks.refuse(
            ConferenceError.BAD_KIND,
            one_of(_("Loại hội nghị"), ConferenceKind.labels),
            field="kind",
        )
    else:
        fields["kind"] = kind
    title = _line(data.get("title"))
    _check_length(
        checks, title, limit=TITLE_MAX_LENGTH, label=_("Tên hội nghị"), field="title", required=True
    )
    fields["title"] = title
    held_on = data.get("held_on")
    if not isinstance(held_on, dt.date):
        checks.refuse(
            ConferenceError.BAD_DATE, _("Cần ghi ngày tổ chức hội nghị."), field="held_on"
        )
        held_on = None
    elif held_on.year > today().year + 1:
        checks.refuse(
            ConferenceError.BAD_DATE,
            _(
                "Ngày %(day)s quá xa: hội nghị được ghi khi đã có trong chương trình công tác,"
                " tức đến hết năm sau (31/12/%(last)s)."
            )
            % {"day": f"{held_on:%d/%m/%Y}", "last": today().year + 1},
            field="held_on",
        )
    else:
        fields["held_on"] = held_on
    place = _line(data.get("place"))
    _check_length(checks, place, limit=300, label=_("Địa điểm"), field="place")
    fields["place"] = place
    fields["online"] = bool(data.get("online"))
    agenda = _text(data.get("agenda"))
    _check_length(checks, agenda, limit=TEXT_MAX_LENGTH, label=_("Chương trình"), field="agenda")
    fields["agenda"] = agenda
    chair = data.get("chair")
    if chair is not None and not isinstance(chair, Official):
        chair = None
    if chair is not None and not chair.unit.is_descendant_of(unit):
        checks.refuse(
            ConferenceError.BAD_OFFICIAL,
            _(
                "%(name)s (%(unit)s) không thuộc %(level)s: người chủ trì chọn trong danh bạ"
                " cán bộ của cấp tổ chức hội nghị và các đơn vị trực thuộc."
            )
            % {"name": chair.full_name, "unit": chair.unit.name, "level": unit.name},
            field="chair",
        )
    else:
        fields["chair"] = chair
        # The name and position held at the conference, kept whatever the directory says later.
        if chair is not None:
            fields["chair_name"] = chair.full_name
            fields["chair_position"] = chair.position
        elif "chair" in data:
            fields["chair_name"] = fields["chair_position"] = ""
    year, half = _period_checks(checks, data, kind=kind, held_on=held_on)
    fields["period_year"], fields["period_half"] = year, half
    if not checks and held_on is not None:
        found = _duplicate(unit=unit, kind=kind, year=year, half=half, instance=instance)
        if found is not None:
            checks.refuse(
                ConferenceError.DUPLICATE,
                _(
                    "%(unit)s đã có hội nghị %(kind)s %(period)s: “%(title)s” ngày %(day)s. Mở"
                    " hội nghị đó để sửa thay vì ghi lần nữa."
                )
                % {
                    "unit": unit.name,
                    "kind": ConferenceKind(kind).label.lower(),
                    "period": period_label(year, half),
                    "title": found.title,
                    "day": f"{found.held_on:%d/%m/%Y}",
                },
                field="period_year",
            )
    checks.raise_if_any()
    return fields


def period_label(year: int | None, half: int | None) -> str:
    if year is None:
        return ""
    if half in Half.values:
        return _("%(half)s năm %(year)s") % {"half": _half_label(half).lower(), "year": year}
    return _("năm %(year)s") % {"year": year}


def _as_int(value: Any) -> int | None:
    if isinstance(value, int):
        return value
    text = str(value or "").strip()
    return int(text) if text.isdigit() else None


def _period_checks(
    checks: Checks, data: Mapping[str, Any], *, kind: str, held_on: dt.date | None
) -> tuple[int | None, int | None]:
    """The period a review covers: a half-year review names the year and the half, an
    annual review the year alone; a thematic conference may name a year."""
    year, half = _as_int(data.get("period_year")), _as_int(data.get("period_half"))
    if half is not None and half not in Half.values:
        checks.refuse(
            ConferenceError.BAD_PERIOD, one_of(_("Sáu tháng"), Half.labels), field="period_half"
        )
        return year, None
    if kind in (ConferenceKind.HALF_YEAR_REVIEW, ConferenceKind.ANNUAL_REVIEW) and year is None:
        checks.refuse(
            ConferenceError.BAD_PERIOD,
            _("Hội nghị sơ kết, tổng kết cần ghi năm được sơ kết, tổng kết (ví dụ 2027)."),
            field="period_year",
        )
    if kind == ConferenceKind.HALF_YEAR_REVIEW and half is None:
        checks.refuse(
            ConferenceError.BAD_PERIOD,
            _("Hội nghị sơ kết 6 tháng cần chọn 6 tháng đầu năm hoặc 6 tháng cuối năm."),
            field="period_half",
        )
    if kind in (ConferenceKind.ANNUAL_REVIEW, ConferenceKind.THEMATIC) and half is not None:
        checks.refuse(
            ConferenceError.BAD_PERIOD,
            _("Chỉ hội nghị sơ kết 6 tháng mới chọn sáu tháng; để trống với loại hội nghị này."),
            field="period_half",
        )
        half = None
    if kind == ConferenceKind.THEMATIC and half is None and year is None:
        return None, None
    if year is not None and held_on is not None and not held_on.year - 1 <= year <= held_on.year:
        # A review is held during the period or just after it (the next January).
        checks.refuse(
            ConferenceError.BAD_PERIOD,
            _(
                "Năm %(year)s không khớp ngày tổ chức %(day)s: hội nghị sơ kết, tổng kết năm"
                " nào tổ chức trong năm đó hoặc đầu năm sau."
            )
            % {"year": year, "day": f"{held_on:%d/%m/%Y}"},
            field="period_year",
        )
    return year, half


_CONFERENCE_KEYS = (
    "kind",
    "title",
    "held_on",
    "place",
    "online",
    "chair",
    "period_year",
    "period_half",
    "agenda",
)


@transaction.atomic
def conference_create(*, actor: Any, unit: Unit, data: Mapping[str, Any]) -> Conference:
    """Record a conference *unit* holds. *data*: kind, title, held_on, place, online,
    chair (an Official of the unit's subtree, or None), period_year, period_half, agenda."""
    _require(actor, unit)
    fields = conference_checks({k: data.get(k) for k in _CONFERENCE_KEYS}, unit=unit)
    conference = Conference.objects.create(unit=unit, created_by=_user(actor), **fields)
    audit.record_create(actor=actor, instance=conference)
    return conference


@transaction.atomic
def conference_update(*, actor: Any, conference: Conference, data: Mapping[str, Any]) -> Conference:
    """Correct the fields present in *data* (the others keep their values)."""
    _require(actor, conference.unit)
    conference = _locked(conference)
    values = {k: getattr(conference, k) for k in _CONFERENCE_KEYS}
    values.update({k: v for k, v in data.items() if k in values})
    if values.get("chair") == conference.chair:
        # The same chair (or still none): keep the name and position copied at the time,
        # even when the official has left the directory since.
        values.pop("chair")
        fields = conference_checks(values, unit=conference.unit, instance=conference)
        fields.pop("chair", None)
    else:
        fields = conference_checks(values, unit=conference.unit, instance=conference)
    before = audit.snapshot(conference)
    for name, value in fields.items():
        setattr(conference, name, value)
    conference.save()
    audit.record_update(actor=actor, instance=conference, before=before)
    return conference


def _locked(conference: Conference) -> Conference:
    # The unit only: FOR UPDATE refuses the nullable side of an outer join (the chair).
    return Conference.objects.select_for_update().select_related("unit").get(pk=conference.pk)


# -- delegates -------------------------------------------------------------------------------


def delegate_checks(
    *,
    conference: Conference,
    official: Official | None,
    name: str,
    position: str,
    organisation: str,
) -> dict[str, Any]:
    """A delegate is an official of the directory, or a guest written by name."""
    checks = Checks()
    name, position, organisation = _line(name), _line(position), _line(organisation)
    if official is not None:
        if Delegate.objects.filter(conference=conference, official=official).exists():
            checks.refuse(
                ConferenceError.DUPLICATE,
                _("%(name)s đã có trong danh sách đại biểu.") % {"name": official.full_name},
                field="official",
            )
        name = name or official.full_name
        position = position or official.position
        organisation = organisation or official.unit.name
    elif not name:
        checks.refuse(
            ConferenceError.EMPTY,
            _("Chọn cán bộ trong danh bạ, hoặc ghi họ tên đại biểu khách mời."),
            field="name",
        )
    _check_length(checks, name, limit=NAME_MAX_LENGTH, label=_("Họ và tên"), field="name")
    _check_length(checks, position, limit=NAME_MAX_LENGTH, label=_("Chức vụ"), field="position")
    _check_length(checks, organisation, limit=300, label=_("Cơ quan, đơn vị"), field="organisation")
    checks.raise_if_any()
    return {"name": name, "position": position, "organisation": organisation}


@transaction.atomic
def delegate_add(
    *,
    actor: Any,
    conference: Conference,
    official: Official | None = None,
    name: str = "",
    position: str = "",
    organisation: str = "",
    attended: bool = True,
) -> Delegate:
    _require(actor, conference.unit)
    fields = delegate_checks(
        conference=conference,
        official=official,
        name=name,
        position=position,
        organisation=organisation,
    )
    delegate = Delegate.objects.create(
        conference=conference, official=official, attended=attended, **fields
    )
    audit.record_create(actor=actor, instance=delegate)
    return delegate


@transaction.atomic
def delegate_remove(*, actor: Any, delegate: Delegate) -> None:
    """Remove a delegate recorded by mistake (the audit row keeps who it was)."""
    _require(actor, delegate.conference.unit)
    audit.record_delete(actor=actor, instance=delegate)
    delegate.delete()


# -- participating points -----------------------------------------------------------------------


@transaction.atomic
def points_add_communes(*, actor: Any, conference: Conference, expected: int = 0) -> int:
    """Make every commune of the conference's level a participating point (those not
    yet one), in one INSERT whatever their number (a province has about 100 communes,
    the nation 3,321). Returns how many were added. Only for online conferences."""
    _require(actor, conference.unit)
    conference = _locked(conference)
    if not conference.online:
        raise DomainError(
            ConferenceError.NOT_ONLINE.value,
            _(
                "Hội nghị này không tổ chức trực tuyến nên không có điểm cầu. Sửa hội nghị,"
                " đánh dấu “Trực tuyến” rồi thêm điểm cầu."
            ),
        )
    if expected < 0:
        raise DomainError(
            ConferenceError.BAD_COUNT.value,
            _("Số người dự kiến mỗi điểm cầu phải từ 0 trở lên."),
            field="expected",
        )
    communes = (
        Unit.objects.filter(policies.subtree_q(conference.unit))
        .filter(kind=UnitKind.COMMUNE, valid_to__isnull=True)
        .exclude(pk__in=Point.objects.filter(conference=conference).values("unit_id"))
        .order_by("path")
        .values_list("pk", flat=True)
    )
    rows = [
        {"conference_id": conference.pk, "unit_id": pk, "expected": expected} for pk in communes
    ]
    before = conference.points.count()
    insert_rows(Point, rows)
    if rows:
        # One row of the trail for the whole batch: the conference's count of points.
        audit.record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=conference,
            changes={"points": [before, before + len(rows)]},
        )
    return len(rows)


@dataclass(frozen=True)
class Attendance:
    """What an officer records for one point: connected, people expected and present."""

    connected: bool
    expected: int | None
    attended: int | None


def attendance_checks(
    *, conference: Conference, rows: Mapping[int, Attendance], points: Mapping[int, Point]
) -> None:
    """Every row at once; a problem names its field ``p<pk>_<name>``."""
    checks = Checks()
    for pk, row in rows.items():
        point = points.get(pk)
        if point is None:
            checks.refuse(
                ConferenceError.BAD_POINT,
                _("Một điểm cầu gửi lên không thuộc hội nghị này; tải lại trang rồi nhập lại."),
            )
            continue
        for name, value in (("expected", row.expected), ("attended", row.attended)):
            if value is not None and value < 0:
                checks.refuse(
                    ConferenceError.BAD_COUNT,
                    _("Số người phải từ 0 trở lên (%(point)s).") % {"point": point.unit.name},
                    field=f"p{pk}_{name}",
                )
        if not row.connected and row.attended:
            checks.refuse(
                ConferenceError.BAD_COUNT,
                _(
                    "%(point)s chưa đánh dấu đã kết nối nên không thể có %(n)s người dự: đánh"
                    " dấu “Đã kết nối” hoặc ghi 0."
                )
                % {"point": point.unit.name, "n": row.attended},
                field=f"p{pk}_attended",
            )
    checks.raise_if_any()


@transaction.atomic
def points_record_attendance(
    *, actor: Any, conference: Conference, rows: Mapping[int, Attendance]
) -> int:
    """Record attendance for many points at once (a page of the attendance form), in
    one UPDATE; returns how many points changed."""
    _require(actor, conference.unit)
    points = {
        p.pk: p
        for p in Point.objects.filter(conference=conference, pk__in=list(rows)).select_related(
            "unit", "conference__unit"
        )
    }
    attendance_checks(conference=conference, rows=rows, points=points)
    changed: list[tuple[Point, audit.Snapshot]] = []
    for pk, row in rows.items():
        point = points[pk]
        before = audit.snapshot(point)
        point.connected = row.connected
        if row.expected is not None:
            point.expected = row.expected
        point.attended = row.attended or 0
        if before != audit.snapshot(point):
            changed.append((point, before))
    if changed:
        Point.objects.bulk_update(
            [p for p, _b in changed], ["connected", "expected", "attended", "updated_at"]
        )
        audit.record_bulk_update(actor=actor, changes=changed)
    return len(changed)


# -- speeches -----------------------------------------------------------------------------------


def speech_checks(
    *, conference: Conference, speaker_name: str, position: str, unit: Unit | None, summary: str
) -> dict[str, Any]:
    checks = Checks()
    speaker_name, position, summary = _line(speaker_name), _line(position), _text(summary)
    _check_length(
        checks,
        speaker_name,
        limit=NAME_MAX_LENGTH,
        label=_("Người phát biểu"),
        field="speaker_name",
        required=True,
    )
    _check_length(checks, position, limit=NAME_MAX_LENGTH, label=_("Chức vụ"), field="position")
    _check_length(
        checks, summary, limit=TEXT_MAX_LENGTH, label=_("Tóm tắt nội dung"), field="summary"
    )
    checks.raise_if_any()
    return {"speaker_name": speaker_name, "position": position, "unit": unit, "summary": summary}


@transaction.atomic
def speech_add(
    *,
    actor: Any,
    conference: Conference,
    speaker_name: str,
    position: str = "",
    unit: Unit | None = None,
    summary: str = "",
    order: int | None = None,
) -> Speech:
    """Add a speech; without *order* it comes after the others."""
    _require(actor, conference.unit)
    fields = speech_checks(
        conference=conference,
        speaker_name=speaker_name,
        position=position,
        unit=unit,
        summary=summary,
    )
    if order is None:
        last = conference.speeches.order_by("-order").values_list("order", flat=True).first()
        order = (last or 0) + 1
    speech = Speech.objects.create(conference=conference, order=order, **fields)
    audit.record_create(actor=actor, instance=speech)
    return speech


@transaction.atomic
def speech_remove(*, actor: Any, speech: Speech) -> None:
    _require(actor, speech.conference.unit)
    audit.record_delete(actor=actor, instance=speech)
    speech.delete()


# -- the conclusion and its notice ----------------------------------------------------------------


def conclusion_checks(conclusion: str) -> str:
    checks = Checks()
    text = _text(conclusion)
    _check_length(
        checks, text, limit=TEXT_MAX_LENGTH, label=_("Kết luận"), field="conclusion", required=True
    )
    checks.raise_if_any()
    return text


@transaction.atomic
def conference_conclude(*, actor: Any, conference: Conference, conclusion: str) -> Conference:
    """Record (or correct) the conclusion of the conference: each of its assigning
    paragraphs can then become a task through the proposals pages."""
    _require(actor, conference.unit)
    text = conclusion_checks(conclusion)
    conference = _locked(conference)
    before = audit.snapshot(conference)
    conference.conclusion = text
    conference.concluded_at = timezone.now()
    conference.save(update_fields=["conclusion", "concluded_at", "updated_at"])
    audit.record_update(actor=actor, instance=conference, before=before)
    return conference


_NOTICE_KEYS = (
    "notice_number",
    "notice_on",
    "notice_place",
    "issuer_family",
    "issuer_body",
    "superior_body",
    "signer_name",
    "signer_position",
    "signing_authority",
    "recipients",
)


def notice_checks(data: Mapping[str, Any], *, conference: Conference) -> dict[str, Any]:
    """The conclusion notice's fields in one pass: a number-symbol of a notice in the
    issuer's numbering (State 15/TB-BCĐ, Party 05-TB/BCĐ), a date not before the
    conference, the issuer, and a signature headed as the issuer's layout heads it."""
    checks = Checks()
    fields: dict[str, Any] = {}
    if not conference.conclusion:
        checks.refuse(
            ConferenceError.NO_CONCLUSION,
            _("Ghi kết luận của hội nghị trước, rồi mới lập thông báo kết luận."),
        )
    family = str(data.get("issuer_family") or "")
    if family not in IssuerFamily.values:
        checks.refuse(
            ConferenceError.BAD_KIND,
            one_of(_("Khối cơ quan ban hành"), IssuerFamily.labels),
            field="issuer_family",
        )
        family = ""
    fields["issuer_family"] = family
    try:
        parsed = docnumber.parse(str(data.get("notice_number") or ""))
    except docnumber.DocumentNumberError as exc:
        checks.refuse(ConferenceError.BAD_NUMBER, str(exc), field="notice_number")
    else:
        fields["notice_number"] = parsed.raw
        if family and parsed.system not in NUMBER_SYSTEMS[family]:
            example = "15/TB-BCĐ" if family == IssuerFamily.STATE else "05-TB/BCĐ"
            checks.refuse(
                ConferenceError.BAD_NUMBER,
                _(
                    "Số %(number)s không phải số ký hiệu của %(family)s: với khối này viết"
                    " như %(example)s."
                )
                % {
                    "number": parsed.raw,
                    "family": IssuerFamily(family).label,
                    "example": example,
                },
                field="notice_number",
            )
        elif parsed.doc_type and parsed.doc_type != NOTICE_TYPE:
            checks.refuse(
                ConferenceError.BAD_NUMBER,
                _(
                    "Số %(number)s mang ký hiệu loại văn bản %(type)s; thông báo kết luận có"
                    " ký hiệu TB (ví dụ 15/TB-BCĐ hoặc 05-TB/BCĐ)."
                )
                % {"number": parsed.raw, "type": parsed.doc_type},
                field="notice_number",
            )
    notice_on = data.get("notice_on")
    if not isinstance(notice_on, dt.date):
        checks.refuse(ConferenceError.BAD_DATE, _("Cần ghi ngày thông báo."), field="notice_on")
    elif notice_on < conference.held_on:
        checks.refuse(
            ConferenceError.BAD_DATE,
            _(
                "Ngày thông báo %(day)s trước ngày hội nghị %(held)s: thông báo kết luận ban"
                " hành từ ngày hội nghị trở đi."
            )
            % {"day": f"{notice_on:%d/%m/%Y}", "held": f"{conference.held_on:%d/%m/%Y}"},
            field="notice_on",
        )
    else:
        fields["notice_on"] = notice_on
    for name, label, limit, required in (
        ("notice_place", _("Địa danh"), 100, True),
        ("issuer_body", _("Cơ quan ban hành"), 300, True),
        ("superior_body", _("Cơ quan cấp trên"), 300, False),
        ("signer_name", _("Người ký"), NAME_MAX_LENGTH, True),
        ("signer_position", _("Chức vụ người ký"), NAME_MAX_LENGTH, True),
    ):
        value = _line(data.get(name))
        _check_length(checks, value, limit=limit, label=label, field=name, required=required)
        fields[name] = value
    signing = _line(data.get("signing_authority")).upper()
    _check_length(checks, signing, limit=200, label=_("Thẩm quyền ký"), field="signing_authority")
    # The layout of the day typed, even if that day is refused above: both problems show.
    words = _signing_words(checks, family, notice_on if isinstance(notice_on, dt.date) else None)
    if signing and words and signing.split(" ", 1)[0] not in words:
        checks.refuse(
            ConferenceError.BAD_SIGNING,
            _(
                "Thẩm quyền ký “%(text)s” chưa đúng thể thức %(family)s: bắt đầu bằng"
                " %(allowed)s (ví dụ %(example)s), hoặc để trống nếu ký với chức vụ của"
                " mình."
            )
            % {
                "text": signing,
                "family": IssuerFamily(family).label,
                "allowed": ", ".join(words),
                "example": f"{words[0]} BAN CHỈ ĐẠO",
            },
            field="signing_authority",
        )
    fields["signing_authority"] = signing
    recipients = _text(data.get("recipients"))
    _check_length(checks, recipients, limit=2000, label=_("Nơi nhận"), field="recipients")
    fields["recipients"] = recipients
    checks.raise_if_any()
    return fields


def _signing_words(checks: Checks, family: str, on: dt.date | None) -> tuple[str, ...]:
    """The signing words ("TM.", "KT.", "TL." or "T/M", "K/T", "T/L") of the issuer's
    layout in force on the notice's date: layout data (danvan.legal.layouts), not
    constants, since the Party's layout was replaced in 2026 (domain.md §6b)."""
    if not family or on is None:
        return ()
    try:
        return tuple(layout_for(family, on).signing_words)
    except DomainError as exc:
        checks.refuse(exc.code, exc.message, field="notice_on")
        return ()


@transaction.atomic
def notice_record(*, actor: Any, conference: Conference, data: Mapping[str, Any]) -> Conference:
    """Record the conclusion notice's fields (number-symbol, date, issuer, signature,
    recipients); the notice then prints as a Word document (notice.py)."""
    _require(actor, conference.unit)
    conference = _locked(conference)
    fields = notice_checks({k: data.get(k) for k in _NOTICE_KEYS}, conference=conference)
    before = audit.snapshot(conference)
    for name, value in fields.items():
        setattr(conference, name, value)
    conference.save()
    audit.record_update(actor=actor, instance=conference, before=before)
    return conference
