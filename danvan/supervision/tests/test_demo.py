"""The demo of people's supervision: boards, plans, recommendations and conferences,
with the gaps the selectors must show."""

from __future__ import annotations

import pytest

from danvan.accounts.models import User
from danvan.demo.services import demo_seed_base
from danvan.supervision import demo, selectors
from danvan.supervision.models import Board, BoardMember, Conference, Plan, Recommendation
from danvan.units import demo as units_demo
from danvan.units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


def test_demo_supervision_shows_the_planned_gaps_and_is_idempotent() -> None:
    demo_seed_base()
    result = demo.demo_seed_supervision()
    assert result.boards == Board.objects.count() == 4
    assert result.members == BoardMember.objects.count()
    assert result.plans == Plan.objects.count() == 3
    assert result.recommendations == Recommendation.objects.count() == 2
    assert result.conferences == Conference.objects.count() > 0

    # Boards: complete in the first commune, a village gap in the second, too few in the third.
    codes = {}
    for row in selectors.board_rows(Board.objects.filter(kind=Board.Kind.INSPECTION)):
        codes[row.board.unit.code] = {f.code for f in row.findings}
    first, second, third = units_demo.COMMUNE_CODES
    assert codes[first] == set()
    assert codes[second] == {"village_without_member"}
    assert "too_few_members" in codes[third]
    investment = Board.objects.get(kind=Board.Kind.INVESTMENT)
    assert selectors.board_findings(investment) == []

    # Plans: one sent in time, one late.
    rows = {row.plan.title: row for row in selectors.plan_rows(Plan.objects.all())}
    assert sum(row.late_notice for row in rows.values()) == 1
    assert not any(row.not_sent for row in rows.values())

    # Recommendations: one answered and closed, one open and overdue.
    officer = User.objects.get(username="tinh.canbo")
    province = Unit.objects.get(code=units_demo.PROVINCE_CODE)
    recs = list(selectors.recommendations_under(user=officer, unit=province))
    assert [(r.state, getattr(r, "overdue", None)) for r in recs] == [
        (Recommendation.State.OPEN, True),
        (Recommendation.State.CLOSED, False),
    ]
    assert result.overdue == 1

    # Conferences: one agency without a staff conference; enterprises complete.
    gaps = selectors.conference_gaps(user=officer, unit=province, year=selectors.today().year)
    assert [(g.unit.kind, g.kind) for g in gaps] == [(UnitKind.AGENCY, Conference.Kind.STAFF)]
    assert Conference.objects.filter(kind=Conference.Kind.WORKERS).exists()
    assert Conference.objects.filter(kind=Conference.Kind.DIALOGUE).exists()

    again = demo.demo_seed_supervision()
    assert (again.boards, again.members, again.plans, again.conferences) == (0, 0, 0, 0)
    assert Board.objects.count() == 4
