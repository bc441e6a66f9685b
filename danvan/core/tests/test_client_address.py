"""The client's address: the proxy's header only from a trusted proxy, read from the
right; the same answer for the login lock-out, the rate limits and the audit trail."""

from __future__ import annotations

from typing import Any

import pytest
from axes.helpers import get_client_ip_address
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.test import RequestFactory, override_settings
from django_ratelimit.core import _get_ip

from danvan.core.client_address import client_address, client_address_for_limits, meta_key

TRUSTED = override_settings(
    TRUSTED_PROXIES=["10.0.0.0/24", "2001:db8:1::/48"], CLIENT_IP_HEADER="X-Forwarded-For"
)


def request(remote: str, forwarded: str | None = None, **meta: Any) -> HttpRequest:
    req = RequestFactory().get("/", REMOTE_ADDR=remote, **meta)
    if forwarded is not None:
        req.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return req


def test_without_trusted_proxies_the_header_is_never_read() -> None:
    with override_settings(TRUSTED_PROXIES=[]):
        assert client_address(request("10.0.0.2", "198.51.100.5")) == "10.0.0.2"


@TRUSTED
def test_from_a_trusted_proxy_the_header_names_the_client() -> None:
    assert client_address(request("10.0.0.2", "198.51.100.5")) == "198.51.100.5"
    # Several proxies of ours: skipped from the right up to the first that is not ours.
    assert client_address(request("10.0.0.2", "198.51.100.5, 10.0.0.7")) == "198.51.100.5"
    # What the client wrote itself stays left of what our proxy appended, unread.
    assert client_address(request("10.0.0.2", "1.2.3.4, 198.51.100.5")) == "198.51.100.5"
    assert client_address(request("10.0.0.2", "not-an-ip, 198.51.100.5")) == "198.51.100.5"
    # Ports, brackets, IPv6 and IPv4 written as IPv6, as proxies write them.
    assert client_address(request("10.0.0.2", "198.51.100.5:41234")) == "198.51.100.5"
    assert client_address(request("2001:db8:1::9", "[2001:db8:2::5]:443")) == "2001:db8:2::5"
    assert client_address(request("::ffff:10.0.0.2", "::ffff:198.51.100.5")) == "198.51.100.5"


@TRUSTED
def test_from_a_trusted_proxy_without_a_usable_header_the_proxy_counts() -> None:
    assert client_address(request("10.0.0.2")) == "10.0.0.2"
    assert client_address(request("10.0.0.2", "")) == "10.0.0.2"
    assert client_address(request("10.0.0.2", "garbage")) == "10.0.0.2"
    # Every hop ours: the left-most one is the nearest we know of the client.
    assert client_address(request("10.0.0.2", "10.0.0.8, 10.0.0.7")) == "10.0.0.8"


@TRUSTED
def test_from_any_other_address_the_header_is_ignored() -> None:
    assert client_address(request("203.0.113.9", "198.51.100.5")) == "203.0.113.9"
    assert client_address(request("10.0.1.2", "198.51.100.5")) == "10.0.1.2"  # outside /24


@override_settings(TRUSTED_PROXIES=["127.0.0.1"], CLIENT_IP_HEADER="X-Real-IP")
def test_another_header_can_be_named() -> None:
    req = request("127.0.0.1", "198.51.100.5", HTTP_X_REAL_IP="198.51.100.8")
    assert client_address(req) == "198.51.100.8"
    assert meta_key("X-Real-IP") == meta_key("HTTP_X_REAL_IP") == "HTTP_X_REAL_IP"


def test_no_remote_address() -> None:
    req = request("")
    assert client_address(req) is None
    assert client_address_for_limits(req) == "::"


def test_bad_settings_are_refused_loudly() -> None:
    with override_settings(TRUSTED_PROXIES=["proxy.example"]), pytest.raises(ImproperlyConfigured):
        client_address(request("10.0.0.2"))
    with pytest.raises(ImproperlyConfigured):
        meta_key("X Forwarded For")


@TRUSTED
def test_the_lock_out_and_the_rate_limits_see_the_same_address() -> None:
    req = request("10.0.0.2", "1.2.3.4, 198.51.100.5")
    assert get_client_ip_address(req) == "198.51.100.5"  # django-axes
    assert _get_ip(req) == "198.51.100.5"  # django-ratelimit
    spoofed = request("203.0.113.9", "198.51.100.5")
    assert get_client_ip_address(spoofed) == _get_ip(spoofed) == "203.0.113.9"


def test_a_bad_trusted_proxy_in_the_environment_stops_start_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from danvan.settings.env import env_networks

    monkeypatch.setenv("DANVAN_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/24")
    assert env_networks("DANVAN_TRUSTED_PROXIES") == ["127.0.0.1", "10.0.0.0/24"]
    monkeypatch.setenv("DANVAN_TRUSTED_PROXIES", "127.0.0.1, proxy.local")
    with pytest.raises(ImproperlyConfigured, match=r"proxy\.local"):
        env_networks("DANVAN_TRUSTED_PROXIES")
