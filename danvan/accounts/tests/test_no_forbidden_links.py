"""No link leads to a 403: every role follows every same-site link it is shown.

For each role (a commune officer, a province leader, a reviewer, an inspector, a unit
administrator, an identity keeper, the system administrator; and a citizen, not signed
in, from the portal) the walk starts on the home page with the demo data of every app,
collects every same-site ``<a href>``, GET form action and ``hx-get`` on the pages it
reaches and follows each once, and presses every POST form as shown (nothing typed,
inside a transaction rolled back). A link or button shown to a user must be one the user
may use: no answer may be 403 (and none a server error).

Bounded: URLs are grouped by shape (ids, codes and query values abstracted), and only
the first few of a shape are followed; links are read on pages up to ``DEPTH`` steps from
the home page and followed one step further.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urldefrag, urlsplit

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path, reverse

from danvan.accounts.models import Role, User
from danvan.accounts.testing import login_verified, make_user
from danvan.cases import demo as cases_demo
from danvan.consultation import demo as consultation_demo
from danvan.demo.services import demo_seed_base
from danvan.democracy import demo as democracy_demo
from danvan.disclosure import demo as disclosure_demo
from danvan.movement import demo as movement_demo
from danvan.movement.tests.evaluation_factories import open_round, submitted_entry
from danvan.supervision import demo as supervision_demo
from danvan.units.models import Unit
from danvan.urls import urlpatterns as site_urls

pytestmark = pytest.mark.django_db

# Pages whose links are read: the home page (0), what it links to (1: menus, lists),
# what those link to (2: detail pages, tabs, filters); links found on those (3: action
# pages, "Sửa", "Thêm", "Tiếp nhận") are followed but not read.
DEPTH = 3
PER_SHAPE = 1  # URLs of one shape followed
SKIP = re.compile(
    r"^/(api/|open311/|static/|media/|healthz)|/dang-xuat/|/dang-nhap/|/xac-thuc-hai-buoc/"
    r"|/doi-don-vi/"  # switching the working unit changes what every later page shows
)
ID_SEGMENT = re.compile(r"\d|^[0-9a-f]{8}-[0-9a-f]{4}-")


class _Links(HTMLParser):
    """What a person can follow or press on a page: same-site links, GET forms and
    hx-get (followed), and POST forms with their hidden fields and their submit button
    (pressed, with nothing typed, inside a transaction rolled back)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, bool]] = []  # (url, is_htmx)
        self.posts: list[tuple[str, dict[str, str]]] = []  # (action, data)
        self._form: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.found.append((a["href"], False))
        elif tag == "form":
            if a.get("method", "get").lower() == "post":
                self._form = {}
                self.posts.append((a.get("action", ""), self._form))
            elif a.get("action"):
                self._form = None
                self.found.append((a["action"], False))
        elif tag == "input" and self._form is not None and a.get("type") == "hidden":
            if a.get("name") and a["name"] != "csrfmiddlewaretoken":
                self._form.setdefault(a["name"], a.get("value", ""))
        elif tag == "button" and self._form is not None and a.get("name"):
            self._form.setdefault(a["name"], a.get("value", ""))
        if a.get("hx-get"):
            self.found.append((a["hx-get"], True))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None


def _shape(url: str) -> str:
    parts = urlsplit(url)
    path = "/".join("{x}" if ID_SEGMENT.search(s) else s for s in parts.path.split("/"))
    keys = sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)} - {"page"})
    return f"{path}?{'&'.join(keys)}"


def _local(href: str, base: str) -> str | None:
    href = urldefrag(href.strip())[0]
    if not href or href.startswith(("mailto:", "tel:", "javascript:", "data:")):
        return None
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        if parts.netloc not in ("testserver", ""):
            return None
        href = parts.path + (f"?{parts.query}" if parts.query else "")
    elif not href.startswith("/"):
        if href.startswith("?"):
            href = urlsplit(base).path + href
        else:
            return None  # relative paths are not used by the site's templates
    return None if SKIP.search(urlsplit(href).path) else href


