"""The bench's URLconf (bench/portal_load.py): the site's own URLs, plus

- ``/bench/bare/<size>/``: a bare Django view answering *size* bytes of HTML, the
  reference (the same server, middleware and network path, no template, no query);
- ``/bench/cold/<n>/<path>``: the page at ``/<path>`` with every cache lookup of the
  request (the shared cache and the pages' in-process tier) made in a namespace of its
  own (``n``, unique per request), so that each request finds the cache empty, as the
  first request after a flush does, and fills it.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.urls import path, resolve

from danvan.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def bare(request: HttpRequest, size: int) -> HttpResponse:
    return HttpResponse(b"x" * size, content_type="text/html; charset=utf-8")


def cold(request: HttpRequest, n: int, rest: str) -> Any:
    """Serve /<rest> with a cache of its own: Django's cache objects are per thread
    (django.core.cache.caches), so changing this thread's key prefix for the length of
    the request touches no other request."""
    real = "/" + rest
    match = resolve(real)
    request.path = request.path_info = real
    # Every cache: the shared one and the pages' in-process tier (core/pagecache.py).
    prefixes = {alias: caches[alias].key_prefix for alias in ("default", "pages")}
    for alias, prefix in prefixes.items():
        caches[alias].key_prefix = f"bench-cold-{n}:{prefix}"
    try:
        response = match.func(request, *match.args, **match.kwargs)
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()  # a TemplateResponse: rendered here, with the empty cache
        return response
    finally:
        for alias, prefix in prefixes.items():
            caches[alias].key_prefix = prefix


urlpatterns = [
    path("bench/bare/<int:size>/", bare),
    path("bench/cold/<int:n>/<path:rest>", cold),
    *urlpatterns,
]
