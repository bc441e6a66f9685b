"""Open311 GeoReport v2 over a real socket: the georeport client against the live server.

No browser: the e2e conftest skips only tests that use the browser fixtures. The live
server flushes the database after each test, so the unit tree is loaded again first.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from django.core.cache import cache
from django.core.management import call_command
from georeport import GeoReport

from danvan.cases.models import Case, Channel
from danvan.units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def open311_root(
    live_server: Any, django_db_blocker: Any, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    with django_db_blocker.unblock():
        call_command("load_units", verbosity=0)
    # The live server is on this machine: never send its requests through a proxy.
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    cache.clear()  # the rate limits' counters
    yield f"{live_server.url}/open311/v2"
    cache.clear()


def test_georeport_client_reads_what_a_form_post_created(open311_root: str) -> None:
    commune = (
        Unit.objects.filter(kind=UnitKind.COMMUNE, parent__code="19", valid_to__isnull=True)
        .order_by("code")
        .first()
    )
    assert commune is not None
    created = requests.post(
        f"{open311_root}/requests.json",
        data={
            "jurisdiction_id": commune.code,
            "service_code": "petition",
            "description": "Đề nghị lắp thêm đèn chiếu sáng đoạn đường qua trường tiểu học.",
            "address_string": "Cổng trường tiểu học",
            "first_name": "Thị Mai",
            "last_name": "Đinh",
            "email": "mai.dinh@example.vn",
        },
        timeout=10,
    )
    assert created.status_code == 201, created.text
    reference = created.json()[0]["service_request_id"]
    case = Case.objects.get(reference=reference)
    assert case.channel == Channel.OPEN311
    assert case.lookup_code in created.json()[0]["service_notice"]

    for fmt in ("json", "xml"):
        client = GeoReport(open311_root, output_format=fmt)
        services = client.get_service_list()
        assert [s["service_code"] for s in services] == ["feedback", "petition"]
        assert client.get_service_definition("feedback")["service_code"] == "feedback"
        one = client.get_service_request(reference)
        assert one["service_request_id"] == reference
        assert one["status"] == "open"
        assert one["agency_responsible"] == commune.name
        listed = client.get_service_requests(service_code="petition", status="open")
        rows = listed if isinstance(listed, list) else [listed]
        assert [r["service_request_id"] for r in rows] == [reference]
        text = str(one) + str(listed)
        for personal in ("Đinh Thị Mai", "Thị Mai", "mai.dinh@example.vn", case.lookup_code):
            assert personal not in text
