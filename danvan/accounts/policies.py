"""Who may do what, on which unit: the one place that answers it.

Roles are granted on a unit and cover its subtree (Role docs in models). Views,
the API, exports and background jobs all ask `has_perm` / `require`, and list
queries are narrowed with `visible_units_q`. A unit the actor may not see is
reported exactly like a missing one.

An ended unit (one with `valid_to`, e.g. Bắc Kạn after its merger into Thái Nguyên on
1 July 2025) is history: it and its records stay readable (by its successor's officers
too, who inherit the reading of its history) and are restated, but no role may change
them (`READ_PERMS`). A mistake in them is put right only by a system administrator
through a recorded succession correction (units.services.succession_correct), and only a
system administrator records a succession that involves an ended unit.

News for the portal (danvan.news): every officer writes and submits articles of their unit
(NEWS_WRITE); the unit administrator is the "editor of the level" (NEWS_PUBLISH) who
approves, schedules, returns and withdraws them and moderates readers' feedback — a
province's administrator for the province's articles and those of its communes.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

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

    # Directives, plans and tasks (danvan.directives): the document register, and every
    # "giao …" followed to the end.
    DIRECTIVE_VIEW = "directive.view"
    DIRECTIVE_MANAGE = "directive.manage"  # register documents; create, assign, accept tasks
    TASK_REPORT = "task.report"  # report progress on the tasks one's unit leads or coordinates

    # News and communication on the portal (danvan.news). Officers write articles and
    # send them for review (NEWS_WRITE); the editor of the level — the unit's
    # administrator, whose grant also covers the communes under a province — approves,
    # schedules, returns and withdraws them and moderates readers' feedback (NEWS_PUBLISH).
    NEWS_WRITE = "news.write"
    NEWS_PUBLISH = "news.publish"

    # Periodic reports (danvan.reports.campaigns, Decree 09/2019/NĐ-CP): read the reports
    # of one's subtree; prepare and submit one's own unit's report; review (approve,
    # return, decide a reopening) the reports of the level below; open and close the
    # campaigns of one's unit.
    REPORT_VIEW = "report.view"
    REPORT_PREPARE = "report.prepare"
    REPORT_REVIEW = "report.review"
    REPORT_CAMPAIGN = "report.campaign"


# The permissions that only read. Every other permission changes something, and is
# refused on an ended unit and on the history a grant inherits (see the module docstring).
READ_PERMS = frozenset(
    {
        Perm.UNIT_VIEW,
        Perm.OFFICIAL_VIEW,
        Perm.AUDIT_VIEW,
        Perm.MOVEMENT_VIEW,
        Perm.LEGAL_VIEW,
        Perm.CASE_VIEW,
        Perm.CASE_IDENTITY,
        Perm.DEMOCRACY_VIEW,
        Perm.DIRECTIVE_VIEW,
        Perm.REPORT_VIEW,
    }
)


def is_ended(unit: Unit) -> bool:
    """Has *unit* ended (merged, split, dissolved)? Its records are then read-only."""
    return unit.valid_to is not None


def ended_refusal(unit: Unit) -> PermissionDenied:
    """The refusal of a change to an ended unit or its records, saying why and what to do."""
    return PermissionDenied(
        _(
            "“%(unit)s” đã kết thúc hoạt động từ ngày %(day)s (sáp nhập, chia tách): đơn vị"
            " và dữ liệu của đơn vị chỉ để xem, không sửa được. Nếu dữ liệu có sai sót, đề"
            " nghị quản trị hệ thống ghi nhận đính chính."
        )
        % {"unit": unit.name, "day": f"{unit.valid_to:%d/%m/%Y}"}
    )


# The legal rule data (deadlines, duties, supervision figures, days off) sets the dates
# every reading role works to, so every such role may read the rule table (LEGAL_VIEW);
# only system administrators change it (LEGAL_MANAGE).
_READ = {
    Perm.UNIT_VIEW,
    Perm.OFFICIAL_VIEW,
    Perm.MOVEMENT_VIEW,
    Perm.DEMOCRACY_VIEW,
    Perm.LEGAL_VIEW,
    Perm.DIRECTIVE_VIEW,
    Perm.REPORT_VIEW,
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
        Perm.DIRECTIVE_MANAGE,
        Perm.TASK_REPORT,
        Perm.NEWS_WRITE,
        Perm.REPORT_PREPARE,
        Perm.REPORT_REVIEW,
    }
)
# The unit administrator is also the editor of the level (NEWS_PUBLISH): nothing reaches
# the portal's news without them.
_UNIT_ADMIN = _OFFICER | {
    Perm.NEWS_PUBLISH,
    Perm.UNIT_MOVE,
    Perm.SUCCESSION_RECORD,
    Perm.AUDIT_VIEW,
    Perm.GRANT_MANAGE,
    Perm.EVALUATION_ADMIN,
    Perm.REPORT_CAMPAIGN,
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


def _covers(user: Any, grant: RoleGrant, unit: Unit, perm: Perm) -> bool:
    if grant.unit is None:
        return True
    # The inherited history is for reading: a change reaches only the grant's own subtree.
    roots = _roots(user, grant) if perm in READ_PERMS else [grant.unit]
    return any(unit.path.startswith(r.path) for r in roots)


def is_system_admin(user: Any) -> bool:
    return any(g.role == Role.SYSTEM_ADMIN for g in grants_of(user))


def _changes_ended_units(user: Any, perm: Perm) -> bool:
    """May *user* do the changing *perm* on ended units? Recording a succession after the
    fact (a merger entered late) links an ended unit to its successor: a system
    administrator's act, like a correction. Nothing else changes an ended unit."""
    return perm == Perm.SUCCESSION_RECORD and is_system_admin(user)


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
    if unit is not None and perm not in READ_PERMS and is_ended(unit):
        return _changes_ended_units(user, perm)  # otherwise no role (module docstring)
    grants = grants_of(user)
    for grant in grants:
        if perm not in ROLE_PERMS[grant.role]:
            continue
        if grant.unit is None:
            return True
        if unit is not None and _covers(user, grant, unit, perm):
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
    if perm not in READ_PERMS and is_ended(unit):
        return _changes_ended_units(user, perm)
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
        if unit is not None and perm not in READ_PERMS and is_ended(unit):
            raise ended_refusal(unit)
        raise PermissionDenied(unit=unit)


