"""How API clients prove who they are: a bearer token, or the browser's session.

Tokens are for programs (created and revoked by the user, stored hashed; see
accounts.services). The session is accepted so a logged-in user can try the API from
the interactive docs page. Every endpoint here reads; an unsafe method would get
ninja's CSRF check through the session auth.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer, SessionAuth

from danvan.accounts import policies
from danvan.accounts.models import User
from danvan.accounts.services import token_authenticate


class TokenAuth(HttpBearer):
    """``Authorization: Bearer dv_…``; malformed, unknown or revoked tokens get None (401)."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = token_authenticate(token.strip())
        if user is not None:
            # Code below the API (audit, policies) reads the actor from request.user.
            request.user = user
        return user


class VerifiedSessionAuth(SessionAuth):
    """Django's session, with the same two-factor rule as the web pages.

    The two-factor middleware lets every /api/ path through (tokens carry no
    session), so an administrator's session that has not passed TOTP must not
    open the API either.
    """

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is None:
            return None
        # OTPMiddleware adds is_verified() to request.user; without it, nothing is verified.
        is_verified = getattr(user, "is_verified", None)
        if policies.has_admin_role(user) and not (is_verified is not None and is_verified()):
            return None
        return user


# Order matters: a request with a valid token never touches the session.
token_auth = TokenAuth()
session_auth: APIKeyCookie = VerifiedSessionAuth()
API_AUTH = [token_auth, session_auth]


def request_actor(request: HttpRequest) -> User:
    """The authenticated user of an API request (set by ninja from the auth that passed)."""
    actor = getattr(request, "auth", None)
    if not isinstance(actor, User):
        # Unreachable behind API_AUTH; a guard so a public endpoint cannot misuse it.
        raise RuntimeError("request_actor() called on an unauthenticated request")
    return actor
