"""Reads of cases, always scoped to what the actor may see (a hidden case is a missing one)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from danvan.accounts import policies
from danvan.accounts.models import Role, User
from danvan.accounts.policies import ROLE_PERMS, Perm
from danvan.core.errors import NotFound
from danvan.units.models import Unit

from .models import Alert, Case, Status


def cases_visible(user: Any) -> QuerySet[Case]:
    return Case.objects.filter(policies.scope_q(user, Perm.CASE_VIEW, "unit__"))


def case_get(user: Any, public_id: uuid.UUID | str) -> Case:
    try:
        key = uuid.UUID(str(public_id))
    except ValueError as exc:
        raise NotFound() from exc
    case = (
        Case.objects.select_related("unit", "rule", "resolve_rule", "handler", "previous")
        .select_related("transferred_to", "transferred_from", "reception_session")
        .filter(public_id=key)
        .first()
    )
    if case is None:
        raise NotFound()
    visible = policies.has_perm(user, Perm.CASE_VIEW, case.unit)
    # An identity keeper assigned to a case sees it even without a handling role.
    if not visible and not policies.can_view_identity(user, case):
        raise NotFound()
    return case


def _list(qs: QuerySet[Case]) -> QuerySet[Case]:
    return qs.select_related("unit", "handler").order_by("due_date", "id")


# Django 5.2 writes `is_open=True` as a bare `AND "is_open"` on SQLite, which no index
# answers (fixed after 5.2, Django ticket #36492): the queues hold up to 10^6 rows, so they
# filter with an IN of one value, which both SQLite's and PostgreSQL's planners take as an
# equality on the index's second column (bench/cases_queue.py).
_OPEN = {"is_open__in": [True]}


def queue_for(user: Any) -> QuerySet[Case]:
    """The officer's queue: open cases they lead, earliest due first, read in order from
    the case_queue index. The handler is *user*, so it is not joined (the extra join made
    SQLite sort the whole queue). The queue page itself reads through queue.py."""
    return (
        Case.objects.filter(handler=user, **_OPEN).select_related("unit").order_by("due_date", "id")
    )


def inbox_for(user: Any, unit: Unit) -> QuerySet[Case]:
    """Open cases of *unit* with nobody in charge yet (index case_unit_queue)."""
    policies.require(user, Perm.CASE_VIEW, unit)
    return _list(Case.objects.filter(unit=unit, handler__isnull=True, **_OPEN))


def cases_under(user: Any, unit: Unit | None) -> QuerySet[Case]:
    """Every case of *unit*'s subtree the user may see (None: the nation, for a national
    grant only)."""
    policies.require(user, Perm.CASE_VIEW, unit)
    if unit is None:
        return _list(cases_visible(user))
    return _list(cases_visible(user).filter(policies.subtree_q(unit, "unit__")))


def overdue_under(user: Any, unit: Unit | None, *, today: dt.date) -> QuerySet[Case]:
    """Open cases past their due date in *unit*'s subtree (whether or not swept yet)."""
    return (
        cases_under(user, unit)
        .filter(is_open=True, due_date__lt=today)
        .exclude(status=Status.PAUSED)
    )


def alert_counts(user: Any, unit: Unit | None) -> dict[str, int]:
    row = (
        cases_under(user, unit)
        .filter(is_open=True)
        .aggregate(
            overdue=Count("id", filter=Q(alert=Alert.OVERDUE)),
            due_soon=Count("id", filter=Q(alert=Alert.DUE_SOON)),
            open=Count("id"),
        )
    )
    return {k: int(v or 0) for k, v in row.items()}


def statistics(
    user: Any, unit: Unit, *, start: dt.date, end: dt.date, today: dt.date
) -> dict[str, Any]:
    """Cases received in [start, end] under *unit*: by kind and status, and how many were
    settled on time, late, or are still open past their due date. Counts only: no names."""
    rows = cases_under(user, unit).filter(received_on__gte=start, received_on__lte=end)
    by_kind = {r["kind"]: r["n"] for r in rows.values("kind").annotate(n=Count("id")).order_by()}
    by_status = {
        r["status"]: r["n"] for r in rows.values("status").annotate(n=Count("id")).order_by()
    }
    timing = rows.aggregate(
        total=Count("id"),
        on_time=Count("id", filter=Q(is_open=False, closed_on__lte=F("due_date"))),
        late=Count("id", filter=Q(is_open=False, closed_on__gt=F("due_date"))),
        open_overdue=Count("id", filter=Q(is_open=True, due_date__lt=today)),
        open_in_time=Count("id", filter=Q(is_open=True, due_date__gte=today)),
    )
    by_unit = [
        {"unit": r["unit__name"], "code": r["unit__code"], "n": r["n"]}
        for r in rows.values("unit__name", "unit__code").annotate(n=Count("id")).order_by("-n")[:50]
    ]
    return {
        "by_kind": by_kind,
        "by_status": by_status,
        "timing": {k: int(v or 0) for k, v in timing.items()},
        "by_unit": by_unit,
    }


def case_by_lookup_code(code: str) -> Case | None:
    """The case a citizen's code names, following transfers to where it is now."""
    case = Case.objects.select_related("unit").filter(lookup_code=code).first()
    seen = 0
    while case is not None and case.status == Status.TRANSFERRED and seen < 10:
        nxt = case.transfers.select_related("unit").order_by("id").first()
        if nxt is None:
            break
        case, seen = nxt, seen + 1
    return case


def handler_candidates(unit: Unit) -> QuerySet[User]:
    """Active users who may handle cases of *unit*: a handling role on it or above it.

    National administrators are left out: they hold every permission but do not handle
    a commune's cases. The service checks each choice again.
    """
    roles = [
        r for r, perms in ROLE_PERMS.items() if Perm.CASE_HANDLE in perms and r != Role.SYSTEM_ADMIN
    ]
    return (
        User.objects.filter(
            is_active=True,
            grants__role__in=roles,
            grants__unit_id__in=[*unit.ancestor_ids, unit.pk],
        )
        .distinct()
        .order_by("full_name", "username")
    )
