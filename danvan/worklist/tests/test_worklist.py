"""The list of what needs doing: items, order, scope, the leader's summary, constant queries,
and a source plugged in from outside (as the directives and reports apps will)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danvan.accounts.models import Role, User
from danvan.accounts.testing import login_verified, make_user
from danvan.cases import services as case_services
from danvan.cases.dialogues import services as dialogue_services
from danvan.cases.identity import Identity
from danvan.cases.models import Case, Channel, Commitment
from danvan.movement.models import Entry, Field, Status
from danvan.movement.services import entry_create
from danvan.units.models import Unit
from danvan.worklist import registry
from danvan.worklist.registry import Found, Item, Scope, Urgency
from danvan.worklist.selectors import worklist_for

from .conftest import HCM

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 6, 15, 9, 0, tzinfo=HCM), tick=False):
        yield


@pytest.fixture
def officer(commune: Unit) -> User:
    return make_user("wl-xa", Role.OFFICER, commune)


@pytest.fixture
def case_in(officer: User) -> Callable[..., Case]:
    """A feedback case received in *unit*, then given a due date *due*."""

    def make(unit: Unit, due: dt.date | None, subject: str = "Đường liên thôn xuống cấp") -> Case:
        case = case_services.case_receive(
            actor=make_user(f"rcv-{Case.objects.count()}", Role.OFFICER, unit),
            unit=unit,
            kind="feedback",
            channel=Channel.LETTER,
            subject=subject,
            content="Nội dung phản ánh.",
            sender=Identity(full_name="Trần Thị Bình", phone="0987000111"),
            received_on=dt.date(2026, 5, 4),
        )
        Case.objects.filter(pk=case.pk).update(due_date=due)
        case.refresh_from_db()
        return case

    return make


def _items(html: str) -> list[tuple[str, str]]:
    block = html.split('id="worklist-items"', 1)[1].split("</ol>", 1)[0]
    return re.findall(r'data-source="([^"]+)" data-urgency="(\d)"', block)


def _home(user: User) -> str:
    client = Client()
    login_verified(client, user)
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 200
    return response.content.decode()


def test_overdue_case_comes_first_and_opens_the_case(
    officer: User, commune: Unit, case_in: Callable[..., Case]
) -> None:
    far = case_in(commune, TODAY + dt.timedelta(days=40), subject="Xa hạn")
    soon = case_in(commune, TODAY + dt.timedelta(days=2), subject="Sắp hạn")
    late = case_in(commune, TODAY - dt.timedelta(days=3), subject="Đã quá hạn")
    html = _home(officer)
    items = _items(html)
    # Overdue first, then due soon; a case far from its deadline is not "to do" yet.
    assert items[0] == ("cases.overdue", str(int(Urgency.OVERDUE)))
    assert items[1] == ("cases.due_soon", str(int(Urgency.DUE_SOON)))
    block = html.split('id="worklist-items"', 1)[1].split("</ol>", 1)[0]
    first = block.split("</li>", 1)[0]
    assert late.get_absolute_url() in first
    assert "Đã quá hạn" in first
    assert commune.name in first
    assert "hạn 12/06/2026" in first  # by when
    assert "từ 04/05/2026" in first  # since when
    assert soon.get_absolute_url() in block
    assert far.get_absolute_url() not in block


def test_a_sibling_commune_sees_none_of_it(
    sibling_commune: Unit, commune: Unit, case_in: Callable[..., Case]
) -> None:
    case_in(commune, TODAY - dt.timedelta(days=3))
    other = make_user("wl-sibling", Role.OFFICER, sibling_commune)
    html = _home(other)
    # Its own commune's duties (disclosures of the year) are there, the neighbour's case not.
    assert not [s for s, _u in _items(html) if s.startswith("cases.")]
    assert "Đường liên thôn" not in html


def test_the_leader_sees_the_subtree_by_child_unit(
    thai_nguyen: Unit,
    commune: Unit,
    sibling_commune: Unit,
    case_in: Callable[..., Case],
) -> None:
    case_in(commune, TODAY - dt.timedelta(days=3))
    case_in(commune, TODAY - dt.timedelta(days=1))
    case_in(sibling_commune, TODAY + dt.timedelta(days=1))
    leader = make_user("wl-tinh", Role.LEADER, thai_nguyen)
    html = _home(leader)
    table = html.split('id="worklist-children"', 1)[1].split("</table>", 1)[0]
    rows = table.split("<tbody>", 1)[1].split("</tr>")
    # The commune with two overdue cases first, the sibling with one due soon after.
    assert commune.name in rows[0]
    assert ">2<" in rows[0]
    assert sibling_commune.name in rows[1]
    assert f"?unit={commune.code}" in rows[0]


def test_queries_do_not_grow_with_the_items(
    thai_nguyen: Unit, commune: Unit, sibling_commune: Unit, case_in: Callable[..., Case]
) -> None:
    leader = make_user("wl-tinh-q", Role.UNIT_ADMIN, thai_nguyen)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            worklist_for(actor=leader, root=thai_nguyen, today=TODAY, with_children=True)
        return len(ctx.captured_queries)

    case_in(commune, TODAY - dt.timedelta(days=3))
    count()  # the first call also loads the leader's grants, cached for the request
    few = count()
    for i in range(12):
        case_in(sibling_commune if i % 2 else commune, TODAY - dt.timedelta(days=i + 1))
    assert count() == few


def test_commitments_overdue_are_listed(officer: User, commune: Unit) -> None:
    dialogue = dialogue_services.dialogue_create(
        actor=officer,
        unit=commune,
        title="Đối thoại về giải phóng mặt bằng",
        held_on=TODAY + dt.timedelta(days=20),
        place="Hội trường",
        chair="Chủ tịch UBND xã",
    )
    Commitment.objects.create(
        dialogue=dialogue, text="Sửa cống thôn 3", responsible="UBND xã", due_date=TODAY
    )
    Commitment.objects.create(
        dialogue=dialogue,
        text="Làm lại rãnh thoát nước",
        responsible="UBND xã",
        due_date=TODAY - dt.timedelta(days=1),
    )
    found = worklist_for(actor=officer, root=commune, today=TODAY)
    commitments = [i for i in found.items if i.source == "dialogues.commitments"]
    assert [i.what for i in commitments] == [
        "Cam kết sau đối thoại quá hạn: Làm lại rãnh thoát nước (UBND xã)"
    ]


def test_a_dialogue_not_announced_in_time_is_listed(officer: User, commune: Unit) -> None:
    dialogue_services.dialogue_create(
        actor=officer,
        unit=commune,
        title="Đối thoại về đất đai",
        held_on=TODAY + dt.timedelta(days=3),  # announcing 7 days ahead is no longer possible
        place="Hội trường",
        chair="Chủ tịch UBND xã",
    )
    found = worklist_for(actor=officer, root=commune, today=TODAY)
    late = [i for i in found.items if i.source == "dialogues.late"]
    assert len(late) == 1
    assert late[0].due == TODAY - dt.timedelta(days=4)
    assert late[0].urgency == Urgency.OVERDUE


def test_entries_wait_for_the_managing_body_not_for_their_own_unit(
    thai_nguyen: Unit, commune: Unit, officer: User
) -> None:
    entry = entry_create(
        actor=None,
        name="Mô hình dân vận khéo",
        unit=commune,
        kind="initiative",
        field=Field.objects.order_by("pk")[0],
        registration_year=2026,
    )
    Entry.objects.filter(pk=entry.pk).update(status=Status.REGISTERED)
    manager = make_user("wl-ql-tinh", Role.OFFICER, thai_nguyen)

    def waiting(user: User, root: Unit) -> int:
        found = worklist_for(actor=user, root=root, today=TODAY)
        return next(s.total for s in found.summaries if s.source.code == "movement.waiting")

    assert waiting(manager, thai_nguyen) == 1
    assert waiting(officer, commune) == 0
    source = registry._SOURCES["movement.waiting"]
    items = source.find(Scope(actor=manager, root=thai_nguyen, today=TODAY)).items
    assert [i.url for i in items] == [entry.get_absolute_url()]


class _Directives:
    """A source from an app the home page does not know (as directives will be)."""

    code = "test.directives"
    label = "Nhiệm vụ được giao"

    @staticmethod
    def list_url() -> str:
        return "/nhiem-vu/"

    def find(self, scope: Scope) -> Found:
        item = Item(
            source=self.code,
            what="Nhiệm vụ theo Kế hoạch 20-KH/TU",
            where=scope.root.name if scope.root else "",
            url="/nhiem-vu/1/",
            since=scope.today - dt.timedelta(days=30),
            due=scope.today - dt.timedelta(days=10),
            urgency=Urgency.OVERDUE,
        )
        return Found(items=[item], total=1, overdue=1)


@pytest.fixture
def plugged() -> Iterator[None]:
    registry.register(_Directives())
    yield
    registry.unregister("test.directives")


def test_a_new_app_plugs_in_through_the_interface(
    plugged: None, officer: User, commune: Unit, case_in: Callable[..., Case]
) -> None:
    case_in(commune, TODAY - dt.timedelta(days=3))  # due after the task: the task comes first
    html = _home(officer)
    assert _items(html)[0] == ("test.directives", "0")
    assert "Nhiệm vụ theo Kế hoạch 20-KH/TU" in html
    assert 'href="/nhiem-vu/?unit=' in html


def test_urgency_boundaries() -> None:
    scope = Scope(actor=None, root=None, today=TODAY, due_soon_days=5)
    assert registry.urgency_of(TODAY - dt.timedelta(days=1), scope) == Urgency.OVERDUE
    assert registry.urgency_of(TODAY, scope) == Urgency.DUE_SOON
    assert registry.urgency_of(TODAY + dt.timedelta(days=5), scope) == Urgency.DUE_SOON
    assert registry.urgency_of(TODAY + dt.timedelta(days=6), scope) == Urgency.WAITING
    assert registry.urgency_of(None, scope) == Urgency.WAITING


def test_link_is_the_reversed_url() -> None:
    import uuid

    key = uuid.uuid4()
    assert registry.link("cases:detail", key) == reverse("cases:detail", args=[key])
    assert registry.link("supervision:recommendation_answer", 42) == reverse(
        "supervision:recommendation_answer", args=[42]
    )


def test_the_leader_sees_twelve_months_of_trends(
    thai_nguyen: Unit, commune: Unit, case_in: Callable[..., Case]
) -> None:
    on_time = case_in(commune, dt.date(2026, 4, 30))
    late = case_in(commune, dt.date(2026, 4, 10))
    Case.objects.filter(pk__in=[on_time.pk, late.pk]).update(
        closed_on=dt.date(2026, 4, 20), status="resolved", is_open=False
    )
    leader = make_user("wl-tinh-trend", Role.LEADER, thai_nguyen)
    html = _home(leader)
    trends = html.split('id="trends"', 1)[1]
    assert 'id="trend-cases-on_time"' in trends
    table = trends.split("Vụ việc giải quyết xong", 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr><th scope=\"row\">([^<]+)</th>(.*?)</tr>", table)
    assert rows[0][0] == "tháng 07/2025"
    assert len(rows) == 12
    assert rows[-1][0] == "tháng 06/2026"
    april = dict(rows)["tháng 04/2026"]
    assert re.findall(r">([^<]+)</td>", april) == ["1", "1", "50%"]
    # A commune officer gets the list, not the leader's trends.
    assert 'id="trends"' not in _home(make_user("wl-xa-trend", Role.OFFICER, commune))


def test_the_home_page_stays_bounded_and_the_rest_is_a_page_away(
    thai_nguyen: Unit, case_in: Callable[..., Case]
) -> None:
    from danvan.worklist.views import HOME_CHILDREN, HOME_ITEMS

    communes = list(Unit.objects.filter(parent=thai_nguyen, kind="commune").order_by("code"))
    for unit in communes[: HOME_CHILDREN + 5]:
        case_in(unit, TODAY - dt.timedelta(days=2))
    leader = make_user("wl-tinh-bounded", Role.LEADER, thai_nguyen)
    html = _home(leader)
    assert len(_items(html)) == HOME_ITEMS
    table = html.split('id="worklist-children"', 1)[1].split("</table>", 1)[0]
    assert table.count("<tr>") - 1 == HOME_CHILDREN  # the header row aside
    assert 'id="worklist-all-children"' in html
    # The full summary, paged, with the unit picked by name like every list.
    client = Client()
    login_verified(client, leader)
    page = client.get(reverse("worklist:overview"), {"unit": "thai nguyen"})
    assert page.status_code == 200
    body = page.content.decode()
    rows = body.split('id="worklist-children"', 1)[1].split("</table>", 1)[0]
    for unit in communes[: HOME_CHILDREN + 5]:
        assert unit.name in rows
    # A unit out of the user's sight is refused like a missing one, with the reason.
    other = client.get(reverse("worklist:overview"), {"unit": "Hà Giang"})
    assert other.status_code == 400
    assert "worklist-children" not in other.content.decode()


def test_a_case_overdue_and_unassigned_is_listed_and_counted_overdue_once(
    commune: Unit, case_in: Callable[..., Case]
) -> None:
    case = case_in(commune, TODAY - dt.timedelta(days=2))
    admin = make_user("wl-xa-admin", Role.UNIT_ADMIN, commune)
    found = worklist_for(actor=admin, root=commune, today=TODAY)
    listed = [i for i in found.items if i.url == case.get_absolute_url()]
    assert [i.source for i in listed] == ["cases.overdue"]
    totals = {s.source.code: (s.total, s.overdue) for s in found.summaries}
    assert totals["cases.overdue"] == (1, 1)
    assert totals["cases.unassigned"] == (1, 0)


def test_each_case_is_listed_under_its_most_urgent_kind(
    commune: Unit, case_in: Callable[..., Case]
) -> None:
    late = case_in(commune, TODAY - dt.timedelta(days=2), subject="Quá hạn")
    soon = case_in(commune, TODAY + dt.timedelta(days=1), subject="Sắp hạn")
    waiting = case_in(commune, TODAY + dt.timedelta(days=60), subject="Còn xa")
    paused = case_in(commune, TODAY - dt.timedelta(days=9), subject="Tạm dừng")
    # A paused case's clock is stopped: never overdue, still waiting for a handler.
    Case.objects.filter(pk=paused.pk).update(status="paused")
    admin = make_user("wl-xa-admin2", Role.UNIT_ADMIN, commune)
    found = worklist_for(actor=admin, root=commune, today=TODAY)
    source = {i.url: i.source for i in found.items if i.source.startswith("cases.")}
    assert source == {
        late.get_absolute_url(): "cases.overdue",
        soon.get_absolute_url(): "cases.due_soon",
        waiting.get_absolute_url(): "cases.unassigned",
        paused.get_absolute_url(): "cases.unassigned",
    }
    what = {i.url: i.what for i in found.items}
    assert what[waiting.get_absolute_url()].startswith("Chưa giao người xử lý: ")
    urgency = {i.url: i.urgency for i in found.items}
    assert urgency[paused.get_absolute_url()] == Urgency.WAITING
    totals = {s.source.code: (s.total, s.overdue) for s in found.summaries}
    assert totals["cases.overdue"] == (1, 1)
    assert totals["cases.due_soon"] == (1, 0)
    assert totals["cases.unassigned"] == (4, 0)


def test_cases_are_read_kind_by_kind_only_while_the_list_has_room(
    commune: Unit, case_in: Callable[..., Case]
) -> None:
    # Made most overdue first, as the list orders them.
    late = [case_in(commune, TODAY - dt.timedelta(days=d)) for d in (3, 2, 1)]
    soon = case_in(commune, TODAY + dt.timedelta(days=1))
    admin = make_user("wl-xa-admin3", Role.UNIT_ADMIN, commune)

    def listed(limit: int) -> tuple[list[str], int]:
        with CaptureQueriesContext(connection) as ctx:
            found = worklist_for(actor=admin, root=commune, today=TODAY, limit=limit)
        cases = [i.url for i in found.items if i.source.startswith("cases.")]
        return cases, sum('FROM "cases_case"' in q["sql"] for q in ctx.captured_queries)

    worklist_for(actor=admin, root=commune, today=TODAY)  # the grants, cached
    # Three overdue cases fill a list of three: the other kinds are not read.
    cases, reads = listed(3)
    assert cases == [c.get_absolute_url() for c in late]
    assert reads == 2  # the counts, the overdue ones
    # With room left, the next kinds follow in order, each case once.
    cases, reads = listed(30)
    assert cases[:4] == [
        *(c.get_absolute_url() for c in late),
        soon.get_absolute_url(),
    ]
    assert len(cases) == len(set(cases)) == 4
    assert reads == 4


def test_a_full_list_skips_the_sources_whose_rows_would_rank_after_it(
    officer: User, commune: Unit, case_in: Callable[..., Case]
) -> None:
    """Once the list holds `limit` overdue items, a source whose earliest overdue deadline
    is later does not list its rows; one with an earlier deadline still does, and the
    list is the one every source listing its rows would give."""
    late = [case_in(commune, TODAY - dt.timedelta(days=d)) for d in (3, 2)]
    dialogue = dialogue_services.dialogue_create(
        actor=officer,
        unit=commune,
        title="Đối thoại về giải phóng mặt bằng",
        held_on=TODAY + dt.timedelta(days=20),
        place="Hội trường",
        chair="Chủ tịch UBND xã",
    )
    Commitment.objects.create(
        dialogue=dialogue,
        text="Sửa cống thôn 3",
        responsible="UBND xã",
        due_date=TODAY - dt.timedelta(days=1),
    )

    def listed() -> tuple[list[str], int]:
        with CaptureQueriesContext(connection) as ctx:
            found = worklist_for(actor=officer, root=commune, today=TODAY, limit=2)
        reads = sum('FROM "cases_commitment"' in q["sql"] for q in ctx.captured_queries)
        return [i.url for i in found.items], reads

    worklist_for(actor=officer, root=commune, today=TODAY)  # the grants, cached
    urls, reads = listed()
    assert urls == [c.get_absolute_url() for c in late]
    assert reads == 1  # counted with the other sources, never listed

    Commitment.objects.create(
        dialogue=dialogue,
        text="Làm lại rãnh thoát nước",
        responsible="UBND xã",
        due_date=TODAY - dt.timedelta(days=10),
    )
    urls, reads = listed()
    dialogue_url = reverse("dialogues:detail", args=[dialogue.public_id])
    assert urls == [dialogue_url, late[0].get_absolute_url()]
    assert reads == 2


def test_overdue_of_reads_the_per_child_counts() -> None:
    """One helper reads a source's per-child counts for both its own listing (find) and
    the order the sources are asked in (earliest_overdue): overdue or not, and the
    earliest deadline of an overdue row across the children."""
    day = dt.date(2025, 3, 10)
    assert registry.overdue_of({}) == (False, None)
    assert registry.overdue_of({"a": (3, 0, None), "b": (1, 0, None)}) == (False, None)
    counts: registry.ChildCounts = {
        "a": (4, 2, day),
        "b": (2, 0, None),
        "c": (5, 1, day - dt.timedelta(days=7)),
    }
    assert registry.overdue_of(counts) == (True, day - dt.timedelta(days=7))

    scope = Scope(actor=None, root=None, today=day)
    assert registry.earliest_overdue(scope, "x") is None  # not counted by count_all
    scope.memo["counts"] = {"x": counts, "y": {}}
    assert registry.earliest_overdue(scope, "x") == (True, day - dt.timedelta(days=7))
    assert registry.earliest_overdue(scope, "y") == (False, None)
