"""The forms of the proposals pages: the text to propose from, then one card per proposal.

The forms parse; the tasks service decides (``task_checks`` runs in the same pass on every
kept card, and ``tasks_create_from_proposals`` runs it again before writing)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import ErrorDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.accounts.policies import Perm
from danvan.core.errors import Checks, DomainError, Problem
from danvan.core.forms import BootstrapMixin, DateField
from danvan.core.uploads import check_upload
from danvan.directives.tasks import services as task_services
from danvan.units import picker
from danvan.units.models import Unit

from .extract import text_from_docx

# A conclusion is a few pages; a whole report pasted by mistake is refused, not read.
MAX_TEXT = 100_000
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
KEEP, DROP = "keep", "drop"


class StartForm(BootstrapMixin, forms.Form):
    """The text of the conclusion: pasted, or read from its .docx."""

    text = forms.CharField(
        label=gettext_lazy("Nội dung kết luận"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=gettext_lazy(
            "Dán nội dung thông báo kết luận (hoặc phần giao nhiệm vụ); mỗi đoạn một dòng."
        ),
    )
    file = forms.FileField(
        label=gettext_lazy("Hoặc tải tệp Word (.docx)"),
        required=False,
        help_text=gettext_lazy("Nếu chọn tệp, hệ thống đọc nội dung từ tệp thay cho ô trên."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload:
            try:
                content_type = check_upload(upload, code="proposal_bad_file", field="file")
            except DomainError as exc:
                self.add_error("file", exc.message)
                return data
            if content_type != DOCX:
                self.add_error(
                    "file", _("Chỉ đọc được tệp Word (.docx); tệp PDF hoặc ảnh hãy dán nội dung.")
                )
                return data
            try:
                text = text_from_docx(upload)
            except Exception:  # a damaged file (zip or XML errors): say so, keep the page
                self.add_error(
                    "file", _("Không đọc được tệp này; hãy mở bằng Word, lưu lại rồi thử lại.")
                )
                return data
            if len(text) > MAX_TEXT:
                self.add_error(
                    "file",
                    _("Tệp quá dài (tối đa %(n)s ký tự nội dung).") % {"n": f"{MAX_TEXT:,}"},
                )
                return data
            data["text"] = text
        if not (data.get("text") or "").strip() and "text" not in self.errors:
            self.add_error(
                "text", _("Dán nội dung kết luận, hoặc chọn tệp Word (.docx) chứa nội dung đó.")
            )
        return data


class CardForm(BootstrapMixin, forms.Form):
    """One proposal as the clerk confirms it (prefix "p<n>"). A dropped card is not
    validated: nothing typed there matters. The units offered are the actor's for
    DIRECTIVE_MANAGE; every unit chosen must also lie in the source unit's subtree."""

    keep = forms.ChoiceField(
        label=gettext_lazy("Giữ hay bỏ"),
        choices=[(KEEP, gettext_lazy("Giữ")), (DROP, gettext_lazy("Bỏ"))],
        widget=forms.RadioSelect,
        initial=KEEP,
    )
    title = forms.CharField(
        label=gettext_lazy("Nhiệm vụ"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    leads = picker.UnitMultipleField(
        purpose=Perm.DIRECTIVE_MANAGE,
        required=False,
        label=gettext_lazy("Đơn vị chủ trì"),
        help_text=gettext_lazy(
            "Mỗi đơn vị chủ trì nhận một nhiệm vụ riêng. Gõ tên (không cần dấu) rồi chọn."
        ),
    )
    expand = forms.BooleanField(required=False, label=gettext_lazy("Giao cho từng đơn vị"))
    coordinating_units = picker.UnitMultipleField(
        purpose=Perm.DIRECTIVE_MANAGE, required=False, label=gettext_lazy("Đơn vị phối hợp")
    )
    expand_coordinating = forms.BooleanField(
        required=False, label=gettext_lazy("Phối hợp với từng đơn vị")
    )
    deliverable = forms.CharField(
        label=gettext_lazy("Sản phẩm"),
        max_length=500,
        required=False,
        help_text=gettext_lazy("Ví dụ: báo cáo kết quả, kế hoạch triển khai."),
    )
    due_on = DateField(
        label=gettext_lazy("Thời hạn"),
        required=False,
        help_text=gettext_lazy("dd/mm/yyyy; hoặc để trống và ghi số ngày làm việc."),
    )
    due_working_days = forms.IntegerField(
        label=gettext_lazy("Hoặc: số ngày làm việc"),
        required=False,
        min_value=1,
        max_value=task_services.MAX_DUE_WORKING_DAYS,
    )
    due_from_event = forms.CharField(
        label=gettext_lazy("kể từ sự kiện"), required=False, max_length=200
    )
    due_from_date = DateField(label=gettext_lazy("Ngày diễn ra sự kiện"), required=False)

    def __init__(
        self,
        *args: Any,
        actor: Any,
        root: Unit,
        collective_label: str = "",
        collective_help: str = "",
        coordinating_label: str = "",
        coordinating_help: str = "",
        plan: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        picker.bind(self, actor)
        self.root = root
        self.plan = plan
        self.collective_label = collective_label
        if collective_label:
            self.fields["expand"].label = collective_label
            self.fields["expand"].help_text = collective_help
        else:
            del self.fields["expand"]
        # A collective among the coordinating units ("phối hợp với UBND các xã"): each of
        # its units coordinates, shown here (how many, which) before the clerk confirms.
        self.coordinating_label = coordinating_label
        if coordinating_label:
            self.fields["expand_coordinating"].label = coordinating_label
            self.fields["expand_coordinating"].help_text = coordinating_help
        else:
            del self.fields["expand_coordinating"]

    @property
    def dropped(self) -> bool:
        return self.is_bound and self.data.get(self.add_prefix("keep")) == DROP

    def full_clean(self) -> None:
        if self.dropped:
            # Nothing on a dropped card is read: no errors, nothing created.
            self._errors = ErrorDict()
            self.cleaned_data = {"keep": DROP}
            return
        super().full_clean()

    def _in_root(self, units: list[Unit], field: str) -> list[Unit]:
        """*units* inside the source unit's subtree; the others are refused as missing
        (a posted code is never trusted, even one the picker would allow elsewhere)."""
        outside = [u for u in units if not u.is_descendant_of(self.root)]
        for unit in outside:
            self.add_error(field, _("Không tìm thấy đơn vị “%(unit)s”.") % {"unit": unit.name})
        return [u for u in units if u.is_descendant_of(self.root)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "leads" in data:
            data["leads"] = self._in_root(data["leads"], "leads")
        if "coordinating_units" in data:
            data["coordinating_units"] = self._in_root(
                data["coordinating_units"], "coordinating_units"
            )
        if "leads" in data and not data["leads"] and not data.get("expand"):
            self.add_error(
                "leads",
                _("Chọn đơn vị chủ trì (gõ tên, không cần dấu) hoặc chọn “Bỏ” đề xuất này."),
            )
        return data

    def service_checks(self, data: dict[str, Any]) -> None:
        """``task_checks`` for each lead unit (each gets its own task); the problems of
        the lead unit show beside "leads", each message once."""
        checks = Checks()
        for lead in data.get("leads") or [None]:
            try:
                task_services.task_checks(
                    {
                        "title": data.get("title", ""),
                        "deliverable": data.get("deliverable", ""),
                        "lead_unit": lead,
                        "coordinating_units": data.get("coordinating_units") or [],
                        "due_on": data.get("due_on"),
                        "due_working_days": data.get("due_working_days"),
                        "due_from_event": data.get("due_from_event", ""),
                        "due_from_date": data.get("due_from_date"),
                    },
                    plan=self.plan,
                    assigner_unit=self.root,
                )
            except DomainError as exc:
                for problem in exc.problems:
                    field = FIELD_OF.get(problem.field or "", problem.field)
                    if Problem(field, problem.code, problem.message) not in checks.problems:
                        checks.refuse(problem.code, problem.message, field=field)
        checks.raise_if_any()


# The service's field names that this form names otherwise.
FIELD_OF = {"lead_unit": "leads"}
