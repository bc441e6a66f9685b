"""Forms of the document register. They parse input only; the rules live in services
(``document_checks`` runs in the same pass, so every problem shows at once)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from danvan.accounts.policies import Perm
from danvan.core.forms import BootstrapMixin, DateField
from danvan.units import picker
from danvan.units.models import Unit

from . import services
from .models import EXCERPT_MAX_LENGTH, Document, LinkKind


class DocumentForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label=_("Tệp văn bản (PDF hoặc Word .docx)"),
        required=False,
        help_text=_(
            "Chọn tệp rồi bấm “Đọc tệp và điền sẵn”: số, ngày, loại và trích yếu được điền"
            " từ trang đầu để bạn kiểm tra. Tối đa 10 MB."
        ),
    )
    staged = forms.CharField(required=False, widget=forms.HiddenInput, max_length=1000)
    number = forms.CharField(
        label=_("Số, ký hiệu"),
        max_length=100,
        help_text=_("Ví dụ: 15/QĐ-UBND, 20-KH/TU, 60/2013/NĐ-CP. Có thể dán cả “Số: …”."),
    )
    issued_on = DateField(label=_("Ngày ban hành"))
    issuer_name = forms.CharField(
        label=_("Cơ quan ban hành"),
        max_length=services.ISSUER_MAX_LENGTH,
        required=False,
        help_text=_("Như ghi trên văn bản, ví dụ: Ban Thường vụ Tỉnh ủy, Chính phủ."),
    )
    issuer_unit = picker.UnitField(
        purpose=Perm.UNIT_VIEW,
        history=True,
        required=False,
        label=_("Đơn vị ban hành trong hệ thống (nếu có)"),
    )
    excerpt = forms.CharField(
        label=_("Trích yếu"),
        max_length=EXCERPT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    party_term = forms.CharField(
        label=_("Nhiệm kỳ (văn bản của Đảng)"),
        max_length=20,
        required=False,
        help_text=_(
            "Ví dụ: 2025-2030. Để trống: tính theo ngày ban hành (nhiệm kỳ cấp tỉnh). Không"
            " ghi với văn bản của Nhà nước."
        ),
    )
    signer_name = forms.CharField(label=_("Người ký"), max_length=200, required=False)
    signer_position = forms.CharField(label=_("Chức vụ người ký"), max_length=200, required=False)

    def __init__(
        self,
        *args: Any,
        actor: Any,
        unit: Unit,
        instance: Document | None = None,
        staged_file: UploadedFile | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        picker.bind(self, actor)
        self.unit = unit
        self.instance = instance
        self.staged_file = staged_file
        # The document already in the register with this number (shown with a link).
        self.duplicate: Document | None = None

    def upload(self) -> UploadedFile | None:
        """The file chosen now, else the one staged when the form was pre-filled."""
        chosen = self.cleaned_data.get("file") if hasattr(self, "cleaned_data") else None
        return chosen or self.staged_file

    def service_data(self) -> dict[str, Any]:
        data = {
            k: v
            for k, v in self.cleaned_data.items()
            if k not in ("file", "staged") and k in self.fields
        }
        return data

    def service_checks(self, data: dict[str, Any]) -> None:
        values = {k: v for k, v in data.items() if k not in ("file", "staged")}
        self.duplicate = services.find_duplicate(values, unit=self.unit, instance=self.instance)
        values["file"] = self.upload()
        services.document_checks(values, unit=self.unit, instance=self.instance)


class LinkForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Văn bản này"), choices=LinkKind.choices)
    target = forms.ChoiceField(label=_("Văn bản được liên kết"), widget=forms.RadioSelect)
    q = forms.CharField(required=False, widget=forms.HiddenInput, max_length=200)

    def __init__(self, *args: Any, targets: list[Document], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.targets = {str(d.public_id): d for d in targets}
        field = self.fields["target"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (key, f"{d.number} ({d.issued_on:%d/%m/%Y}) — {d.excerpt[:100]}")
            for key, d in self.targets.items()
        ]

    def target_document(self) -> Document | None:
        return self.targets.get(self.cleaned_data.get("target") or "")
