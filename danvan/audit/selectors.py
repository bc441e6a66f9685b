"""Reads of the audit trail, scoped to the units whose trail the actor may browse.

An event carries the materialized path of its unit at the time (``unit_path``),
not a foreign key, so the subtree test is the same index range as for units
(`units.tree.subtree_bounds`) applied to that column. Events with no unit
(users, national settings) are visible only to system administrators.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.core.errors import PermissionDenied
from danvan.units import tree
from danvan.units.models import Unit

from .models import AuditEvent


def _path_q(path: str) -> Q:
    low, high = tree.subtree_bounds(path)
    return Q(unit_path__gte=low, unit_path__lt=high)


def audit_scope_q(actor: Any) -> Q:
    """Events *actor* may browse; PermissionDenied when they may browse none."""
    if policies.has_perm(actor, Perm.AUDIT_VIEW, None):
        return Q()  # a national grant: every event, with or without a unit
    units = [
        grant.unit
        for grant in policies.grants_of(actor)
        if grant.unit is not None and policies.has_perm(actor, Perm.AUDIT_VIEW, grant.unit)
    ]
    if not units:
        raise PermissionDenied()
    q = Q(pk__in=[])
    for unit in units:
        q |= _path_q(unit.path)
    return q


def _day_start(day: dt.date) -> dt.datetime:
    """Midnight of *day* in the legal time zone (Asia/Ho_Chi_Minh, settings.TIME_ZONE)."""
    return timezone.make_aware(
        dt.datetime.combine(day, dt.time.min), timezone.get_default_timezone()
    )


def audit_event_list(
    *,
    actor: Any,
    unit: Unit | None = None,
    username: str | None = None,
    model_label: str | None = None,
    object_pk: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """Events newest first, filtered; *date_from*/*date_to* are local dates, both inclusive."""
    qs = AuditEvent.objects.filter(audit_scope_q(actor))
    if unit is not None:
        qs = qs.filter(_path_q(unit.path))
    if username:
        qs = qs.filter(actor_repr__iexact=username.strip())
    if model_label:
        qs = qs.filter(model_label=model_label)
    if object_pk:
        qs = qs.filter(object_pk=object_pk.strip())
    if date_from is not None:
        qs = qs.filter(at__gte=_day_start(date_from))
    if date_to is not None:
        qs = qs.filter(at__lt=_day_start(date_to + dt.timedelta(days=1)))
    return qs.order_by("-at", "-id")
