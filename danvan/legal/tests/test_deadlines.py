"""The deadline engine: every rule row, weekends, Tết (five crossings), year ends,
extensions and pauses. Expected dates were worked out by hand from the calendar."""

import datetime as dt

import pytest

from danvan.core.errors import DomainError
from danvan.legal import deadlines
from danvan.legal.models import CalendarException, DeadlineRule
from danvan.legal.workdays import WorkCalendar

pytestmark = pytest.mark.django_db

D = dt.date


# One row per rule of the baseline data: (kind, action, round, complex, remote, start, due).
# 2 June 2025 is a Monday with no holiday near it, except where the row says.
EVERY_RULE = [
    # 2/6 + 90 = Sun 31/8; 1–2/9 are National Day: the next working day is Wed 3/9.
    ("complaint", "limitation", 1, False, False, D(2025, 6, 2), D(2025, 9, 3)),
    ("complaint", "accept", 1, False, False, D(2025, 6, 2), D(2025, 6, 12)),
    ("complaint", "accept", 2, False, False, D(2025, 6, 2), D(2025, 6, 12)),
    ("complaint", "resolve", 1, False, False, D(2025, 6, 2), D(2025, 7, 2)),
    ("complaint", "resolve", 1, True, False, D(2025, 6, 2), D(2025, 7, 17)),
    ("complaint", "resolve", 1, False, True, D(2025, 6, 2), D(2025, 7, 17)),
    # 2/6 + 60 = Fri 1/8.
    ("complaint", "resolve", 1, True, True, D(2025, 6, 2), D(2025, 8, 1)),
    ("complaint", "resolve", 2, False, False, D(2025, 6, 2), D(2025, 7, 17)),
    ("complaint", "resolve", 2, True, False, D(2025, 6, 2), D(2025, 8, 1)),
    ("complaint", "resolve", 2, False, True, D(2025, 6, 2), D(2025, 8, 1)),
    # 2/6 + 70 = Mon 11/8.
    ("complaint", "resolve", 2, True, True, D(2025, 6, 2), D(2025, 8, 11)),
    ("denunciation", "resolve", 0, False, False, D(2025, 6, 2), D(2025, 7, 2)),
    # 7 working days after Mon 2/6: Tue 3 … Wed 11/6.
    ("denunciation", "accept", 0, False, False, D(2025, 6, 2), D(2025, 6, 11)),
    # 10 working days after Mon 2/6: Mon 16/6.
    ("letter", "classify", 0, False, False, D(2025, 6, 2), D(2025, 6, 16)),
    # 15 working days after Mon 2/6: Mon 23/6.
    ("feedback", "resolve", 0, False, False, D(2025, 6, 2), D(2025, 6, 23)),
    ("petition", "resolve", 0, False, False, D(2025, 6, 2), D(2025, 6, 23)),
]


@pytest.mark.parametrize(("kind", "action", "rnd", "cplx", "remote", "start", "due"), EVERY_RULE)
def test_every_rule_row(
    kind: str, action: str, rnd: int, cplx: bool, remote: bool, start: dt.date, due: dt.date
) -> None:
    result = deadlines.due_date(
        case_kind=kind, action=action, start=start, round=rnd, complex=cplx, remote=remote
    )
    assert result.due == due
    assert result.rule.citation in result.explain()


def test_the_table_covers_every_rule_row() -> None:
    rows = {
        (r.case_kind, r.action, r.round, r.complex, r.remote)
        for r in DeadlineRule.objects.exclude(action="extend")
    }
    covered = {(k, a, r, c, m) for k, a, r, c, m, _s, _d in EVERY_RULE}
    assert rows == covered


TET_CROSSINGS = [
    # Tết 2025: holidays Mon 27/1 – Sat 1/2. 10 working days after Mon 20/1 → Mon 10/2.
    ("letter", "classify", 0, D(2025, 1, 20), D(2025, 2, 10)),
    # Tết 2026: holidays Mon 16/2 – Fri 20/2. 7 working days after Thu 12/2 → Mon 2/3.
    ("denunciation", "accept", 0, D(2026, 2, 12), D(2026, 3, 2)),
    # Sun 8/2/2026 + 10 days = Wed 18/2 (Tết): next working day Mon 23/2.
    ("complaint", "accept", 1, D(2026, 2, 8), D(2026, 2, 23)),
    # Mon 19/1/2026 + 30 days = Wed 18/2 (Tết): Mon 23/2.
    ("denunciation", "resolve", 0, D(2026, 1, 19), D(2026, 2, 23)),
    # Tết 2027: holidays Thu 4/2 – Wed 10/2. 7 working days after Mon 1/2 → Wed 17/2.
    ("denunciation", "accept", 0, D(2027, 2, 1), D(2027, 2, 17)),
    # 15 working days after Mon 18/1/2027: 19–22, 25–29, 1–3/2, then Thu 11/2, Fri 12/2,
    # Mon 15/2 → the 15th is Mon 15/2.
    ("feedback", "resolve", 0, D(2027, 1, 18), D(2027, 2, 15)),
]


