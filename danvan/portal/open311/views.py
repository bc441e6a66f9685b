"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2): the two public kinds of
case as services, citizens' requests in and their progress out, in JSON or XML.

Thin doors: `cases.services.case_receive` creates a request (channel Open311, no actor)
and `portal.selectors` reads them. Only feedback and petitions sent to a public channel
are ever listed, and a request shows its progress, never who sent it; its description
(the summary an officer published), place and photo only once moderated (before that
they are null), never the citizen's own text:
complaints and denunciations are not here at all (domain.md §5, Law on Denunciations
2018, art. 8). Errors are lists of {code, description} with a Vietnamese description.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from functools import wraps
from typing import Any
from xml.sax.xmlreader import AttributesImpl

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.xmlutils import SimplerXMLGenerator
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from danvan.cases import selectors as case_selectors
from danvan.cases import services as case_services
from danvan.cases.models import Case, Channel
from danvan.core.dates import MAX_DATE, MIN_DATE
from danvan.core.errors import DomainError
from danvan.legal.models import CaseKind
from danvan.units.models import Unit

from .. import selectors
from ..throttle import (
    OPEN311_READ_RATES,
    OPEN311_WRITE_RATES,
    count_accepted,
    over_limit,
    throttle,
)
from .forms import SERVICE_CODES, RequestForm

# GeoReport v2: "may not span more than 90 days"; the default range is the last 90 days.
DEFAULT_DAYS = 90
MAX_REQUESTS = 1000
MAX_IDS = 200
SUBJECT_LENGTH = 120
# XML 1.0 cannot carry these control characters; a citizen's text may contain them.
_XML_UNSAFE = re.compile(r"[\x00-\x08\x0B\x0C\x0E-\x1F]")
# The element of each item of a list, by the list's element (GeoReport v2 XML).
_XML_ITEMS = {"attributes": "attribute", "values": "value"}
_NO_ATTRIBUTES: AttributesImpl[str] = AttributesImpl({})


class Open311Error(Exception):
    def __init__(self, status: int, *descriptions: str):
        super().__init__(descriptions)
        self.status = status
        self.descriptions = descriptions


# --- answering in JSON or XML -----------------------------------------------------------------


def _xml_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return _XML_UNSAFE.sub("", str(value))


def _xml_element(gen: SimplerXMLGenerator, name: str, value: Any) -> None:
    if isinstance(value, dict):
        gen.startElement(name, _NO_ATTRIBUTES)
        for key, item in value.items():
            _xml_element(gen, key, item)
        gen.endElement(name)
    elif isinstance(value, list):
        gen.startElement(name, _NO_ATTRIBUTES)
        for item in value:
            _xml_element(gen, _XML_ITEMS.get(name, "item"), item)
        gen.endElement(name)
    elif value is None:
        gen.addQuickElement(name)
    else:
        gen.addQuickElement(name, _xml_text(value))


def _xml(payload: list[dict[str, Any]] | dict[str, Any], root: str, item: str) -> str:
    out = io.StringIO()
    gen = SimplerXMLGenerator(out, "utf-8")
    gen.startDocument()
    if isinstance(payload, list):
        gen.startElement(root, _NO_ATTRIBUTES)
        for row in payload:
            _xml_element(gen, item, row)
        gen.endElement(root)
    else:
        _xml_element(gen, root, payload)
    gen.endDocument()
    return out.getvalue()


def _answer(
    fmt: str,
    payload: list[dict[str, Any]] | dict[str, Any],
    *,
    root: str,
    item: str = "",
    status: int = 200,
) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(
            _xml(payload, root, item), content_type="application/xml; charset=utf-8", status=status
        )
    return JsonResponse(
        payload, safe=False, status=status, json_dumps_params={"ensure_ascii": False}
    )


def _errors(fmt: str, status: int, *descriptions: str) -> HttpResponse:
    rows = [{"code": status, "description": d} for d in descriptions]
    return _answer(fmt, rows, root="errors", item="error", status=status)


def _format_of(request: HttpRequest) -> str:
    return "xml" if request.path.endswith(".xml") else "json"


def error_list_response(request: HttpRequest, status: int, *descriptions: str) -> HttpResponse:
    """The door's error list for an error raised outside its views (the input guard's
    400, a 404 of an unknown path, a database that does not answer): core.views calls it
    so that Open311 clients always read errors in the GeoReport format."""
    return _errors(_format_of(request), status, *descriptions)


def _too_many(request: HttpRequest) -> HttpResponse:
    return _errors(
        _format_of(request),
        429,
        _("Quá nhiều yêu cầu từ địa chỉ của bạn. Vui lòng chờ vài phút rồi thử lại."),
    )


View = Callable[..., HttpResponse]


