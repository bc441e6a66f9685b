"""Who may do what on a task: named predicates over accounts.policies (the one place
that answers for a unit).

- see: DIRECTIVE_VIEW on the lead unit, the assigner unit or a coordinating unit;
- report progress: TASK_REPORT on the lead unit or a coordinating unit;
- submit the deliverable: TASK_REPORT on the lead unit (the lead unit answers for it);
- delegate a sub-task: DIRECTIVE_MANAGE on the lead unit (it assigns downwards);
- accept, return, reopen, cancel: DIRECTIVE_MANAGE on the assigner unit (the assigner
  judges the deliverable; an inspection finding reopens through the assigner).

A grant covers its unit's subtree, so the officers of a unit above hold these too.
"""

from __future__ import annotations

from typing import Any

from danvan.accounts import policies
from danvan.accounts.policies import Perm

from .models import Task


def coordinating(task: Task) -> list[Any]:
    # Prefetched by the selectors; the list is short (a few units).
    return list(task.coordinating_units.all())


def can_view(user: Any, task: Task) -> bool:
    units = [task.lead_unit, task.assigner_unit, *coordinating(task)]
    return any(policies.has_perm(user, Perm.DIRECTIVE_VIEW, u) for u in units)


def can_report(user: Any, task: Task) -> bool:
    units = [task.lead_unit, *coordinating(task)]
    return any(policies.has_perm(user, Perm.TASK_REPORT, u) for u in units)


def can_submit(user: Any, task: Task) -> bool:
    return policies.has_perm(user, Perm.TASK_REPORT, task.lead_unit)


def can_delegate(user: Any, task: Task) -> bool:
    return policies.has_perm(user, Perm.DIRECTIVE_MANAGE, task.lead_unit)


def can_manage(user: Any, task: Task) -> bool:
    """The assigner's side: accept, return, reopen, cancel."""
    return policies.has_perm(user, Perm.DIRECTIVE_MANAGE, task.assigner_unit)
