"""The officer's forms for cases: the filters, intake, and one form per action on a case.

Forms parse input only; the services decide. Every action form carries the version of
the case the officer saw, so a save made from a page that someone else has changed
since is refused by the service (optimistic locking), not silently applied.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.accounts.models import User
from danvan.accounts.policies import Perm
from danvan.core.forms import BootstrapMixin, DateField
from danvan.core.validation import TEXT_LIMIT
from danvan.core.validators import PHONE_HELP, DateWindow, validate_phone
from danvan.units import picker
from danvan.units.models import Unit

from . import selectors, services
from .identity import Identity
from .models import (
    KIND_CHOICES,
    Alert,
    Case,
    Channel,
    PublicState,
    ReceptionSession,
    Status,
    StepKind,
)

_ACCEPT_FILES = ".jpg,.jpeg,.png,.pdf,.docx,.xlsx"
_FILES_HINT = _("Ảnh JPG, PNG hoặc tài liệu PDF, DOCX, XLSX; tối đa 10 MB mỗi tệp.")
_BAD_KIND = _("Loại vụ việc không hợp lệ. Chọn khiếu nại, tố cáo, phản ánh hoặc kiến nghị.")
_BAD_DATE = _("Nhập ngày theo dạng ngày/tháng/năm.")
_NO_DECISION = _("Cần số, ký hiệu của quyết định hoặc văn bản trả lời (ví dụ 15/QĐ-UBND).")

# What each action is called on buttons, headings and in the timeline.
ACTION_LABELS: dict[str, Any] = {
    "receive": _("Tiếp nhận"),
    "classify": _("Phân loại"),
    "assign": _("Phân công xử lý"),
    "accept": _("Thụ lý"),
    "refuse": _("Không thụ lý"),
    "transfer": _("Chuyển cơ quan có thẩm quyền"),
    "add_step": _("Ghi bước xử lý"),
    "add_document": _("Thêm tài liệu"),
    "extend": _("Gia hạn giải quyết"),
    "pause": _("Tạm đình chỉ"),
    "resume": _("Tiếp tục giải quyết"),
    "resolve": _("Ghi kết quả giải quyết"),
    "withdraw": _("Ghi nhận rút đơn"),
    "moderate": _("Kiểm duyệt nội dung công khai"),
}

ROUND_CHOICES = [(1, _("Lần đầu")), (2, _("Lần hai"))]
COMPLEXITY_CHOICES = [
    (0, _("Thông thường")),
    (1, _("Phức tạp (gia hạn 1 lần)")),
    (2, _("Đặc biệt phức tạp (gia hạn 2 lần)")),
]
ALERT_FILTER_CHOICES = [
    ("", _("Tất cả")),
    (Alert.OVERDUE.value, _("Quá hạn")),
    (Alert.DUE_SOON.value, _("Sắp đến hạn")),
]


def _blank(label: Any) -> list[tuple[Any, Any]]:
    return [("", label)]


def find_case(actor: Any, text: str) -> Case | None:
    """A case the actor may see, named by its reference (KN-2026-000012) or lookup code."""
    text = text.strip()
    if not text:
        return None
    code = services.normalize_lookup_code(text)
    return (
        selectors.cases_visible(actor)
        .filter(Q(reference__iexact=text) | Q(lookup_code=code))
        .order_by("id")
        .first()
    )


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.held_on:%d/%m/%Y} — {obj.leader.full_name} ({obj.unit.name})"


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name())


class UserMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name())


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (the scans of a letter); each is checked by the service."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": _ACCEPT_FILES}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


# -- lists ----------------------------------------------------------------------------


class UnitFilterForm(BootstrapMixin, forms.Form):
    """The unit a page covers (with its subtree), picked by name or code; empty: the
    current unit."""

    unit = picker.UnitField(
        purpose=Perm.CASE_VIEW,
        label=_("Đơn vị"),
        required=False,
        help_text=_(
            "Gồm cả các đơn vị trực thuộc. Gõ tên (không cần dấu) hoặc mã; để trống: đơn vị"
            " đang làm việc."
        ),
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        picker.bind(self, actor)


class CaseFilterForm(UnitFilterForm):
    """The list's filters; a periodic report's figures open the list with them
    (reports.queries: unit, received from/to, kind, settled on time)."""

    # Ended units too (merged, split): a past report of a unit that has ended since opens
    # the list of the cases it counted, as the movement's list does for its entries.
    unit = picker.UnitField(
        purpose=Perm.CASE_VIEW,
        history=True,
        label=_("Đơn vị"),
        required=False,
        help_text=UnitFilterForm.base_fields["unit"].help_text,
    )
    kind = forms.ChoiceField(
        label=_("Loại vụ việc"),
        required=False,
        choices=_blank(_("Tất cả")) + KIND_CHOICES,
        error_messages={"invalid_choice": _BAD_KIND},
    )
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=_blank(_("Tất cả")) + Status.choices,
    )
    alert = forms.ChoiceField(
        label=_("Cảnh báo hạn"),
        required=False,
        choices=ALERT_FILTER_CHOICES,
    )
    q = forms.CharField(
        label=_("Tìm theo số hồ sơ, mã tra cứu, nội dung tóm tắt"),
        max_length=100,
        required=False,
    )
    on_time = forms.BooleanField(
        label=_("Giải quyết đúng hạn"),
        required=False,
        help_text=_(
            "Chỉ vụ việc đã giải quyết xong không muộn hơn hạn xử lý. Có “đến ngày”: giải"
            " quyết xong không muộn hơn ngày đó, như báo cáo định kỳ tính tại ngày chốt số"
            " liệu."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # ?from=&to= (names Python keeps for itself): the days the cases were received, as
        # a periodic report's data period counts them (selectors.received_q); day first.
        self.fields["from"] = DateField(label=_("Tiếp nhận từ ngày"), required=False)
        self.fields["to"] = DateField(label=_("đến ngày"), required=False)
        self.fields["on_time"] = self.fields.pop("on_time")  # after the dates it reads
        self.style_widgets()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("from"), data.get("to")
        if start and end and end < start:
            self.add_error(
                "to",
                _(
                    "Ngày cuối (%(end)s) trước ngày đầu (%(start)s). Nhập “đến ngày” bằng"
                    " hoặc sau “Tiếp nhận từ ngày”."
                )
                % {"start": f"{start:%d/%m/%Y}", "end": f"{end:%d/%m/%Y}"},
            )
        return data


class StatsFilterForm(UnitFilterForm):
    """Unit and the window of received dates: `from` and `to` (YYYY-MM-DD)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["from"] = DateField(
            label=_("Nhận từ ngày"),
            required=False,
            error_messages={"invalid": _BAD_DATE},
        )
        self.fields["to"] = DateField(
            label=_("Đến ngày"),
            required=False,
            error_messages={"invalid": _BAD_DATE},
        )
        self.initial.setdefault("from", dt.date(today.year, 1, 1))
        self.initial.setdefault("to", today)
        self.style_widgets()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate()
        start = data.get("from") or dt.date(today.year, 1, 1)
        end = data.get("to") or today
        if start > end:
            self.add_error("to", _("Ngày kết thúc phải sau ngày bắt đầu."))
        data["from"], data["to"] = start, end
        return data


