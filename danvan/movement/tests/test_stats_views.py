"""The statistics page and its Excel export: access, numbers, links, charts."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from danvan.accounts.models import User
from danvan.accounts.testing import READ_SCOPED, Cast, login_verified, make_user, walk
from danvan.movement.stats import selectors as stats
from danvan.units.models import Unit

from .stats_dataset import Dataset, add_entries, list_count, raw_counts, raw_entries, under, units

pytestmark = pytest.mark.django_db

STATS = reverse("movement:stats")
EXPORT = reverse("movement:stats_export")
LIST = reverse("movement:list")


@pytest.fixture
def data(thai_nguyen: Unit, commune: Unit, sibling_commune: Unit) -> Dataset:
    dataset = units(thai_nguyen, commune, sibling_commune)
    add_entries(dataset, 300, seed=11)
    return dataset


def logged_in(user: User) -> Client:
    client = Client()
    login_verified(client, user)
    return client


class _Links(HTMLParser):
    """Every link to the list page, with the number it shows (text or data-value)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, int]] = []
        self._open: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "a":
            return
        found = dict(attrs)
        href = found.get("href") or ""
        if urlsplit(href).path == LIST and urlsplit(href).query:
            self._open = {"href": href, "value": found.get("data-value"), "text": ""}

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open is not None:
            shown = self._open["value"]
            if shown is None:
                shown = re.sub(r"[.,\s]", "", self._open["text"])
            self.links.append((urlsplit(self._open["href"]).query, int(shown)))
            self._open = None


def list_links(html: str) -> list[tuple[str, int]]:
    parser = _Links()
    parser.feed(html)
    return parser.links


def test_access_walk(access_cast: Callable[..., Cast], data: Dataset) -> None:
    cast = access_cast(data.commune)
    # The unit filter is the unit picker: a unit out of sight is refused like a missing
    # one, the form coming back with the message (400).
    scoped = {**READ_SCOPED, "sibling": 400}
    walk(cast, f"{STATS}?unit={data.commune.code}&year=2018", expect=scoped)
    walk(cast, f"{EXPORT}?unit={data.commune.code}&year=2018", expect=scoped)
    walk(cast, f"{STATS}?unit={data.commune.code}&period=1&restated=1", expect=scoped)


def test_officer_of_a_commune_may_not_see_the_province(data: Dataset) -> None:
    officer = make_user("xa-tk", "officer", data.commune)
    client = logged_in(officer)
    # The unit picker offers only units whose movement the officer may view; any other
    # (the province above, a sibling, Bắc Kạn for the nation only) is refused alike.
    for code in (data.province.code, data.sibling.code, "06"):
        response = client.get(STATS, {"unit": code})
        assert response.status_code == 400, code
        assert f"Không tìm thấy đơn vị “{code}” trong phạm vi" in response.content.decode()
    # Without a unit: their own commune, the latest year with entries.
    response = client.get(STATS)
    assert response.status_code == 200
    assert response.context["stats"].unit == data.commune
    latest = max(r.year for r in raw_entries() if under(data.commune)(r))
    assert response.context["stats"].window.year == latest


def test_every_number_links_to_a_list_of_exactly_that_many(
    data: Dataset, system_admin: User
) -> None:
    client = logged_in(system_admin)
    pages: list[dict[str, str]] = [
        {"unit": data.province.code, "year": "2018", "restated": "1"},
        {"unit": data.commune.code, "year": "2019"},
        {"unit": data.province.code, "period": "1"},
        {"year": "2018"},
    ]
    for params in pages:
        response = client.get(STATS, params)
        assert response.status_code == 200, params
        links = list_links(response.content.decode())
        # Every table cell and card is a link, plus the bars of the charts.
        cells = 6 * (
            1
            + 1
            + len(response.context["by_field"])
            + len(response.context["by_subunit"])
            + len(response.context["by_unit_kind"])
            + len(response.context["by_year"])
        )
        assert len(links) >= cells, params
        checked = {}
        for query, shown in links:
            if query not in checked:
                checked[query] = list_count(system_admin, query)
            assert checked[query] == shown, (params, query)
        assert any(shown for _q, shown in links)


