"""Forms of the entry pages. They parse input only; the rules live in services."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.accounts.policies import Perm
from danvan.core.forms import BootstrapMixin, DateField
from danvan.core.validators import PHONE_HELP, start_date_window, validate_phone
from danvan.units import picker

from .. import services
from ..models import Decision, Entry, EntryKind, Field, Period, Status
from ..selectors import MILESTONE_DATES, MILESTONES, UNIT_KIND_GROUPS

if TYPE_CHECKING:  # django-stubs-ext is a development dependency
    from django_stubs_ext import StrOrPromise

# What each transition is called on its button (the names are workflow.py's).
TRANSITION_LABELS: dict[str, StrOrPromise] = {
    "register": _("Đăng ký với cơ quan quản lý"),
    "return": _("Trả lại để bổ sung"),
    "accept": _("Tiếp nhận"),
    "start": _("Bắt đầu thực hiện"),
    "submit": _("Đề nghị đánh giá, công nhận"),
    "recognize": _("Công nhận"),
    "reject": _("Không công nhận"),
    "make_exemplary": _("Chọn là điển hình tiêu biểu"),
    "mark_replicated": _("Ghi nhận đã nhân rộng"),
    "withdraw": _("Rút mô hình"),
    "stop": _("Dừng thực hiện"),
}

MILESTONE_LABELS: dict[str, StrOrPromise] = {
    "registered": _("Đã đăng ký"),
    "in_progress": _("Đang thực hiện"),
    "recognized": _("Được công nhận"),
    "exemplary": _("Điển hình tiêu biểu"),
    "replicated": _("Được nhân rộng"),
    "commended": _("Được khen thưởng"),
}

UNIT_KIND_LABELS: dict[str, StrOrPromise] = {
    "party": _("Khối Đảng"),
    "government": _("Khối chính quyền"),
    "front": _("Mặt trận, đoàn thể"),
    "armed_forces": _("Lực lượng vũ trang"),
    "enterprise": _("Doanh nghiệp"),
}


def _blank(label: StrOrPromise) -> list[tuple[str, Any]]:
    return [("", label)]


# -- the list's filters ----------------------------------------------------------


class EntryFilterForm(BootstrapMixin, forms.Form):
    """The list's filters; the statistics page links here with the same parameters."""

    q = forms.CharField(label=_("Tìm theo tên"), max_length=100, required=False)
    # Ended units too: the restated view counts a merged unit's entries under its successor.
    unit = picker.UnitField(
        purpose=Perm.UNIT_VIEW,
        history=True,
        label=_("Đơn vị"),
        required=False,
        help_text=_("Gồm cả các đơn vị trực thuộc. Gõ tên (không cần dấu) hoặc mã."),
    )
    restated = forms.BooleanField(
        label=_("Tính cả đơn vị cũ đã sáp nhập vào đơn vị này"), required=False
    )
    direct = forms.BooleanField(
        label=_("Chỉ mô hình của chính đơn vị (không gồm đơn vị trực thuộc)"), required=False
    )
    unit_kind = forms.ChoiceField(
        label=_("Khối đơn vị"),
        required=False,
        choices=_blank(_("Tất cả")) + [(k, UNIT_KIND_LABELS.get(k, k)) for k in UNIT_KIND_GROUPS],
    )
    kind = forms.ChoiceField(
        label=_("Loại"), required=False, choices=_blank(_("Tất cả")) + EntryKind.choices
    )
    field = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    status = forms.ChoiceField(
        label=_("Trạng thái"), required=False, choices=_blank(_("Tất cả")) + Status.choices
    )
    year = forms.IntegerField(label=_("Năm đăng ký"), required=False, min_value=1900)
    period = forms.ModelChoiceField(
        label=_("Giai đoạn"), required=False, queryset=Period.objects.all(), empty_label=_("Tất cả")
    )
    milestone = forms.ChoiceField(
        label=_("Đã đạt mốc"),
        required=False,
        choices=_blank(_("Tất cả")) + [(k, MILESTONE_LABELS[k]) for k in MILESTONES],
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["field"].choices = _blank(_("Tất cả")) + [  # type: ignore[attr-defined]
            (f.code, f.name) for f in Field.objects.all()
        ]
        # ?from=&to= (names Python keeps for itself): the days the chosen milestone was
        # reached, as a report's period counts them (reports.queries).
        self.fields["from"] = DateField(
            label=_("Đạt mốc từ ngày"),
            required=False,
            help_text=_("Cùng với “Đã đạt mốc” đăng ký, công nhận, tiêu biểu hoặc khen thưởng."),
        )
        self.fields["to"] = DateField(label=_("đến ngày"), required=False)
        picker.bind(self, actor)
        self.style_widgets()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("from"), data.get("to")
        if (start or end) and data.get("milestone") not in MILESTONE_DATES:
            self.add_error(
                "milestone",
                _(
                    "Lọc theo ngày đạt mốc cần chọn một mốc có ngày: đã đăng ký, được công "
                    "nhận, điển hình tiêu biểu hoặc được khen thưởng; hoặc để trống hai ô ngày."
                ),
            )
        if start and end and end < start:
            self.add_error("to", _("Ngày kết thúc không được trước ngày bắt đầu."))
        return data

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for selectors.entry_list."""
        data = self.cleaned_data
        return {
            "unit": data.get("unit"),
            "restated": bool(data.get("restated")),
            "direct": bool(data.get("direct")),
            "unit_kind": data.get("unit_kind") or None,
            "q": (data.get("q") or "").strip() or None,
            "kind": data.get("kind") or None,
            "field": data.get("field") or None,
            "status": data.get("status") or None,
            "year": data.get("year"),
            "period": data["period"].pk if data.get("period") else None,
            "milestone": data.get("milestone") or None,
            "reached_from": data.get("from"),
            "reached_to": data.get("to"),
        }


# -- creating and editing ------------------------------------------------------


class EntryForm(BootstrapMixin, forms.Form):
    """Every field of an entry. Creating adds the owning unit (see EntryCreateForm)."""

    name = forms.CharField(
        label=_("Tên mô hình, điển hình"),
        max_length=300,
        error_messages={"required": _("Nhập tên mô hình, điển hình.")},
    )
    kind = forms.ChoiceField(label=_("Loại"), choices=EntryKind.choices)
    field = forms.ModelChoiceField(
        label=_("Lĩnh vực"),
        queryset=Field.objects.filter(is_active=True),
        empty_label=_("— Chọn lĩnh vực —"),
        error_messages={"required": _("Chọn lĩnh vực.")},
    )
    registration_year = forms.IntegerField(
        label=_("Năm đăng ký"),
        # The real bounds are the movement's periods (services.entry_checks says which);
        # these only keep absurd numbers away from the database.
        min_value=1900,
        max_value=2100,
        error_messages={"required": _("Nhập năm đăng ký.")},
    )
    co_units = picker.UnitMultipleField(
        purpose=Perm.UNIT_VIEW,
        label=_("Đơn vị phối hợp"),
        required=False,
    )
    target_group = forms.CharField(label=_("Đối tượng"), max_length=300, required=False)
    goals = forms.CharField(label=_("Mục tiêu"), required=False, widget=forms.Textarea({"rows": 3}))
    content_method = forms.CharField(
        label=_("Nội dung, cách làm"), required=False, widget=forms.Textarea({"rows": 4})
    )
    start_date = DateField(label=_("Ngày bắt đầu"), required=False)
    expected_results = forms.CharField(
        label=_("Kết quả dự kiến"), required=False, widget=forms.Textarea({"rows": 3})
    )
    achieved_results = forms.CharField(
        label=_("Kết quả đạt được"), required=False, widget=forms.Textarea({"rows": 3})
    )
    money_mobilized = forms.DecimalField(
        label=_("Kinh phí huy động (đồng)"), required=False, min_value=0, decimal_places=0
    )
    working_days = forms.IntegerField(label=_("Ngày công"), required=False, min_value=0)
    land_donated_m2 = forms.DecimalField(
        label=_("Đất hiến (m²)"), required=False, min_value=0, decimal_places=1
    )
    contact_name = forms.CharField(label=_("Người liên hệ"), max_length=200, required=False)
    contact_phone = forms.CharField(
        label=_("Điện thoại liên hệ"), max_length=32, required=False, help_text=PHONE_HELP
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        picker.bind(self, actor)  # the co-units, and the owning unit when creating
        # The duplicate check runs as the user types (htmx; see _entry_duplicates.html).
        self.fields["name"].widget.attrs.update(
            {
                "hx-get": reverse("movement:duplicates"),
                "hx-trigger": "keyup changed delay:600ms, change",
                "hx-target": "#duplicate-warning",
                "hx-include": (
                    "[name='unit'], [name='unit_pick'], [name='registration_year'], [name='entry']"
                ),
                "autocomplete": "off",
            }
        )

    def clean_start_date(self) -> Any:
        value = self.cleaned_data.get("start_date")
        start_date_window(value)
        return value

    def clean_contact_phone(self) -> str:
        value: str = self.cleaned_data.get("contact_phone", "")
        validate_phone(value)
        return value

    def service_checks(self, data: dict[str, Any]) -> None:
        # The service's rules (the registration year's period, an expired unit …) in the
        # same pass as the form's own errors.
        services.entry_checks(data, unit=data.get("unit"))

    def details(self) -> dict[str, Any]:
        """Keyword arguments for services.entry_create / entry_update (the editable fields)."""
        return {k: self.cleaned_data[k] for k in services.EDITABLE_FIELDS if k in self.cleaned_data}

    def ask_confirmation(self) -> None:
        """Add the "not a duplicate" checkbox, once duplicates have been found."""
        if "confirm_duplicate" not in self.fields:
            self.fields["confirm_duplicate"] = forms.BooleanField(
                label=_("Vẫn đăng ký (không phải trùng lặp)"), required=False
            )
            self.style_widgets()

    @property
    def confirmed(self) -> bool:
        return self.data.get("confirm_duplicate") in ("on", "true", "1", "True")


class EntryCreateForm(EntryForm):
    # Offered: the units the user may register entries for; another is refused like a
    # missing one.
    unit = picker.UnitField(
        purpose=Perm.MOVEMENT_EDIT,
        label=_("Đơn vị chủ trì"),
        help_text=_(
            "Đơn vị bạn được đăng ký mô hình (gõ tên không cần dấu hoặc mã); mặc định là đơn"
            " vị đang làm việc."
        ),
        error_messages={"required": _("Chọn đơn vị chủ trì: gõ tên (không cần dấu) hoặc mã.")},
    )

    field_order = ["unit", "name", "kind", "field", "registration_year"]

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, actor=actor, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("registration_year", timezone.localdate().year)
            self.initial.setdefault("kind", EntryKind.INITIATIVE)


# -- actions on one entry ------------------------------------------------------


class DecisionFields(forms.Form):
    """A decision's number, date, issuing body and form (recognition, commendation)."""

    number = forms.CharField(
        label=_("Số, ký hiệu quyết định"),
        max_length=64,
        help_text=_("Ví dụ: 125/QĐ-UBND hoặc 20-QĐ/TU."),
        error_messages={"required": _("Nhập số, ký hiệu quyết định.")},
    )
    issued_on = DateField(
        label=_("Ngày ban hành"),
        error_messages={"required": _("Nhập ngày ban hành.")},
    )
    issuer = forms.CharField(
        label=_("Cơ quan ban hành"),
        max_length=200,
        error_messages={"required": _("Nhập cơ quan ban hành quyết định.")},
    )
    form = forms.ChoiceField(label=_("Hình thức"), choices=Decision.Form.choices)

    def decision_input(self) -> services.DecisionInput:
        data = self.cleaned_data
        return services.DecisionInput(
            number=data["number"].strip(),
            issued_on=data["issued_on"],
            issuer=data["issuer"],
            form=data["form"],
        )


class TransitionForm(BootstrapMixin, DecisionFields):
    """One transition: its name, and the reason and decision it needs."""

    name = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Lý do"), required=False, widget=forms.Textarea({"rows": 2}), max_length=2000
    )

    field_order = ["name", "reason"]

    def __init__(
        self,
        *args: Any,
        transition: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if transition is not None:
            self.transition = transition
            self.label = TRANSITION_LABELS.get(transition.name, transition.name)
            self.initial["name"] = transition.name
            self.fields["reason"].required = transition.reason_required
            self.fields["reason"].error_messages["required"] = _("Cần ghi rõ lý do.")
            if not transition.decision:
                for name in ("number", "issued_on", "issuer", "form"):
                    del self.fields[name]
            # Several forms share the page: keep their ids apart.
            self.auto_id = f"id_{transition.name}_%s"

    def decision_or_none(self) -> services.DecisionInput | None:
        return self.decision_input() if "number" in self.fields else None


class CommendForm(BootstrapMixin, DecisionFields):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_commend_%s")
        kwargs.setdefault("initial", {"form": Decision.Form.CERTIFICATE})
        super().__init__(*args, **kwargs)


class ReplicateForm(BootstrapMixin, forms.Form):
    source = forms.CharField(
        label=_("Mô hình gốc"),
        max_length=200,
        help_text=_("Chọn từ kết quả tìm kiếm, hoặc dán mã (UUID) hay đường dẫn của mô hình gốc."),
        error_messages={"required": _("Chọn mô hình gốc.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_replicate_%s")
        super().__init__(*args, **kwargs)

    def clean_source(self) -> uuid.UUID:
        text = self.cleaned_data["source"].strip().rstrip("/")
        try:
            return uuid.UUID(text.rsplit("/", 1)[-1])
        except ValueError as exc:
            raise forms.ValidationError(_("Không nhận ra mã mô hình gốc.")) from exc


class AttachmentForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label=_("Tệp"),
        help_text=_("Ảnh JPG, PNG hoặc tài liệu PDF, DOCX, XLSX; tối đa 10 MB."),
        error_messages={"required": _("Chọn tệp cần tải lên.")},
    )
    caption = forms.CharField(label=_("Chú thích"), max_length=255, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_attach_%s")
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".jpg,.jpeg,.png,.pdf,.docx,.xlsx"


def entry_initial(entry: Entry) -> dict[str, Any]:
    """The edit form's starting values."""
    initial: dict[str, Any] = {k: getattr(entry, k) for k in services.EDITABLE_FIELDS}
    initial["field"] = entry.field_id
    initial["co_units"] = list(entry.co_units.all())
    return initial
