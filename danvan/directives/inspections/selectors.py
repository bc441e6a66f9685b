"""Every read of inspections, scoped to what the actor may see.

The inspecting side (DIRECTIVE_VIEW on the plan's unit) sees a plan whole; an inspected
unit's officers (DIRECTIVE_VIEW on a target's unit) see the inspections of their unit and
only what concerns their unit: not the other targets, their findings or their
recommendations. Anything out of sight answers exactly like a missing record. Lists run a
fixed number of queries whatever their length.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.core.errors import NotFound
from danvan.directives.tasks.models import Task, TaskState
from danvan.directives.tasks.selectors import Day
from danvan.directives.tasks.status import TaskStatus, status_of
from danvan.units.models import Official, Unit

from . import policies as inspection_policies
from .models import (
    Finding,
    Inspection,
    InspectionPlan,
    InspectionTarget,
    Recommendation,
    TeamMember,
)

# A recommendation is open while its task is neither accepted nor cancelled.
_LIVE = (TaskState.OPEN, TaskState.SUBMITTED)
_OPEN_REC = Q(recommendations__task__state__in=_LIVE) | Q(
    recommendations__isnull=False, recommendations__task__isnull=True
)


def _open_count() -> Count:
    return Count("recommendations", filter=_OPEN_REC, distinct=True)


# --- plans -------------------------------------------------------------------------------


def plans_for_unit(
    *, user: Any, unit: Unit | None, year: int | None = None
) -> QuerySet[InspectionPlan]:
    """The plans of *unit*'s subtree (None: the whole country, for a national reader),
    with the number of inspections and of open recommendations."""
    if unit is None:
        if not policies.has_perm(user, Perm.DIRECTIVE_VIEW, None):
            return InspectionPlan.objects.none()
        qs = InspectionPlan.objects.all()
    else:
        policies.require(user, Perm.DIRECTIVE_VIEW, unit)
        qs = InspectionPlan.objects.filter(policies.subtree_q(unit, "unit__"))
    if year is not None:
        qs = qs.filter(year=year)
    recs = "inspections__targets__recommendations"
    open_q = Q(**{f"{recs}__task__state__in": _LIVE}) | Q(
        **{f"{recs}__isnull": False, f"{recs}__task__isnull": True}
    )
    return (
        qs.select_related("unit")
        .annotate(
            n_inspections=Count("inspections", distinct=True),
            n_open=Count(recs, filter=open_q, distinct=True),
        )
        .order_by("-year", "unit__path", "-id")
    )


@dataclass(frozen=True)
class Summary:
    plans: int
    inspections: int
    recommendations: int
    open: int
    unanswered: int


def summary(plans: QuerySet[InspectionPlan]) -> Summary:
    """The figures shown first on the list (two queries)."""
    ids = plans.order_by().values("pk")
    recs = Recommendation.objects.filter(target__inspection__plan__in=ids).aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(task__isnull=True) | Q(task__state__in=_LIVE)),
        unanswered=Count("pk", filter=Q(answered_on__isnull=True)),
    )
    head = plans.order_by().aggregate(n=Count("pk", distinct=True), i=Count("inspections"))
    return Summary(
        plans=head["n"] or 0,
        inspections=head["i"] or 0,
        recommendations=recs["total"] or 0,
        open=recs["open"] or 0,
        unanswered=recs["unanswered"] or 0,
    )


def plan_get(*, user: Any, public_id: uuid.UUID | str) -> InspectionPlan:
    plan = InspectionPlan.objects.select_related("unit").filter(public_id=public_id).first()
    if plan is None or not inspection_policies.sees_plan(user, plan):
        raise NotFound()
    return plan


def plan_inspections(plan: InspectionPlan) -> list[Inspection]:
    """The plan's inspections with their targets, each target with its open
    recommendations count (three queries)."""
    targets = (
        InspectionTarget.objects.select_related("unit")
        .annotate(n_open=_open_count())
        .order_by("scheduled_on", "unit__path", "id")
    )
    return list(
        plan.inspections.order_by("starts_on", "id").prefetch_related(
            Prefetch("targets", queryset=targets)
        )
    )


# --- one inspection ----------------------------------------------------------------------


@dataclass
class TargetView:
    """A target as the page shows it: findings and recommendations (with their task's
    computed status)."""

    target: InspectionTarget
    findings: list[Finding] = field(default_factory=list)
    recommendations: list[tuple[Recommendation, TaskStatus | None]] = field(default_factory=list)


@dataclass
class InspectionView:
    inspection: Inspection
    whole: bool  # the inspecting side: every target
    team: list[TeamMember]
    targets: list[TargetView]


def _inspection_row(public_id: uuid.UUID | str) -> Inspection | None:
    return (
        Inspection.objects.select_related("plan__unit")
        .prefetch_related(
            Prefetch("targets", queryset=InspectionTarget.objects.select_related("unit"))
        )
        .filter(public_id=public_id)
        .first()
    )


def _visible_targets(user: Any, inspection: Inspection) -> tuple[bool, list[InspectionTarget]]:
    targets = list(inspection.targets.all())
    if inspection_policies.sees_plan(user, inspection.plan):
        return True, targets
    return False, [t for t in targets if policies.has_perm(user, Perm.DIRECTIVE_VIEW, t.unit)]


def inspection_get(
    *, user: Any, public_id: uuid.UUID | str
) -> tuple[Inspection, bool, list[InspectionTarget]]:
    """The inspection, whether *user* sees it whole, and the targets *user* sees."""
    inspection = _inspection_row(public_id)
    if inspection is None:
        raise NotFound()
    whole, targets = _visible_targets(user, inspection)
    if not whole and not targets:
        raise NotFound()
    return inspection, whole, targets


def inspection_view(*, user: Any, public_id: uuid.UUID | str, day: Day) -> InspectionView:
    """Everything the inspection page shows *user* (a fixed number of queries)."""
    inspection, whole, targets = inspection_get(user=user, public_id=public_id)
    ids = [t.pk for t in targets]
    findings = Finding.objects.filter(target_id__in=ids).select_related("task").order_by("id")
    recs = (
        Recommendation.objects.filter(target_id__in=ids)
        .select_related("task", "finding")
        .order_by("due_on", "id")
    )
    views = {t.pk: TargetView(t) for t in targets}
    for finding in findings:
        views[finding.target_id].findings.append(finding)
    for rec in recs:
        status = status_of(rec.task, day.today, day.soon) if rec.task is not None else None
        views[rec.target_id].recommendations.append((rec, status))
    team = list(inspection.team.select_related("official__unit").order_by("id") if whole else [])
    return InspectionView(
        inspection=inspection, whole=whole, team=team, targets=list(views.values())
    )


def target_get(*, inspection: Inspection, pk: int) -> InspectionTarget:
    target = (
        InspectionTarget.objects.select_related("unit", "inspection__plan__unit")
        .filter(inspection=inspection, pk=pk)
        .first()
    )
    if target is None:
        raise NotFound()
    return target


def team_officials(inspection: Inspection) -> QuerySet[Official]:
    """The officials a team member may be picked from: the plan unit's subtree."""
    return (
        Official.objects.filter(policies.subtree_q(inspection.plan.unit, "unit__"))
        .select_related("unit")
        .order_by("unit__path", "full_name")
    )


