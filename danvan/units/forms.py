"""Forms of the unit pages. They parse input only; the rules live in services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.accounts.policies import Perm
from danvan.core.forms import BootstrapMixin, DateField
from danvan.core.validators import validate_phone

from . import picker, selectors
from .models import (
    ALLOWED_PARENT_KINDS,
    LEVEL_KINDS,
    Official,
    SteeringCommitteeMember,
    Succession,
    Unit,
    UnitKind,
)

if TYPE_CHECKING:  # django-stubs-ext is a development dependency
    from django_stubs_ext import StrOrPromise


def _date_field(label: StrOrPromise, *, required: bool = False) -> DateField:
    return DateField(label=label, required=required)


def child_kinds(parent: Unit) -> list[tuple[str, str]]:
    """Kinds an officer may create under *parent*. The administrative levels come from
    the official list (load_units), never from this form."""
    return [
        (kind.value, str(kind.label))
        for kind in UnitKind
        if kind not in LEVEL_KINDS and parent.kind in ALLOWED_PARENT_KINDS.get(kind, ())
    ]


class UnitCreateForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Loại đơn vị"))
    name = forms.CharField(
        label=_("Tên đơn vị"),
        max_length=255,
        error_messages={"required": _("Nhập tên đơn vị.")},
    )
    code = forms.CharField(
        label=_("Mã đơn vị"),
        max_length=32,
        required=False,
        help_text=_("Để trống để hệ thống tự đặt mã."),
    )
    division_type = forms.CharField(
        label=_("Loại hình"),
        max_length=64,
        required=False,
        help_text=_("Ví dụ: thôn, tổ dân phố, sở, hội."),
    )
    households = forms.IntegerField(
        label=_("Số hộ gia đình"),
        required=False,
        help_text=_("Chỉ ghi cho thôn, tổ dân phố: dùng khi biểu quyết theo hộ."),
    )
    valid_from = _date_field(_("Hiệu lực từ ngày"))

    def __init__(self, *args: Any, parent: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = child_kinds(parent)  # type: ignore[attr-defined]


class UnitEditForm(BootstrapMixin, forms.Form):
    name = forms.CharField(
        label=_("Tên đơn vị"), max_length=255, error_messages={"required": _("Nhập tên đơn vị.")}
    )
    code = forms.CharField(label=_("Mã đơn vị"), max_length=32)
    division_type = forms.CharField(label=_("Loại hình"), max_length=64, required=False)
    households = forms.IntegerField(label=_("Số hộ gia đình"), required=False)
    valid_from = _date_field(_("Hiệu lực từ ngày"))
    valid_to = _date_field(_("Hiệu lực đến ngày"))

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "name": unit.name,
                "code": unit.code,
                "division_type": unit.division_type,
                "households": unit.households,
                "valid_from": unit.valid_from,
                "valid_to": unit.valid_to,
            },
        )
        super().__init__(*args, **kwargs)
        if unit.kind in LEVEL_KINDS:
            # Provinces and communes keep the official code and end only by a
            # recorded merge or split (the succession page), never by an edit.
            del self.fields["code"]
            del self.fields["valid_to"]
        if unit.kind != UnitKind.VILLAGE:
            del self.fields["households"]

    def changes(self) -> dict[str, Any]:
        """Keyword arguments for services.unit_update: only the fields on this form."""
        return {k: v for k, v in self.cleaned_data.items() if k in self.fields}


class UnitMoveForm(BootstrapMixin, forms.Form):
    # Offered: the units the user may create children in (what unit_move asks).
    new_parent = picker.UnitField(
        purpose=Perm.UNIT_CREATE_CHILD,
        label=_("Đơn vị cấp trên mới"),
        help_text=_(
            "Xã, phường hoặc tỉnh mà đơn vị sẽ trực thuộc: gõ tên (không cần dấu) hoặc mã."
        ),
        error_messages={"required": _("Chọn đơn vị cấp trên mới: gõ tên hoặc mã.")},
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        picker.bind(self, actor)


class SuccessionForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Hình thức"), choices=Succession.Kind.choices)
    # Units that have ended are offered too: a merge may be recorded after the fact.
    predecessors = picker.UnitMultipleField(
        purpose=Perm.SUCCESSION_RECORD,
        history=True,
        label=_("Đơn vị trước"),
        help_text=_(
            "Gõ tên (không cần dấu) hoặc mã rồi chọn; nhiều đơn vị cách nhau dấu “;”."
            " Sáp nhập: các đơn vị được hợp nhất."
        ),
        error_messages={"required": _("Chọn ít nhất một đơn vị trước.")},
    )
    successors = picker.UnitMultipleField(
        purpose=Perm.SUCCESSION_RECORD,
        history=True,
        label=_("Đơn vị sau"),
        help_text=_("Sáp nhập: một đơn vị. Chia tách: các đơn vị mới (tạo trước khi ghi)."),
        error_messages={"required": _("Chọn ít nhất một đơn vị sau.")},
    )
    effective_date = _date_field(_("Ngày có hiệu lực"), required=True)
    resolution_number = forms.CharField(
        label=_("Số nghị quyết, quyết định"),
        max_length=64,
        help_text=_("Ví dụ: 202/2025/QH15."),
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea({"rows": 3}))

    def __init__(self, *args: Any, actor: Any, unit: Unit, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"predecessors": [unit]})
        super().__init__(*args, **kwargs)
        self.actor, self.unit = actor, unit
        picker.bind(self, actor)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        preds, succs = data.get("predecessors"), data.get("successors")
        if preds is not None and succs is not None and self.unit not in [*preds, *succs]:
            raise forms.ValidationError(
                _("“%(name)s” phải là đơn vị trước hoặc đơn vị sau."),
                params={"name": self.unit.name},
            )
        return data


class OfficialForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Official
        fields = ["full_name", "position", "term_start", "term_end", "phone", "email"]
        field_classes = {"term_start": DateField, "term_end": DateField}
        error_messages = {
            "full_name": {"required": _("Nhập họ và tên.")},
            "position": {"required": _("Nhập chức vụ.")},
        }

    def clean_phone(self) -> str:
        value: str = self.cleaned_data.get("phone") or ""
        validate_phone(value)
        return value


class OfficialChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} — {obj.position} ({obj.unit.name})"


class SteeringAddForm(BootstrapMixin, forms.Form):
    official = OfficialChoiceField(
        label=_("Cán bộ"),
        queryset=Official.objects.none(),
        error_messages={"required": _("Chọn một cán bộ."), "invalid_choice": _("Chọn một cán bộ.")},
    )
    role = forms.ChoiceField(label=_("Vai trò"), choices=SteeringCommitteeMember.Role.choices)
    decision_number = forms.CharField(
        label=_("Quyết định thành lập, kiện toàn"), max_length=64, required=False
    )
    start_date = _date_field(_("Từ ngày"))

    def __init__(self, *args: Any, actor: Any, level: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["official"].queryset = selectors.official_list(actor=actor, unit=level)  # type: ignore[attr-defined]


class SteeringEndForm(BootstrapMixin, forms.Form):
    end_date = _date_field(_("Ngày kết thúc"), required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"end_date": timezone.localdate()})
        super().__init__(*args, **kwargs)


class UnitSearchForm(forms.Form):
    q = forms.CharField(label=_("Tìm đơn vị"), required=False, max_length=100)
    include_historical = forms.BooleanField(
        label=_("Gồm cả đơn vị đã sáp nhập, giải thể"), required=False
    )


class OfficialFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("Họ tên hoặc chức vụ"), required=False, max_length=100)
    unit = picker.UnitField(
        purpose=Perm.OFFICIAL_VIEW,
        label=_("Đơn vị"),
        required=False,
        help_text=_(
            "Cán bộ của đơn vị này và các đơn vị trực thuộc. Gõ tên (không cần dấu) hoặc mã."
        ),
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        picker.bind(self, actor)
