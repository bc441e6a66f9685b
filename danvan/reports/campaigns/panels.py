"""The report panel of the home page (issue 13, item 6): "the home page of a province or
commune user shows the current campaign's progress and the key indicators of the
subtree with their trend, each opening its list".

The dashboard has no registry of panels: it sits above the areas and calls this module
(its arrows point down; nothing here imports the dashboard). The reads are
compare.selectors.home_progress; this module only renders them.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from danvan.units.models import Unit, UnitKind

from .compare import selectors

# The levels that report and read their subtree's reports on their home page.
HOME_KINDS = (UnitKind.PROVINCE, UnitKind.COMMUNE)


def home_panel(request: HttpRequest, unit: Unit | None) -> SafeString | None:
    """The panel's HTML for the user working in *unit*, or None when there is nothing to
    show: not a province or commune, no open campaign covering it, or not readable."""
    if unit is None or unit.kind not in HOME_KINDS:
        return None
    progress = selectors.home_progress(user=request.user, unit=unit, today=timezone.localdate())
    if not progress.rows:
        return None
    html = render_to_string(
        "report_campaigns/_home_panel.html",
        {
            "unit": unit,
            "progress": progress,
            "rows": [
                {
                    "p": row,
                    # The board under the user's unit (campaign_detail takes ?unit=).
                    "board_url": f"{row.campaign.get_absolute_url()}?"
                    + urlencode({"unit": unit.code}),
                    "compare_url": reverse(
                        "report_campaigns:compare", kwargs={"public_id": row.report.public_id}
                    )
                    if row.report is not None
                    else "",
                }
                for row in progress.rows
            ],
            "list_url": reverse("report_campaigns:list"),
        },
        request=request,
    )
    # Rendered from this app's template (autoescaped): its output is HTML.
    return mark_safe(html)  # noqa: S308
