"""A check against automated posting that needs no third-party service (no CAPTCHA: it
would send every citizen's visit to a foreign company and shut out screen-reader users).

Two signals, both invisible to a person:

- a **honeypot**: a text box hidden from sight and from assistive technology (inside a
  ``visually-hidden``, ``aria-hidden`` block, out of the tab order), labelled "để trống".
  A person never fills it; a bot that fills every box does.
- a **signed timestamp**: the moment the form was rendered, signed with the site's key
  (``django.core.signing``, its own salt). A post is refused when the token is missing or
  forged, when it comes sooner than MIN_SECONDS after rendering (no person reads and fills
  the form that fast), or later than MAX_AGE_SECONDS (a token harvested once is not
  replayed for ever).

Every refusal is a message in the form's error summary; the form comes back with what
the person typed and a FRESH token (the widget renders a new one each time), so they only
press "Gửi" again. `AntiAbuseMixin` puts both fields on any form: the feedback form, and
the news and consultation comment forms.
"""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.core import signing
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

SALT = "danvan.portal.antiabuse.rendered"
HONEYPOT_FIELD = "website"
TOKEN_FIELD = "form_token"  # noqa: S105 (a field name, not a secret)
MIN_SECONDS = 3
MAX_AGE_SECONDS = 24 * 60 * 60
# A token is small; anything longer is not one of ours (and is not worth unsigning).
_TOKEN_LIMIT = 200

HONEYPOT_FILLED = _(
    "Ô “để trống” (ẩn, dành để chặn máy tự động gửi) đã có nội dung nên chưa gửi được. "
    "Nếu trình duyệt tự điền, hãy tắt tự điền rồi bấm Gửi lại; nội dung bạn nhập vẫn còn."
)
TOKEN_BAD = _(
    "Biểu mẫu thiếu mã kiểm tra hoặc mã đã bị sửa nên chưa gửi được. "
    "Hãy bấm Gửi lại: nội dung bạn nhập vẫn còn."
)
TOKEN_TOO_FAST = _(
    "Biểu mẫu được gửi quá nhanh sau khi mở (dưới %(n)s giây) nên chưa được nhận. "
    "Hãy đọc lại nội dung rồi bấm Gửi lại."
)
TOKEN_EXPIRED = _(
    "Trang biểu mẫu đã mở quá 1 ngày nên cần xác nhận lại. "
    "Hãy bấm Gửi lại: nội dung bạn nhập vẫn còn."
)


def _now() -> float:
    return time.time()


def issue_token(*, rendered_at: float | None = None) -> str:
    """A signed token holding the moment the form was rendered (now, unless given)."""
    moment = _now() if rendered_at is None else rendered_at
    return signing.dumps({"t": int(moment)}, salt=SALT)


def token_problem(token: str | None, *, now: float | None = None) -> Any:
    """None when *token* is one of ours, old enough and not too old; else the message."""
    token = (token or "").strip()
    if not token or len(token) > _TOKEN_LIMIT:
        return TOKEN_BAD
    try:
        payload = signing.loads(token, salt=SALT)
        rendered = float(payload["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return TOKEN_BAD
    age = (_now() if now is None else now) - rendered
    if age < MIN_SECONDS:
        return TOKEN_TOO_FAST % {"n": MIN_SECONDS}
    if age > MAX_AGE_SECONDS:
        return TOKEN_EXPIRED
    return None


class TokenInput(forms.HiddenInput):
    """A hidden input that renders a fresh token every time, whatever was posted."""

    def format_value(self, value: Any) -> str:
        return issue_token()


class HoneypotInput(forms.TextInput):
    """The hidden text box, with its label, inside a block nobody sees or hears.

    ``is_hidden`` puts it among the form's hidden fields (includes/form.html renders
    them without a label row); it always renders empty.
    """

    is_hidden = True

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        attrs = {**(attrs or {}), "tabindex": "-1", "autocomplete": "off"}
        attrs.pop("class", None)
        box = super().render(name, "", attrs, renderer)
        return format_html(
            '<div class="visually-hidden" aria-hidden="true"><label for="{}">{}</label>{}</div>',
            attrs.get("id", ""),
            _("Để trống ô này"),
            box,
        )


class AntiAbuseMixin:
    """Add the honeypot and the signed timestamp to a form (put it first among the bases,
    before BootstrapMixin). Its errors go to the form's error summary."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            label=_("Để trống ô này"), required=False, max_length=200, widget=HoneypotInput
        )
        self.fields[TOKEN_FIELD] = forms.CharField(
            required=False, max_length=_TOKEN_LIMIT, widget=TokenInput
        )

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}  # type: ignore[misc]
        raw = getattr(self, "data", {})
        if str(raw.get(HONEYPOT_FIELD, "") or "").strip():
            self.add_error(None, HONEYPOT_FILLED)  # type: ignore[attr-defined]
        else:
            problem = token_problem(str(raw.get(TOKEN_FIELD, "") or ""))
            if problem is not None:
                self.add_error(None, problem)  # type: ignore[attr-defined]
        return data
