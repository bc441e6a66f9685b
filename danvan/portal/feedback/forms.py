"""The citizen's forms for feedback: sending one (step two, after the province), looking
one up by its code, and saying whether the answer really resolved it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from danvan.cases import services as case_services
from danvan.cases.identity import Identity
from danvan.cases.models import Verdict
from danvan.core.errors import DomainError
from danvan.core.forms import BootstrapMixin
from danvan.portal import selectors
from danvan.portal.antiabuse import AntiAbuseMixin
from danvan.portal.forms import PORTAL_KINDS, Radios, _choices, _commune_choices, phone_validator
from danvan.units.models import Unit

PHOTO_ACCEPT = "image/jpeg,image/png,image/webp,.jpg,.jpeg,.png,.webp"


class PhotosInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to MAX_PHOTOS photos in one input; each is decoded and re-encoded by the service
    (cases.services.clean_photos), which the form runs in its own validation too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", PhotosInput(attrs={"accept": PHOTO_ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        if isinstance(data, list | tuple):
            return [super(PhotosField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class SubmitForm(AntiAbuseMixin, BootstrapMixin, forms.Form):
    """Step two of sending: the matter, its place and photos, and who sends it (POST)."""

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
    photos = PhotosField(
        label=_("Ảnh chụp sự việc (không bắt buộc)"),
        required=False,
        help_text=_(
            "Tối đa 3 ảnh JPG, PNG hoặc WebP, mỗi ảnh dưới 10 MB. Ảnh được thu nhỏ và xoá "
            "thông tin vị trí, máy chụp trước khi lưu; chỉ công khai khi cán bộ duyệt."
        ),
    )
    address = forms.CharField(
        label=_("Địa điểm xảy ra sự việc (không bắt buộc)"),
        max_length=300,
        required=False,
        help_text=_("Ví dụ: đầu cầu thôn 2. Địa điểm có thể được công khai cùng tóm tắt."),
    )
    lat = forms.FloatField(
        label=_("Vĩ độ (không bắt buộc)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text=_(
            "Toạ độ nơi xảy ra sự việc, ví dụ 21.5942 (vĩ độ) và 105.8482 (kinh độ); xem "
            "trong ứng dụng bản đồ của điện thoại, hoặc để trống."
        ),
    )
    long = forms.FloatField(
        label=_("Kinh độ (không bắt buộc)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
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
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
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

    def clean_photos(self) -> list[UploadedFile]:
        photos = self.cleaned_data.get("photos") or []
        try:
            case_services.clean_photos(photos)
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None
        return photos

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors.get("phone") and not data.get("phone") and not data.get("email"):
            self.add_error("phone", _("Cần ghi số điện thoại hoặc thư điện tử (ít nhất một)."))
        if not self.errors.get("lat") and not self.errors.get("long"):
            try:
                case_services.check_location(data.get("lat"), data.get("long"))
            except DomainError as exc:
                for problem in exc.problems:
                    self.add_error(problem.field, problem.message)
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


class VerdictForm(BootstrapMixin, forms.Form):
    """ "Was it resolved?", asked on the lookup page once the case is answered."""

    answer = forms.ChoiceField(
        label=_("Vấn đề của bạn đã được giải quyết chưa?"),
        choices=Verdict.choices,
        widget=Radios,
    )
    comment = forms.CharField(
        label=_("Ý kiến thêm (không bắt buộc)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Chỉ cơ quan giải quyết đọc được, không công khai."),
    )
