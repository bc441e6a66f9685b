"""Reminders of reports due (danvan.worklist): for a unit's officers, their unit's reports
not yet sent whose deadline is within REMIND_WORKING_DAYS working days or past, in open
campaigns. Nothing for a report sent (submitted, approved); a returned one is to be sent
again. Only the unit's own officers are reminded (a grant on the unit itself): the level
above follows its units on the campaign's board, it does not write their reports.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.accounts import policies as access
from danvan.accounts.policies import ROLE_PERMS
from danvan.legal.workdays import WorkCalendar
from danvan.worklist.registry import Item, QuerySetSource, Scope, Urgency, link, register

from . import policies
from .models import EDITABLE_STATUSES, CampaignStatus, Report

DUE = "report_campaigns.due"
# Remind from three working days before the deadline (the deadlines themselves are two
# to five working days after the cut-off, domain.md §10).
REMIND_WORKING_DAYS = 3


def remind_until(scope: Scope) -> Any:
    key = ("report_campaigns", "remind")
    if key not in scope.memo:
        scope.memo[key] = WorkCalendar().add_working_days(scope.today, REMIND_WORKING_DAYS)
    return scope.memo[key]


def _own_units_q(scope: Scope) -> Q:
    """Reports of the units the actor holds the editing permission on by a grant on the
    unit itself, within the list's subtree."""
    ids = sorted(
        {
            g.unit_id
            for g in access.grants_of(scope.actor)
            if g.unit_id is not None and policies.EDIT_PERM in ROLE_PERMS[g.role]
        }
    )
    q = Q(unit_id__in=ids, unit__valid_to__isnull=True)
    if scope.root is not None:
        q &= access.subtree_q(scope.root, "unit__")
    return q


def _item(row: Any, scope: Scope) -> Item:
    late = row.due_date < scope.today
    return Item(
        source=DUE,
        what=(_("Báo cáo quá hạn gửi: %(t)s") if late else _("Báo cáo sắp đến hạn gửi: %(t)s"))
        % {"t": row.campaign.title[:120]},
        where=row.unit.name,
        url=link("report_campaigns:report", row.public_id),
        since=None,
        due=row.due_date,
        urgency=Urgency.OVERDUE if late else Urgency.DUE_SOON,
    )


register(
    QuerySetSource(
        code=DUE,
        label=gettext_lazy("Báo cáo định kỳ sắp đến hạn, quá hạn"),
        perm=policies.EDIT_PERM,
        unit="unit__",
        queryset=lambda s: Report.objects.filter(
            status__in=EDITABLE_STATUSES,
            campaign__status=CampaignStatus.OPEN,
            due_date__lte=remind_until(s),
        ),
        scope_q=_own_units_q,
        item=_item,
        due="due_date",
        fields=("public_id", "due_date", "campaign__title", "unit__name"),
        list_url=lambda: reverse("report_campaigns:list"),
    )
)
