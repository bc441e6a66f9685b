"""Per-address rate limits of the public doors (django-ratelimit), answered with HTTP 429.

The counters live in the default cache: the process's memory in the embedded mode, Redis
in production (DANVAN_CACHE_URL), so that every worker counts the same requests.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.decorators import ratelimit

View = Callable[..., HttpResponse]

# Sending feedback: a citizen rarely sends more than a few at once.
SUBMIT_RATES = ("5/10m",)
# Looking up a code: codes cannot be guessed (31^12), and this keeps it so.
LOOKUP_RATES = ("10/m", "100/d")
OPEN311_WRITE_RATES = ("5/10m",)
OPEN311_READ_RATES = ("60/m", "2000/d")


def too_many_page(request: HttpRequest) -> HttpResponse:
    """The portal's answer past a limit: a page saying to wait and try again (429)."""
    return render(request, "portal/ratelimited.html", status=429)


def throttle(
    *,
    group: str,
    rates: Sequence[str],
    method: str | Sequence[str],
    answer: Callable[[HttpRequest], HttpResponse],
) -> Callable[[View], View]:
    """Count the requests of each client address to *group*; past any of *rates*, return
    *answer(request)* (a 429 page) instead of running the view."""

    def decorator(view: View) -> View:
        @wraps(view)
        def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if getattr(request, "limited", False):
                return answer(request)
            return view(request, *args, **kwargs)

        wrapped: View = limited
        for rate in rates:
            wrapped = ratelimit(group=group, key="ip", rate=rate, method=method, block=False)(
                wrapped
            )
        return wrapped

    return decorator
