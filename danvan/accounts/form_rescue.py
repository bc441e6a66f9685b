"""Keeping what an officer typed when the session expired before the form was sent.

Sessions end after ``SESSION_IDLE_SECONDS`` without a request (settings). A long form
(a case's content, an initiative's description) typed over more than that is posted by
an anonymous request: ``login_required`` answers with a redirect to the login page and
the text would be lost. Instead:

1. ``FormRescueMiddleware`` sees that redirect, keeps the posted fields in the new
   (anonymous) session, server-side, bound to the user whose session expired (named by
   a signed cookie, see OWNER_COOKIE), and sends
   the person to the login page with a message saying the entries are kept;
2. logging in keeps the session's data (Django cycles the key, it does not flush it),
   and the login page returns to the page that held the form (a GET, never a replay of
   the stale POST);
3. on that GET the middleware hands the fields to the page's forms:
   ``apply_rescued(form)`` (called by core.forms.BootstrapMixin, so every officer form)
   puts them in the form's ``initial``. The person checks them and submits again.

A CSRF failure caused by the same expiry (the person signed in again in another tab,
which changed the CSRF token) takes the same path through ``rescue_after_csrf_failure``.

Never kept: files, passwords and secrets, the CSRF token, and personal data (a
denouncer's identity is stored only encrypted, apart from the case: Law on
Denunciations 2018, art. 8; cases/identity.py), nor anything posted to the citizens'
portal, the API or the account pages.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import resolve_url
from django.utils.datastructures import MultiValueDict
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

SESSION_RESCUE_KEY = "danvan.form_rescue"

# Paths whose posts are never kept: the citizens' portal and Open311 (anonymous by
# design, and where denunciations are sent), the API (tokens, no session), and the
# account pages (passwords, two-factor codes).
_NEVER_PATHS = ("/cong-dan/", "/open311/", "/api/", "/tai-khoan/", "/static/")

# Fields never copied: the CSRF token (the new session has its own), the optimistic-lock
# version (the form shows the record's current one, so a stale edit is still caught),
# where to go next, and personal data. The identity fields are those of the case intake
# form (cases.forms.ReceiveForm); other forms' names, phones and addresses are short and
# are typed again rather than copied to the session table in clear.
_NEVER_FIELDS = frozenset(
    {
        "csrfmiddlewaretoken",
        "version",
        "next",
        # The submit button pressed ("save" or "register"): the person chooses again.
        "action",
        "full_name",
        "address",
        "id_number",
        "phone",
        "email",
        "contact",
        "commenter_name",
    }
)
_SECRET_PARTS = ("password", "passwd", "secret", "token", "otp", "key")

# Bounds: a session row stays small whatever is posted.
MAX_FIELDS = 200
MAX_TOTAL_CHARS = 200_000

_rescued: ContextVar[dict[str, list[str]] | None] = ContextVar("form_rescued", default=None)


def _kept_fields(request: HttpRequest) -> dict[str, list[str]] | None:
    """The posted fields worth keeping, or None when there are too many to keep."""
    data: dict[str, list[str]] = {}
    total = 0
    for name, values in request.POST.lists():
        lowered = name.lower()
        if lowered in _NEVER_FIELDS or any(part in lowered for part in _SECRET_PARTS):
            continue
        if lowered.rsplit("-", 1)[-1] in _NEVER_FIELDS:  # a prefixed form's field
            continue
        total += len(name) + sum(len(v) for v in values)
        data[name] = list(values)
    if len(data) > MAX_FIELDS or total > MAX_TOTAL_CHARS:
        return None
    return data


# A signed cookie naming the signed-in user, set beside the session cookie and like it
# dropped when the browser closes. It outlives the session on purpose: Django deletes an
# expired session's cookie on the next request that finds the session empty (a tab's
# htmx request, the warning's keep-alive), and the row with it may be gone; this cookie
# still says whose text a post after expiry is. It only binds a kept post to that user
# (restored for nobody else); signed, so it cannot be made to name another user.
OWNER_COOKIE = "danvan_user"
_OWNER_SALT = "danvan.accounts.form_rescue.owner"


def _expired_owner(request: HttpRequest) -> str | None:
    """The user who was signed in in this browser before the session expired, or None
    (never signed in since the browser opened: nothing is kept)."""
    return request.get_signed_cookie(OWNER_COOKIE, default=None, salt=_OWNER_SALT)


def _remember_owner(request: HttpRequest, response: HttpResponse) -> None:
    user = request.user
    if _expired_owner(request) != str(user.pk):
        response.set_signed_cookie(
            OWNER_COOKIE,
            str(user.pk),
            salt=_OWNER_SALT,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )


def _form_page(request: HttpRequest) -> str:
    """The page that showed the form: the referring page on this site (a POST-only
    action's URL would answer 405 to a GET), else the URL posted to."""
    referer = request.headers.get("referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        from urllib.parse import urlsplit

        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.get_full_path()


def _stash(request: HttpRequest, owner: str) -> str | None:
    """Keep the post in the session; the page to return to, or None if nothing kept."""
    if request.path.startswith(_NEVER_PATHS):
        return None
    data = _kept_fields(request)
    if not data:
        return None
    page = _form_page(request)
    if page.startswith(_NEVER_PATHS):
        return None
    request.session[SESSION_RESCUE_KEY] = {
        "owner": owner,
        "page": page.split("?", 1)[0],
        "data": data,
        "at": time.time(),
    }
    return page


def _is_login_redirect(response: HttpResponse) -> bool:
    if response.status_code != 302:
        return False
    login = resolve_url(settings.LOGIN_URL)
    return str(response.get("Location", "")).split("?", 1)[0] == login


def _restore(request: HttpRequest) -> dict[str, list[str]] | None:
    """On the signed-in GET of the form's page: the kept fields (once), else None."""
    stash = request.session.get(SESSION_RESCUE_KEY)
    if not stash:
        return None
    # Kept for one idle period at most: a text forgotten for longer is not brought back.
    too_old = time.time() - float(stash.get("at", 0)) > settings.SESSION_COOKIE_AGE
    if too_old or str(stash.get("owner")) != str(request.user.pk):
        del request.session[SESSION_RESCUE_KEY]
        return None
    if stash.get("page") != request.path:
        return None  # another page first (two-factor, the home page): keep waiting
    del request.session[SESSION_RESCUE_KEY]
    messages.warning(
        request,
        _("Phiên làm việc đã hết hạn; nội dung bạn nhập đã được giữ lại, hãy kiểm tra và gửi lại."),
    )
    data = stash.get("data")
    return data if isinstance(data, dict) else None


class FormRescueMiddleware:
    """Keep a post that met an expired session; give it back to the form's page after
    login (see the module's docstring). Placed after the two-factor middleware, so an
    administrator's kept text waits until the second factor is passed."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = None
        if request.method == "GET" and request.user.is_authenticated:
            data = _restore(request)
            if data:
                token = _rescued.set(data)
        try:
            response = self.get_response(request)
        finally:
            if token is not None:
                _rescued.reset(token)
        if request.user.is_authenticated:
            _remember_owner(request, response)
        elif (
            request.method == "POST"
            and not request.user.is_authenticated
            and _is_login_redirect(response)
        ):
            owner = _expired_owner(request)
            page = _stash(request, owner) if owner else None
            if page is not None:
                messages.info(
                    request,
                    _(
                        "Phiên làm việc đã hết hạn nên biểu mẫu chưa được gửi. Nội dung bạn"
                        " nhập đã được giữ lại: hãy đăng nhập lại để kiểm tra và gửi lại."
                    ),
                )
                return redirect_to_login(page)
        return response


def rescue_after_csrf_failure(request: HttpRequest, reason: str) -> HttpResponse | None:
    """For settings.CSRF_FAILURE_VIEW: a form whose CSRF token went stale because the
    person signed in again (after the session expired) takes the same path as an expired
    post. Only a token that is present but incorrect, on a post from this site (Django
    checked the Origin header before the token), qualifies; anything else returns None
    and the failure page is shown."""
    if request.method != "POST" or not reason.endswith("incorrect."):
        return None
    referer = request.headers.get("referer", "")
    if not referer or not url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    user = getattr(request, "user", None)
    owner = str(user.pk) if user is not None and user.is_authenticated else _expired_owner(request)
    page = _stash(request, owner) if owner else None
    if page is None:
        return None
    if user is not None and user.is_authenticated:
        return HttpResponseRedirect(page)
    messages.info(
        request,
        _(
            "Phiên làm việc đã hết hạn nên biểu mẫu chưa được gửi. Nội dung bạn nhập đã"
            " được giữ lại: hãy đăng nhập lại để kiểm tra và gửi lại."
        ),
    )
    return redirect_to_login(page)


def _reads(field: forms.Field, html_name: str, key: str) -> bool:
    """Whether *field*'s widget reads the posted *key*: its own name, or one of its parts
    (a MultiWidget's ``name_0``, the unit picker's ``name_pick``). A check box claims every
    key (Django cannot tell an unchecked box from a missing one): only its own name."""
    if key == html_name:
        return True
    if isinstance(field.widget, forms.CheckboxInput) or not key.startswith(f"{html_name}_"):
        return False
    return not field.widget.value_omitted_from_data({key: ""}, {}, html_name)


def _initial(field: forms.Field, html_name: str, data: QueryDict) -> Any:
    """The posted value as the widget reads it, usable as the field's initial value."""
    value = field.widget.value_from_datadict(data, MultiValueDict(), html_name)
    # The unit picker reads the typed text and the codes picked: the codes name the units
    # (its field takes codes as initial values); the text alone when nothing was picked.
    picks = getattr(value, "picks", None)
    if picks:
        return list(picks) if getattr(field.widget, "multiple", False) else picks[-1]
    return getattr(value, "text", value)


def apply_rescued(form: forms.BaseForm) -> None:
    """Put the kept fields into *form*'s initial values, if they were posted by it.

    A page may show several forms (a case's action forms): the kept post belongs to the
    one whose fields read every kept key, or all but one when they read at least three
    (a view may read a key itself, such as the entry form's "confirm_duplicate" box).
    A bound form (the page's own POST) is left alone.
    """
    kept = _rescued.get()
    if not kept or form.is_bound:
        return
    html_names = {name: form.add_prefix(name) for name in form.fields}
    unread = [
        key
        for key in kept
        if not any(_reads(form.fields[n], html_names[n], key) for n in form.fields)
    ]
    if len(unread) > 1 or (unread and len(kept) - len(unread) < 3):
        return
    data = QueryDict(mutable=True)
    for key, values in kept.items():
        data.setlist(key, values)
    restored = {
        name: _initial(form.fields[name], html_name, data)
        for name, html_name in html_names.items()
        if any(_reads(form.fields[name], html_name, key) for key in kept)
    }
    form.initial = {**form.initial, **restored}
