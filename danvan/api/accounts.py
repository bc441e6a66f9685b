"""The caller's own account over the API."""

from typing import Any

from django.http import HttpRequest
from ninja import Router

from danvan.accounts import policies

from .auth import request_actor
from .schemas import MeOut

router = Router(tags=["Tài khoản"])


@router.get("/me", response=MeOut, summary="Tài khoản đang dùng và các vai trò được giao")
def me(request: HttpRequest) -> dict[str, Any]:
    user = request_actor(request)
    return {
        "username": user.username,
        "full_name": user.get_full_name(),
        "email": user.email,
        "grants": policies.grants_of(user),
    }
