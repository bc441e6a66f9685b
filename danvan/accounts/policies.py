"""Who may do what, on which unit: the one place that answers it.

Roles are granted on a unit and cover its subtree (Role docs in models). Views,
the API, exports and background jobs all ask `has_perm` / `require`, and list
queries are narrowed with `visible_units_q`. A unit the actor may not see is
reported exactly like a missing one.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db.models import Q

from danvan.core.errors import NotFound, PermissionDenied
from danvan.units import tree
from danvan.units.models import Unit

from .models import Role, RoleGrant


class Perm(StrEnum):
    UNIT_VIEW = "unit.view"
    UNIT_CREATE_CHILD = "unit.create_child"
    UNIT_CHANGE = "unit.change"
    UNIT_MOVE = "unit.move"
    SUCCESSION_RECORD = "unit.succession_record"
    OFFICIAL_VIEW = "official.view"
    OFFICIAL_MANAGE = "official.manage"
    STEERING_MANAGE = "steering.manage"
    AUDIT_VIEW = "audit.view"
    GRANT_MANAGE = "grant.manage"
    # The "Dân vận khéo" movement (danvan.movement).
    MOVEMENT_VIEW = "movement.view"
    MOVEMENT_EDIT = "movement.edit"  # register and carry out the unit's own entries
    MOVEMENT_MANAGE = "movement.manage"  # the managing body: accept, return, recognize
    EVALUATION_ADMIN = "evaluation.admin"  # open rounds, confirm results
    EVALUATION_SCORE = "evaluation.score"  # score in rounds one is a reviewer of
    # Legal rule data and the working-day calendar (danvan.legal): national data.
    LEGAL_VIEW = "legal.view"
    LEGAL_MANAGE = "legal.manage"
    # Citizens' cases, reception and dialogues (danvan.cases).
    CASE_VIEW = "case.view"
    CASE_INTAKE = "case.intake"  # receive and register a case, record reception sessions
    CASE_HANDLE = "case.handle"  # classify, accept, refuse, transfer, handle, answer
    CASE_ASSIGN = "case.assign"  # assign the officers who handle a case
    # A denouncer's identity, on the cases one is assigned to (see cases.policies).
    CASE_IDENTITY = "case.identity"
    RECEPTION_MANAGE = "reception.manage"  # schedules of the leaders' reception days
    DIALOGUE_MANAGE = "dialogue.manage"
    # Grassroots democracy (danvan.democracy): matters citizens decide, votes, disclosure.
    DEMOCRACY_VIEW = "democracy.view"
    DEMOCRACY_MANAGE = "democracy.manage"


# The legal rule data (deadlines, duties, supervision figures, days off) sets the dates
# every reading role works to, so every such role may read the rule table (LEGAL_VIEW);
# only system administrators change it (LEGAL_MANAGE).
_READ = {
    Perm.UNIT_VIEW,
    Perm.OFFICIAL_VIEW,
    Perm.MOVEMENT_VIEW,
    Perm.DEMOCRACY_VIEW,
    Perm.LEGAL_VIEW,
}
_CASE_READ = {Perm.CASE_VIEW}
_OFFICER = (
    _READ
    | _CASE_READ
    | {
        Perm.CASE_INTAKE,
        Perm.CASE_HANDLE,
        Perm.RECEPTION_MANAGE,
        Perm.DIALOGUE_MANAGE,
        Perm.DEMOCRACY_MANAGE,
        Perm.UNIT_CREATE_CHILD,
        Perm.UNIT_CHANGE,
        Perm.OFFICIAL_MANAGE,
        Perm.STEERING_MANAGE,
        Perm.MOVEMENT_EDIT,
        Perm.MOVEMENT_MANAGE,
    }
)
_UNIT_ADMIN = _OFFICER | {
    Perm.UNIT_MOVE,
    Perm.SUCCESSION_RECORD,
    Perm.AUDIT_VIEW,
    Perm.GRANT_MANAGE,
    Perm.EVALUATION_ADMIN,
    Perm.LEGAL_VIEW,
    Perm.CASE_ASSIGN,
}

ROLE_PERMS: dict[str, frozenset[Perm]] = {
    Role.SYSTEM_ADMIN: frozenset(Perm),
    Role.UNIT_ADMIN: frozenset(_UNIT_ADMIN),
    Role.OFFICER: frozenset(_OFFICER),
    Role.REVIEWER: frozenset(_READ | {Perm.EVALUATION_SCORE}),
    Role.INSPECTOR: frozenset(_READ | _CASE_READ),
    Role.LEADER: frozenset(_READ | _CASE_READ | {Perm.CASE_ASSIGN}),
    Role.IDENTITY_KEEPER: frozenset({Perm.UNIT_VIEW, Perm.CASE_IDENTITY}),
}

_CACHE_ATTR = "_danvan_grants"
_HISTORY_ATTR = "_danvan_history"


def grants_of(user: Any) -> list[RoleGrant]:
    """The user's grants, loaded once per request (cached on the user object)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached: list[RoleGrant] | None = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(RoleGrant.objects.filter(user=user).select_related("unit"))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_grants(user: Any) -> None:
    for attr in (_CACHE_ATTR, _HISTORY_ATTR):
        if hasattr(user, attr):
            delattr(user, attr)


