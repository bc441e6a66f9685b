"""A fuzzer over the site's pages: every URL pattern outside the API and Open311 (which
have their own schema fuzzing) is fetched — the officers' pages as a commune officer,
the citizens' portal without login — first plainly, to find the query parameters the
page reads (the fields of its GET forms, the parameters of its links, and the common
ones such as page and q), then with hostile values in all of them: huge and negative
numbers, dates at the ends of what Python holds, malformed identifiers, very long and
control-character strings, markup. Path parameters get such values too, and the
records the list pages link to (two cases received by the officer) are fuzzed as well. Every public
form (the portal's and the login) is then posted with such values in every field.

Nothing may answer a server error: a bad value is a 400 or the form's message beside
the field. Bounded (core.tests.fuzzing.EXAMPLES rounds per page and form, fixed order).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.converters import IntConverter, PathConverter, SlugConverter, UUIDConverter
from django.utils import timezone

from danvan.accounts.models import User
from danvan.accounts.testing import login_verified
from danvan.consultation import services as consultation_services
from danvan.core.tests.fuzzing import COMMON_PARAMETERS, EXAMPLES, HOSTILE_VALUES
from danvan.units.models import Unit

pytestmark = pytest.mark.django_db

# Query strings never carry NUL past the input guard (answered with 400 before any
# view, tested in core.tests.test_input_guard): the rounds use values that reach views.
PAGE_VALUES = [v for v in HOSTILE_VALUES if "\x00" not in v]
_CONVERTER = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")
_SKIPPED_PREFIXES = ("api/", "open311/", "healthz", "tai-khoan/dang-xuat")


def _values_for(converter: Any) -> list[str]:
    if isinstance(converter, IntConverter):
        return ["0", "99999999999999999999999"]
    if isinstance(converter, UUIDConverter):
        return [str(uuid.UUID(int=0)), str(uuid.uuid5(uuid.NAMESPACE_URL, "danvan"))]
    if isinstance(converter, SlugConverter):
        return ["khong-co", "x" * 300]
    if isinstance(converter, PathConverter):
        return ["a/b", "x" * 300]
    return ["khong-co", "0001-01-01", "9" * 30, "x" * 300]


def _walk(
    patterns: list[Any], prefix: str = "", converters: dict[str, Any] | None = None
) -> Iterator[tuple[str, dict[str, Any]]]:
    for entry in patterns:
        found = {**(converters or {}), **getattr(entry.pattern, "converters", {})}
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, route, found)
        elif isinstance(entry, URLPattern):
            yield route, found


def _urls() -> list[str]:
    """One concrete URL per pattern and path-parameter value (the values cycled)."""
    urls = []
    for route, converters in _walk(get_resolver().url_patterns):
        if route.startswith(_SKIPPED_PREFIXES) or route.startswith("^"):
            continue
        names = [m["name"] for m in _CONVERTER.finditer(route)]
        if not names:
            urls.append("/" + route)
            continue
        choices = [_values_for(converters[name]) for name in names]
        for index in range(max(len(c) for c in choices)):
            values = [c[index % len(c)] for c in choices]
            pieces = _CONVERTER.split(route)[:: len(_CONVERTER.groupindex) + 1]
            urls.append("/" + "".join(p + v for p, v in zip(pieces, [*values, ""], strict=True)))
    return sorted(set(urls))


class _PageReader(HTMLParser):
    """The query parameters a page reads (GET forms, links to itself) and its POST forms."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path
        self.parameters: set[str] = set()
        self.forms: list[dict[str, Any]] = []
        self.links: set[str] = set()
        self.found = False
        self._form: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k: v or "" for k, v in attrs}
        if tag == "a" and attr.get("href", "").startswith(("/", "?")):
            link = urlsplit(attr["href"])
            if link.path in ("", self.path):
                self.parameters.update(name for name, _ in parse_qsl(link.query))
            elif not link.netloc:
                self.links.add(link.path)
        elif tag == "form":
            method = attr.get("method", "get").lower()
            self._form = {"method": method, "action": attr.get("action") or self.path, "fields": {}}
            self.forms.append(self._form)
        elif tag in ("input", "select", "textarea") and self._form is not None and attr.get("name"):
            kind = attr.get("type", tag)
            if kind in ("submit", "button", "image", "file"):
                return
            keep = attr.get("value", "") if kind == "hidden" else None
            self._form["fields"][attr["name"]] = keep
            if self._form["method"] == "get":
                self.parameters.add(attr["name"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None


def _read(path: str, response: Any) -> _PageReader:
    reader = _PageReader(path)
    if response.status_code == 200 and "html" in response.get("Content-Type", ""):
        reader.found = True
        reader.feed(response.content.decode(errors="replace"))
    return reader


def _check(response: Any, what: str, failures: list[str]) -> None:
    """Record a server error with its exception, so one run lists every failing door."""
    if response.status_code >= 500:
        exc = response.exc_info[1] if response.exc_info else None
        failures.append(f"{what[:300]} → {response.status_code} {exc!r}"[:600])


def _fuzz_page(client: Client, path: str, failures: list[str]) -> _PageReader:
    cache.clear()
    plain = client.get(path)
    _check(plain, f"GET {path}", failures)
    reader = _read(path, plain)
    parameters = sorted(reader.parameters | set(COMMON_PARAMETERS))
    for round_ in range(EXAMPLES):
        query = {
            name: PAGE_VALUES[(round_ * 5 + index) % len(PAGE_VALUES)]
            for index, name in enumerate(parameters)
        }
        headers = {"HX-Request": "true"} if round_ % 2 else {}
        cache.clear()  # the rate limits would answer 429 before the code under test
        _check(client.get(path, query, headers=headers), f"GET {path} {query!r}", failures)
    return reader


@pytest.fixture
def officer_client(officer: User) -> Client:
    # The commune officer who receives the cases below (cases.tests.conftest).
    client = Client(raise_request_exception=False)
    login_verified(client, officer)
    return client


def test_the_walk_reaches_the_officers_pages_and_the_portal() -> None:
    urls = _urls()
    assert len(urls) > 150
    assert reverse("portal:home") in urls
    assert reverse("audit:list") in urls


def _view_name(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def _fuzz_site(client: Client, urls: list[str], failures: list[str]) -> list[_PageReader]:
    """Fuzz *urls*, then one linked page per view not reached yet (a detail page of a
    real record, which the walk's made-up path parameters only find missing)."""
    readers = []
    reached: set[str | None] = set()
    for path in urls:
        readers.append(_fuzz_page(client, path, failures))
        if readers[-1].found:
            reached.add(_view_name(path))
    linked = sorted(set().union(*(reader.links for reader in readers)))
    for path in linked:
        name = _view_name(path)
        if name is None or name in reached or path.lstrip("/").startswith(_SKIPPED_PREFIXES):
            continue
        reached.add(name)
        readers.append(_fuzz_page(client, path, failures))
    return readers


def test_no_query_value_gives_a_server_error_on_officers_pages(
    officer_client: Client, receive: Callable[..., Any]
) -> None:
    # Records whose pages the walk then finds through the links of the list pages.
    receive()
    receive(kind="complaint", subject="Khiếu nại quyết định thu hồi đất")
    portal = reverse("portal:home")
    failures: list[str] = []
    _fuzz_site(officer_client, [p for p in _urls() if not p.startswith(portal)], failures)
    assert not failures, "\n".join(failures)


def test_no_query_value_or_form_value_gives_a_server_error_on_the_portal(commune: Unit) -> None:
    # An open consultation: its page (found through the portal's list) has a public form.
    today = timezone.localdate()
    consultation = consultation_services.consultation_create(
        actor=None, unit=commune, subject="plan", title="Dự thảo kế hoạch 2027", draft="Nội dung."
    )
    consultation_services.consultation_open(
        actor=None,
        consultation=consultation,
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=14),
    )
    client = Client(raise_request_exception=False)
    failures: list[str] = []
    public = [p for p in _urls() if p.startswith(reverse("portal:home"))]
    public.append(reverse("accounts:login"))
    forms = [
        form
        for reader in _fuzz_site(client, public, failures)
        for form in reader.forms
        if form["method"] == "post"
    ]
    actions = {form["action"] for form in forms}
    assert reverse("portal:consultation", args=[consultation.public_id]) in actions
    for form in forms:
        for round_ in range(EXAMPLES):
            data = {
                name: kept
                if kept is not None
                else HOSTILE_VALUES[(round_ * 7 + index) % len(HOSTILE_VALUES)]
                for index, (name, kept) in enumerate(sorted(form["fields"].items()))
            }
            cache.clear()
            _check(client.post(form["action"], data), f"POST {form['action']} {data!r}", failures)
    assert not failures, "\n".join(failures)
