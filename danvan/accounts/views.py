"""Web pages for the signed-in user: log in and out, passwords, two-factor, tokens, unit."""

from __future__ import annotations

import base64
from typing import Any

import django_otp
import qrcode
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.svg import SvgPathImage

from danvan.core.errors import DomainError
from danvan.units.picker import UnitSwitchForm

from . import policies, selectors, services
from .forms import (
    ApiTokenCreateForm,
    LoginForm,
    OtpForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)

# ---------------------------------------------------------------------------
# Logging in and out, passwords: Django's views with our forms and templates.


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django refuses GET), so a link or an image cannot log anyone out."""


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = PasswordResetForm
    subject_template_name = "accounts/email/password_reset_subject.txt"
    email_template_name = "accounts/email/password_reset.txt"
    html_email_template_name = "accounts/email/password_reset.html"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@never_cache
@require_POST
def keep_alive(request: HttpRequest) -> HttpResponse:
    """The "Tiếp tục làm việc" button of the idle-session warning (static/danvan/session.js).

    Any request renews the session (SESSION_SAVE_EVERY_REQUEST); this one does nothing
    else and answers 204. POST, so that it carries the CSRF token like a form. A session
    that already ended answers 401 rather than the login page: the script then says the
    session ended and offers to sign in again in a new tab.
    """
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    request.session.modified = True
    return HttpResponse(status=204)


# ---------------------------------------------------------------------------
# Helpers


def _safe_next(request: HttpRequest, candidate: str | None) -> str | None:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


def _next_or_home(request: HttpRequest) -> str:
    return _safe_next(request, request.POST.get("next") or request.GET.get("next")) or reverse(
        "dashboard:home"
    )


def _qr_data_uri(text: str) -> str:
    """A QR code as an SVG data URI, drawn on the server (no script, no external request)."""
    image = qrcode.make(text, image_factory=SvgPathImage, box_size=10)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode("ascii")


def _grouped_secret(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, easier to type into an app by hand."""
    secret = base64.b32encode(device.bin_key).decode("ascii")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


# ---------------------------------------------------------------------------
# Two-factor authentication (TOTP)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Enrol a TOTP device (first time) or verify a code from the enrolled one."""
    user = request.user
    next_url = _next_or_home(request)
    if user.is_verified():  # type: ignore[union-attr]
        return HttpResponseRedirect(next_url)
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    form = OtpForm(request.POST or None)
    context: dict[str, Any] = {"form": form, "next": next_url}

    if confirmed is not None:
        if request.method == "POST" and form.is_valid():
            allowed, _details = confirmed.verify_is_allowed()
            token = form.cleaned_data["token"].replace(" ", "")
            if not allowed:
                form.add_error(
                    "token", _("Bạn đã nhập sai nhiều lần. Vui lòng chờ ít giây rồi thử lại.")
                )
            elif django_otp.verify_token(user, confirmed.persistent_id, token) is not None:
                django_otp.login(request, confirmed)
                return HttpResponseRedirect(next_url)
            else:
                form.add_error("token", _("Mã xác thực không đúng hoặc đã hết hạn."))
        context["mode"] = "verify"
        return render(request, "accounts/two_factor.html", context)

    device = services.totp_device_start(actor=user)  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        try:
            services.totp_device_confirm(
                actor=user,  # type: ignore[arg-type]
                device=device,
                token=form.cleaned_data["token"],
            )
        except DomainError as error:
            form.add_error("token", error.message)
        else:
            django_otp.login(request, device)
            messages.success(request, _("Đã bật xác thực hai bước cho tài khoản của bạn."))
            return HttpResponseRedirect(next_url)
    context.update(
        mode="setup",
        qr_data_uri=_qr_data_uri(device.config_url),
        secret=_grouped_secret(device),
    )
    return render(request, "accounts/two_factor.html", context)


# ---------------------------------------------------------------------------
# Profile, API tokens, unit switcher


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/profile.html",
        {
            "grants": sorted(
                policies.grants_of(user), key=lambda g: (g.unit.path if g.unit else "", g.role)
            ),
            "two_factor_on": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
            "two_factor_verified": user.is_verified(),  # type: ignore[union-attr]
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """List the user's own tokens; creating one shows its secret on the next page, once."""
    form = ApiTokenCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = services.token_create(
                actor=request.user,  # type: ignore[arg-type]
                name=form.cleaned_data["name"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            # Rendered straight from the POST and never cached: the secret is
            # not stored anywhere, not even in the session, and cannot be shown again.
            return render(request, "accounts/token_created.html", {"token": token, "raw": raw})
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "tokens": selectors.tokens_of(request.user)},
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = selectors.tokens_of(request.user).filter(pk=pk).first()
    if token is None:
        raise Http404(_("Không tìm thấy mã truy cập."))
    services.token_revoke(actor=request.user, token=token)  # type: ignore[arg-type]
    messages.success(request, _("Đã thu hồi mã truy cập “%(name)s”.") % {"name": token.name})
    return redirect("accounts:tokens")


@login_required
@require_POST
def switch_unit(request: HttpRequest) -> HttpResponse:
    """Work in another unit the user may see, picked by code or by name (units.picker).

    An unknown or hidden unit is refused alike (400, with the message); a name that
    several units share comes back with the choice between them.
    """
    form = UnitSwitchForm(request.POST, actor=request.user)
    if not form.is_valid():
        form.auto_id = "id_%s"  # the top bar on the same page has a switcher of its own
        return render(
            request,
            "accounts/switch_unit.html",
            {"form": form, "next": request.POST.get("next", "")},
            status=400,
        )
    unit = form.cleaned_data["unit"]
    request.session[selectors.SESSION_UNIT_KEY] = unit.code
    target = _safe_next(request, request.POST.get("next")) or _safe_next(
        request, request.headers.get("referer")
    )
    return HttpResponseRedirect(target or reverse("dashboard:home"))
