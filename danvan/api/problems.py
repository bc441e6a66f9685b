"""The one error format of the API: RFC 7807 problem details with a Vietnamese detail.

Every error answer carries ``type``, ``title``, ``status``, ``detail`` (for people, in
Vietnamese) and ``code`` (for machines); validation errors add ``errors``, one entry per
offending field with its location. Handlers are registered on the NinjaAPI by
`install_handlers`, so routers only raise `DomainError` (or its subclasses) and never
build error responses themselves.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from danvan.core.errors import DomainError

if TYPE_CHECKING:  # django-stubs-ext is a development dependency
    from django_stubs_ext import StrOrPromise

PROBLEM_CONTENT_TYPE = "application/problem+json"

# Short Vietnamese titles per HTTP status (RFC 7807 "title": the same for every
# occurrence of the problem type).
TITLES: dict[int, StrOrPromise] = {
    400: gettext_lazy("Yêu cầu không hợp lệ"),
    401: gettext_lazy("Chưa xác thực"),
    403: gettext_lazy("Không có quyền"),
    404: gettext_lazy("Không tìm thấy"),
    405: gettext_lazy("Phương thức không được hỗ trợ"),
    409: gettext_lazy("Xung đột dữ liệu"),
    422: gettext_lazy("Dữ liệu không hợp lệ"),
    429: gettext_lazy("Quá nhiều yêu cầu"),
}

AUTHENTICATION_DETAIL = gettext_lazy("Cần xác thực: thiếu hoặc sai mã truy cập.")
VALIDATION_DETAIL = gettext_lazy("Dữ liệu không hợp lệ.")


def problem_type(code: str) -> str:
    """A stable URI naming the kind of problem; clients may switch on it or on ``code``."""
    return f"urn:danvan:problem:{code}"


def problem_response(
    *,
    status: int,
    code: str,
    detail: str,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": problem_type(code),
        "title": str(TITLES.get(status, _("Lỗi"))),
        "status": status,
        "detail": detail,
        "code": code,
    }
    if errors is not None:
        body["errors"] = errors
    response = HttpResponse(
        json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False),
        status=status,
        content_type=f"{PROBLEM_CONTENT_TYPE}; charset=utf-8",
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


# Vietnamese messages for the pydantic error types that query and path parameters
# can produce. Placeholders are filled from the error's ``ctx`` (str.format names,
# which translations must keep).
_FIELD_MESSAGES: dict[str, StrOrPromise] = {
    "missing": gettext_lazy("Thiếu giá trị bắt buộc."),
    "enum": gettext_lazy("Giá trị “{input}” không hợp lệ; chọn một trong: {expected}."),
    "literal_error": gettext_lazy("Giá trị “{input}” không hợp lệ; chọn một trong: {expected}."),
    "int_parsing": gettext_lazy("Phải là một số nguyên."),
    "int_type": gettext_lazy("Phải là một số nguyên."),
    "int_from_float": gettext_lazy("Phải là một số nguyên."),
    "bool_parsing": gettext_lazy("Phải là true hoặc false."),
    "bool_type": gettext_lazy("Phải là true hoặc false."),
    "date_parsing": gettext_lazy("Phải là ngày theo dạng YYYY-MM-DD."),
    "date_from_datetime_parsing": gettext_lazy("Phải là ngày theo dạng YYYY-MM-DD."),
    "greater_than_equal": gettext_lazy("Phải lớn hơn hoặc bằng {ge}."),
    "greater_than": gettext_lazy("Phải lớn hơn {gt}."),
    "less_than_equal": gettext_lazy("Phải nhỏ hơn hoặc bằng {le}."),
    "less_than": gettext_lazy("Phải nhỏ hơn {lt}."),
    "string_too_long": gettext_lazy("Dài tối đa {max_length} ký tự."),
    "too_long": gettext_lazy("Tối đa {max_length} mục (đã gửi {actual_length})."),
    "string_too_short": gettext_lazy("Cần ít nhất {min_length} ký tự."),
    "string_type": gettext_lazy("Phải là một chuỗi ký tự."),
    "json_invalid": gettext_lazy("Nội dung JSON không hợp lệ."),
    # A lone surrogate ("\\ud800" in JSON): no database can store it.
    "string_unicode": gettext_lazy(
        "Có ký tự không hợp lệ (mã Unicode hỏng, thường do dán từ một tệp khác); hãy gõ lại."
    ),
}
_FALLBACK_MESSAGE = gettext_lazy("Giá trị không hợp lệ.")
# Locations ninja puts first in ``loc``: where the value came from.
_LOCATIONS = {"query", "path", "body", "header", "cookie", "form", "file"}


def _expected_list(expected: str) -> str:
    # Pydantic writes "'a', 'b' or 'c'"; show the bare values, comma-separated.
    return expected.replace(" or ", ", ").replace("'", "")


def field_message(error: dict[str, Any], submitted: str | None = None) -> str:
    code = str(error.get("type", ""))
    template = str(_FIELD_MESSAGES.get(code, _FALLBACK_MESSAGE))
    if code in ("enum", "literal_error") and submitted is None:
        template = template.replace("“{input}” ", "")
    params: dict[str, Any] = dict(error.get("ctx") or {})
    params["input"] = submitted
    if "expected" in params:
        params["expected"] = _expected_list(str(params["expected"]))
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return str(_FALLBACK_MESSAGE)


def field_errors(request: HttpRequest, errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Ninja's validation errors as problem ``errors``: location, field, code, message."""
    result = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        location = loc[0] if loc and loc[0] in _LOCATIONS else None
        path = loc[1:] if location else loc
        field = path[-1] if path else None
        # Ninja drops the offending value from its errors; a query value is still
        # at hand and makes the message clearer ("kind “tinh” không hợp lệ").
        submitted = request.GET.get(field) if location == "query" and field else None
        result.append(
            {
                "location": location,
                "field": field,
                "loc": loc,
                "code": str(error.get("type", "invalid")),
                "message": field_message(error, submitted),
            }
        )
    return result


