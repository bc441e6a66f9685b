"""The submission board against counts made by hand, and the reminders of reports due."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from danvan.accounts.models import Role, User
from danvan.accounts.testing import make_user
from danvan.reports.campaigns import selectors, services
from danvan.reports.campaigns.models import Campaign, Report, ReportStatus
from danvan.reports.campaigns.worklist import DUE
from danvan.reports.models import Regime, ReportTemplate
from danvan.units.models import Unit
from danvan.worklist.registry import Scope, Urgency, sources

from .conftest import COMMUNE_DUE, TODAY, fill, travel

pytestmark = pytest.mark.django_db


def _source(code: str) -> Any:
    return next(s for s in sources() if s.code == code)


@pytest.fixture
def communes(thai_nguyen: Unit) -> list[Unit]:
    return list(Unit.objects.filter(parent=thai_nguyen, valid_to__isnull=True).order_by("code")[:6])


@pytest.fixture
def big(
    regime: Regime,
    template: ReportTemplate,
    province_admin: User,
    thai_nguyen: Unit,
    communes: list[Unit],
) -> Campaign:
    return services.campaign_open(
        actor=province_admin,
        regime=regime,
        template=template,
        year=2026,
        owner_unit=thai_nguyen,
        units=[thai_nguyen, *communes],
    )


def _officer(unit: Unit) -> User:
    return make_user(f"cb-{unit.code}", Role.OFFICER, unit)


def test_board_counts_match_the_raw_counts(
    big: Campaign, thai_nguyen: Unit, communes: list[Unit], province_officer: User
) -> None:
    reports = {r.unit_id: r for r in big.reports.all()}
    a, b, c, d, _e, _f = communes
    # a: on time, approved; b: on time, returned; c: late (after 16/06); d: submitted on time;
    # e and f: not sent (past due on the board's day).
    for unit in (a, b, d):
        officer = _officer(unit)
        fill(reports[unit.pk], officer)
        services.report_submit(actor=officer, report=reports[unit.pk])
    services.report_approve(actor=province_officer, report=reports[a.pk])
    services.report_return(actor=province_officer, report=reports[b.pk], message="Bổ sung.")
    with travel(dt.date(2026, 6, 17)):
        officer = _officer(c)
        fill(reports[c.pk], officer)
        services.report_submit(actor=officer, report=reports[c.pk])
    day = dt.date(2026, 6, 18)
    board = selectors.board(campaign=big, root=thai_nguyen, today=day)
    rows = Report.objects.filter(campaign=big)
    sent = [r for r in rows if r.is_sent]
    assert board.total.expected == rows.count() == 7
    assert board.total.submitted == len(sent) == 3  # a (approved), c, d
    assert board.total.approved == 1
    assert board.total.returned == 1
    on_time = [r for r in sent if r.first_submitted_on <= r.due_date]  # type: ignore[operator]
    late = [r for r in sent if r.first_submitted_on > r.due_date] + [  # type: ignore[operator]
        r for r in rows if not r.is_sent and r.due_date < day
    ]
    assert board.total.on_time == len(on_time) == 2
    # c sent late; b (returned), e and f not in past 16/06. The province is due 19/06.
    assert board.total.late == len(late) == 4
    assert board.total.reporting_pct == round(3 / 7 * 100, 1)
    assert board.total.on_time_pct == round(2 / 7 * 100, 1)
    by_unit = {row.unit: row for row in board.rows}
    assert by_unit[a].approved == 1
    assert by_unit[a].on_time_rate == 1.0
    assert by_unit[c].late == 1
    assert by_unit[c].on_time == 0
    assert by_unit[thai_nguyen].expected == 1
    assert by_unit[thai_nguyen].late == 0
    assert board.rows[0].unit == thai_nguyen  # the root's own report first


def test_board_runs_a_constant_number_of_queries(
    big: Campaign, thai_nguyen: Unit, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(2):
        board = selectors.board(campaign=big, root=thai_nguyen, today=TODAY)
    assert len(board.rows) == 7


def test_board_under_a_commune_counts_its_report_only(big: Campaign, communes: list[Unit]) -> None:
    board = selectors.board(campaign=big, root=communes[0], today=TODAY)
    assert board.total.expected == 1
    assert [r.unit for r in board.rows] == [communes[0]]


def test_reminders_go_only_to_units_that_have_not_sent_as_the_deadline_nears(
    campaign: Campaign,
    report: Report,
    commune: Unit,
    sibling_commune: Unit,
    thai_nguyen: Unit,
    commune_officer: User,
    sibling_officer: User,
    province_officer: User,
) -> None:
    # Three weeks before the deadline: nothing yet.
    early = Scope(actor=commune_officer, root=commune, today=dt.date(2026, 5, 25))
    assert _source(DUE).find(early).total == 0
    # On 15/06 the commune's deadline (16/06) is within three working days.
    found = _source(DUE).find(Scope(actor=commune_officer, root=commune, today=TODAY))
    assert found.total == 1
    assert found.items[0].url == report.get_absolute_url()
    assert found.items[0].urgency == Urgency.DUE_SOON
    assert found.items[0].due == COMMUNE_DUE
    # Past the deadline: overdue.
    late = _source(DUE).find(Scope(actor=commune_officer, root=None, today=dt.date(2026, 6, 17)))
    assert late.overdue == 1
    assert late.items[0].urgency == Urgency.OVERDUE
    # The level above is not reminded of its units' reports (it follows the board); its
    # own report, due 19/06, is within three working days on 16/06.
    above = _source(DUE).find(
        Scope(actor=province_officer, root=thai_nguyen, today=dt.date(2026, 6, 16))
    )
    assert above.total == 1
    assert above.items[0].where == thai_nguyen.name
    # Once sent, no reminder.
    fill(report, commune_officer)
    services.report_submit(actor=commune_officer, report=report)
    assert _source(DUE).find(Scope(actor=commune_officer, root=commune, today=TODAY)).total == 0
    # The sibling, not sent, is still reminded.
    sibling = Scope(actor=sibling_officer, root=sibling_commune, today=TODAY)
    assert _source(DUE).find(sibling).total == 1
    # A returned report is to be sent again: reminded again.
    services.report_return(actor=province_officer, report=report, message="Bổ sung.")
    assert _source(DUE).find(Scope(actor=commune_officer, root=commune, today=TODAY)).total == 1
    assert Report.objects.get(pk=report.pk).status == ReportStatus.RETURNED
