"""Open data: the datasets page, the CSV and JSON downloads (streamed) and the Frictionless
Data Package descriptor (https://specs.frictionlessdata.io/data-package/) that describes
them. No account needed; counts only, never personal data (opendata.selectors)."""

from __future__ import annotations

import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from danvan.api.problems import problem_response
from danvan.core import streaming

from ..forms import PlaceFilterForm
from .forms import OpenDataForm
from .selectors import DATASETS, Dataset, Scope

# Creative Commons Attribution 4.0. Vietnamese law asks that open data be free to use,
# share and re-use (Law on Data 60/2024/QH15; Decree 47/2020/NĐ-CP on sharing digital
# data, open data of state bodies) but publishes no licence text of its own [to verify];
# CC BY 4.0 gives exactly those rights with attribution, and is the licence the Open
# Definition and most national portals use, so re-users know it already.
LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
PACKAGE_NAME = "danvan-du-lieu-mo"
PACKAGE_TITLE = gettext_lazy("Dữ liệu mở về dân chủ ở cơ sở và phong trào “Dân vận khéo”")
PACKAGE_DESCRIPTION = gettext_lazy(
    "Số liệu tổng hợp theo đơn vị và thời gian: mô hình “Dân vận khéo”, phản ánh kiến nghị, "
    "thông tin công khai, biểu quyết của hộ gia đình, nhiệm vụ được giao. Chỉ có số lượng, "
    "không có dữ liệu cá nhân."
)
PARAMS = ("place", "year", "start", "end")


def _query(form: OpenDataForm) -> str:
    """The download links' query string: the parameters as the visitor gave them."""
    return urlencode([(k, form.data[k]) for k in PARAMS if form.data.get(k)])


def _place_query(request: HttpRequest, place: PlaceFilterForm) -> dict[str, str]:
    """The page's GET form names a province and a commune; the downloads take one code."""
    params = {k: request.GET[k] for k in ("year", "start", "end") if request.GET.get(k)}
    unit = place.unit()
    if unit is not None:
        params["place"] = unit.code
    return params


@require_GET
def opendata(request: HttpRequest) -> HttpResponse:
    place = PlaceFilterForm(request.GET)
    form = OpenDataForm(_place_query(request, place))
    valid = form.is_valid()
    query = _query(form) if valid else ""
    return render(
        request,
        "portal/opendata/index.html",
        {
            "place": place,
            "form": form,
            "datasets": list(DATASETS.values()),
            "query": query,
            "license": LICENSE,
            "title": PACKAGE_TITLE,
        },
        status=200 if valid else 400,
    )


def _dataset(name: str) -> Dataset:
    dataset = DATASETS.get(name)
    if dataset is None:
        raise Http404
    return dataset


def _head(dataset: Dataset, scope: Scope) -> dict[str, Any]:
    return {
        "dataset": dataset.name,
        "title": str(dataset.title),
        "description": str(dataset.description),
        "license": LICENSE["name"],
        "place": scope.unit.code if scope.unit is not None else None,
        "place_name": scope.unit.name if scope.unit is not None else _("Cả nước"),
        "start": scope.start,
        "end": scope.end,
        "generated_on": scope.today,
        "fields": dataset.header,
    }


def _filename(dataset: Dataset, scope: Scope, suffix: str) -> str:
    parts = [dataset.name, scope.unit.code if scope.unit is not None else "ca-nuoc"]
    if scope.start is not None:
        parts.append(f"{scope.start:%Y%m%d}")
    if scope.end is not None:
        parts.append(f"{scope.end:%Y%m%d}")
    return "-".join(parts) + f".{suffix}"


@require_GET
def download_csv(request: HttpRequest, name: str) -> HttpResponseBase:
    dataset = _dataset(name)
    form = OpenDataForm(request.GET)
    if not form.is_valid():
        return render(
            request,
            "portal/opendata/index.html",
            {
                "place": PlaceFilterForm(),
                "form": form,
                "datasets": list(DATASETS.values()),
                "query": "",
                "license": LICENSE,
                "title": PACKAGE_TITLE,
            },
            status=400,
        )
    scope = form.scope()
    return streaming.csv_response(
        _filename(dataset, scope, "csv"), dataset.header, dataset.rows(scope)
    )


@require_GET
def download_json(request: HttpRequest, name: str) -> HttpResponseBase:
    dataset = _dataset(name)
    form = OpenDataForm(request.GET)
    if not form.is_valid():
        return problem_response(
            status=400,
            code="opendata_bad_parameters",
            detail=_("Tham số không hợp lệ: %(errors)s")
            % {"errors": "; ".join(e["message"] for e in form.error_list())},
            errors=form.error_list(),
        )
    scope = form.scope()
    return streaming.json_response(
        _head(dataset, scope),
        streaming.as_dicts(dataset.header, dataset.rows(scope)),
        filename=_filename(dataset, scope, "json"),
    )


def package(request: HttpRequest, form: OpenDataForm) -> dict[str, Any]:
    """The Data Package descriptor for the place and period of *form* (valid)."""
    query = _query(form)
    resources = []
    for d in DATASETS.values():
        url = request.build_absolute_uri(reverse("portal:opendata_csv", args=[d.name]))
        resources.append(
            {
                "name": d.name,
                "title": str(d.title),
                "description": str(d.description),
                "path": f"{url}?{query}" if query else url,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                # The CSV starts with a byte-order mark, for Excel (core.streaming).
                "encoding": "utf-8-sig",
                "licenses": [LICENSE],
                "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
                "schema": {
                    "fields": [
                        {"name": c.name, "type": c.type, "description": str(c.description)}
                        for c in d.columns
                    ],
                    # An empty cell is a suppressed small count (opendata.selectors).
                    "missingValues": [""],
                },
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": str(PACKAGE_TITLE),
        "description": str(PACKAGE_DESCRIPTION),
        "homepage": request.build_absolute_uri(reverse("portal:opendata")),
        "created": timezone.now().replace(microsecond=0).isoformat(),
        "licenses": [LICENSE],
        "resources": resources,
    }


@require_GET
def datapackage(request: HttpRequest) -> HttpResponse:
    form = OpenDataForm(request.GET)
    if not form.is_valid():
        return problem_response(
            status=400,
            code="opendata_bad_parameters",
            detail=_("Tham số không hợp lệ: %(errors)s")
            % {"errors": "; ".join(e["message"] for e in form.error_list())},
            errors=form.error_list(),
        )
    body = json.dumps(package(request, form), ensure_ascii=False, indent=2)
    return HttpResponse(body, content_type="application/json; charset=utf-8")
