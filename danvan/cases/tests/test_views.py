"""The officer's case pages: access, queue, list, overdue, statistics and their export.

Helpers at the top are shared with test_views_actions.py and test_views_identity.py.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from danvan.accounts.models import Role, User
from danvan.accounts.testing import READ_SCOPED, Cast, login_verified, make_user, walk
from danvan.cases import services
from danvan.cases.identity import Identity
from danvan.cases.models import Alert, Case, Status
from danvan.units.models import Unit

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2026, 6, 30, 9, 0, tzinfo=HCM)
TODAY = NOW.date()
# A real (tiny) PDF header: check_upload looks at the first bytes.
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
QUEUE = reverse("cases:queue")
LIST = reverse("cases:list")
RECEIVE = reverse("cases:receive")
OVERDUE = reverse("cases:overdue")
STATS = reverse("cases:stats")
STATS_EXCEL = reverse("cases:stats_excel")


@pytest.fixture(autouse=True)
def frozen_time() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def logged_in(user: User) -> Client:
    client = Client()
    login_verified(client, user)
    return client


def case_url(name: str, case: Case, **kw: Any) -> str:
    return reverse(f"cases:{name}", kwargs={"public_id": case.public_id, **kw})


def post_action(client: Client, action: str, case: Case, **data: Any) -> Any:
    """POST one action form, with the version the page showed unless given."""
    data.setdefault("version", case.version)
    return client.post(case_url(action, case), data)


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def text(response: Any) -> str:
    return str(response.content.decode())


def sheet_text(content: bytes) -> str:
    """Every cell of every sheet of an .xlsx, joined."""
    wb = load_workbook(io.BytesIO(content))
    cells = [
        str(cell.value)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.value is not None
    ]
    return "\n".join(cells)


def next_link(html: str) -> str | None:
    found = re.search(r'href="([^"]*)" rel="next"', html)
    return found.group(1).replace("&amp;", "&") if found else None


@pytest.fixture
def cast(access_cast: Callable[..., Cast], commune: Unit) -> Cast:
    return access_cast(commune)


# -- access ------------------------------------------------------------------------------------


def test_pages_walk_the_access_cast(
    cast: Cast, commune: Unit, receive: Callable[..., Case]
) -> None:
    case = receive()
    unit = f"?unit={commune.code}"
    for url in (
        QUEUE + unit,
        QUEUE + unit + "&tab=inbox",
        case_url("detail", case),
        case_url("receipt", case),
    ):
        walk(cast, url, expect=READ_SCOPED)
    # A unit typed in a filter (the unit picker) out of sight is refused like a missing
    # one: the form comes back (400) saying no such unit is within reach.
    for url in (
        LIST + unit,
        OVERDUE + unit,
        STATS + unit + "&from=01/01/2026&to=30/06/2026",
        STATS_EXCEL + unit + "&from=01/01/2026&to=30/06/2026",
    ):
        walk(cast, url, expect={**READ_SCOPED, "sibling": 400})


def test_a_missing_case_answers_like_a_hidden_one(cast: Cast) -> None:
    missing = reverse("cases:detail", args=["0b9f3c3e-6a1d-4c36-9a8f-2f1d1f0f0f0f"])
    assert cast.client("same").get(missing).status_code == 404


def test_a_national_user_sees_the_nation_by_default(
    system_admin: User, receive: Callable[..., Case]
) -> None:
    case = receive()
    client = logged_in(system_admin)
    for url in (LIST, OVERDUE, STATS):
        response = client.get(url)
        assert response.status_code == 200
        page = text(response)
        assert "Toàn quốc" in page
        assert "Chọn đơn vị (gõ tên" not in page
    assert case.reference in text(client.get(LIST))
    assert client.get(QUEUE).status_code == 200


def test_the_list_filter_takes_a_name_without_diacritics(
    officer: User, commune: Unit, receive: Callable[..., Case]
) -> None:
    case = receive()
    client = logged_in(officer)
    typed = commune.name_folded.split(" ", 1)[1]  # "duc xuan" for Phường Đức Xuân
    response = client.get(LIST, {"unit": typed})
    assert response.status_code == 200
    assert response.context["unit"] == commune
    assert case.reference in text(response)
    response = client.get(LIST, {"unit": "khong co don vi nay"})
    assert response.status_code == 400
    assert "Không tìm thấy đơn vị “khong co don vi nay”" in text(response)


def test_bad_filters_are_explained(officer: User) -> None:
    client = logged_in(officer)
    response = client.get(LIST, {"kind": "hối lộ"})
    assert response.status_code == 400
    assert "Loại vụ việc không hợp lệ" in text(response)
    response = client.get(STATS, {"from": "30/06/2026", "to": "01/01/2026"})
    assert response.status_code == 400
    assert "Ngày kết thúc phải sau ngày bắt đầu" in text(response)
    assert client.get(STATS_EXCEL, {"from": "30/02/2026"}).status_code == 400


# -- the queue ----------------------------------------------------------------------------------


def _make_cases(receive: Callable[..., Case], n: int, **kwargs: Any) -> list[Case]:
    return [receive(subject=f"Vụ việc số {i}", **kwargs) for i in range(n)]


def test_queue_shows_my_cases_and_the_unassigned_ones(
    officer: User, handler: User, leader: User, receive: Callable[..., Case]
) -> None:
    mine = receive(subject="Đèn đường hỏng")
    services.case_assign(
        actor=leader, case=mine, version=mine.version, users=[officer], lead=officer
    )
    waiting = receive(subject="Rác thải tồn đọng", received_on=dt.date(2026, 6, 1))
    client = logged_in(officer)

    page = text(client.get(QUEUE))
    assert "Đèn đường hỏng" in page
    assert "Rác thải tồn đọng" not in page
    assert mine.alias in page

    inbox = text(client.get(QUEUE, {"tab": "inbox"}))
    assert "Rác thải tồn đọng" in inbox
    assert "Đèn đường hỏng" not in inbox
    assert "Chưa phân công" in inbox
    # Received 1 June with 10 working days to classify: overdue before any sweep ran.
    assert fresh(waiting).alert == Alert.NONE
    assert "text-bg-danger" in inbox
    assert reverse("cases:list") in inbox


def test_queue_badges_come_from_the_sweep_and_the_date(
    officer: User, leader: User, receive: Callable[..., Case]
) -> None:
    soon = receive(subject="Sắp hết hạn", received_on=TODAY)
    Case.objects.filter(pk=soon.pk).update(alert=Alert.DUE_SOON)
    page = text(logged_in(officer).get(QUEUE, {"tab": "inbox"}))
    assert "Sắp đến hạn" in page
    assert "text-bg-warning" in page
    assert "text-bg-danger" not in page


def test_queue_pages_by_key_with_constant_queries(
    officer: User, receive: Callable[..., Case], commune: Unit
) -> None:
    client = logged_in(officer)

    def assign_all_but_one() -> None:
        waiting = Case.objects.filter(unit=commune, handler__isnull=True).order_by("id")
        keep = waiting.values_list("id", flat=True).first()
        assert keep is not None
        waiting.exclude(id=keep).update(handler=officer)

    _make_cases(receive, 6)
    assign_all_but_one()
    urls = [
        QUEUE,
        f"{QUEUE}?tab=inbox",
        f"{LIST}?unit={commune.code}",
        f"{OVERDUE}?unit={commune.code}",
    ]
    small = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        small[url] = len(queries)
    _make_cases(receive, 55, received_on=dt.date(2026, 6, 29))
    assign_all_but_one()
    assert Case.objects.filter(handler=officer).count() == 60
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert len(queries) == small[url], url
        sql = [q["sql"].upper() for q in queries]
        assert not any(" OFFSET " in q for q in sql)
        if url.startswith((QUEUE + "?", LIST)) or url == QUEUE:
            assert not any("COUNT(" in q for q in sql if "CASES_CASE" in q)

    # 60 cases: 50 on the first page, the rest after "Xem tiếp".
    first = text(client.get(QUEUE))
    assert first.count('href="/vu-viec/') >= 50
    assert "Xem tiếp" in first
    link = next_link(first)
    assert link is not None
    assert "after=" in link
    second = text(client.get(QUEUE + link))
    rows = re.findall(r"<tr>\s*<td><a href=\"/vu-viec/", second)
    assert len(rows) == 10
    assert "Xem tiếp" not in second
    assert "Về đầu danh sách" in second


# -- the list -------------------------------------------------------------------------------------


def test_list_filters_and_searches(
    officer: User, receive: Callable[..., Case], commune: Unit
) -> None:
    road = receive(subject="Đường liên thôn xuống cấp")
    petition = receive(kind="petition", subject="Đề nghị lắp đèn", received_on=TODAY)
    client = logged_in(officer)

    def listed(**params: str) -> str:
        response = client.get(LIST, {"unit": commune.code, **params})
        assert response.status_code == 200
        return text(response)

    assert road.reference in listed()
    assert petition.reference in listed()
    page = listed(kind="petition")
    assert petition.reference in page
    assert road.reference not in page
    page = listed(alert="overdue")
    assert road.reference in page
    assert petition.reference not in page
    page = listed(alert="due_soon")
    assert petition.reference not in page  # 10 working days ahead: not yet due soon
    page = listed(q=road.reference)
    assert road.reference in page
    assert petition.reference not in page
    page = listed(q=petition.lookup_code.replace("-", "").lower())
    assert petition.reference in page
    assert road.reference not in page
    page = listed(q="đèn")
    assert petition.reference in page
    services.case_accept(actor=officer, case=road, version=road.version)
    page = listed(status=Status.ACCEPTED)
    assert road.reference in page
    assert petition.reference not in page


def test_list_defaults_to_the_current_unit_and_covers_its_subtree(
    thai_nguyen: Unit, commune: Unit, receive: Callable[..., Case]
) -> None:
    case = receive()
    provincial = make_user("canbo-tinh", Role.OFFICER, thai_nguyen)
    page = text(logged_in(provincial).get(LIST))
    assert case.reference in page
    assert thai_nguyen.name in page


# -- overdue ------------------------------------------------------------------------------------


def test_overdue_counts_per_child_unit(
    thai_nguyen: Unit,
    commune: Unit,
    sibling_commune: Unit,
    officer: User,
    receive: Callable[..., Case],
) -> None:
    late = receive(subject="Quá hạn ở xã")
    receive(subject="Còn hạn ở xã", received_on=TODAY)
    other = make_user("canbo-xa-ben", Role.OFFICER, sibling_commune)
    services.case_receive(
        actor=other,
        unit=sibling_commune,
        kind="petition",
        channel="letter",
        subject="Quá hạn ở xã bên",
        content="Nội dung",
        sender=Identity(full_name="Lê Văn C"),
        received_on=dt.date(2026, 5, 4),
    )
    provincial = make_user("lanhdao-tinh", Role.LEADER, thai_nguyen)
    response = logged_in(provincial).get(OVERDUE, {"unit": thai_nguyen.code})
    assert response.status_code == 200
    page = text(response)
    assert late.reference in page
    assert "Còn hạn ở xã" not in page
    assert "Quá hạn ở xã bên" in page
    table = page.split('id="branches-table"')[1].split("</table>")[0]
    assert commune.name in table
    assert sibling_commune.name in table
    assert f"?unit={commune.code}" in table
    by_unit = {b.unit.code: b for b in response.context["branches"]}
    assert by_unit[commune.code].overdue == 1
    assert by_unit[commune.code].open == 2
    assert by_unit[sibling_commune.code].overdue == 1
    assert response.context["overdue_now"] == 2
    # The commune officer sees their commune only; the sibling's is hidden like missing.
    client = logged_in(officer)
    assert client.get(OVERDUE, {"unit": sibling_commune.code}).status_code == 400
    assert "Quá hạn ở xã bên" not in text(client.get(OVERDUE))


# -- statistics ---------------------------------------------------------------------------------


def test_stats_page_and_excel_have_the_same_numbers(
    officer: User, receive: Callable[..., Case], commune: Unit
) -> None:
    receive()
    receive(kind="petition", received_on=TODAY)
    done = receive(kind="complaint", received_on=dt.date(2026, 6, 1))
    services.case_accept(actor=officer, case=done, version=done.version)
    client = logged_in(officer)
    params = {"unit": commune.code, "from": "01/01/2026", "to": "30/06/2026"}
    response = client.get(STATS, params)
    assert response.status_code == 200
    tables = response.context["tables"]
    assert tables.total == 3
    assert dict(tables.by_kind)["Phản ánh"] == 1
    assert dict(tables.by_status)["Đã thụ lý, đang giải quyết"] == 1
    assert dict(tables.timing)["Đang xử lý, đã quá hạn"] == 1
    page = text(response)
    assert "Theo loại vụ việc" in page
    assert "Xuất Excel" in page

    excel = client.get(STATS_EXCEL, params)
    assert excel.status_code == 200
    assert excel["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in excel["Content-Disposition"]
    cells = sheet_text(excel.content)
    assert "Theo loại vụ việc" in cells
    assert "Phản ánh\n1" in cells
    assert f"{commune.name} ({commune.code})" in cells

    narrow = client.get(STATS, {**params, "from": "15/06/2026"})
    assert narrow.context["tables"].total == 1
