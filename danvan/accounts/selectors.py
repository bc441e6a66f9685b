"""Reads about users: their grants, the unit they are working in, their tokens."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from danvan.units.models import Unit

from . import policies
from .models import ApiToken, Role, RoleGrant

SESSION_UNIT_KEY = "danvan_current_unit"


def switchable_units(user: Any) -> list[Unit]:
    """The granted units (no duplicates, tree order). A national grant lists the provinces."""
    grants = policies.grants_of(user)
    if any(g.unit is None for g in grants):
        return list(Unit.objects.filter(kind="province", valid_to__isnull=True).order_by("name"))
    units = {g.unit.pk: g.unit for g in grants if g.unit is not None}
    return sorted(units.values(), key=lambda u: u.path)


def current_unit(request: HttpRequest) -> Unit | None:
    """The unit the user chose to work in, if still allowed; else their first granted unit."""
    cached: Unit | None = getattr(request, "_danvan_current_unit", None)
    if cached is not None:
        return cached
    user = request.user
    code = request.session.get(SESSION_UNIT_KEY)
    unit: Unit | None = None
    if code:
        unit = Unit.objects.filter(code=code).first()
        if unit is not None and not policies.has_perm(user, policies.Perm.UNIT_VIEW, unit):
            unit = None
    if unit is None:
        choices = [g.unit for g in policies.grants_of(user) if g.unit is not None]
        unit = min(choices, key=lambda u: u.path) if choices else None
    request._danvan_current_unit = unit  # type: ignore[attr-defined]
    return unit


def tokens_of(user: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def administrators_for(unit: Unit, *, limit: int = 3) -> list[RoleGrant]:
    """The unit administrators a user of *unit* can ask for a permission: those of the
    unit itself first, then of each unit above it (nearest first), at most *limit*."""
    grants = (
        RoleGrant.objects.filter(
            role=Role.UNIT_ADMIN, unit_id__in=[unit.pk, *unit.ancestor_ids], user__is_active=True
        )
        .select_related("user", "unit")
        .order_by("-unit__path", "user__username")
    )
    return list(grants[:limit])
