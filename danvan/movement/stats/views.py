"""The statistics page and its Excel export: thin doors onto stats.selectors.

A unit the user may not see answers 404 like a missing one; a unit seen only as
an ancestor of the user's own (a commune officer asking for the province) 403.
Every number links to the list page (movement:list) with the filters that select
exactly the entries it counts.
"""

from __future__ import annotations

import tempfile
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.core.http import domain_http, paginate
from danvan.units import selectors as unit_selectors

from . import charts
from . import selectors as stats
from .export import statistics_workbook
from .forms import StatsFilterForm
from .selectors import MILESTONE_KEYS, MILESTONE_LABELS, Row, Statistics

_MILESTONE_QUERY = {key: urlencode({"milestone": key}) for key in MILESTONE_KEYS}


class ListLinks:
    """The list page (movement:list) showing exactly the entries behind a row's number.

    A province's page shows about 900 numbers, each a link, and its charts link their
    bars too: the list's URL is reversed once per page and each row's filters encoded
    once, and a link is then plain string formatting (``reverse()`` per cell was most of
    the page's time). The links are exactly ``?<row's filters>&milestone=<key>``, as
    ``stats.list_query(row.filters, milestone)`` writes them.
    """

    def __init__(self) -> None:
        self.base = reverse("movement:list")
        # id(row) -> (row, its encoded filters); the row is kept so its id stays its own.
        self._queries: dict[int, tuple[Row, str]] = {}

    def __call__(self, row: Row, milestone: str) -> str:
        found = self._queries.get(id(row))
        if found is None:
            found = self._queries[id(row)] = (row, urlencode(stats.list_query(row.filters)))
        query = found[1]
        milestone_q = _MILESTONE_QUERY.get(milestone) or urlencode({"milestone": milestone})
        return f"{self.base}?{query}&{milestone_q}" if query else f"{self.base}?{milestone_q}"


def _resolve(request: HttpRequest) -> tuple[StatsFilterForm, Statistics | None]:
    """The filter form and the statistics it asks for (None while the form has errors)."""
    form = StatsFilterForm(request.GET or None, actor=request.user)
    if form.is_bound and not form.is_valid():
        return form, None
    values = form.values()
    actor = request.user
    unit = stats.stats_unit(actor=actor, code=values["code"])
    year, period, restated = values["year"], values["period"], values["restated"]
    if year is None and period is None:
        year = stats.latest_year(actor=actor, unit=unit, restated=restated)
    result = stats.movement_statistics(
        actor=actor, unit=unit, year=year, period=period, restated=restated
    )
    if not form.is_bound:
        form = StatsFilterForm(
            actor=actor, initial={"unit": unit.code if unit else "", "year": year}
        )
    return form, result


def _selection_query(result: Statistics) -> str:
    params: dict[str, Any] = {}
    if result.unit is not None:
        params["unit"] = result.unit.code
    if result.window.period is not None:
        params["period"] = result.window.period.pk
    else:
        params["year"] = result.window.year
    if result.restated:
        params["restated"] = "1"
    return urlencode(params)


def _successors(request: HttpRequest, result: Statistics) -> list[dict[str, Any]]:
    """For a historical unit: the units it was merged into, each with the link to the
    same statistics restated there (where the user may see them)."""
    unit = result.unit
    if unit is None or not unit.is_historical:
        return []
    found = []
    for successor in unit_selectors.restated_units(unit):
        if successor.pk == unit.pk:
            continue
        if not policies.has_perm(request.user, Perm.MOVEMENT_VIEW, successor):
            continue
        params = {"unit": successor.code, **stats.list_query(result.window.filters())}
        params["restated"] = "1"
        found.append(
            {"unit": successor, "href": f"{reverse('movement:stats')}?{urlencode(params)}"}
        )
    return found


SUBUNITS_PER_PAGE = 15


def _table(rows: list[Row], href: ListLinks) -> list[dict[str, Any]]:
    return [
        {
            "row": row,
            "cells": [
                {
                    "key": key,
                    "value": row.counts[key],
                    "change": row.change(key),
                    "href": href(row, key),
                }
                for key in MILESTONE_KEYS
            ],
        }
        for row in rows
    ]


@login_required
@domain_http
@require_GET
def stats_page(request: HttpRequest) -> HttpResponse:
    form, result = _resolve(request)
    context: dict[str, Any] = {
        "form": form,
        "stats": result,
        "columns": [(key, MILESTONE_LABELS[key]) for key in MILESTONE_KEYS],
    }
    if result is None:
        return render(request, "movement/stats.html", context, status=400)
    href = ListLinks()
    totals = _table([result.totals], href)
    # A province has a hundred or more child units: their table is paged, so the page
    # stays bounded (the chart shows the leading ones, the Excel export every one).
    subunits, subunit_query = paginate(
        request, result.by_subunit, SUBUNITS_PER_PAGE, param="units_page"
    )
    context.update(
        {
            "cards": totals[0]["cells"],
            "by_field": _table(result.by_field, href),
            "by_subunit": _table(list(subunits.object_list), href),
            "subunit_page": subunits,
            "subunit_query": subunit_query,
            "by_unit_kind": _table(result.by_unit_kind, href),
            "by_year": _table(result.by_year, href),
            "totals": totals,
            "charts": charts.charts(
                by_field=result.by_field,
                by_subunit=result.by_subunit,
                by_year=result.by_year,
                href=href,
            ),
            "export_query": _selection_query(result),
            "successors": _successors(request, result),
        }
    )
    return render(request, "movement/stats.html", context)


@login_required
@domain_http
@require_GET
def stats_export(request: HttpRequest) -> HttpResponse:
    """The page's tables as .xlsx (the same query string as the page)."""
    form, result = _resolve(request)
    if result is None:
        return render(
            request,
            "movement/stats.html",
            {"form": form, "stats": None, "columns": []},
            status=400,
        )
    out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    href = ListLinks()
    statistics_workbook(
        result, out, link=lambda row, key: request.build_absolute_uri(href(row, key))
    )
    out.seek(0)
    scope = result.unit.code if result.unit is not None else "toan-quoc"
    when = (
        f"giai-doan-{result.window.period.start_year}-{result.window.period.end_year}"
        if result.window.period is not None
        else str(result.window.year)
    )
    response = FileResponse(
        out,
        as_attachment=True,
        filename=f"thong-ke-dan-van-kheo-{scope}-{when}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    # domain_http is typed for HttpResponse; a streamed file passes through it unchanged.
    return cast(HttpResponse, response)
