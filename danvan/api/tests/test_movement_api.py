"""The movement's entries over the API: same scoping and policy checks as the pages."""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from danvan.accounts.models import Role, User
from danvan.accounts.testing import API_READ_SCOPED, Cast, make_user, walk
from danvan.api.movement import Milestone, UnitKindGroup
from danvan.movement import selectors, services
from danvan.movement.models import Decision, Entry, Field, Period, Status
from danvan.units.models import Unit

from .helpers import assert_problem, bearer

pytestmark = pytest.mark.django_db

ENTRIES = "/api/v1/movement/entries"
DECISION = {"number": "125/QĐ-UBND", "issued_on": "2025-11-20", "issuer": "UBND tỉnh Thái Nguyên"}


@pytest.fixture
def field_economy(db: None) -> Field:
    return Field.objects.get(code="kinh-te")


@pytest.fixture
def make_entry(commune: Unit, field_economy: Field) -> Callable[..., Entry]:
    def make(name: str = "Mô hình “Dân vận khéo” nông thôn mới", **kw: Any) -> Entry:
        kw.setdefault("unit", commune)
        kw.setdefault("kind", "initiative")
        kw.setdefault("field", field_economy)
        kw.setdefault("registration_year", 2025)
        return services.entry_create(actor=None, name=name, **kw)

    return make


@pytest.fixture
def officer(commune: Unit) -> User:
    return make_user("api-xa", Role.OFFICER, commune)


@pytest.fixture
def manager(thai_nguyen: Unit) -> User:
    return make_user("api-tinh", Role.OFFICER, thai_nguyen)


def detail_url(entry: Entry | str, suffix: str = "") -> str:
    public_id = entry.public_id if isinstance(entry, Entry) else entry
    return f"{ENTRIES}/{public_id}{suffix}"


