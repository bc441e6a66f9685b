"""Forms of the officers' consultation pages. They parse input only; the rules live in
services (whose refusals come back beside the field)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import BootstrapMixin, DateField
from danvan.core.validators import DateWindow

from . import services
from .models import Comment, Consultation


def _text(label: Any, *, required: bool = True, rows: int = 4, max_length: int = 10000) -> Any:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ConsultationForm(BootstrapMixin, forms.Form):
    subject = forms.ChoiceField(label=_("Loại nội dung"), choices=Consultation.Subject.choices)
    title = forms.CharField(label=_("Tên dự thảo"), max_length=300)
    draft = forms.CharField(
        label=_("Nội dung dự thảo"),
        required=False,
        max_length=100000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Có thể để trống nếu đính kèm tệp dự thảo."),
    )
    document = forms.FileField(
        label=_("Tệp dự thảo (không bắt buộc)"),
        required=False,
        help_text=_(
            "PDF, DOCX, XLSX, JPG hoặc PNG, tối đa 10 MB. Tệp được công khai cùng dự thảo."
        ),
    )

    def service_checks(self, data: dict[str, Any]) -> None:
        services.consultation_checks(data)


class OpenForm(BootstrapMixin, forms.Form):
    opens_on = DateField(label=_("Ngày bắt đầu lấy ý kiến"))
    closes_on = DateField(label=_("Ngày kết thúc lấy ý kiến"))

    def clean_opens_on(self) -> Any:
        # Opinions are asked for now or soon: not from a day years away.
        value = self.cleaned_data.get("opens_on")
        DateWindow(past_years=1, future_years=1)(value)
        return value

    def service_checks(self, data: dict[str, Any]) -> None:
        services.consultation_open_checks(data)


class CloseForm(BootstrapMixin, forms.Form):
    confirm = forms.BooleanField(
        label=_("Tôi xác nhận kết thúc nhận ý kiến của đợt này."),
        error_messages={"required": _("Cần xác nhận để kết thúc.")},
    )


class ReportForm(BootstrapMixin, forms.Form):
    report = _text(
        _("Kết quả tiếp thu, giải trình ý kiến"),
        rows=10,
        max_length=100000,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["report"].help_text = _(
            "Nội dung này được công khai trên cổng thông tin: đã tiếp thu những ý kiến nào, "
            "chỉnh sửa dự thảo ra sao, ý kiến nào chưa tiếp thu và lý do."
        )


MODERATION_CHOICES = [
    ("publish", _("Đăng ý kiến")),
    ("reject", _("Không đăng (ghi lý do)")),
    ("group", _("Gộp vào ý kiến đã đăng")),
]


class ModerateForm(BootstrapMixin, forms.Form):
    action = forms.ChoiceField(label=_("Xử lý"), choices=MODERATION_CHOICES)
    reason = forms.CharField(label=_("Lý do không đăng"), required=False, max_length=2000)
    into = forms.ModelChoiceField(
        label=_("Gộp vào ý kiến"),
        required=False,
        queryset=Comment.objects.none(),
        empty_label=_("— Chọn ý kiến đã đăng —"),
    )

    def __init__(self, *args: Any, comment: Comment, targets: list[Comment], **kwargs: Any) -> None:
        # One form per comment on the page: the prefix keeps their ids apart.
        kwargs.setdefault("prefix", f"m{comment.pk}")
        super().__init__(*args, **kwargs)
        into = cast(forms.ModelChoiceField, self.fields["into"])
        into.queryset = Comment.objects.filter(pk__in=[t.pk for t in targets if t.pk != comment.pk])
        into.choices = [("", into.empty_label)] + [
            (t.pk, f"#{t.pk}: {t.text[:60]}") for t in targets if t.pk != comment.pk
        ]


class AnswerForm(BootstrapMixin, forms.Form):
    answer = _text(_("Trả lời, giải trình"), rows=4, max_length=5000)

    def __init__(self, *args: Any, comment: Comment, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"a{comment.pk}")
        super().__init__(*args, **kwargs)
