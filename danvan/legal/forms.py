from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import BootstrapMixin, DateField

from . import services
from .models import Action, CalendarException, CaseKind, DayKind, DocumentLayout, Duty, Measure


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


# The figures of a layout, in the order of the document from top to bottom.
LAYOUT_FIGURES = (
    "margin_top_mm",
    "margin_bottom_mm",
    "margin_left_mm",
    "margin_right_mm",
    "font_name",
    "issuer_column_pct",
    "heading_title",
    "heading_title_size",
    "heading_motto",
    "heading_motto_size",
    "superior_size",
    "issuer_size",
    "issuer_rule",
    "issuer_mark",
    "number_label",
    "number_colon",
    "number_size",
    "date_size",
    "doc_type_size",
    "excerpt_size",
    "excerpt_rule",
    "body_size",
    "first_line_indent_cm",
    "paragraph_spacing_pt",
    "sign_on_behalf",
    "sign_deputy",
    "sign_by_order",
    "signature_size",
    "recipients_label",
    "recipients_label_size",
    "recipients_size",
    "page_number_from",
)


class LayoutVersionForm(BootstrapMixin, forms.ModelForm):
    """A new version of a document layout: every figure, filled from the version in force
    (field names are the service's; its checks give the bounds)."""

    valid_from = DateField(label=_("Hiệu lực từ ngày"))

    class Meta:
        model = DocumentLayout
        fields = [
            "family",
            "valid_from",
            "citation",
            "to_verify",
            "note",
            *LAYOUT_FIGURES,
        ]
        widgets = {"note": forms.Textarea({"rows": 2})}

    def service_checks(self, data: dict[str, Any]) -> None:
        services.layout_checks(
            family=data.get("family", ""),
            citation=data.get("citation", ""),
            figures={name: data[name] for name in LAYOUT_FIGURES if name in data},
        )