# -- intake ---------------------------------------------------------------------------


class ReceiveForm(BootstrapMixin, forms.Form):
    """A case received at the unit: what it is about, and who sent it (personal data)."""

    unit = forms.ChoiceField(
        label=_("Đơn vị tiếp nhận"),
        error_messages={
            "required": _("Chọn đơn vị tiếp nhận."),
            "invalid_choice": _("Bạn không được tiếp nhận vụ việc cho đơn vị này."),
        },
    )
    kind = forms.ChoiceField(
        label=_("Loại vụ việc"),
        choices=_blank(_("— Chọn loại —")) + KIND_CHOICES,
        error_messages={"required": _("Chọn loại vụ việc."), "invalid_choice": _BAD_KIND},
    )
    channel = forms.ChoiceField(
        label=_("Kênh tiếp nhận"),
        choices=Channel.choices,
        error_messages={
            "required": _("Chọn kênh tiếp nhận."),
        },
    )
    received_on = DateField(
        label=_("Ngày nhận"),
        error_messages={"required": _("Nhập ngày nhận."), "invalid": _BAD_DATE},
    )
    subject = forms.CharField(
        label=_("Tóm tắt nội dung"),
        max_length=300,
        error_messages={"required": _("Ghi tóm tắt nội dung vụ việc.")},
    )
    content = forms.CharField(
        label=_("Nội dung"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea({"rows": 5}),
        error_messages={"required": _("Ghi nội dung vụ việc.")},
    )
    round = forms.TypedChoiceField(
        label=_("Lần khiếu nại"),
        choices=ROUND_CHOICES,
        coerce=int,
        initial=1,
        required=False,
        help_text=_("Chỉ với khiếu nại."),
    )
    previous = forms.CharField(
        label=_("Vụ việc lần đầu (số hồ sơ hoặc mã tra cứu)"),
        max_length=40,
        required=False,
        help_text=_("Bắt buộc với khiếu nại lần hai."),
    )
    complex = forms.BooleanField(label=_("Vụ việc phức tạp"), required=False)
    remote = forms.BooleanField(label=_("Vùng sâu, vùng xa, đi lại khó khăn"), required=False)
    complexity = forms.TypedChoiceField(
        label=_("Mức độ phức tạp (tố cáo)"),
        choices=COMPLEXITY_CHOICES,
        coerce=int,
        initial=0,
        required=False,
        help_text=_("Quyết định số lần được gia hạn (Luật Tố cáo 2018, Điều 30)."),
    )
    reception_session = SessionChoiceField(
        label=_("Buổi tiếp công dân"),
        queryset=ReceptionSession.objects.none(),
        required=False,
        empty_label=_("— Không qua buổi tiếp —"),
    )
    # The sender: personal data, encrypted into its own row by the service.
    full_name = forms.CharField(label=_("Họ và tên người gửi"), max_length=200, required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)
    id_number = forms.CharField(label=_("Số định danh cá nhân"), max_length=20, required=False)
    phone = forms.CharField(
        label=_("Điện thoại"),
        max_length=32,
        required=False,
        validators=[validate_phone],
        help_text=PHONE_HELP,
    )
    email = forms.EmailField(label=_("Thư điện tử"), max_length=254, required=False)
    scans = MultipleFileField(
        label=_("Bản quét đơn, giấy tờ"), required=False, help_text=_FILES_HINT
    )

    SENDER_FIELDS: ClassVar[tuple[str, ...]] = (
        "full_name",
        "address",
        "id_number",
        "phone",
        "email",
        "scans",
    )
    CASE_FIELDS: ClassVar[tuple[str, ...]] = (
        "unit",
        "kind",
        "channel",
        "received_on",
        "subject",
        "content",
        "round",
        "previous",
        "complex",
        "remote",
        "complexity",
        "reception_session",
    )

    def __init__(self, *args: Any, actor: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.units = {u.code: u for u in units}
        self.fields["unit"].choices = [(u.code, u.name) for u in units]  # type: ignore[attr-defined]
        recent = timezone.localdate() - dt.timedelta(days=180)
        sessions = ReceptionSession.objects.filter(unit__in=units, held_on__gte=recent)
        field = self.fields["reception_session"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = sessions.select_related("leader", "unit").order_by("-held_on", "-id")
        for name in ("full_name", "address", "id_number", "phone", "email"):
            self.fields[name].widget.attrs["autocomplete"] = "off"
        self.initial.setdefault("received_on", timezone.localdate())
        self.initial.setdefault("channel", Channel.IN_PERSON)

    def clean_unit(self) -> Unit:
        return self.units[self.cleaned_data["unit"]]

    def clean_previous(self) -> Case | None:
        text = self.cleaned_data.get("previous", "").strip()
        if not text:
            return None
        found = find_case(self.actor, text)
        if found is None:
            raise forms.ValidationError(
                _("Không tìm thấy vụ việc “%(code)s” trong các vụ việc bạn được xem."),
                params={"code": text},
            )
        return found

    def clean_received_on(self) -> Any:
        # A letter received more than five years ago is a typo (the service refuses a
        # date in the future itself).
        value = self.cleaned_data.get("received_on")
        DateWindow(past_years=5)(value)
        return value

    def service_checks(self, data: dict[str, Any]) -> None:
        if all(name in data for name in ("full_name", "address", "id_number", "phone")):
            data["sender"] = Identity(
                full_name=data["full_name"].strip(),
                address=data["address"].strip(),
                id_number=data["id_number"].strip(),
                phone=data["phone"].strip(),
                email=(data.get("email") or "").strip(),
            )
        services.case_receive_checks(data)

    def sender_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.SENDER_FIELDS]

    def case_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.CASE_FIELDS]


# -- actions on one case --------------------------------------------------------------


class ActionForm(BootstrapMixin, forms.Form):
    """An action on one case, with the version of the case the officer saw."""

    action: ClassVar[str] = ""
    versioned: ClassVar[bool] = True
    multipart: ClassVar[bool] = False

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Thiếu phiên bản của vụ việc: hãy tải lại trang."),
            "invalid": _("Thiếu phiên bản của vụ việc: hãy tải lại trang."),
        },
    )

    def __init__(self, *args: Any, case: Case, actor: Any, **kwargs: Any) -> None:
        # Several action forms share the detail page: keep their ids apart.
        kwargs.setdefault("auto_id", f"id_{self.action}_%s")
        super().__init__(*args, **kwargs)
        self.case = case
        self.actor = actor
        picker.bind(self, actor)
        self.url = reverse(f"cases:{self.action}", args=[case.public_id])
        if not self.versioned:
            del self.fields["version"]
        else:
            self.initial.setdefault("version", case.version)

    @property
    def label(self) -> Any:
        return ACTION_LABELS[self.action]

    def add_error(self, field: str | None, error: Any) -> None:
        # A refusal about a hidden field (the version) is for the summary on top: there is
        # no visible field to put it beside.
        if field is not None and field in self.fields and self.fields[field].widget.is_hidden:
            field = None
        super().add_error(field, error)


