"""Forms of the dialogue pages. They parse input only; the rules live in the dialogue
services, whose refusals come back beside the field."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import BootstrapMixin, DateField
from danvan.core.validation import TEXT_LIMIT
from danvan.core.validators import not_in_future

from ..models import Commitment, Dialogue, DialogueQuestion
from .selectors import today

if TYPE_CHECKING:  # django-stubs-ext is a development dependency
    from django_stubs_ext import StrOrPromise


def _text(label: StrOrPromise, *, rows: int = 3, required: bool = True, **kw: Any) -> forms.Field:
    kw.setdefault("max_length", TEXT_LIMIT)
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea({"rows": rows}), **kw
    )


def today_initial(name: str) -> dict[str, dt.date]:
    return {name: today()}


class DialogueForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("Chủ đề"), max_length=300)
    held_on = DateField(label=_("Ngày đối thoại"))
    place = forms.CharField(label=_("Địa điểm"), max_length=200)
    chair = forms.CharField(label=_("Người chủ trì"), max_length=200)


class AnnounceForm(BootstrapMixin, forms.Form):
    announced_on = DateField(label=_("Ngày thông báo"), validators=[not_in_future])


class HoldForm(BootstrapMixin, forms.Form):
    participants_count = forms.IntegerField(label=_("Số người tham dự"), min_value=0)
    participants = _text(_("Thành phần tham dự"), required=False)


class PublishForm(BootstrapMixin, forms.Form):
    results = _text(_("Kết quả đối thoại"), rows=6)
    # A day that has happened, checked with the text in one pass (the service says the same).
    published_on = DateField(label=_("Ngày công khai kết quả"), validators=[not_in_future])


class QuestionForm(BootstrapMixin, forms.Form):
    # Prefixed: the detail page shows this form and the commitment form together.
    prefix = "q"

    question = _text(_("Ý kiến, câu hỏi"))
    asked_by = forms.CharField(
        label=_("Người nêu"),
        max_length=200,
        required=False,
        help_text=_("Có thể để trống; không hiện trên cổng thông tin."),
    )
    answer = _text(_("Trả lời"), required=False)
    answered_by = forms.CharField(label=_("Người trả lời"), max_length=200, required=False)


class AnswerForm(BootstrapMixin, forms.Form):
    answer = _text(_("Trả lời"), rows=4)
    answered_by = forms.CharField(label=_("Người trả lời"), max_length=200, required=False)


class CommitmentForm(BootstrapMixin, forms.Form):
    prefix = "cm"

    text = _text(_("Nội dung cam kết"))
    responsible = forms.CharField(label=_("Người, đơn vị chịu trách nhiệm"), max_length=200)
    due_date = DateField(label=_("Hạn hoàn thành"))
    question = forms.ModelChoiceField(
        label=_("Trả lời cho ý kiến"),
        required=False,
        queryset=DialogueQuestion.objects.none(),
        empty_label=_("— Không gắn với ý kiến nào —"),
    )

    def __init__(self, *args: Any, dialogue: Dialogue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["question"].queryset = DialogueQuestion.objects.filter(  # type: ignore[attr-defined]
            dialogue=dialogue
        ).order_by("id")


class CommitmentDoneForm(BootstrapMixin, forms.Form):
    done_on = DateField(label=_("Ngày hoàn thành"), validators=[not_in_future])
    result = _text(_("Kết quả thực hiện"))

    def __init__(self, *args: Any, commitment: Commitment, **kwargs: Any) -> None:
        # One form per open commitment on a page: the prefix keeps their ids apart.
        kwargs.setdefault("prefix", f"c{commitment.pk}")
        super().__init__(*args, **kwargs)
