"""Schema fuzzing of Open311 GeoReport v2: schemathesis generates requests from a small
OpenAPI description of the door (below; GeoReport v2 publishes none), valid ones and
ones that break it, plus the values that once gave a 500 (`end_date=0001-01-01`).
Whatever it sends, the answer is never a server error; errors come back as GeoReport
error lists.

Bounded like the API's fuzzing (core.tests.fuzzing.EXAMPLES, derandomized)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from danvan.core.tests.fuzzing import EXAMPLES, operations_of
from danvan.core.tests.wsgi_app import in_test_transaction

pytestmark = pytest.mark.django_db

ROOT = "/open311/v2"
# A commune and a province of the loaded unit tree, and codes that are neither.
JURISDICTIONS = ["01", "00004", "99999", "19"]
FORMAT = {"name": "fmt", "in": "path", "required": True, "schema": {"enum": ["json", "xml"]}}
JURISDICTION = {
    "name": "jurisdiction_id",
    "in": "query",
    "schema": {"type": "string", "maxLength": 40},
    "examples": {code: {"value": code} for code in JURISDICTIONS},
}
W3C_EXAMPLES = {
    "far_past": {"value": "0001-01-01"},
    "far_future": {"value": "9999-12-31"},
    "far_future_time": {"value": "9999-12-31T23:59:59-12:00"},
    "ordinary": {"value": "2026-01-31T00:00:00+07:00"},
}
ANSWERS = {
    "200": {"description": "OK"},
    "201": {"description": "Created"},
    "400": {"description": "GeoReport error list"},
    "404": {"description": "GeoReport error list"},
    "429": {"description": "GeoReport error list"},
}


def _query(name: str, **schema: Any) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": {"type": "string", **schema}}


OPEN311_SCHEMA: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "danvan Open311 GeoReport v2", "version": "2"},
    "paths": {
        ROOT + "/services.{fmt}": {
            "get": {"parameters": [FORMAT, JURISDICTION], "responses": ANSWERS}
        },
        ROOT + "/services/{service_code}.{fmt}": {
            "get": {
                "parameters": [
                    FORMAT,
                    JURISDICTION,
                    {
                        "name": "service_code",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,40}$"},
                        "examples": {"feedback": {"value": "feedback"}},
                    },
                ],
                "responses": ANSWERS,
            }
        },
        ROOT + "/requests.{fmt}": {
            "get": {
                "parameters": [
                    FORMAT,
                    JURISDICTION,
                    _query("service_request_id"),
                    _query("service_code"),
                    {**_query("start_date", format="date-time"), "examples": W3C_EXAMPLES},
                    {**_query("end_date", format="date-time"), "examples": W3C_EXAMPLES},
                    {**_query("status"), "examples": {"open": {"value": "open,closed"}}},
                ],
                "responses": ANSWERS,
            },
            "post": {
                "parameters": [FORMAT],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/x-www-form-urlencoded": {
                            "schema": {
                                "type": "object",
                                "required": ["jurisdiction_id", "service_code", "description"],
                                "properties": {
                                    "jurisdiction_id": {"type": "string", "enum": JURISDICTIONS},
                                    "service_code": {"type": "string", "enum": ["feedback"]},
                                    "description": {"type": "string", "maxLength": 4000},
                                    "lat": {"type": "number"},
                                    "long": {"type": "number"},
                                    "address_string": {"type": "string"},
                                    "first_name": {"type": "string"},
                                    "last_name": {"type": "string"},
                                    "email": {"type": "string", "format": "email"},
                                    "phone": {"type": "string"},
                                },
                            }
                        }
                    },
                },
                "responses": ANSWERS,
            },
        },
        ROOT + "/requests/{request_id}.{fmt}": {
            "get": {
                "parameters": [
                    FORMAT,
                    {
                        "name": "request_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,40}$"},
                    },
                ],
                "responses": ANSWERS,
            }
        },
    },
}
SCHEMA = schemathesis.openapi.from_dict(OPEN311_SCHEMA)
OPERATIONS = operations_of(SCHEMA)


@pytest.fixture
def app() -> Callable[..., Any]:
    return in_test_transaction(WSGIHandler())


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    "query",
    ["end_date=0001-01-01", "start_date=0001-01-01", "start_date=9999-12-31T23:59:59-12:00"],
)
def test_a_date_python_cannot_hold_is_a_400_saying_the_range(fmt: str, query: str) -> None:
    # end_date=0001-01-01 gave a 500 on both databases: the default start, 90 days
    # before it, is before year 1; year 9999 at -12:00 is after year 9999 in UTC.
    response = Client().get(f"{ROOT}/requests.{fmt}?{query}")
    assert response.status_code == 400
    assert "năm phải từ 1900 đến 2100" in response.content.decode()


def test_an_ordinary_date_range_is_still_answered() -> None:
    response = Client().get(f"{ROOT}/requests.json?start_date=1900-01-01&end_date=2100-12-31")
    assert response.status_code == 200
    assert response.json() == []


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.label)
def test_no_input_gives_a_server_error(operation: Any, app: Callable[..., Any]) -> None:
    strategy = st.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )

    @settings(
        max_examples=EXAMPLES * 4,  # five operations only: a deeper run for the same time
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case: Any) -> None:
        cache.clear()  # the rate limits would answer 429 before the code under test
        response = case.call(app=app, base_url="http://testserver")
        assert response.status_code < 500, (
            f"{case.method} {case.formatted_path} query={case.query!r} body={case.body!r}"
            f" → {response.status_code}: {response.text[:500]}"
        )

    run()
