"""Every write of citizen reception: the leaders' reception schedules and the sessions held.

A schedule says which leader receives citizens, when and where, and which legal minimum
applies to that leader (domain.md §5: the commune chair at least one day a week, the
province chair at least one day a month; the figures are DutyRule data, read by
reception.selectors.reception_shortfalls). Schedules are published on the portal.
A session is one reception actually held; the cases opened from it point back to it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.audit import services as audit
from danvan.core.errors import Checks, DomainError
from danvan.core.pagecache import place_changed
from danvan.core.validators import one_of
from danvan.legal.models import Duty
from danvan.units.models import Official, Unit, UnitKind

from ..errors import CaseError
from ..models import ReceptionSchedule, ReceptionSession

# Which kind of unit each legal duty belongs to: the chair of a commune's People's
# Committee, or of a province's (Law on Citizen Reception 2013, the chairs' reception
# duty; the figures and the exact citation are in the DutyRule rows).
DUTY_UNIT_KIND: dict[str, str] = {
    Duty.RECEPTION_COMMUNE_CHAIR: UnitKind.COMMUNE,
    Duty.RECEPTION_PROVINCE_CHAIR: UnitKind.PROVINCE,
}
# The days a schedule may name: weekly 0 (Monday) … 6 (Sunday); monthly 1 … 28, so that
# every month has the day.
DAY_RANGE: dict[str, tuple[int, int]] = {
    ReceptionSchedule.Pattern.WEEKLY: (0, 6),
    ReceptionSchedule.Pattern.MONTHLY: (1, 28),
}


def _error(code: CaseError, message: str, field: str | None = None) -> DomainError:
    return DomainError(code.value, message, field=field)


def _require(actor: Any, perm: Perm, unit: Unit) -> None:
    # actor None: the system itself (a loader, a command), as in the other services.
    if actor is not None:
        policies.require(actor, perm, unit)


def today() -> dt.date:
    return timezone.localdate()


def _text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise _error(CaseError.EMPTY, message, field)
    return value


def _check_unit_open(unit: Unit, code: CaseError) -> None:
    if unit.is_historical:
        raise _error(code, _("Đơn vị %(name)s đã ngừng hoạt động.") % {"name": unit.name}, "unit")


# --- schedules -------------------------------------------------------------------------


def _after_start_message(valid_from: dt.date) -> str:
    return _("Ngày kết thúc không được trước ngày áp dụng (%(d)s): chọn từ ngày %(d)s trở đi.") % {
        "d": f"{valid_from:%d/%m/%Y}"
    }


def schedule_checks(data: dict[str, Any], *, unit: Unit) -> None:
    """The rules on a new schedule of *unit*, for the keys present in *data*
    (schedule_create's keyword names); one DomainError lists every problem. ScheduleForm
    runs it too, so the officer sees its errors and these in one answer."""
    checks = Checks()
    with checks.collect():
        _check_unit_open(unit, CaseError.BAD_SCHEDULE)
    leader = data.get("leader")
    if leader is not None and not leader.unit.path.startswith(unit.path):
        checks.refuse(
            CaseError.BAD_SCHEDULE,
            _(
                "Người tiếp phải là cán bộ của %(unit)s (hoặc của một cơ quan thuộc "
                "%(unit)s); chọn người trong danh sách cán bộ của đơn vị."
            )
            % {"unit": unit.name},
            field="leader",
        )
    duty = data.get("duty") or ""
    if duty and duty not in DUTY_UNIT_KIND:
        checks.refuse(
            CaseError.BAD_SCHEDULE,
            one_of(_("Nghĩa vụ"), [Duty(d).label for d in DUTY_UNIT_KIND]),
            field="duty",
        )
    elif duty and unit.kind != DUTY_UNIT_KIND[duty]:
        checks.refuse(
            CaseError.BAD_SCHEDULE,
            _("“%(duty)s” chỉ áp dụng cho %(kind)s; %(unit)s là %(actual)s.")
            % {
                "duty": Duty(duty).label,
                "kind": UnitKind(DUTY_UNIT_KIND[duty]).label.lower(),
                "unit": unit.name,
                "actual": UnitKind(unit.kind).label.lower(),
            },
            field="duty",
        )
    pattern, day = data.get("pattern"), data.get("day")
    if "pattern" in data and pattern not in DAY_RANGE:
        checks.refuse(
            CaseError.BAD_SCHEDULE, _("Chọn định kỳ hằng tuần hoặc hằng tháng."), field="pattern"
        )
    elif pattern in DAY_RANGE and day is not None:
        low, high = DAY_RANGE[pattern]
        if not low <= day <= high:
            if pattern == ReceptionSchedule.Pattern.WEEKLY:
                message = _("Lịch hằng tuần chọn một ngày từ thứ Hai đến Chủ nhật.")
            else:
                message = _("Lịch hằng tháng chọn ngày từ 1 đến 28 (tháng nào cũng có).")
            checks.refuse(CaseError.BAD_SCHEDULE, message, field="day")
    if "place" in data and not (data["place"] or "").strip():
        checks.refuse(CaseError.EMPTY, _("Cần ghi địa điểm tiếp công dân."), field="place")
    valid_from, valid_to = data.get("valid_from"), data.get("valid_to")
    if valid_from is not None and valid_to is not None and valid_to < valid_from:
        checks.refuse(CaseError.BAD_DATE, _after_start_message(valid_from), field="valid_to")
    checks.raise_if_any()


@transaction.atomic
def schedule_create(
    *,
    actor: Any,
    unit: Unit,
    leader: Official,
    duty: str = "",
    pattern: str,
    day: int,
    place: str,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    note: str = "",
) -> ReceptionSchedule:
    """Record a leader's regular reception day in *unit*."""
    _require(actor, Perm.RECEPTION_MANAGE, unit)
    schedule_checks(
        {
            "leader": leader,
            "duty": duty,
            "pattern": pattern,
            "day": day,
            "place": place,
            "valid_from": valid_from,
            "valid_to": valid_to,
        },
        unit=unit,
    )
    schedule = ReceptionSchedule.objects.create(
        unit=unit,
        leader=leader,
        duty=duty or "",
        pattern=pattern,
        day=day,
        place=place.strip(),
        valid_from=valid_from,
        valid_to=valid_to,
        note=(note or "").strip(),
    )
    audit.record_create(actor=actor, instance=schedule)
    place_changed(unit)
    return schedule


def schedule_end_checks(data: dict[str, Any], *, schedule: ReceptionSchedule) -> None:
    """The rules on ending *schedule*, for the keys present in *data* (schedule_end's
    keyword names); one DomainError lists every problem. ScheduleEndForm runs it on the
    schedule the officer opened; schedule_end runs it again on the locked row, whose
    end may have been set meanwhile."""
    checks = Checks()
    valid_to = data.get("valid_to")
    if valid_to is not None and valid_to < schedule.valid_from:
        checks.refuse(
            CaseError.BAD_DATE, _after_start_message(schedule.valid_from), field="valid_to"
        )
    elif valid_to is not None and schedule.valid_to is not None and valid_to > schedule.valid_to:
        # Ending only shortens a schedule: to prolong it, a new schedule is recorded, so
        # the portal's history keeps the days citizens were told.
        checks.refuse(
            CaseError.BAD_SCHEDULE,
            _(
                "Lịch đã kết thúc ngày %(d)s; chỉ được chọn ngày từ %(from)s đến %(d)s. "
                "Muốn áp dụng lại, hãy thêm lịch mới."
            )
            % {"d": f"{schedule.valid_to:%d/%m/%Y}", "from": f"{schedule.valid_from:%d/%m/%Y}"},
            field="valid_to",
        )
    checks.raise_if_any()


@transaction.atomic
def schedule_end(
    *, actor: Any, schedule: ReceptionSchedule, valid_to: dt.date
) -> ReceptionSchedule:
    """Stop a schedule after *valid_to* (its last day). It stays in the history."""
    _require(actor, Perm.RECEPTION_MANAGE, schedule.unit)
    schedule = (
        ReceptionSchedule.objects.select_for_update()
        .select_related("unit", "leader")
        .get(pk=schedule.pk)
    )
    schedule_end_checks({"valid_to": valid_to}, schedule=schedule)
    before = audit.snapshot(schedule)
    schedule.valid_to = valid_to
    schedule.save(update_fields=["valid_to", "updated_at"])
    audit.record_update(actor=actor, instance=schedule, before=before)
    place_changed(schedule.unit)
    return schedule


# --- sessions --------------------------------------------------------------------------


def session_checks(data: dict[str, Any], *, unit: Unit) -> None:
    """The rules on a session of *unit*, for the keys present in *data* (session_record's
    keyword names); one DomainError lists every problem. SessionForm runs it too, so
    the officer sees its errors and these in one answer."""
    checks = Checks()
    leader, held_on = data.get("leader"), data.get("held_on")
    if leader is not None and not leader.unit.path.startswith(unit.path):
        checks.refuse(
            CaseError.BAD_SESSION,
            _("Người chủ trì tiếp phải là cán bộ của %(unit)s.") % {"unit": unit.name},
            field="leader",
        )
    if held_on is not None and held_on > today():
        checks.refuse(
            CaseError.BAD_DATE,
            _("Ngày tiếp %(d)s chưa đến: chỉ ghi buổi tiếp đã diễn ra, đến hôm nay (%(today)s).")
            % {"d": f"{held_on:%d/%m/%Y}", "today": f"{today():%d/%m/%Y}"},
            field="held_on",
        )
    count = data.get("citizens_count")
    if count is not None and count < 0:
        checks.refuse(
            CaseError.BAD_SESSION,
            _("Số lượt công dân không được âm: nhập 0 hoặc số dương."),
            field="citizens_count",
        )
    schedule = data.get("schedule")
    if schedule is not None and schedule.unit_id != unit.pk:
        checks.refuse(
            CaseError.BAD_SESSION,
            _("Lịch tiếp công dân thuộc đơn vị khác; chọn một lịch của %(unit)s.")
            % {"unit": unit.name},
            field="schedule",
        )
    if "place" in data and not (data["place"] or "").strip():
        checks.refuse(CaseError.EMPTY, _("Cần ghi địa điểm tiếp công dân."), field="place")
    checks.raise_if_any()


@transaction.atomic
def session_record(
    *,
    actor: Any,
    unit: Unit,
    leader: Official,
    held_on: dt.date,
    place: str,
    citizens_count: int,
    citizens: str,
    content: str,
    schedule: ReceptionSchedule | None = None,
) -> ReceptionSession:
    """Record a reception held by *leader* of *unit* on *held_on*.

    Recording sessions is intake work (Perm.CASE_INTAKE: the officers who receive cases
    also keep the reception book).
    """
    _require(actor, Perm.CASE_INTAKE, unit)
    _check_unit_open(unit, CaseError.BAD_SESSION)
    session_checks(
        {
            "leader": leader,
            "held_on": held_on,
            "citizens_count": citizens_count,
            "schedule": schedule,
            "place": place,
        },
        unit=unit,
    )
    session = ReceptionSession.objects.create(
        unit=unit,
        schedule=schedule,
        leader=leader,
        held_on=held_on,
        place=_text(place, "place", _("Cần ghi địa điểm tiếp công dân.")),
        citizens_count=citizens_count,
        citizens=(citizens or "").strip(),
        content=(content or "").strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record_create(actor=actor, instance=session)
    return session


@transaction.atomic
def session_update(
    *,
    actor: Any,
    session: ReceptionSession,
    leader: Official,
    held_on: dt.date,
    place: str,
    citizens_count: int,
    citizens: str,
    content: str,
    schedule: ReceptionSchedule | None = None,
) -> ReceptionSession:
    """Correct a recorded session (every field as the form shows it)."""
    _require(actor, Perm.CASE_INTAKE, session.unit)
    session = ReceptionSession.objects.select_for_update().select_related("unit").get(pk=session.pk)
    session_checks(
        {
            "leader": leader,
            "held_on": held_on,
            "citizens_count": citizens_count,
            "schedule": schedule,
            "place": place,
        },
        unit=session.unit,
    )
    before = audit.snapshot(session)
    session.leader = leader
    session.held_on = held_on
    session.place = _text(place, "place", _("Cần ghi địa điểm tiếp công dân."))
    session.citizens_count = citizens_count
    session.citizens = (citizens or "").strip()
    session.content = (content or "").strip()
    session.schedule = schedule
    session.save()
    audit.record_update(actor=actor, instance=session, before=before)
    return session
