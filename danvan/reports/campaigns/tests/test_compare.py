"""The comparison page (issue 13, item 6): every indicator against the previous period
and the same period last year, checked against the raw values of reports made here."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danvan.accounts.models import User
from danvan.accounts.testing import login_verified, make_user
from danvan.reports.campaigns import services
from danvan.reports.campaigns.compare import selectors as compare
from danvan.reports.campaigns.models import (
    Campaign,
    Report,
    ReportCell,
    ReportStatus,
    ReportValue,
)
from danvan.reports.models import Indicator, IndicatorKind, Regime, ReportTemplate
from danvan.units.models import Unit

from .conftest import approved_last_year, entry, fill

pytestmark = pytest.mark.django_db

CODE = "mo-hinh-dang-ky"  # computed: the movement's entries registered in the period
BY_FIELD = "mo-hinh-theo-linh-vuc"  # computed table: the same entries by field (reports 0005)
RETIRED = "linh-vuc-da-bo"  # a row only the previous report has (a field retired since)


def _stated(row: ReportValue | ReportCell) -> Decimal | None:
    return (
        row.override
        if row.override is not None
        else row.computed
        if row.computed is not None
        else row.manual
    )


def _raw_cells(report: Report, code: str = BY_FIELD) -> dict[str, Decimal | None]:
    """The stated figures of *report*'s table *code* by row key, read straight from its rows."""
    return {
        c.row_key: _stated(c)
        for c in ReportCell.objects.filter(report=report, indicator__code=code)
    }


def _raw(report: Report) -> dict[str, Decimal | None]:
    """The stated figures of *report*, read straight from its value rows."""
    out: dict[str, Decimal | None] = {}
    for v in ReportValue.objects.filter(report=report).select_related("indicator"):
        out[v.indicator.code] = (
            v.override
            if v.override is not None
            else v.computed
            if v.computed is not None
            else v.manual
        )
    return out


@pytest.fixture
def history(
    regime: Regime,
    template: ReportTemplate,
    province_admin: User,
    province_officer: User,
    thai_nguyen: Unit,
    commune: Unit,
    commune_officer: User,
) -> dict[str, Report]:
    """The commune's approved half-year 2025 report (two entries registered, manual
    figures 4), an approved report of a later period of 2025 (five registered, made as
    a regime with two periods a year would have it), and the current 2026 one (three
    registered, manual figures 6), still a draft."""
    last_year = approved_last_year(
        regime=regime,
        template=template,
        admin=province_admin,
        reviewer=province_officer,
        owner=thai_nguyen,
        unit=commune,
        officer=commune_officer,
        value="4",
    )
    # The second half of 2025, the period just before the current one: written directly,
    # as no seeded regime has two periods a year yet.
    second_half = Campaign.objects.create(
        regime=regime,
        template=template,
        year=2025,
        period_start=dt.date(2025, 6, 15),
        period_end=dt.date(2025, 12, 14),
        owner_unit=commune,
        title="Báo cáo 6 tháng cuối năm 2025",
    )
    previous = Report.objects.create(
        campaign=second_half,
        unit=commune,
        status=ReportStatus.APPROVED,
        due_date=dt.date(2025, 12, 16),
    )
    for indicator in template.indicators.all():
        if indicator.code == CODE:
            ReportValue.objects.create(report=previous, indicator=indicator, computed=Decimal(5))
        elif indicator.source == "manual" and indicator.kind == IndicatorKind.NUMBER:
            ReportValue.objects.create(report=previous, indicator=indicator, manual=Decimal(0))
    # Its table by field: five economic entries, and one in a field retired since.
    by_field = template.indicators.get(code=BY_FIELD)
    ReportCell.objects.create(
        report=previous,
        indicator=by_field,
        row_key="kinh-te",
        row_label="Kinh tế",
        row_order=1,
        computed=Decimal(5),
    )
    ReportCell.objects.create(
        report=previous,
        indicator=by_field,
        row_key=RETIRED,
        row_label="Lĩnh vực đã bỏ",
        row_order=99,
        computed=Decimal(1),
    )
    for day in (1, 2, 3):
        entry(commune, registered_on=dt.date(2026, 3, day))
    current = services.campaign_open(
        actor=province_admin,
        regime=regime,
        template=template,
        year=2026,
        owner_unit=thai_nguyen,
        units=[thai_nguyen, commune],
    ).reports.get(unit=commune)
    fill(current, commune_officer, "6")
    return {"last_year": last_year, "previous": previous, "current": current}