def _history(user: Any) -> dict[int, list[Unit]]:
    """For each grant, the ended units that merged into its subtree: a successor's
    officers inherit the history of what merged into it (Bắc Kạn's records for
    Thái Nguyên's officers). Loaded once per request, cached on the user."""
    cached: dict[int, list[Unit]] | None = getattr(user, _HISTORY_ATTR, None)
    if cached is None:
        from danvan.units.lineage import historical_roots_into

        cached = {}
        for grant in grants_of(user):
            if grant.unit is not None:
                cached[grant.pk] = historical_roots_into([grant.unit])
        setattr(user, _HISTORY_ATTR, cached)
    return cached


def _roots(user: Any, grant: RoleGrant) -> list[Unit]:
    """The subtrees a (unit) grant covers: its unit's and its inherited history's."""
    assert grant.unit is not None
    return [grant.unit, *_history(user).get(grant.pk, [])]


def _covers(user: Any, grant: RoleGrant, unit: Unit) -> bool:
    return grant.unit is None or any(unit.path.startswith(r.path) for r in _roots(user, grant))


def is_system_admin(user: Any) -> bool:
    return any(g.role == Role.SYSTEM_ADMIN for g in grants_of(user))


def has_admin_role(user: Any) -> bool:
    return any(g.role in (Role.SYSTEM_ADMIN, Role.UNIT_ADMIN) for g in grants_of(user))


def sees_rule_flags(user: Any) -> bool:
    """Are rules' "to verify" marks shown to *user* on operational pages (a case's
    deadline, reception shortfalls, disclosure compliance, supervision findings)?

    Only to administrators (system or unit), who see to the rule data being checked
    against the official text; an officer works to the rule in force and would only be
    left unsure what to do. The rule table itself (/quy-dinh/) and the disclosure
    catalogue are the reference: they show the marks to every reader.
    """
    return has_admin_role(user)


def has_perm(user: Any, perm: Perm, unit: Unit | None) -> bool:
    """May *user* do *perm* on *unit* (None: something with no unit, e.g. national)?"""
    grants = grants_of(user)
    for grant in grants:
        if perm not in ROLE_PERMS[grant.role]:
            continue
        if grant.unit is None:
            return True
        if unit is not None and _covers(user, grant, unit):
            return True
    # Seeing a unit includes its ancestors, so breadcrumbs and the tree make sense.
    if perm == Perm.UNIT_VIEW and unit is not None:
        return any(g.unit is not None and g.unit.path.startswith(unit.path) for g in grants)
    return False


