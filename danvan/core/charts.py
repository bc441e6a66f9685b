"""Bar charts drawn on the server as inline SVG geometry, for every statistics page.

The Content Security Policy allows no script and no inline style, so a chart is an
inline ``<svg>`` whose sizes and colours are SVG presentation attributes (``x``,
``width``, ``fill`` …), computed here and written out by ``includes/svg_chart.html``:

    {% include "includes/svg_chart.html" with chart=chart %}

Each chart has a title and a description for assistive technology; the page shows the
same numbers in a table (the chart says so under it). A bar links to ``href`` when the
item gives one (the tables carry the links a keyboard reaches).

Coordinates are pre-formatted strings: templates localize numbers, and a Vietnamese
decimal comma would break SVG.

A chart is built from *items* (one group of bars each, e.g. a field, a year, a month)
and *series* (one bar per item each, e.g. "registered", "recognized"): ``horizontal``
draws the bars of a group one under the other, ``vertical`` side by side or, with
``stacked=True``, one on top of the other; ``guide`` draws a dashed reference line (a
target rate, the 50% quorum …) across the plot.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

LABEL_LIMIT = 34


def num(value: float) -> str:
    """A coordinate as SVG wants it: a decimal point, no trailing zeros."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def short(text: str, limit: int = LABEL_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Series:
    """One bar of every group: what it counts, its legend label and its colour."""

    key: str
    label: str
    fill: str


@dataclass(frozen=True)
class Item:
    """One group of bars: its label, a value per series key, and optionally a link and
    a display text per series key (the value itself when not given)."""

    label: str
    values: Mapping[str, float]
    hrefs: Mapping[str, str] = field(default_factory=dict)
    texts: Mapping[str, str] = field(default_factory=dict)

    def text(self, key: str) -> str:
        return self.texts.get(key, str(self.values.get(key, 0)))


@dataclass
class Bar:
    x: str
    y: str
    width: str
    height: str
    fill: str
    value: float
    text: str
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
class Guide:
    """A dashed reference line across the plot, with its label at its end."""

    x1: str
    y1: str
    x2: str
    y2: str
    label: str
    label_x: str
    label_y: str


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
    guides: list[Guide] = field(default_factory=list)
    # The font size of the group labels when smaller than the chart's (e.g. months).
    label_size: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.groups


def legend(series: Sequence[Series]) -> list[LegendItem]:
    items, x = [], 8.0
    for s in series:
        items.append(LegendItem(x=num(x), text_x=num(x + 16), fill=s.fill, label=s.label))
        x += 30 + 7.2 * len(s.label)
    return items


def describe(items: Sequence[Item], series: Sequence[Series]) -> str:
    """The chart's numbers in words, for its ``<desc>``."""
    parts = [
        f"{item.label}: " + ", ".join(f"{s.label} {item.text(s.key)}" for s in series)
        for item in items
    ]
    return "; ".join(parts) + "."


def _peak(items: Sequence[Item], series: Sequence[Series], stacked: bool) -> float:
    if stacked:
        return max((sum(item.values.get(s.key, 0) for s in series) for item in items), default=0)
    return max((item.values.get(s.key, 0) for item in items for s in series), default=0)


