"""What inspections put on the list of what needs doing (danvan.worklist): the
recommendations an inspected unit has not answered yet. One QuerySetSource: counted with
the other sources in one query, listed in one."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.accounts.policies import Perm
from danvan.worklist.registry import Item, QuerySetSource, Scope, link, register, urgency_of

from .models import Recommendation

UNANSWERED = "directive_inspections.unanswered"


def _item(row: Any, scope: Scope) -> Item:
    return Item(
        source=UNANSWERED,
        what=_("Kiến nghị sau kiểm tra, giám sát chờ trả lời: %(t)s") % {"t": row.text[:120]},
        where=row.target.unit.name,
        url=link("inspections:answer", row.public_id),
        since=row.created_at.date(),
        due=row.due_on,
        urgency=urgency_of(row.due_on, scope),
    )


register(
    QuerySetSource(
        code=UNANSWERED,
        label=gettext_lazy("Kiến nghị sau kiểm tra, giám sát chờ trả lời"),
        perm=Perm.TASK_REPORT,
        unit="target__unit__",
        queryset=lambda s: Recommendation.objects.filter(answered_on__isnull=True),
        item=_item,
        due="due_on",
        since="created_at",
        fields=("text", "due_on", "created_at", "public_id", "target__unit__name"),
        list_url=lambda: reverse("inspections:recommendations"),
    )
)
