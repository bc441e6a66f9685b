"""Reads of report regimes and templates, for their pages (a constant number of queries)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from danvan.core.errors import NotFound
from danvan.legal.workdays import WorkCalendar

from .models import Indicator, Regime, RegimeDeadline, ReportTemplate, Section, ValidationRule


def regime_list() -> QuerySet[Regime]:
    return Regime.objects.prefetch_related("templates").order_by("issuer_kind", "name")


def regime_get(*, code: str) -> Regime:
    templates = ReportTemplate.objects.prefetch_related(
        Prefetch("sections", queryset=Section.objects.order_by("order")),
        Prefetch(
            "indicators", queryset=Indicator.objects.select_related("section").order_by("order")
        ),
        Prefetch("rules", queryset=ValidationRule.objects.select_related("left", "right")),
    ).order_by("-effective_from", "-version")
    regime = (
        Regime.objects.prefetch_related(
            Prefetch("templates", queryset=templates),
            Prefetch("deadlines", queryset=RegimeDeadline.objects.order_by("working_days")),
        )
        .filter(code=code)
        .first()
    )
    if regime is None:
        raise NotFound("Không tìm thấy chế độ báo cáo.", code="regime_not_found")
    return regime


@dataclass(frozen=True)
class DeadlineRow:
    deadline: RegimeDeadline
    due: dt.date


def deadlines_for(regime: Regime, year: int) -> list[DeadlineRow]:
    """The regime's deadlines per level for the report of *year* (one calendar load)."""
    calendar = WorkCalendar()
    return [DeadlineRow(d, d.due_date(year, calendar)) for d in regime.deadlines.all()]


# -- the rows the edit pages change (regimes and templates are national rule data: every
#    reader may see them; the pages that change them check policies.can_manage_regimes) --


def template_get(*, pk: int) -> ReportTemplate:
    template = ReportTemplate.objects.select_related("regime").filter(pk=pk).first()
    if template is None:
        raise NotFound("Không tìm thấy mẫu báo cáo.", code="template_not_found")
    return template


def section_get(*, template: ReportTemplate, pk: int) -> Section:
    section = Section.objects.filter(template=template, pk=pk).first()
    if section is None:
        raise NotFound("Không tìm thấy phần báo cáo.", code="section_not_found")
    section.template = template
    return section


def indicator_get(*, template: ReportTemplate, pk: int) -> Indicator:
    indicator = Indicator.objects.select_related("section").filter(template=template, pk=pk).first()
    if indicator is None:
        raise NotFound("Không tìm thấy chỉ tiêu.", code="indicator_not_found")
    indicator.template = template
    return indicator


def rule_get(*, template: ReportTemplate, pk: int) -> ValidationRule:
    rule = (
        ValidationRule.objects.select_related("left", "right")
        .filter(template=template, pk=pk)
        .first()
    )
    if rule is None:
        raise NotFound("Không tìm thấy quy tắc kiểm tra.", code="rule_not_found")
    rule.template = template
    return rule
