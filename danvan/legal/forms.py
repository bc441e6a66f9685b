from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import BootstrapMixin, DateField

from .models import Action, CalendarException, CaseKind, DayKind, Duty, Measure


class RuleVersionForm(BootstrapMixin, forms.Form):
    case_kind = forms.ChoiceField(label=_("Loại vụ việc"), choices=CaseKind.choices)
    action = forms.ChoiceField(label=_("Việc phải làm"), choices=Action.choices)
    round = forms.IntegerField(
        label=_("Lần (khiếu nại)"), min_value=0, max_value=2, initial=0,
        help_text=_("1 hoặc 2 với khiếu nại lần đầu, lần hai; 0 với loại khác."),
    )  # fmt: skip
    complex = forms.BooleanField(label=_("Vụ việc phức tạp"), required=False)
    remote = forms.BooleanField(label=_("Vùng sâu, vùng xa"), required=False)
    days = forms.IntegerField(label=_("Số ngày"), min_value=1, max_value=3650)
    day_kind = forms.ChoiceField(label=_("Cách tính ngày"), choices=DayKind.choices)
    max_extensions = forms.IntegerField(
        label=_("Số lần gia hạn tối đa"), min_value=0, max_value=5, initial=0
    )
    roll_to_working_day = forms.BooleanField(
        label=_("Lùi sang ngày làm việc kế tiếp nếu rơi vào ngày nghỉ"),
        required=False,
        initial=True,
    )
    citation = forms.CharField(label=_("Căn cứ pháp lý"), max_length=300)
    valid_from = DateField(label=_("Hiệu lực từ ngày"))
    to_verify = forms.BooleanField(label=_("Cần đối chiếu văn bản chính thức"), required=False)
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea({"rows": 2}))


class CalendarExceptionForm(BootstrapMixin, forms.Form):
    date = DateField(label=_("Ngày"))
    kind = forms.ChoiceField(label=_("Loại"), choices=CalendarException.Kind.choices)
    reason = forms.CharField(label=_("Lý do, căn cứ"), max_length=300)


class DutyVersionForm(BootstrapMixin, forms.Form):
    """A new version of a recurring duty's figure (field names are the service's)."""

    duty = forms.ChoiceField(label=_("Nghĩa vụ"), choices=Duty.choices)
    amount = forms.IntegerField(label=_("Số ngày"), min_value=1, max_value=365)
    measure = forms.ChoiceField(label=_("Cách tính"), choices=Measure.choices)
    citation = forms.CharField(label=_("Căn cứ pháp lý"), max_length=300)
    valid_from = DateField(label=_("Hiệu lực từ ngày"))
    to_verify = forms.BooleanField(label=_("Cần đối chiếu văn bản chính thức"), required=False)
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea({"rows": 2}))
