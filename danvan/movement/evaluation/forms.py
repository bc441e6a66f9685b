"""Forms of the evaluation pages. They parse input only; the rules live in evaluation.services."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.accounts.models import User
from danvan.core.errors import DomainError
from danvan.core.forms import BootstrapMixin

from ..entries.forms import DecisionFields
from ..models import CriteriaSet, Criterion, Entry, Outcome, Period, RoundCandidate
from ..services import DecisionInput
from . import selectors, services
from .selectors import CandidateResult
from .services import CriterionInput, ScoreInput

NATIONAL = "national"


# -- criteria sets ---------------------------------------------------------------


class CriteriaSetForm(BootstrapMixin, forms.Form):
    owner = forms.ChoiceField(
        label=_("Đơn vị ban hành"),
        help_text=_("Bộ tiêu chí dùng được cho các đợt đánh giá của đơn vị này và cấp dưới."),
    )
    name = forms.CharField(
        label=_("Tên bộ tiêu chí"),
        max_length=200,
        error_messages={"required": _("Nhập tên bộ tiêu chí.")},
    )
    source = forms.CharField(
        label=_("Căn cứ (văn bản hướng dẫn)"),
        max_length=200,
        required=False,
        help_text=_("Ví dụ: Hướng dẫn số 05-HD/BDVTU ngày 10/3/2025."),
    )
    is_active = forms.BooleanField(label=_("Đang dùng"), required=False, initial=True)

    def __init__(
        self, *args: Any, owners: Sequence[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if owners is None:  # editing: the owner does not change
            del self.fields["owner"]
        else:
            self.fields["owner"].choices = list(owners)  # type: ignore[attr-defined]


class CriterionForm(BootstrapMixin, forms.Form):
    """One row of the criteria table; a blank extra row is ignored."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    order = forms.IntegerField(label=_("Thứ tự"), required=False, min_value=0, max_value=999)
    name = forms.CharField(label=_("Tiêu chí"), max_length=300, required=False)
    description = forms.CharField(
        label=_("Hướng dẫn chấm"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    weight = forms.DecimalField(label=_("Trọng số"), required=False, min_value=0)
    max_points = forms.DecimalField(label=_("Điểm tối đa"), required=False, min_value=0)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.has_changed() and not data.get("DELETE"):
            if not (data.get("name") or "").strip():
                self.add_error("name", _("Nhập tên tiêu chí."))
            if data.get("weight") is None:
                self.add_error("weight", _("Nhập trọng số."))
            if data.get("max_points") is None:
                self.add_error("max_points", _("Nhập điểm tối đa."))
        return data


class BaseCriterionFormSet(forms.BaseFormSet):
    def inputs(self) -> list[CriterionInput]:
        rows = []
        for form in self.forms:
            data = form.cleaned_data
            if not data or data.get("DELETE") or not (form.has_changed() or data.get("id")):
                continue
            rows.append(
                CriterionInput(
                    id=data.get("id"),
                    order=data.get("order") or 0,
                    name=data["name"],
                    description=data.get("description") or "",
                    weight=data["weight"],
                    max_points=data["max_points"],
                )
            )
        return rows


CriterionFormSet = forms.formset_factory(
    CriterionForm, formset=BaseCriterionFormSet, extra=3, can_delete=True, max_num=60
)


def criterion_formset(data: Any, initial: list[dict[str, Any]] | None) -> BaseCriterionFormSet:
    formset = CriterionFormSet(data, initial=initial, prefix="criteria")
    assert isinstance(formset, BaseCriterionFormSet)
    return formset


def criteria_initial(criteria: Sequence[Criterion], *, keep_ids: bool) -> list[dict[str, Any]]:
    return [
        {
            "id": c.pk if keep_ids else None,
            "order": c.order,
            "name": c.name,
            "description": c.description,
            "weight": c.weight,
            "max_points": c.max_points,
        }
        for c in criteria
    ]


# -- opening a round -----------------------------------------------------------------


class LevelForm(BootstrapMixin, forms.Form):
    """The level a round is opened at (a GET form that reloads the page)."""

    unit = forms.ChoiceField(label=_("Cấp tổ chức đánh giá"))

    def __init__(self, *args: Any, units: Sequence[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.code, u.name) for u in units]  # type: ignore[attr-defined]
        self.fields["unit"].widget.attrs["data-autosubmit"] = ""


class CandidateChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Entry) -> str:
        return f"{obj.name} — {obj.unit.name} ({obj.registration_year})"


class ReviewerChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.get_full_name()} ({obj.get_username()})"


