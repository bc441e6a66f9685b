"""The household's online vote on the portal: its one-time code and its choice."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import BootstrapMixin
from danvan.democracy.models import HouseholdBallot

from ..forms import Radios


class OneTimeCodeInput(forms.TextInput):
    """Never hands the code back: after a refusal the household types it again."""

    def format_value(self, value: Any) -> str | None:
        return None


class VoteCastForm(BootstrapMixin, forms.Form):
    code = forms.CharField(
        label=_("Mã biểu quyết của hộ"),
        max_length=20,
        help_text=_(
            "10 ký tự trên phiếu thôn, tổ dân phố phát cho hộ, ví dụ ABCDE-FGHJK "
            "(không phân biệt hoa thường). Mỗi hộ chỉ biểu quyết một lần."
        ),
        widget=OneTimeCodeInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        error_messages={"required": _("Nhập mã biểu quyết ghi trên phiếu của hộ.")},
    )
    choice = forms.ChoiceField(
        label=_("Ý kiến của hộ"),
        choices=HouseholdBallot.Choice.choices,
        widget=Radios,
        error_messages={"required": _("Chọn Đồng ý hoặc Không đồng ý.")},
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split())
