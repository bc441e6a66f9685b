"""Open311 GeoReport v2 through the real client library (georeport) over HTTP, in JSON
and XML; requests are created with plain form posts, as the spec describes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from georeport import GeoReport

from danvan.accounts.models import User
from danvan.cases import identity, services
from danvan.cases.models import Case, Channel
from danvan.units.models import Unit

pytestmark = pytest.mark.django_db

FORMATS = ["json", "xml"]


def _post(root: str, fmt: str = "json", **fields: Any) -> requests.Response:
    return requests.post(f"{root}/requests.{fmt}", data=fields, timeout=10)


def _new_request(root: str, commune: Unit, fmt: str = "json", **changes: Any) -> requests.Response:
    fields: dict[str, Any] = {
        "jurisdiction_id": commune.code,
        "service_code": "feedback",
        "description": "Cống thoát nước trước chợ bị tắc, nước tràn ra đường mỗi khi mưa.",
        "address_string": "Trước cổng chợ trung tâm",
        "lat": "21.5942",
        "long": "105.8482",
        "first_name": "Văn An",
        "last_name": "Phạm",
        "email": "an.pham@example.vn",
        "phone": "0988 111 222",
        "device_id": "abc",
        "account_id": "42",
    }
    fields.update(changes)
    return _post(root, fmt, **{k: v for k, v in fields.items() if v is not None})


def _as_list(value: Any) -> list[Any]:
    # xmltodict gives one element as a dict and several as a list.
    return value if isinstance(value, list) else [value]


@pytest.mark.parametrize("fmt", FORMATS)
def test_services_list_and_definition(open311_root: str, fmt: str) -> None:
    client = GeoReport(open311_root, output_format=fmt)
    listed = _as_list(client.get_service_list())
    assert [s["service_code"] for s in listed] == ["feedback", "petition"]
    feedback = listed[0]
    assert feedback["service_name"] == "Phản ánh"
    assert listed[1]["service_name"] == "Kiến nghị"
    assert feedback["type"] == "realtime"
    assert feedback["metadata"] in (False, "false")
    assert feedback["keywords"]
    assert feedback["group"] == "Phản ánh, kiến nghị"

    definition = client.get_service_definition("petition")
    assert definition["service_code"] == "petition"
    assert definition["attributes"] in ([], None)  # XML: an empty <attributes/>
    with pytest.raises(requests.HTTPError) as exc:
        client.get_service_definition("pothole")
    assert exc.value.response is not None
    assert exc.value.response.status_code == 404


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_posted_request_becomes_an_open311_case_and_reads_back(
    open311_root: str, commune: Unit, officer: User, fmt: str
) -> None:
    response = _new_request(open311_root, commune, fmt=fmt)
    if fmt == "xml":
        assert response.headers["Content-Type"].startswith("application/xml")
        assert "<service_requests><request><service_request_id>" in response.text
        assert "<account_id></account_id>" in response.text
    else:
        assert response.json()[0]["account_id"] is None
    assert response.status_code == 201
    case = Case.objects.get()
    assert case.channel == Channel.OPEN311
    assert case.kind == "feedback"
    assert case.unit == commune
    assert case.address == "Trước cổng chợ trung tâm"
    assert (case.lat, case.long) == (21.5942, 105.8482)
    assert case.subject.startswith("Cống thoát nước trước chợ")
    assert identity.decrypt(case.identity.token).full_name == "Phạm Văn An"
    assert case.reference in response.text
    assert f"Mã tra cứu: {case.lookup_code}" in response.text
    assert "/cong-dan/tra-cuu/" in response.text

    client = GeoReport(open311_root, output_format=fmt)
    one = client.get_service_request(case.reference)
    assert one["service_request_id"] == case.reference
    assert one["status"] == "open"
    assert one["service_code"] == "feedback"
    assert one["service_name"] == "Phản ánh"
    # Before an officer publishes a summary, nothing the citizen wrote or pointed at.
    assert one["description"] in (None, "")
    assert one["address"] in (None, "")
    assert one["lat"] in (None, "")
    assert one["media_url"] in (None, "")
    assert "Cống thoát nước" not in str(one)
    assert one["agency_responsible"] == commune.name
    assert one["requested_datetime"].endswith("+07:00")
    assert one["expected_datetime"].startswith(f"{case.due_date:%Y-%m-%d}T23:59:59")
    # The lookup code is the citizen's alone: never in a read.
    assert case.lookup_code not in str(one)

    listed = _as_list(client.get_service_requests())
    assert [r["service_request_id"] for r in listed] == [case.reference]

    # Published: the officer's summary (not the citizen's text) and the place.
    services.case_moderate_public(
        actor=officer, case=case, summary="Cống trước chợ bị tắc khi mưa.", publish=True
    )
    one = client.get_service_request(case.reference)
    assert one["description"] == "Cống trước chợ bị tắc khi mưa."
    assert one["address"] == "Trước cổng chợ trung tâm"
    assert float(one["lat"]) == 21.5942
    assert float(one["long"]) == 105.8482


@pytest.mark.parametrize("fmt", FORMATS)
def test_requests_list_filters(
    open311_root: str,
    commune: Unit,
    sibling_commune: Unit,
    receive: Callable[..., Case],
    officer: User,
    fmt: str,
) -> None:
    feedback = receive(channel=Channel.PORTAL)
    petition = receive(channel=Channel.OPEN311, kind="petition", subject="Xin mở thêm lớp học")
    letter = receive(channel=Channel.LETTER)  # not sent to a public channel
    complaint = receive(channel=Channel.PORTAL, kind="complaint", round=1)
    feedback = services.case_accept(actor=officer, case=feedback, version=feedback.version)
    feedback = services.case_resolve(
        actor=officer,
        case=feedback,
        version=feedback.version,
        decision_number="12/UBND-VP",
        result_summary="Đã sửa",
        public_answer="Đã sửa xong đường liên thôn.",
    )
    client = GeoReport(open311_root, output_format=fmt)
    # received_on is in March; the cases were created now, inside the default 90 days.
    everything = {r["service_request_id"] for r in _as_list(client.get_service_requests())}
    assert everything == {feedback.reference, petition.reference}
    assert letter.reference not in everything
    assert complaint.reference not in everything

    closed = _as_list(client.get_service_requests(status="closed"))
    assert [r["service_request_id"] for r in closed] == [feedback.reference]
    assert closed[0]["status_notes"] == "Đã sửa xong đường liên thôn."
    opened = _as_list(client.get_service_requests(status="open"))
    assert [r["service_request_id"] for r in opened] == [petition.reference]
    petitions = _as_list(client.get_service_requests(service_code="petition"))
    assert [r["service_request_id"] for r in petitions] == [petition.reference]
    by_id = _as_list(
        client.get_service_requests(service_request_id=f"{feedback.reference},{letter.reference}")
    )
    assert [r["service_request_id"] for r in by_id] == [feedback.reference]
    in_commune = GeoReport(open311_root, jurisdiction=commune.code, output_format=fmt)
    assert len(_as_list(in_commune.get_service_requests())) == 2
    in_province = GeoReport(open311_root, jurisdiction=commune.parent.code, output_format=fmt)  # type: ignore[union-attr]
    assert len(_as_list(in_province.get_service_requests())) == 2
    # Nothing in range, nothing in the sibling commune (georeport reads an empty XML list
    # as an error of its own, so the empty answers are read raw).
    old = requests.get(
        f"{open311_root}/requests.{fmt}",
        params={"start_date": "2020-01-01T00:00:00Z", "end_date": "2020-02-01T00:00:00+07:00"},
        timeout=10,
    )
    sibling = requests.get(
        f"{open311_root}/requests.{fmt}",
        params={"jurisdiction_id": sibling_commune.code},
        timeout=10,
    )
    for empty in (old, sibling):
        assert empty.status_code == 200
        assert empty.text.endswith("<service_requests></service_requests>") or empty.json() == []


def test_empty_and_bad_reads(open311_root: str) -> None:
    client = GeoReport(open311_root)
    assert client.get_service_requests() == []
    for params in (
        {"status": "pending"},
        {"service_code": "pothole"},
        {"start_date": "hôm qua"},
        {"start_date": "2026-02-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"},
    ):
        response = requests.get(f"{open311_root}/requests.json", params=params, timeout=10)
        assert response.status_code == 400, params
        errors = response.json()
        assert errors[0]["code"] == 400
        assert errors[0]["description"]
    nowhere = requests.get(
        f"{open311_root}/services.json", params={"jurisdiction_id": "99999"}, timeout=10
    )
    assert nowhere.status_code == 404
    assert nowhere.json()[0]["description"].startswith("jurisdiction_id: ")
    missing = requests.get(f"{open311_root}/requests/PA-2026-999999.xml", timeout=10)
    assert missing.status_code == 404
    assert missing.text.count("<errors><error><code>404</code><description>") == 1
    with pytest.raises(requests.HTTPError):
        client.get_service_request("PA-2026-999999")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"jurisdiction_id": None}, "jurisdiction_id"),
        ({"jurisdiction_id": "19"}, "jurisdiction_id"),  # a province, not a commune
        ({"jurisdiction_id": "99999"}, "jurisdiction_id"),
        ({"service_code": "denunciation"}, "service_code"),
        ({"service_code": "complaint"}, "service_code"),
        ({"description": ""}, "description"),
        ({"first_name": "", "last_name": ""}, "last_name"),
        ({"email": "", "phone": ""}, "phone"),
        ({"email": "không-phải-thư"}, "email"),
        ({"lat": "100"}, "lat"),
        ({"long": None}, "lat"),
    ],
)
def test_bad_posts_are_refused_with_a_400_error_list(
    open311_root: str, commune: Unit, changes: dict[str, Any], field: str
) -> None:
    response = _new_request(open311_root, commune, **changes)
    assert response.status_code == 400
    errors = response.json()
    assert all(e["code"] == 400 for e in errors)
    assert any(e["description"].startswith(f"{field}: ") for e in errors), errors
    assert not Case.objects.exists()


def test_bad_post_in_xml(open311_root: str, commune: Unit) -> None:
    response = _post(open311_root, "xml", service_code="feedback", description="x")
    assert response.status_code == 400
    assert response.text.startswith("<?xml")
    assert "<errors><error><code>400</code><description>jurisdiction_id: " in response.text


def test_posting_counts_only_accepted_requests(open311_root: str, commune: Unit) -> None:
    for _ in range(5):
        assert _new_request(open311_root, commune, description="").status_code == 400
    for _ in range(5):
        assert _new_request(open311_root, commune).status_code == 201
    limited = _new_request(open311_root, commune)
    assert limited.status_code == 429
    assert limited.json()[0]["code"] == 429
    assert "Quá nhiều yêu cầu" in limited.json()[0]["description"]
    assert Case.objects.count() == 5
    # Reading is counted apart.
    assert requests.get(f"{open311_root}/services.json", timeout=10).status_code == 200


def test_a_place_outside_vietnam_is_refused_and_media_url_is_ignored(
    open311_root: str, commune: Unit
) -> None:
    outside = _new_request(open311_root, commune, lat="48.85", long="2.35")
    assert outside.status_code == 400
    descriptions = [e["description"] for e in outside.json()]
    assert any(d.startswith("lat: ") and "ngoài Việt Nam" in d for d in descriptions)
    assert not Case.objects.exists()
    sent = _new_request(open311_root, commune, media_url="http://192.0.2.1/anh.jpg")
    assert sent.status_code == 201
    assert not Case.objects.get().documents.exists()


def test_reading_is_rate_limited_per_address(open311_root: str) -> None:
    for _ in range(60):
        assert requests.get(f"{open311_root}/services.xml", timeout=10).status_code == 200
    limited = requests.get(f"{open311_root}/services.xml", timeout=10)
    assert limited.status_code == 429
    assert "<errors><error><code>429</code>" in limited.text


def test_posting_needs_no_csrf_token_but_the_portal_does(open311_root: str, commune: Unit) -> None:
    # requests sends no cookie and no token: the API is meant for apps (GeoReport v2).
    assert _new_request(open311_root, commune).status_code == 201


def test_the_list_runs_a_constant_number_of_queries(
    client: Client, receive: Callable[..., Case], sibling_commune: Unit
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("open311:requests", kwargs={"fmt": "xml"}))
        assert response.status_code == 200
        return len(captured)

    for _ in range(2):
        receive(channel=Channel.PORTAL)
    few = queries()
    for _ in range(4):
        receive(actor=None, channel=Channel.OPEN311, unit=sibling_commune)
    assert queries() == few
