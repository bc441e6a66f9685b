"""The access walk: every list, detail and export is tried by a cast of actors.

Shipped with the code (not hidden in a conftest) so every app's tests use it::

    def test_unit_detail_access(access_cast, client):
        cast = access_cast(commune)
        walk(cast, url, expect=READ_SCOPED)            # web pages
        walk(cast, api_url, expect=READ_SCOPED, api=True)  # API with bearer tokens

The cast, for a unit U with parent P:
- ``anonymous``: nobody logged in;
- ``same``: an officer of U;
- ``sibling``: an officer of another unit under P;
- ``parent``: an officer of P (covers U's subtree);
- ``admin``: a system administrator who passed two-factor.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from danvan.units.models import Unit

from .models import Role, User
from .services import grant_create, token_create, user_create

ACTORS = ("anonymous", "same", "sibling", "parent", "admin")

# Web pages: anonymous is sent to the login page; out-of-scope answers like missing.
READ_SCOPED: Mapping[str, int] = {
    "anonymous": 302,
    "same": 200,
    "sibling": 404,
    "parent": 200,
    "admin": 200,
}
# The same rule seen through the API: anonymous gets 401.
API_READ_SCOPED: Mapping[str, int] = {**READ_SCOPED, "anonymous": 401}


@dataclass
class Cast:
    unit: Unit
    users: dict[str, User | None] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    def client(self, actor: str) -> Client:
        client = Client()
        user = self.users[actor]
        if user is not None:
            login_verified(client, user)
        return client

    def api_headers(self, actor: str) -> dict[str, str]:
        token = self.tokens.get(actor)
        return {"Authorization": f"Bearer {token}"} if token else {}


def login_verified(client: Client, user: User) -> None:
    """Log *user* in; administrators also pass the second factor."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


def make_user(
    username: str, role: str | None = None, unit: Unit | None = None, *, with_device: bool = False
) -> User:
    user = user_create(actor=None, username=username, password=None, full_name=username)
    if role is not None:
        grant_create(actor=None, user=user, role=role, unit=unit)
    if with_device or role in (Role.SYSTEM_ADMIN, Role.UNIT_ADMIN):
        TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    return user


def build_cast(unit: Unit, *, role: str = Role.OFFICER, tag: str = "") -> Cast:
    """A cast around *unit*; *role* is the role the same/sibling/parent actors hold."""
    if unit.parent is None:
        raise ValueError("the access walk needs a unit with a parent")
    sibling = (
        Unit.objects.filter(parent=unit.parent, kind=unit.kind, valid_to__isnull=True)
        .exclude(pk=unit.pk)
        .first()
    )
    if sibling is None:
        raise ValueError(f"{unit} has no sibling to test against")
    suffix = f"{unit.code}{tag}"
    cast = Cast(unit=unit)
    cast.users["anonymous"] = None
    cast.users["same"] = make_user(f"same-{suffix}", role, unit)
    cast.users["sibling"] = make_user(f"sibling-{suffix}", role, sibling)
    cast.users["parent"] = make_user(f"parent-{suffix}", role, unit.parent)
    cast.users["admin"] = make_user(f"admin-{suffix}", Role.SYSTEM_ADMIN, None)
    for actor, user in cast.users.items():
        if user is not None:
            cast.tokens[actor] = token_create(actor=user, name="access walk")[1]
    return cast


def walk(
    cast: Cast,
    url: str,
    *,
    expect: Mapping[str, int],
    method: str = "get",
    data: Any = None,
    api: bool = False,
    content_type: str | None = None,
) -> dict[str, int]:
    """Request *url* as every actor and assert each status; returns what was seen."""
    seen: dict[str, int] = {}
    for actor in ACTORS:
        if actor not in expect:
            continue
        if api:
            client = Client()
            headers = cast.api_headers(actor)
        else:
            client = cast.client(actor)
            headers = {}
        kwargs: dict[str, Any] = {"headers": headers}
        if data is not None:
            kwargs["data"] = data
        if content_type is not None:
            kwargs["content_type"] = content_type
        response = getattr(client, method)(url, **kwargs)
        seen[actor] = response.status_code
    wanted = {actor: expect[actor] for actor in seen}
    assert seen == wanted, f"{method.upper()} {url}: got {seen}, expected {wanted}"
    return seen
