"""Each registered query on small data: what falls in the period and the subtree counts,
what falls outside either does not."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from danvan.accounts.models import Role, User
from danvan.accounts.testing import login_verified, make_user
from danvan.cases import services as case_services
from danvan.cases.identity import Identity
from danvan.cases.models import Case, Channel
from danvan.directives.tasks.models import TaskState
from danvan.directives.tasks.tests.factories import TaskFactory
from danvan.disclosure import selectors as disclosure_selectors
from danvan.disclosure import services as disclosure_services
from danvan.disclosure.models import DisclosureKind
from danvan.movement import services as movement_services
from danvan.movement.models import Entry, Field
from danvan.reports.indicators import get_query, queries
from danvan.units.models import Unit

pytestmark = pytest.mark.django_db

# The half-year 2026 data period.
START, END = dt.date(2025, 12, 15), dt.date(2026, 6, 14)


def _url_of(name: str, root: Unit) -> str:
    query = get_query(name)
    assert query is not None, name
    return query.records_url(root, START, END)


def _reader(unit: Unit) -> Client:
    """A signed-in leader of *unit*, who reads every area's lists of its subtree."""
    client = Client()
    login_verified(client, make_user(f"lanhdao-{unit.code}", Role.LEADER, unit))
    return client


def _listed(client: Client, url: str) -> int:
    """How many rows the list at *url* shows (over all its pages)."""
    response = client.get(url)
    assert response.status_code == 200, url
    return int(response.context["page"].paginator.count)


def _count(name: str, root: Unit) -> int:
    query = get_query(name)
    assert query is not None, name
    figure = query.compute(root, START, END)
    # The grouped form a snapshot uses (one query for many roots, nested ones included)
    # gives each root the same figure as the count of its own subtree.
    roots = [root, *Unit.objects.filter(parent=root)]
    if root.parent is not None:
        roots.append(root.parent)
    grouped = query.compute_all(roots, START, END)
    assert grouped == {r.pk: query.compute(r, START, END) for r in roots}, name
    assert grouped[root.pk] == figure
    return figure


def test_every_query_has_a_grouped_form() -> None:
    # A snapshot of the nation's units asks each query once (a constant number of
    # queries), not once per unit: _count below checks the grouped figures agree.
    assert all(q.compute_many is not None for q in queries())


def test_registered_queries() -> None:
    assert {q.name for q in queries()} == {
        "movement_registered",
        "movement_recognized",
        "movement_exemplary",
        "cases_received",
        "cases_settled_on_time",
        "tasks_overdue",
        "disclosures_missing",
    }


def _entry(unit: Unit, **milestones: Any) -> Entry:
    entry = movement_services.entry_create(
        actor=None,
        unit=unit,
        kind="initiative",
        name=f"Mô hình {Entry.objects.count() + 1}",
        field=Field.objects.get(code="kinh-te"),
        registration_year=2026,
    )
    # The milestone dates as the workflow leaves them (movement.workflow sets each
    # on the day the step is taken); written directly, the workflow has its own tests.
    Entry.objects.filter(pk=entry.pk).update(**milestones)
    return entry


def test_movement_queries_count_milestones_reached_in_the_period(
    thai_nguyen: Unit, commune: Unit, sibling_commune: Unit
) -> None:
    _entry(commune, registered_on=dt.date(2026, 1, 10))
    _entry(commune, registered_on=dt.date(2026, 2, 1), recognized_on=dt.date(2026, 5, 1))
    _entry(
        sibling_commune,
        registered_on=dt.date(2025, 12, 15),
        recognized_on=dt.date(2026, 3, 1),
        exemplary_on=dt.date(2026, 6, 14),
    )
    _entry(commune, registered_on=dt.date(2025, 12, 14))  # the day before the period
    _entry(commune, registered_on=dt.date(2026, 6, 15), recognized_on=dt.date(2026, 6, 15))
    _entry(commune)  # a draft: no milestone
    assert _count("movement_registered", thai_nguyen) == 3
    assert _count("movement_recognized", thai_nguyen) == 2
    assert _count("movement_exemplary", thai_nguyen) == 1
    assert _count("movement_registered", commune) == 2
    assert _count("movement_exemplary", commune) == 0
    # Each figure opens the list of the entries it counts: as many rows as the figure.
    reader = _reader(thai_nguyen)
    for milestone in ("registered", "recognized", "exemplary"):
        name = f"movement_{milestone}"
        for root in (thai_nguyen, commune):
            assert _listed(reader, _url_of(name, root)) == _count(name, root), (name, root)