def post(client: Client, url: str, headers: dict[str, str], body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json", headers=headers)


def patch(client: Client, url: str, headers: dict[str, str], body: dict[str, Any]) -> Any:
    return client.patch(url, body, content_type="application/json", headers=headers)


def new_entry(unit: Unit, **overrides: Any) -> dict[str, Any]:
    return {
        "unit_code": unit.code,
        "kind": "initiative",
        "name": "Đường điện sáng",
        "field_code": "kinh-te",
        "registration_year": 2025,
        "money_mobilized": 150000000,
        "working_days": 320,
        "land_donated_m2": "45.5",
        "start_date": "2025-03-01",
        **overrides,
    }


# --- the access walk ----------------------------------------------------------------


def test_list_and_detail_are_scoped(
    access_cast: Callable[..., Cast], commune: Unit, make_entry: Callable[..., Entry]
) -> None:
    cast = access_cast(commune)
    entry = make_entry()
    walk(cast, f"{ENTRIES}?unit={commune.code}", expect=API_READ_SCOPED, api=True)
    walk(cast, detail_url(entry), expect=API_READ_SCOPED, api=True)
    # Unfiltered, everyone logged in gets a list, but only a sibling's list lacks the entry.
    for actor, sees in (("same", True), ("sibling", False), ("parent", True), ("admin", True)):
        body = Client().get(ENTRIES, headers=cast.api_headers(actor)).json()
        assert (str(entry.public_id) in [i["public_id"] for i in body["items"]]) is sees, actor


def test_writes_to_an_entry_out_of_sight_answer_404(
    access_cast: Callable[..., Cast], commune: Unit, make_entry: Callable[..., Entry]
) -> None:
    cast = access_cast(commune)
    entry = make_entry()
    headers, client = cast.api_headers("sibling"), Client()
    assert_problem(patch(client, detail_url(entry), headers, {"name": "X"}), 404, "entry_not_found")
    for suffix, body in (
        ("/transitions", {"name": "register"}),
        ("/commendations", DECISION),
        ("/replication", {"source_id": str(entry.public_id)}),
    ):
        assert_problem(
            post(client, detail_url(entry, suffix), headers, body), 404, "entry_not_found"
        )
    entry.refresh_from_db()
    assert (entry.status, entry.name) == (Status.DRAFT, "Mô hình “Dân vận khéo” nông thôn mới")


# --- reading ------------------------------------------------------------------------


def test_list_filters_and_detail_fields(
    client: Client,
    make_entry: Callable[..., Entry],
    manager: User,
    thai_nguyen: Unit,
    sibling_commune: Unit,
) -> None:
    headers = bearer(manager)
    entry = make_entry("Đường điện sáng", money_mobilized=150_000_000, co_units=[sibling_commune])
    for name in ("register", "accept", "start", "submit"):
        entry = services.entry_transition(actor=None, entry=entry, name=name)
    entry = services.entry_transition(
        actor=manager,
        entry=entry,
        name="recognize",
        decision=services.DecisionInput(
            number="125/QĐ-UBND", issued_on=dt.date(2025, 11, 20), issuer="UBND tỉnh"
        ),
    )
    make_entry("Năm khác", registration_year=2023)
    body = client.get(
        ENTRIES,
        {"unit": thai_nguyen.code, "year": "2025", "milestone": "recognized", "restated": "true"},
        headers=headers,
    ).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["public_id"] == str(entry.public_id)
    assert item["unit"] == {"code": entry.unit.code, "name": entry.unit.name}
    assert item["co_units"] == [{"code": sibling_commune.code, "name": sibling_commune.name}]
    assert item["field"] == {"code": "kinh-te", "name": "Kinh tế"}
    assert (item["status"], item["status_label"]) == ("recognized", "Được công nhận")
    assert (item["recognized_on"], item["recognized_level"]) == ("2025-11-20", "province")
    assert item["period"] == "2021–2025"
    assert (
        body
        == client.get(ENTRIES, {"q": "DUONG DIEN", "status": "recognized"}, headers=headers).json()
    )
    detail = client.get(detail_url(entry), headers=headers).json()
    assert [d["number"] for d in detail["decisions"]] == ["125/QĐ-UBND"]
    assert [(e["from_status"], e["to_status"]) for e in detail["events"]][-1] == (
        "submitted",
        "recognized",
    )
    assert detail["events"][-1]["actor"] == manager.username
    assert set(detail["allowed_transitions"]) == {"make_exemplary", "withdraw", "stop"}


def test_list_bad_filters(client: Client, manager: User) -> None:
    headers = bearer(manager)
    assert_problem(
        client.get(ENTRIES, {"unit": "khong-co"}, headers=headers), 404, "unit_not_found"
    )
    body = assert_problem(
        client.get(ENTRIES, {"milestone": "sao", "kind": "x"}, headers=headers),
        422,
        "validation_error",
    )
    assert {e["field"] for e in body["errors"]} == {"milestone", "kind"}


def test_filter_choices_match_the_selectors() -> None:
    assert set(typing.get_args(Milestone)) == set(selectors.MILESTONES)
    assert set(typing.get_args(UnitKindGroup)) == set(selectors.UNIT_KIND_GROUPS)


def test_list_runs_the_same_number_of_queries_for_10_and_100_entries(
    client: Client,
    make_entry: Callable[..., Entry],
    manager: User,
    sibling_commune: Unit,
    django_assert_max_num_queries: Any,
) -> None:
    headers = bearer(manager)
    source = make_entry("Nguồn")
    for i in range(9):
        copy = make_entry(f"Mô hình {i:03}", unit=sibling_commune, co_units=[source.unit])
        services.replication_record(actor=None, entry=copy, source=source)
    with CaptureQueriesContext(connection) as ten:
        assert client.get(ENTRIES, {"limit": 100}, headers=headers).json()["count"] == 10
    for i in range(9, 99):
        copy = make_entry(f"Mô hình {i:03}", unit=sibling_commune, co_units=[source.unit])
        services.replication_record(actor=None, entry=copy, source=source)
    with django_assert_max_num_queries(len(ten)):
        body = client.get(ENTRIES, {"limit": 100}, headers=headers).json()
    assert len(body["items"]) == 100
    copies = [i for i in body["items"] if i["public_id"] != str(source.public_id)]
    assert len(copies) == 99
    assert all(i["replicated_from"] == str(source.public_id) for i in copies)
    assert all(
        i["co_units"] == [{"code": source.unit.code, "name": source.unit.name}] for i in copies
    )


def test_fields_and_periods(client: Client, manager: User) -> None:
    headers = bearer(manager)
    Field.objects.filter(code="quoc-phong-an-ninh").update(is_active=False)
    fields = client.get("/api/v1/movement/fields", headers=headers).json()
    assert [f["code"] for f in fields] == [
        "kinh-te",
        "van-hoa-xa-hoi",
        "xay-dung-he-thong-chinh-tri",
    ]
    everything = client.get(
        "/api/v1/movement/fields", {"include_inactive": "true"}, headers=headers
    ).json()
    assert len(everything) == 4
    periods = client.get("/api/v1/movement/periods", headers=headers).json()
    assert [p["name"] for p in periods] == list(Period.objects.values_list("name", flat=True))
    assert periods[0]["start_year"] == 2016


# --- writing ----------------------------------------------------------------------


def test_commune_registers_province_accepts_owner_cannot(
    client: Client, commune: Unit, officer: User, manager: User, sibling_commune: Unit
) -> None:
    mine, theirs = bearer(officer), bearer(manager)
    response = post(client, ENTRIES, mine, new_entry(commune))
    assert response.status_code == 201, response.content
    created = response.json()
    entry = Entry.objects.get(public_id=created["public_id"])
    assert (entry.status, entry.unit, entry.created_by) == (Status.DRAFT, commune, officer)
    assert created["money_mobilized"] == "150000000"
    assert created["allowed_transitions"] == ["register", "withdraw"]
    url = detail_url(entry, "/transitions")
    assert post(client, url, mine, {"name": "register"}).json()["status"] == "registered"
    body = assert_problem(post(client, url, mine, {"name": "accept"}), 403, "permission_denied")
    assert commune.name in body["detail"]
    response = post(client, url, theirs, {"name": "accept"})
    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    # Not allowed from the current state: 400 with the rule's message.
    assert_problem(post(client, url, theirs, {"name": "accept"}), 400, "movement_bad_transition")


def test_recognition_needs_a_valid_decision(
    client: Client, make_entry: Callable[..., Entry], manager: User
) -> None:
    entry = make_entry()
    for name in ("register", "accept", "start", "submit"):
        entry = services.entry_transition(actor=None, entry=entry, name=name)
    headers, url = bearer(manager), detail_url(entry, "/transitions")
    assert_problem(
        post(client, url, headers, {"name": "recognize"}), 400, "movement_decision_required"
    )
    bad = {"name": "recognize", "decision": {**DECISION, "number": "QĐ-UBND"}}
    body = assert_problem(post(client, url, headers, bad), 400, "movement_bad_decision_number")
    assert body["errors"][0]["field"] == "number"
    missing_date = {"name": "recognize", "decision": {"number": "1/QĐ-UBND", "issuer": "X"}}
    assert_problem(post(client, url, headers, missing_date), 422, "validation_error")
    entry.refresh_from_db()
    assert entry.status == Status.SUBMITTED
    assert not Decision.objects.filter(entry=entry).exists()
    good = {"name": "recognize", "decision": {**DECISION, "form": "merit"}}
    body = post(client, url, headers, good).json()
    assert (body["status"], body["recognized_on"]) == ("recognized", "2025-11-20")
    assert body["decisions"][0]["form_label"] == "Bằng khen"
    response = post(
        client,
        detail_url(entry, "/commendations"),
        headers,
        {**DECISION, "number": "77/QĐ-UBND", "form": "certificate"},
    )
    assert response.status_code == 201
    assert response.json()["kind"] == "commendation"
    entry.refresh_from_db()
    assert entry.commended_on == dt.date(2025, 11, 20)


def test_owner_cannot_commend(
    client: Client, make_entry: Callable[..., Entry], officer: User
) -> None:
    entry = make_entry()
    response = post(client, detail_url(entry, "/commendations"), bearer(officer), DECISION)
    assert_problem(response, 403, "permission_denied")


def test_duplicate_needs_confirmation(
    client: Client, commune: Unit, officer: User, make_entry: Callable[..., Entry]
) -> None:
    original = make_entry("Đường điện sáng")
    headers = bearer(officer)
    body = assert_problem(
        post(client, ENTRIES, headers, new_entry(commune, name="duong dien sang")),
        409,
        "movement_duplicate",
    )
    assert str(original.public_id) in body["detail"]
    assert Entry.objects.count() == 1
    response = post(
        client, ENTRIES, headers, new_entry(commune, name="duong dien sang", confirm_duplicate=True)
    )
    assert response.status_code == 201
    assert Entry.objects.count() == 2


def test_create_bad_input(
    client: Client, commune: Unit, officer: User, sibling_commune: Unit, thai_nguyen: Unit
) -> None:
    headers = bearer(officer)
    cases = [
        (new_entry(sibling_commune), 404, "unit_not_found"),
        (new_entry(thai_nguyen), 403, "permission_denied"),
        (new_entry(commune, field_code="nong-thon"), 400, "movement_bad_value"),
        (new_entry(commune, co_unit_codes=["00000"]), 404, "unit_not_found"),
        (new_entry(commune, registration_year=2015), 400, "movement_bad_year"),
        (new_entry(commune, kind="ca-nhan"), 422, "validation_error"),
        (new_entry(commune, money_mobilized=-1), 422, "validation_error"),
        (new_entry(commune, name=""), 422, "validation_error"),
    ]
    for body, status, code in cases:
        assert_problem(post(client, ENTRIES, headers, body), status, code)
    assert not Entry.objects.exists()


def test_patch_changes_only_what_is_sent(
    client: Client, make_entry: Callable[..., Entry], officer: User, commune: Unit
) -> None:
    entry = make_entry("Tên cũ", goals="Mục tiêu cũ")
    make_entry("Đã có")
    headers, url = bearer(officer), detail_url(entry)
    response = patch(client, url, headers, {"name": "Tên mới", "working_days": 12})
    assert response.status_code == 200, response.content
    entry.refresh_from_db()
    assert (entry.name, entry.working_days, entry.goals) == ("Tên mới", 12, "Mục tiêu cũ")
    assert_problem(patch(client, url, headers, {"name": "da co"}), 409, "movement_duplicate")
    assert_problem(patch(client, url, headers, {"field_code": None}), 400, "movement_bad_value")
    Entry.objects.filter(pk=entry.pk).update(status=Status.RECOGNIZED)
    assert_problem(patch(client, url, headers, {"goals": "X"}), 400, "movement_not_editable")
    viewer = make_user("api-lanh-dao", Role.LEADER, commune)
    assert_problem(patch(client, url, bearer(viewer), {"goals": "X"}), 403, "permission_denied")


def test_replication(
    client: Client,
    make_entry: Callable[..., Entry],
    manager: User,
    officer: User,
    sibling_commune: Unit,
) -> None:
    source = make_entry("Mô hình gốc")
    copy = make_entry("Bản nhân rộng", unit=sibling_commune)
    sibling_officer = make_user("api-xa-ben", Role.OFFICER, sibling_commune)
    url = detail_url(copy, "/replication")
    body = {"source_id": str(source.public_id)}
    # The sibling commune cannot see the source: like a missing one.
    assert_problem(post(client, url, bearer(sibling_officer), body), 404, "source_not_found")
    assert_problem(
        post(client, detail_url(source, "/replication"), bearer(officer), body),
        400,
        "movement_replication_self",
    )
    response = post(client, url, bearer(manager), body)
    assert response.status_code == 200
    assert response.json()["replicated_from"] == str(source.public_id)
    detail = client.get(detail_url(source), headers=bearer(manager)).json()
    assert [r["public_id"] for r in detail["replications"]] == [str(copy.public_id)]
    assert detail["replications_other_units"] == 0
    assert response.json()["replicated_from_label"] == "Mô hình gốc"


def test_replication_lineage_hides_entries_out_of_sight(
    client: Client,
    make_entry: Callable[..., Entry],
    manager: User,
    officer: User,
    sibling_commune: Unit,
) -> None:
    """Issue 11: the other end of a replication that the caller may not see is neither
    named nor identified, in the detail and in the list."""
    source = make_entry("Mô hình gốc kín")
    copy = make_entry("Bản nhân rộng kín", unit=sibling_commune)
    services.replication_record(actor=None, entry=copy, source=source)
    sibling_officer = make_user("api-xa-ben-kin", Role.OFFICER, sibling_commune)
    hidden = "một mô hình của đơn vị khác"

    detail = client.get(detail_url(copy), headers=bearer(sibling_officer)).json()
    assert detail["replicated_from"] is None
    assert detail["replicated_from_label"] == hidden
    (row,) = client.get(ENTRIES, headers=bearer(sibling_officer)).json()["items"]
    assert (row["replicated_from"], row["replicated_from_label"]) == (None, hidden)
    # The source's own unit sees how often it was replicated, not where.
    detail = client.get(detail_url(source), headers=bearer(officer)).json()
    assert detail["replications"] == []
    assert detail["replications_other_units"] == 1
    assert str(copy.public_id) not in str(detail)
    assert "Bản nhân rộng kín" not in str(detail)

    # The province sees both ends.
    detail = client.get(detail_url(copy), headers=bearer(manager)).json()
    assert detail["replicated_from"] == str(source.public_id)
    assert detail["replicated_from_label"] == "Mô hình gốc kín"
