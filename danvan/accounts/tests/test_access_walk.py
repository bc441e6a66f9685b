"""The access walk over the pages of accounts, the dashboard and the operational endpoints.

Unit-scoped pages and endpoints are walked in their own apps' tests; these are the
pages every logged-in user has (their own account), the unit switcher, and the public ones.
"""

from collections.abc import Callable

import pytest
from django.urls import reverse

from danvan.accounts.testing import Cast, walk
from danvan.units.models import Unit

pytestmark = pytest.mark.django_db

OWN_PAGES = {"anonymous": 302, "same": 200, "sibling": 200, "parent": 200, "admin": 200}
PUBLIC = {"anonymous": 200, "same": 200, "sibling": 200, "parent": 200, "admin": 200}


@pytest.mark.parametrize(
    "name", ["dashboard:home", "accounts:profile", "accounts:tokens", "accounts:password_change"]
)
def test_own_pages_need_login_only(
    access_cast: Callable[..., Cast], commune: Unit, name: str
) -> None:
    walk(access_cast(commune), reverse(name), expect=OWN_PAGES)


def test_dashboard_shows_only_the_actors_scope(
    access_cast: Callable[..., Cast], commune: Unit
) -> None:
    cast = access_cast(commune)
    same = cast.client("same").get(reverse("dashboard:home")).content.decode()
    sibling = cast.client("sibling").get(reverse("dashboard:home")).content.decode()
    assert commune.name in same
    assert commune.name not in sibling


def test_switching_to_a_unit_follows_the_scope(
    access_cast: Callable[..., Cast], commune: Unit
) -> None:
    walk(
        access_cast(commune),
        reverse("accounts:switch_unit"),
        method="post",
        data={"unit": commune.code},
        # Out of scope: refused like a missing unit, with the picker's message (400).
        expect={"anonymous": 302, "same": 302, "sibling": 400, "parent": 302, "admin": 302},
    )


@pytest.mark.parametrize("path", ["/healthz", "/api/v1/openapi.json"])
def test_public_endpoints(access_cast: Callable[..., Cast], commune: Unit, path: str) -> None:
    walk(access_cast(commune), path, expect=PUBLIC)
