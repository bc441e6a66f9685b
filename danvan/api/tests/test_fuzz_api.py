"""Schema fuzzing of the whole API: schemathesis reads the OpenAPI schema the app serves
(/api/v1/openapi.json) and, for every operation, sends requests generated from it —
valid ones and ones that break the schema (wrong types, out-of-range numbers, odd
strings) — as an officer with a bearer token, so the authenticated operations are
reached. Whatever it sends, the answer is never a server error (5xx).

The run is bounded and repeatable: a fixed number of examples per operation
(DANVAN_FUZZ_EXAMPLES, default 6), derandomized, no example database, no deadline.
It runs in-process against the Django WSGI app inside the test's transaction, on SQLite
and, in CI, on PostgreSQL, where NUL bytes and date ranges fail differently.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from danvan.accounts.models import Role, User
from danvan.accounts.testing import make_user
from danvan.core.tests.fuzzing import EXAMPLES, operations_of
from danvan.core.tests.wsgi_app import in_test_transaction
from danvan.movement.models import Entry, Field
from danvan.units.models import Unit

from .helpers import assert_problem, bearer
from .test_text_limits import ENTRIES, new_entry

pytestmark = pytest.mark.django_db

# The schema as the app serves it (no database needed to build it).
SCHEMA = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
OPERATIONS = operations_of(SCHEMA)


@pytest.fixture
def api_officer(thai_nguyen: Unit) -> User:
    # An officer of a province reaches every operation an officer may use, over many units.
    return make_user("fuzz-officer", Role.OFFICER, thai_nguyen)


@pytest.fixture
def app() -> Callable[..., Any]:
    return in_test_transaction(WSGIHandler())


def test_every_operation_of_the_api_is_fuzzed() -> None:
    # The schema is the app's: a router left out of it would go unfuzzed.
    assert len(OPERATIONS) >= 80
    assert {op.method.upper() for op in OPERATIONS} >= {"GET", "POST", "PATCH"}


def test_a_broken_unicode_character_in_a_body_says_so(commune: Unit) -> None:
    # Hypothesis never generates lone surrogates; JSON can carry one ("\\ud800").
    Field.objects.get_or_create(code="kinh-te", defaults={"name": "Kinh tế"})
    body = json.dumps(new_entry(commune, name="ab")).replace('"ab"', '"a\\ud800b"')
    response = Client().post(
        ENTRIES,
        body,
        content_type="application/json",
        headers=bearer(make_user("canbo-unicode", Role.OFFICER, commune)),
    )
    problem = assert_problem(response, 422, "validation_error")
    assert problem["errors"][0]["field"] == "name"
    assert "mã Unicode hỏng" in problem["errors"][0]["message"]
    assert not Entry.objects.exists()


def test_a_body_that_is_not_json_says_what_is_expected(commune: Unit) -> None:
    # Ninja's own "Cannot parse request body" (a 400 the fuzzing meets), in Vietnamese.
    response = Client().post(
        ENTRIES,
        b"{not json",
        content_type="application/json",
        headers=bearer(make_user("canbo-json", Role.OFFICER, commune)),
    )
    problem = assert_problem(response, 400, "unreadable_body")
    assert "JSON hợp lệ" in problem["detail"]


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.label)
def test_no_input_gives_a_server_error(
    operation: Any, api_officer: User, app: Callable[..., Any]
) -> None:
    headers = bearer(api_officer)
    strategy = st.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case: Any) -> None:
        response = case.call(app=app, headers=headers)
        assert response.status_code < 500, (
            f"{case.method} {case.formatted_path} query={case.query!r} body={case.body!r}"
            f" → {response.status_code}: {response.text[:500]}"
        )

    run()
