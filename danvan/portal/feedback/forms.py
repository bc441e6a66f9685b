"""The citizen's forms for feedback: sending one (step two, after the province) and looking
one up by its code."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.cases.identity import Identity
from danvan.core.forms import BootstrapMixin
from danvan.portal import selectors
from danvan.portal.forms import PORTAL_KINDS, Radios, _choices, _commune_choices, phone_validator
from danvan.units.models import Unit


class SubmitForm(BootstrapMixin, forms.Form):
    """Step two of sending: the matter and who sends it (POST)."""

    province = forms.CharField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("Bạn muốn gửi"),
        choices=PORTAL_KINDS,
        widget=Radios,
        help_text=_(
            "Phản ánh: báo cho chính quyền biết một sự việc, vấn đề đang xảy ra. "
            "Kiến nghị: đề xuất chính quyền xem xét, giải quyết hoặc thay đổi một việc."
        ),
    )
    commune = forms.ChoiceField(label=_("Xã, phường, đặc khu nơi xảy ra sự việc"))
    subject = forms.CharField(
        label=_("Tóm tắt"),
        max_length=200,
        help_text=_(
            "Một câu ngắn, ví dụ “Đèn đường thôn 3 không sáng”. Tóm tắt có thể được công khai: "
            "không ghi họ tên, số điện thoại hay thông tin cá nhân."
        ),
    )
    content = forms.CharField(
        label=_("Nội dung"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Sự việc cụ thể: ở đâu, từ khi nào, ảnh hưởng thế nào, bạn đề nghị gì."),
    )
    address = forms.CharField(
        label=_("Địa điểm xảy ra sự việc (không bắt buộc)"),
        max_length=300,
        required=False,
        help_text=_("Ví dụ: đầu cầu thôn 2. Địa điểm có thể được công khai cùng tóm tắt."),
    )
    full_name = forms.CharField(
        label=_("Họ và tên của bạn"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        required=False,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("Thư điện tử"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Cần ít nhất số điện thoại hoặc thư điện tử để cơ quan liên hệ trả lời."),
    )
    contact_address = forms.CharField(
        label=_("Địa chỉ liên hệ của bạn (không bắt buộc)"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
        help_text=_("Chỉ cơ quan giải quyết biết, không bao giờ công khai."),
    )
    consent = forms.BooleanField(
        label=_(
            "Tôi đồng ý để cơ quan nhà nước xử lý họ tên, số điện thoại, thư điện tử và địa "
            "chỉ tôi cung cấp, chỉ nhằm tiếp nhận, giải quyết và trả lời phản ánh, kiến nghị "
            "này, theo Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15."
        ),
        error_messages={
            "required": _("Cần đồng ý xử lý dữ liệu cá nhân thì mới gửi được."),
        },
    )

    def __init__(self, *args: Any, province: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.province_unit = province
        self.fields["province"].initial = province.code
        _choices(self, "commune").choices = _commune_choices(province)

    def clean_commune(self) -> Unit:
        commune = selectors.commune_by_code(
            self.cleaned_data.get("commune"), province=self.province_unit
        )
        if commune is None:
            raise forms.ValidationError(_("Hãy chọn một xã, phường, đặc khu trong danh sách."))
        return commune

    def clean_full_name(self) -> str:
        return " ".join(self.cleaned_data["full_name"].split())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors.get("phone") and not data.get("phone") and not data.get("email"):
            self.add_error("phone", _("Cần ghi số điện thoại hoặc thư điện tử (ít nhất một)."))
        return data

    def sender(self) -> Identity:
        data = self.cleaned_data
        return Identity(
            full_name=data["full_name"],
            phone=data["phone"].strip(),
            email=data["email"].strip(),
            address=data["contact_address"].strip(),
        )


class LookupForm(BootstrapMixin, forms.Form):
    code = forms.CharField(
        label=_("Mã tra cứu"),
        max_length=40,
        help_text=_(
            "12 ký tự trên giấy biên nhận, ví dụ ABCD-EFGH-JKMN (không phân biệt hoa thường)."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
