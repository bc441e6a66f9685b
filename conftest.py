"""Shared fixtures: the real unit tree is loaded once per test database."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.core.cache import caches
from django.core.management import call_command

from danvan.accounts.testing import Cast, build_cast, make_user
from danvan.units.models import Unit


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    # The 34 provinces and 3,321 communes are loaded once per worker database
    # and stay for every test (each test runs in a transaction rolled back after it).
    with django_db_blocker.unblock():
        call_command("load_units", verbosity=0)


@pytest.fixture(autouse=True)
def _fresh_page_cache() -> Iterator[None]:
    # The public pages' in-process tier (core/pagecache.py) would carry a page rendered on
    # one test's data into the next test; the shared tier is the tests' own to clear.
    caches["pages"].clear()
    yield
    caches["pages"].clear()


@pytest.fixture
def thai_nguyen(db: None) -> Unit:
    return Unit.objects.get(code="19")


@pytest.fixture
def commune(thai_nguyen: Unit) -> Unit:
    """A commune of Thái Nguyên (the first one in code order)."""
    return Unit.objects.filter(parent=thai_nguyen).order_by("code").first()  # type: ignore[return-value]


@pytest.fixture
def sibling_commune(thai_nguyen: Unit, commune: Unit) -> Unit:
    return (
        Unit.objects.filter(parent=thai_nguyen).exclude(pk=commune.pk).order_by("code").first()  # type: ignore[return-value]
    )


@pytest.fixture
def access_cast(db: None) -> Callable[..., Cast]:
    return build_cast


@pytest.fixture
def system_admin(db: None):  # type: ignore[no-untyped-def]
    return make_user("sysadmin", "system_admin", None)
