"""The address of the client behind a request: one answer for the login lock-out
(django-axes), the rate limits of the public doors (django-ratelimit) and the audit trail.

Behind a reverse proxy every request reaches the application from the proxy's address;
the proxy names the client in a header (``X-Forwarded-For``, ``X-Real-IP``). Anyone can
send that header, so it is believed only when the request comes from an address listed
in ``settings.TRUSTED_PROXIES`` (``DANVAN_TRUSTED_PROXIES``: addresses or networks). Then
the header is read from its right end, the entry the nearest proxy wrote, towards the
left, skipping the addresses of further trusted proxies: the first address that is not a
trusted proxy is the client. Entries left of it were written by the client and are never
read, so a client cannot choose the address it is counted under. A request from any other
address, or with no usable header, is counted under ``REMOTE_ADDR``.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

_HEADER_NAME = re.compile(r"^[A-Za-z0-9_-]+$")


def parse_networks(values: Sequence[str]) -> tuple[Network, ...]:
    """``["10.0.0.5", "192.168.0.0/24", "::1"]`` as networks (one address: a network of
    one). ValueError names the first value that is neither."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError as exc:
            raise ValueError(f"{value!r} is not an IP address or network") from exc
    return tuple(networks)


@lru_cache(maxsize=8)
def _trusted(values: tuple[str, ...]) -> tuple[Network, ...]:
    try:
        return parse_networks(values)
    except ValueError as exc:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {exc}") from exc


def meta_key(header: str) -> str:
    """``X-Forwarded-For`` → ``HTTP_X_FORWARDED_FOR``, the key of request.META (a name
    already in that form is kept)."""
    if not _HEADER_NAME.match(header):
        raise ImproperlyConfigured(f"CLIENT_IP_HEADER={header!r} is not an HTTP header name")
    key = header.upper().replace("-", "_")
    return key if key.startswith("HTTP_") else f"HTTP_{key}"


def _parse(text: str) -> Address | None:
    """An address as proxies write it (``1.2.3.4``, ``1.2.3.4:5678``, ``[2001:db8::1]:443``,
    ``::ffff:1.2.3.4``), or None for anything else."""
    text = text.strip()
    if text.startswith("["):
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]  # IPv4 with a port
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _within(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == net.version and address in net for net in networks)


def client_address(request: HttpRequest) -> str | None:
    """The client's address as text, or None when the server gave none (a Unix socket
    without a trusted proxy in front)."""
    remote = _parse(request.META.get("REMOTE_ADDR") or "")
    if remote is None:
        return None
    proxies = _trusted(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    if not proxies or not _within(remote, proxies):
        return str(remote)
    header = request.META.get(meta_key(getattr(settings, "CLIENT_IP_HEADER", "X-Forwarded-For")))
    client = remote
    for entry in reversed((header or "").split(",")):
        address = _parse(entry)
        if address is None:
            break  # a malformed entry: what follows on its left is the client's own writing
        client = address
        if not _within(address, proxies):
            break
    return str(client)


def client_address_for_limits(request: HttpRequest) -> str:
    """client_address for django-ratelimit (RATELIMIT_IP_META_KEY), which needs an
    address: a request without one is counted under the unspecified address ``::``."""
    return client_address(request) or "::"
