"""Answering domain errors and paging lists over HTTP, the same way in every app."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any, TypeVar

from django.core import exceptions as django_exceptions
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from .errors import NotFound, PermissionDenied

R = TypeVar("R", bound=HttpResponseBase)


def domain_http(view: Callable[..., R]) -> Callable[..., R]:
    """Answer the policy module's refusals: out of sight 404 (like missing), not allowed 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> R:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except PermissionDenied as exc:
            raise django_exceptions.PermissionDenied(exc.message) from exc

    return wrapper


def paginate(
    request: HttpRequest,
    rows: QuerySet[Any] | Sequence[Any],
    per_page: int,
    *,
    param: str = "page",
) -> tuple[Page[Any], str]:
    """The requested page of *rows* (a query set, or a list already computed) and the query
    string without the page number, for the pager links. A page with two paged lists
    names the second one's number *param* (``units/_pagination.html`` takes it too)."""
    page = Paginator(rows, per_page).get_page(request.GET.get(param))
    query = request.GET.copy()
    query.pop(param, None)
    return page, query.urlencode()