@pytest.mark.parametrize(("kind", "action", "rnd", "start", "due"), TET_CROSSINGS)
def test_deadlines_that_cross_tet(
    kind: str, action: str, rnd: int, start: dt.date, due: dt.date
) -> None:
    assert deadlines.due_date(case_kind=kind, action=action, start=start, round=rnd).due == due


def test_year_end_and_weekend() -> None:
    # Fri 5/12/2025 + 30 = Sun 4/1/2026 → Mon 5/1/2026.
    result = deadlines.due_date(
        case_kind="complaint", action="resolve", start=D(2025, 12, 5), round=1
    )
    assert result.due == D(2026, 1, 5)
    # 10 working days after Wed 24/12/2025, New Year's Day (Thu 1/1) skipped:
    # 25, 26, 29, 30, 31/12, 2, 5, 6, 7, 8/1 → Thu 8/1/2026.
    result = deadlines.due_date(case_kind="letter", action="classify", start=D(2025, 12, 24))
    assert result.due == D(2026, 1, 8)


def test_days_off_and_make_up_days_an_administrator_adds() -> None:
    # Sat 26/4/2025 was worked to make up for Fri 2/5/2025.
    CalendarException.objects.create(date=D(2025, 4, 26), kind="working_day", reason="Bù 2/5")
    CalendarException.objects.create(date=D(2025, 6, 4), kind="day_off", reason="Nghỉ đột xuất")
    calendar = WorkCalendar()
    assert calendar.add_working_days(D(2025, 4, 24), 2) == D(2025, 4, 26)
    # 7 working days after Mon 2/6 skipping Wed 4/6: Thu 12/6.
    result = deadlines.due_date(
        case_kind="denunciation", action="accept", start=D(2025, 6, 2), calendar=calendar
    )
    assert result.due == D(2025, 6, 12)


def test_denunciation_extensions_follow_the_law() -> None:
    base = deadlines.due_date(case_kind="denunciation", action="resolve", start=D(2025, 6, 2))
    with pytest.raises(DomainError) as exc:
        deadlines.extend(base, complexity=0, decision_number="12/QĐ-UBND")
    assert exc.value.code == "deadline_extension_not_allowed"
    once = deadlines.extend(base, complexity=1, decision_number="12/QĐ-UBND")
    assert once.due == D(2025, 8, 1)  # 2/7 + 30
    with pytest.raises(DomainError) as exc:
        deadlines.extend(once, complexity=1, decision_number="13/QĐ-UBND")
    assert exc.value.code == "deadline_extension_limit"
    twice = deadlines.extend(once, complexity=2, decision_number="13/QĐ-UBND")
    assert twice.due == D(2025, 9, 3)  # 1/8 + 30 = Sun 31/8; 1–2/9 holidays
    with pytest.raises(DomainError):
        deadlines.extend(twice, complexity=2, decision_number="14/QĐ-UBND")
    assert (twice.due - base.start).days <= 93  # at most 90 days, plus the roll to a working day
    with pytest.raises(DomainError) as exc:
        deadlines.extend(base, complexity=1, decision_number="không có số")
    assert exc.value.code == "deadline_extension_decision"
    assert "12/QĐ-UBND" in twice.explain()


def test_a_pause_moves_the_due_date() -> None:
    base = deadlines.due_date(case_kind="denunciation", action="resolve", start=D(2025, 6, 2))
    paused = deadlines.pause(base, paused_from=D(2025, 6, 10), resumed_on=D(2025, 6, 20))
    assert paused.due == D(2025, 7, 14)  # 2/7 + 10 = Sat 12/7 → Mon 14/7
    with pytest.raises(DomainError):
        deadlines.pause(base, paused_from=D(2025, 6, 20), resumed_on=D(2025, 6, 10))


