"""danvan's REST API, mounted at /api/v1/ (see danvan/urls.py).

Every endpoint needs a bearer token or a logged-in session (auth.API_AUTH); every
error is problem+json (problems.py); the schema is at /api/v1/openapi.json and the
interactive docs at /api/v1/docs.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Router
from ninja.renderers import JSONRenderer

from danvan.core.errors import NotFound

from . import (
    accounts,
    cases,
    compliance,
    consultation,
    democracy,
    disclosure,
    evaluation,
    movement,
    movement_stats,
    problems,
    reception,
    reports,
    supervision,
    tasks,
    units,
)
from .auth import API_AUTH
from .docs import docs


class Utf8JSONRenderer(JSONRenderer):
    # Vietnamese names as readable UTF-8, not \u escapes (the response says charset=utf-8).
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="danvan API",
    version="1",
    description=(
        "API của danvan. Xác thực bằng mã truy cập (`Authorization: Bearer dv_…`, tạo trong"
        " trang tài khoản) hoặc phiên đăng nhập. Lỗi trả về theo RFC 7807"
        " (`application/problem+json`) với `detail` bằng tiếng Việt và `code` cho máy đọc."
    ),
    urls_namespace="api",
    auth=API_AUTH,
    docs=docs,
    renderer=Utf8JSONRenderer(),
)
problems.install_handlers(api)

api.add_router("", units.router)
api.add_router("", accounts.router)
api.add_router("", movement.router)
api.add_router("", evaluation.router)
api.add_router("", movement_stats.router)
api.add_router("", cases.router)
api.add_router("", reception.router)
api.add_router("", democracy.router)
api.add_router("", disclosure.router)
api.add_router("", consultation.router)
api.add_router("", supervision.router)
api.add_router("", compliance.router)
api.add_router("", tasks.router)
api.add_router("", reports.router)


@api.get("/", auth=None, include_in_schema=False, url_name="api-root")
def root(request: HttpRequest) -> dict[str, str]:
    """The bare address: where the documentation and the schema are."""
    return {
        "name": "danvan API",
        "version": "1",
        "docs": reverse("api:openapi-view"),
        "openapi": reverse("api:openapi-json"),
    }


# Last: any other path under /api/v1/ answers in the same problem format instead of
# Django's HTML 404 page.
_fallback = Router()


@_fallback.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", auth=None, include_in_schema=False
)
def unknown_path(request: HttpRequest, rest: str) -> None:
    raise NotFound(_("Không có địa chỉ API này."), code="endpoint_not_found")


api.add_router("", _fallback)
