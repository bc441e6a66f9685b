"""Operational endpoints that belong to no domain app, and the error pages.

The error pages (wired in ``danvan.urls`` as handler400/403/404/500 and in settings as
CSRF_FAILURE_VIEW) answer four kinds of client: the API gets problem+json like every
other API error; Open311 clients get a GeoReport v2 error list like every other error of
that door; an htmx request gets a fragment that fits the element it swaps; a browser
gets a page in the site's layout that says what happened and what to do. A database
that does not answer is a 503 with Retry-After, in the same four forms.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from django.core.exceptions import SuspiciousOperation
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _broker_ok() -> bool:
    from danvan.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and broker status; 503 when either is down (for load balancers)."""
    database, broker = _database_ok(), _broker_ok()
    status = "ok" if database and broker else "error"
    return JsonResponse(
        {
            "status": status,
            "database": "ok" if database else "error",
            "broker": "ok" if broker else "error",
        },
        status=200 if status == "ok" else 503,
    )


# Marks an error fragment so that static/danvan/errors.js lets htmx swap it in (htmx
# does not swap 4xx/5xx answers by default and the person would see nothing).
ERROR_HEADER = "X-Danvan-Error"


def _api_prefix() -> str:
    return reverse("api:api-root")


def _is_api(request: HttpRequest) -> bool:
    try:
        return request.path.startswith(_api_prefix())
    except Exception:  # a broken URLconf must not hide the original error
        return False


def _is_open311(request: HttpRequest) -> bool:
    try:
        prefix = reverse("open311:services", kwargs={"fmt": "json"}).rsplit("/", 1)[0]
    except Exception:  # a broken URLconf must not hide the original error
        return False
    return request.path.startswith(prefix + "/")


def _problem(status: int, code: str, detail: str) -> HttpResponse:
    from danvan.api.problems import problem_response

    return problem_response(status=status, code=code, detail=detail)


def _open311_errors(request: HttpRequest, status: int, detail: str) -> HttpResponse:
    # Open311 clients read GeoReport v2 error lists ({code, description}), in the
    # format the path names, for every error of that door.
    from danvan.portal.open311.views import error_list_response

    return error_list_response(request, status, detail)


def _back_url(request: HttpRequest) -> str | None:
    """The page the person came from, when it is one of ours (not the failing page)."""
    referer = request.headers.get("referer", "")
    try:
        host = request.get_host()
    except SuspiciousOperation:
        return None
    if (
        referer
        and referer != request.build_absolute_uri()
        and url_has_allowed_host_and_scheme(referer, {host}, request.is_secure())
    ):
        return referer
    return None


def _contacts(request: HttpRequest) -> dict[str, Any]:
    """Who the person can ask for a permission: their working unit's administrators."""
    from danvan.accounts.selectors import administrators_for, current_unit

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    unit = current_unit(request)
    if unit is None:
        return {}
    return {"contact_unit": unit, "contacts": administrators_for(unit)}


