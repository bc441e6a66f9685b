"""The audit browser's filter form."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from danvan.accounts.policies import Perm
from danvan.core.forms import DateField
from danvan.units import picker

from . import display

if TYPE_CHECKING:  # django-stubs-ext is a development dependency
    from django_stubs_ext import StrOrPromise


def record_kind_choices() -> list[tuple[str, StrOrPromise]]:
    """The kinds of record the trail can hold: every model of the danvan apps."""
    # By the names people know; no two kinds share one (test_display checks it).
    choices = [
        (model._meta.label_lower, display.model_title(model._meta.label_lower))
        for model in apps.get_models()
        if model.__module__.startswith("danvan.") and model._meta.label_lower != "audit.auditevent"
    ]
    return [("", _("Tất cả")), *sorted(choices, key=lambda c: c[1])]


class AuditFilterForm(forms.Form):
    unit = picker.UnitField(
        purpose=Perm.AUDIT_VIEW,
        label=_("Đơn vị"),
        required=False,
        help_text=_(
            "Thay đổi của đơn vị này và các đơn vị trực thuộc. Gõ tên (không cần dấu) hoặc mã."
        ),
    )
    user = forms.CharField(
        label=_("Người thực hiện (tên đăng nhập)"),
        required=False,
        max_length=150,
        widget=forms.TextInput({"class": "form-control"}),
    )
    model_label = forms.ChoiceField(
        label=_("Loại bản ghi"), required=False, widget=forms.Select({"class": "form-select"})
    )
    object_pk = forms.CharField(
        label=_("Mã bản ghi"),
        required=False,
        max_length=64,
        widget=forms.TextInput({"class": "form-control"}),
    )
    date_from = DateField(label=_("Từ ngày"), required=False)
    date_to = DateField(label=_("Đến ngày"), required=False)

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["model_label"].choices = record_kind_choices()  # type: ignore[attr-defined]
        picker.bind(self, actor)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("“Đến ngày” phải từ “Từ ngày” trở đi."))
        return data