def _date_field(label: Any, *, required: bool = True) -> DateField:
    return DateField(
        label=label,
        required=required,
        error_messages={"required": _("Nhập ngày."), "invalid": _BAD_DATE},
    )


def _text_field(label: Any, required_message: Any, *, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=5000,
        widget=forms.Textarea({"rows": rows}),
        error_messages={"required": required_message},
    )


class ClassifyForm(ActionForm):
    action = "classify"

    kind = forms.ChoiceField(
        label=_("Loại vụ việc"),
        choices=KIND_CHOICES,
        error_messages={"required": _("Chọn loại vụ việc."), "invalid_choice": _BAD_KIND},
    )
    round = forms.TypedChoiceField(
        label=_("Lần khiếu nại"), choices=ROUND_CHOICES, coerce=int, required=False
    )
    previous = forms.CharField(
        label=_("Vụ việc lần đầu (số hồ sơ hoặc mã tra cứu)"), max_length=40, required=False
    )
    complex = forms.BooleanField(label=_("Vụ việc phức tạp"), required=False)
    remote = forms.BooleanField(label=_("Vùng sâu, vùng xa, đi lại khó khăn"), required=False)
    complexity = forms.TypedChoiceField(
        label=_("Mức độ phức tạp (tố cáo)"),
        choices=COMPLEXITY_CHOICES,
        coerce=int,
        required=False,
    )

    def __init__(self, *args: Any, case: Case, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, case=case, actor=actor, **kwargs)
        self.initial.setdefault("kind", case.kind)
        self.initial.setdefault("round", case.round or 1)
        self.initial.setdefault("complex", case.complex)
        self.initial.setdefault("remote", case.remote)
        self.initial.setdefault("complexity", case.complexity)
        if case.previous_id and case.previous is not None:
            self.initial.setdefault("previous", case.previous.reference)

    def clean_previous(self) -> Case | None:
        text = self.cleaned_data.get("previous", "").strip()
        if not text:
            return None
        found = find_case(self.actor, text)
        if found is None:
            raise forms.ValidationError(
                _("Không tìm thấy vụ việc “%(code)s” trong các vụ việc bạn được xem."),
                params={"code": text},
            )
        return found

    def service_checks(self, data: dict[str, Any]) -> None:
        services.case_classify_checks(data, case=self.case)


