"""What the movement puts on the list of what needs doing (danvan.worklist): entries
waiting for the managing body, and evaluation rounds waiting for the user's scores."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.worklist.registry import Item, QuerySetSource, Scope, Urgency, link, register
from danvan.worklist.trends import Counts, MonthlyTrend, by_month, register_trend

from .models import Decision, Entry, EvaluationRound, RoundReviewer, Status

# What the managing body must act on (workflow.py: accept or return a registration,
# recognize or reject a submission).
WAITING = {
    Status.REGISTERED: gettext_lazy("Đăng ký chờ tiếp nhận"),
    Status.SUBMITTED: gettext_lazy("Đề nghị đánh giá, công nhận"),
}


def _below(scope: Scope) -> Q:
    q = policies.below_scope_q(scope.actor, Perm.MOVEMENT_MANAGE, "unit__")
    if scope.root is not None:
        q &= policies.subtree_q(scope.root, "unit__")
    return q


def _entry_item(entry: Entry, scope: Scope) -> Item:
    return Item(
        source="movement.waiting",
        what=_("%(what)s: %(name)s")
        % {"what": WAITING[Status(entry.status)], "name": entry.name[:90]},
        where=entry.unit.name,
        url=link("movement:detail", entry.public_id),
        since=entry.registered_on or entry.updated_at.date(),
        due=None,
        urgency=Urgency.WAITING,
    )


register(
    QuerySetSource(
        code="movement.waiting",
        label=gettext_lazy("Mô hình, điển hình chờ cơ quan quản lý xử lý"),
        perm=Perm.MOVEMENT_MANAGE,
        unit="unit__",
        queryset=lambda s: Entry.objects.filter(status__in=list(WAITING)),
        item=_entry_item,
        since="updated_at",
        scope_q=_below,
        fields=("public_id", "name", "status", "registered_on", "updated_at", "unit__name"),
        list_url=lambda: reverse("movement:list"),
    )
)


def _review_item(reviewer: RoundReviewer, scope: Scope) -> Item:
    evaluation_round = reviewer.round
    return Item(
        source="movement.reviews",
        what=_("Chấm điểm đợt “%(name)s”") % {"name": evaluation_round.name[:90]},
        where=evaluation_round.level_unit.name,
        url=link("movement:round_detail", evaluation_round.public_id),
        since=evaluation_round.created_at.date(),
        due=None,
        urgency=Urgency.WAITING,
    )


register(
    QuerySetSource(
        code="movement.reviews",
        label=gettext_lazy("Đợt đánh giá chờ bạn chấm điểm"),
        perm=None,
        unit="round__level_unit__",
        # The user's own duty, wherever the round's level is: not narrowed to the unit.
        queryset=lambda s: RoundReviewer.objects.filter(
            round__state=EvaluationRound.State.OPEN, submitted_at__isnull=True
        ),
        item=_review_item,
        since="round__created_at",
        fields=("round__name", "round__public_id", "round__created_at", "round__level_unit__name"),
        scope_q=lambda s: Q(user=s.actor),
        list_url=lambda: reverse("movement:rounds"),
    )
)


# --- the leader's trend: entries registered and recognized, month by month ----------------


def _movement_counts(scope: Scope, start: dt.date, end: dt.date) -> Counts:
    registered = by_month(
        Entry.objects.filter(
            scope.rows_q(Perm.MOVEMENT_VIEW, "unit__"),
            registered_on__gte=start,
            registered_on__lte=end,
        ),
        "registered_on",
        registered=Q(),
    )
    recognized = by_month(
        Decision.objects.filter(
            scope.rows_q(Perm.MOVEMENT_VIEW, "entry__unit__"),
            kind=Decision.Kind.RECOGNITION,
            issued_on__gte=start,
            issued_on__lte=end,
        ),
        "issued_on",
        recognized=Q(),
    )
    months = registered.keys() | recognized.keys()
    return {m: {**registered.get(m, {}), **recognized.get(m, {})} for m in months}


register_trend(
    MonthlyTrend(
        code="movement.monthly",
        title=gettext_lazy("Mô hình, điển hình: đăng ký mới và được công nhận, theo tháng"),
        series=(
            ("registered", gettext_lazy("Đăng ký"), "#1f4e9c"),
            ("recognized", gettext_lazy("Được công nhận"), "#2e7d32"),
        ),
        counts=_movement_counts,
        stacked=False,
    )
)
