"""Read-only pages of the report regimes and their templates, for every officer who
reads the rule data (policies.can_view_regimes). Changes go through the services; their
pages come with the campaigns (issue 13, later slices)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.core.http import domain_http

from . import policies, selectors
from .indicators import queries


def _require_view(request: HttpRequest) -> None:
    if not policies.can_view_regimes(request.user):
        raise HttpForbidden(
            _("Chế độ báo cáo dành cho cán bộ thực hiện, tổng hợp báo cáo định kỳ.")
        )


@login_required
def regime_list(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    regimes = list(selectors.regime_list())
    return render(
        request,
        "reports/regime_list.html",
        {"regimes": regimes, "to_verify_count": sum(1 for r in regimes if r.to_verify)},
    )


@login_required
@domain_http
def regime_detail(request: HttpRequest, code: str) -> HttpResponse:
    _require_view(request)
    regime = selectors.regime_get(code=code)
    year = timezone.localdate().year
    start, end = regime.period(year)
    labels = {q.name: q.label for q in queries()}
    templates = list(regime.templates.all())
    for template in templates:
        for indicator in template.indicators.all():
            indicator.query_label = labels.get(indicator.query, "")  # type: ignore[attr-defined]
    return render(
        request,
        "reports/regime_detail.html",
        {
            "regime": regime,
            "year": year,
            "period_start": start,
            "period_end": end,
            "deadlines": selectors.deadlines_for(regime, year),
            "templates": templates,
        },
    )