def test_a_new_rule_version_applies_from_its_date_and_old_cases_keep_theirs() -> None:
    old = deadlines.due_date(case_kind="complaint", action="resolve", start=D(2026, 6, 1), round=1)
    DeadlineRule.objects.create(
        case_kind="complaint",
        action="resolve",
        round=1,
        days=20,
        day_kind="calendar",
        citation="Luật 136/2025/QH15 (giả định để kiểm thử)",
        to_verify=True,
        valid_from=D(2026, 7, 1),
    )
    new = deadlines.due_date(case_kind="complaint", action="resolve", start=D(2026, 7, 1), round=1)
    assert new.rule.days == 20
    assert new.due == D(2026, 7, 21)
    again = deadlines.due_date(
        case_kind="complaint", action="resolve", start=D(2026, 6, 1), rule=old.rule
    )
    assert again.rule.days == 30
    assert (
        deadlines.due_date(
            case_kind="complaint", action="resolve", start=D(2026, 6, 30), round=1
        ).rule.days
        == 30
    )


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"case_kind": "gossip", "action": "resolve"}, "deadline_unknown_kind"),
        ({"case_kind": "complaint", "action": "dance"}, "deadline_unknown_action"),
        ({"case_kind": "complaint", "action": "resolve", "round": 3}, "deadline_no_rule"),
        (
            {"case_kind": "denunciation", "action": "resolve", "start": D(2010, 1, 1)},
            "deadline_no_rule",
        ),
    ],
)
def test_unknown_kinds_and_missing_rules_are_clear_errors(kwargs: dict, code: str) -> None:
    kwargs.setdefault("start", D(2025, 6, 2))
    with pytest.raises(DomainError) as exc:
        deadlines.due_date(**kwargs)
    assert exc.value.code == code
    assert exc.value.message


def test_to_verify_rules_are_flagged() -> None:
    flagged = set(DeadlineRule.objects.filter(to_verify=True).values_list("case_kind", "action"))
    assert ("denunciation", "accept") in flagged
    assert ("letter", "classify") in flagged
    assert ("complaint", "resolve") not in flagged


def test_duty_rules_in_force_with_their_citations() -> None:
    from danvan.legal.duties import duty_rule
    from danvan.legal.models import Duty, Measure

    commune = duty_rule(Duty.RECEPTION_COMMUNE_CHAIR, on=dt.date(2026, 1, 5))
    assert (commune.amount, commune.measure) == (1, Measure.DAYS_PER_WEEK)
    province = duty_rule(Duty.RECEPTION_PROVINCE_CHAIR, on=dt.date(2026, 1, 5))
    assert (province.amount, province.measure) == (1, Measure.DAYS_PER_MONTH)
    announce = duty_rule(Duty.DIALOGUE_ANNOUNCE, on=dt.date(2026, 1, 5))
    publish = duty_rule(Duty.DIALOGUE_PUBLISH, on=dt.date(2026, 1, 5))
    assert (announce.amount, publish.amount) == (7, 10)
    assert "Điều 43" in announce.citation
    with pytest.raises(DomainError) as exc:
        duty_rule(Duty.DIALOGUE_ANNOUNCE, on=dt.date(2024, 1, 5))  # before the 2025 law
    assert exc.value.code == "duty_no_rule"
    with pytest.raises(DomainError) as exc:
        duty_rule("tea_break", on=dt.date(2026, 1, 5))
    assert exc.value.code == "duty_unknown"


# --- extensions and pauses run from the end of the period (issue 11, domain.md §5) ------


def test_two_extensions_run_from_the_end_of_each_period_not_from_its_roll_over() -> None:
    """Accepted Thu 5/6/2025: 30 days end Sat 5/7 (due Mon 7/7). The extensions run from
    Sat 5/7: +30 = Mon 4/8, +30 = Wed 3/9 (Tue 2/9 and Mon 1/9 are National Day, but Wed 3/9
    is the 90th day itself). Counting from the rolled days gave 7/7 → 6/8 → Fri 5/9: 92."""
    base = deadlines.due_date(case_kind="denunciation", action="resolve", start=D(2025, 6, 5))
    assert (base.end, base.due) == (D(2025, 7, 5), D(2025, 7, 7))
    once = deadlines.extend(base, complexity=2, decision_number="12/QĐ-UBND")
    assert (once.end, once.due) == (D(2025, 8, 4), D(2025, 8, 4))
    twice = deadlines.extend(once, complexity=2, decision_number="13/QĐ-UBND")
    assert (twice.end, twice.due) == (D(2025, 9, 3), D(2025, 9, 3))
    assert (twice.due - base.start).days == 30 + 30 + 30


def test_the_final_roll_over_happens_once_at_the_end() -> None:
    """Accepted Wed 4/6/2025: 30 days end Fri 4/7; +30 = Sun 3/8; +30 = Tue 2/9 (National
    Day) → the 90th day rolls once, to Wed 3/9."""
    base = deadlines.due_date(case_kind="denunciation", action="resolve", start=D(2025, 6, 4))
    once = deadlines.extend(base, complexity=2, decision_number="12/QĐ-UBND")
    assert (once.end, once.due) == (D(2025, 8, 3), D(2025, 8, 4))
    twice = deadlines.extend(once, complexity=2, decision_number="13/QĐ-UBND")
    assert (twice.end, twice.due) == (D(2025, 9, 2), D(2025, 9, 3))


