"""Forms of the spreadsheet import pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import BootstrapMixin

from ..models import ImportJob

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportUploadForm(BootstrapMixin, forms.Form):
    # The target comes before the file: when an oversized upload is cut short, the
    # fields sent before the file have still been read.
    target = forms.ChoiceField(
        label=_("Đơn vị nhận dữ liệu"),
        help_text=_("Mã đơn vị của mỗi dòng phải là đơn vị này hoặc đơn vị trực thuộc."),
    )
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX_TYPE}"}),
    )

    def __init__(
        self, *args: Any, targets: list[tuple[str, str]], max_mb: int, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        target = self.fields["target"]
        assert isinstance(target, forms.ChoiceField)
        target.choices = targets
        if len(targets) == 1:
            self.initial.setdefault("target", targets[0][0])
        self.fields["file"].help_text = _(
            "Dùng tệp mẫu; tối đa %(mb)s MB. Các dòng được kiểm tra trước, chưa ghi gì"
            " cho đến khi bạn chọn cách ghi."
        ) % {"mb": max_mb}


class ImportStartForm(forms.Form):
    """The user's choice after reading the report (rendered as radio buttons by hand)."""

    mode = forms.ChoiceField(
        label=_("Cách ghi dữ liệu"),
        choices=ImportJob.Mode.choices,
        widget=forms.RadioSelect,
    )
