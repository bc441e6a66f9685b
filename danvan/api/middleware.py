"""Errors the API framework answers before any handler runs, in the API's one format."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from .problems import PROBLEM_CONTENT_TYPE, problem_response


class ApiProblemMiddleware:
    """A 405 under /api/v1/ (django-ninja answers a path that exists but not for this
    method with a plain-text "Method not allowed") becomes problem+json, keeping the
    Allow header; every other error of the API is already built by api.problems."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.prefix = ""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405:
            return response
        if not self.prefix:
            self.prefix = reverse("api:api-root")
        if not request.path.startswith(self.prefix):
            return response
        if response.get("Content-Type", "").startswith(PROBLEM_CONTENT_TYPE):
            return response
        allow = response.get("Allow", "")
        return problem_response(
            status=405,
            code="method_not_allowed",
            detail=_("Địa chỉ này không nhận phương thức %(method)s; dùng: %(allow)s.")
            % {"method": request.method, "allow": allow},
            headers={"Allow": allow} if allow else None,
        )
