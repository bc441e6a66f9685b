"""Per-address rate limits of the public doors (django-ratelimit), answered with HTTP 429.

The counters live in the default cache: the process's memory in the embedded mode, Redis
in production (DANVAN_CACHE_URL), so that every worker counts the same requests.

Two ways of counting. Doors where every attempt is the risk (looking up a code: guessing)
count every request with `throttle`. Doors that receive a citizen's words (sending
feedback, an Open311 request) count only what was ACCEPTED: `over_limit` checks before
saving without counting, `count_accepted` counts after a successful save, so a citizen
who mistyped a phone number five times is not locked out, and a page over the limit is
the form again with what they typed and when to try again, not a bare error page.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage
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


def over_limit(request: HttpRequest, *, group: str, rates: Sequence[str]) -> int | None:
    """Whether one more accepted request of this address to *group* would pass a rate:
    the seconds until the fullest window ends (so the page can say when to try again),
    or None when it may go on. Counts nothing (django-ratelimit, increment=False)."""
    waits = []
    for rate in rates:
        usage = get_usage(request, group=group, key="ip", rate=rate, increment=False)
        # Without incrementing, "count" is what was accepted so far in the window: one
        # more is allowed while it stays under the limit.
        if usage is not None and usage["count"] >= usage["limit"]:
            waits.append(max(int(usage["time_left"]), 1))
    return max(waits) if waits else None


def count_accepted(request: HttpRequest, *, group: str, rates: Sequence[str]) -> None:
    """Count one accepted request of this address to *group* in every rate's window."""
    for rate in rates:
        get_usage(request, group=group, key="ip", rate=rate, increment=True)


def wait_message(seconds: int) -> str:
    """What a citizen past the limit reads above their form: when to send again, and that
    what they typed is still there."""
    minutes = max(1, math.ceil(seconds / 60))
    at = timezone.localtime(timezone.now() + dt.timedelta(seconds=seconds))
    return _(
        "Địa chỉ mạng của bạn vừa gửi nhiều lần trong thời gian ngắn, nên nội dung này chưa"
        " được nhận. Hãy gửi lại sau khoảng %(minutes)s phút (sau %(at)s): nội dung bạn đã"
        " nhập vẫn còn ở dưới."
    ) % {"minutes": minutes, "at": f"{at:%H:%M}"}


def held_back(
    request: HttpRequest, form: forms.BaseForm, *, group: str, rates: Sequence[str]
) -> bool:
    """True when this address has used up *group*'s accepted sendings: the form, still
    checked so that its fields keep what was typed, then carries wait_message on top (the
    caller answers 429). Nothing is counted here: count_accepted does, once saved."""
    wait = over_limit(request, group=group, rates=rates)
    if wait is None:
        return False
    form.is_valid()
    form.add_error(None, wait_message(wait))
    return True
