"""Small helpers shared by the API tests."""

from __future__ import annotations

from typing import Any

from danvan.accounts.models import User
from danvan.accounts.services import token_create


def bearer(user: User) -> dict[str, str]:
    """Authorization headers with a fresh token of *user*."""
    return {"Authorization": f"Bearer {token_create(actor=user, name='test')[1]}"}


def assert_problem(response: Any, status: int, code: str) -> dict[str, Any]:
    """Assert *response* is an RFC 7807 problem with *status* and *code*; return its body."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"]
    assert body["title"]
    assert isinstance(body["detail"], str)
    # Vietnamese, not ninja's English defaults: every detail carries diacritics.
    assert any(ord(ch) > 127 for ch in body["detail"]), body["detail"]
    return body
