"""Failed logins attacked the way an attacker would (issue 11): one account from many
addresses, one password sprayed over many accounts from one address, the same behind a
reverse proxy; delays that grow and stay short; the owner told.

Time is frozen (time_machine, tick=False) and moved by hand: no test waits or reads
the clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from danvan.accounts.lockout import delay_for
from danvan.accounts.models import Role, User
from danvan.accounts.testing import make_user
from danvan.units.models import Unit
from danvan.worklist.models import Notice

pytestmark = pytest.mark.django_db

PASSWORD = "Dan-van-kheo-2025!"
T0 = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)  # 08:00 in Hà Nội


@pytest.fixture(autouse=True)
def limits(settings: Any) -> None:
    """The defaults of settings/base.py, pinned: the numbers below follow from them."""
    settings.AXES_FAILURE_LIMIT = 5
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 10
    settings.LOGIN_DELAY_FIRST_SECONDS = 60
    settings.LOGIN_DELAY_MAX_SECONDS = 15 * 60
    settings.AXES_COOLOFF_TIME = dt.timedelta(hours=24)


@pytest.fixture
def clock() -> Iterator[Any]:
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def _user(username: str, unit: Unit, email: str = "") -> User:
    user = make_user(username, Role.OFFICER, unit)
    user.email = email
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def officer(commune: Unit) -> User:
    return _user("can-bo-xa", commune, email="canbo@example.vn")


def login(username: str, password: str, address: str = "192.0.2.1", **meta: Any) -> Any:
    """One attempt from a fresh browser at *address* (REMOTE_ADDR)."""
    return Client().post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **meta,
    )


def officer_unit(user: User) -> Unit:
    unit = user.grants.get().unit
    assert unit is not None
    return unit


def logged_in(response: Any) -> bool:
    return response.status_code == 302 and response["Location"] == reverse("dashboard:home")


# --- The schedule ----------------------------------------------------------------------


def test_the_delay_doubles_from_the_limit_and_is_capped() -> None:
    assert delay_for(4, 5) is None
    seconds = [delay_for(n, 5).total_seconds() for n in range(5, 12)]  # type: ignore[union-attr]
    assert seconds == [60, 120, 240, 480, 900, 900, 900]
    assert delay_for(10_000, 5) == dt.timedelta(minutes=15)  # no overflow, still the cap


# --- One account, many addresses ------------------------------------------------------


def test_one_account_attacked_from_many_addresses_is_stopped(clock: Any, officer: User) -> None:
    """Five wrong passwords from five addresses: the account waits, whatever the address,
    even with the right password; other accounts on those addresses do not."""
    statuses = [
        login(officer.username, f"doan-{i}", address=f"198.51.100.{i}").status_code
        for i in range(1, 6)
    ]
    assert statuses == [200, 200, 200, 200, 429]
    refused = login(officer.username, PASSWORD, address="203.0.113.50")
    assert refused.status_code == 429
    assert "Mật khẩu của tài khoản này đã bị nhập sai 5 lần" in refused.content.decode()
    colleague = _user("dong-nghiep", officer_unit(officer))
    assert logged_in(login(colleague.username, PASSWORD, address="198.51.100.1"))


# --- One address, many accounts (spraying) -------------------------------------------


def test_one_password_sprayed_over_many_accounts_from_one_address_is_stopped(
    clock: Any, commune: Unit
) -> None:
    """No account reaches its own limit (one failure each), yet the address is stopped at
    its tenth failure; the eleventh account, although its password is the one sprayed,
    is not even tried. The accounts themselves are not locked for their owners."""
    sprayed = "Mat-khau-chung-2025"
    victims = [_user(f"nan-nhan-{i:02d}", commune) for i in range(11)]
    victims[10].set_password(sprayed)
    victims[10].save()
    statuses = [login(v.username, sprayed, address="203.0.113.7").status_code for v in victims]
    assert statuses == [200] * 9 + [429, 429]
    page = login(victims[10].username, sprayed, address="203.0.113.7").content.decode()
    assert "trên nhiều tài khoản" in page
    assert "203.0.113.7" in page
    # Each owner, from their own address, logs in.
    assert logged_in(login(victims[0].username, PASSWORD, address="192.0.2.20"))
    assert logged_in(login(victims[10].username, sprayed, address="192.0.2.21"))


# --- Growing delays, not a long lock ----------------------------------------------------


def test_the_delay_grows_with_each_failure_and_never_becomes_a_long_lock(
    clock: Any, officer: User
) -> None:
    for i in range(5):
        login(officer.username, f"doan-{i}")
    waits = (60, 120, 240, 480, 900, 900)
    for expected, following in zip(waits, (*waits[1:], 900), strict=True):
        # Just before the end of the wait: refused, and told how long is left.
        clock.shift(expected - 1)
        refused = login(officer.username, PASSWORD)
        assert refused.status_code == 429
        assert refused["Retry-After"] == "1"
        clock.shift(1)
        # At its end one more wrong guess is checked, and the next wait doubles.
        wrong = login(officer.username, "doan-tiep")
        assert wrong.status_code == 429
        assert wrong["Retry-After"] == str(following)
    # However long the guessing went on, the wait never exceeds fifteen minutes: fifteen
    # minutes after the last wrong guess the owner is in.
    clock.shift(15 * 60)
    assert logged_in(login(officer.username, PASSWORD))


def test_attempts_refused_during_a_delay_do_not_prolong_it(clock: Any, officer: User) -> None:
    for i in range(5):
        login(officer.username, f"doan-{i}")
    for _ in range(20):  # hammering the form during the first minute
        clock.shift(2)
        assert login(officer.username, "doan-nua", address="198.51.100.9").status_code == 429
    clock.shift(21)  # 61 s after the fifth failure
    assert logged_in(login(officer.username, PASSWORD))


def test_a_successful_login_clears_the_count(clock: Any, officer: User) -> None:
    for i in range(4):
        login(officer.username, f"sai-{i}")
    assert logged_in(login(officer.username, PASSWORD))
    assert not AccessAttempt.objects.filter(username=officer.username).exists()
    for i in range(4):
        assert login(officer.username, f"sai-lai-{i}").status_code == 200


def test_failures_are_forgotten_a_day_after_the_last(clock: Any, officer: User) -> None:
    for i in range(4):
        login(officer.username, f"sai-{i}")
    clock.shift(dt.timedelta(hours=24, seconds=1))
    assert login(officer.username, "sai-nua").status_code == 200  # one failure, not five


# --- Behind a reverse proxy -------------------------------------------------------------

PROXY = "10.0.0.2"


@override_settings(TRUSTED_PROXIES=["10.0.0.0/24"], CLIENT_IP_HEADER="X-Forwarded-For")
def test_behind_a_trusted_proxy_each_client_is_counted_under_its_own_address(
    clock: Any, officer: User, commune: Unit
) -> None:
    """Every request reaches the site from the proxy; the proxy's header names the
    client. Five failures from one client delay that account, not the others behind
    the same proxy; spraying from one client stops that client only."""
    for i in range(5):
        login(officer.username, f"doan-{i}", PROXY, HTTP_X_FORWARDED_FOR="198.51.100.5")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.5"}
    others = [_user(f"can-bo-{i}", commune) for i in range(11)]
    assert logged_in(
        login(others[0].username, PASSWORD, PROXY, HTTP_X_FORWARDED_FOR="198.51.100.6")
    )

    # One client sprays ten accounts and is stopped; its neighbours are not.
    for other in others[1:11]:
        login(other.username, "Mat-khau-chung", PROXY, HTTP_X_FORWARDED_FOR="198.51.100.66")
    stopped = login(others[1].username, PASSWORD, PROXY, HTTP_X_FORWARDED_FOR="198.51.100.66")
    assert stopped.status_code == 429
    # Proxies append: a client's own "X-Forwarded-For: 1.2.3.4" stays on the left, unread.
    spoofed = "1.2.3.4, 198.51.100.66"
    assert (
        login(others[1].username, PASSWORD, PROXY, HTTP_X_FORWARDED_FOR=spoofed).status_code == 429
    )
    assert logged_in(
        login(others[2].username, PASSWORD, PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    )


@override_settings(TRUSTED_PROXIES=["10.0.0.0/24"], CLIENT_IP_HEADER="X-Forwarded-For")
def test_the_header_from_an_untrusted_address_is_ignored(clock: Any, commune: Unit) -> None:
    """A client that writes the header itself and changes it on every attempt is still
    counted under the address it comes from, and stopped at the address limit."""
    accounts = [_user(f"can-bo-{i}", commune) for i in range(11)]
    statuses = [
        login(
            a.username, "Mat-khau-chung", "203.0.113.9", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}"
        ).status_code
        for i, a in enumerate(accounts)
    ]
    assert statuses == [200] * 9 + [429, 429]
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}


# --- The owner is told ------------------------------------------------------------------


def test_the_owner_is_told_once_when_the_delay_starts(
    clock: Any, officer: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(4):
            login(officer.username, f"doan-{i}", address=f"198.51.100.{i}")
    assert not Notice.objects.filter(user=officer).exists()
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        login(officer.username, "doan-5", address="198.51.100.99")
    notice = Notice.objects.get(user=officer)
    assert notice.kind == Notice.Kind.OTHER
    assert "tạm chặn đến 08:01 02/03/2026 sau 5 lần nhập sai" in notice.title
    assert notice.url == reverse("accounts:password_change")
    (message,) = mail.outbox
    assert message.to == ["canbo@example.vn"]
    assert "tạm thời bị chặn đăng nhập" in message.subject
    assert "nhập sai 5 lần liên tiếp" in message.body
    assert "08:01 02/03/2026" in message.body
    assert "198.51.100.99" in message.body
    assert "quản trị viên đơn vị" in message.body

    # Further failures make the waits longer but do not flood the owner.
    with django_capture_on_commit_callbacks(execute=True):
        clock.shift(61)
        login(officer.username, "doan-6")
    assert Notice.objects.filter(user=officer).count() == 1
    assert len(mail.outbox) == 1


def test_nobody_is_told_about_an_account_that_does_not_exist(
    clock: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [login("khong-ton-tai", f"doan-{i}").status_code for i in range(5)]
    assert statuses[-1] == 429  # answered exactly as for a real account
    assert not Notice.objects.exists()
    assert mail.outbox == []
