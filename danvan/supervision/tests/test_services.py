"""The rules of people's supervision, at their boundaries, and nothing written on refusal."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from danvan.accounts.models import User
from danvan.accounts.testing import make_user
from danvan.audit.models import AuditEvent
from danvan.core.errors import DomainError, NotFound, PermissionDenied
from danvan.supervision import selectors, services
from danvan.supervision.models import (
    Board,
    BoardMember,
    Conference,
    Plan,
    Recommendation,
    RuleCode,
    SupervisionRule,
)
from danvan.units.models import Unit

pytestmark = pytest.mark.django_db
TERM = dt.date(2026, 1, 1)


def inspection(unit: Unit) -> Board:
    return services.board_create(actor=None, unit=unit, kind="inspection", term_start=TERM)


def investment(unit: Unit) -> Board:
    return services.board_create(
        actor=None, unit=unit, kind="investment", term_start=TERM, project="Đường liên thôn"
    )


def add(board: Board, n: int, role: str = "member", villages: list[Unit] | None = None) -> None:
    for i in range(n):
        village = villages[i % len(villages)] if villages else None
        services.member_add(
            actor=None, board=board, full_name=f"Người {role} {i}", role=role, village=village
        )


def overdue(rows: list[Any]) -> list[bool]:
    """The `overdue` annotation of the recommendations listed."""
    return [r.overdue for r in rows]


def codes(board: Board) -> list[str]:
    return [f.code for f in selectors.board_findings(board)]


def test_rules_are_seeded_with_citations() -> None:
    rules = {r.code: r for r in SupervisionRule.objects.all()}
    assert set(rules) == set(RuleCode.values)
    assert rules[RuleCode.INSPECTION_MIN_MEMBERS].amount == 5
    assert not rules[RuleCode.PLAN_NOTICE_WORKING_DAYS].to_verify
    assert rules[RuleCode.WORKPLACE_DIALOGUE_MIN_PER_SIDE].amount == 3
    assert rules[RuleCode.WORKPLACE_DIALOGUE_MIN_PER_SIDE].to_verify
    assert "Điều 63" in rules[RuleCode.WORKPLACE_DIALOGUE_MIN_PER_SIDE].citation


def test_inspection_board_with_five_members_is_fine(commune: Unit) -> None:
    board = inspection(commune)
    add(board, 5)
    assert codes(board) == []


def test_inspection_board_with_four_members_is_flagged(commune: Unit) -> None:
    board = inspection(commune)
    add(board, 4)
    [finding] = selectors.board_findings(board)
    assert finding.code == "too_few_members"
    assert finding.rule.citation.startswith("Luật Thực hiện dân chủ ở cơ sở")


def test_member_whose_term_ended_does_not_count(commune: Unit) -> None:
    board = inspection(commune)
    add(board, 4)
    services.member_add(
        actor=None,
        board=board,
        full_name="Đã thôi",
        role="member",
        term_start=TERM,
        term_end=dt.date(2026, 2, 1),
    )
    assert codes(board) == ["too_few_members"]


def test_village_without_member_is_flagged(commune: Unit, villages: list[Unit]) -> None:
    board = inspection(commune)
    add(board, 5, villages=villages[:2])
    [finding] = selectors.board_findings(board)
    assert finding.code == "village_without_member"
    assert finding.villages == (villages[2],)
    add(board, 1, villages=villages[2:])
    assert codes(board) == []


def test_member_village_must_belong_to_the_commune(
    commune: Unit, sibling_commune: Unit, villages: list[Unit]
) -> None:
    from danvan.units.services import unit_create

    other = unit_create(actor=None, parent=sibling_commune, kind="village", name="Thôn khác")
    board = inspection(commune)
    with pytest.raises(DomainError) as exc:
        services.member_add(actor=None, board=board, full_name="A", role="member", village=other)
    assert exc.value.field == "village"
    assert not BoardMember.objects.exists()


def test_investment_board_refuses_a_sixth_representative(commune: Unit) -> None:
    board = investment(commune)
    add(board, 1, "head")
    add(board, 4, "representative")
    events = AuditEvent.objects.count()
    with pytest.raises(DomainError) as exc:
        add(board, 1, "representative")
    assert exc.value.code == "supervision_too_many_representatives"
    assert "tối đa 5" in exc.value.message
    assert board.members.count() == 5
    assert AuditEvent.objects.count() == events
    assert codes(board) == []


def test_investment_board_refuses_a_third_deputy(commune: Unit) -> None:
    board = investment(commune)
    add(board, 2, "deputy")
    with pytest.raises(DomainError) as exc:
        add(board, 1, "deputy")
    assert exc.value.code == "supervision_too_many_deputies"
    assert "phó trưởng ban" in exc.value.message
    assert board.members.count() == 2


def test_board_only_in_a_commune_and_investment_needs_project(
    commune: Unit, thai_nguyen: Unit
) -> None:
    with pytest.raises(DomainError):
        services.board_create(actor=None, unit=thai_nguyen, kind="inspection", term_start=TERM)
    with pytest.raises(DomainError) as exc:
        services.board_create(actor=None, unit=commune, kind="investment", term_start=TERM)
    assert exc.value.field == "project"
    assert not Board.objects.exists()


def test_services_check_the_policy(commune: Unit, sibling_commune: Unit, officer: User) -> None:
    board = inspection(commune)
    outsider = make_user("ngoai-xa", "officer", sibling_commune)
    reader = make_user("doc-xa", "reviewer", commune)
    with pytest.raises(NotFound):
        services.member_add(actor=outsider, board=board, full_name="A", role="member")
    with pytest.raises(PermissionDenied):
        services.member_add(actor=reader, board=board, full_name="A", role="member")
    services.member_add(actor=officer, board=board, full_name="A", role="member")
    assert board.members.count() == 1


# --- plans --------------------------------------------------------------------------------


def plan(board: Board, sent_on: dt.date | None, starts_on: dt.date) -> Plan:
    return services.plan_create(
        actor=None, board=board, title="Kiểm tra thu chi quỹ", starts_on=starts_on, sent_on=sent_on
    )


@pytest.mark.parametrize(
    ("sent_on", "starts_on", "late"),
    [
        (dt.date(2026, 3, 2), dt.date(2026, 3, 9), False),  # Mon → Mon: exactly 5 working days
        (dt.date(2026, 3, 2), dt.date(2026, 3, 6), True),  # Mon → Fri: 4
        (dt.date(2026, 3, 5), dt.date(2026, 3, 12), False),  # Thu → Thu across a weekend: 5
        (dt.date(2026, 3, 5), dt.date(2026, 3, 11), True),  # Thu → Wed across a weekend: 4
        (dt.date(2026, 3, 7), dt.date(2026, 3, 13), False),  # sent on a Saturday: Mon–Fri
        (dt.date(2026, 3, 6), dt.date(2026, 3, 12), True),  # Fri → Thu: Mon–Thu only
    ],
)
def test_plan_notice_in_working_days(
    commune: Unit, sent_on: dt.date, starts_on: dt.date, late: bool
) -> None:
    row = selectors.plan_row(plan(inspection(commune), sent_on, starts_on))
    assert row.late_notice is late
    assert row.rule is not None
    assert row.rule.amount == 5


def test_plan_not_sent_is_flagged_and_sent_after_start_refused(commune: Unit) -> None:
    board = inspection(commune)
    assert selectors.plan_row(plan(board, None, dt.date(2026, 3, 9))).not_sent
    with pytest.raises(DomainError) as exc:
        plan(board, dt.date(2026, 3, 10), dt.date(2026, 3, 9))
    assert exc.value.field == "sent_on"
    assert board.plans.count() == 1


# --- recommendations ------------------------------------------------------------------------


def recommendation(board: Board, due: dt.date = dt.date(2026, 3, 20)) -> Recommendation:
    p = plan(board, dt.date(2026, 3, 2), dt.date(2026, 3, 9))
    activity = services.activity_add(
        actor=None, plan=p, date=dt.date(2026, 3, 10), description="Kiểm tra sổ sách"
    )
    finding = services.finding_add(actor=None, activity=activity, text="Thu sai quy định")
    return services.recommendation_add(
        actor=None, finding=finding, text="Hoàn trả tiền", addressed_to="UBND xã", due_date=due
    )


def test_recommendation_tracked_to_closure(commune: Unit, officer: User) -> None:
    board = inspection(commune)
    item = recommendation(board)
    rows = list(selectors.recommendations_under(user=officer, unit=commune))
    assert overdue(rows) == [True]
    with pytest.raises(DomainError):
        services.recommendation_close(
            actor=officer, recommendation=item, closed_on=dt.date(2026, 3, 24)
        )
    item = services.recommendation_answer(
        actor=officer, recommendation=item, answer="Đã hoàn trả", answered_on=dt.date(2026, 3, 23)
    )
    assert item.state == "answered"
    rows = list(selectors.recommendations_under(user=officer, unit=commune))
    assert overdue(rows) == [False]
    item = services.recommendation_close(
        actor=officer, recommendation=item, closed_on=dt.date(2026, 3, 24), closing_note="Xong"
    )
    assert item.state == "closed"
    assert list(selectors.recommendations_under(user=officer, unit=commune, open_only=True)) == []
    with pytest.raises(DomainError):
        services.recommendation_answer(
            actor=officer, recommendation=item, answer="x", answered_on=dt.date(2026, 3, 24)
        )


def test_recommendations_open_first(commune: Unit, officer: User) -> None:
    board = inspection(commune)
    first = recommendation(board, due=dt.date(2026, 3, 15))
    services.recommendation_answer(
        actor=None, recommendation=first, answer="Đã xử lý", answered_on=dt.date(2026, 3, 16)
    )
    second = recommendation(board, due=dt.date(2026, 4, 15))
    rows = list(selectors.recommendations_under(user=officer, unit=commune))
    assert [r.pk for r in rows] == [second.pk, first.pk]
    assert overdue(rows) == [False, False]


def test_activity_and_dates_refused_write_nothing(commune: Unit) -> None:
    p = plan(inspection(commune), dt.date(2026, 3, 2), dt.date(2026, 3, 9))
    with pytest.raises(DomainError):
        services.activity_add(actor=None, plan=p, date=dt.date(2026, 3, 8), description="x")
    with pytest.raises(DomainError):
        services.activity_add(actor=None, plan=p, date=dt.date(2026, 3, 26), description="x")
    with pytest.raises(DomainError):
        services.activity_add(actor=None, plan=p, date=dt.date(2026, 3, 10), description="  ")
    assert not p.activities.exists()


# --- conferences ----------------------------------------------------------------------------


def conference(unit: Unit, kind: str, employer: int = 3, workers: int = 3) -> Conference:
    return services.conference_record(
        actor=None,
        unit=unit,
        kind=kind,
        held_on=dt.date(2026, 3, 1),
        participants_employer=employer,
        participants_workers=workers,
    )


@pytest.mark.parametrize(("employer", "workers"), [(2, 3), (3, 2)])
def test_workplace_dialogue_needs_three_each_side(
    enterprise: Unit, employer: int, workers: int
) -> None:
    with pytest.raises(DomainError) as exc:
        conference(enterprise, "dialogue", employer, workers)
    assert exc.value.code == "supervision_too_few_participants"
    assert "Bộ luật Lao động 2019, Điều 63" in exc.value.message
    assert not Conference.objects.exists()
    conference(enterprise, "dialogue", 3, 3)
    assert Conference.objects.count() == 1


def test_conference_kind_must_fit_the_unit(agency: Unit, enterprise: Unit) -> None:
    with pytest.raises(DomainError):
        conference(agency, "dialogue")
    with pytest.raises(DomainError):
        conference(enterprise, "staff")
    assert not Conference.objects.exists()


def test_conference_gaps(commune: Unit, agency: Unit, enterprise: Unit, officer: User) -> None:
    gaps = selectors.conference_gaps(user=officer, unit=commune, year=2026)
    assert {(g.unit, g.kind) for g in gaps} == {
        (agency, "staff"),
        (enterprise, "workers"),
        (enterprise, "dialogue"),
    }
    assert all(g.ongoing for g in gaps)
    conference(agency, "staff")
    conference(enterprise, "dialogue")
    gaps = selectors.conference_gaps(user=officer, unit=commune, year=2026)
    assert [(g.unit, g.kind, g.held, g.required) for g in gaps] == [(enterprise, "workers", 0, 1)]
    assert gaps[0].rule.to_verify
    # The year before: nothing held, all three missing and the year is over.
    last_year = selectors.conference_gaps(user=officer, unit=commune, year=2025)
    assert len(last_year) == 3
    assert not any(g.ongoing for g in last_year)