def _url(report: Report) -> str:
    return reverse("report_campaigns:compare", kwargs={"public_id": report.public_id})


def test_comparison_numbers_match_the_raw_values(history: dict[str, Report]) -> None:
    current = Report.objects.select_related("campaign").get(pk=history["current"].pk)
    result = compare.comparison(current)
    assert result.previous == history["previous"]
    assert result.last_year == history["last_year"]
    assert not result.same_report
    now, before, year_before = (_raw(history[k]) for k in ("current", "previous", "last_year"))
    assert (now[CODE], before[CODE], year_before[CODE]) == (3, 5, 2)
    rows = {row.indicator.code: row for row in result.rows}
    assert set(rows) == set(now)  # every indicator of the template
    for code, row in rows.items():
        assert row.now.value == now[code]
        assert row.previous.value == before.get(code)
        assert row.last_year.value == year_before.get(code)
    moved = rows[CODE]
    assert moved.vs_previous == compare.Delta(Decimal(-2), Decimal("-40.0"))
    assert moved.vs_last_year == compare.Delta(Decimal(1), Decimal("50.0"))
    assert (moved.vs_previous.trend, moved.vs_last_year.trend) == ("down", "up")
    # A manual figure typed 6 now, 0 in the previous period: no percentage of nothing.
    manual = next(r for r in rows.values() if not r.indicator.query)
    assert manual.vs_previous == compare.Delta(Decimal(6), None)
    assert manual.vs_last_year == compare.Delta(Decimal(2), Decimal("50.0"))
    # Computed figures open the records they count, each over its own period.
    assert moved.now.records_url
    assert moved.previous.records_url
    assert moved.last_year.records_url
    assert (
        len({moved.now.records_url, moved.previous.records_url, moved.last_year.records_url}) == 3
    )
    assert manual.now.records_url == ""


def test_tables_are_compared_row_by_row(history: dict[str, Report]) -> None:
    # Last year's economic row was overridden: the stated figure is the override.
    ReportCell.objects.filter(
        report=history["last_year"], indicator__code=BY_FIELD, row_key="kinh-te"
    ).update(override=Decimal(4), override_reason="Đếm lại.")
    current = Report.objects.select_related("campaign", "unit").get(pk=history["current"].pk)
    result = compare.comparison(current)
    table = next(t for t in result.tables if t.indicator.code == BY_FIELD)
    now, before, year_before = (
        _raw_cells(history[k]) for k in ("current", "previous", "last_year")
    )
    assert (now["kinh-te"], before["kinh-te"], year_before["kinh-te"]) == (3, 5, 4)
    rows = {row.key: row for row in table.rows}
    # This report's rows in its order, then the row only the previous report has.
    ordered = ReportCell.objects.filter(report=current, indicator__code=BY_FIELD).order_by(
        "row_order", "row_key"
    )
    assert [r.key for r in table.rows] == [*ordered.values_list("row_key", flat=True), RETIRED]
    for key, row in rows.items():
        assert row.now.value == now.get(key)
        assert row.previous.value == before.get(key)
        assert row.last_year.value == year_before.get(key)
    economic = rows["kinh-te"]
    assert economic.vs_previous == compare.Delta(Decimal(-2), Decimal("-40.0"))
    assert economic.vs_last_year == compare.Delta(Decimal(-1), Decimal("-25.0"))
    # Computed rows open the records they count, each over its own period.
    urls = {economic.now.records_url, economic.previous.records_url, economic.last_year.records_url}
    assert len(urls) == 3
    assert "" not in urls
    retired = rows[RETIRED]
    assert retired.now.value is None
    assert retired.previous.value == 1
    assert retired.vs_previous is None  # nothing stated now: no change to tell
    # A row the previous report does not have: no figure, no change.
    other = next(r for r in table.rows if r.key not in ("kinh-te", RETIRED))
    assert other.previous.value is None
    assert other.vs_previous is None
    assert other.now.value == 0
    assert other.vs_last_year == compare.Delta(Decimal(0), None)  # no percentage of nothing
    total = table.total
    assert total.now.value == sum(v for v in now.values() if v is not None)
    assert total.previous.value == sum(v for v in before.values() if v is not None) == 6
    assert total.last_year.value == sum(v for v in year_before.values() if v is not None)
    assert total.vs_previous == compare.Delta(Decimal(-3), Decimal("-50.0"))


