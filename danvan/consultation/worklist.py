"""What consultations put on the list of what needs doing (danvan.worklist): citizens'
comments waiting for moderation before they appear on the portal."""

from __future__ import annotations

from django.db.models import Count, Exists, Min, OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.accounts.policies import Perm
from danvan.worklist.registry import Item, QuerySetSource, Scope, link, register, urgency_of

from .models import Comment, Consultation


def _pending() -> QuerySet[Comment]:
    return Comment.objects.filter(
        consultation=OuterRef("pk"), status=Comment.Status.PENDING
    ).order_by()


def _with_pending(qs: QuerySet[Consultation]) -> QuerySet[Consultation]:
    """How many comments wait, and since when (subqueries: one row per consultation)."""
    count = _pending().values("consultation").annotate(n=Count("pk")).values("n")
    first = _pending().values("consultation").annotate(at=Min("created_at")).values("at")
    return qs.annotate(pending=Subquery(count), first_pending=Subquery(first))


def _item(consultation: Consultation, scope: Scope) -> Item:
    return Item(
        source="consultation.moderation",
        what=_("%(n)s ý kiến chờ kiểm duyệt: %(title)s")
        % {"n": consultation.pending, "title": consultation.title[:90]},  # type: ignore[attr-defined]
        where=consultation.unit.name,
        url=link("consultation:detail", consultation.public_id),
        since=consultation.first_pending.date(),  # type: ignore[attr-defined]
        # Comments should be published while citizens can still read and answer them.
        due=consultation.closes_on,
        urgency=urgency_of(consultation.closes_on, scope),
    )


register(
    QuerySetSource(
        code="consultation.moderation",
        label=gettext_lazy("Ý kiến chờ kiểm duyệt"),
        perm=Perm.DEMOCRACY_MANAGE,
        unit="unit__",
        queryset=lambda s: Consultation.objects.filter(Exists(_pending())),
        annotate=_with_pending,
        item=_item,
        due="closes_on",
        since="created_at",
        fields=("public_id", "title", "closes_on", "pending", "first_pending", "unit__name"),
        list_url=lambda: reverse("consultation:list"),
    )
)