class AssignForm(ActionForm):
    action = "assign"

    users = UserMultipleChoiceField(
        label=_("Cán bộ xử lý"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Chọn ít nhất một cán bộ."),
            "invalid_choice": _("Cán bộ được chọn không có quyền xử lý vụ việc của đơn vị."),
        },
    )
    lead = UserChoiceField(
        label=_("Cán bộ chủ trì (thụ lý)"),
        queryset=User.objects.none(),
        empty_label=_("— Chọn cán bộ chủ trì —"),
        error_messages={
            "required": _("Chọn cán bộ chủ trì."),
            "invalid_choice": _("Cán bộ được chọn không có quyền xử lý vụ việc của đơn vị."),
        },
    )

    def __init__(
        self, *args: Any, case: Case, actor: Any, candidates: QuerySet[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, case=case, actor=actor, **kwargs)
        for name in ("users", "lead"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = candidates
        if case.handler_id:
            self.initial.setdefault("lead", case.handler_id)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        users, lead = data.get("users"), data.get("lead")
        if users is not None and lead is not None and lead not in users:
            data["users"] = [*users, lead]
        return data


class AcceptForm(ActionForm):
    action = "accept"

    accepted_on = _date_field(_("Ngày thụ lý"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("accepted_on", timezone.localdate())


class RefuseForm(ActionForm):
    action = "refuse"

    reason = _text_field(_("Lý do không thụ lý"), _("Cần ghi lý do không thụ lý."))
    answer_number = forms.CharField(
        label=_("Số, ký hiệu văn bản trả lời"),
        max_length=60,
        help_text=_("Ví dụ: 123/UBND-VP."),
        error_messages={"required": _NO_DECISION},
    )
    decided_on = _date_field(_("Ngày văn bản"), required=False)
    public_answer = forms.CharField(
        label=_("Nội dung trả lời công khai (không có thông tin cá nhân)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea({"rows": 2}),
        help_text=_("Công dân xem được bằng mã tra cứu. Để trống: dùng lý do."),
    )


class TransferForm(ActionForm):
    action = "transfer"

    # Any current unit in the system may be competent (the service refuses ended ones
    # and the case's own unit), so the picker offers them all to whoever may transfer.
    to_unit_code = picker.UnitField(
        purpose=Perm.CASE_HANDLE,
        anywhere=True,
        label=_("Đơn vị có thẩm quyền"),
        error_messages={"required": _("Chọn đơn vị nhận vụ việc: gõ tên (không cần dấu) hoặc mã.")},
    )
    note = forms.CharField(
        label=_("Ghi chú chuyển"),
        max_length=2000,
        required=False,
        widget=forms.Textarea({"rows": 2}),
    )

    def service_checks(self, data: dict[str, Any]) -> None:
        if "to_unit_code" in data:
            # The picker cleaned the field to a Unit; the service takes its code.
            services.transfer_target(case=self.case, to_unit_code=data["to_unit_code"].code)


class StepForm(ActionForm):
    action = "add_step"
    versioned = False  # a step adds to the case; it never overwrites what another saved

    kind = forms.ChoiceField(
        label=_("Loại bước"),
        choices=[
            (k.value, k.label)
            for k in (StepKind.VERIFY, StepKind.MEETING, StepKind.DOCUMENT, StepKind.NOTE)
        ],
    )
    on = _date_field(_("Ngày"))
    text = _text_field(_("Nội dung"), _("Cần ghi nội dung bước xử lý."))
    document_number = forms.CharField(label=_("Số văn bản (nếu có)"), max_length=60, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("on", timezone.localdate())


class DocumentForm(ActionForm):
    action = "add_document"
    versioned = False
    multipart = True

    file = forms.FileField(
        label=_("Tệp"),
        help_text=_FILES_HINT,
        error_messages={"required": _("Chọn tệp cần tải lên.")},
    )
    title = forms.CharField(label=_("Tiêu đề"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = _ACCEPT_FILES


class ExtendForm(ActionForm):
    action = "extend"

    decision_number = forms.CharField(
        label=_("Số, ký hiệu quyết định gia hạn"),
        max_length=60,
        help_text=_("Ví dụ: 12/QĐ-UBND."),
        error_messages={"required": _("Gia hạn phải có quyết định bằng văn bản.")},
    )
    complexity = forms.TypedChoiceField(
        label=_("Mức độ phức tạp"),
        choices=_blank(_("— Giữ nguyên —")) + COMPLEXITY_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    on = _date_field(_("Ngày quyết định"), required=False)


class PauseForm(ActionForm):
    action = "pause"

    on = _date_field(_("Tạm đình chỉ từ ngày"))
    reason = _text_field(_("Lý do tạm đình chỉ"), _("Cần ghi lý do tạm đình chỉ."), rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("on", timezone.localdate())


class ResumeForm(ActionForm):
    action = "resume"

    on = _date_field(_("Tiếp tục giải quyết từ ngày"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("on", timezone.localdate())


class ResolveForm(ActionForm):
    action = "resolve"

    decision_number = forms.CharField(
        label=_("Số, ký hiệu quyết định hoặc văn bản trả lời"),
        max_length=60,
        help_text=_("Ví dụ: 15/QĐ-UBND, 25/KL-UBND."),
        error_messages={"required": _NO_DECISION},
    )
    decision_date = _date_field(_("Ngày ban hành"), required=False)
    result_summary = _text_field(_("Kết quả giải quyết"), _("Cần ghi kết quả giải quyết."))
    public_answer = _text_field(
        _("Nội dung trả lời công khai (không có thông tin cá nhân)"),
        _("Cần ghi nội dung trả lời công khai (không có thông tin cá nhân)."),
        rows=2,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("decision_date", timezone.localdate())


class WithdrawForm(ActionForm):
    action = "withdraw"

    on = _date_field(_("Ngày rút đơn"))
    note = _text_field(_("Căn cứ rút đơn"), _("Cần ghi căn cứ rút đơn."), rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("on", timezone.localdate())


class ModerateForm(ActionForm):
    """What the portal and Open311 may show of a feedback or petition (services.
    case_moderate_public): a summary without personal data, and the photos chosen."""

    action = "moderate"

    summary = forms.CharField(
        label=_("Tóm tắt công khai"),
        max_length=2000,
        required=False,
        widget=forms.Textarea({"rows": 3}),
        help_text=_(
            "Hiện trên cổng thông tin và Open311 khi công khai. Không ghi họ tên, số điện "
            "thoại, địa chỉ nhà riêng hay lời buộc tội người khác."
        ),
    )
    publish = forms.TypedChoiceField(
        label=_("Quyết định"),
        choices=[
            ("1", _("Công khai tóm tắt, địa điểm và ảnh đã chọn")),
            ("0", _("Không công khai")),
        ],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    photos = forms.TypedMultipleChoiceField(
        label=_("Ảnh được công khai"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        case = self.case
        photos = [d for d in case.documents.all() if d.citizen_photo]
        field = self.fields["photos"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(d.pk, d.title or d.original_name) for d in photos]
        if not photos:
            del self.fields["photos"]
        else:
            self.initial.setdefault("photos", [d.pk for d in photos if d.public])
        # A starting point the officer checks: the citizen's one-line summary.
        self.initial.setdefault("summary", case.public_summary or case.subject)
        # Pending: no choice made for the officer; they decide consciously.
        if case.public_state != PublicState.PENDING:
            self.initial.setdefault("publish", "1" if case.is_public else "0")


ACTION_FORMS: dict[str, type[ActionForm]] = {
    form.action: form
    for form in (
        ClassifyForm,
        AssignForm,
        AcceptForm,
        RefuseForm,
        TransferForm,
        StepForm,
        DocumentForm,
        ExtendForm,
        PauseForm,
        ResumeForm,
        ResolveForm,
        WithdrawForm,
        ModerateForm,
    )
}
