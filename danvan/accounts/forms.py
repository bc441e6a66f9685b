"""Forms for logging in, passwords, two-factor and API tokens (Vietnamese labels)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.db import transaction
from django.template import loader
from django.utils.translation import gettext_lazy as _

from . import services
from .tasks import send_email


class BootstrapMixin:
    """Give every widget the Bootstrap class that includes/form.html expects."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class LoginForm(BootstrapMixin, auth_forms.AuthenticationForm):
    """Django's form: it passes the request to authenticate(), which django-axes needs."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Tên đăng nhập")
        self.fields["password"].label = _("Mật khẩu")
        self.error_messages["invalid_login"] = _(
            "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa, chữ thường."
        )
        self.error_messages["inactive"] = _("Tài khoản này đã bị vô hiệu hóa.")


class PasswordChangeForm(BootstrapMixin, auth_forms.PasswordChangeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Mật khẩu hiện tại")
        self.fields["new_password1"].label = _("Mật khẩu mới")
        self.fields["new_password2"].label = _("Nhập lại mật khẩu mới")
        self.error_messages["password_incorrect"] = _("Mật khẩu hiện tại không đúng.")
        self.error_messages["password_mismatch"] = _("Hai lần nhập mật khẩu mới không khớp.")

    def save(self, commit: bool = True) -> Any:
        return services.user_set_password(
            actor=self.user, user=self.user, password=self.cleaned_data["new_password1"]
        )


class SetPasswordForm(BootstrapMixin, auth_forms.SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Mật khẩu mới")
        self.fields["new_password2"].label = _("Nhập lại mật khẩu mới")
        self.error_messages["password_mismatch"] = _("Hai lần nhập mật khẩu mới không khớp.")

    def save(self, commit: bool = True) -> Any:
        return services.user_set_password(
            actor=None, user=self.user, password=self.cleaned_data["new_password1"]
        )


class PasswordResetForm(BootstrapMixin, auth_forms.PasswordResetForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Địa chỉ thư điện tử")

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        """Render the message now (the context holds objects) and send it off the request.

        The task is queued only after the transaction commits, so no message
        leaves for a request that was rolled back.
        """
        # A header must be one line, whatever the template's trailing newline.
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        html = (
            loader.render_to_string(html_email_template_name, context)
            if html_email_template_name
            else ""
        )
        transaction.on_commit(
            partial(
                send_email.delay,
                subject=subject,
                body=body,
                to=[to_email],
                from_email=from_email,
                html=html,
            )
        )


class OtpForm(forms.Form):
    """The one-time code shown by the user's authenticator app."""

    token = forms.CharField(
        label=_("Mã xác thực 6 chữ số"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={
                "class": "form-control",
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9 ]*",
                "autofocus": True,
            }
        ),
        help_text=_("Mở ứng dụng xác thực trên điện thoại và nhập mã đang hiển thị."),
    )


class ApiTokenCreateForm(forms.Form):
    """Only a name is asked: the secret itself is generated by the service."""

    name = forms.CharField(
        label=_("Tên mã truy cập"),
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        help_text=_("Ví dụ: “Đồng bộ với phần mềm báo cáo của tỉnh”."),
    )
