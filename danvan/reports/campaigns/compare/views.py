"""The comparison page of one report (issue 13, item 6): a thin door onto
compare.selectors. A report out of sight answers 404 like a missing one; a user who reads
no report anywhere is told why with 403, as on the campaign list."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from danvan.accounts import policies as access
from danvan.core.errors import PermissionDenied
from danvan.core.http import domain_http

from .. import policies
from .. import selectors as campaign_selectors
from . import selectors


@login_required
@domain_http
@require_GET
def report_compare(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    if not access.has_perm_anywhere(request.user, policies.VIEW_PERM):
        raise PermissionDenied(_("So sánh báo cáo dành cho cán bộ thực hiện báo cáo định kỳ."))
    report = campaign_selectors.report_get(user=request.user, public_id=public_id)
    result = selectors.comparison(report)
    return render(
        request,
        "report_campaigns/compare/report_compare.html",
        {
            "report": report,
            "campaign": report.campaign,
            "result": result,
            "chart": selectors.chart(result),
            "tables": [(table, selectors.table_chart(table)) for table in result.tables],
        },
    )
