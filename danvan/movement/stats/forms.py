"""The statistics page's filters. They parse input only; stats.selectors does the counting."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.accounts.policies import Perm
from danvan.core.forms import BootstrapMixin
from danvan.units import picker

from ..models import Period


class StatsFilterForm(BootstrapMixin, forms.Form):
    # Ended units too: a merged unit's history stays readable (restated or not).
    unit = picker.UnitField(
        purpose=Perm.MOVEMENT_VIEW,
        history=True,
        label=_("Đơn vị"),
        required=False,
        help_text=_(
            "Gồm cả các đơn vị trực thuộc. Gõ tên (không cần dấu) hoặc mã; để trống: đơn vị"
            " cao nhất bạn được xem."
        ),
    )
    year = forms.IntegerField(
        label=_("Năm đăng ký"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("Để trống cả năm và giai đoạn: năm gần nhất có số liệu."),
    )
    period = forms.ModelChoiceField(
        label=_("Hoặc giai đoạn"),
        required=False,
        queryset=Period.objects.all(),
        empty_label=_("—"),
    )
    restated = forms.BooleanField(
        label=_("Tính cả đơn vị cũ đã sáp nhập vào đơn vị này (số liệu quy đổi)"),
        required=False,
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        picker.bind(self, actor)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("year") and data.get("period"):
            self.add_error("period", _("Chọn năm hoặc giai đoạn, không chọn cả hai."))
        return data

    def values(self) -> dict[str, Any]:
        """unit code, year, period and restated, from valid data (defaults when unbound)."""
        data = self.cleaned_data if self.is_bound else {}
        return {
            "code": data["unit"].code if data.get("unit") else "",
            "year": data.get("year"),
            "period": data.get("period"),
            "restated": bool(data.get("restated")),
        }
