"""The lookup codes of the feedback sent from this device, kept in a cookie so that the
citizen can come back without retyping a code.

The cookie is signed (a changed or made-up list is ignored), HttpOnly (no script reads
it), Secure on HTTPS and SameSite=Lax (not sent along with another site's requests), and
holds at most MAX_CODES codes for a year. The codes never go into a URL: the lookup page
lists the cases and each button POSTs its code, so it is in no server log, browser
history or Referer header a third party could read.
"""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse

from danvan.cases import services as case_services

COOKIE = "danvan_phan_anh"
SALT = "danvan.portal.feedback.device"
MAX_CODES = 10
MAX_AGE = 365 * 24 * 60 * 60
_CODE = re.compile(r"^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$")


def codes_of(request: HttpRequest) -> list[str]:
    """The codes this device remembers, newest first (an unsigned or bad cookie: none)."""
    raw = request.get_signed_cookie(COOKIE, default="", salt=SALT, max_age=MAX_AGE) or ""
    codes: list[str] = []
    for part in raw.split(","):
        code = part.strip()
        if _CODE.match(code) and code not in codes:
            codes.append(code)
    return codes[:MAX_CODES]


def remember(request: HttpRequest, response: HttpResponse, code: str) -> None:
    """Add *code* in front of the device's list (the oldest beyond MAX_CODES drop out)."""
    code = case_services.normalize_lookup_code(code)
    codes = [code] + [c for c in codes_of(request) if c != code]
    _write(request, response, codes[:MAX_CODES])


def forget(response: HttpResponse) -> None:
    response.delete_cookie(COOKIE, samesite="Lax")


def _write(request: HttpRequest, response: HttpResponse, codes: list[str]) -> None:
    response.set_signed_cookie(
        COOKIE,
        ",".join(codes),
        salt=SALT,
        max_age=MAX_AGE,
        httponly=True,
        secure=request.is_secure(),
        samesite="Lax",
    )