def has_perm_anywhere(user: Any, perm: Perm) -> bool:
    """Does any of *user*'s grants carry *perm* (for national data such as legal rules)?"""
    return any(perm in ROLE_PERMS[g.role] for g in grants_of(user))


def has_perm_above(user: Any, perm: Perm, unit: Unit) -> bool:
    """May *user* do *perm* on *unit* through a grant strictly above it (a managing body)?

    A national grant counts as above every unit.
    """
    for grant in grants_of(user):
        if perm not in ROLE_PERMS[grant.role]:
            continue
        if grant.unit is None:
            return True
        if unit.path.startswith(grant.unit.path) and unit.path != grant.unit.path:
            return True
    return False


def require_visible(user: Any, unit: Unit | None) -> None:
    if unit is None or not has_perm(user, Perm.UNIT_VIEW, unit):
        raise NotFound()


def require(user: Any, perm: Perm, unit: Unit | None) -> None:
    """Raise NotFound when *unit* is out of sight, PermissionDenied when only the action is."""
    if unit is not None and perm != Perm.UNIT_VIEW:
        require_visible(user, unit)
    if not has_perm(user, perm, unit):
        if perm == Perm.UNIT_VIEW:
            raise NotFound()
        raise PermissionDenied(unit=unit)


def subtree_q(unit: Unit, prefix: str = "") -> Q:
    """Rows whose unit lies under *unit*; *prefix* is the lookup path to the unit ("unit__")."""
    low, high = tree.subtree_bounds(unit.path)
    return Q(**{f"{prefix}path__gte": low, f"{prefix}path__lt": high})


def scope_q(user: Any, perm: Perm, prefix: str = "") -> Q:
    """A filter for the units (or the rows, through *prefix*) where *user* has *perm*.

    Returns an always-false filter for nobody and an always-true one for a national grant.
    """
    q = Q(pk__in=[])
    seen: set[str] = set()
    for grant in grants_of(user):
        if perm not in ROLE_PERMS[grant.role]:
            continue
        if grant.unit is None:
            return Q()
        for root in _roots(user, grant):
            # Two roles on one unit (an officer who also leads) need its range once.
            if root.path not in seen:
                seen.add(root.path)
                q |= subtree_q(root, prefix)
    return q


def visible_units_q(user: Any) -> Q:
    """Units *user* may see: the subtrees of the grants and the ancestors of granted units."""
    q = scope_q(user, Perm.UNIT_VIEW)
    if q == Q():
        return q
    ancestors = {pk for g in grants_of(user) if g.unit is not None for pk in g.unit.ancestor_ids}
    if ancestors:
        q |= Q(pk__in=sorted(ancestors))
    return q


def can_view_identity(user: Any, case: Any) -> bool:
    """May *user* read who sent *case*?

    A denouncer's identity is shown only to the officers assigned to the case who also
    hold the identity role on its unit (Law on Denunciations 2018, art. 8(1)(b), art. 47):
    not to leaders, not to administrators, not to other officers of the unit. Other
    senders are known to the officers who handle the case.
    """
    if case.kind != "denunciation":
        return has_perm(user, Perm.CASE_HANDLE, case.unit)
    if not has_perm(user, Perm.CASE_IDENTITY, case.unit):
        return False
    return case.assignments.filter(user_id=user.pk).exists()


def below_scope_q(user: Any, perm: Perm, prefix: str = "") -> Q:
    """Rows whose unit lies strictly below a unit where *user* holds *perm*: what a managing
    body acts on (the same test as has_perm_above, as a filter). A national grant covers
    every unit."""
    q = Q(pk__in=[])
    for grant in grants_of(user):
        if perm not in ROLE_PERMS[grant.role]:
            continue
        if grant.unit is None:
            return Q()
        q |= subtree_q(grant.unit, prefix) & ~Q(**{f"{prefix}pk": grant.unit.pk})
    return q
