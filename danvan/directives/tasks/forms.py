"""The forms of the task pages: they parse input; the services decide (their `*_checks`
run in the same pass, so every problem shows at once)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.accounts.policies import Perm
from danvan.core.forms import BootstrapMixin, DateField
from danvan.units import picker
from danvan.units.models import Unit

from . import services
from .models import Plan, SourceKind, Task
from .selectors import CANCELLED_EXCLUDE
from .status import TaskStatus


class PlanForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("Tên kế hoạch"), max_length=300)
    starts_on = DateField(label=_("Ngày bắt đầu"))
    ends_on = DateField(label=_("Ngày kết thúc"), required=False)

    def __init__(self, *args: Any, document: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.document = document

    def service_checks(self, data: dict[str, Any]) -> None:
        services.plan_checks({**data, "document": self.document})


class _DueFields(forms.Form):
    """The due date, one of two ways: a date, or N working days from an event."""

    due_on = DateField(
        label=_("Thời hạn"),
        required=False,
        help_text=_("Một ngày cụ thể (dd/mm/yyyy); hoặc để trống và ghi số ngày làm việc."),
    )
    due_working_days = forms.IntegerField(
        label=_("Hoặc: số ngày làm việc"),
        required=False,
        min_value=1,
        max_value=services.MAX_DUE_WORKING_DAYS,
        help_text=_("Tính theo lịch ngày làm việc (trừ thứ Bảy, Chủ nhật, ngày nghỉ lễ)."),
    )
    due_from_event = forms.CharField(
        label=_("kể từ sự kiện"),
        required=False,
        max_length=200,
        help_text=_("Ví dụ: ngày ký kế hoạch, ngày hội nghị."),
    )
    due_from_date = DateField(label=_("Ngày diễn ra sự kiện"), required=False)


class TaskForm(BootstrapMixin, _DueFields):
    title = forms.CharField(label=_("Nhiệm vụ"), max_length=500, widget=forms.Textarea(
        attrs={"rows": 2}))  # fmt: skip
    description = forms.CharField(
        label=_("Nội dung, yêu cầu"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    lead_unit = picker.UnitField(purpose=Perm.DIRECTIVE_MANAGE, label=_("Đơn vị chủ trì"))
    coordinating_units = picker.UnitMultipleField(
        purpose=Perm.DIRECTIVE_VIEW, anywhere=True, required=False, label=_("Đơn vị phối hợp")
    )
    deliverable = forms.CharField(
        label=_("Sản phẩm"),
        max_length=500,
        help_text=_("Ví dụ: báo cáo kết quả, kế hoạch triển khai, biên bản hội nghị."),
    )
    source_kind = forms.ChoiceField(
        label=_("Nguồn giao"),
        choices=[("", _("Theo kế hoạch, văn bản (tự xác định)")), *SourceKind.choices],
        required=False,
    )
    source_paragraph = forms.CharField(
        label=_("Trích đoạn giao nhiệm vụ"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Chép nguyên văn đoạn văn bản, kết luận giao nhiệm vụ này."),
    )
    source_anchor = forms.CharField(
        label=_("Vị trí trong văn bản"),
        required=False,
        max_length=100,
        help_text=_("Ví dụ: mục II.3, đoạn 4."),
    )

    field_order = [
        "title",
        "lead_unit",
        "coordinating_units",
        "deliverable",
        "due_on",
        "due_working_days",
        "due_from_event",
        "due_from_date",
        "description",
        "source_kind",
        "source_paragraph",
        "source_anchor",
    ]

    def __init__(
        self,
        *args: Any,
        actor: Any,
        plan: Plan | None = None,
        assigner_unit: Unit | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        picker.bind(self, actor)
        self.plan = plan
        self.assigner_unit = plan.unit if plan is not None else assigner_unit

    def service_checks(self, data: dict[str, Any]) -> None:
        services.task_checks(data, plan=self.plan, assigner_unit=self.assigner_unit)


class DelegateForm(BootstrapMixin, _DueFields):
    title = forms.CharField(label=_("Nhiệm vụ giao tiếp"), max_length=500, widget=forms.Textarea(
        attrs={"rows": 2}))  # fmt: skip
    lead_unit = picker.UnitField(purpose=Perm.DIRECTIVE_MANAGE, label=_("Đơn vị cấp dưới chủ trì"))
    coordinating_units = picker.UnitMultipleField(
        purpose=Perm.DIRECTIVE_VIEW, anywhere=True, required=False, label=_("Đơn vị phối hợp")
    )
    deliverable = forms.CharField(label=_("Sản phẩm"), max_length=500)
    description = forms.CharField(
        label=_("Nội dung, yêu cầu"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    field_order = [
        "title",
        "lead_unit",
        "coordinating_units",
        "deliverable",
        "due_on",
        "due_working_days",
        "due_from_event",
        "due_from_date",
        "description",
    ]

    def __init__(self, *args: Any, actor: Any, parent: Task, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        picker.bind(self, actor)
        self.parent = parent

    def service_checks(self, data: dict[str, Any]) -> None:
        services.task_checks(data, parent=self.parent)


class ProgressForm(BootstrapMixin, forms.Form):
    percent = forms.IntegerField(label=_("Tiến độ (%)"), min_value=0, max_value=100)
    note = forms.CharField(
        label=_("Nội dung đã thực hiện, kết quả"), widget=forms.Textarea(attrs={"rows": 4})
    )
    evidence = forms.FileField(
        label=_("Tệp minh chứng"),
        required=False,
        help_text=_("Ảnh JPG, PNG hoặc tài liệu PDF, DOCX, XLSX; tối đa 10 MB."),
    )

    def service_checks(self, data: dict[str, Any]) -> None:
        services.progress_checks(data)


class SubmitForm(BootstrapMixin, forms.Form):
    result_number = forms.CharField(
        label=_("Số, ký hiệu văn bản kết quả"),
        required=False,
        max_length=80,
        help_text=_("Ví dụ: 15/BC-UBND, 20-BC/ĐU (có thể dán cả “Số:”)."),
    )
    result_file = forms.FileField(
        label=_("Tệp sản phẩm"),
        required=False,
        help_text=_("PDF, DOCX, XLSX, JPG hoặc PNG; tối đa 10 MB."),
    )
    result_minutes = forms.CharField(
        label=_("Biên bản"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(
        attrs={"rows": 2}))  # fmt: skip

    def service_checks(self, data: dict[str, Any]) -> None:
        services.submit_checks(data)


class AcceptForm(BootstrapMixin, forms.Form):
    note = forms.CharField(label=_("Nhận xét"), required=False, widget=forms.Textarea(
        attrs={"rows": 2}))  # fmt: skip


class ReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 3}))


class ReopenForm(ReasonForm):
    finding_ref = forms.CharField(
        label=_("Kết luận kiểm tra, giám sát"),
        max_length=300,
        help_text=_("Số, ký hiệu văn bản kết luận hoặc mục phát hiện, ví dụ: 12-KL/UBKT, mục 3."),
    )


class FilterForm(BootstrapMixin, forms.Form):
    """The list's filters besides the unit (its own picker); a bad value is not applied
    and comes back with its message (HTTP 400)."""

    status = forms.ChoiceField(
        label=_("Tình trạng"), required=False, choices=[("", _("Tất cả")), *TaskStatus.choices]
    )
    source_kind = forms.ChoiceField(
        label=_("Nguồn giao"), required=False, choices=[("", _("Tất cả")), *SourceKind.choices]
    )
    due_from = DateField(label=_("Hạn từ ngày"), required=False)
    due_to = DateField(label=_("đến ngày"), required=False)
    # The board's totals set "exclude": it counts no cancelled task, so the list it
    # opens has as many rows as the number clicked.
    cancelled = forms.ChoiceField(
        label=_("Nhiệm vụ đã hủy"),
        required=False,
        choices=[
            ("", _("Gồm cả nhiệm vụ đã hủy")),
            (CANCELLED_EXCLUDE, _("Không gồm nhiệm vụ đã hủy")),
        ],
    )
    # The board's links for a past period: the statuses as they stood at its end.
    as_of = DateField(
        label=_("Tình trạng tính đến ngày"),
        required=False,
        help_text=_("Để trống: hôm nay."),
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_as_of(self) -> dt.date | None:
        day: dt.date | None = self.cleaned_data.get("as_of")
        if day is not None and day > self.today:
            # Nobody knows yet which tasks will be done by a day to come.
            raise forms.ValidationError(
                _("Ngày tính tình trạng không được sau hôm nay (%(today)s)."),
                params={"today": f"{self.today:%d/%m/%Y}"},
                code="future",
            )
        return day


# --- explanations (explanations.py) --------------------------------------------------------


class ExplanationRequestForm(BootstrapMixin, forms.Form):
    note = forms.CharField(
        label=_("Nội dung yêu cầu"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ví dụ: đề nghị giải trình lý do chậm và thời hạn hoàn thành."),
    )


class ExplanationAnswerForm(BootstrapMixin, forms.Form):
    # Not required here: answer_checks says what each one needs, in one pass.
    cause = forms.CharField(
        label=_("Nguyên nhân chậm"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    remedy = forms.CharField(
        label=_("Giải pháp khắc phục"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    proposed_due_on = DateField(label=_("Thời hạn hoàn thành mới đề xuất"), required=False)

    def service_checks(self, data: dict[str, Any]) -> None:
        from .explanations import answer_checks

        answer_checks(data)


class ExplanationDecideForm(BootstrapMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Ý kiến"),
        choices=[("accept", _("Chấp nhận thời hạn mới")), ("refuse", _("Không chấp nhận"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Ghi chú"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Bắt buộc khi không chấp nhận: nêu lý do."),
    )
