"""Forms of conferences. They parse input only; the rules live in services (each form's
``service_checks`` runs the service's checks in the same pass, so every problem shows
at once)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.accounts.policies import Perm
from danvan.core.forms import BootstrapMixin, DateField
from danvan.core.text import fold
from danvan.units import picker
from danvan.units.models import Official, Unit

from . import selectors, services
from .models import (
    NAME_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Conference,
    ConferenceKind,
    Half,
    IssuerFamily,
    Point,
)


class OfficialField(forms.ModelChoiceField):
    """An official of the directory, shown by name, position and unit."""

    def label_from_instance(self, obj: Official) -> str:
        return f"{obj.full_name} — {obj.position} ({obj.unit.name})"

    def narrow(self, text: str, selected: Any) -> None:
        """Show only the officials whose name contains *text*, typed with or without
        diacritics (and the one already chosen); any official of the directory still
        validates. The search without JavaScript: a GET box above the form."""
        wanted = fold(text)
        if not wanted:
            return
        rows = [
            o
            for o in self.queryset  # type: ignore[union-attr]
            if wanted in fold(o.full_name) or str(o.pk) == str(selected or "")
        ]
        self.widget.choices = [
            ("", self.empty_label),
            *((o.pk, self.label_from_instance(o)) for o in rows),
        ]


def _narrow(form: forms.BaseForm, name: str, search: str) -> None:
    field = form.fields[name]
    assert isinstance(field, OfficialField)
    selected = form.data.get(name) if form.is_bound else form.initial.get(name)
    field.narrow(search, selected)


def _officials(unit: Unit) -> Any:
    # The whole subtree's directory (validation must accept any of them); a plain
    # select that works without JavaScript, ordered by name for typing the first letters.
    return selectors.officials_for(unit, limit=None)


class ConferenceForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Loại hội nghị"), choices=ConferenceKind.choices)
    title = forms.CharField(
        label=_("Tên hội nghị"),
        max_length=TITLE_MAX_LENGTH,
        help_text=_("Ví dụ: Hội nghị sơ kết 6 tháng đầu năm 2027 công tác dân vận."),
    )
    held_on = DateField(label=_("Ngày tổ chức"))
    place = forms.CharField(label=_("Địa điểm"), max_length=300, required=False)
    online = forms.BooleanField(label=_("Tổ chức trực tuyến (có các điểm cầu)"), required=False)
    chair = OfficialField(
        queryset=Official.objects.none(),
        label=_("Người chủ trì"),
        required=False,
        help_text=_("Chọn trong danh bạ cán bộ của cấp tổ chức và các đơn vị trực thuộc."),
    )
    period_year = forms.IntegerField(
        label=_("Năm được sơ kết, tổng kết"), required=False, min_value=1930, max_value=2100
    )
    period_half = forms.TypedChoiceField(
        label=_("Sáu tháng (với hội nghị sơ kết 6 tháng)"),
        choices=[("", _("Không áp dụng")), *Half.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    agenda = forms.CharField(
        label=_("Chương trình hội nghị"),
        required=False,
        max_length=services.TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(
        self,
        *args: Any,
        unit: Unit,
        instance: Conference | None = None,
        search: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.instance = instance
        field = self.fields["chair"]
        assert isinstance(field, OfficialField)
        field.queryset = _officials(unit)
        _narrow(self, "chair", search)

    def service_checks(self, data: dict[str, Any]) -> None:
        services.conference_checks(data, unit=self.unit, instance=self.instance)


class DelegateForm(BootstrapMixin, forms.Form):
    official = OfficialField(
        queryset=Official.objects.none(),
        label=_("Cán bộ trong danh bạ"),
        required=False,
        help_text=_("Hoặc để trống và ghi họ tên đại biểu khách mời bên dưới."),
    )
    name = forms.CharField(
        label=_("Họ và tên (khách mời)"), max_length=NAME_MAX_LENGTH, required=False
    )
    position = forms.CharField(label=_("Chức vụ"), max_length=NAME_MAX_LENGTH, required=False)
    organisation = forms.CharField(label=_("Cơ quan, đơn vị"), max_length=300, required=False)
    attended = forms.BooleanField(label=_("Có mặt"), required=False, initial=True)

    def __init__(self, *args: Any, conference: Conference, search: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.conference = conference
        field = self.fields["official"]
        assert isinstance(field, OfficialField)
        field.queryset = _officials(conference.unit)
        _narrow(self, "official", search)

    def service_checks(self, data: dict[str, Any]) -> None:
        services.delegate_checks(
            conference=self.conference,
            official=data.get("official"),
            name=data.get("name", ""),
            position=data.get("position", ""),
            organisation=data.get("organisation", ""),
        )


class SpeechForm(BootstrapMixin, forms.Form):
    speaker_name = forms.CharField(label=_("Người phát biểu"), max_length=NAME_MAX_LENGTH)
    position = forms.CharField(label=_("Chức vụ"), max_length=NAME_MAX_LENGTH, required=False)
    unit = picker.UnitField(
        purpose=Perm.UNIT_VIEW, anywhere=True, required=False, label=_("Đơn vị (nếu có)")
    )
    summary = forms.CharField(
        label=_("Tóm tắt nội dung"),
        required=False,
        max_length=services.TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, actor: Any, conference: Conference, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        picker.bind(self, actor)
        self.conference = conference

    def service_checks(self, data: dict[str, Any]) -> None:
        services.speech_checks(
            conference=self.conference,
            speaker_name=data.get("speaker_name", ""),
            position=data.get("position", ""),
            unit=data.get("unit"),
            summary=data.get("summary", ""),
        )


class ConclusionForm(BootstrapMixin, forms.Form):
    conclusion = forms.CharField(
        label=_("Kết luận của hội nghị"),
        max_length=services.TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "Mỗi đoạn một dòng. Mỗi đoạn giao việc (“Giao …”, “Đề nghị …”, có thời hạn) có"
            " thể thành một nhiệm vụ bằng nút “Đề xuất nhiệm vụ từ kết luận”."
        ),
    )

    def service_checks(self, data: dict[str, Any]) -> None:
        services.conclusion_checks(data.get("conclusion", ""))


class NoticeForm(BootstrapMixin, forms.Form):
    issuer_family = forms.ChoiceField(
        label=_("Thể thức"), choices=IssuerFamily.choices, widget=forms.RadioSelect
    )
    notice_number = forms.CharField(
        label=_("Số, ký hiệu"),
        max_length=100,
        help_text=_("Nhà nước: 15/TB-BCĐ; Đảng: 05-TB/BCĐ. Có thể dán cả “Số: …”."),
    )
    notice_on = DateField(label=_("Ngày thông báo"))
    notice_place = forms.CharField(
        label=_("Địa danh"), max_length=100, help_text=_("Ví dụ: Thái Nguyên.")
    )
    superior_body = forms.CharField(
        label=_("Cơ quan cấp trên"),
        max_length=300,
        required=False,
        help_text=_("Văn bản của Đảng: ví dụ TỈNH ỦY THÁI NGUYÊN."),
    )
    issuer_body = forms.CharField(
        label=_("Cơ quan ban hành"),
        max_length=300,
        help_text=_("Ví dụ: BAN CHỈ ĐẠO THỰC HIỆN QUY CHẾ DÂN CHỦ Ở CƠ SỞ."),
    )
    signing_authority = forms.CharField(
        label=_("Thẩm quyền ký"),
        max_length=200,
        required=False,
        help_text=_("Nhà nước: TM., KT., TL.; Đảng: T/M, K/T, T/L. Ví dụ: TM. BAN CHỈ ĐẠO."),
    )
    signer_position = forms.CharField(label=_("Chức vụ người ký"), max_length=NAME_MAX_LENGTH)
    signer_name = forms.CharField(label=_("Người ký"), max_length=NAME_MAX_LENGTH)
    recipients = forms.CharField(
        label=_("Nơi nhận"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Mỗi nơi một dòng, ví dụ “- Như trên;” … dòng cuối “- Lưu: VT.”"),
    )

    def __init__(self, *args: Any, conference: Conference, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.conference = conference

    def service_checks(self, data: dict[str, Any]) -> None:
        services.notice_checks(data, conference=self.conference)


class AddPointsForm(BootstrapMixin, forms.Form):
    expected = forms.IntegerField(
        label=_("Số người dự kiến mỗi điểm cầu"), required=False, min_value=0, max_value=100_000
    )


class AttendanceForm(BootstrapMixin, forms.Form):
    """One page of points, three fields a row: p<pk>_connected, p<pk>_expected,
    p<pk>_attended (the names the services' checks report problems under)."""

    def __init__(self, *args: Any, points: Sequence[Point], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.points = list(points)
        for point in self.points:
            name = point.unit.name
            self.fields[f"p{point.pk}_connected"] = forms.BooleanField(
                label=_("%(p)s: đã kết nối") % {"p": name},
                required=False,
                initial=point.connected,
            )
            self.fields[f"p{point.pk}_expected"] = forms.IntegerField(
                label=_("%(p)s: dự kiến") % {"p": name},
                required=False,
                min_value=0,
                max_value=100_000,
                initial=point.expected,
            )
            self.fields[f"p{point.pk}_attended"] = forms.IntegerField(
                label=_("%(p)s: số người dự") % {"p": name},
                required=False,
                min_value=0,
                max_value=100_000,
                initial=point.attended,
            )
        self.style_widgets()

    def rows(self) -> list[tuple[Point, Any, Any, Any]]:
        return [
            (p, self[f"p{p.pk}_connected"], self[f"p{p.pk}_expected"], self[f"p{p.pk}_attended"])
            for p in self.points
        ]

    def attendance(self) -> dict[int, services.Attendance]:
        return self.attendance_from(self.cleaned_data)

    def service_checks(self, data: dict[str, Any]) -> None:
        if not self.points:
            return
        points = {p.pk: p for p in self.points}
        services.attendance_checks(
            conference=self.points[0].conference, rows=self.attendance_from(data), points=points
        )

    def attendance_from(self, data: dict[str, Any]) -> dict[int, services.Attendance]:
        return {
            p.pk: services.Attendance(
                connected=bool(data.get(f"p{p.pk}_connected")),
                expected=data.get(f"p{p.pk}_expected"),
                attended=data.get(f"p{p.pk}_attended"),
            )
            for p in self.points
            if f"p{p.pk}_attended" in data and f"p{p.pk}_expected" in data
        }
