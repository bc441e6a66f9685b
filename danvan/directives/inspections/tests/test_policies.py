"""The policies matrix: who sees a plan, an inspection (whole or only their own unit's
part) and who answers a recommendation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from danvan.core.errors import NotFound
from danvan.directives.inspections import policies, selectors, services
from danvan.directives.inspections.models import (
    FindingKind,
    InspectionPlan,
    InspectionTarget,
    Recommendation,
)
from danvan.directives.tasks.selectors import Day

from .conftest import TODAY, YEAR

pytestmark = pytest.mark.django_db

DAY = Day(TODAY, TODAY + dt.timedelta(days=7))


@pytest.fixture
def recorded(actors: dict[str, Any], targets: list[InspectionTarget]) -> list[Recommendation]:
    """A finding and a recommendation at each village."""
    recs = []
    for target in targets:
        finding = services.finding_record(
            actor=actors["inspecting"],
            target=target,
            kind=FindingKind.SHORTCOMING,
            text=f"Hạn chế ở {target.unit.name}",
        )
        recs.append(
            services.recommendation_record(
                actor=actors["inspecting"],
                target=target,
                finding=finding,
                text=f"Khắc phục ở {target.unit.name}",
                due_on=dt.date(YEAR, 5, 29),
            )
        )
    return recs


# (actor, sees the plan, sees the inspection whole, villages whose part it sees)
MATRIX = [
    ("inspecting", True, True, {0, 1}),
    ("inspected", False, False, {0}),
    ("sibling", False, False, {1}),
    ("outsider", False, False, set()),
    ("parent", True, True, {0, 1}),
    ("national", True, True, {0, 1}),
    ("anonymous", False, False, set()),
]


@pytest.mark.parametrize(("who", "plan_seen", "whole", "parts"), MATRIX)
def test_visibility(
    actors: dict[str, Any],
    plan: InspectionPlan,
    recorded: list[Recommendation],
    villages: list[Any],
    who: str,
    plan_seen: bool,
    whole: bool,
    parts: set[int],
) -> None:
    user = actors[who]
    assert policies.sees_plan(user, plan) is plan_seen
    if plan_seen:
        assert selectors.plan_get(user=user, public_id=plan.public_id) == plan
    else:
        with pytest.raises(NotFound):
            selectors.plan_get(user=user, public_id=plan.public_id)
    inspection = recorded[0].target.inspection
    if not parts:
        with pytest.raises(NotFound):
            selectors.inspection_view(user=user, public_id=inspection.public_id, day=DAY)
        return
    view = selectors.inspection_view(user=user, public_id=inspection.public_id, day=DAY)
    assert view.whole is whole
    assert {villages.index(t.target.unit) for t in view.targets} == parts
    seen_findings = {f.text for t in view.targets for f in t.findings}
    assert seen_findings == {f"Hạn chế ở {villages[i].name}" for i in parts}
    # The team is the inspecting side's business.
    assert bool(view.team) is whole


@pytest.mark.parametrize(
    ("who", "answers_first", "answers_second"),
    [
        ("inspecting", True, True),
        ("inspected", True, False),
        ("sibling", False, True),
        ("outsider", False, False),
        ("parent", True, True),
        ("national", True, True),
        ("anonymous", False, False),
    ],
)
def test_who_answers(
    actors: dict[str, Any],
    recorded: list[Recommendation],
    who: str,
    answers_first: bool,
    answers_second: bool,
) -> None:
    user = actors[who]
    assert policies.can_answer(user, recorded[0]) is answers_first
    assert policies.can_answer(user, recorded[1]) is answers_second


def test_recommendation_get_hides_the_others(
    actors: dict[str, Any], recorded: list[Recommendation]
) -> None:
    assert selectors.recommendation_get(user=actors["inspected"], public_id=recorded[0].public_id)
    with pytest.raises(NotFound):
        selectors.recommendation_get(user=actors["inspected"], public_id=recorded[1].public_id)
    with pytest.raises(NotFound):
        selectors.recommendation_get(user=actors["outsider"], public_id=recorded[0].public_id)


def test_inspection_as_a_source_of_proposed_tasks(
    actors: dict[str, Any], targets: list[InspectionTarget]
) -> None:
    from danvan.directives.tasks.sources import resolve_source

    inspection = targets[0].inspection
    ref = resolve_source("inspection", actors["inspecting"], str(inspection.public_id))
    assert ref.obj == inspection
    assert ref.unit == inspection.plan.unit
    for who in ("inspected", "outsider"):
        with pytest.raises(NotFound):
            resolve_source("inspection", actors[who], str(inspection.public_id))
    with pytest.raises(NotFound):
        resolve_source("inspection", actors["inspecting"], "not-a-uuid")