def subtree_q(unit: Unit, prefix: str = "") -> Q:
    """Rows whose unit lies under *unit*; *prefix* is the lookup path to the unit ("unit__")."""
    low, high = tree.subtree_bounds(unit.path)
    return Q(**{f"{prefix}path__gte": low, f"{prefix}path__lt": high})


def _grants_q(user: Any, perm: Perm, prefix: str, *, history: bool) -> Q | None:
    """The subtrees of *user*'s grants that carry *perm* (with the history they inherit
    when *history*), as a filter; None for a national grant."""
    q = Q(pk__in=[])
    seen: set[str] = set()
    for grant in grants_of(user):
        if perm not in ROLE_PERMS[grant.role]:
            continue
        if grant.unit is None:
            return None
        for root in _roots(user, grant) if history else [grant.unit]:
            # Two roles on one unit (an officer who also leads) need its range once.
            if root.path not in seen:
                seen.add(root.path)
                q |= subtree_q(root, prefix)
    return q


def scope_q(user: Any, perm: Perm, prefix: str = "") -> Q:
    """A filter for the units (or the rows, through *prefix*) where *user* has *perm*.

    Returns an always-false filter for nobody and an always-true one for a national grant
    of a reading permission. A changing permission leaves out ended units and the history
    a grant inherits (has_perm's rule, as a filter).
    """
    reads = perm in READ_PERMS
    q = _grants_q(user, perm, prefix, history=reads)
    if reads or _changes_ended_units(user, perm):
        return Q() if q is None else q
    live = Q(**{f"{prefix}valid_to__isnull": True})
    return live if q is None else q & live


def subtree_scope_q(user: Any, perm: Perm, root: Unit, prefix: str = "") -> Q:
    """scope_q within *root*'s subtree. When one grant covers *root* (and so everything
    under it) this is the subtree's one range, not the user's whole scope ANDed with it:
    a leader's other grants and inherited history add nothing there, and the planner
    misjudges a range repeated inside an OR."""
    under = subtree_q(root, prefix)
    covered = any(
        perm in ROLE_PERMS[g.role] and _covers(user, g, root, perm) for g in grants_of(user)
    )
    if not covered:
        return scope_q(user, perm, prefix) & under
    if perm in READ_PERMS or _changes_ended_units(user, perm):
        return under
    return under & Q(**{f"{prefix}valid_to__isnull": True})


def administered_q(user: Any, perm: Perm, prefix: str = "") -> Q:
    """Rows under the units whose grants carry *perm*, the inherited history and ended
    units included: what an administrator *reads* of what they administer (the
    evaluation rounds of their level, past ones too). Never a test for a change:
    scope_q and has_perm are. Always-true for a national grant."""
    q = _grants_q(user, perm, prefix, history=True)
    return Q() if q is None else q


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
    every unit; a changing permission leaves out ended units."""
    live = (
        Q()
        if perm in READ_PERMS or _changes_ended_units(user, perm)
        else Q(**{f"{prefix}valid_to__isnull": True})
    )
    q = Q(pk__in=[])
    for grant in grants_of(user):
        if perm not in ROLE_PERMS[grant.role]:
            continue
        if grant.unit is None:
            return live
        q |= subtree_q(grant.unit, prefix) & ~Q(**{f"{prefix}pk": grant.unit.pk})
    return q if live == Q() else q & live
