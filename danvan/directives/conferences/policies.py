"""Who may do what on a conference: named predicates over accounts.policies (the one
place that answers for a unit).

- see: DIRECTIVE_VIEW on the conference's unit (a grant covers its subtree, so the
  officers of the levels above see it), or on a unit below it: a conclusion flows down,
  so a commune's officers read the province's review conference and its conclusion;
- change (details, delegates, points, speeches, the conclusion and its notice):
  DIRECTIVE_MANAGE on the conference's unit.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from danvan.accounts import policies
from danvan.accounts.policies import ROLE_PERMS, Perm
from danvan.directives.selectors import visible_q as directive_visible_q
from danvan.units.models import Unit


def sees_unit(user: Any, unit: Unit) -> bool:
    """May *user* read the conferences *unit* holds (its own scope, or one below it)?"""
    if policies.has_perm(user, Perm.DIRECTIVE_VIEW, unit):
        return True
    return any(
        g.unit is not None
        and Perm.DIRECTIVE_VIEW in ROLE_PERMS[g.role]
        and unit.pk in g.unit.ancestor_ids
        for g in policies.grants_of(user)
    )


def visible_q(user: Any) -> Q:
    """The conferences *user* may read, as a filter: the same rule as the document
    register's (its grants' subtrees and their ancestors), over the rows' ``unit``."""
    return directive_visible_q(user)


def can_view(user: Any, conference: Any) -> bool:
    return sees_unit(user, conference.unit)


def can_manage(user: Any, conference: Any) -> bool:
    return policies.has_perm(user, Perm.DIRECTIVE_MANAGE, conference.unit)
