"""The reader's feedback form on an article.

Its anti-abuse check is the portal's shared one (danvan.portal.antiabuse: a honeypot and a
signed timestamp, no third-party service): a refusal stores nothing, keeps what the
reader typed and gives the page a fresh token.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import BootstrapMixin
from danvan.news import services
from danvan.portal.antiabuse import AntiAbuseMixin


class FeedbackForm(AntiAbuseMixin, BootstrapMixin, forms.Form):
    name = forms.CharField(
        label=_("Tên của bạn (không bắt buộc)"),
        max_length=services.FEEDBACK_NAME_MAX,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
        help_text=_("Tên hiện cùng ý kiến khi được đăng. Không ghi số điện thoại, địa chỉ."),
    )
    text = forms.CharField(
        label=_("Ý kiến của bạn"),
        max_length=services.FEEDBACK_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ý kiến được đăng sau khi ban biên tập kiểm duyệt."),
    )
