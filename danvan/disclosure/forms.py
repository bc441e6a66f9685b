"""Forms of the disclosure pages. They parse input only; the rules live in services
(whose refusals come back beside the field)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.accounts.policies import Perm
from danvan.core.forms import BootstrapMixin, DateField
from danvan.core.validators import DateWindow
from danvan.units import picker
from danvan.units.models import Unit

from . import services
from .models import DisclosureForm, DisclosureKind
from .selectors import kinds_for_unit


class KindChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        label = f"{obj.number}. {obj.title}"
        if obj.valid_to is not None:
            label += f" ({obj.valid_from:%d/%m/%Y} – {obj.valid_to:%d/%m/%Y})"
        return label


class DisclosureEditForm(BootstrapMixin, forms.Form):
    """A disclosure's own fields; on creation also the forms it used over its period."""

    kind = KindChoiceField(
        label=_("Loại nội dung công khai"),
        queryset=DisclosureKind.objects.none(),
        empty_label=_("— Chọn loại nội dung —"),
    )
    title = forms.CharField(label=_("Tiêu đề"), max_length=300)
    summary = forms.CharField(
        label=_("Tóm tắt nội dung"),
        required=False,
        widget=forms.Textarea({"rows": 4}),
        help_text=_("Nếu công khai trên cổng thông tin: không ghi thông tin cá nhân."),
    )
    start = DateField(label=_("Công khai từ ngày"))
    end = DateField(
        label=_("Đến ngày"),
        required=False,
        help_text=_("Để trống nếu vẫn đang công khai."),
    )
    due_on = DateField(
        label=_("Hạn công khai"),
        required=False,
        help_text=_(
            "Ngày muộn nhất phải bắt đầu công khai theo văn bản quy định (ví dụ trong 30 ngày"
            " kể từ ngày dự toán được phê duyệt). Bắt đầu sau ngày này là công khai chậm."
        ),
    )
    is_public = forms.BooleanField(label=_("Hiện trên cổng thông tin công dân"), required=False)

    def __init__(self, *args: Any, unit: Unit, with_forms: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.fields["kind"].queryset = kinds_for_unit(unit)  # type: ignore[attr-defined]
        if with_forms:
            self.fields["forms"] = forms.MultipleChoiceField(
                label=_("Hình thức công khai"),
                required=False,
                choices=DisclosureForm.choices,
                widget=forms.CheckboxSelectMultiple,
                help_text=_(
                    "Mỗi hình thức chọn ở đây được ghi với cùng thời gian công khai. Hình thức "
                    "có thời gian riêng (ví dụ phát 3 ngày trên hệ thống truyền thanh) thêm ở "
                    "trang chi tiết."
                ),
            )
            self.style_widgets()

    def clean_start(self) -> Any:
        # A record of what was disclosed: not years back, not more than a year ahead.
        value = self.cleaned_data.get("start")
        DateWindow(past_years=10, future_years=1)(value)
        return value

    def service_checks(self, data: dict[str, Any]) -> None:
        services.disclosure_checks(data, unit=self.unit)

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "title": data["title"],
            "summary": data.get("summary") or "",
            "start": data["start"],
            "end": data.get("end"),
            "due_on": data.get("due_on"),
            "is_public": bool(data.get("is_public")),
        }


class ChannelForm(BootstrapMixin, forms.Form):
    form = forms.ChoiceField(label=_("Hình thức"), choices=DisclosureForm.choices)
    place = forms.CharField(
        label=_("Nơi, phương tiện"),
        max_length=200,
        required=False,
        help_text=_("Ví dụ: bảng tin trụ sở UBND xã; đài truyền thanh xã."),
    )
    start = DateField(label=_("Từ ngày"))
    end = DateField(
        label=_("Đến ngày"),
        required=False,
        help_text=_("Để trống nếu vẫn đang tiếp tục."),
    )


class EvidenceForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label=_("Tệp minh chứng"),
        help_text=_("Ảnh JPG, PNG hoặc tài liệu PDF, DOCX, XLSX; tối đa 10 MB."),
    )
    caption = forms.CharField(label=_("Mô tả"), max_length=300, required=False)
    is_public = forms.BooleanField(
        label=_("Công bố tệp này trên cổng thông tin công dân"),
        required=False,
        help_text=_(
            "Chỉ với tài liệu là chính nội dung được công khai (PDF, DOCX, XLSX). "
            "Ảnh chụp bảng tin chỉ dùng nội bộ."
        ),
    )


class PeriodForm(BootstrapMixin, forms.Form):
    """Which unit and period the compliance page checks (GET)."""

    unit = picker.UnitField(
        purpose=Perm.UNIT_VIEW,
        label=_("Đơn vị"),
        required=False,
        help_text=_("Gồm cả các đơn vị trực thuộc. Gõ tên (không cần dấu) hoặc mã."),
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        picker.bind(self, actor)
        # The query string says ?from=&to= (names Python keeps for itself).
        self.fields["from"] = DateField(label=_("Từ ngày"), required=False)
        self.fields["to"] = DateField(label=_("Đến ngày"), required=False)
        self.style_widgets()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("from"), data.get("to")
        if start and end and end < start:
            self.add_error("to", _("Ngày kết thúc không được trước ngày bắt đầu."))
        return data
