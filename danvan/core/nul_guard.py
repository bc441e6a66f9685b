"""Refuse NUL characters before they reach the database (400, never 500).

PostgreSQL's text types cannot hold a NUL character ("A string literal cannot contain
NUL (0x00) characters" is a 500), while SQLite stores it silently. Forms already refuse
it field by field with a message beside the field (Django's
ProhibitNullCharactersValidator, worded in core.validation), keeping what was typed.
Values read without a form do not pass through that validator: the query string of
every page (filters, search boxes, htmx suggestions) and the JSON bodies of the API.
This middleware answers those with the site's 400 page (or problem+json under the API)
saying which parameter holds the character.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .views import _is_api, bad_request_response

_JSON_NUL = (b"\\u0000", b"\x00")


def _offending_parameter(request: HttpRequest) -> str | None:
    for name, values in request.GET.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            return name.replace("\x00", "")
    if _is_api(request) and request.content_type == "application/json":
        body = request.body
        if any(marker in body for marker in _JSON_NUL):
            return "body"
    return None


class NulCharacterGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        name = _offending_parameter(request)
        if name is None:
            return self.get_response(request)
        reason = _(
            "“%(name)s” có ký tự rỗng (NUL) không được phép, thường do dán từ một tệp "
            "khác; hãy xoá rồi gõ lại giá trị đó."
        ) % {"name": name}
        return bad_request_response(request, detail=reason, code="nul_character", reason=reason)
