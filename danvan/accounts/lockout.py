"""Failed logins: growing delays per account and per client address (django-axes handler).

django-axes records every failure (``AccessAttempt``: account name, client address,
browser, number of failures, time of the last) and forgets failures
``AXES_COOLOFF_TIME`` after the last one. Axes itself locks a client once one count
reaches a single limit and keeps it locked for that same time, which mixes two things
this handler keeps apart: how long failures are remembered (a day) and how long the next
attempt must wait (a minute at first). A long lock is what an attacker who knows an
officer's account name would impose on purpose; a short delay that doubles with every
further failure keeps guessing slow and costs the officer at most the cap.

Two counts, each with its own limit (settings, docs/access.md):
- per **account name**, whatever the address (``AXES_FAILURE_LIMIT``): ten addresses
  guessing one officer's password share one count;
- per **client address**, whatever the account (``LOGIN_ADDRESS_FAILURE_LIMIT``): one
  password tried on many accounts (spraying) from one address is stopped although no
  account reached its own limit.

From its limit on, a count's last failure refuses the next attempt for
``LOGIN_DELAY_FIRST_SECONDS × 2^(failures − limit)``, at most ``LOGIN_DELAY_MAX_SECONDS``.
An attempt refused during a delay is not checked and not counted
(``AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False``): hammering the form does not
prolong the wait, only a wrong password tried after it does. A successful login clears
the account's and the address's counts (``AXES_RESET_ON_SUCCESS``). When an account's
first delay starts, its owner is told (services.login_delay_notify). The client address
is core.client_address's, the same as the rate limits'.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Max, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from . import services

ACCOUNT = "account"
ADDRESS = "address"


@dataclass(frozen=True)
class LoginDelay:
    """A count past its limit: *failures* since the count began, the next attempt waits
    until *until*."""

    reason: str  # ACCOUNT or ADDRESS
    failures: int
    limit: int
    until: dt.datetime

    @property
    def first(self) -> bool:
        """The delay that the count's limit itself started (the owner is told of it)."""
        return self.failures == self.limit


def delay_for(failures: int, limit: int) -> dt.timedelta | None:
    """The wait after the last of *failures* on a count whose limit is *limit*; None
    below the limit. Doubles with each failure past the limit, up to the cap."""
    if limit <= 0 or failures < limit:
        return None
    first = max(1, settings.LOGIN_DELAY_FIRST_SECONDS)
    cap = max(first, settings.LOGIN_DELAY_MAX_SECONDS)
    # 2^30 s is past any cap: bounding the exponent keeps the number small.
    return dt.timedelta(seconds=min(first * 2 ** min(failures - limit, 30), cap))


def _count(attempts: QuerySet[AccessAttempt]) -> tuple[int, dt.datetime | None]:
    totals = attempts.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    return totals["failures"] or 0, totals["last"]


class GrowingDelayHandler(AxesDatabaseHandler):
    """Axes' database handler with the two counts and growing delays described above."""

    def delays(self, request: HttpRequest, credentials: dict[str, Any] | None) -> list[LoginDelay]:
        """The delays running at the time of *request* (its account's, its address's)."""
        now = request.axes_attempt_time or timezone.now()  # type: ignore[attr-defined]
        recent = AccessAttempt.objects.filter(attempt_time__gte=now - settings.AXES_COOLOFF_TIME)
        counts = []
        username = get_client_username(request, credentials)
        if username:
            limit = get_failure_limit(request, credentials)
            counts.append((ACCOUNT, limit, recent.filter(username=username)))
        address = request.axes_ip_address  # type: ignore[attr-defined]
        if address:
            limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
            counts.append((ADDRESS, limit, recent.filter(ip_address=address)))
        running = []
        for reason, limit, attempts in counts:
            failures, last = _count(attempts)
            wait = delay_for(failures, limit)
            if wait is not None and last is not None and now < last + wait:
                running.append(LoginDelay(reason, failures, limit, last + wait))
        return running

    def is_locked(self, request: Any, credentials: dict[str, Any] | None = None) -> bool:
        running = self.delays(request, credentials)
        if running:
            # The lock-out page says why and until when.
            request.danvan_login_delay = max(running, key=lambda d: d.until)
        return bool(running)

    def user_login_failed(
        self, sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
    ) -> None:
        # Set by the backend when it refused the attempt during a delay: axes then records
        # nothing (see the module's docstring) and there is nothing more to decide.
        refused = request is not None and getattr(request, "axes_locked_out", False)
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or refused:
            return
        running = self.delays(request, credentials)
        if not running:
            return
        request.axes_locked_out = True
        request.axes_credentials = credentials
        request.danvan_login_delay = max(running, key=lambda d: d.until)
        username = get_client_username(request, credentials)
        user_locked_out.send(
            "axes", request=request, username=username, ip_address=request.axes_ip_address
        )
        for delay in running:
            if delay.reason == ACCOUNT and delay.first:
                services.login_delay_notify(
                    username=username,
                    until=delay.until,
                    failures=delay.failures,
                    address=request.axes_ip_address,
                )


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any = None
) -> HttpResponse:
    """The page shown instead of the login form during a delay (AXES_LOCKOUT_CALLABLE):
    why, until when, and what to do; 429 with Retry-After."""
    delay: LoginDelay | None = getattr(request, "danvan_login_delay", None)
    now = getattr(request, "axes_attempt_time", None) or timezone.now()
    seconds = max(1, int((delay.until - now).total_seconds())) if delay else 60
    context = {
        "delay": delay,
        "until": timezone.localtime(delay.until) if delay else None,
        "minutes": -(-seconds // 60),  # rounded up: "1 phút" rather than "0 phút"
        "max_minutes": max(1, settings.LOGIN_DELAY_MAX_SECONDS // 60),
        "address": getattr(request, "axes_ip_address", None),
    }
    response = render(request, "accounts/locked_out.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response
