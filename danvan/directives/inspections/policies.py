"""Who may do what on inspections: named predicates over accounts.policies.

- the inspecting side (the plan unit's officers, and those above): DIRECTIVE_VIEW on the
  plan's unit sees the whole plan and every inspection in it; DIRECTIVE_MANAGE there
  plans and records (team, targets, findings, recommendations, conclusion);
- an inspected unit's officers: DIRECTIVE_VIEW on a target's unit sees that inspection,
  but only the parts about their own unit (not the other targets' findings); TASK_REPORT
  there answers its recommendations (progress and closure go through the task pages).

A grant covers its unit's subtree, so the officers of a unit above hold these too.
"""

from __future__ import annotations

from typing import Any

from danvan.accounts import policies
from danvan.accounts.policies import Perm

from .models import Inspection, InspectionPlan, InspectionTarget, Recommendation


def sees_plan(user: Any, plan: InspectionPlan) -> bool:
    return policies.has_perm(user, Perm.DIRECTIVE_VIEW, plan.unit)


def can_manage(user: Any, plan: InspectionPlan) -> bool:
    return policies.has_perm(user, Perm.DIRECTIVE_MANAGE, plan.unit)


def sees_target(user: Any, target: InspectionTarget) -> bool:
    """Does *user* see what the inspection found at *target* (the inspecting side, or
    the inspected unit itself)?"""
    return sees_plan(user, target.inspection.plan) or policies.has_perm(
        user, Perm.DIRECTIVE_VIEW, target.unit
    )


def sees_inspection(user: Any, inspection: Inspection, targets: list[InspectionTarget]) -> bool:
    """*targets*: the inspection's targets (loaded by the selector)."""
    return sees_plan(user, inspection.plan) or any(
        policies.has_perm(user, Perm.DIRECTIVE_VIEW, t.unit) for t in targets
    )


def can_answer(user: Any, recommendation: Recommendation) -> bool:
    return policies.has_perm(user, Perm.TASK_REPORT, recommendation.target.unit)
