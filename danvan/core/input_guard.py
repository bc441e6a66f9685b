"""The one input guard: whatever a request carries, a bad value is a 400, never a 500.

Forms and API schemas check what they read, field by field, with a message beside the
field; this middleware is the net under every door (pages, htmx fragments, the API,
Open311) for the values that reach Python or the database without such a check:

- Before the view: a NUL character in the path, the query string or an API JSON body.
  PostgreSQL's text types cannot hold it ("A string literal cannot contain NUL (0x00)
  characters" is a 500) while SQLite stores it silently, so only PostgreSQL would fail.
  The answer names the parameter that holds it.
- After the view (``process_exception``): the known classes of errors that only bad
  input causes — the database refusing a value (``DataError``: a number out of its
  column's range, an invalid byte sequence), a date or number beyond what Python or the
  database can represent (``OverflowError``: year 0001 moved to UTC, 9999-12-31 plus a
  day, an integer too large for SQLite), a value the ORM cannot convert for a lookup
  (``ValueError`` raised by a model field, ``ValidationError`` from a UUID field), text
  that cannot be encoded (``UnicodeError``), and ``ValueError`` raised by the standard
  parsers (uuid, strptime, ipaddress, decimal).

Everything else stays a 500 on purpose: a ``ValueError`` raised by our own code is a
bug to fix, not input to refuse, and hiding it would hide the bug. Each refusal is
logged at WARNING with its traceback, so a refusal that should have been a form's
message beside a field is still seen and moved there.

The answer is ``core.views.bad_request_response``: the site's 400 page in its layout,
an htmx fragment, problem+json under the API, a GeoReport error list under Open311.
A database that does not answer at all is not bad input: ``core.views.server_error``
answers it with 503.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import DataError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .views import _is_api, bad_request_response

logger = logging.getLogger(__name__)

_JSON_NUL = (b"\\u0000", b"\x00")

# Modules whose ValueError means "this text is not a value of that kind": the ORM's field
# conversions ("Field 'id' expected a number but got 'abc'") and the standard parsers.
# A ValueError raised anywhere else (our own code) is left to be a 500: it is a bug.
_PARSER_MODULES = (
    "django.db.models.fields",
    "django.utils.dateparse",
    "uuid",
    "_strptime",
    "ipaddress",
    "decimal",
    "_pydecimal",
)


def _offending_parameter(request: HttpRequest) -> str | None:
    if "\x00" in request.path:
        return _("địa chỉ trang")
    for name, values in request.GET.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            return name.replace("\x00", "")
    if _is_api(request) and request.content_type == "application/json":
        body = request.body
        if any(marker in body for marker in _JSON_NUL):
            return "body"
    return None


def _raised_by_parser(exc: BaseException) -> bool:
    tb = exc.__traceback__
    if tb is None:
        return False
    while tb.tb_next is not None:
        tb = tb.tb_next
    module = str(tb.tb_frame.f_globals.get("__name__", ""))
    return any(module == name or module.startswith(name + ".") for name in _PARSER_MODULES)


def _suspect(request: HttpRequest, exc: BaseException) -> str | None:
    """The query parameter whose value the error quotes, when there is one: it tells the
    person which value to change."""
    text = str(exc)
    for name, values in request.GET.lists():
        if any(len(value) >= 2 and value in text for value in values):
            return name
    return None


def _refusal(request: HttpRequest, exc: BaseException) -> tuple[str, str] | None:
    """(code, reason) when *exc* is one of the bad-input classes, else None."""
    if isinstance(exc, DataError):
        return "value_refused", _(
            "Một giá trị gửi lên không lưu hay tìm được: số quá lớn, chuỗi quá dài hoặc có "
            "ký tự không hợp lệ. Hãy kiểm tra lại các giá trị đã nhập hoặc các tham số trên "
            "địa chỉ trang."
        )
    if isinstance(exc, OverflowError):
        return "out_of_range", _(
            "Một ngày hoặc một số gửi lên nằm ngoài phạm vi xử lý được (ví dụ năm 0001, năm "
            "9999 hay một số rất lớn). Hãy dùng ngày trong khoảng năm 1900–2100 và số nhỏ hơn."
        )
    if isinstance(exc, ValidationError):
        return "invalid_value", _(
            "Một giá trị gửi lên không đúng dạng (ví dụ mã định danh không phải UUID, số "
            "không phải số nguyên). Hãy mở lại trang từ danh sách thay vì sửa địa chỉ."
        )
    if isinstance(exc, UnicodeError) or (isinstance(exc, ValueError) and _raised_by_parser(exc)):
        return "invalid_value", _(
            "Một giá trị gửi lên không đúng dạng: chữ ở chỗ cần số, mã sai định dạng hoặc ký "
            "tự không mã hoá được. Hãy kiểm tra lại các giá trị đã nhập hoặc các tham số "
            "trên địa chỉ trang."
        )
    return None


class InputGuardMiddleware:
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

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        refusal = _refusal(request, exc)
        if refusal is None:
            return None  # a real error: Django's 500 (or 503, see core.views.server_error)
        code, reason = refusal
        logger.warning(
            "Bad input refused with 400 on %s %s", request.method, request.path, exc_info=exc
        )
        name = _suspect(request, exc)
        if name is not None:
            reason = _("Tham số “%(name)s”: %(reason)s") % {"name": name, "reason": reason}
        return bad_request_response(request, detail=reason, code=code, reason=reason)