def test_numbers_on_the_page(data: Dataset, system_admin: User) -> None:
    response = logged_in(system_admin).get(STATS, {"unit": data.province.code, "year": "2018"})
    html = response.content.decode()
    rows = [r for r in raw_entries() if r.year == 2018 and under(data.province)(r)]
    expected = raw_counts(rows)
    cards = re.search(r'id="stats-cards">(.*?)</section>', html, re.S)
    assert cards is not None
    shown = [
        int(re.sub(r"[.,]", "", n))
        for n in re.findall(r'class="stat-number stat-link[^"]*"[^>]*>([\d.,]+)</a>', cards[1])
    ]
    assert shown == [expected[k] for k in stats.MILESTONE_KEYS]


def test_charts_are_accessible_svg_without_inline_style_or_script(
    data: Dataset, system_admin: User
) -> None:
    response = logged_in(system_admin).get(STATS, {"unit": data.province.code, "year": "2018"})
    html = response.content.decode()
    for chart in ("chart-field", "chart-subunit", "chart-year"):
        svg = re.search(rf'<svg[^>]*id="{chart}".*?</svg>', html, re.S)
        assert svg is not None, chart
        assert 'role="img"' in svg[0]
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in svg[0]
        assert f'<title id="{chart}-title">' in svg[0]
        assert f'<desc id="{chart}-desc">' in svg[0]
        assert "<rect " in svg[0]
        # Coordinates with a decimal point, never a localized comma.
        assert not re.search(r'(x|y|width|height)="\d+,\d', svg[0])
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    assert " style=" not in main
    assert "<script" not in main
    assert not re.search(r"\son[a-z]+=", main)
    # The sub-unit chart shows at most the top 15.
    sub = re.search(r'<svg[^>]*id="chart-subunit".*?</svg>', html, re.S)
    assert sub is not None
    assert sub[0].count("<g>") <= 15


def test_form_errors(data: Dataset, system_admin: User) -> None:
    client = logged_in(system_admin)
    response = client.get(STATS, {"unit": data.province.code, "year": "2018", "period": "1"})
    assert response.status_code == 400
    assert "không chọn cả hai" in response.content.decode()
    assert client.get(STATS, {"year": "abc"}).status_code == 400
    assert client.get(EXPORT, {"year": "1800"}).status_code == 400
    assert client.get(STATS, {"unit": "khong-co"}).status_code == 400  # on the form


def test_constant_queries_for_the_page(
    thai_nguyen: Unit, commune: Unit, sibling_commune: Unit, system_admin: User
) -> None:
    dataset = units(thai_nguyen, commune, sibling_commune)
    client = logged_in(system_admin)
    params = {"unit": thai_nguyen.code, "year": "2018", "restated": "1"}

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(STATS, params).status_code == 200
        return len(ctx.captured_queries)

    add_entries(dataset, 10, seed=3)
    small = queries()
    add_entries(dataset, 90, seed=4)
    assert queries() == small


