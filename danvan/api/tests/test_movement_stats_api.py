"""GET /api/v1/movement/stats: the statistics page's numbers, with the same checks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from danvan.accounts.models import User
from danvan.accounts.testing import API_READ_SCOPED, Cast, make_user, walk
from danvan.movement.stats import selectors as stats
from danvan.movement.tests.stats_dataset import (
    Dataset,
    add_entries,
    list_count,
    raw_counts,
    raw_entries,
    under,
    units,
)
from danvan.units.models import Unit

from .helpers import assert_problem, bearer

pytestmark = pytest.mark.django_db

URL = "/api/v1/movement/stats"


@pytest.fixture
def data(thai_nguyen: Unit, commune: Unit, sibling_commune: Unit) -> Dataset:
    dataset = units(thai_nguyen, commune, sibling_commune)
    add_entries(dataset, 250, seed=21)
    return dataset


def get(client: Client, headers: dict[str, str], **params: Any) -> dict[str, Any]:
    response = client.get(URL, params, headers=headers)
    assert response.status_code == 200, response.content
    body: dict[str, Any] = response.json()
    return body


def test_access_walk(access_cast: Callable[..., Cast], data: Dataset) -> None:
    cast = access_cast(data.commune)
    walk(cast, f"{URL}?unit={data.commune.code}&year=2018", expect=API_READ_SCOPED, api=True)


def test_same_numbers_as_the_selector(client: Client, data: Dataset, system_admin: User) -> None:
    body = get(client, bearer(system_admin), unit="19", year=2018, restated="true")
    result = stats.movement_statistics(
        actor=system_admin, unit=data.province, year=2018, restated=True
    )
    assert body["unit"] == {"code": "19", "name": data.province.name}
    assert body["year"] == 2018
    assert body["period"] is None
    assert body["restated"] is True
    assert [u["code"] for u in body["restated_from"]] == ["06"]
    assert body["totals"]["counts"] == result.totals.counts
    assert body["totals"]["previous"] == result.totals.previous
    for name in ("by_field", "by_subunit", "by_unit_kind", "by_year"):
        got = [(r["key"], r["counts"], r["previous"]) for r in body[name]]
        want = [(r.key, r.counts, r.previous) for r in getattr(result, name)]
        assert got == want, name
    # And against an independent count.
    rows = [r for r in raw_entries() if r.year == 2018]
    assert body["totals"]["counts"] == raw_counts(
        r for r in rows if under(data.province, data.bac_kan)(r)
    )
    change = body["totals"]["change"]["registered"]
    before = body["totals"]["previous"]["registered"]
    assert change["absolute"] == body["totals"]["counts"]["registered"] - before


def test_links_open_lists_of_exactly_that_many(
    client: Client, data: Dataset, system_admin: User
) -> None:
    body = get(client, bearer(system_admin), unit=data.commune.code, year=2019)
    rows = [body["totals"], *body["by_field"], *body["by_subunit"], *body["by_unit_kind"]]
    for row in rows:
        for key, link in row["links"].items():
            parts = urlsplit(link)
            assert parts.path == reverse("movement:list")
            assert list_count(system_admin, parts.query) == row["counts"][key], link


def test_period_and_default_year(client: Client, data: Dataset, system_admin: User) -> None:
    headers = bearer(system_admin)
    body = get(client, headers, unit="19", period=2)
    assert body["year"] is None
    assert body["period"]["start_year"] == 2021
    assert body["previous_label"]
    rows = [r for r in raw_entries() if under(data.province)(r)]
    assert body["totals"]["counts"] == raw_counts(r for r in rows if 2021 <= r.year <= 2025)
    body = get(client, headers, unit="19")
    assert body["year"] == max(r.year for r in rows)
    # No unit: the whole country for a national administrator.
    body = get(client, headers, year=2018)
    assert body["unit"] is None
    assert body["totals"]["counts"] == raw_counts(r for r in raw_entries() if r.year == 2018)


def test_problems(client: Client, data: Dataset, system_admin: User) -> None:
    headers = bearer(system_admin)
    assert_problem(client.get(URL, {"unit": "khong-co"}, headers=headers), 404, "unit_not_found")
    assert_problem(
        client.get(URL, {"year": 2018, "period": 1}, headers=headers),
        400,
        "stats_year_and_period",
    )
    assert_problem(client.get(URL, {"period": 999}, headers=headers), 404, "period_not_found")
    assert_problem(client.get(URL, {"year": 1800}, headers=headers), 422, "validation_error")
    assert_problem(client.get(URL), 401, "not_authenticated")
    officer = make_user("xa-api-tk", "officer", data.commune)
    officer_headers = bearer(officer)
    # The province is visible to a commune officer (an ancestor), its movement is not.
    assert_problem(
        client.get(URL, {"unit": data.province.code}, headers=officer_headers),
        403,
        "permission_denied",
    )
    # Another commune is out of sight: like a missing one.
    assert_problem(
        client.get(URL, {"unit": data.sibling.code}, headers=officer_headers),
        404,
        "unit_not_found",
    )
    body = get(client, officer_headers, year=2018)
    assert body["unit"]["code"] == data.commune.code
