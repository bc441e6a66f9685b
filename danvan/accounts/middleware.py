"""Administrators must pass a second factor (TOTP) before they reach anything else."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from . import policies

# Paths an administrator may reach before verifying: the two-factor pages
# themselves, logging out, static files, health checks and the token-authenticated API.
_EXEMPT_PREFIXES = ("/static/", "/healthz", "/api/")


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(_EXEMPT_PREFIXES)
            and request.path not in self._exempt_paths()
            and policies.has_admin_role(user)
        ):
            return redirect(f"{reverse('accounts:two_factor')}?next={request.get_full_path()}")
        return self.get_response(request)

    @staticmethod
    def _exempt_paths() -> set[str]:
        return {reverse("accounts:two_factor"), reverse("accounts:logout")}