def test_a_pause_moves_the_end_of_the_period_not_the_rolled_due_date() -> None:
    """Accepted Thu 5/6/2025: ends Sat 5/7 (due Mon 7/7). Paused 10 days: Tue 15/7 (from
    the rolled Monday it was Thu 17/7)."""
    base = deadlines.due_date(case_kind="denunciation", action="resolve", start=D(2025, 6, 5))
    paused = deadlines.pause(base, paused_from=D(2025, 6, 10), resumed_on=D(2025, 6, 20))
    assert (paused.end, paused.due, paused.paused_days) == (D(2025, 7, 15), D(2025, 7, 15), 10)
    # Then an extension runs from the paused end: 15/7 + 30 = Thu 14/8.
    extended = deadlines.extend(paused, complexity=1, decision_number="12/QĐ-UBND")
    assert extended.due == D(2025, 8, 14)


def test_a_clock_restored_from_what_a_case_stores_is_the_same() -> None:
    """cases.services.current_deadline restores the clock from the acceptance, the
    extension decisions and the days paused, never from the rolled due date."""
    base = deadlines.due_date(case_kind="denunciation", action="resolve", start=D(2025, 6, 5))
    once = deadlines.extend(base, complexity=2, decision_number="12/QĐ-UBND")
    paused = deadlines.pause(once, paused_from=D(2025, 7, 1), resumed_on=D(2025, 7, 6))
    twice = deadlines.extend(paused, complexity=2, decision_number="13/QĐ-UBND")
    restored = deadlines.restore(
        start=D(2025, 6, 5),
        rule=base.rule,
        extensions=("12/QĐ-UBND", "13/QĐ-UBND"),
        paused_days=5,
    )
    # 5/6 + 30 + 30 + 5 + 30 = Mon 8/9.
    assert (restored.end, restored.due) == (twice.end, twice.due) == (D(2025, 9, 8), D(2025, 9, 8))
    assert restored.extensions == twice.extensions


# --- the government's make-up working Saturdays (issue 11, domain.md §5) ----------------


def test_make_up_saturdays_the_holidays_package_lists_are_working_days() -> None:
    """Fri 2/5/2025 was a day off in exchange for Sat 26/4/2025, worked; the `holidays`
    package knows it, with no day recorded by an administrator."""
    assert not CalendarException.objects.exists()
    calendar = WorkCalendar()
    assert calendar.is_working_day(D(2025, 4, 26))
    assert not calendar.is_working_day(D(2025, 5, 2))
    assert not calendar.is_working_day(D(2025, 4, 27))  # Sunday
    assert calendar.is_working_day(D(2026, 8, 22))  # for Mon 31/8/2026
    assert not calendar.is_working_day(D(2026, 8, 31))
    # 10 working days after Thu 24/4/2025: Fri 25, Sat 26, Mon 28, Tue 29/4, (30/4, 1/5
    # and 2/5 off), Mon 5 … Fri 9/5, Mon 12/5.
    result = deadlines.due_date(case_kind="letter", action="classify", start=D(2025, 4, 24))
    assert result.due == D(2025, 5, 12)
    # A calendar-day period that ends on the make-up Saturday ends there: Wed 16/4 + 10.
    result = deadlines.due_date(
        case_kind="complaint", action="accept", start=D(2025, 4, 16), round=1
    )
    assert result.due == D(2025, 4, 26)


def test_an_administrator_records_the_make_up_days_the_package_does_not_know() -> None:
    """Sat 15/11/2025 is an ordinary Saturday to the package; an administrator records it
    as a make-up working day announced by the government (and may also take one back)."""
    assert not WorkCalendar().is_working_day(D(2025, 11, 15))
    CalendarException.objects.create(
        date=D(2025, 11, 15), kind="working_day", reason="Làm bù theo thông báo"
    )
    CalendarException.objects.create(date=D(2025, 4, 26), kind="day_off", reason="Không làm bù")
    calendar = WorkCalendar()
    assert calendar.is_working_day(D(2025, 11, 15))
    assert not calendar.is_working_day(D(2025, 4, 26))
    # 1 working day after Fri 14/11/2025: the Saturday worked.
    assert calendar.add_working_days(D(2025, 11, 14), 1) == D(2025, 11, 15)
