"""Forms of the grassroots-democracy pages. They parse input only; the rules live in
services.py, whose refusals come back beside the field they name."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.accounts.policies import Perm
from danvan.core.forms import BootstrapMixin, DateField
from danvan.core.validators import DateWindow
from danvan.units import picker
from danvan.units.models import UnitKind

from . import selectors, services
from .models import Matter, MatterKind, Method, Vote


class MatterForm(BootstrapMixin, forms.Form):
    # The villages where the user may raise matters (a province has thousands: a picker,
    # not a list).
    unit = picker.UnitField(
        purpose=Perm.DEMOCRACY_MANAGE,
        kinds=(UnitKind.VILLAGE,),
        label=_("Thôn, tổ dân phố"),
        help_text=_("Gõ tên thôn, tổ dân phố (không cần dấu) hoặc mã, rồi chọn."),
        error_messages={"required": _("Chọn thôn, tổ dân phố: gõ tên hoặc mã.")},
    )
    kind = forms.ChoiceField(label=_("Loại việc"), choices=MatterKind.choices)
    title = forms.CharField(label=_("Nội dung cần quyết định"), max_length=300)
    description = forms.CharField(
        label=_("Thuyết minh"), required=False, widget=forms.Textarea({"rows": 4})
    )
    raised_on = DateField(label=_("Ngày đưa ra"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        picker.bind(self, user)

    def clean_raised_on(self) -> Any:
        value = self.cleaned_data.get("raised_on")
        DateWindow(past_years=5)(value)
        return value

    def service_checks(self, data: dict[str, Any]) -> None:
        services.matter_checks(data)


class VoteOpenForm(BootstrapMixin, forms.Form):
    method = forms.ChoiceField(label=_("Hình thức biểu quyết"), choices=Method.choices)
    opened_on = DateField(label=_("Ngày bắt đầu (ngày họp)"))
    closes_on = DateField(
        label=_("Ngày kết thúc"),
        required=False,
        help_text=_("Bắt buộc với biểu quyết trực tuyến."),
    )
    place = forms.CharField(label=_("Địa điểm"), max_length=200, required=False)
    chair = forms.CharField(label=_("Người chủ trì"), max_length=200, required=False)
    secretary = forms.CharField(label=_("Thư ký"), max_length=200, required=False)
    follows = forms.ModelChoiceField(
        label=_("Tổ chức lại sau lần biểu quyết"),
        queryset=Vote.objects.none(),
        required=False,
        empty_label=_("— Lần biểu quyết đầu tiên —"),
        help_text=_("Khi lần trước không hợp lệ: họp lại hoặc phát phiếu lấy ý kiến hộ gia đình."),
    )

    def __init__(self, *args: Any, matter: Matter, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.matter = matter
        field = self.fields["follows"]
        field.queryset = selectors.closed_votes(matter)  # type: ignore[attr-defined]
        field.label_from_instance = lambda v: (  # type: ignore[attr-defined]
            f"{v.get_method_display()} {v.opened_on:%d/%m/%Y} — {v.get_outcome_display()}"
        )

    def clean_opened_on(self) -> Any:
        # A meeting is called for the coming weeks, not for years ahead.
        value = self.cleaned_data.get("opened_on")
        DateWindow(future_years=1)(value)
        return value

    def service_checks(self, data: dict[str, Any]) -> None:
        services.vote_checks(data, matter=self.matter)


class TallyForm(BootstrapMixin, forms.Form):
    present = forms.IntegerField(label=_("Số hộ tham gia"), min_value=0)
    agree = forms.IntegerField(label=_("Số hộ đồng ý"), min_value=0)
    disagree = forms.IntegerField(label=_("Số hộ không đồng ý"), min_value=0)


class CodesForm(BootstrapMixin, forms.Form):
    households = forms.CharField(
        label=_("Danh sách hộ gia đình"),
        widget=forms.Textarea({"rows": 8}),
        help_text=_(
            "Mỗi dòng một hộ, ví dụ “Hộ 12 – Nguyễn Văn A” hoặc số nhà. "
            "Mã chỉ hiện một lần để in và phát cho từng hộ."
        ),
    )

    def clean_households(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["households"].splitlines()]
        names = [line for line in lines if line]
        too_long = [n for n in names if len(n) > 40]
        if too_long:
            raise forms.ValidationError(
                _("Mỗi hộ ghi tối đa 40 ký tự; dòng quá dài: %(line)s") % {"line": too_long[0]}
            )
        return names