def _open311(view: View) -> View:
    """Answer Open311Error and the services' DomainError as a GeoReport error list."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, fmt=fmt, **kwargs)
        except Open311Error as exc:
            return _errors(fmt, exc.status, *exc.descriptions)
        except DomainError as exc:
            return _errors(fmt, exc.status_code, exc.message)

    return wrapper


_read_limit = throttle(
    group="open311.read", rates=OPEN311_READ_RATES, method="GET", answer=_too_many
)
# Writes count only ACCEPTED requests (as the portal's form does): a client whose posts
# are refused for a missing field is not locked out by its own mistakes.
WRITE_GROUP = "open311.write"


# --- services ---------------------------------------------------------------------------------


def _service_rows() -> list[dict[str, Any]]:
    group = _("Phản ánh, kiến nghị")
    return [
        {
            "service_code": CaseKind.FEEDBACK.value,
            "service_name": str(CaseKind.FEEDBACK.label),
            "description": _(
                "Báo cho chính quyền xã, phường một sự việc, vấn đề đang xảy ra: đường sá, "
                "điện chiếu sáng, vệ sinh môi trường, trật tự đô thị, dịch vụ công."
            ),
            "metadata": False,
            "type": "realtime",
            "keywords": _("phản ánh, hạ tầng, môi trường, trật tự, dịch vụ công"),
            "group": group,
        },
        {
            "service_code": CaseKind.PETITION.value,
            "service_name": str(CaseKind.PETITION.label),
            "description": _(
                "Đề xuất chính quyền xã, phường xem xét, giải quyết hoặc thay đổi một chính "
                "sách, một việc chung của địa phương."
            ),
            "metadata": False,
            "type": "realtime",
            "keywords": _("kiến nghị, đề xuất, chính sách, địa phương"),
            "group": group,
        },
    ]


def _check_jurisdiction(request: HttpRequest) -> Unit | None:
    """The optional jurisdiction_id of a read: a province or commune code in force."""
    code = request.GET.get("jurisdiction_id", "").strip()
    if not code:
        return None
    unit = selectors.province_by_code(code) or selectors.commune_by_code(code)
    if unit is None:
        raise Open311Error(
            404,
            _("jurisdiction_id: không có tỉnh, xã, phường nào mã “%(code)s”.") % {"code": code},
        )
    return unit


@require_GET
@_read_limit
@_open311
def services(request: HttpRequest, *, fmt: str) -> HttpResponse:
    _check_jurisdiction(request)
    return _answer(fmt, _service_rows(), root="services", item="service")


@require_GET
@_read_limit
@_open311
def service_definition(request: HttpRequest, *, fmt: str, service_code: str) -> HttpResponse:
    _check_jurisdiction(request)
    if service_code not in SERVICE_CODES:
        raise Open311Error(
            404,
            _("service_code: không có dịch vụ “%(code)s” (chỉ có feedback, petition).")
            % {"code": service_code},
        )
    return _answer(fmt, {"service_code": service_code, "attributes": []}, root="service_definition")


# --- service requests: reading ------------------------------------------------------------


def _w3c(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def _end_of(day: dt.date | None) -> str | None:
    if day is None:
        return None
    return _w3c(
        dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=timezone.get_current_timezone())
    )


def _request_rows(request: HttpRequest, cases: list[Case]) -> list[dict[str, Any]]:
    """The requests as the public sees them (one query for all their published photos)."""
    photos = case_selectors.public_photos_of([c.pk for c in cases if c.is_public])
    return [_request_row(request, case, photos.get(case.pk, [])) for case in cases]


def _request_row(request: HttpRequest, case: Case, photos: list[Any]) -> dict[str, Any]:
    """A request as the public sees it: its progress; its published summary, place and
    first published photo once an officer moderated it (null before); no sender."""
    public = case.is_public
    media = (
        request.build_absolute_uri(reverse("portal:feedback_photo", args=[photos[0].pk]))
        if public and photos
        else None
    )
    return {
        "service_request_id": case.reference,
        "status": "open" if case.is_open else "closed",
        "status_notes": case.public_answer or None,
        "service_name": case.get_kind_display(),
        "service_code": case.kind,
        "description": (case.public_summary or None) if public else None,
        "agency_responsible": case.unit.name,
        "requested_datetime": _w3c(case.created_at),
        "updated_datetime": _w3c(case.updated_at),
        "expected_datetime": _end_of(case.due_date),
        "address": (case.address or None) if public else None,
        "lat": case.lat if public else None,
        "long": case.long if public else None,
        "media_url": media,
    }


def _comma_list(request: HttpRequest, name: str) -> list[str]:
    raw = ",".join(request.GET.getlist(name))
    return [part.strip() for part in raw.split(",") if part.strip()]


def _parse_when(request: HttpRequest, name: str) -> dt.datetime | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        value = parse_datetime(raw)
        if value is None and (day := parse_date(raw)) is not None:
            value = dt.datetime.combine(day, dt.time.min)
    except ValueError:
        value = None
    if value is None:
        raise Open311Error(
            400,
            _("%(name)s: “%(value)s” không phải thời điểm W3C, ví dụ 2026-01-31T00:00:00+07:00.")
            % {"name": name, "value": raw[:40]},
        )
    # Years the site's dates allow (core.dates): 0001-01-01 moved to UTC, or the default
    # start 90 days before it, is not a date Python can represent (a 500 before).
    if not MIN_DATE <= value.date() <= MAX_DATE:
        raise Open311Error(
            400,
            _("%(name)s: năm phải từ %(a)s đến %(b)s.")
            % {"name": name, "a": MIN_DATE.year, "b": MAX_DATE.year},
        )
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _list_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    references = _comma_list(request, "service_request_id")
    if len(references) > MAX_IDS:
        raise Open311Error(
            400,
            _("service_request_id: tối đa %(n)s mã trong một lần hỏi.") % {"n": MAX_IDS},
        )
    codes = _comma_list(request, "service_code")
    unknown = [c for c in codes if c not in SERVICE_CODES]
    if unknown:
        raise Open311Error(
            400,
            _("service_code: không có dịch vụ “%(code)s” (chỉ có feedback, petition).")
            % {"code": unknown[0][:40]},
        )
    statuses = set(_comma_list(request, "status"))
    if statuses - {"open", "closed"}:
        raise Open311Error(400, _("status: chỉ nhận open hoặc closed."))
    is_open = None if len(statuses) != 1 else statuses == {"open"}
    start, end = _parse_when(request, "start_date"), _parse_when(request, "end_date")
    if start is not None and end is not None and start > end:
        raise Open311Error(400, _("start_date phải trước end_date."))
    if start is None:
        start = (end or timezone.now()) - dt.timedelta(days=DEFAULT_DAYS)
    unit = _check_jurisdiction(request)
    rows = selectors.open311_requests(
        references=references,
        service_codes=codes,
        start=start,
        end=end,
        is_open=is_open,
        unit=unit,
        limit=MAX_REQUESTS,
    )
    return _answer(fmt, _request_rows(request, rows), root="service_requests", item="request")


@require_GET
@_read_limit
@_open311
def request_detail(request: HttpRequest, *, fmt: str, request_id: str) -> HttpResponse:
    case = selectors.open311_request(request_id)
    if case is None:
        raise Open311Error(404, _("Không tìm thấy yêu cầu “%(id)s”.") % {"id": request_id})
    # GeoReport v2 answers a single request as a list of one.
    return _answer(fmt, _request_rows(request, [case]), root="service_requests", item="request")


# --- service requests: creating ---------------------------------------------------------------


def _create_request(request: HttpRequest, fmt: str) -> HttpResponse:
    if over_limit(request, group=WRITE_GROUP, rates=OPEN311_WRITE_RATES) is not None:
        return _too_many(request)
    form = RequestForm(request.POST)
    if not form.is_valid():
        raise Open311Error(400, *form.descriptions())
    data = form.cleaned_data
    description = data["description"].strip()
    case = case_services.case_receive(
        actor=None,
        unit=data["jurisdiction_id"],
        kind=data["service_code"],
        channel=Channel.OPEN311,
        subject=" ".join(description.split())[:SUBJECT_LENGTH],
        content=description,
        sender=form.sender(),
        address=data["address_string"].strip(),
        lat=data["lat"],
        long=data["long"],
    )
    count_accepted(request, group=WRITE_GROUP, rates=OPEN311_WRITE_RATES)
    notice = _(
        "Mã tra cứu: %(code)s. Hãy ghi lại mã này: chỉ với mã này mới tra cứu được kết quả "
        "tại %(url)s."
    ) % {"code": case.lookup_code, "url": request.build_absolute_uri(reverse("portal:lookup"))}
    if case.due_date:
        notice += " " + _("Hạn xử lý: %(due)s.") % {"due": f"{case.due_date:%d/%m/%Y}"}
    row = {"service_request_id": case.reference, "service_notice": notice, "account_id": None}
    return _answer(fmt, [row], root="service_requests", item="request", status=201)


@csrf_exempt
@require_http_methods(["GET", "POST"])
@_read_limit
@_open311
def requests(request: HttpRequest, *, fmt: str) -> HttpResponse:
    """GET: the list of requests; POST: a new request (form-encoded, as GeoReport v2 says).

    No CSRF check: API clients post without cookies or a session, so there is nothing for
    a forged cross-site request to ride on.
    """
    if request.method == "POST":
        return _create_request(request, fmt)
    return _list_requests(request, fmt)