def error_response(
    request: HttpRequest,
    *,
    status: int,
    code: str,
    page: str,
    fragment: str,
    title: str,
    detail: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """One error, answered in the form the client understands (see the module docstring)."""
    if _is_api(request):
        return _problem(status, code, detail)
    if _is_open311(request):
        return _open311_errors(request, status, detail)
    context: dict[str, Any] = {"title": title, "message": detail, **(extra or {})}
    user = getattr(request, "user", None)
    # Someone not signed in is most often a citizen on the portal: send them there.
    signed_in = user is not None and user.is_authenticated
    context["home_url"] = reverse("dashboard:home" if signed_in else "portal:home")
    # On the citizens' portal the page keeps the portal's layout and speaks to citizens.
    if request.path.startswith(reverse("portal:home")):
        context.update(portal=True, base_template="portal/base.html")
        context["home_url"] = reverse("portal:home")
    if getattr(request, "htmx", False):
        template = fragment
        context["back_url"] = None
    else:
        template = page
        context["back_url"] = _back_url(request)
    response = HttpResponse(loader.render_to_string(template, context, request), status=status)
    response[ERROR_HEADER] = str(status)
    return response


def bad_request_response(
    request: HttpRequest, *, detail: str, code: str = "bad_request", reason: str = ""
) -> HttpResponse:
    """The 400 answer (page, htmx fragment or problem+json); *reason* is shown on the
    page as what to change."""
    return error_response(
        request,
        status=400,
        code=code,
        page="400.html",
        fragment="errors/_400.html",
        title=_("Yêu cầu không hợp lệ"),
        detail=detail,
        extra={"reason": reason} if reason else None,
    )


def _from_database_outage(exception: BaseException | None) -> bool:
    """Was *exception* caused, at any depth, by a database that does not answer?"""
    seen = 0
    while exception is not None and seen < 10:
        if isinstance(exception, (OperationalError, InterfaceError)):
            return True
        exception = exception.__cause__ or exception.__context__
        seen += 1
    return False


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _from_database_outage(exception):
        # The session could not be saved because the database is down: Django reports it
        # as a session deleted under the request (SessionInterrupted, a 400), but the
        # client did nothing wrong and may simply try again (make scale found it).
        return _database_unavailable(request)
    if isinstance(exception, SuspiciousOperation):
        # A forged Host header or similar: the request itself cannot be trusted, so
        # nothing of it (user, session, host) is used to build the answer.
        return HttpResponse(loader.render_to_string("errors/400_standalone.html"), status=400)
    return bad_request_response(
        request, detail=_("Yêu cầu không hợp lệ: địa chỉ hoặc dữ liệu gửi lên không đúng dạng.")
    )


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # The refusals of the policy module carry a Vietnamese message (naming the unit);
    # Django's own PermissionDenied() has none.
    detail = str(exception or "") or _("Bạn không có quyền thực hiện việc này.")
    return error_response(
        request,
        status=403,
        code="permission_denied",
        page="403.html",
        fragment="errors/_403.html",
        title=_("Không có quyền"),
        detail=detail,
        extra=_contacts(request),
    )


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(
        request,
        status=404,
        code="not_found",
        page="404.html",
        fragment="errors/_404.html",
        title=_("Không tìm thấy"),
        detail=_("Không tìm thấy."),
    )


# How long a client should wait before trying again when the database does not answer.
DATABASE_RETRY_AFTER = 30


def _database_unavailable(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: the database is down or unreachable (not the client's fault,
    nor a bug of the page), so the client is told to come back rather than report."""
    detail = _("Cơ sở dữ liệu tạm thời không trả lời; vui lòng thử lại sau ít phút.")
    if _is_api(request):
        response = _problem(503, "database_unavailable", detail)
    elif _is_open311(request):
        response = _open311_errors(request, 503, detail)
    else:
        template = "errors/_503.html" if getattr(request, "htmx", False) else "503.html"
        response = HttpResponse(loader.render_to_string(template), status=503)
    response["Retry-After"] = str(DATABASE_RETRY_AFTER)
    response[ERROR_HEADER] = "503"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without a request context: the database or a context processor may be
    what failed, so the page needs neither.

    Django calls this handler inside the ``except`` block of the uncaught exception, at
    whatever layer it was raised (a view, a middleware reading the session), so a
    database that does not answer is recognised here, once for every door, and gets a
    503 instead of a 500.
    """
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        return _database_unavailable(request)
    if _is_api(request):
        return _problem(500, "server_error", _("Lỗi hệ thống; vui lòng thử lại sau."))
    if _is_open311(request):
        return _open311_errors(request, 500, _("Lỗi hệ thống; vui lòng thử lại sau."))
    template = "errors/_500.html" if getattr(request, "htmx", False) else "500.html"
    response = HttpResponse(loader.render_to_string(template), status=500)
    response[ERROR_HEADER] = "500"
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form posted with a missing or stale CSRF token (settings.CSRF_FAILURE_VIEW)."""
    logger.info("CSRF failure on %s: %s", request.path, reason)
    # A token gone stale because the session expired and the person signed in again:
    # keep what was typed and return to the form (accounts.form_rescue).
    from danvan.accounts.form_rescue import rescue_after_csrf_failure

    rescued = rescue_after_csrf_failure(request, reason)
    if rescued is not None:
        return rescued
    return error_response(
        request,
        status=403,
        code="csrf_failed",
        page="403_csrf.html",
        fragment="errors/_csrf.html",
        title=_("Biểu mẫu đã hết hiệu lực"),
        detail=_(
            "Biểu mẫu đã hết hiệu lực hoặc trình duyệt chặn cookie; tải lại trang rồi gửi lại."
        ),
    )