def test_export_has_the_page_numbers(data: Dataset, system_admin: User) -> None:
    client = logged_in(system_admin)
    params = {"unit": data.province.code, "year": "2018", "restated": "1"}
    response = client.get(EXPORT, params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "thong-ke-dan-van-kheo-19-2018.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    result = stats.movement_statistics(
        actor=system_admin, unit=data.province, year=2018, restated=True
    )
    assert book.sheetnames == [
        "Tổng hợp",
        "Theo lĩnh vực",
        "Theo đơn vị trực thuộc",
        "Theo loại hình đơn vị",
        "Theo năm",
    ]

    def table(sheet: str) -> dict[str, list[Any]]:
        ws = book[sheet]
        return {
            str(row[0]): list(row[1:])
            for row in ws.iter_rows(min_row=9, values_only=True)
            if row[0] is not None
        }

    total = table("Tổng hợp")["Tổng số"]
    for i, key in enumerate(stats.MILESTONE_KEYS):
        assert total[3 * i] == result.totals.counts[key]
        assert total[3 * i + 1] == result.totals.previous[key]  # type: ignore[index]
    fields = table("Theo lĩnh vực")
    for row in result.by_field:
        assert fields[row.label][0::3] == [row.counts[k] for k in stats.MILESTONE_KEYS]
    subunits = table("Theo đơn vị trực thuộc")
    bac_kan = next(r for r in result.by_subunit if r.key == "06")
    assert subunits[f"{bac_kan.label} ({bac_kan.note})"][0] == bac_kan.counts["registered"]
    # Each current number links to its list.
    cell = book["Tổng hợp"]["B9"]
    assert cell.hyperlink is not None
    query = urlsplit(cell.hyperlink.target).query
    assert list_count(system_admin, query) == result.totals.counts["registered"]


def test_links_are_built_without_reversing_per_number(
    data: Dataset, system_admin: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The list's URL is reversed once per page, whatever the number of cells (a
    province's page has about 900 linked numbers); the links are those list_query
    writes."""
    from danvan.movement.stats import views as views_stats

    calls = []
    real = views_stats.reverse

    def counting(name: str, *args: Any, **kwargs: Any) -> str:
        calls.append(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(views_stats, "reverse", counting)
    response = logged_in(system_admin).get(STATS, {"unit": data.province.code, "year": "2018"})
    assert response.status_code == 200
    assert calls.count("movement:list") == 1
    links = list_links(response.content.decode())
    assert len(links) > 100
    row = response.context["by_subunit"][0]["row"]
    cell = response.context["by_subunit"][0]["cells"][2]
    expected = urlencode(stats.list_query(row.filters, cell["key"]))
    assert cell["href"] == f"{LIST}?{expected}"


def test_change_line_under_a_number() -> None:
    from danvan.movement.templatetags.stats_format import stat_change

    html = str(stat_change(stats.change_of(1500, 1000)))
    assert ">+500 (+50%)<" in html
    assert "so với kỳ trước" in html
    assert ">-1.000 (-40%)<" in str(stat_change(stats.change_of(1500, 2500)))
    assert "(" not in str(stat_change(stats.change_of(3, 0)))
    assert str(stat_change(None)).strip() == ""


def test_the_child_units_table_is_paged(client: Client, thai_nguyen: Unit) -> None:
    """A province has a hundred child units: the page shows them SUBUNITS_PER_PAGE at a
    time, so it stays bounded."""
    from danvan.accounts.models import Role
    from danvan.movement import services
    from danvan.movement.models import Field
    from danvan.movement.stats.views import SUBUNITS_PER_PAGE

    communes = list(Unit.objects.filter(parent=thai_nguyen, kind="commune").order_by("code"))
    field = Field.objects.order_by("pk")[0]
    for unit in communes[: SUBUNITS_PER_PAGE + 3]:
        services.entry_create(
            actor=None,
            name=f"Mô hình {unit.code}",
            unit=unit,
            kind="initiative",
            field=field,
            registration_year=2025,
        )
    user = make_user("tk-tinh-trang", Role.OFFICER, thai_nguyen)
    login_verified(client, user)
    url = reverse("movement:stats")
    first = client.get(url, {"unit": thai_nguyen.code, "year": "2025"}).content.decode()
    table = first.split('id="table-subunit"', 1)[1].split("</table>", 1)[0]
    assert table.count("<tr>") - 1 == SUBUNITS_PER_PAGE  # the header row aside
    assert 'id="subunit-range"' in first
    second = client.get(url, {"unit": thai_nguyen.code, "year": "2025", "units_page": "2"})
    rest = second.content.decode().split('id="table-subunit"', 1)[1].split("</table>", 1)[0]
    assert rest.count("<tr>") - 1 >= 3
