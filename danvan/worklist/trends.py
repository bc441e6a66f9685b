"""Trends over the last 12 months on a leader's home page: each area contributes a monthly
series through one small interface, drawn as server-side SVG (danvan.core.charts).

    from danvan.worklist.trends import MonthlyTrend, register_trend

    register_trend(MonthlyTrend(code="cases.on_time", title=..., series=..., counts=...))

``counts(scope, start, end)`` answers ``{(year, month): {series key: number}}`` for the
months in [start, end], in one query (grouped by month), scoped like the worklist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils.functional import Promise

from danvan.core import charts

from .registry import Scope

Month = tuple[int, int]
Counts = Mapping[Month, Mapping[str, float]]


def last_months(today: dt.date, n: int = 12) -> list[Month]:
    """The *n* calendar months ending with *today*'s, oldest first."""
    year, month = today.year, today.month
    months = []
    for _i in range(n):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def by_month(qs: QuerySet[Any], day: str, **series: Q) -> dict[Month, dict[str, int]]:
    """Rows of *qs* counted per month of the date field *day*, one count per series filter
    (an empty ``Q()`` counts every row): one GROUP BY query on both databases."""
    rows = (
        qs.order_by()
        .annotate(_y=ExtractYear(day), _m=ExtractMonth(day))
        .values("_y", "_m")
        .annotate(**{key: Count("pk", filter=q) if q else Count("pk") for key, q in series.items()})
    )
    return {(r["_y"], r["_m"]): {key: r[key] for key in series} for r in rows}


@dataclass(frozen=True)
class MonthlyTrend:
    code: str
    title: str | Promise
    # (key, label, colour) of each bar of a month.
    series: Sequence[tuple[str, str | Promise, str]]
    counts: Callable[[Scope, dt.date, dt.date], Counts]
    stacked: bool = True
    # A rate to show beside each month's label (e.g. the share on time), or None.
    rate_of: tuple[str, str | Promise] | None = None  # (part key, label)

    @property
    def labels(self) -> list[str]:
        return [str(label) for _key, label, _fill in self.series]

    def chart(self, scope: Scope) -> tuple[charts.Chart, list[dict[str, Any]]]:
        months = last_months(scope.today)
        start = dt.date(*months[0], 1)
        data = self.counts(scope, start, scope.today)
        series = [charts.Series(key, str(label), fill) for key, label, fill in self.series]
        items, rows = [], []
        for year, month in months:
            values = {s.key: float(data.get((year, month), {}).get(s.key, 0)) for s in series}
            total = sum(values.values())
            label = f"{month:02d}/{year}"
            items.append(charts.Item(label=label, values=values))
            rate = ""
            if self.rate_of is not None and total:
                rate = f"{values[self.rate_of[0]] / total * 100:.0f}%"
            rows.append(
                {"label": label, "values": [int(values[s.key]) for s in series], "rate": rate}
            )
        chart = charts.vertical(
            f"trend-{self.code.replace('.', '-')}",
            str(self.title),
            items,
            series,
            stacked=self.stacked,
            label_size="9",
        )
        return chart, rows


_TRENDS: dict[str, MonthlyTrend] = {}


def register_trend(trend: MonthlyTrend) -> MonthlyTrend:
    _TRENDS[trend.code] = trend
    return trend


def trends() -> list[MonthlyTrend]:
    return list(_TRENDS.values())
