"""The statistics page's "change on the previous period" line, as one template tag.

A province's page shows about 900 numbers, each with its change: rendering a template
include per number was most of the page's time, a tag is a plain function call.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from danvan.movement.stats.selectors import Change

from .entry_format import vn_number

register = template.Library()


@register.simple_tag
def stat_change(change: Change | None) -> SafeString:
    """``+12 (+4,5%)`` under a number, with a hidden "compared with the previous
    period" for screen readers; nothing when there is no previous period."""
    if change is None:
        return mark_safe("")
    percent = ""
    if change.percent is not None:
        percent = format_html(
            " ({}{}%)", "+" if change.percent > 0 else "", vn_number(change.percent)
        )
    return format_html(
        '<span class="stat-change">{}{}{}<span class="visually-hidden"> {}</span></span>',
        "+" if change.absolute > 0 else "",
        vn_number(change.absolute),
        percent,
        _("so với kỳ trước"),
    )
