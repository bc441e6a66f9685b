"""Every actor against every permission on one task (province assigns, village leads,
another village coordinates)."""

from __future__ import annotations

from typing import Any

import pytest

from danvan.directives.tasks import policies
from danvan.directives.tasks.models import Task
from danvan.directives.tasks.selectors import visible_q

pytestmark = pytest.mark.django_db

ACTORS = ("lead", "coord", "assigner", "sibling", "parent", "reviewer", "anonymous")
# A grant covers its unit's subtree: the commune's officer (parent) and the province's
# (assigner) hold an officer's permissions on the village too. Only the assigner's side
# accepts, returns, reopens and cancels.
MATRIX: dict[str, tuple[str, ...]] = {
    "can_view": ("lead", "coord", "assigner", "parent", "reviewer"),
    "can_report": ("lead", "coord", "assigner", "parent"),
    "can_submit": ("lead", "assigner", "parent"),
    "can_delegate": ("lead", "assigner", "parent"),
    "can_manage": ("assigner",),
}


@pytest.mark.parametrize("predicate", sorted(MATRIX))
def test_policy_matrix(task: Task, actors: dict[str, Any], predicate: str) -> None:
    check = getattr(policies, predicate)
    task = Task.objects.select_related("lead_unit", "assigner_unit").get(pk=task.pk)
    seen = {actor: check(actors[actor], task) for actor in ACTORS}
    assert seen == {actor: actor in MATRIX[predicate] for actor in ACTORS}


@pytest.mark.parametrize("actor", ACTORS)
def test_the_visibility_filter_agrees_with_the_predicate(
    task: Task, actors: dict[str, Any], actor: str
) -> None:
    user = actors[actor]
    in_sql = Task.objects.filter(visible_q(user), pk=task.pk).exists()
    assert in_sql == policies.can_view(user, task)
