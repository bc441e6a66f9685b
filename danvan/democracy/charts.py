"""The grassroots-democracy charts: a vote's turnout against the 50% line, and the
compliance board as a heat map. Drawn on the server by ``danvan.core.charts`` and
``danvan.core.heatmap`` (inline SVG, no script, no inline style); the numbers stay in
the tables beside them.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from danvan.core import charts as svg
from danvan.core.charts import Chart
from danvan.core.heatmap import HeatMap, HeatRow, Level, heatmap

from .board.selectors import OBLIGATIONS, Row, Status
from .selectors import Tally


def turnout(tally: Tally, chart_id: str = "turnout-chart") -> Chart:
    """Households present and agreeing as bars against all households, with the line at
    half of all households that both must pass (Law 10/2022/QH15; democracy.rules: more
    than half of ALL households, not of those present)."""
    series = [
        svg.Series("total", _("Tổng số hộ"), "#6c757d"),
        svg.Series("present", _("Hộ tham gia"), "#0d6efd"),
        svg.Series("agree", _("Hộ đồng ý"), "#198754"),
    ]
    # One group of three bars, each with its number, scaled to all households.
    items = [
        svg.Item(
            _("Số hộ gia đình"),
            {"total": tally.total, "present": tally.present, "agree": tally.agree},
        )
    ]
    half = f"{tally.total / 2:g}".replace(".", ",")
    chart = svg.horizontal(
        chart_id,
        _("Số hộ tham gia và đồng ý so với tổng số hộ"),
        items,
        series,
        peak=max(tally.total, tally.present, tally.agree, 1),
        guide=(tally.total / 2, _("1/2 tổng số hộ (%(n)s): phải vượt quá") % {"n": half}),
    )
    # The generic description lists every series for every bar; this one says it plainly.
    chart.desc = _(
        "%(present)s/%(total)s hộ tham gia, %(agree)s/%(total)s hộ đồng ý; cần quá"
        " 1/2 tổng số hộ (trên %(half)s hộ) để hợp lệ và để được thông qua."
    ) % {
        "present": tally.present,
        "agree": tally.agree,
        "total": tally.total,
        "half": half,
    }
    return chart


# Bootstrap's success / warning / danger / light, with a glyph each (colour is never the
# only cue).
BOARD_LEVELS: tuple[tuple[str, str, str, str], ...] = (
    (Status.DONE, "#198754", "✓", "#ffffff"),
    (Status.LATE, "#ffc107", "!", "#212529"),
    (Status.MISSING, "#dc3545", "✗", "#ffffff"),
    (Status.NOT_APPLICABLE, "#e9ecef", "–", "#6c757d"),
)


def board_heatmap(rows: Sequence[Row], chart_id: str = "board-heatmap") -> HeatMap:
    """The board's *rows* (units) × obligations, each cell coloured by its status."""
    levels = [
        Level(key, str(Status.LABELS[key]), fill, glyph, glyph_fill)
        for key, fill, glyph, glyph_fill in BOARD_LEVELS
    ]
    return heatmap(
        chart_id,
        _("Bản đồ nhiệt: đơn vị × nghĩa vụ"),
        [str(o.label) for o in OBLIGATIONS],
        [HeatRow(row.unit.name, [(c.status, c.count) for c in row.cell_list]) for row in rows],
        levels,
    )
