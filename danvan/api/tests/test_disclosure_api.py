"""Disclosures over the API: the same scoping and rules as the pages, errors as
Vietnamese problem+json, and nothing written when a rule refuses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from danvan.accounts.models import Role, User
from danvan.accounts.testing import API_READ_SCOPED, Cast, make_user, walk
from danvan.disclosure import services
from danvan.disclosure.models import Disclosure, DisclosureForm, DisclosureKind
from danvan.disclosure.services import ChannelSpec
from danvan.units.models import Unit

from .helpers import assert_problem, bearer

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
API = "/api/v1"
NOW = dt.datetime(2026, 6, 30, 9, 0, tzinfo=HCM)


def kind(number: int, unit_kind: str = "commune") -> DisclosureKind:
    return DisclosureKind.objects.get(unit_kind=unit_kind, number=number)


@pytest.fixture
def cast(access_cast: Callable[..., Cast], commune: Unit) -> Cast:
    return access_cast(commune)


@pytest.fixture
def officer(commune: Unit) -> User:
    return make_user("api-ck-xa", Role.OFFICER, commune)


def record(unit: Unit, **kw: Any) -> Disclosure:
    params: dict[str, Any] = {
        "actor": None,
        "unit": unit,
        "kind": kind(8),
        "title": "Kết quả thanh tra năm 2025",
        "start": dt.date(2026, 3, 1),
        "channels": [
            ChannelSpec(DisclosureForm.LOUDSPEAKER, dt.date(2026, 3, 2), dt.date(2026, 3, 3))
        ],
    }
    params.update(kw)
    return services.disclosure_create(**params)


def post(client: Client, url: str, headers: dict[str, str], body: dict[str, Any]) -> Any:
    return client.post(f"{API}{url}", body, content_type="application/json", headers=headers)


@time_machine.travel(NOW, tick=False)
def test_reads_are_scoped(cast: Cast, commune: Unit) -> None:
    disclosure = record(commune)
    code = commune.code
    walk(cast, f"{API}/disclosures?unit={code}", expect=API_READ_SCOPED, api=True)
    walk(cast, f"{API}/disclosures/{disclosure.public_id}", expect=API_READ_SCOPED, api=True)
    walk(
        cast,
        f"{API}/disclosures/compliance?unit={code}&from=2026-01-01&to=2026-06-30",
        expect=API_READ_SCOPED,
        api=True,
    )
    walk(cast, f"{API}/disclosure-kinds", expect={**API_READ_SCOPED, "sibling": 200}, api=True)


@time_machine.travel(NOW, tick=False)
def test_list_detail_and_compliance(officer: User, commune: Unit) -> None:
    disclosure = record(commune)
    client, headers = Client(), bearer(officer)
    listed = client.get(f"{API}/disclosures?unit={commune.code}", headers=headers).json()
    assert listed["count"] == 1
    item = listed["items"][0]
    assert item["kind"]["number"] == 8
    assert item["channels"][0]["form"] == "loudspeaker"
    detail = client.get(f"{API}/disclosures/{disclosure.public_id}", headers=headers).json()
    assert detail["evidence"] == []
    found = client.get(
        f"{API}/disclosures/compliance?unit={commune.code}&from=2026-01-01&to=2026-06-30",
        headers=headers,
    ).json()
    short = [f for f in found if f["problem"] == "loudspeaker_short"]
    assert short[0]["actual_days"] == 2
    assert short[0]["required_days"] == 3
    assert short[0]["disclosure_id"] == str(disclosure.public_id)
    assert "Điều 11 khoản 8" in short[0]["citation"]
    assert short[0]["to_verify"] is True
    missing = {f["kind"]["number"] for f in found if f["problem"] == "missing"}
    assert 1 in missing
    assert 8 not in missing
    backwards = client.get(
        f"{API}/disclosures/compliance?unit={commune.code}&from=2026-06-01&to=2026-01-01",
        headers=headers,
    )
    assert_problem(backwards, 400, "disclosure_bad_date")


@time_machine.travel(NOW, tick=False)
def test_list_runs_a_constant_number_of_queries(officer: User, commune: Unit) -> None:
    client, headers = Client(), bearer(officer)
    url = f"{API}/disclosures?unit={commune.code}"
    record(commune)
    client.get(url, headers=headers)
    with CaptureQueriesContext(connection) as one:
        client.get(url, headers=headers)
    for n in (9, 10, 11):
        record(commune, kind=kind(n))
    with CaptureQueriesContext(connection) as four:
        assert client.get(url, headers=headers).json()["count"] == 4
    assert len(four) == len(one)


def test_kinds_show_citations_and_flags(officer: User) -> None:
    rows = Client().get(f"{API}/disclosure-kinds?unit_kind=commune", headers=bearer(officer))
    data = rows.json()
    assert [k["number"] for k in data] == list(range(1, 15))
    assert [k["to_verify"] for k in data[:4]] == [False, False, False, True]
    assert data[6]["loudspeaker_min_days"] == 3


@time_machine.travel(NOW, tick=False)
def test_create_and_its_refusals(officer: User, commune: Unit, sibling_commune: Unit) -> None:
    client, headers = Client(), bearer(officer)
    body = {
        "unit_code": commune.code,
        "kind_id": kind(7).pk,
        "title": "Mức thu phí chợ",
        "start": "2026-03-01",
        "end": "2026-03-31",
        "is_public": True,
        "channels": [
            {"form": "posting", "start": "2026-03-01", "end": "2026-03-31"},
            {"form": "loudspeaker", "start": "2026-03-02", "end": "2026-03-04"},
        ],
    }
    created = post(client, "/disclosures", headers, body)
    assert created.status_code == 201, created.content
    assert len(created.json()["channels"]) == 2
    assert Disclosure.objects.count() == 1

    bad_end = post(client, "/disclosures", headers, {**body, "end": "2026-02-01"})
    assert_problem(bad_end, 400, "disclosure_bad_date")
    bad_channel = post(
        client,
        "/disclosures",
        headers,
        {**body, "channels": [{"form": "loudspeaker", "start": "2026-03-05", "end": "2026-03-04"}]},
    )
    assert_problem(bad_channel, 400, "disclosure_bad_date")
    wrong_kind = post(client, "/disclosures", headers, {**body, "kind_id": kind(1, "agency").pk})
    assert_problem(wrong_kind, 400, "disclosure_bad_kind")
    too_early = post(client, "/disclosures", headers, {**body, "start": "2023-06-01"})
    assert_problem(too_early, 400, "disclosure_bad_kind")
    elsewhere = post(client, "/disclosures", headers, {**body, "unit_code": sibling_commune.code})
    assert_problem(elsewhere, 404, "unit_not_found")
    reader = bearer(make_user("api-ck-xem", Role.INSPECTOR, commune))
    assert_problem(post(client, "/disclosures", reader, body), 403, "permission_denied")
    assert Disclosure.objects.count() == 1


def test_an_unknown_disclosure_answers_404(officer: User) -> None:
    response = Client().get(
        f"{API}/disclosures/00000000-0000-0000-0000-000000000000", headers=bearer(officer)
    )
    assert_problem(response, 404, "disclosure_not_found")
