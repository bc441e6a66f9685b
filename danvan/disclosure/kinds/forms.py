"""The form of a new version of a kind of content to disclose (DisclosureKind)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import BootstrapMixin, DateField

from ..models import RuleUnitKind
from .services import MAX_MIN_DAYS, MAX_NUMBER


class KindVersionForm(BootstrapMixin, forms.Form):
    """Field names are the arguments of services.kind_version_add."""

    unit_kind = forms.ChoiceField(label=_("Áp dụng cho"), choices=RuleUnitKind.choices)
    number = forms.IntegerField(
        label=_("Số thứ tự"), min_value=1, max_value=MAX_NUMBER,
        help_text=_("Cùng loại đơn vị và số thứ tự: phiên bản mới của nội dung đã có."),
    )  # fmt: skip
    title = forms.CharField(label=_("Nội dung công khai"), max_length=300)
    mandatory = forms.BooleanField(label=_("Bắt buộc công khai"), required=False, initial=True)
    loudspeaker_min_days = forms.IntegerField(
        label=_("Số ngày liên tục tối thiểu trên hệ thống truyền thanh"),
        min_value=0, max_value=MAX_MIN_DAYS, initial=0,
        help_text=_("0: không bắt buộc phát trên hệ thống truyền thanh."),
    )  # fmt: skip
    posting_min_days = forms.IntegerField(
        label=_("Số ngày niêm yết liên tục tối thiểu"),
        min_value=0, max_value=MAX_MIN_DAYS, initial=0,
        help_text=_("0: không có thời hạn niêm yết tối thiểu."),
    )  # fmt: skip
    posting_to_verify = forms.BooleanField(
        label=_("Thời hạn niêm yết cần đối chiếu"), required=False
    )
    citation = forms.CharField(label=_("Căn cứ pháp lý"), max_length=300)
    valid_from = DateField(label=_("Hiệu lực từ ngày"))
    to_verify = forms.BooleanField(label=_("Cần đối chiếu văn bản chính thức"), required=False)
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea({"rows": 2}))
