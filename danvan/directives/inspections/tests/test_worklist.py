"""The list of what needs doing: recommendations the inspected unit has not answered."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from danvan.directives.inspections import services
from danvan.directives.inspections.models import InspectionTarget
from danvan.directives.inspections.worklist import UNANSWERED
from danvan.units.models import Unit
from danvan.worklist.registry import Scope, sources

from .conftest import TODAY, YEAR

pytestmark = pytest.mark.django_db


def _source() -> Any:
    return next(s for s in sources() if s.code == UNANSWERED)


def _recommend(actors: dict[str, Any], target: InspectionTarget, n: int) -> list[Any]:
    return [
        services.recommendation_record(
            actor=actors["inspecting"],
            target=target,
            text=f"Kiến nghị {i} cho {target.unit.name}",
            due_on=dt.date(YEAR, 5, 1 + i),
        )
        for i in range(n)
    ]


def test_unanswered_recommendations_of_the_unit(
    actors: dict[str, Any], targets: list[InspectionTarget], villages: list[Unit]
) -> None:
    mine = _recommend(actors, targets[0], 2)
    _recommend(actors, targets[1], 1)
    services.recommendation_answer(actor=actors["inspected"], recommendation=mine[1], answer="Xong")
    found = _source().find(Scope(actor=actors["inspected"], root=villages[0], today=TODAY))
    assert found.total == 1
    assert found.items[0].url.endswith(f"/kiem-tra/kien-nghi/{mine[0].public_id}/tra-loi/")
    assert found.items[0].where == villages[0].name
    sibling = _source().find(Scope(actor=actors["sibling"], root=villages[1], today=TODAY))
    assert sibling.total == 1


def test_constant_queries(
    actors: dict[str, Any],
    targets: list[InspectionTarget],
    commune: Unit,
    django_assert_max_num_queries: Any,
) -> None:
    _recommend(actors, targets[0], 2)
    _recommend(actors, targets[1], 6)
    with django_assert_max_num_queries(4):
        found = _source().find(Scope(actor=actors["inspecting"], root=commune, today=TODAY))
    assert found.total == 8
