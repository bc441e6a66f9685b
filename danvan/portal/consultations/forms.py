"""The citizens' comment form on a draft open for consultation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import BootstrapMixin

from ..antiabuse import AntiAbuseMixin


class CommentForm(AntiAbuseMixin, BootstrapMixin, forms.Form):
    """A citizen's comment; AntiAbuseMixin adds the honeypot and the signed timestamp
    (no third-party CAPTCHA), whose refusals keep what was typed."""

    text = forms.CharField(
        label=_("Ý kiến của bạn"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Ý kiến được đăng công khai sau khi cán bộ kiểm duyệt."),
    )
    commenter_name = forms.CharField(
        label=_("Họ và tên (không bắt buộc)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact = forms.CharField(
        label=_("Số điện thoại hoặc thư điện tử (không bắt buộc)"),
        max_length=300,
        required=False,
        help_text=_("Chỉ cán bộ phụ trách biết, để liên hệ khi cần; không bao giờ công khai."),
    )
    show_name = forms.BooleanField(
        label=_("Hiện tên tôi cùng ý kiến trên cổng thông tin"),
        required=False,
    )
    consent = forms.BooleanField(
        label=_(
            "Tôi đồng ý để cơ quan nhà nước xử lý họ tên và thông tin liên hệ tôi cung cấp, "
            "chỉ nhằm tiếp nhận và trả lời ý kiến này, theo Luật Bảo vệ dữ liệu cá nhân số "
            "91/2025/QH15."
        ),
        required=False,
        help_text=_("Chỉ cần khi bạn ghi họ tên hoặc thông tin liên hệ."),
    )

    def clean_commenter_name(self) -> str:
        return " ".join(self.cleaned_data["commenter_name"].split())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        personal = bool(data.get("commenter_name") or (data.get("contact") or "").strip())
        if personal and not data.get("consent"):
            self.add_error(
                "consent",
                _("Cần đồng ý xử lý dữ liệu cá nhân, hoặc để trống họ tên và thông tin liên hệ."),
            )
        if data.get("show_name") and not data.get("commenter_name"):
            self.add_error("commenter_name", _("Cần ghi họ tên để hiện tên cùng ý kiến."))
        return data
