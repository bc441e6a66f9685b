"""The top bar: every role sees only the menus it may use, and every entry it is shown opens
(no 403, no 404); the flags cost a constant number of queries, not one per link."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from danvan.accounts.context_processors import navigation, short_name
from danvan.accounts.models import Role, User
from danvan.accounts.testing import login_verified, make_user
from danvan.units.models import Unit

NAVBAR = re.compile(r'<nav class="navbar.*?</nav>', re.S)
HREF = re.compile(r'href="([^"#]+)"')


def _menu_links(html: str) -> list[str]:
    navbar = NAVBAR.search(html)
    assert navbar is not None, "the page has no top bar"
    return sorted({unescape(h) for h in HREF.findall(navbar.group(0))})


def _user_for(role: str, commune: Unit) -> User:
    unit = None if role == Role.SYSTEM_ADMIN else commune
    return make_user(f"nav-{role}", role, unit)


@pytest.mark.parametrize("role", list(Role))
def test_every_menu_entry_opens_for_every_role(role: str, commune: Unit, client: Client) -> None:
    login_verified(client, _user_for(role, commune))
    response = client.get("/tai-khoan/")
    assert response.status_code == 200
    links = _menu_links(response.content.decode())
    assert "/tai-khoan/" in links  # the user menu is there for everyone
    refused = {}
    for link in links:
        status = client.get(link).status_code
        if status != 200:
            refused[link] = status
    assert not refused, f"{role}: menu entries that do not open: {refused}"


def test_menus_follow_the_role(commune: Unit, client: Client) -> None:
    """The menus differ by role: a reviewer has no cases menu, an identity keeper no
    movement menu, a leader no intake and no audit, an administrator sees them all."""
    seen = {}
    for role in (Role.REVIEWER, Role.IDENTITY_KEEPER, Role.LEADER, Role.OFFICER, Role.UNIT_ADMIN):
        login_verified(client, _user_for(role, commune))
        seen[role] = set(_menu_links(client.get("/tai-khoan/").content.decode()))
    assert "/vu-viec/" not in seen[Role.REVIEWER]
    assert "/dan-van-kheo/mo-hinh/" in seen[Role.REVIEWER]
    assert "/dan-van-kheo/mo-hinh/" not in seen[Role.IDENTITY_KEEPER]
    assert "/dan-chu/bang-theo-doi/" not in seen[Role.IDENTITY_KEEPER]
    assert "/vu-viec/danh-sach/" in seen[Role.LEADER]
    assert "/vu-viec/tiep-nhan/" not in seen[Role.LEADER]
    assert "/nhat-ky/" not in seen[Role.LEADER]
    assert "/vu-viec/tiep-nhan/" in seen[Role.OFFICER]
    assert "/nhat-ky/" in seen[Role.UNIT_ADMIN]
    assert "/quy-dinh/" in seen[Role.UNIT_ADMIN]


def test_flags_cost_constant_queries(commune: Unit) -> None:
    """Grants are read once per request: asking every flag again costs nothing."""
    user = make_user("nav-officer", Role.OFFICER, commune)
    request = RequestFactory().get("/")
    request.user = user
    request.session = {}  # type: ignore[assignment]
    with CaptureQueriesContext(connection) as first:
        flags = navigation(request)
    with CaptureQueriesContext(connection) as again:
        assert navigation(request) == flags
    assert len(first) <= 3, [q["sql"] for q in first.captured_queries]
    assert len(again) == 0, [q["sql"] for q in again.captured_queries]
    assert flags["cases"]
    assert flags["democracy"]
    assert not flags["audit"]


@pytest.mark.parametrize(
    ("full_name", "username", "expected"),
    [
        ("Dương Văn Hải", "xa.canbo", "Hải"),
        ("Nguyễn Thị Hồng Nhung", "tinh.quantri", "Nhung"),
        ("Quản trị hệ thống (demo)", "admin", "admin"),
        ("", "someone", "someone"),
    ],
)
def test_short_name(full_name: str, username: str, expected: str) -> None:
    assert short_name(User(username=username, full_name=full_name)) == expected
