"""Forms of the grassroots-democracy pages. They parse input only; the rules live in
services.py, whose refusals come back beside the field they name."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from danvan.accounts.policies import Perm
from danvan.core.forms import BootstrapMixin, DateField
from danvan.core.validators import DateWindow
from danvan.units import picker
from danvan.units.models import UnitKind

from . import households as household_list
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
    """The household list of an online vote, pasted or uploaded (democracy.households).

    After cleaning, `parsed` holds the rows the preview shows with their problems; an
    uploaded file's rows are written back into the text box, so the officer confirms (or
    corrects) the same list as text and the file is not sent twice.
    """

    households = forms.CharField(
        label=_("Danh sách hộ gia đình"),
        required=False,
        max_length=household_list.MAX_ROWS * (household_list.MAX_LABEL + 2),
        widget=forms.Textarea({"rows": 8}),
        help_text=_(
            "Mỗi dòng một hộ, ví dụ “Hộ 12 – Nguyễn Văn A” hoặc số nhà; có thể dán các cột "
            "chép từ Excel. Mã chỉ hiện một lần để in và phát cho từng hộ."
        ),
    )
    file = forms.FileField(
        label=_("Hoặc tải lên tệp danh sách"),
        required=False,
        help_text=_(
            "Tệp Excel (.xlsx, trang tính đầu tiên) hoặc CSV UTF-8; mỗi hàng một hộ, "
            "tối đa %(kb)s KB."
        )
        % {"kb": household_list.MAX_FILE_BYTES // 1024},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args: Any, vote: Vote | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.vote = vote
        self.parsed: household_list.HouseholdList | None = None

    def _issued(self) -> list[str]:
        if self.vote is None:
            return []
        return list(self.vote.codes.values_list("household", flat=True))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        upload = data.get("file")
        text = data.get("households") or ""
        try:
            if upload:
                self.parsed = household_list.read_upload(upload, issued=self._issued())
                # The rows read from the file become the text to confirm.
                sent = cast(QueryDict, self.data).copy()
                sent["households"] = "\n".join(self.parsed.labels)
                self.data = sent
            else:
                self.parsed = household_list.read_text(text, issued=self._issued())
        except household_list.ListFileError as exc:
            self.add_error("file" if upload else "households", str(exc))
            return data
        if not self.parsed.rows:
            self.add_error("households", _("Dán danh sách hộ gia đình hoặc chọn tệp danh sách."))
            return data
        messages: dict[str, str] = {
            household_list.Problem.EMPTY: str(_("Có dòng không có tên hộ.")),
            household_list.Problem.TOO_LONG: str(_("Có dòng dài quá %(n)s ký tự."))
            % {"n": household_list.MAX_LABEL},
            household_list.Problem.DUPLICATE: str(_("Có hộ ghi trùng nhau.")),
            household_list.Problem.ISSUED: str(_("Có hộ đã được phát mã.")),
        }
        for problem, message in messages.items():
            if problem in self.parsed.problems():
                self.add_error("households", message)
        if not self.errors:
            data["households"] = self.parsed.labels
        return data
