"""Bar charts of the statistics page, drawn on the server as SVG geometry.

The page's Content Security Policy allows no script and no inline style, so the
charts are inline ``<svg>`` whose sizes and colours are SVG presentation attributes
(``x``, ``width``, ``fill`` …), computed here and written out by
``movement/stats_chart.html``. Each chart has a title and a description for assistive
technology; the same numbers stand in the tables below it, which carry the links a
keyboard reaches (the bars link too, for the mouse).

Coordinates are pre-formatted strings: the templates localize numbers (a Vietnamese
decimal comma would break SVG).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .stats import MILESTONE_LABELS, Row

# The three series drawn: how many registered, were recognized, became exemplary.
SERIES: tuple[tuple[str, str], ...] = (
    ("registered", "#1f4e9c"),
    ("recognized", "#2e7d32"),
    ("exemplary", "#b35900"),
)
LABEL_LIMIT = 34

Href = Callable[[Row, str], str]


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _short(text: str) -> str:
    return text if len(text) <= LABEL_LIMIT else text[: LABEL_LIMIT - 1].rstrip() + "…"


@dataclass
class Bar:
    x: str
    y: str
    width: str
    height: str
    fill: str
    value: int
    series: str
    href: str
    text_x: str = ""
    text_y: str = ""


@dataclass
class Group:
    label: str
    short_label: str
    label_x: str
    label_y: str
    bars: list[Bar] = field(default_factory=list)


@dataclass
class LegendItem:
    x: str
    text_x: str
    fill: str
    label: str


@dataclass
class Chart:
    id: str
    title: str
    desc: str
    width: int
    height: int
    horizontal: bool
    groups: list[Group]
    legend: list[LegendItem]
    axis_x1: str = ""
    axis_y1: str = ""
    axis_x2: str = ""
    axis_y2: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.groups


def _legend() -> list[LegendItem]:
    items, x = [], 8.0
    for key, colour in SERIES:
        label = str(MILESTONE_LABELS[key])
        items.append(LegendItem(x=_n(x), text_x=_n(x + 16), fill=colour, label=label))
        x += 30 + 7.2 * len(label)
    return items


def _describe(rows: Sequence[Row]) -> str:
    parts = [
        f"{row.label}: " + ", ".join(f"{MILESTONE_LABELS[k]} {row.counts[k]}" for k, _c in SERIES)
        for row in rows
    ]
    return "; ".join(parts) + "."


def horizontal(chart_id: str, title: str, rows: Sequence[Row], href: Href) -> Chart:
    """One group of three horizontal bars per row (fields, sub-units)."""
    label_w, plot_x, plot_w, right = 236.0, 244.0, 420.0, 56.0
    bar_h, gap, pad, top = 12.0, 2.0, 14.0, 34.0
    group_h = len(SERIES) * bar_h + (len(SERIES) - 1) * gap
    peak = max((row.counts[k] for row in rows for k, _c in SERIES), default=0) or 1
    groups = []
    y = top
    for row in rows:
        group = Group(
            label=row.label,
            short_label=_short(row.label),
            label_x=_n(label_w),
            label_y=_n(y + group_h / 2 + 4),
        )
        for i, (key, colour) in enumerate(SERIES):
            value = row.counts[key]
            width = value / peak * plot_w
            bar_y = y + i * (bar_h + gap)
            group.bars.append(
                Bar(
                    x=_n(plot_x),
                    y=_n(bar_y),
                    width=_n(max(width, 1.0) if value else 0.0),
                    height=_n(bar_h),
                    fill=colour,
                    value=value,
                    series=str(MILESTONE_LABELS[key]),
                    href=href(row, key),
                    text_x=_n(plot_x + width + 4),
                    text_y=_n(bar_y + bar_h - 2),
                )
            )
        groups.append(group)
        y += group_h + pad
    return Chart(
        id=chart_id,
        title=title,
        desc=_describe(rows),
        width=int(plot_x + plot_w + right),
        height=int(y),
        horizontal=True,
        groups=groups,
        legend=_legend(),
        axis_x1=_n(plot_x),
        axis_y1=_n(top - 4),
        axis_x2=_n(plot_x),
        axis_y2=_n(y - pad + 4),
    )


def vertical(chart_id: str, title: str, rows: Sequence[Row], href: Href) -> Chart:
    """One group of three vertical bars per row (years)."""
    left, top, plot_h, label_h = 16.0, 34.0, 180.0, 24.0
    bar_w, gap, pad = 14.0, 2.0, 18.0
    group_w = len(SERIES) * bar_w + (len(SERIES) - 1) * gap
    peak = max((row.counts[k] for row in rows for k, _c in SERIES), default=0) or 1
    base = top + plot_h
    groups = []
    x = left + pad / 2
    for row in rows:
        group = Group(
            label=row.label,
            short_label=_short(row.label),
            label_x=_n(x + group_w / 2),
            label_y=_n(base + 16),
        )
        for i, (key, colour) in enumerate(SERIES):
            value = row.counts[key]
            height = value / peak * plot_h
            if value:
                height = max(height, 1.0)
            group.bars.append(
                Bar(
                    x=_n(x + i * (bar_w + gap)),
                    y=_n(base - height),
                    width=_n(bar_w),
                    height=_n(height),
                    fill=colour,
                    value=value,
                    series=str(MILESTONE_LABELS[key]),
                    href=href(row, key),
                )
            )
        groups.append(group)
        x += group_w + pad
    width = max(int(x + left), 360)
    return Chart(
        id=chart_id,
        title=title,
        desc=_describe(rows),
        width=width,
        height=int(base + label_h),
        horizontal=False,
        groups=groups,
        legend=_legend(),
        axis_x1=_n(left),
        axis_y1=_n(base),
        axis_x2=_n(width - left),
        axis_y2=_n(base),
    )


TOP_SUBUNITS = 15


def charts(
    *, by_field: Sequence[Row], by_subunit: Sequence[Row], by_year: Sequence[Row], href: Href
) -> dict[str, Chart]:
    top = [row for row in by_subunit if row.counts["registered"]][:TOP_SUBUNITS]
    return {
        "field": horizontal("chart-field", _("Theo lĩnh vực"), by_field, href),
        "subunit": horizontal(
            "chart-subunit",
            _("%(n)s đơn vị trực thuộc có nhiều mô hình đăng ký nhất") % {"n": len(top)},
            top,
            href,
        ),
        "year": vertical("chart-year", _("Theo năm đăng ký"), by_year, href),
    }
