"""Bar charts of the movement's statistics page, drawn by ``danvan.core.charts``.

Three series per row: how many entries registered, were recognized, became exemplary.
Every bar links to the list of the entries it counts (the tables below carry the same
links for the keyboard).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.utils.translation import gettext as _

from danvan.core import charts as svg
from danvan.core.charts import Chart

from .selectors import MILESTONE_LABELS, Row

# The three series drawn: how many registered, were recognized, became exemplary.
SERIES: tuple[tuple[str, str], ...] = (
    ("registered", "#1f4e9c"),
    ("recognized", "#2e7d32"),
    ("exemplary", "#b35900"),
)
TOP_SUBUNITS = 10  # the leading ones; the paged table lists every unit

Href = Callable[[Row, str], str]


def _series() -> list[svg.Series]:
    return [svg.Series(key, str(MILESTONE_LABELS[key]), colour) for key, colour in SERIES]


def _items(rows: Sequence[Row], href: Href) -> list[svg.Item]:
    return [
        svg.Item(
            label=row.label,
            values={key: row.counts[key] for key, _c in SERIES},
            hrefs={key: href(row, key) for key, _c in SERIES},
        )
        for row in rows
    ]


def horizontal(chart_id: str, title: str, rows: Sequence[Row], href: Href) -> Chart:
    """One group of three horizontal bars per row (fields, sub-units)."""
    return svg.horizontal(chart_id, title, _items(rows, href), _series())


def vertical(chart_id: str, title: str, rows: Sequence[Row], href: Href) -> Chart:
    """One group of three vertical bars per row (years)."""
    return svg.vertical(chart_id, title, _items(rows, href), _series())


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