class RoundForm(BootstrapMixin, forms.Form):
    name = forms.CharField(
        label=_("Tên đợt đánh giá"),
        max_length=200,
        error_messages={"required": _("Nhập tên đợt đánh giá.")},
    )
    year = forms.IntegerField(
        label=_("Năm"), min_value=2000, max_value=2100, error_messages={"required": _("Nhập năm.")}
    )
    period = forms.ModelChoiceField(
        label=_("Giai đoạn"),
        queryset=Period.objects.all(),
        required=False,
        empty_label=_("Theo năm đánh giá"),
    )
    criteria_set = forms.ModelChoiceField(
        label=_("Bộ tiêu chí"),
        queryset=CriteriaSet.objects.none(),
        error_messages={"required": _("Chọn bộ tiêu chí.")},
    )
    pass_mark = forms.DecimalField(
        label=_("Điểm đạt (%)"),
        initial=50,
        help_text=_("Điểm bình quân từ mức này trở lên được đề xuất công nhận."),
    )
    exemplary_mark = forms.DecimalField(
        label=_("Điểm tiêu biểu (%)"),
        initial=80,
        required=False,
        help_text=_(
            "Từ mức này trở lên được đề xuất chọn điển hình tiêu biểu; để trống nếu không chọn."
        ),
    )
    disagreement_threshold = forms.DecimalField(
        label=_("Ngưỡng chênh lệch giữa các thành viên (%)"),
        initial=20,
        help_text=_("Đánh dấu mô hình có điểm cao nhất và thấp nhất cách nhau hơn mức này."),
    )
    candidates = CandidateChoice(
        label=_("Mô hình, điển hình được đánh giá"),
        queryset=Entry.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Chọn ít nhất một mô hình, điển hình.")},
        help_text=_("Các mô hình của đơn vị và cấp dưới đang đề nghị đánh giá."),
    )
    reviewers = ReviewerChoice(
        label=_("Thành viên chấm điểm"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Chọn ít nhất một thành viên chấm điểm.")},
        help_text=_("Người có vai trò thành viên hội đồng đánh giá ở cấp này hoặc cấp trên."),
    )

    def __init__(self, *args: Any, level_unit: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["criteria_set"].queryset = selectors.criteria_sets_for_level(level_unit)
        fields["candidates"].queryset = selectors.candidate_entries(level_unit)
        fields["reviewers"].queryset = selectors.eligible_reviewers(level_unit)
        self.level_unit = level_unit

    def service_checks(self, data: dict[str, Any]) -> None:
        # The service's rules (the year and its period, the marks, the reviewers' rights …)
        # in the same pass as the form's own errors.
        services.round_checks(data, level_unit=self.level_unit)


# -- scoring ---------------------------------------------------------------------------


class ScoreForm(BootstrapMixin, forms.Form):
    """One reviewer's points and comments on one candidate, a pair of fields per criterion."""

    def __init__(self, *args: Any, criteria: Sequence[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"points_{criterion.pk}"] = forms.DecimalField(
                label=criterion.name,
                required=False,
                widget=forms.NumberInput(
                    attrs={"min": 0, "max": criterion.max_points, "step": "0.01"}
                ),
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Nhận xét"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 1}),
            )
        self.style_widgets()

    def rows(self) -> list[tuple[Criterion, forms.BoundField, forms.BoundField]]:
        return [(c, self[f"points_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def inputs(self) -> list[ScoreInput]:
        data = self.cleaned_data
        return [
            ScoreInput(
                criterion_id=c.pk,
                points=data.get(f"points_{c.pk}"),
                comment=data.get(f"comment_{c.pk}") or "",
            )
            for c in self.criteria
        ]

    def add_service_error(self, error: DomainError) -> None:
        """Put each criterion's problem beside its points; others in the summary."""
        problems: dict[int, str] = error.params.get("errors") or {}
        for criterion_id, message in problems.items():
            self.add_error(f"points_{criterion_id}", message)
        if not problems:
            self.add_error(None, error.message)


def score_initial(
    criteria: Sequence[Criterion], scores: dict[tuple[int, int], Any], candidate: RoundCandidate
) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    for criterion in criteria:
        given = scores.get((candidate.pk, criterion.pk))
        if given is not None:
            initial[f"points_{criterion.pk}"] = given.points
            initial[f"comment_{criterion.pk}"] = given.comment
    return initial


# -- confirming ---------------------------------------------------------------------------


class ConfirmForm(BootstrapMixin, DecisionFields):
    """The one decision, the override, and an outcome per candidate (the proposal by default)."""

    override = forms.BooleanField(
        label=_("Xác nhận khi chưa đủ phiếu chấm (chỉ tính các phiếu đã nộp)"), required=False
    )

    def __init__(
        self, *args: Any, rows: Sequence[CandidateResult], all_submitted: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # Only recognitions need a decision; a round that recognizes nobody needs none.
        for name in ("number", "issued_on", "issuer"):
            self.fields[name].required = False
        if all_submitted:
            del self.fields["override"]
        self.rows = list(rows)
        for row in self.rows:
            self.fields[f"outcome_{row.candidate.pk}"] = forms.ChoiceField(
                label=row.entry.name,
                choices=Outcome.choices,
                initial=row.proposal or Outcome.NOT_RECOGNIZED,
            )
        self.style_widgets()

    def outcome_rows(self) -> list[tuple[CandidateResult, forms.BoundField]]:
        return [(row, self[f"outcome_{row.candidate.pk}"]) for row in self.rows]

    def outcomes(self) -> dict[int, str]:
        return {
            row.candidate.pk: self.cleaned_data[f"outcome_{row.candidate.pk}"] for row in self.rows
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        recognizes = any(
            data.get(f"outcome_{row.candidate.pk}") not in (None, Outcome.NOT_RECOGNIZED)
            for row in self.rows
        )
        if recognizes:
            messages = {
                "number": _("Nhập số, ký hiệu quyết định."),
                "issued_on": _("Nhập ngày ban hành."),
                "issuer": _("Nhập cơ quan ban hành quyết định."),
            }
            for name, message in messages.items():
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
        return data

    def decision(self) -> DecisionInput | None:
        if not (self.cleaned_data.get("number") or "").strip():
            return None
        return self.decision_input()


class CancelForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("Lý do hủy"),
        widget=forms.Textarea({"rows": 3}),
        help_text=_(
            "Ví dụ: chọn nhầm mô hình, nhầm bộ tiêu chí. Lý do được lưu cùng đợt đánh giá."
        ),
    )