def test_only_approved_reports_of_the_same_unit_are_compared_with(
    history: dict[str, Report], sibling_commune: Unit
) -> None:
    Report.objects.filter(pk=history["previous"].pk).update(status=ReportStatus.RETURNED)
    current = Report.objects.select_related("campaign").get(pk=history["current"].pk)
    result = compare.comparison(current)
    # Without the later one, the half-year 2025 report is both the previous period and
    # the same period last year.
    assert result.previous == result.last_year == history["last_year"]
    assert result.same_report
    Report.objects.filter(pk=history["last_year"].pk).update(unit=sibling_commune)
    result = compare.comparison(current)
    assert result.previous is None
    assert result.last_year is None
    assert all(r.previous.value is None and r.vs_previous is None for r in result.rows)
    for table in result.tables:
        assert [r.key for r in table.rows if r.previous.value is not None] == []
        assert table.total.previous.value is None
        assert table.total.vs_previous is None


def test_page_shows_the_three_periods_and_the_chart(
    client: Client, history: dict[str, Report], commune_officer: User
) -> None:
    login_verified(client, commune_officer)
    current = history["current"]
    detail = client.get(current.get_absolute_url()).content.decode()
    assert f'id="compare" href="{_url(current)}"' in detail
    response = client.get(_url(current))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="compare-chart"' in html
    assert "<svg" in html
    assert history["previous"].get_absolute_url() in html
    assert history["last_year"].get_absolute_url() in html
    row = next(r for r in response.context["result"].rows if r.indicator.code == CODE)
    assert f'href="{row.now.records_url}"' in html.replace("&amp;", "&")
    assert 'data-trend="down"' in html
    assert 'data-trend="up"' in html
    assert "(-40%)" in html
    assert "(+50%)" in html
    # The table by field: its own chart, and an accessible table row by row.
    assert f'id="compare-chart-{BY_FIELD}"' in html
    table = _table_html(html)
    assert "<caption" in table
    assert '<th scope="col">' in table
    economic = _row_html(table, 'data-row="kinh-te"')
    assert '<th scope="row">Kinh tế</th>' in economic
    assert _cell(economic, "now") == "3"
    assert _cell(economic, "previous") == "5"
    assert _cell(economic, "last-year") == "2"
    assert "(-40%)" in _cell(economic, "vs-previous")
    assert "(+50%)" in _cell(economic, "vs-last-year")
    total = _row_html(table, "data-total")
    assert (_cell(total, "now"), _cell(total, "previous"), _cell(total, "last-year")) == (
        "3",
        "6",
        "2",
    )
    # Without earlier approved reports, their columns and the changes say "—".
    Report.objects.filter(pk__in=[history["previous"].pk, history["last_year"].pk]).update(
        status=ReportStatus.RETURNED
    )
    economic = _row_html(
        _table_html(client.get(_url(current)).content.decode()), 'data-row="kinh-te"'
    )
    assert _cell(economic, "now") == "3"
    for col in ("previous", "vs-previous", "last-year", "vs-last-year"):
        assert _cell(economic, col) == "—"


