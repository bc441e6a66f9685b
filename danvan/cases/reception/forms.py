"""Forms of the reception pages. They parse input only; the rules live in the reception
services, whose lock-free checks run in the same pass (docs/validation.md) and whose
refusals come back beside the field."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.accounts.policies import Perm
from danvan.core.forms import BootstrapMixin, DateField, MonthField
from danvan.core.validation import TEXT_LIMIT
from danvan.legal.models import Duty
from danvan.units import picker
from danvan.units.models import Official, Unit

from ..models import ReceptionSchedule
from . import services
from .selectors import today, unit_officials

if TYPE_CHECKING:  # django-stubs-ext is a development dependency
    from django_stubs_ext import StrOrPromise

WEEKDAYS: list[tuple[str, StrOrPromise]] = [
    ("0", _("Thứ Hai")),
    ("1", _("Thứ Ba")),
    ("2", _("Thứ Tư")),
    ("3", _("Thứ Năm")),
    ("4", _("Thứ Sáu")),
    ("5", _("Thứ Bảy")),
    ("6", _("Chủ nhật")),
]


class MonthForm(BootstrapMixin, forms.Form):
    """Which unit and month a page shows (GET); the month defaults to the current one."""

    unit = picker.UnitField(
        purpose=Perm.UNIT_VIEW,
        label=_("Đơn vị"),
        required=False,
        help_text=_("Gồm cả các đơn vị trực thuộc. Gõ tên (không cần dấu) hoặc mã."),
    )
    month = MonthField(label=_("Tháng"), required=False, help_text=_("Ví dụ 03/2026."))

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        picker.bind(self, actor)


# --- schedules and sessions --------------------------------------------------------------


class ScheduleForm(BootstrapMixin, forms.Form):
    leader = forms.ModelChoiceField(
        label=_("Người tiếp"), queryset=Official.objects.none(), empty_label=_("— Chọn cán bộ —")
    )
    duty = forms.ChoiceField(
        label=_("Nghĩa vụ tiếp công dân theo luật"),
        required=False,
        help_text=_(
            "Chủ tịch UBND cấp xã, cấp tỉnh có số ngày tiếp tối thiểu; hệ thống cảnh báo khi "
            "chưa đủ. Để trống với người tiếp khác."
        ),
    )
    pattern = forms.ChoiceField(label=_("Định kỳ"), choices=ReceptionSchedule.Pattern.choices)
    weekday = forms.ChoiceField(
        label=_("Ngày trong tuần (lịch hằng tuần)"),
        required=False,
        choices=[("", _("— Chọn ngày —")), *WEEKDAYS],
    )
    month_day = forms.IntegerField(
        label=_("Ngày trong tháng (lịch hằng tháng)"),
        required=False,
        min_value=1,
        max_value=28,
        help_text=_("Từ 1 đến 28, để tháng nào cũng có."),
    )
    place = forms.CharField(label=_("Địa điểm"), max_length=200)
    valid_from = DateField(label=_("Áp dụng từ ngày"))
    valid_to = DateField(label=_("Đến ngày"), required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.fields["leader"].queryset = unit_officials(unit)  # type: ignore[attr-defined]
        duties = [d for d, kind in services.DUTY_UNIT_KIND.items() if kind == unit.kind]
        self.fields["duty"].choices = [  # type: ignore[attr-defined]
            ("", _("Không có số ngày tối thiểu")),
            *[(d, Duty(d).label) for d in duties],
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        pattern = data.get("pattern")
        if pattern == ReceptionSchedule.Pattern.WEEKLY:
            if not data.get("weekday"):
                self.add_error(
                    "weekday",
                    _("Lịch hằng tuần cần một ngày tiếp: chọn từ thứ Hai đến Chủ nhật."),
                )
            else:
                data["day"] = int(data["weekday"])
        elif pattern == ReceptionSchedule.Pattern.MONTHLY:
            if data.get("month_day") is None:
                if "month_day" not in self.errors:
                    self.add_error(
                        "month_day",
                        _("Lịch hằng tháng cần một ngày tiếp: nhập từ 1 đến 28."),
                    )
            else:
                data["day"] = data["month_day"]
        return data

    def service_checks(self, data: dict[str, Any]) -> None:
        # The form's "day" (from weekday or month_day) is already in data, under the
        # service's keyword name.
        services.schedule_checks(data, unit=self.unit)

    def arguments(self) -> dict[str, Any]:
        """Keyword arguments for services.schedule_create."""
        data = self.cleaned_data
        return {
            "leader": data["leader"],
            "duty": data.get("duty") or "",
            "pattern": data["pattern"],
            "day": data["day"],
            "place": data["place"],
            "valid_from": data["valid_from"],
            "valid_to": data.get("valid_to"),
            "note": data.get("note") or "",
        }


class ScheduleEndForm(BootstrapMixin, forms.Form):
    valid_to = DateField(
        label=_("Ngày áp dụng cuối cùng"),
        help_text=_(
            "Lịch vẫn được lưu trong lịch sử, không hiện trên cổng thông tin sau ngày này."
        ),
    )

    def __init__(self, *args: Any, schedule: ReceptionSchedule, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.schedule = schedule

    def service_checks(self, data: dict[str, Any]) -> None:
        services.schedule_end_checks(data, schedule=self.schedule)


class SessionForm(BootstrapMixin, forms.Form):
    leader = forms.ModelChoiceField(
        label=_("Người chủ trì tiếp"),
        queryset=Official.objects.none(),
        empty_label=_("— Chọn cán bộ —"),
    )
    held_on = DateField(label=_("Ngày tiếp"))
    schedule = forms.ModelChoiceField(
        label=_("Theo lịch tiếp"),
        required=False,
        queryset=ReceptionSchedule.objects.none(),
        empty_label=_("— Buổi tiếp đột xuất, ngoài lịch —"),
    )
    place = forms.CharField(label=_("Địa điểm"), max_length=200)
    citizens_count = forms.IntegerField(label=_("Số lượt công dân được tiếp"), min_value=0)
    citizens = forms.CharField(
        label=_("Công dân được tiếp"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("Dữ liệu cá nhân: chỉ cán bộ được xem, không đưa lên cổng thông tin."),
    )
    content = forms.CharField(
        label=_("Nội dung công dân trình bày, kết quả tiếp"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea({"rows": 5}),
    )

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.fields["leader"].queryset = unit_officials(unit)  # type: ignore[attr-defined]
        self.fields["schedule"].queryset = (  # type: ignore[attr-defined]
            ReceptionSchedule.objects.filter(unit=unit)
            .select_related("leader")
            .order_by("leader__full_name", "-valid_from")
        )

    def service_checks(self, data: dict[str, Any]) -> None:
        services.session_checks(data, unit=self.unit)


def today_initial(name: str) -> dict[str, dt.date]:
    return {name: today()}
