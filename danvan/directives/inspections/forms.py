"""The forms of the inspection pages: they parse input; the services decide (their
`*_checks` run in the same pass, so every problem shows at once)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.accounts.policies import Perm
from danvan.core.forms import BootstrapMixin, DateField
from danvan.directives.tasks.models import Task
from danvan.units import picker
from danvan.units.models import Official

from . import selectors, services
from .models import (
    FindingKind,
    Inspection,
    InspectionKind,
    InspectionPlan,
    InspectionTarget,
    TeamRole,
)


class PlanForm(BootstrapMixin, forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=services.MIN_YEAR, max_value=9999)
    kind = forms.ChoiceField(label=_("Hình thức"), choices=InspectionKind.choices)
    title = forms.CharField(label=_("Tên kế hoạch"), max_length=300)
    decision_number = forms.CharField(
        label=_("Số, ký hiệu"),
        required=False,
        max_length=80,
        help_text=_("Ví dụ: 05-KH/BCĐ, 12/KH-UBND (có thể dán cả “Số:”)."),
    )
    approved_on = DateField(label=_("Ngày ban hành"), required=False)
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, plan: InspectionPlan | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan

    def service_checks(self, data: dict[str, Any]) -> None:
        services.plan_checks(data, plan=self.plan)


class InspectionForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("Tên cuộc kiểm tra, giám sát"), max_length=300)
    subject = forms.CharField(
        label=_("Nội dung"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    starts_on = DateField(label=_("Từ ngày"))
    ends_on = DateField(label=_("Đến ngày"))
    targets = picker.UnitMultipleField(
        purpose=Perm.DIRECTIVE_MANAGE, label=_("Đơn vị được kiểm tra, giám sát")
    )

    def __init__(self, *args: Any, actor: Any, plan: InspectionPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        picker.bind(self, actor)
        # Only the plan's unit and the units under it may be inspected (the service's
        # own check stays); the picker offers no others, in suggestions or search.
        picker.narrow(self.fields["targets"], plan.unit)
        self.plan = plan
        self.fields["targets"].help_text = _(
            "Các đơn vị thuộc “%(unit)s”. Gõ tên (không cần dấu) hoặc mã rồi chọn; nhiều đơn"
            " vị cách nhau dấu “;”."
        ) % {"unit": plan.unit.name}

    def service_checks(self, data: dict[str, Any]) -> None:
        services.inspection_checks(data, plan=self.plan)


class TargetForm(BootstrapMixin, forms.Form):
    unit = picker.UnitField(purpose=Perm.DIRECTIVE_MANAGE, label=_("Đơn vị được kiểm tra"))
    scheduled_on = DateField(label=_("Ngày làm việc"), required=False)

    def __init__(self, *args: Any, actor: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        picker.bind(self, actor)
        # As in InspectionForm: only units under the plan's unit are offered.
        picker.narrow(self.fields["unit"], inspection.plan.unit)
        self.inspection = inspection

    def service_checks(self, data: dict[str, Any]) -> None:
        services.target_checks(data, inspection=self.inspection)


class _TargetChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.unit.name)


class _OfficialChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} — {obj.position} ({obj.unit.name})"


class TeamMemberForm(BootstrapMixin, forms.Form):
    role = forms.ChoiceField(label=_("Vai trò"), choices=TeamRole.choices)
    official = _OfficialChoice(
        label=_("Cán bộ trong danh bạ"), required=False, queryset=Official.objects.none()
    )
    full_name = forms.CharField(
        label=_("Hoặc: họ và tên"),
        required=False,
        max_length=200,
        help_text=_("Người ngoài danh bạ cán bộ, ví dụ đại diện Mặt trận Tổ quốc."),
    )
    position = forms.CharField(label=_("Chức vụ"), required=False, max_length=200)

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.inspection = inspection
        field = self.fields["official"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = selectors.team_officials(inspection)

    def service_checks(self, data: dict[str, Any]) -> None:
        services.team_checks(data, inspection=self.inspection)


class FindingForm(BootstrapMixin, forms.Form):
    target = _TargetChoice(label=_("Đơn vị"), queryset=InspectionTarget.objects.none())
    kind = forms.ChoiceField(label=_("Loại"), choices=FindingKind.choices)
    text = forms.CharField(label=_("Nội dung phát hiện"), widget=forms.Textarea(attrs={"rows": 4}))
    task = forms.TypedChoiceField(
        label=_("Nhiệm vụ liên quan"),
        required=False,
        help_text=_(
            "Nếu phát hiện hạn chế, vi phạm về một nhiệm vụ đã nghiệm thu, nhiệm vụ đó được mở lại."
        ),
    )

    def __init__(
        self,
        *args: Any,
        actor: Any,
        inspection: Inspection,
        targets: list[InspectionTarget],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.inspection = inspection
        field = self.fields["target"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            InspectionTarget.objects.filter(inspection=inspection)
            .select_related("unit", "inspection__plan__unit")
            .order_by("id")
        )
        self.tasks: dict[str, Task] = {}
        for target in targets:
            for task in selectors.target_tasks(target):
                self.tasks[str(task.public_id)] = task
        task_field = self.fields["task"]
        assert isinstance(task_field, forms.TypedChoiceField)
        task_field.choices = [
            ("", _("Không gắn nhiệm vụ")),
            *(
                (key, f"{t.title[:90]} — {t.lead_unit.name} ({t.get_state_display()})")
                for key, t in self.tasks.items()
            ),
        ]
        task_field.coerce = self.tasks.get
        task_field.empty_value = None

    def service_checks(self, data: dict[str, Any]) -> None:
        target = data.pop("target", None)
        if target is not None:
            services.finding_checks(data, target=target, actor=self.actor)


class RecommendationForm(BootstrapMixin, forms.Form):
    target = _TargetChoice(label=_("Đơn vị"), queryset=InspectionTarget.objects.none())
    text = forms.CharField(label=_("Nội dung kiến nghị"), widget=forms.Textarea(attrs={"rows": 4}))
    due_on = DateField(label=_("Thời hạn"))
    deliverable = forms.CharField(
        label=_("Sản phẩm"),
        required=False,
        max_length=500,
        help_text=_("Để trống: “%(d)s”.") % {"d": services.DEFAULT_DELIVERABLE},
    )

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.inspection = inspection
        field = self.fields["target"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            InspectionTarget.objects.filter(inspection=inspection)
            .select_related("unit", "inspection__plan__unit")
            .order_by("id")
        )

    def service_checks(self, data: dict[str, Any]) -> None:
        target = data.pop("target", None)
        if target is not None:
            services.recommendation_checks(data, target=target)


class ConclusionForm(BootstrapMixin, forms.Form):
    conclusion = forms.CharField(label=_("Kết luận"), widget=forms.Textarea(attrs={"rows": 6}))
    concluded_on = DateField(
        label=_("Ngày kết luận"), required=False, help_text=_("Để trống: hôm nay.")
    )
    report_file = forms.FileField(
        label=_("Tệp báo cáo, thông báo kết luận"),
        required=False,
        help_text=_("PDF, DOCX, XLSX, JPG hoặc PNG; tối đa 10 MB."),
    )

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.inspection = inspection

    def service_checks(self, data: dict[str, Any]) -> None:
        services.conclusion_checks(data, inspection=self.inspection)


class AnswerForm(BootstrapMixin, forms.Form):
    answer = forms.CharField(
        label=_("Trả lời của đơn vị"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Đơn vị đã hoặc sẽ làm gì theo kiến nghị. Tiến độ và sản phẩm báo cáo ở trang nhiệm vụ."
        ),
    )


class PlanFilterForm(BootstrapMixin, forms.Form):
    """The list's filter besides the unit (its own picker); a bad year is ignored."""

    year = forms.IntegerField(label=_("Năm"), required=False, min_value=services.MIN_YEAR,
                              max_value=9999)  # fmt: skip


class RecommendationFilterForm(BootstrapMixin, forms.Form):
    unanswered = forms.BooleanField(label=_("Chỉ kiến nghị chưa trả lời"), required=False)