def _table_html(html: str, code: str = BY_FIELD) -> str:
    match = re.search(rf'<table[^>]*id="compare-table-{code}".*?</table>', html, re.S)
    assert match is not None
    return match.group(0)


def _row_html(table: str, marker: str) -> str:
    match = re.search(rf"<tr {marker}>.*?</tr>", table, re.S)
    assert match is not None
    return match.group(0)


def _cell(row: str, col: str) -> str:
    """The text of the cell *col* of *row*, tags and the screen-reader words taken out."""
    match = re.search(rf'<td[^>]*data-col="{col}">(.*?)</td>', row, re.S)
    assert match is not None
    text = re.sub(r'<span class="visually-hidden">.*?</span>', "", match.group(1))
    text = re.sub(r'<span aria-hidden="true">.*?</span>', "", text)
    return re.sub(r"<[^>]+>", "", text).strip()


def test_page_access(
    client: Client,
    history: dict[str, Report],
    province_officer: User,
    sibling_officer: User,
) -> None:
    url = _url(history["current"])
    assert client.get(url).status_code == 302  # to the login page
    login_verified(client, province_officer)  # the level above reads its communes' reports
    assert client.get(url).status_code == 200
    login_verified(client, sibling_officer)  # another commune's report: as if missing
    assert client.get(url).status_code == 404
    missing = reverse("report_campaigns:compare", kwargs={"public_id": uuid.uuid4()})
    assert client.get(missing).status_code == 404
    login_verified(client, make_user("chua-phan-quyen"))  # reads no report anywhere
    response = client.get(url)
    assert response.status_code == 403
    assert client.post(url).status_code in (403, 405)


def test_page_queries_do_not_grow_with_the_history(
    client: Client,
    history: dict[str, Report],
    commune_officer: User,
    django_assert_max_num_queries: Any,
) -> None:
    login_verified(client, commune_officer)
    url = _url(history["current"])
    client.get(url)
    # 21: the report with its values, its table rows (one query, selectors.report_get) …
    # + 2 for the tables: the template's table indicators, and the earlier reports' rows.
    with django_assert_max_num_queries(23):
        assert client.get(url).status_code == 200


def test_page_queries_do_not_grow_with_the_tables(
    client: Client, history: dict[str, Report], commune_officer: User, template: ReportTemplate
) -> None:
    login_verified(client, commune_officer)
    url = _url(history["current"])
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    # A second table, typed by the unit, with rows in this report and the previous one.
    typed = Indicator.objects.create(
        template=template,
        order=60,
        code="hoi-nghi-theo-hinh-thuc",
        label="Hội nghị đối thoại theo hình thức",
        unit_of_measure="cuộc",
        kind=IndicatorKind.TABLE,
        source="manual",
        aggregation="sum",
        rows="Trực tiếp\nTrực tuyến",
    )
    for report, figures in ((history["current"], (2, 3)), (history["previous"], (1, 0))):
        for order, (key, label) in enumerate(typed.table_rows()):
            ReportCell.objects.create(
                report=report,
                indicator=typed,
                row_key=key,
                row_label=label,
                row_order=order,
                manual=Decimal(figures[order]),
            )
    with CaptureQueriesContext(connection) as after:
        html = client.get(url).content.decode()
    assert len(after.captured_queries) == len(before.captured_queries)
    typed_table = _table_html(html, typed.code)
    assert [
        _cell(_row_html(typed_table, f'data-row="{key}"'), "previous")
        for key, _ in typed.table_rows()
    ] == ["1", "0"]
    assert "(+100%)" in typed_table
