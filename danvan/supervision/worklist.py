"""What supervision puts on the list of what needs doing (danvan.worklist): the people's
inspection and investment boards' recommendations still waiting for an answer."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.accounts.policies import Perm
from danvan.worklist.registry import Item, QuerySetSource, Scope, link, register, urgency_of

from .models import Recommendation

_UNIT = "finding__activity__plan__board__unit__"


def _item(rec: Recommendation, scope: Scope) -> Item:
    plan = rec.finding.activity.plan
    return Item(
        source="supervision.recommendations",
        what=_("Kiến nghị chờ trả lời (gửi %(to)s): %(text)s")
        % {"to": rec.addressed_to[:60], "text": rec.text[:90]},
        where=plan.board.unit.name,
        url=link("supervision:plan_detail", plan.public_id),
        since=rec.created_at.date(),
        due=rec.due_date,
        urgency=urgency_of(rec.due_date, scope),
    )


register(
    QuerySetSource(
        code="supervision.recommendations",
        label=gettext_lazy("Kiến nghị sau giám sát chờ trả lời"),
        perm=Perm.DEMOCRACY_VIEW,
        unit=_UNIT,
        queryset=lambda s: Recommendation.objects.filter(state=Recommendation.State.OPEN),
        item=_item,
        due="due_date",
        since="created_at",
        fields=(
            "text",
            "addressed_to",
            "created_at",
            "due_date",
            "finding__activity__plan__public_id",
            "finding__activity__plan__board__unit__name",
        ),
        list_url=lambda: reverse("supervision:recommendations"),
    )
)