def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    # Every problem of the refusal (a service's checks report them all at once); the
    # detail is the first one's message, as before.
    errors = [
        {
            "location": None,
            "field": problem.field,
            "loc": [problem.field] if problem.field else [],
            "code": problem.code,
            "message": problem.message,
        }
        for problem in exc.problems
        if problem.field or len(exc.problems) > 1
    ] or None
    return problem_response(
        status=exc.status_code, code=exc.code, detail=exc.message, errors=errors
    )


def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return problem_response(
        status=422,
        code="validation_error",
        detail=str(VALIDATION_DETAIL),
        errors=field_errors(request, exc.errors),
    )


def _authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    # RFC 6750 §3: a 401 names the scheme the client should use.
    return problem_response(
        status=401,
        code="not_authenticated",
        detail=str(AUTHENTICATION_DETAIL),
        headers={"WWW-Authenticate": 'Bearer realm="danvan"'},
    )


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # Raised by ninja itself: a body it cannot parse (400), a failed CSRF check (403) or
    # throttling (429).
    details = {
        400: (
            "unreadable_body",
            _(
                "Không đọc được nội dung gửi lên: cần JSON hợp lệ, mã hoá UTF-8, với "
                "Content-Type: application/json."
            ),
        ),
        403: ("forbidden", _("Yêu cầu bị từ chối (kiểm tra CSRF không đạt).")),
        429: ("throttled", _("Quá nhiều yêu cầu; vui lòng thử lại sau.")),
    }
    code, detail = details.get(exc.status_code, ("http_error", _("Yêu cầu không hợp lệ.")))
    return problem_response(status=exc.status_code, code=code, detail=detail)


def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(status=404, code="not_found", detail=_("Không tìm thấy."))


def install_handlers(api: NinjaAPI) -> None:
    # Ninja picks the handler of the nearest class in the exception's MRO, so the
    # AuthenticationError handler wins over the HttpError one.
    api.add_exception_handler(DomainError, _domain_error)  # type: ignore[arg-type]
    api.add_exception_handler(ValidationError, _validation_error)  # type: ignore[arg-type]
    api.add_exception_handler(HttpError, _http_error)  # type: ignore[arg-type]
    api.add_exception_handler(AuthenticationError, _authentication_error)  # type: ignore[arg-type]
    api.add_exception_handler(Http404, _not_found)  # type: ignore[arg-type]
