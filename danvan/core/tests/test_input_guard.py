"""The input guard (core.input_guard) and the database-failure answer (core.views):
the known classes of bad-input errors become a 400 at every door, real bugs stay a 500,
and a database that does not answer is a 503 with Retry-After."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django.db import DataError, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

from danvan.accounts.models import Role
from danvan.accounts.testing import login_verified, make_user
from danvan.api.tests.helpers import assert_problem
from danvan.cases.models import Case
from danvan.units.models import Unit
from danvan.urls import handler400, handler403, handler404, handler500
from danvan.urls import urlpatterns as site

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]
HTMX = {"HX-Request": "true"}


# --- views that fail the way bad input makes real views fail ---------------------------------


def refused_by_database(request: HttpRequest) -> HttpResponse:
    raise DataError('value "99999999999" is out of range for type integer')


def date_overflow(request: HttpRequest) -> HttpResponse:
    day = dt.date.fromisoformat(request.GET["day"])
    return HttpResponse(str(day + dt.timedelta(days=1)))


def unit_by_pk(request: HttpRequest) -> HttpResponse:
    # The ORM converting the lookup value raises ValueError ("expected a number").
    return HttpResponse(Unit.objects.filter(pk=request.GET["unit"]).count())


def case_by_public_id(request: HttpRequest) -> HttpResponse:
    # A UUID field converting a lookup value raises ValidationError.
    return HttpResponse(Case.objects.filter(public_id=request.GET["id"]).count())


def own_value_error(request: HttpRequest) -> HttpResponse:
    first, second = request.GET["pair"].split(",")  # a bug when there is no comma
    return HttpResponse(first + second)


def own_parse_error(request: HttpRequest) -> HttpResponse:
    return HttpResponse(int(request.GET["n"]) + 1)


def uuid_parse(request: HttpRequest) -> HttpResponse:
    return HttpResponse(str(uuid.UUID(request.GET["id"])))


def queries_units(request: HttpRequest, code: str) -> HttpResponse:
    return HttpResponse(Unit.objects.filter(code=code).count())


urlpatterns = [
    path("api/v1/test-refused/", refused_by_database),
    path("test-refused/", refused_by_database),
    path("test-overflow/", date_overflow),
    path("test-unit/", unit_by_pk),
    path("api/v1/test-unit/", unit_by_pk),
    path("test-case/", case_by_public_id),
    path("test-own-value-error/", own_value_error),
    path("test-own-parse/", own_parse_error),
    path("test-uuid/", uuid_parse),
    path("test-units/<str:code>/", queries_units),
    *site,
]


@pytest.fixture(autouse=True)
def _production_like(settings: Any) -> None:
    settings.DEBUG = False


@pytest.fixture
def officer_client(commune: Unit) -> Client:
    client = Client(raise_request_exception=False)
    login_verified(client, make_user("officer", Role.OFFICER, commune))
    return client


def _text(response: Any) -> str:
    return response.content.decode()


# --- bad input: 400 ---------------------------------------------------------------------------


def test_a_value_the_database_refuses_is_a_400_page_in_the_layout(officer_client: Client) -> None:
    response = officer_client.get("/test-refused/")
    assert response.status_code == 400
    html = _text(response)
    assert "Yêu cầu không hợp lệ" in html
    assert "số quá lớn, chuỗi quá dài" in html
    assert 'id="nav-main"' in html  # the site's layout, not a bare page


def test_the_api_answers_the_same_refusal_as_a_problem(officer_client: Client) -> None:
    problem = assert_problem(officer_client.get("/api/v1/test-refused/"), 400, "value_refused")
    assert "số quá lớn" in problem["detail"]


def test_htmx_gets_a_fragment(officer_client: Client) -> None:
    response = officer_client.get("/test-refused/", headers=HTMX)
    assert response.status_code == 400
    assert "<html" not in _text(response)


def test_a_date_beyond_what_python_holds_is_a_400(officer_client: Client) -> None:
    assert officer_client.get("/test-overflow/", {"day": "2026-12-07"}).status_code == 200
    response = officer_client.get("/test-overflow/", {"day": "9999-12-31"})
    assert response.status_code == 400
    assert "ngoài phạm vi xử lý được" in _text(response)


def test_a_lookup_value_of_the_wrong_kind_names_the_parameter(officer_client: Client) -> None:
    response = officer_client.get("/test-unit/", {"unit": "abc"})
    assert response.status_code == 400
    assert "Tham số “unit”" in _text(response)
    problem = assert_problem(
        officer_client.get("/api/v1/test-unit/", {"unit": "abc"}), 400, "invalid_value"
    )
    assert "Tham số “unit”" in problem["detail"]


def test_a_malformed_uuid_in_a_lookup_is_a_400(officer_client: Client) -> None:
    assert officer_client.get("/test-case/", {"id": "not-a-uuid"}).status_code == 400
    assert officer_client.get("/test-uuid/", {"id": "not-a-uuid"}).status_code == 400
    assert officer_client.get("/test-case/", {"id": str(uuid.uuid4())}).status_code == 200


def test_a_nul_in_the_path_is_a_400(officer_client: Client) -> None:
    response = officer_client.get("/test-units/a%00b/")
    assert response.status_code == 400
    assert "ký tự rỗng (NUL)" in _text(response)


@pytest.mark.parametrize(
    ("url", "params"),
    [("/test-own-value-error/", {"pair": "nocomma"}), ("/test-own-parse/", {"n": "x"})],
)
def test_a_value_error_of_our_own_code_stays_a_500(
    officer_client: Client, url: str, params: dict[str, str]
) -> None:
    # Not hidden as bad input: a ValueError raised by our code (even from int()) is a bug
    # to fix where the value is read, which the fuzzers find.
    response = officer_client.get(url, params)
    assert response.status_code == 500
    assert "Hệ thống gặp lỗi" in _text(response)


def test_open311_answers_the_guard_in_its_own_error_format() -> None:
    response = Client().get("/open311/v2/services.xml", {"jurisdiction_id": "a\x00b"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/xml")
    assert "<code>400</code>" in _text(response)
    assert "ký tự rỗng (NUL)" in _text(response)
    missing = Client().get("/open311/v2/khong-co.json")
    assert missing.status_code == 404
    assert missing.json()[0]["code"] == 404


# --- a database that does not answer: 503 -----------------------------------------------------


@pytest.fixture
def database_down() -> Iterator[None]:
    """Every new cursor fails as when PostgreSQL is restarting or unreachable."""
    failure = OperationalError("server closed the connection unexpectedly")
    with mock.patch.object(connections["default"], "cursor", side_effect=failure):
        yield


def test_the_api_answers_a_database_failure_with_a_503_problem(
    officer_client: Client, database_down: None
) -> None:
    response = officer_client.get("/api/v1/units")
    problem = assert_problem(response, 503, "database_unavailable")
    assert response["Retry-After"] == "30"
    assert "thử lại" in problem["detail"]


def test_a_bearer_client_gets_the_503_problem_too(commune: Unit) -> None:
    from danvan.api.tests.helpers import bearer

    headers = bearer(make_user("api-officer", Role.OFFICER, commune))
    client = Client(raise_request_exception=False)
    failure = InterfaceError("connection already closed")
    with mock.patch.object(connections["default"], "cursor", side_effect=failure):
        response = client.get("/api/v1/units", headers=headers)
    assert_problem(response, 503, "database_unavailable")
    assert response["Retry-After"] == "30"


def test_pages_answer_the_sites_503_page(database_down: None) -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/test-units/19/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = _text(response)
    assert "tạm thời gián đoạn" in html
    assert "bootstrap.min.css" in html
    fragment = client.get("/test-units/19/", headers=HTMX)
    assert fragment.status_code == 503
    assert "<html" not in _text(fragment)


def test_a_signed_in_officer_whose_session_cannot_be_read_gets_the_503_page(
    officer_client: Client, database_down: None
) -> None:
    # The session is read by a middleware, before any view: still a 503, not a 500.
    response = officer_client.get("/test-units/19/")
    assert response.status_code == 503
    assert "tạm thời gián đoạn" in _text(response)


def test_open311_answers_a_database_failure_in_its_format(database_down: None) -> None:
    response = Client(raise_request_exception=False).get("/open311/v2/requests.json")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json()[0]["code"] == 503


def test_a_session_that_cannot_be_saved_for_an_outage_is_a_503_not_a_400(
    officer_client: Client,
) -> None:
    """The page is read, then saving the session (every request: the idle timer) meets a
    database that stopped answering: Django calls it a session deleted under the request
    (SessionInterrupted, 400); the client did nothing wrong, so it is the 503 page."""
    from django.contrib.sessions.backends.base import UpdateError
    from django.contrib.sessions.backends.db import SessionStore

    def fail(self: SessionStore, must_create: bool = False) -> None:
        try:
            raise OperationalError("server closed the connection unexpectedly")
        except OperationalError:
            # As the database backend does: the outage is the UpdateError's context.
            raise UpdateError  # noqa: B904

    officer_client.raise_request_exception = False
    with mock.patch.object(SessionStore, "save", fail):
        response = officer_client.get("/test-units/19/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