@dataclass
class Walk:
    client: Client
    seen: set[str] = field(default_factory=set)
    shapes: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    bad: list[str] = field(default_factory=list)
    fetched: int = 0
    pressed: int = 0

    def _check(self, response: Any, what: str, source: str) -> bool:
        if response.status_code == 403 or response.status_code >= 500:
            self.bad.append(f"{response.status_code} {what} (on {source})")
            return False
        return True

    def _new(self, target: str, kind: str = "") -> bool:
        shape = kind + _shape(target)
        if kind + target in self.seen or self.shapes[shape] >= PER_SHAPE:
            return False
        self.seen.add(kind + target)
        self.shapes[shape] += 1
        return True

    def press(self, action: str, data: dict[str, str], source: str) -> None:
        """Submit a POST form as shown, nothing typed; every write is rolled back."""
        with transaction.atomic():
            response = self.client.post(action, data)
            transaction.set_rollback(True)
        self.pressed += 1
        self._check(response, f"POST {action}", source)

    def visit(self, url: str, *, source: str, htmx: bool, depth: int) -> list[tuple[str, bool]]:
        headers = {"HX-Request": "true"} if htmx else {}
        response = self.client.get(url, headers=headers)
        self.fetched += 1
        if not self._check(response, url, source) or depth >= DEPTH:
            return []
        if response.status_code != 200:
            return []
        if not response.get("Content-Type", "").startswith("text/html"):
            return []
        parser = _Links()
        parser.feed(response.content.decode())
        for action, data in parser.posts:
            target = _local(action or url, url)
            if target is not None and self._new(target, "POST "):
                self.press(target, data, url)
        return parser.found

    def run(self, start: str) -> None:
        level: list[tuple[str, str, bool]] = [(start, "—", False)]
        self.seen.add(start)
        for depth in range(DEPTH + 1):
            following: list[tuple[str, str, bool]] = []
            for url, source, htmx in level:
                for href, is_htmx in self.visit(url, source=source, htmx=htmx, depth=depth):
                    target = _local(href, url)
                    if target is not None and self._new(target):
                        following.append((target, url, is_htmx))
            level = following


def _cast() -> dict[str, User]:
    """The demo's accounts for each role, and an identity keeper (a role of its own)."""
    units = demo_seed_base().units
    movement_demo.demo_seed_movement()
    cases_demo.demo_seed_cases(per_unit=3)
    democracy_demo.demo_seed_democracy()
    disclosure_demo.demo_seed_disclosure()
    consultation_demo.demo_seed_consultation()
    supervision_demo.demo_seed_supervision()
    by_name = {u.username: u for u in User.objects.filter(username__contains=".")}
    # The demo has no evaluation round: one at the commune, scored by both reviewers,
    # so that the round's pages and score cards are walked too.
    entry = submitted_entry("Mô hình thử đánh giá", units.communes[0], year=2025)
    open_round(units.communes[0], [entry], [by_name["tinh.danhgia"], by_name["xa.danhgia"]])
    return {
        "commune officer": by_name["xa.canbo"],
        "province leader": by_name["tinh.lanhdao"],
        "commune reviewer": by_name["xa.danhgia"],
        "province inspector": by_name["tinh.kiemtra"],
        "commune unit admin": by_name["xa.quantri"],
        "province officer": by_name["tinh.canbo"],
        "identity keeper": make_user("giu.danhtinh", Role.IDENTITY_KEEPER, units.communes[0]),
        "system admin": User.objects.get(username="admin"),
    }


def test_no_link_shown_to_a_role_answers_403() -> None:
    failures: list[str] = []
    cast: dict[str, User | None] = {**_cast(), "citizen (not signed in)": None}
    for role, user in cast.items():
        client = Client()
        client.raise_request_exception = False
        if user is not None:
            login_verified(client, user)
        walk = Walk(client)
        # A citizen starts on the portal; the officers' pages send them to the login page.
        walk.run("/" if user is not None else reverse("portal:home"))
        assert walk.fetched > 3, f"{role}: the walk reached nothing"
        failures += [f"{role}: {line}" for line in walk.bad]
    assert not failures, "Links that answer 403 or fail:\n" + "\n".join(failures)


# The walker itself, on a page of known links: it must report what answers 403.
def _start(request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        '<a href="/walk/ok/">ok</a> <a href="/walk/cam/">cấm</a> <a href="https://elsewhere.'
        'example/x"></a> <a href="/tai-khoan/dang-xuat/">x</a> <div hx-get="/walk/cam-htmx/">'
        '</div><form method="post" action="/walk/cam-gui/">'
        '<input type="hidden" name="version" value="7">'
        '<button name="flag" value="posting">Gửi</button></form>'
    )


def _ok(request: HttpRequest) -> HttpResponse:
    return HttpResponse("<p>ok</p>")


def _forbidden(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and request.POST.dict() != {"version": "7", "flag": "posting"}:
        return HttpResponse(status=400)  # the form was not pressed as shown
    raise PermissionDenied


urlpatterns = [
    path("walk/", _start),
    path("walk/ok/", _ok),
    path("walk/cam/", _forbidden),
    path("walk/cam-htmx/", _forbidden),
    path("walk/cam-gui/", _forbidden),
    *site_urls,
]


@pytest.mark.urls(__name__)
def test_the_walk_reports_links_and_forms_that_answer_403(commune: Unit) -> None:
    client = Client()
    client.raise_request_exception = False
    login_verified(client, make_user("o", Role.OFFICER, commune))
    walk = Walk(client)
    walk.run("/walk/")
    assert sorted(walk.bad) == [
        "403 /walk/cam-htmx/ (on /walk/)",
        "403 /walk/cam/ (on /walk/)",
        "403 POST /walk/cam-gui/ (on /walk/)",
    ]
    assert walk.fetched == 4  # the page, ok, cam, cam-htmx: not elsewhere, not logout
    assert walk.pressed == 1