def horizontal(
    chart_id: str,
    title: str,
    items: Sequence[Item],
    series: Sequence[Series],
    *,
    peak: float | None = None,
    guide: tuple[float, str] | None = None,
) -> Chart:
    """One group of horizontal bars per item, one bar per series, each with its value.

    *peak* fixes the right end of the scale (all households of a vote), else the largest
    value; *guide* is ``(value, label)`` for a dashed line down the plot at *value*.
    """
    label_w, plot_x, plot_w, right = 236.0, 244.0, 420.0, 56.0
    bar_h, gap, pad, top = 12.0, 2.0, 14.0, 34.0
    if guide is not None:
        top += 14  # room for the guide's label above the bars
    group_h = len(series) * bar_h + (len(series) - 1) * gap
    peak = peak or _peak(items, series, False) or 1
    groups = []
    y = top
    for item in items:
        group = Group(
            label=item.label,
            short_label=short(item.label),
            label_x=num(label_w),
            label_y=num(y + group_h / 2 + 4),
        )
        for i, s in enumerate(series):
            value = item.values.get(s.key, 0)
            width = value / peak * plot_w
            bar_y = y + i * (bar_h + gap)
            group.bars.append(
                Bar(
                    x=num(plot_x),
                    y=num(bar_y),
                    width=num(max(width, 1.0) if value else 0.0),
                    height=num(bar_h),
                    fill=s.fill,
                    value=value,
                    text=item.text(s.key),
                    series=s.label,
                    href=item.hrefs.get(s.key, ""),
                    text_x=num(plot_x + width + 4),
                    text_y=num(bar_y + bar_h - 2),
                )
            )
        groups.append(group)
        y += group_h + pad
    guides = []
    if guide is not None:
        level, label = guide
        x = num(plot_x + min(level / peak, 1.0) * plot_w)
        guides.append(
            Guide(
                x1=x,
                y1=num(top - 6),
                x2=x,
                y2=num(y - pad + 4),
                label=label,
                label_x=x,
                label_y=num(top - 9),
            )
        )
    return Chart(
        id=chart_id,
        title=title,
        desc=describe(items, series),
        width=int(plot_x + plot_w + right),
        height=int(y),
        horizontal=True,
        groups=groups,
        legend=legend(series),
        axis_x1=num(plot_x),
        axis_y1=num(top - 4),
        axis_x2=num(plot_x),
        axis_y2=num(y - pad + 4),
        guides=guides,
    )


def vertical(
    chart_id: str,
    title: str,
    items: Sequence[Item],
    series: Sequence[Series],
    *,
    stacked: bool = False,
    peak: float | None = None,
    guide: tuple[float, str] | None = None,
    label_size: str = "",
) -> Chart:
    """One group of vertical bars per item: side by side, or *stacked* one on another.

    *peak* fixes the top of the scale (100 for a rate), else the largest value (or
    stack); *guide* is ``(value, label)`` for a dashed line across the plot at *value*.
    """
    left, top, plot_h, label_h = 16.0, 34.0, 180.0, 24.0
    bar_w, gap, pad = 14.0, 2.0, 18.0
    if stacked:
        bar_w = 28.0
    group_w = bar_w if stacked else len(series) * bar_w + (len(series) - 1) * gap
    scale = peak or _peak(items, series, stacked) or 1
    base = top + plot_h
    groups = []
    x = left + pad / 2
    for item in items:
        group = Group(
            label=item.label,
            short_label=short(item.label),
            label_x=num(x + group_w / 2),
            label_y=num(base + 16),
        )
        stack = base
        for i, s in enumerate(series):
            value = item.values.get(s.key, 0)
            height = value / scale * plot_h
            if value:
                height = max(height, 1.0)
            bar_x = x if stacked else x + i * (bar_w + gap)
            bar_y = stack - height if stacked else base - height
            if stacked:
                stack -= height
            group.bars.append(
                Bar(
                    x=num(bar_x),
                    y=num(bar_y),
                    width=num(bar_w),
                    height=num(height),
                    fill=s.fill,
                    value=value,
                    text=item.text(s.key),
                    series=s.label,
                    href=item.hrefs.get(s.key, ""),
                )
            )
        groups.append(group)
        x += group_w + pad
    keys = legend(series)
    # Wide enough for the legend too (its last label ends 7.2 px a character after its x).
    legend_end = float(keys[-1].text_x) + 7.2 * len(keys[-1].label) + 8 if keys else 0.0
    width = max(int(x + left), 360, int(legend_end))
    guides = []
    if guide is not None:
        level, label = guide
        y = num(base - min(level / scale, 1.0) * plot_h)
        guides.append(
            Guide(
                x1=num(left),
                y1=y,
                x2=num(width - left),
                y2=y,
                label=label,
                label_x=num(width - left),
                label_y=num(float(y) - 4),
            )
        )
    return Chart(
        id=chart_id,
        title=title,
        desc=describe(items, series),
        width=width,
        height=int(base + label_h),
        horizontal=False,
        groups=groups,
        legend=keys,
        axis_x1=num(left),
        axis_y1=num(base),
        axis_x2=num(width - left),
        axis_y2=num(base),
        guides=guides,
        label_size=label_size,
    )
