"""Heat maps (rows × columns of coloured cells) drawn on the server as inline SVG.

The sibling of ``danvan.core.charts`` (bar charts), under the same constraints: the
Content Security Policy allows no script and no inline style, so every size and colour
is an SVG presentation attribute computed here and written out by
``includes/svg_heatmap.html``::

    {% include "includes/svg_heatmap.html" with chart=heatmap %}

Colour is never the only cue (WCAG 2.1, 1.4.1): each cell also carries a glyph of its
level, the legend repeats the glyphs, every cell has a ``<title>`` (column, level, count;
the row's label is at its left) and the chart a ``<desc>`` of its totals. Each level is
drawn once in ``<defs>`` and every cell ``<use>``s it. The page keeps the same cells in a table
below, with the links a keyboard reaches; the cells themselves are not links (it keeps
the SVG small: a province page stays under its 100 KB).

Coordinates are pre-formatted strings (``charts.num``): templates localize numbers, and
a Vietnamese decimal comma would break SVG.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .charts import num, short


@dataclass(frozen=True)
class Level:
    """One colour of the map: its key (what a cell is), its label, fill and glyph."""

    key: str
    label: str
    fill: str
    glyph: str
    glyph_fill: str = "#ffffff"


@dataclass(frozen=True)
class HeatRow:
    """One row of the map: its label and one (level key, count) per column."""

    label: str
    cells: Sequence[tuple[str, int]]


@dataclass
class HeatCell:
    x: str
    y: str
    ref: str  # the id of its level's drawing in the chart's <defs>
    title: str


@dataclass
class HeatRowOut:
    label: str
    short_label: str
    label_y: str
    cells: list[HeatCell] = field(default_factory=list)


@dataclass
class ColumnHead:
    label: str
    short_label: str
    x: str
    y: str
    transform: str


@dataclass
class LegendEntry:
    """A level: its drawing (in <defs>, used by the legend and by every cell of it)."""

    ref: str
    x: str
    text_x: str
    fill: str
    glyph: str
    glyph_fill: str
    label: str


@dataclass
class HeatMap:
    id: str
    title: str
    desc: str
    width: int
    height: int
    cell_w: str
    cell_h: str
    glyph_x: str
    glyph_y: str
    label_x: str
    columns: list[ColumnHead]
    rows: list[HeatRowOut]
    legend: list[LegendEntry]

    @property
    def is_empty(self) -> bool:
        return not self.rows


def heatmap(
    chart_id: str,
    title: str,
    columns: Sequence[str],
    rows: Sequence[HeatRow],
    levels: Sequence[Level],
) -> HeatMap:
    """A map of *rows* × *columns*, each cell coloured by its level (one of *levels*)."""
    by_key = {lv.key: lv for lv in levels}
    label_w, cell_w, cell_h, gap = 220.0, 46.0, 18.0, 2.0
    legend_h, head_h = 28.0, 124.0
    plot_x, top = label_w + 8, legend_h + head_h
    heads = []
    for i, label in enumerate(columns):
        x = plot_x + i * (cell_w + gap) + cell_w / 2
        y = top - 6
        heads.append(
            ColumnHead(
                label=label,
                short_label=short(label, 32),
                x=num(x),
                y=num(y),
                transform=f"rotate(-40 {num(x)} {num(y)})",
            )
        )
    out_rows = []
    counts: dict[str, int] = dict.fromkeys(by_key, 0)
    ref = {lv.key: f"{chart_id}-{lv.key}" for lv in levels}
    y = top
    for row in rows:
        out = HeatRowOut(label=row.label, short_label=short(row.label, 30), label_y=num(y + 13))
        for i, (key, count) in enumerate(row.cells):
            level = by_key[key]
            counts[key] += 1
            # The row's unit is written at its left: the title names the column only
            # (fewer bytes per cell on a page of many).
            out.cells.append(
                HeatCell(
                    x=num(plot_x + i * (cell_w + gap)),
                    y=num(y),
                    ref=ref[key],
                    title=f"{columns[i]}: {level.label} ({count})",
                )
            )
        out_rows.append(out)
        y += cell_h + gap
    legend, lx = [], 8.0
    for level in levels:
        legend.append(
            LegendEntry(
                ref=ref[level.key],
                x=num(lx),
                text_x=num(lx + cell_w + 6),
                fill=level.fill,
                glyph=level.glyph,
                glyph_fill=level.glyph_fill,
                label=level.label,
            )
        )
        lx += cell_w + 20 + 6.5 * len(level.label)
    desc = (
        "; ".join(f"{lv.label}: {counts[lv.key]}" for lv in levels)
        + f" ({len(rows)} × {len(columns)})."
    )
    return HeatMap(
        id=chart_id,
        title=title,
        desc=desc,
        # The last column's slanted head runs about 150 px right of its cell.
        width=int(max(plot_x + len(columns) * (cell_w + gap) + 150, lx)),
        height=int(y + 4),
        cell_w=num(cell_w),
        cell_h=num(cell_h),
        glyph_x=num(cell_w / 2),
        glyph_y=num(13),
        label_x=num(label_w),
        columns=heads,
        rows=out_rows,
        legend=legend,
    )
