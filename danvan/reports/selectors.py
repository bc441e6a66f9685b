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
