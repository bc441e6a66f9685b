"""The server-drawn heat map: one cell per row and column, each using its level's
drawing, a title per cell and a description of the counts (no database)."""

from __future__ import annotations

from django.template.loader import render_to_string

from danvan.core.heatmap import HeatRow, Level, heatmap

LEVELS = [
    Level("ok", "Đạt", "#198754", "✓"),
    Level("bad", "Chưa đạt", "#dc3545", "✗"),
]


def test_cells_titles_and_description() -> None:
    chart = heatmap(
        "hm",
        "Bản đồ",
        ["Cột một", "Cột hai"],
        [HeatRow("Xã A", [("ok", 3), ("bad", 0)]), HeatRow("Xã B", [("bad", 1), ("bad", 2)])],
        LEVELS,
    )
    assert [[c.ref for c in r.cells] for r in chart.rows] == [["hm-ok", "hm-bad"], ["hm-bad"] * 2]
    assert chart.rows[1].cells[1].title == "Cột hai: Chưa đạt (2)"
    assert chart.desc == "Đạt: 1; Chưa đạt: 3 (2 × 2)."
    # Rows are stacked, columns side by side, at fixed steps.
    assert chart.rows[0].cells[0].y != chart.rows[1].cells[0].y
    assert chart.rows[0].cells[0].x != chart.rows[0].cells[1].x
    html = render_to_string("includes/svg_heatmap.html", {"chart": chart})
    assert html.count('<use href="#hm-') == 4 + len(LEVELS)  # the cells and the legend
    assert html.count('<g id="hm-') == len(LEVELS)
    assert "style=" not in html
    assert "<title>Cột hai: Chưa đạt (2)</title>" in html
