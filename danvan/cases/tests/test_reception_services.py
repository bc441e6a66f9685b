"""Reception schedules and sessions: each rule, bad input (nothing written), and the
minimum-days warning on its boundaries (domain.md §5: commune chair ≥1 day a week,
province chair ≥1 day a month, as DutyRule data)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from danvan.accounts.models import Role, User
from danvan.accounts.testing import make_user
from danvan.audit.models import AuditEvent
from danvan.cases.models import ReceptionSchedule, ReceptionSession
from danvan.cases.reception import selectors, services
from danvan.core.errors import DomainError, NotFound, PermissionDenied
from danvan.legal.models import Duty, DutyRule, Measure
from danvan.units.models import Official, Unit

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
# Tuesday 31 March 2026: March's Mondays are the 2nd, 9th, 16th, 23rd and 30th.
END_OF_MARCH = dt.datetime(2026, 3, 31, 9, 0, tzinfo=HCM)
MONDAYS = [dt.date(2026, 3, d) for d in (2, 9, 16, 23, 30)]


def make_official(unit: Unit, full_name: str, position: str = "Chủ tịch UBND") -> Official:
    return Official.objects.create(unit=unit, full_name=full_name, position=position)


def schedule_for(leader: Official, **kw: Any) -> ReceptionSchedule:
    params: dict[str, Any] = {
        "actor": None,
        "unit": leader.unit,
        "leader": leader,
        "duty": Duty.RECEPTION_COMMUNE_CHAIR,
        "pattern": ReceptionSchedule.Pattern.WEEKLY,
        "day": 0,
        "place": "Trụ sở UBND, phòng tiếp công dân",
        "valid_from": dt.date(2026, 1, 1),
    }
    params.update(kw)
    return services.schedule_create(**params)


def session_on(leader: Official, day: dt.date, **kw: Any) -> ReceptionSession:
    params: dict[str, Any] = {
        "actor": None,
        "unit": leader.unit,
        "leader": leader,
        "held_on": day,
        "place": "Trụ sở UBND",
        "citizens_count": 2,
        "citizens": "Nguyễn Văn An; Lê Thị Bích",
        "content": "Đất đai, đường liên thôn",
    }
    params.update(kw)
    return services.session_record(**params)


@pytest.fixture
def officer(commune: Unit) -> User:
    return make_user("tcd-xa", Role.OFFICER, commune)


@pytest.fixture
def chair(commune: Unit) -> Official:
    return make_official(commune, "Hoàng Văn Chủ")


@pytest.fixture
def province_chair(thai_nguyen: Unit) -> Official:
    return make_official(thai_nguyen, "Trịnh Việt Hùng", "Chủ tịch UBND tỉnh")


def shortfalls(user: Any, unit: Unit, year: int = 2026, month: int = 3) -> list[Any]:
    return selectors.reception_shortfalls(user=user, unit=unit, year=year, month=month)


# --- schedules ------------------------------------------------------------------------


def test_schedule_create_is_audited(officer: User, chair: Official, commune: Unit) -> None:
    schedule = schedule_for(chair, actor=officer, note="Sáng thứ Hai")
    assert (schedule.unit, schedule.leader, schedule.day) == (commune, chair, 0)
    event = AuditEvent.objects.get(model_label="cases.receptionschedule")
    assert (event.action, event.actor, event.object_pk) == ("create", officer, str(schedule.pk))
    assert event.changes["place"] == [None, "Trụ sở UBND, phòng tiếp công dân"]


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"duty": Duty.RECEPTION_PROVINCE_CHAIR}, "reception_bad_schedule", "duty"),
        ({"duty": "dialogue_announce"}, "reception_bad_schedule", "duty"),
        ({"day": 7}, "reception_bad_schedule", "day"),
        ({"pattern": "monthly", "day": 29}, "reception_bad_schedule", "day"),
        ({"pattern": "monthly", "day": 0}, "reception_bad_schedule", "day"),
        ({"pattern": "daily"}, "reception_bad_schedule", "pattern"),
        ({"place": "  "}, "case_empty", "place"),
        ({"valid_to": dt.date(2025, 12, 31)}, "case_bad_date", "valid_to"),
    ],
)
def test_schedule_bad_input_writes_nothing(
    officer: User, chair: Official, changes: dict[str, Any], code: str, field: str
) -> None:
    with pytest.raises(DomainError) as exc:
        schedule_for(chair, actor=officer, **changes)
    assert (exc.value.code, exc.value.field) == (code, field)
    assert any(ord(ch) > 127 for ch in exc.value.message)
    assert not ReceptionSchedule.objects.exists()
    assert not AuditEvent.objects.filter(model_label="cases.receptionschedule").exists()


def test_schedule_create_reports_every_problem_at_once(
    officer: User, chair: Official, sibling_commune: Unit
) -> None:
    with pytest.raises(DomainError) as exc:
        schedule_for(
            make_official(sibling_commune, "Người xã khác"),
            actor=officer,
            unit=chair.unit,
            duty=Duty.RECEPTION_PROVINCE_CHAIR,
            day=9,
            place=" ",
            valid_to=dt.date(2025, 12, 31),
        )
    assert [(p.field, p.code) for p in exc.value.problems] == [
        ("leader", "reception_bad_schedule"),
        ("duty", "reception_bad_schedule"),
        ("day", "reception_bad_schedule"),
        ("place", "case_empty"),
        ("valid_to", "case_bad_date"),
    ]
    assert not ReceptionSchedule.objects.exists()


def test_schedule_leader_must_belong_to_the_unit(
    officer: User, commune: Unit, province_chair: Official, sibling_commune: Unit
) -> None:
    for leader in (province_chair, make_official(sibling_commune, "Người xã khác")):
        with pytest.raises(DomainError) as exc:
            schedule_for(leader, actor=officer, unit=commune)
        assert (exc.value.code, exc.value.field) == ("reception_bad_schedule", "leader")
    assert not ReceptionSchedule.objects.exists()


def test_province_duty_only_on_a_province(
    province_chair: Official, thai_nguyen: Unit, chair: Official
) -> None:
    with pytest.raises(DomainError) as exc:
        schedule_for(province_chair)  # the commune duty on a province
    assert exc.value.field == "duty"
    schedule = schedule_for(
        province_chair, duty=Duty.RECEPTION_PROVINCE_CHAIR, pattern="monthly", day=15
    )
    assert schedule.unit == thai_nguyen
    assert schedule_for(chair, duty="").duty == ""


def test_schedule_writes_need_reception_manage(
    chair: Official, commune: Unit, sibling_commune: Unit
) -> None:
    with pytest.raises(NotFound):
        schedule_for(chair, actor=make_user("xa-ben", Role.OFFICER, sibling_commune))
    with pytest.raises(PermissionDenied):
        schedule_for(chair, actor=make_user("lanh-dao", Role.LEADER, commune))
    assert not ReceptionSchedule.objects.exists()


def test_schedule_end(officer: User, chair: Official) -> None:
    schedule = schedule_for(chair, valid_to=dt.date(2026, 12, 31))
    with pytest.raises(DomainError) as exc:
        services.schedule_end(actor=officer, schedule=schedule, valid_to=dt.date(2025, 12, 1))
    assert exc.value.code == "case_bad_date"
    with pytest.raises(DomainError) as exc:
        services.schedule_end(actor=officer, schedule=schedule, valid_to=dt.date(2027, 1, 1))
    assert exc.value.code == "reception_bad_schedule"
    schedule.refresh_from_db()
    assert schedule.valid_to == dt.date(2026, 12, 31)
    ended = services.schedule_end(actor=officer, schedule=schedule, valid_to=dt.date(2026, 6, 30))
    assert ended.valid_to == dt.date(2026, 6, 30)
    event = AuditEvent.objects.filter(model_label="cases.receptionschedule", action="update").get()
    assert event.changes["valid_to"] == ["2026-12-31", "2026-06-30"]


# --- sessions --------------------------------------------------------------------------


@time_machine.travel(END_OF_MARCH, tick=False)
def test_session_record_and_update_are_audited(officer: User, chair: Official) -> None:
    schedule = schedule_for(chair)
    session = session_on(chair, dt.date(2026, 3, 30), actor=officer, schedule=schedule)
    assert (session.created_by, session.schedule) == (officer, schedule)
    deputy = make_official(chair.unit, "Phó Chủ tịch Lý", "Phó Chủ tịch UBND")
    updated = services.session_update(
        actor=officer,
        session=session,
        leader=deputy,
        held_on=dt.date(2026, 3, 31),
        place="Nhà văn hóa thôn 3",
        citizens_count=5,
        citizens="",
        content="Bồi thường giải phóng mặt bằng",
        schedule=None,
    )
    assert (updated.leader, updated.held_on, updated.schedule) == (
        deputy,
        dt.date(2026, 3, 31),
        None,
    )
    events = AuditEvent.objects.filter(model_label="cases.receptionsession").order_by("id")
    assert [e.action for e in events] == ["create", "update"]
    assert events[1].changes["citizens_count"] == [2, 5]


@time_machine.travel(END_OF_MARCH, tick=False)
@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"held_on": dt.date(2026, 4, 1)}, "case_bad_date", "held_on"),
        ({"place": ""}, "case_empty", "place"),
        ({"citizens_count": -1}, "reception_bad_session", "citizens_count"),
    ],
)
def test_session_bad_input_writes_nothing(
    officer: User, chair: Official, changes: dict[str, Any], code: str, field: str
) -> None:
    with pytest.raises(DomainError) as exc:
        session_on(chair, dt.date(2026, 3, 30), actor=officer, **changes)
    assert (exc.value.code, exc.value.field) == (code, field)
    assert not ReceptionSession.objects.exists()
    assert not AuditEvent.objects.filter(model_label="cases.receptionsession").exists()


@time_machine.travel(END_OF_MARCH, tick=False)
def test_session_leader_and_schedule_of_another_unit_are_refused(
    officer: User, commune: Unit, chair: Official, sibling_commune: Unit
) -> None:
    other = make_official(sibling_commune, "Chủ tịch xã bên")
    with pytest.raises(DomainError) as exc:
        session_on(other, dt.date(2026, 3, 2), actor=officer, unit=commune)
    assert (exc.value.code, exc.value.field) == ("reception_bad_session", "leader")
    their_schedule = schedule_for(other)
    with pytest.raises(DomainError) as exc:
        session_on(chair, dt.date(2026, 3, 2), actor=officer, schedule=their_schedule)
    assert (exc.value.code, exc.value.field) == ("reception_bad_session", "schedule")
    assert not ReceptionSession.objects.exists()


def test_session_needs_intake_permission(chair: Official, commune: Unit) -> None:
    with pytest.raises(PermissionDenied):
        session_on(chair, dt.date(2026, 3, 2), actor=make_user("ld", Role.LEADER, commune))
    assert not ReceptionSession.objects.exists()


# --- the minimum-days warning ------------------------------------------------------------


@time_machine.travel(END_OF_MARCH, tick=False)
def test_exactly_one_day_every_week_is_no_shortfall(
    officer: User, chair: Official, commune: Unit, thai_nguyen: Unit
) -> None:
    schedule_for(chair)
    for monday in MONDAYS:
        session_on(chair, monday)
    # A second session the same day counts once; it changes nothing.
    session_on(chair, MONDAYS[0])
    assert shortfalls(officer, commune) == []
    assert shortfalls(make_user("tinh", Role.OFFICER, thai_nguyen), thai_nguyen) == []


@time_machine.travel(END_OF_MARCH, tick=False)
def test_one_week_missing_is_named(officer: User, chair: Official, commune: Unit) -> None:
    schedule_for(chair)
    for monday in MONDAYS:
        if monday != dt.date(2026, 3, 16):
            session_on(chair, monday)
    # Another leader of the unit receiving that week does not stand in for the chair.
    session_on(make_official(commune, "Phó Chủ tịch"), dt.date(2026, 3, 17))
    (found,) = shortfalls(officer, commune)
    assert (found.leader, found.unit, found.duty) == (chair, commune, Duty.RECEPTION_COMMUNE_CHAIR)
    assert (found.measure, found.amount, found.required, found.held) == ("days_per_week", 1, 5, 4)
    (week,) = found.missing_weeks
    assert (week.start, week.end, week.held, week.ongoing) == (
        dt.date(2026, 3, 16),
        dt.date(2026, 3, 22),
        0,
        False,
    )
    assert (week.number, week.iso) == (12, "2026-W12")
    assert "Tiếp công dân" in found.citation
    assert found.to_verify is False
    assert found.per_week
    assert not found.ongoing


@time_machine.travel(dt.datetime(2026, 3, 18, 9, 0, tzinfo=HCM), tick=False)
def test_weeks_after_today_are_not_owed_and_the_current_week_is_ongoing(
    officer: User, chair: Official, commune: Unit
) -> None:
    schedule_for(chair)
    session_on(chair, dt.date(2026, 3, 2))
    session_on(chair, dt.date(2026, 3, 10))
    (found,) = shortfalls(officer, commune)
    assert [w.start for w in found.missing_weeks] == [dt.date(2026, 3, 16)]
    assert found.missing_weeks[0].ongoing
    assert found.ongoing
    assert found.required == 3


@time_machine.travel(dt.datetime(2026, 4, 10, 9, 0, tzinfo=HCM), tick=False)
def test_a_week_running_into_the_next_month_counts_its_days_there(
    officer: User, chair: Official, commune: Unit
) -> None:
    schedule_for(chair)
    for day in (2, 9, 16, 23):
        session_on(chair, dt.date(2026, 3, day))
    session_on(chair, dt.date(2026, 4, 2))  # the week of Monday 30 March
    # Sunday 1 March belongs to the week of Monday 23 February, checked with February.
    session_on(chair, dt.date(2026, 3, 1))
    assert shortfalls(officer, commune) == []
    (feb,) = shortfalls(officer, commune, month=2)
    assert [w.start for w in feb.missing_weeks] == [dt.date(2026, 2, d) for d in (2, 9, 16)]


@time_machine.travel(END_OF_MARCH, tick=False)
def test_only_weeks_while_a_schedule_is_in_force_are_owed(
    officer: User, chair: Official, commune: Unit
) -> None:
    schedule_for(chair, valid_from=dt.date(2026, 3, 18))
    schedule_for(chair, valid_from=dt.date(2026, 1, 1), valid_to=dt.date(2026, 3, 4), day=2)
    session_on(chair, dt.date(2026, 3, 4))
    (found,) = shortfalls(officer, commune)
    # 2–8 March (the old schedule), then 16 March onwards (the new one); not 9–15 March.
    assert [w.start for w in found.missing_weeks] == [dt.date(2026, 3, d) for d in (16, 23, 30)]
    assert (found.required, found.held) == (4, 1)


@time_machine.travel(END_OF_MARCH, tick=False)
def test_a_monthly_duty_with_no_session_is_warned(
    province_chair: Official, thai_nguyen: Unit, commune: Unit
) -> None:
    schedule_for(province_chair, duty=Duty.RECEPTION_PROVINCE_CHAIR, pattern="monthly", day=15)
    user = make_user("tinh", Role.OFFICER, thai_nguyen)
    (found,) = shortfalls(user, thai_nguyen, month=2)
    assert (found.leader, found.measure, found.required, found.held) == (
        province_chair,
        "days_per_month",
        1,
        0,
    )
    assert found.missing_weeks == ()
    assert not found.ongoing
    assert not found.per_week
    session_on(province_chair, dt.date(2026, 2, 28))
    assert shortfalls(user, thai_nguyen, month=2) == []
    # The month still running is shown as such.
    (march,) = shortfalls(user, thai_nguyen)
    assert march.ongoing


@time_machine.travel(END_OF_MARCH, tick=False)
def test_a_leader_without_duty_is_never_warned(
    officer: User, chair: Official, commune: Unit
) -> None:
    schedule_for(chair, duty="")
    assert shortfalls(officer, commune) == []


@time_machine.travel(END_OF_MARCH, tick=False)
def test_a_month_not_begun_owes_nothing(officer: User, chair: Official, commune: Unit) -> None:
    schedule_for(chair)
    assert shortfalls(officer, commune, month=4) == []


@time_machine.travel(END_OF_MARCH, tick=False)
def test_the_rule_version_in_force_on_the_first_of_the_month_applies(
    officer: User, chair: Official, commune: Unit
) -> None:
    DutyRule.objects.create(
        duty=Duty.RECEPTION_COMMUNE_CHAIR,
        amount=2,
        measure=Measure.DAYS_PER_WEEK,
        citation="Quy định thử nghiệm",
        to_verify=True,
        valid_from=dt.date(2026, 3, 1),
    )
    schedule_for(chair)
    for monday in MONDAYS:
        session_on(chair, monday)
    (found,) = shortfalls(officer, commune)
    assert len(found.missing_weeks) == 5
    assert (found.citation, found.to_verify, found.required) == ("Quy định thử nghiệm", True, 10)
    assert shortfalls(officer, commune, month=2) != []  # February: weeks with no session


def test_shortfalls_are_scoped(chair: Official, commune: Unit, sibling_commune: Unit) -> None:
    with pytest.raises(NotFound):
        shortfalls(make_user("ben", Role.OFFICER, sibling_commune), commune)
