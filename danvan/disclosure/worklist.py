"""The disclosure trend on a leader's home page (danvan.worklist.trends): disclosures
started each month, in time or after their due date. The missing and late disclosures
themselves are listed by the compliance board's source (democracy.worklist)."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q
from django.utils.translation import gettext_lazy

from danvan.accounts.policies import Perm
from danvan.worklist.registry import Scope
from danvan.worklist.trends import Counts, MonthlyTrend, by_month, register_trend

from .models import Disclosure


def _counts(scope: Scope, start: dt.date, end: dt.date) -> Counts:
    started = Disclosure.objects.filter(
        scope.rows_q(Perm.DEMOCRACY_VIEW, "unit__"), start__gte=start, start__lte=end
    )
    in_time = Q(due_on__isnull=True) | Q(start__lte=F("due_on"))
    return by_month(started, "start", in_time=in_time, late=~in_time)


register_trend(
    MonthlyTrend(
        code="disclosure.in_time",
        title=gettext_lazy("Công khai thông tin: đúng hạn và chậm, theo tháng bắt đầu"),
        series=(
            ("in_time", gettext_lazy("Đúng hạn"), "#1f4e9c"),
            ("late", gettext_lazy("Chậm"), "#b35900"),
        ),
        counts=_counts,
        rate_of=("in_time", gettext_lazy("Tỷ lệ đúng hạn")),
    )
)
