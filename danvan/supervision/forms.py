"""The forms of the supervision pages: they parse input; the services decide."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.accounts.policies import Perm
from danvan.core.errors import DomainError
from danvan.core.forms import BootstrapMixin, DateField
from danvan.core.validators import DateWindow
from danvan.units import picker
from danvan.units.models import Unit, UnitKind

from . import services
from .models import Activity, Board, BoardMember, Conference, Finding, Plan
from .selectors import today


def today_initial(name: str) -> dict[str, Any]:
    return {name: today()}


class BoardForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Loại ban"), choices=Board.Kind.choices)
    project = forms.CharField(
        label=_("Dự án, công trình"),
        max_length=300,
        required=False,
        help_text=_("Chỉ với Ban Giám sát đầu tư của cộng đồng."),
    )
    term_start = DateField(label=_("Bắt đầu nhiệm kỳ"))
    term_end = DateField(label=_("Kết thúc nhiệm kỳ"), required=False)

    def clean_term_start(self) -> Any:
        value = self.cleaned_data.get("term_start")
        DateWindow(past_years=10, future_years=1)(value)
        return value

    def service_checks(self, data: dict[str, Any]) -> None:
        services.board_checks(data)


class MemberForm(BootstrapMixin, forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=200)
    role = forms.ChoiceField(label=_("Vai trò"))
    village = forms.ModelChoiceField(
        label=_("Thôn, tổ dân phố"), queryset=Unit.objects.none(), required=False
    )
    term_start = DateField(label=_("Bắt đầu"), required=False)
    term_end = DateField(label=_("Kết thúc"), required=False)

    def __init__(self, *args: Any, board: Board, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        roles = BoardMember.Role.choices
        if board.kind == Board.Kind.INSPECTION:
            roles = [r for r in roles if r[0] != BoardMember.Role.REPRESENTATIVE]
        role = self.fields["role"]
        assert isinstance(role, forms.ChoiceField)
        role.choices = roles
        village = self.fields["village"]
        assert isinstance(village, forms.ModelChoiceField)
        village.queryset = Unit.objects.filter(
            parent=board.unit, kind=UnitKind.VILLAGE, valid_to__isnull=True
        ).order_by("path")
        self.board = board

    def service_checks(self, data: dict[str, Any]) -> None:
        services.member_checks(data, board=self.board)


class PlanForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("Tên kế hoạch"), max_length=300)
    scope = forms.CharField(label=_("Nội dung, phạm vi"), required=False, widget=forms.Textarea)
    starts_on = DateField(label=_("Ngày bắt đầu"))
    sent_on = DateField(
        label=_("Ngày gửi kế hoạch"),
        required=False,
        help_text=_("Ngày gửi kế hoạch cho cơ quan, đơn vị được kiểm tra, giám sát."),
    )

    def clean_starts_on(self) -> Any:
        # A plan is made for the coming months: not more than a year ahead.
        value = self.cleaned_data.get("starts_on")
        DateWindow(past_years=10, future_years=1)(value)
        return value

    def service_checks(self, data: dict[str, Any]) -> None:
        services.plan_checks(data)


class ActivityForm(BootstrapMixin, forms.Form):
    date = DateField(label=_("Ngày"))
    description = forms.CharField(label=_("Nội dung đã thực hiện"), widget=forms.Textarea)


class FindingForm(BootstrapMixin, forms.Form):
    activity = forms.ModelChoiceField(label=_("Hoạt động"), queryset=Activity.objects.none())
    text = forms.CharField(label=_("Nội dung phát hiện"), widget=forms.Textarea)

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["activity"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = plan.activities.order_by("date", "id")


class RecommendationForm(BootstrapMixin, forms.Form):
    finding = forms.ModelChoiceField(label=_("Phát hiện"), queryset=Finding.objects.none())
    text = forms.CharField(label=_("Nội dung kiến nghị"), widget=forms.Textarea)
    addressed_to = forms.CharField(label=_("Cơ quan, người nhận kiến nghị"), max_length=300)
    due_date = DateField(label=_("Hạn trả lời"))

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["finding"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Finding.objects.filter(activity__plan=plan).select_related("activity")


class AnswerForm(BootstrapMixin, forms.Form):
    answer = forms.CharField(label=_("Nội dung trả lời"), widget=forms.Textarea)
    answered_on = DateField(label=_("Ngày trả lời"))


class CloseForm(BootstrapMixin, forms.Form):
    closed_on = DateField(label=_("Ngày kết thúc"))
    closing_note = forms.CharField(
        label=_("Kết quả theo dõi"), required=False, widget=forms.Textarea
    )


def _conference_unit_field() -> picker.UnitField:
    # The agencies and enterprises the user manages; the view narrows to the page's unit.
    return picker.UnitField(
        purpose=Perm.DEMOCRACY_MANAGE,
        kinds=(UnitKind.AGENCY, UnitKind.ENTERPRISE),
        label=_("Cơ quan, doanh nghiệp"),
        help_text=_(
            "Cơ quan (hội nghị cán bộ) hoặc doanh nghiệp (hội nghị, đối thoại): gõ tên (không"
            " cần dấu) hoặc mã."
        ),
        error_messages={"required": _("Chọn cơ quan, doanh nghiệp: gõ tên hoặc mã.")},
    )


def _unit_checks_on_picker(check: Callable[[dict[str, Any]], None], data: dict[str, Any]) -> None:
    """Run the service's *check* on the conference forms' fields: the picked unit is the
    service's *unit*, and its problems about *unit* go beside the picker (unit_code)."""
    if "unit_code" in data:
        data["unit"] = data.pop("unit_code")
    try:
        check(data)
    except DomainError as exc:
        problems = [replace(p, field="unit_code") if p.field == "unit" else p for p in exc.problems]
        first = problems[0]
        raise DomainError(first.code, first.message, field=first.field, problems=problems) from exc


class ConferenceForm(BootstrapMixin, forms.Form):
    unit_code = _conference_unit_field()
    kind = forms.ChoiceField(label=_("Loại hội nghị"), choices=Conference.Kind.choices)
    held_on = DateField(label=_("Ngày tổ chức"))
    participants_employer = forms.IntegerField(
        label=_("Số người bên người sử dụng lao động"), min_value=0
    )
    participants_workers = forms.IntegerField(label=_("Số người bên người lao động"), min_value=0)
    minutes = forms.CharField(label=_("Biên bản"), required=False, widget=forms.Textarea)
    minutes_file = forms.FileField(label=_("Tệp biên bản"), required=False)
    # The schedule entry this record fulfils (from "Ghi nhận" on the schedule).
    plan = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        picker.bind(self, actor)

    def service_checks(self, data: dict[str, Any]) -> None:
        # The schedule entry (plan, an id here) is checked by the service under its lock.
        data.pop("plan", None)
        _unit_checks_on_picker(services.conference_checks, data)


class ConferencePlanForm(BootstrapMixin, forms.Form):
    unit_code = _conference_unit_field()
    kind = forms.ChoiceField(label=_("Loại hội nghị"), choices=Conference.Kind.choices)
    planned_on = DateField(label=_("Ngày dự kiến"))
    place = forms.CharField(label=_("Địa điểm"), max_length=200, required=False)
    note = forms.CharField(label=_("Nội dung dự kiến"), max_length=500, required=False)

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        picker.bind(self, actor)

    def service_checks(self, data: dict[str, Any]) -> None:
        _unit_checks_on_picker(services.conference_plan_checks, data)


class YearForm(forms.Form):
    year = forms.IntegerField(min_value=1900, max_value=2200, required=False)