# How many tasks a finding's "task it concerns" list offers (the most recent first).
TASK_CHOICES_LIMIT = 200


def target_tasks(target: InspectionTarget) -> list[Task]:
    """The tasks a finding at *target* may concern: those its unit (or a unit under it)
    leads, not cancelled."""
    return list(
        Task.objects.filter(policies.subtree_q(target.unit, "lead_unit__"))
        .exclude(state=TaskState.CANCELLED)
        .select_related("lead_unit")
        .order_by("-due_on", "-id")[:TASK_CHOICES_LIMIT]
    )


# --- recommendations of an inspected unit ------------------------------------------------


def recommendations_for_unit(
    *, user: Any, unit: Unit | None, unanswered: bool = False
) -> QuerySet[Recommendation]:
    """The recommendations to *unit*'s subtree (None: the whole country, for a national
    reader), most urgent first."""
    if unit is None:
        if not policies.has_perm(user, Perm.DIRECTIVE_VIEW, None):
            return Recommendation.objects.none()
        qs = Recommendation.objects.all()
    else:
        policies.require(user, Perm.DIRECTIVE_VIEW, unit)
        qs = Recommendation.objects.filter(policies.subtree_q(unit, "target__unit__"))
    if unanswered:
        qs = qs.filter(answered_on__isnull=True)
    return qs.select_related(
        "task", "target__unit", "target__inspection__plan__unit", "finding"
    ).order_by("answered_on", "due_on", "id")


def with_status(
    rows: list[Recommendation], day: Day
) -> list[tuple[Recommendation, TaskStatus | None]]:
    return [
        (r, status_of(r.task, day.today, day.soon) if r.task is not None else None) for r in rows
    ]


def recommendation_get(*, user: Any, public_id: uuid.UUID | str) -> Recommendation:
    rec = (
        Recommendation.objects.select_related(
            "task", "finding", "target__unit", "target__inspection__plan__unit"
        )
        .filter(public_id=public_id)
        .first()
    )
    if rec is None or not inspection_policies.sees_target(user, rec.target):
        raise NotFound()
    return rec
