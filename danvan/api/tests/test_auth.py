from __future__ import annotations

import json
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from danvan.accounts.models import ApiToken, Role, RoleGrant, User
from danvan.accounts.services import grant_create, token_create, token_revoke
from danvan.accounts.testing import Cast, login_verified, make_user, walk
from danvan.api.problems import AUTHENTICATION_DETAIL
from danvan.units.models import Unit, UnitKind

from .helpers import assert_problem, bearer

pytestmark = pytest.mark.django_db

ME = "/api/v1/me"
UNITS = "/api/v1/units"


@pytest.fixture
def officer(commune: Unit) -> User:
    return make_user("officer-auth", Role.OFFICER, commune)


def assert_unauthenticated(response: Any) -> None:
    body = assert_problem(response, 401, "not_authenticated")
    assert body["detail"] == AUTHENTICATION_DETAIL
    assert response["WWW-Authenticate"].startswith("Bearer")


# --- tokens -----------------------------------------------------------------------


def test_missing_token_is_refused(client: Client) -> None:
    assert_unauthenticated(client.get(UNITS))
    assert_unauthenticated(client.get(ME))


@pytest.mark.parametrize(
    "header",
    [
        "Bearer abc",
        "Bearer dv_xxx",
        "Bearer ",
        "Bearer",
        "Bearer dv_" + "x" * 500,
        "Basic dXNlcjpwYXNz",
        "dv_abc",
    ],
)
def test_malformed_token_is_refused(client: Client, officer: User, header: str) -> None:
    assert_unauthenticated(client.get(UNITS, headers={"Authorization": header}))


def test_wrong_scheme_with_a_real_token_is_refused(client: Client, officer: User) -> None:
    raw = token_create(actor=officer, name="wrong scheme")[1]
    assert_unauthenticated(client.get(ME, headers={"Authorization": f"Token {raw}"}))
    # The same token with the right scheme works, so only the scheme was wrong.
    assert client.get(ME, headers={"Authorization": f"Bearer {raw}"}).status_code == 200


def test_revoked_token_is_refused(client: Client, officer: User) -> None:
    token, raw = token_create(actor=officer, name="to revoke")
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get(ME, headers=headers).status_code == 200
    token_revoke(actor=officer, token=token)
    assert_unauthenticated(client.get(ME, headers=headers))


def test_token_of_a_deactivated_user_is_refused(client: Client, officer: User) -> None:
    headers = bearer(officer)
    User.objects.filter(pk=officer.pk).update(is_active=False)
    assert_unauthenticated(client.get(ME, headers=headers))


def test_using_a_token_marks_it_used(client: Client, officer: User) -> None:
    token, raw = token_create(actor=officer, name="used")
    assert token.last_used_at is None
    client.get(ME, headers={"Authorization": f"Bearer {raw}"})
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None


# --- the browser session ----------------------------------------------------------


def test_session_of_a_logged_in_officer_works(client: Client, officer: User) -> None:
    client.force_login(officer)
    response = client.get(ME)
    assert response.status_code == 200
    assert response.json()["username"] == officer.username


def test_admin_session_needs_the_second_factor(client: Client, system_admin: User) -> None:
    # /api/ is exempt from the two-factor middleware (tokens carry no session), so
    # the session auth itself must refuse an administrator who has not passed TOTP.
    client.force_login(system_admin)
    assert_unauthenticated(client.get(ME))
    login_verified(client, system_admin)
    assert client.get(ME).status_code == 200


# --- /me ----------------------------------------------------------------------------


def test_me_lists_the_grants(client: Client, commune: Unit, thai_nguyen: Unit) -> None:
    user = make_user("two-roles", Role.OFFICER, commune)
    grant_create(actor=None, user=user, role=Role.LEADER, unit=thai_nguyen)
    User.objects.filter(pk=user.pk).update(full_name="Nguyễn Văn A", email="a@example.vn")
    body = client.get(ME, headers=bearer(user)).json()
    assert body["username"] == user.username
    assert body["full_name"] == "Nguyễn Văn A"
    assert body["email"] == "a@example.vn"
    expected = [
        {
            "role": g.role,
            "role_label": g.get_role_display(),
            "unit_code": g.unit.code if g.unit else None,
            "unit_name": g.unit.name if g.unit else None,
        }
        for g in RoleGrant.objects.filter(user=user).select_related("unit")
    ]
    assert len(expected) == 2
    assert sorted(body["grants"], key=lambda g: str(g["role"])) == sorted(
        expected, key=lambda g: str(g["role"])
    )


def test_me_of_a_system_admin_has_a_national_grant(client: Client, system_admin: User) -> None:
    body = client.get(ME, headers=bearer(system_admin)).json()
    assert body["grants"] == [
        {
            "role": Role.SYSTEM_ADMIN.value,
            "role_label": str(Role.SYSTEM_ADMIN.label),
            "unit_code": None,
            "unit_name": None,
        }
    ]


def test_me_access_walk(access_cast: Callable[..., Cast], commune: Unit) -> None:
    cast = access_cast(commune)
    walk(
        cast,
        ME,
        expect={"anonymous": 401, "same": 200, "sibling": 200, "parent": 200, "admin": 200},
        api=True,
    )


# --- schema and docs ----------------------------------------------------------------


def test_openapi_schema_lists_the_endpoints(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/units", "/api/v1/units/{code}", "/api/v1/me"} <= set(schema["paths"])
    schemes = schema["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())
    kind = schema["components"]["schemas"]["UnitKind"]
    assert kind["enum"] == UnitKind.values


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []
        self.styles = 0
        self.inline_style_attrs = 0
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script":
            self.scripts.append(found)
        if tag == "style":
            self.styles += 1
        if "style" in found:
            self.inline_style_attrs += 1
        self.urls += [v for k, v in attrs if k in ("src", "href") and v]


def test_docs_page_is_csp_safe(client: Client, officer: User) -> None:
    client.force_login(officer)
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    parser = _Scripts()
    parser.feed(response.content.decode())
    assert parser.scripts, "the docs page loads Swagger UI"
    assert all(s.get("src") for s in parser.scripts), parser.scripts
    assert parser.styles == 0
    assert parser.inline_style_attrs == 0
    # Everything from our own static files, nothing from a CDN.
    for url in parser.urls:
        assert url.startswith("/static/"), url
        assert finders.find(url.removeprefix("/static/")), url
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    # The settings reach swagger-ui-init.js intact (escaped in HTML, decoded by the browser).
    assert 'id="swagger-settings"' in response.content.decode()
    assert "&quot;url&quot;: &quot;/api/v1/openapi.json&quot;" in response.content.decode()
