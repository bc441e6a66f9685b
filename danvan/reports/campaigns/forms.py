"""The campaign forms: thin, the services check. What was typed is kept on refusal."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import BootstrapMixin
from danvan.reports.models import Regime, ReportTemplate, Source
from danvan.units import picker
from danvan.units.picker import UnitField

from . import policies, services
from .selectors import TableBlock, ValueRow, plain


def _template_label(template: ReportTemplate) -> str:
    return f"{template.regime.name} — {template}"


class OpenForm(BootstrapMixin, forms.Form):
    regime = forms.ModelChoiceField(
        label=_("Chế độ báo cáo"), queryset=Regime.objects.order_by("issuer_kind", "name")
    )
    template = forms.ModelChoiceField(
        label=_("Mẫu báo cáo"),
        queryset=ReportTemplate.objects.filter(active=True).select_related("regime"),
        help_text=_("Mẫu phải thuộc chế độ báo cáo đã chọn."),
    )
    year = forms.IntegerField(
        label=_("Năm báo cáo"),
        help_text=_("Năm kết thúc kỳ số liệu, ví dụ 2026 cho kỳ 15/12/2025 – 14/06/2026."),
    )
    period_number = forms.IntegerField(
        label=_("Kỳ trong năm"),
        initial=1,
        required=False,
        min_value=1,
        max_value=12,
        help_text=_(
            "Chế độ báo cáo 6 tháng, hằng năm: để 1. Hằng quý: quý 1–4; hằng tháng: tháng 1–12."
        ),
    )
    owner_unit = UnitField(purpose=policies.OPEN_PERM, label=_("Đơn vị mở đợt"))
    title = forms.CharField(
        label=_("Tên đợt báo cáo"),
        max_length=300,
        required=False,
        help_text=_("Để trống: tên chế độ, năm và đơn vị."),
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        picker.bind(self, actor)
        self.fields["period_number"].widget.attrs["inputmode"] = "numeric"
        template_field = self.fields["template"]
        assert isinstance(template_field, forms.ModelChoiceField)
        template_field.label_from_instance = _template_label  # type: ignore[method-assign,assignment]

    def clean_period_number(self) -> int:
        # Left empty: the one period of a half-year or annual regime.
        return int(self.cleaned_data.get("period_number") or 1)


class ReportForm(BootstrapMixin, forms.Form):
    """The values table, the tables and the narrative: one field per manual figure, per
    computed figure's override and its reason, per row of a table alike (manual-<code>.<row>,
    override-<code>.<row>, reason-<code>.<row>), and per section."""

    def __init__(
        self,
        *args: Any,
        rows: list[ValueRow],
        sections: list[tuple[Any, str]],
        tables: list[TableBlock] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.sections = sections
        self.tables = tables or []
        for row in rows:
            code, value = row.indicator.code, row.value
            if row.is_computed:
                self.fields[services.override_field(code)] = forms.CharField(
                    label=_("Điều chỉnh “%(l)s”") % {"l": row.indicator.label},
                    required=False,
                    max_length=40,
                    initial=plain(value.override) if value else "",
                )
                self.fields[services.reason_field(code)] = forms.CharField(
                    label=_("Lý do điều chỉnh “%(l)s”") % {"l": row.indicator.label},
                    required=False,
                    max_length=1000,
                    initial=value.override_reason if value else "",
                )
            else:
                self.fields[services.manual_field(code)] = forms.CharField(
                    label=row.indicator.label,
                    required=False,
                    max_length=40,
                    initial=plain(value.manual) if value else "",
                )
        for block in self.tables:
            self._table_fields(block)
        for section, text in sections:
            self.fields[services.narrative_field(section.pk)] = forms.CharField(
                label=section.title,
                required=False,
                max_length=20000,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=section.guidance,
                initial=text,
            )
        self.style_widgets()

    def _table_fields(self, block: TableBlock) -> None:
        for row in block.rows:
            name = services.cell_code(block.indicator.code, row.key)
            label = services.cell_label(block.indicator, row.label)
            cell = row.cell
            if block.is_computed:
                self.fields[services.override_field(name)] = forms.CharField(
                    label=_("Điều chỉnh “%(l)s”") % {"l": label},
                    required=False,
                    max_length=40,
                    initial=plain(cell.override) if cell else "",
                )
                self.fields[services.reason_field(name)] = forms.CharField(
                    label=_("Lý do điều chỉnh “%(l)s”") % {"l": label},
                    required=False,
                    max_length=1000,
                    initial=cell.override_reason if cell else "",
                )
            else:
                self.fields[services.manual_field(name)] = forms.CharField(
                    label=label,
                    required=False,
                    max_length=40,
                    initial=plain(cell.manual) if cell else "",
                )

    def service_args(self) -> dict[str, Any]:
        data = self.cleaned_data
        manual: dict[str, Any] = {}
        overrides: dict[str, tuple[Any, str]] = {}
        for row in self.rows:
            code = row.indicator.code
            if row.indicator.source == Source.COMPUTED:
                overrides[code] = (
                    data.get(services.override_field(code), ""),
                    data.get(services.reason_field(code), ""),
                )
            else:
                manual[code] = data.get(services.manual_field(code), "")
        narratives = {
            section.pk: data.get(services.narrative_field(section.pk), "")
            for section, _t in self.sections
        }
        table_manual: dict[str, dict[str, Any]] = {}
        table_overrides: dict[str, dict[str, tuple[Any, str]]] = {}
        for block in self.tables:
            code = block.indicator.code
            for line in block.rows:
                if line.cell is None:  # no row written yet (before the snapshot)
                    continue
                name = services.cell_code(code, line.key)
                if block.is_computed:
                    table_overrides.setdefault(code, {})[line.key] = (
                        data.get(services.override_field(name), ""),
                        data.get(services.reason_field(name), ""),
                    )
                else:
                    table_manual.setdefault(code, {})[line.key] = data.get(
                        services.manual_field(name), ""
                    )
        return {
            "manual": manual,
            "overrides": overrides,
            "narratives": narratives,
            "table_manual": table_manual,
            "table_overrides": table_overrides,
        }


class _OwnIds:
    """The report page holds several small forms with a "message" field: each names its
    ids after itself (id="return_message"), so that every label points at its own box."""

    id_prefix = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class SubmitForm(_OwnIds, BootstrapMixin, forms.Form):
    id_prefix = "submit"

    rule_reason = forms.CharField(
        label=_("Giải trình số liệu chưa thỏa quy tắc kiểm tra"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Chỉ cần khi có cảnh báo quy tắc kiểm tra; cấp duyệt sẽ thấy giải trình."),
    )


class ApproveForm(_OwnIds, BootstrapMixin, forms.Form):
    id_prefix = "approve"

    message = forms.CharField(
        label=_("Ý kiến (không bắt buộc)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReturnForm(_OwnIds, BootstrapMixin, forms.Form):
    id_prefix = "return"

    message = forms.CharField(
        label=_("Nội dung cần bổ sung, sửa"),
        required=False,  # the service says what is missing, in its own words
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReopenRequestForm(_OwnIds, BootstrapMixin, forms.Form):
    id_prefix = "reopen_request"

    reason = forms.CharField(
        label=_("Lý do đề nghị mở lại"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReopenDecideForm(_OwnIds, BootstrapMixin, forms.Form):
    id_prefix = "reopen_decide"

    decision = forms.ChoiceField(
        label=_("Quyết định"),
        choices=[("grant", _("Đồng ý mở lại")), ("refuse", _("Không đồng ý"))],
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("Ý kiến"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Bắt buộc khi không đồng ý."),
    )


class DocumentForm(_OwnIds, BootstrapMixin, forms.Form):
    id_prefix = "document"

    """How the report is issued as a document: the heading, number, place and signer
    (Decree 30/2020 art. 8; the Party layout for a Party regime)."""

    doc_number = forms.CharField(
        label=_("Số, ký hiệu văn bản"),
        max_length=60,
        required=False,
        help_text=_("Theo sổ văn bản đi của đơn vị, ví dụ 125/BC-UBND hoặc 12-BC/ĐU."),
    )
    superior_body = forms.CharField(
        label=_("Cơ quan, tổ chức chủ quản"), max_length=200, required=False
    )
    issuer_body = forms.CharField(label=_("Cơ quan ban hành"), max_length=200, required=False)
    doc_place = forms.CharField(label=_("Địa danh"), max_length=100, required=False)
    signing_authority = forms.CharField(
        label=_("Quyền hạn ký"),
        max_length=60,
        required=False,
        help_text=_(
            "Ví dụ TM. ỦY BAN NHÂN DÂN, KT. CHỦ TỊCH (Nhà nước); T/M BAN THƯỜNG VỤ (Đảng)."
        ),
    )
    signer_position = forms.CharField(label=_("Chức vụ người ký"), max_length=100, required=False)
    signer_name = forms.CharField(label=_("Họ tên người ký"), max_length=100, required=False)
    recipients = forms.CharField(
        label=_("Nơi nhận"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mỗi dòng một nơi nhận; dòng cuối là nơi lưu, ví dụ “- Lưu: VT.”."),
    )


class RestatedForm(BootstrapMixin, forms.Form):
    """Which past year's reports to count under which unit of today."""

    unit = picker.UnitField(
        purpose=policies.VIEW_PERM,
        label=_("Đơn vị hiện nay"),
        help_text=_("Gõ tên (không cần dấu) hoặc mã, rồi chọn."),
    )
    regime = forms.ModelChoiceField(
        label=_("Chế độ báo cáo"), queryset=Regime.objects.order_by("issuer_kind", "name")
    )
    year = forms.IntegerField(label=_("Năm báo cáo"), min_value=2000, max_value=2100)

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        picker.bind(self, actor)
