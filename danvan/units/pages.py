"""Which unit a page is about, the same way on every page that takes ``?unit=``."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from danvan.accounts.selectors import current_unit
from danvan.core.errors import NotFound

from . import selectors
from .models import Unit


def page_unit(request: HttpRequest, code: str | None = None) -> Unit | None:
    """The unit named by *code* (default ``?unit=``; NotFound when out of sight, like a
    missing one), else the unit the user works in, else None."""
    code = (code if code is not None else request.GET.get("unit", "")).strip()
    if code:
        return selectors.unit_get(actor=request.user, code=code)
    return current_unit(request)


def required_unit(request: HttpRequest) -> Unit:
    """page_unit, for pages that cannot work without a unit."""
    unit = page_unit(request)
    if unit is None:
        raise NotFound(_("Chưa chọn đơn vị."))
    return unit


def with_unit(name: str, unit: Unit, **params: Any) -> str:
    """The URL of the page *name* about *unit*, with more query *params*."""
    return f"{reverse(name)}?{urlencode({'unit': unit.code, **params})}"
