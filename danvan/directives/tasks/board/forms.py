"""The board's unit and period (GET): a year, a half, a quarter, or any dd/mm/yyyy range."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.accounts.policies import Perm
from danvan.core.forms import BootstrapMixin, DateField
from danvan.units import picker

# (code, label, first month, last month) of the periods a report covers.
SPANS: tuple[tuple[str, Any, int, int], ...] = (
    ("year", _("Cả năm"), 1, 12),
    ("h1", _("6 tháng đầu năm"), 1, 6),
    ("h2", _("6 tháng cuối năm"), 7, 12),
    ("q1", _("Quý I"), 1, 3),
    ("q2", _("Quý II"), 4, 6),
    ("q3", _("Quý III"), 7, 9),
    ("q4", _("Quý IV"), 10, 12),
)
CUSTOM = "custom"
MIN_YEAR, MAX_YEAR = 2000, 2100


def span_dates(code: str, year: int) -> tuple[dt.date, dt.date]:
    """The first and last day of the span *code* of *year*."""
    first, last = next((f, t) for c, _label, f, t in SPANS if c == code)
    end = dt.date(year + 1, 1, 1) if last == 12 else dt.date(year, last + 1, 1)
    return dt.date(year, first, 1), end - dt.timedelta(days=1)


class BoardForm(BootstrapMixin, forms.Form):
    unit = picker.UnitField(
        purpose=Perm.DIRECTIVE_VIEW,
        label=_("Đơn vị"),
        required=False,
        help_text=_("Gồm cả các đơn vị trực thuộc. Gõ tên (không cần dấu) hoặc mã."),
    )
    period = forms.ChoiceField(
        label=_("Kỳ"),
        required=False,
        choices=[*((c, label) for c, label, _f, _t in SPANS), (CUSTOM, _("Khoảng ngày tùy chọn"))],
    )
    year = forms.IntegerField(
        label=_("Năm"),
        required=False,
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        error_messages={
            "min_value": _("Năm phải từ %(limit_value)s trở đi."),
            "max_value": _("Năm không được sau %(limit_value)s."),
            "invalid": _("Năm phải là một số, ví dụ 2026."),
        },
    )

    def __init__(self, *args: Any, actor: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        picker.bind(self, actor)
        # The query string says ?from=&to= (names Python keeps for itself).
        self.fields["from"] = DateField(
            label=_("Từ ngày"), required=False, help_text=_("Khi chọn khoảng ngày tùy chọn.")
        )
        self.fields["to"] = DateField(label=_("Đến ngày"), required=False)
        self.style_widgets()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("from"), data.get("to")
        code = data.get("period") or (CUSTOM if start or end else "year")
        data["period"] = code
        if code == CUSTOM:
            if not start:
                self.add_error("from", _("Nhập ngày đầu của khoảng ngày (dd/mm/yyyy)."))
            if not end:
                self.add_error("to", _("Nhập ngày cuối của khoảng ngày (dd/mm/yyyy)."))
            if start and end and end < start:
                self.add_error("to", _("Ngày kết thúc không được trước ngày bắt đầu."))
        else:
            year = data.get("year") or self.today.year
            data["year"] = year
            data["from"], data["to"] = span_dates(code, year)
        return data
