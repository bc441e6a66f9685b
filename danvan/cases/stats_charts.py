"""The case statistics' trend and charts: cases received month by month, how they stand
against their due dates, and the rate settled on time.

Drawn on the server by ``danvan.core.charts`` (inline SVG, no script, no inline style);
the same numbers stand in the trend table under the charts.

A window of more than ``MONTHS_SHOWN`` months is shown year by year, so the chart and the
table stay readable (the statistics' window is free, and can span years).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from danvan.core import charts as svg

from .selectors import TIMING_KEYS

MONTHS_SHOWN = 24


def timing_labels() -> dict[str, str]:
    """The timing columns' labels, as the statistics table names them."""
    return {
        "on_time": _("Đã kết thúc đúng hạn"),
        "late": _("Đã kết thúc quá hạn"),
        "open_in_time": _("Đang xử lý, còn hạn"),
        "open_overdue": _("Đang xử lý, đã quá hạn"),
    }


_COLOURS = {
    "on_time": "#2e7d32",
    "late": "#b35900",
    "open_in_time": "#1f4e9c",
    "open_overdue": "#b02a37",
}


def on_time_rate(counts: Mapping[str, int]) -> float | None:
    """The share (in %) of the settled cases settled on time; None when none is settled."""
    settled = counts["on_time"] + counts["late"]
    return counts["on_time"] * 100 / settled if settled else None


def percent(rate: float | None) -> str:
    """``85,3%`` (the Vietnamese decimal comma); a dash when there is no rate."""
    if rate is None:
        return "—"
    return f"{rate:.1f}".rstrip("0").rstrip(".").replace(".", ",") + "%"


@dataclass(frozen=True)
class TrendRow:
    """A month (or a year) of the window: the cases received in it and how they stand."""

    key: str  # YYYY-MM or YYYY
    label: str  # "tháng 06/2026", "năm 2026"
    short_label: str  # "06/2026", "2026"
    counts: Mapping[str, int]  # "total" and TIMING_KEYS

    @property
    def rate(self) -> float | None:
        return on_time_rate(self.counts)

    @property
    def rate_text(self) -> str:
        return percent(self.rate)


def _months(start: dt.date, end: dt.date) -> list[str]:
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def trend(
    by_month: Mapping[str, Mapping[str, int]], start: dt.date, end: dt.date
) -> list[TrendRow]:
    """Every month of [start, end] (gaps filled with zeros), or every year of it when the
    window spans more than MONTHS_SHOWN months."""
    keys = ("total", *TIMING_KEYS)
    months = _months(start, end)
    if len(months) <= MONTHS_SHOWN:
        return [
            TrendRow(
                key=m,
                label=_("tháng %(month)s/%(year)s") % {"month": m[5:], "year": m[:4]},
                short_label=f"{m[5:]}/{m[:4]}",
                counts={k: int(by_month.get(m, {}).get(k, 0)) for k in keys},
            )
            for m in months
        ]
    years: dict[str, dict[str, int]] = {
        str(y): dict.fromkeys(keys, 0) for y in range(start.year, end.year + 1)
    }
    for month, counts in by_month.items():
        for k in keys:
            years[month[:4]][k] += int(counts.get(k, 0))
    return [
        TrendRow(key=y, label=_("năm %(year)s") % {"year": y}, short_label=y, counts=c)
        for y, c in years.items()
    ]


def charts(rows: Sequence[TrendRow], totals: Mapping[str, int]) -> dict[str, svg.Chart]:
    """The monthly trend (cases received, stacked by how they stand) and the on-time rate
    per month against the rate of the whole window."""
    labels = timing_labels()
    stacked = [svg.Series(k, labels[k], _COLOURS[k]) for k in TIMING_KEYS]
    # "07/2025" under a bar 28 px wide: the smaller font keeps the months apart.
    label_size = "10"
    received = svg.vertical(
        "chart-trend",
        _("Vụ việc nhận theo thời gian, theo tình trạng giải quyết"),
        [svg.Item(row.label, {k: row.counts[k] for k in TIMING_KEYS}) for row in rows],
        stacked,
        stacked=True,
        label_size=label_size,
    )
    rate_series = [svg.Series("rate", _("Tỷ lệ kết thúc đúng hạn"), _COLOURS["on_time"])]
    overall = on_time_rate(totals)
    rate = svg.vertical(
        "chart-on-time",
        _("Tỷ lệ vụ việc đã kết thúc đúng hạn (trên số đã kết thúc)"),
        [
            svg.Item(
                row.label,
                {"rate": round(row.rate, 1) if row.rate is not None else 0},
                texts={"rate": row.rate_text},
            )
            for row in rows
        ],
        rate_series,
        stacked=True,
        peak=100.0,
        guide=(overall, _("Cả kỳ: %(rate)s") % {"rate": percent(overall)})
        if overall is not None
        else None,
        label_size=label_size,
    )
    for chart in (received, rate):
        for group, row in zip(chart.groups, rows, strict=True):
            group.short_label = row.short_label
    return {"trend": received, "rate": rate}