def _case(unit: Unit, received_on: dt.date, *, kind: str = "feedback", **closed: Any) -> Case:
    officer = make_user(f"canbo-{Case.objects.count()}", Role.OFFICER, unit)
    case = case_services.case_receive(
        actor=officer,
        unit=unit,
        kind=kind,
        channel=Channel.LETTER,
        subject="Đường liên thôn xuống cấp",
        content="Đoạn đường từ thôn 3 đến thôn 5 có nhiều ổ gà.",
        sender=Identity(full_name="Trần Thị Bình", phone="0987000111"),
        received_on=received_on,
    )
    if closed:
        # Settled: the resolution workflow has its own tests; only its dates matter here.
        Case.objects.filter(pk=case.pk).update(is_open=False, status="resolved", **closed)
    return case


def cases_listed(client: Client, url: str) -> int:
    """How many cases the cases list at *url* shows, over all its pages (the list pages
    by key and shows no total: each page's rows, following "Xem tiếp")."""
    shown = 0
    while url:
        response = client.get(url)
        assert response.status_code == 200, url
        shown += len(response.context["rows"])
        following = response.context["next_url"]
        url = f"{url.split('?')[0]}{following}" if following else ""
    return shown


def test_cases_received_and_settled_on_time(
    thai_nguyen: Unit, commune: Unit, sibling_commune: Unit
) -> None:
    on_time: dict[str, Any] = {"due_date": dt.date(2026, 4, 1), "closed_on": dt.date(2026, 3, 20)}
    late: dict[str, Any] = {"due_date": dt.date(2026, 4, 1), "closed_on": dt.date(2026, 4, 2)}
    after_cutoff: dict[str, Any] = {
        "due_date": dt.date(2026, 7, 1),
        "closed_on": dt.date(2026, 6, 20),
    }
    on_the_cutoff: dict[str, Any] = {"due_date": END, "closed_on": END}
    _case(commune, dt.date(2026, 3, 2), **on_time)
    _case(commune, dt.date(2026, 3, 2), **late)
    _case(sibling_commune, dt.date(2026, 6, 1), **after_cutoff)
    _case(sibling_commune, dt.date(2026, 5, 5))  # still open
    _case(commune, START, kind="petition", **on_the_cutoff)  # the period's first day
    _case(sibling_commune, END, kind="petition")  # its last day
    _case(commune, dt.date(2025, 12, 1), **on_time)  # received before the period
    _case(commune, dt.date(2026, 6, 15))  # after it
    assert _count("cases_received", thai_nguyen) == 6
    assert _count("cases_received", commune) == 3
    assert _count("cases_settled_on_time", thai_nguyen) == 2
    assert _count("cases_settled_on_time", commune) == 2
    assert _count("cases_settled_on_time", sibling_commune) == 0
    # Each figure opens the cases list filtered to the unit's subtree, the period and
    # (the second) settled on time by its end: as many cases as the figure counts.
    reader = _reader(thai_nguyen)
    for name in ("cases_received", "cases_settled_on_time"):
        for root in (thai_nguyen, commune, sibling_commune):
            url = _url_of(name, root)
            assert url.startswith(reverse("cases:list")), url
            assert cases_listed(reader, url) == _count(name, root), (name, root)


def test_tasks_overdue_at_the_cut_off(
    thai_nguyen: Unit, commune: Unit, sibling_commune: Unit
) -> None:
    units = {"assigner_unit": thai_nguyen}
    TaskFactory.create(**units, lead_unit=commune, due_on=dt.date(2026, 5, 1))  # overdue
    TaskFactory.create(  # done after the cut-off: still open, and late, on 14/06
        **units,
        lead_unit=sibling_commune,
        due_on=dt.date(2026, 6, 1),
        state=TaskState.CLOSED,
        completed_on=dt.date(2026, 6, 20),
    )
    TaskFactory.create(  # done on time
        **units,
        lead_unit=commune,
        due_on=dt.date(2026, 5, 1),
        state=TaskState.CLOSED,
        completed_on=dt.date(2026, 4, 30),
    )
    TaskFactory.create(**units, lead_unit=commune, due_on=dt.date(2026, 6, 30))  # not yet due
    TaskFactory.create(
        **units, lead_unit=commune, due_on=dt.date(2026, 5, 1), state=TaskState.CANCELLED
    )
    assert _count("tasks_overdue", thai_nguyen) == 2
    assert _count("tasks_overdue", commune) == 1
    # The figure opens the task list, overdue as of the cut-off: the same tasks.
    url = _url_of("tasks_overdue", thai_nguyen)
    assert url.startswith(reverse("directive_tasks:list"))
    assert "as_of=14%2F06%2F2026" in url
    reader = _reader(thai_nguyen)
    assert _listed(reader, url) == 2
    assert _listed(reader, _url_of("tasks_overdue", commune)) == 1


