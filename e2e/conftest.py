"""Browser tests: Debian's Chromium driven by Playwright against the live test server.

Skipped, with a reason, where /usr/bin/chromium (or Playwright) is absent. The
browser is never downloaded.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).parent / "screenshots"
# Without these flags Chromium keeps trying to reach Google's hosts on a closed network and stalls.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Playwright's sync API runs an event loop in this thread; the Django ORM calls
# the tests make between browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


BROWSER_FIXTURES = {"browser", "new_page", "page"}


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """On SQLite, the live server gets a database file instead of Django's default
    shared-cache in-memory database. Under shared cache, two requests of one page (htmx
    search while the session is saved) can fail with "database table is locked", which
    no busy timeout waits out; a file in WAL mode behaves like the deployed database."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        name = tmp_path_factory.mktemp("e2e-db") / "test.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(name)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    reason = None
    if not Path(CHROMIUM).exists():
        reason = (
            f"Chromium không có tại {CHROMIUM} (apt-get install chromium):"
            " bỏ qua kiểm thử trình duyệt"
        )
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "Playwright chưa được cài: bỏ qua kiểm thử trình duyệt"
    for item in items:
        # Only tests that drive the browser are browser tests; the others here (such as
        # the Open311 client against the live server) need no Chromium.
        uses_browser = BROWSER_FIXTURES & set(getattr(item, "fixturenames", ()))
        if "e2e" in str(item.fspath) and uses_browser:
            item.add_marker(pytest.mark.browser)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser: Any, live_server: Any, django_db_blocker: Any) -> Iterator[Any]:
    """A factory of pages, each in its own browser context (one per person logged in)."""
    # live_server tests flush the database after each test: put the unit tree back
    # (load_units is idempotent). make test runs e2e/ in its own process for this reason.
    with django_db_blocker.unblock():
        call_command("load_units", verbosity=0)
    contexts: list[Any] = []
    external: list[str] = []

    def watch(request: Any) -> None:
        if not request.url.startswith((live_server.url, "data:", "about:")):
            external.append(request.url)

    def make() -> Any:
        context = browser.new_context(base_url=live_server.url, locale="vi-VN")
        contexts.append(context)
        page = context.new_page()
        page.on("request", watch)
        return page

    yield make
    for context in contexts:
        context.close()
    assert not external, f"the page made external network requests: {external}"


@pytest.fixture
def page(new_page: Any) -> Any:
    return new_page()


def screenshot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
