"""Work not lost: the keep-alive endpoint, the idle-session warning, and a form posted
after the session expired kept until the person signs in again."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.messages import get_messages
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from danvan.accounts.form_rescue import SESSION_RESCUE_KEY
from danvan.accounts.models import User
from danvan.accounts.testing import login_verified, make_user
from danvan.movement.models import Entry, Field
from danvan.units.models import Unit

pytestmark = pytest.mark.django_db

KEEP_ALIVE = reverse("accounts:keep_alive")
LOGIN = reverse("accounts:login")
CREATE = reverse("movement:create")
PASSWORD = "mat-khau-dai-va-kho-doan-2026"
LONG_TEXT = "Vận động 120 hộ dân góp ngày công, hiến đất làm đường. " * 40


@pytest.fixture
def officer(commune: Unit) -> User:
    user = make_user("xa-canbo", "officer", commune)
    user.set_password(PASSWORD)
    user.save()
    return user


def signed_in(user: User, **kwargs: Any) -> Client:
    """A browser where *user* signed in and opened a page."""
    client = Client(**kwargs)
    login_verified(client, user)
    client.get(reverse("accounts:profile"))
    return client


def expire(client: Client) -> None:
    """The session ends as after SESSION_IDLE_SECONDS without a request: the row is past
    its expiry date (Django no longer loads it) while the browser still sends its key."""
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )


def entry_form(commune: Unit) -> dict[str, str]:
    field = Field.objects.get(code="kinh-te")
    return {
        "unit": commune.code,
        "name": "Đường điện sáng thôn Đồng Tâm",
        "kind": "initiative",
        "field": str(field.pk),
        "registration_year": "2025",
        "target_group": "Hộ dân thôn Đồng Tâm",
        "goals": "Thắp sáng đường thôn",
        "content_method": LONG_TEXT,
        "start_date": "01/03/2025",
        "action": "register",
    }


def texts(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- the keep-alive endpoint ----------------------------------------------------------


def test_keep_alive_renews_the_session_and_answers_204(officer: User) -> None:
    client = signed_in(officer, enforce_csrf_checks=True)
    client.get(reverse("accounts:profile"))
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + dt.timedelta(seconds=30)
    )
    token = client.cookies["csrftoken"].value
    response = client.post(KEEP_ALIVE, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 204
    assert response.content == b""
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    expiry = Session.objects.get(session_key=client.session.session_key).expire_date
    assert expiry > timezone.now() + dt.timedelta(minutes=29)


def test_keep_alive_needs_a_post_with_the_csrf_token(officer: User) -> None:
    client = signed_in(officer, enforce_csrf_checks=True)
    assert client.get(KEEP_ALIVE).status_code == 405
    assert client.post(KEEP_ALIVE).status_code == 403


def test_keep_alive_after_the_end_says_401_not_the_login_page(officer: User) -> None:
    client = signed_in(officer)
    expire(client)
    response = client.post(KEEP_ALIVE)
    assert response.status_code == 401
    assert Client().post(KEEP_ALIVE).status_code == 401


# --- the warning dialog -------------------------------------------------------------


def test_signed_in_pages_carry_the_warning_dialog_and_its_script(
    officer: User, settings: Any
) -> None:
    settings.SESSION_COOKIE_AGE = 1800
    settings.SESSION_WARNING_SECONDS = 120
    html = signed_in(officer).get(reverse("accounts:profile")).content.decode()
    assert 'id="session-dialog" role="alertdialog"' in html
    assert 'data-idle-seconds="1800"' in html
    assert 'data-warn-seconds="120"' in html
    assert f'data-keepalive-url="{KEEP_ALIVE}"' in html
    assert "Tiếp tục làm việc" in html
    assert "danvan/session.js" in html
    # The warning never comes later than half the session (a 60-second session: 30).
    settings.SESSION_COOKIE_AGE = 60
    assert 'data-warn-seconds="30"' in signed_in(officer).get("/tai-khoan/").content.decode()


def test_anonymous_pages_have_no_warning() -> None:
    html = Client().get(LOGIN).content.decode()
    assert "session-dialog" not in html
    assert "session.js" not in html


# --- a form posted after expiry --------------------------------------------------------


def test_a_form_posted_after_expiry_comes_back_filled_after_login(
    officer: User, commune: Unit
) -> None:
    client = signed_in(officer)
    page = f"{CREATE}?unit={commune.code}"
    assert client.get(page).status_code == 200
    expire(client)

    response = client.post(CREATE, entry_form(commune), HTTP_REFERER=f"http://testserver{page}")
    # Nothing saved; the person is sent to the login page, back to the form afterwards.
    assert not Entry.objects.exists()
    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN}?next=")
    follow = client.get(response["Location"])
    assert "Nội dung bạn nhập đã được giữ lại" in follow.content.decode()
    # Kept server-side, in the new session: not the CSRF token, not the button pressed.
    kept = client.session[SESSION_RESCUE_KEY]
    assert kept["owner"] == str(officer.pk)
    assert kept["data"]["content_method"] == [LONG_TEXT]
    assert "csrfmiddlewaretoken" not in kept["data"]
    assert "action" not in kept["data"]

    login = client.post(
        LOGIN, {"username": "xa-canbo", "password": PASSWORD, "next": follow.context["next"]}
    )
    assert login.status_code == 302
    assert login["Location"] == page  # a GET of the form's page, never a replay of the post
    restored = client.get(login["Location"])
    assert restored.status_code == 200
    html = restored.content.decode()
    assert "Phiên làm việc đã hết hạn; nội dung bạn nhập đã được giữ lại" in html
    form = restored.context["form"]
    assert not form.is_bound
    assert form.initial["content_method"] == LONG_TEXT
    assert form.initial["name"] == "Đường điện sáng thôn Đồng Tâm"
    assert "Vận động 120 hộ dân góp ngày công" in html
    assert not Entry.objects.exists()  # the person submits again

    # Given back once: the next visit shows an empty form.
    again = client.get(page)
    assert "content_method" not in again.context["form"].initial
    assert SESSION_RESCUE_KEY not in client.session

    # Sent again, it is saved as usual.
    data = entry_form(commune)
    assert client.post(CREATE, data).status_code == 302
    assert Entry.objects.get().content_method.startswith("Vận động 120 hộ")


def test_another_officer_signing_in_on_that_computer_never_sees_the_text(
    officer: User, commune: Unit
) -> None:
    other = make_user("xa-canbo-2", "officer", commune)
    other.set_password(PASSWORD)
    other.save()
    client = signed_in(officer)
    expire(client)
    client.post(CREATE, entry_form(commune))
    login = client.post(LOGIN, {"username": "xa-canbo-2", "password": PASSWORD, "next": CREATE})
    assert login.status_code == 302
    page = client.get(CREATE)
    assert "content_method" not in page.context["form"].initial
    assert LONG_TEXT[:40] not in page.content.decode()
    assert SESSION_RESCUE_KEY not in client.session


def test_secrets_files_and_identity_fields_are_never_kept(officer: User, commune: Unit) -> None:
    client = signed_in(officer)
    expire(client)
    client.post(
        CREATE,
        {
            **entry_form(commune),
            "password": "bi-mat",
            "new_password1": "bi-mat",
            "token": "123456",
            "full_name": "Người tố cáo",
            "id_number": "001099012345",
            "phone": "0912345678",
            "version": "3",
        },
    )
    kept = client.session[SESSION_RESCUE_KEY]["data"]
    assert kept.keys().isdisjoint(
        {"password", "new_password1", "token", "full_name", "id_number", "phone", "version"}
    )
    assert "name" in kept


def test_nothing_is_kept_without_an_expired_session(commune: Unit) -> None:
    # A person who logged out (the row is gone) or never signed in: the login page as usual.
    client = Client()
    response = client.post(CREATE, entry_form(commune))
    assert response.status_code == 302
    assert SESSION_RESCUE_KEY not in client.session
    assert "giữ lại" not in " ".join(texts(response))


def test_a_post_too_large_to_keep_is_not_kept(officer: User, commune: Unit) -> None:
    client = signed_in(officer)
    expire(client)
    response = client.post(CREATE, {**entry_form(commune), "content_method": "x" * 300_000})
    assert response.status_code == 302
    assert SESSION_RESCUE_KEY not in client.session


def test_the_citizens_portal_is_never_kept(officer: User) -> None:
    client = signed_in(officer)
    expire(client)
    client.post(reverse("portal:submit"), {"content": "Phản ánh", "full_name": "A"})
    assert SESSION_RESCUE_KEY not in client.session


def test_a_kept_form_waits_through_another_page_first(officer: User, commune: Unit) -> None:
    client = signed_in(officer)
    expire(client)
    page = f"{CREATE}?unit={commune.code}"
    client.post(CREATE, entry_form(commune), HTTP_REFERER=f"http://testserver{page}")
    login_verified(client, officer)  # keeps the session's data, as the login page does
    assert client.session[SESSION_KEY] == str(officer.pk)
    client.get(reverse("accounts:profile"))
    assert SESSION_RESCUE_KEY in client.session
    assert client.get(page).context["form"].initial["content_method"] == LONG_TEXT


def test_a_stale_csrf_token_after_signing_in_again_keeps_the_form(
    officer: User, commune: Unit
) -> None:
    """The session expired; the person signed in again in another tab (a new CSRF token);
    the form of the old tab is sent with the old token."""
    client = signed_in(officer, enforce_csrf_checks=True)
    page = f"{CREATE}?unit={commune.code}"
    client.get(page)
    old_token = client.cookies["csrftoken"].value
    client.cookies["csrftoken"] = "A" * 32  # the token that signing in again set
    response = client.post(
        CREATE,
        {**entry_form(commune), "csrfmiddlewaretoken": old_token},
        HTTP_REFERER=f"http://testserver{page}",
    )
    assert response.status_code == 302
    assert response["Location"] == page
    restored = client.get(page)
    assert restored.context["form"].initial["content_method"] == LONG_TEXT
    assert not Entry.objects.exists()


def test_a_csrf_failure_from_elsewhere_is_not_kept(officer: User, commune: Unit) -> None:
    client = signed_in(officer, enforce_csrf_checks=True)
    client.get(CREATE)
    client.cookies["csrftoken"] = "A" * 32
    response = client.post(
        CREATE,
        {**entry_form(commune), "csrfmiddlewaretoken": "B" * 32},
        HTTP_REFERER="https://example.org/form",
    )
    assert response.status_code == 403
    assert SESSION_RESCUE_KEY not in client.session


def test_an_administrators_kept_form_waits_for_the_second_factor(commune: Unit) -> None:
    admin = make_user("xa-quantri", "unit_admin", commune)
    client = signed_in(admin)
    page = f"{CREATE}?unit={commune.code}"
    expire(client)
    client.post(CREATE, entry_form(commune), HTTP_REFERER=f"http://testserver{page}")
    client.force_login(admin)  # the password only: the second factor is still to pass
    first = client.get(page)
    assert first.status_code == 302
    assert reverse("accounts:two_factor") in first["Location"]
    assert SESSION_RESCUE_KEY in client.session
    login_verified(client, admin)
    assert client.get(page).context["form"].initial["content_method"] == LONG_TEXT


def test_picked_units_and_a_box_the_view_reads_come_back(officer: User, commune: Unit) -> None:
    """The unit picker posts the typed text and the picked code (``unit_pick``); the entry
    form's view reads "confirm_duplicate" itself. The form still gets its values back."""
    client = signed_in(officer)
    expire(client)
    sibling = Unit.objects.filter(parent=commune.parent).exclude(pk=commune.pk).first()
    assert sibling is not None
    data = {
        **entry_form(commune),
        "unit": f"{commune.name} ({commune.code})",
        "unit_pick": commune.code,
        "co_units": "",
        "co_units_pick": [sibling.code],
        "confirm_duplicate": "on",
    }
    client.post(CREATE, data, HTTP_REFERER=f"http://testserver{CREATE}")
    login_verified(client, officer)
    form = client.get(CREATE).context["form"]
    assert form.initial["unit"] == commune.code
    assert form.initial["co_units"] == [sibling.code]
    assert form.initial["content_method"] == LONG_TEXT


