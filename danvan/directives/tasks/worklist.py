"""What tasks put on the list of what needs doing (danvan.worklist):

- the tasks a unit leads that are overdue or fall due soon (its officers must act);
- the deliverables waiting for the assigner's acceptance (the assigner must judge).

Both are QuerySetSources: counted with the other sources in one query, listed in one.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.accounts.policies import Perm
from danvan.worklist.registry import Item, QuerySetSource, Scope, Urgency, link, register

from .models import Task, TaskState
from .status import soon_until

DUE = "directive_tasks.due"
ACCEPTANCE = "directive_tasks.acceptance"


def _soon(scope: Scope) -> Any:
    """The "due soon" limit on the working-day calendar, once per list."""
    key = ("directive_tasks", "soon")
    if key not in scope.memo:
        scope.memo[key] = soon_until(scope.today)
    return scope.memo[key]


def _due_item(row: Any, scope: Scope) -> Item:
    late = row.due_on < scope.today
    return Item(
        source=DUE,
        what=(_("Nhiệm vụ quá hạn: %(t)s") if late else _("Nhiệm vụ sắp đến hạn: %(t)s"))
        % {"t": row.title[:120]},
        where=row.lead_unit.name,
        url=link("directive_tasks:detail", row.public_id),
        since=None,
        due=row.due_on,
        urgency=Urgency.OVERDUE if late else Urgency.DUE_SOON,
    )


def _acceptance_item(row: Any, scope: Scope) -> Item:
    return Item(
        source=ACCEPTANCE,
        what=_("Sản phẩm chờ nghiệm thu (%(unit)s): %(t)s")
        % {"unit": row.lead_unit.name, "t": row.title[:120]},
        where=row.assigner_unit.name,
        url=link("directive_tasks:detail", row.public_id),
        since=row.submitted_on,
        due=None,
        urgency=Urgency.WAITING,
    )


def _list_url() -> str:
    return reverse("directive_tasks:list")


register(
    QuerySetSource(
        code=DUE,
        label=gettext_lazy("Nhiệm vụ quá hạn, sắp đến hạn"),
        perm=Perm.TASK_REPORT,
        unit="lead_unit__",
        queryset=lambda s: Task.objects.filter(state=TaskState.OPEN, due_on__lte=_soon(s)),
        item=_due_item,
        due="due_on",
        fields=("title", "due_on", "public_id", "lead_unit__name"),
        list_url=_list_url,
    )
)

register(
    QuerySetSource(
        code=ACCEPTANCE,
        label=gettext_lazy("Sản phẩm nhiệm vụ chờ nghiệm thu"),
        perm=Perm.DIRECTIVE_MANAGE,
        unit="assigner_unit__",
        queryset=lambda s: Task.objects.filter(state=TaskState.SUBMITTED),
        item=_acceptance_item,
        since="submitted_on",
        fields=(
            "title",
            "submitted_on",
            "public_id",
            "lead_unit__name",
            "assigner_unit__name",
        ),
        list_url=lambda: reverse("directive_tasks:list_assigned"),
    )
)
