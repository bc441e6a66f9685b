"""Open data: streamed CSV (BOM, exact rows, formulas neutralized) and JSON, the data
package descriptor, small-count suppression, no complaints, bad parameters, and a
number of queries that does not grow with the rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.http import StreamingHttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danvan.accounts.testing import make_user
from danvan.cases.models import Case
from danvan.democracy.models import Matter, Outcome, Vote
from danvan.directives.tasks.models import Task, TaskState
from danvan.disclosure import services as disclosure_services
from danvan.disclosure.models import DisclosureKind
from danvan.legal.models import CaseKind
from danvan.movement.models import Entry, Status
from danvan.portal.opendata.selectors import DATASETS
from danvan.units import services as unit_services
from danvan.units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = dt.date(2026, 6, 30)
INJECTION = '=HYPERLINK("http://x","y")'


@pytest.fixture(autouse=True)
def _frozen_now() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 6, 30, 9, 0, tzinfo=HCM), tick=False):
        yield


def csv_url(name: str) -> str:
    return reverse("portal:opendata_csv", args=[name])


def json_url(name: str) -> str:
    return reverse("portal:opendata_json", args=[name])


def body(response: Any) -> bytes:
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content)  # type: ignore[arg-type]


def csv_rows(response: Any) -> list[list[str]]:
    raw = body(response)
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


@pytest.fixture
def village(commune: Unit) -> Unit:
    return unit_services.unit_create(
        actor=None, parent=commune, kind=UnitKind.VILLAGE, name="Thôn Đồng Tâm", households=40
    )


@pytest.fixture
def cases(receive: Callable[..., Case], commune: Unit) -> None:
    """March 2026, feedback: 3 settled on time, 2 open and overdue. April: one petition,
    open within its deadline. Complaints and a denunciation that must never appear."""

    def make(kind: str, received: dt.date, **state: Any) -> None:
        case = receive(kind=kind, received_on=received)
        Case.objects.filter(pk=case.pk).update(**state)

    for _ in range(3):
        make(
            "feedback",
            dt.date(2026, 3, 2),
            is_open=False,
            status="resolved",
            due_date=dt.date(2026, 4, 1),
            closed_on=dt.date(2026, 3, 20),
        )
    for _ in range(2):
        make("feedback", dt.date(2026, 3, 5), due_date=dt.date(2026, 4, 1))
    make("petition", dt.date(2026, 4, 10), due_date=dt.date(2026, 7, 15))
    for _ in range(3):
        make("complaint", dt.date(2026, 3, 3), due_date=dt.date(2026, 4, 1))
    make("denunciation", dt.date(2026, 3, 3), due_date=dt.date(2026, 4, 1))


def test_cases_csv_is_streamed_exact_suppressed_and_without_complaints(
    client: Client, cases: None, commune: Unit
) -> None:
    response = client.get(csv_url("phan-anh-kien-nghi"))
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    labels = dict(CaseKind.choices)
    assert rows == [
        DATASETS["phan-anh-kien-nghi"].header,
        # 2 open overdue: suppressed (empty), 0 late: shown.
        ["2026-03", commune.code, commune.name, "feedback", str(labels["feedback"]),
         "5", "3", "3", "0", ""],
        # One petition in April: its count is suppressed, the zeros are not.
        ["2026-04", commune.code, commune.name, "petition", str(labels["petition"]),
         "", "0", "0", "0", "0"],
    ]  # fmt: skip
    assert "complaint" not in str(rows)
    assert "denunciation" not in str(rows)


def test_cases_json_is_valid_and_matches(client: Client, cases: None, commune: Unit) -> None:
    response = client.get(json_url("phan-anh-kien-nghi"), {"year": "2026"})
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    data = json.loads(body(response))
    assert data["dataset"] == "phan-anh-kien-nghi"
    assert data["license"] == "CC-BY-4.0"
    assert data["start"] == "2026-01-01"
    assert data["end"] == "2026-12-31"
    assert data["fields"] == DATASETS["phan-anh-kien-nghi"].header
    assert data["data"][0] == {
        "month": "2026-03",
        "unit_code": commune.code,
        "unit_name": commune.name,
        "kind": "feedback",
        "kind_label": str(dict(CaseKind.choices)["feedback"]),
        "received": 5,
        "settled": 3,
        "settled_on_time": 3,
        "settled_late": 0,
        "open_overdue": None,
    }
    assert data["data"][1]["received"] is None
    # Another year, another place: nothing.
    assert (
        json.loads(body(client.get(json_url("phan-anh-kien-nghi"), {"year": "2025"})))["data"] == []
    )
    assert (
        json.loads(body(client.get(json_url("phan-anh-kien-nghi"), {"place": "01"})))["data"] == []
    )


def test_period_dates_narrow_the_rows(client: Client, cases: None, commune: Unit) -> None:
    only_april = csv_rows(
        client.get(csv_url("phan-anh-kien-nghi"), {"start": "2026-04-01", "end": "30/04/2026"})
    )
    assert [r[0] for r in only_april[1:]] == ["2026-04"]
    place = csv_rows(client.get(csv_url("phan-anh-kien-nghi"), {"place": commune.code}))
    assert len(place) == 3


@pytest.fixture
def votes(village: Unit) -> None:
    """Two closed votes (passed, invalid) and one still open in the village."""
    matter = Matter.objects.create(
        unit=village, kind="contribution", title="Làm đường", raised_on=dt.date(2026, 5, 1)
    )
    closed = dt.datetime(2026, 5, 20, 9, 0, tzinfo=HCM)
    Vote.objects.create(
        matter=matter,
        method="meeting",
        households_total=40,
        opened_on=dt.date(2026, 5, 10),
        closed_at=closed,
        households_present=30,
        agree=25,
        disagree=5,
        outcome=Outcome.PASSED,
    )
    Vote.objects.create(
        matter=matter,
        method="meeting",
        households_total=40,
        opened_on=dt.date(2026, 5, 2),
        closed_at=closed,
        households_present=10,
        agree=10,
        disagree=0,
        outcome=Outcome.INVALID,
    )
    Vote.objects.create(
        matter=matter, method="online", households_total=40, opened_on=dt.date(2026, 6, 1),
        closes_on=dt.date(2026, 7, 1), households_present=3, agree=3,
    )  # fmt: skip


def test_votes_and_formula_injection(client: Client, votes: None, village: Unit) -> None:
    Unit.objects.filter(pk=village.pk).update(name=INJECTION)
    rows = csv_rows(client.get(csv_url("bieu-quyet")))
    assert rows[1] == ["2026", village.code, "'" + INJECTION, "2", "80", "40", "1", "0", "1"]
    # JSON is data for programs: the value as it is.
    data = json.loads(body(client.get(json_url("bieu-quyet"))))
    assert data["data"][0]["unit_name"] == INJECTION
    assert data["data"][0]["votes"] == 2


@pytest.mark.parametrize("start", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_every_formula_start_is_neutralized(start: str) -> None:
    from danvan.core.streaming import csv_lines

    out = b"".join(csv_lines(["a", "b"], [[start, -5]])).decode("utf-8-sig")
    header, cells = list(csv.reader(io.StringIO(out, newline="")))
    assert header == ["a", "b"]
    assert cells[0] == "'" + start
    assert cells[1] == "-5"  # a number stays a number


def test_initiatives_disclosures_and_tasks(
    client: Client,
    make_entry: Callable[..., Entry],
    commune: Unit,
    sibling_commune: Unit,
    thai_nguyen: Unit,
) -> None:
    recognized = make_entry("Một")
    Entry.objects.filter(pk=recognized.pk).update(status=Status.RECOGNIZED)
    make_entry("Hai")
    make_entry("Ba")
    rows = csv_rows(client.get(csv_url("mo-hinh-theo-linh-vuc"), {"place": commune.code}))
    field = recognized.field
    assert rows[1:] == [
        ["2025", commune.code, commune.name, field.code, field.name, "draft", "Nháp", "2"],
        ["2025", commune.code, commune.name, field.code, field.name, "recognized",
         "Được công nhận", "1"],
    ]  # fmt: skip
    assert "0912" not in str(rows)

    kind = DisclosureKind.objects.filter(unit_kind="commune", number=1).latest("valid_from")
    for public in (True, True, False):
        disclosure_services.disclosure_create(
            actor=None, unit=commune, kind=kind, title="Kế hoạch", start=dt.date(2026, 6, 1),
            is_public=public,
        )  # fmt: skip
    rows = csv_rows(client.get(csv_url("cong-khai-theo-loai")))
    assert rows[1:] == [["2026", commune.code, commune.name, str(kind.number), kind.title, "2"]]

    def task(state: str, due: dt.date, completed: dt.date | None = None) -> None:
        Task.objects.create(
            assigner_unit=thai_nguyen, lead_unit=sibling_commune, title="Việc", deliverable="BC",
            due_on=due, state=state, completed_on=completed,
        )  # fmt: skip

    task(TaskState.CLOSED, dt.date(2026, 5, 1), dt.date(2026, 4, 30))  # on time
    task(TaskState.CLOSED, dt.date(2026, 5, 1), dt.date(2026, 5, 2))  # late
    task(TaskState.OPEN, dt.date(2026, 6, 1))  # overdue
    task(TaskState.OPEN, dt.date(2026, 9, 1))  # in time
    task(TaskState.CANCELLED, dt.date(2026, 6, 1))  # not counted
    rows = csv_rows(client.get(csv_url("nhiem-vu-dung-han")))
    assert rows[1:] == [["2026", sibling_commune.code, sibling_commune.name, "1", "1", "1", "1"]]


def test_queries_do_not_grow_with_the_rows(
    client: Client, receive: Callable[..., Case], thai_nguyen: Unit
) -> None:
    communes = list(Unit.objects.filter(parent=thai_nguyen).order_by("code")[:6])

    def consumed() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            rows = csv_rows(client.get(csv_url("phan-anh-kien-nghi"), {"place": thai_nguyen.code}))
        return len(ctx), len(rows)

    actor = make_user("tinh-tiepnhan", "officer", thai_nguyen)
    receive(actor=actor, unit=communes[0])
    few, one_row = consumed()
    assert one_row == 2  # the header and one row
    for unit in communes[1:]:
        for month in (1, 2, 3):
            receive(actor=actor, unit=unit, received_on=dt.date(2026, month, 3))
    many, rows = consumed()
    assert rows == 2 + 5 * 3
    assert many == few <= 4


def test_datapackage_describes_every_csv(client: Client, cases: None) -> None:
    response = client.get(reverse("portal:opendata_package"), {"year": "2026"})
    assert response.status_code == 200
    package = json.loads(response.content)
    assert re.fullmatch(r"[a-z0-9._-]+", package["name"])
    assert package["profile"] == "tabular-data-package"
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert package["licenses"][0]["path"].startswith("https://")
    names = [r["name"] for r in package["resources"]]
    assert names == list(DATASETS)
    assert len(set(names)) == len(names)
    for resource in package["resources"]:
        assert re.fullmatch(r"[a-z0-9._-]+", resource["name"])
        assert resource["format"] == "csv"
        assert resource["mediatype"] == "text/csv"
        fields = resource["schema"]["fields"]
        assert all(f["type"] and f["description"] for f in fields)
        url = urlsplit(resource["path"])
        assert url.query == "year=2026"
        downloaded = csv_rows(client.get(f"{url.path}?{url.query}"))
        assert downloaded[0] == [f["name"] for f in fields]


def test_the_page_lists_the_datasets(client: Client, thai_nguyen: Unit) -> None:
    response = client.get(reverse("portal:opendata"), {"province": thai_nguyen.code})
    assert response.status_code == 200
    html = response.content.decode()
    for d in DATASETS.values():
        assert f"{csv_url(d.name)}?place={thai_nguyen.code}" in html
        assert json_url(d.name) in html
        assert str(d.title) in html
    assert "CC-BY-4.0" in html
    assert "datapackage.json" in html


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"place": "99999"}, "place"),
        ({"place": "x" * 200}, "place"),
        ({"year": "99999"}, "year"),
        ({"year": "hai nghìn"}, "year"),
        ({"start": "2026-02-30"}, "start"),
        ({"start": "31/12/2026", "end": "01/01/2026"}, "end"),
    ],
)
def test_bad_parameters_answer_400(client: Client, params: dict[str, str], field: str) -> None:
    response = client.get(json_url("bieu-quyet"), params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    problem = json.loads(response.content)
    assert problem["status"] == 400
    assert problem["code"] == "opendata_bad_parameters"
    assert [e["field"] for e in problem["errors"]] == [field]
    assert problem["errors"][0]["message"]
    page = client.get(csv_url("bieu-quyet"), params)
    assert page.status_code == 400
    assert "text/html" in page["Content-Type"]
    assert 'id="error-summary"' in page.content.decode()
    assert client.get(reverse("portal:opendata_package"), params).status_code == 400
    assert client.get(
        reverse("portal:opendata"), {k: v for k, v in params.items() if k != "place"}
    ).status_code in (200, 400)


def test_nul_and_unknown_dataset(client: Client) -> None:
    assert client.get(json_url("bieu-quyet"), {"place": "1\x00"}).status_code == 400
    assert client.get(csv_url("khong-co")).status_code == 404
    assert client.get(json_url("khong-co")).status_code == 404
