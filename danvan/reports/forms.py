"""Forms of the regimes' and templates' edit pages. They parse input only: the checks
live in the models' clean(), which the services run (a refusal comes back beside its
field). The fields come from the models, so a label or a choice is said once."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import BootstrapMixin, DateField
from danvan.units.models import UnitKind

from . import services
from .indicators import queries, table_queries
from .models import Indicator, Regime, RegimeDeadline, ReportTemplate, Section, ValidationRule


def _fields(model: type[Any], names: tuple[str, ...]) -> dict[str, forms.Field]:
    return dict(forms.fields_for_model(model, fields=names))


_REGIME = _fields(Regime, services.REGIME_FIELDS)
_TEMPLATE = _fields(ReportTemplate, services.TEMPLATE_FIELDS)
_SECTION = _fields(Section, services.SECTION_FIELDS)
_INDICATOR = _fields(Indicator, services.INDICATOR_FIELDS)
_RULE = _fields(ValidationRule, services.RULE_FIELDS)


class RegimeForm(BootstrapMixin, forms.Form):
    """Field names are the arguments of services.regime_create / regime_update."""

    code = _REGIME["code"]
    name = _REGIME["name"]
    issuer_kind = _REGIME["issuer_kind"]
    content = _REGIME["content"]
    reporters = _REGIME["reporters"]
    receivers = _REGIME["receivers"]
    sending_method = _REGIME["sending_method"]
    frequency = _REGIME["frequency"]
    period_start_day = _REGIME["period_start_day"]
    period_start_month = _REGIME["period_start_month"]
    period_end_day = _REGIME["period_end_day"]
    period_end_month = _REGIME["period_end_month"]
    citation = _REGIME["citation"]
    to_verify = _REGIME["to_verify"]
    note = _REGIME["note"]


class DeadlinesForm(BootstrapMixin, forms.Form):
    """One box per unit kind: the working days after the cut-off (empty: no deadline)."""

    def __init__(self, *args: Any, regime: Regime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = {d.unit_kind: d.working_days for d in regime.deadlines.all()}
        working_days = RegimeDeadline._meta.get_field("working_days")
        for value, label in UnitKind.choices:
            self.fields[value] = forms.IntegerField(
                label=label,
                required=False,
                min_value=1,
                max_value=365,
                initial=current.get(value),
                help_text=working_days.help_text if value == UnitKind.COMMUNE else "",
            )
        self.style_widgets()

    def days(self) -> dict[str, int | None]:
        return {kind: self.cleaned_data.get(kind) for kind in UnitKind.values}


class TemplateForm(BootstrapMixin, forms.Form):
    """Field names are the arguments of services.template_update (and _create)."""

    name = _TEMPLATE["name"]
    effective_from = DateField(label=_("Áp dụng từ ngày"))
    active = _TEMPLATE["active"]


class NewVersionForm(BootstrapMixin, forms.Form):
    """Field names are the arguments of services.template_new_version."""

    name = forms.CharField(label=_("Tên mẫu báo cáo"), max_length=300)
    effective_from = DateField(label=_("Phiên bản mới áp dụng từ ngày"))


class SectionForm(BootstrapMixin, forms.Form):
    order = _SECTION["order"]
    title = _SECTION["title"]
    guidance = _SECTION["guidance"]


class IndicatorForm(BootstrapMixin, forms.Form):
    """The query is typed (a name): an unknown one is refused with the list of the known
    ones (Indicator.clean), which the hint lists too."""

    section = _INDICATOR["section"]
    order = _INDICATOR["order"]
    code = _INDICATOR["code"]
    label = _INDICATOR["label"]
    unit_of_measure = _INDICATOR["unit_of_measure"]
    kind = _INDICATOR["kind"]
    source = _INDICATOR["source"]
    query = _INDICATOR["query"]
    aggregation = _INDICATOR["aggregation"]
    rows = _INDICATOR["rows"]
    allow_negative = _INDICATOR["allow_negative"]
    outlier_pct = _INDICATOR["outlier_pct"]

    def __init__(self, *args: Any, template: ReportTemplate, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        section = cast(forms.ModelChoiceField, self.fields["section"])
        section.queryset = Section.objects.filter(template=template).order_by("order")
        section.empty_label = _("— Không thuộc phần nào —")
        self.fields["query"].help_text = _(
            "Chỉ với chỉ tiêu tính từ dữ liệu. Các truy vấn có: %(names)s. Truy vấn dạng bảng"
            " (cho chỉ tiêu loại “Bảng”): %(tables)s."
        ) % {
            "names": ", ".join(f"{q.name} ({q.label})" for q in queries()),
            "tables": ", ".join(f"{q.name} ({q.label})" for q in table_queries()),
        }
        self.fields["rows"].widget.attrs["rows"] = 4


class RuleForm(BootstrapMixin, forms.Form):
    """Field names are the arguments of services.validation_rule_create / _update."""

    left = _RULE["left"]
    operator = _RULE["operator"]
    right = _RULE["right"]
    message = _RULE["message"]

    def __init__(self, *args: Any, template: ReportTemplate, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("left", "right"):
            field = cast(forms.ModelChoiceField, self.fields[name])
            field.queryset = Indicator.objects.filter(template=template).order_by("order")
