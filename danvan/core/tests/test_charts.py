"""The shared SVG bar charts (danvan.core.charts): geometry the template writes out."""

from __future__ import annotations

from danvan.core import charts as svg

SERIES = [svg.Series("a", "Một", "#111111"), svg.Series("b", "Hai", "#222222")]


def test_side_by_side_bars_share_one_scale() -> None:
    items = [svg.Item("2025", {"a": 10, "b": 5}), svg.Item("2026", {"a": 20, "b": 0})]
    chart = svg.vertical("c", "Tiêu đề", items, SERIES)
    heights = [[float(b.height) for b in g.bars] for g in chart.groups]
    assert heights == [[90.0, 45.0], [180.0, 0.0]]  # the plot is 180 high, 20 at the top
    # Side by side: the bars of a group have different x, the same baseline.
    first = chart.groups[0].bars
    assert first[0].x != first[1].x
    assert float(first[0].y) + 90 == float(first[1].y) + 45
    assert chart.desc == "2025: Một 10, Hai 5; 2026: Một 20, Hai 0."


def test_stacked_bars_sum_and_guide_line() -> None:
    items = [
        svg.Item("tháng 01/2026", {"a": 30, "b": 10}, texts={"a": "30%"}),
        svg.Item("tháng 02/2026", {"a": 0, "b": 0}),
    ]
    chart = svg.vertical("c", "T", items, SERIES, stacked=True, peak=100, guide=(50, "50%"))
    low, high = chart.groups[0].bars
    assert low.x == high.x
    # Stacked: the second bar starts where the first ends.
    assert float(high.y) + float(high.height) == float(low.y)
    assert float(low.height) == 54.0  # 30 of 100 on a 180 px plot
    assert low.text == "30%"
    assert high.text == "10"
    assert [float(b.height) for b in chart.groups[1].bars] == [0.0, 0.0]
    (guide,) = chart.guides
    assert guide.y1 == guide.y2 == "124"  # half-way down the plot (34 + 180 / 2)
    assert guide.label == "50%"


def test_chart_is_wide_enough_for_its_legend_and_uses_points() -> None:
    long = [svg.Series(k, "Nhãn rất dài của chuỗi số " + k, "#333333") for k in "abcd"]
    chart = svg.vertical("c", "T", [svg.Item("x", {"a": 1.5})], long)
    last = chart.legend[-1]
    assert chart.width >= float(last.text_x) + 7.2 * len(last.label)
    assert svg.num(2.0) == "2"
    assert svg.num(12.34) == "12.3"
    assert "," not in svg.num(1234.5)