def test_tasks_overdue_while_the_period_runs_counts_as_of_today(
    thai_nguyen: Unit, commune: Unit
) -> None:
    # A period whose cut-off is to come: the statuses of today, as the list can show.
    today = timezone.localdate()
    query = get_query("tasks_overdue")
    assert query is not None
    TaskFactory.create(
        assigner_unit=thai_nguyen, lead_unit=commune, due_on=today - dt.timedelta(days=3)
    )
    TaskFactory.create(  # due before the cut-off but after today: not overdue yet
        assigner_unit=thai_nguyen, lead_unit=commune, due_on=today + dt.timedelta(days=3)
    )
    end = today + dt.timedelta(days=30)
    assert query.compute(commune, today - dt.timedelta(days=60), end) == 1
    url = query.records_url(commune, today - dt.timedelta(days=60), end)
    assert _listed(_reader(thai_nguyen), url) == 1


# -- disclosures missing ------------------------------------------------------------------


def _kind(number: int, unit_kind: str = "commune") -> DisclosureKind:
    return DisclosureKind.objects.filter(unit_kind=unit_kind, number=number).latest("valid_from")


def _disclose(
    unit: Unit,
    number: int,
    start: dt.date,
    end: dt.date | None = None,
    due_on: dt.date | None = None,
) -> None:
    disclosure_services.disclosure_create(
        actor=None,
        unit=unit,
        kind=_kind(number),
        title=f"Nội dung {number}",
        start=start,
        end=end,
        due_on=due_on,
    )


def _board_missing(root: Unit) -> int:
    """The compliance board's own count of "not disclosed" over the period."""
    name = "quantri-bao-cao"
    admin = User.objects.filter(username=name).first() or make_user(name, Role.SYSTEM_ADMIN)
    check = disclosure_selectors.compliance_check(user=admin, unit=root, start=START, end=END)
    return sum(1 for f in check.findings if f.problem == disclosure_selectors.Problem.MISSING)


def test_disclosures_missing_counts_what_the_compliance_board_counts(
    thai_nguyen: Unit, commune: Unit, sibling_commune: Unit
) -> None:
    before_root, before_commune = (
        _count("disclosures_missing", thai_nguyen),
        _count("disclosures_missing", commune),
    )
    assert before_root == _board_missing(thai_nguyen) > 0
    assert before_commune == _board_missing(commune) > 0
    _disclose(commune, 1, dt.date(2026, 1, 5))  # in the period: one duty done
    _disclose(commune, 2, dt.date(2025, 1, 5), dt.date(2025, 12, 15))  # ends on its first day
    _disclose(commune, 2, dt.date(2026, 2, 1))  # the same content twice: done once
    _disclose(sibling_commune, 3, dt.date(2026, 6, 15))  # starts after the cut-off
    # Done, but late: a finding of the board that is not a missing content.
    _disclose(commune, 4, dt.date(2026, 3, 1), due_on=dt.date(2026, 2, 1))
    assert _count("disclosures_missing", commune) == before_commune - 3
    assert _count("disclosures_missing", thai_nguyen) == before_root - 3
    assert _count("disclosures_missing", commune) == _board_missing(commune)
    assert _count("disclosures_missing", thai_nguyen) == _board_missing(thai_nguyen)
    # The figure opens the board's list of findings, only the missing ones, same number.
    reader = _reader(thai_nguyen)
    for root in (thai_nguyen, commune):
        url = _url_of("disclosures_missing", root)
        assert url.startswith(reverse("disclosure:compliance"))
        assert _listed(reader, url) == _count("disclosures_missing", root)
    # Without ?problem= the list holds every finding: the late one too.
    everything = _url_of("disclosures_missing", commune).replace("problem=missing", "")
    assert _listed(reader, everything) == _count("disclosures_missing", commune) + 1


def test_movement_list_period_needs_a_dated_milestone(thai_nguyen: Unit, commune: Unit) -> None:
    _entry(commune, registered_on=dt.date(2026, 1, 10))
    reader = _reader(thai_nguyen)
    base = reverse("movement:list")
    response = reader.get(base, {"unit": commune.code, "from": "15/12/2025", "to": "14/06/2026"})
    assert response.status_code == 400
    assert "mốc có ngày" in response.content.decode()
    response = reader.get(
        base,
        {"unit": commune.code, "milestone": "registered", "from": "14/06/2026", "to": "01/01/2026"},
    )
    assert response.status_code == 400
    assert "14/06/2026" in response.content.decode()  # what was typed stays
    url = f"{base}?unit={commune.code}&milestone=registered&from=11/01/2026"
    assert _listed(reader, url) == 0


def test_disclosures_missing_is_zero_without_a_duty_in_force(commune: Unit) -> None:
    query = get_query("disclosures_missing")
    assert query is not None
    # Before Law 10/2022/QH15's lists took effect (1 July 2023) nothing was due.
    assert query.compute(commune, dt.date(2020, 1, 1), dt.date(2020, 6, 30)) == 0