def test_a_post_of_another_form_on_the_page_is_not_poured_into_this_one(
    officer: User, commune: Unit
) -> None:
    client = signed_in(officer)
    expire(client)
    client.post(
        CREATE,
        {"name": "Tên", "to_unit_code": "04489", "reason": "Chuyển"},
        HTTP_REFERER=f"http://testserver{CREATE}",
    )
    login_verified(client, officer)
    assert "name" not in client.get(CREATE).context["form"].initial


def test_the_post_is_kept_after_a_request_dropped_the_expired_session_cookie(
    officer: User, commune: Unit
) -> None:
    """Django deletes the cookie of an expired session on the next request that finds it
    empty (another tab's htmx request, the warning's keep-alive): the post after it is
    still kept for its owner."""
    client = signed_in(officer)
    expire(client)
    response = client.post(KEEP_ALIVE)
    assert response.status_code == 401
    assert response.cookies["sessionid"].value == ""  # the browser forgets the session
    client.post(CREATE, entry_form(commune))
    assert client.session[SESSION_RESCUE_KEY]["owner"] == str(officer.pk)


def test_the_owner_cookie_cannot_be_forged(officer: User, commune: Unit) -> None:
    client = signed_in(officer)
    expire(client)
    client.cookies["danvan_user"] = "1"  # unsigned: ignored
    client.post(CREATE, entry_form(commune))
    assert SESSION_RESCUE_KEY not in client.session
