"""The compliance check on its boundaries: loudspeaker days, posting days, missing kinds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from danvan.accounts.models import User
from danvan.disclosure import selectors
from danvan.disclosure.models import Disclosure, DisclosureChannel, DisclosureForm
from danvan.disclosure.selectors import Problem, longest_run
from danvan.disclosure.services import ChannelSpec
from danvan.units.models import Unit

from .conftest import kind

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2026, 6, 30, 9, 0, tzinfo=HCM)
START, END = dt.date(2026, 1, 1), dt.date(2026, 6, 30)
LOUD = DisclosureForm.LOUDSPEAKER
POST = DisclosureForm.POSTING


def d(day: int, month: int = 3) -> dt.date:
    return dt.date(2026, month, day)


def findings_for(user: User, unit: Unit) -> list[selectors.Finding]:
    return selectors.compliance(user=user, unit=unit, start=START, end=END)


def of(found: list[selectors.Finding], disclosure: Disclosure) -> set[str]:
    return {f.problem for f in found if f.disclosure == disclosure}


@time_machine.travel(NOW, tick=False)
def test_loudspeaker_exactly_3_consecutive_days_is_enough(
    record: Callable[..., Disclosure], officer: User, commune: Unit
) -> None:
    fees = record(
        kind=kind(7),
        start=d(1),
        end=d(31),
        channels=[ChannelSpec(LOUD, d(2), d(4)), ChannelSpec(POST, d(1), d(30))],
    )
    assert of(findings_for(officer, commune), fees) == set()


@time_machine.travel(NOW, tick=False)
def test_loudspeaker_2_days_is_flagged_with_its_citation(
    record: Callable[..., Disclosure], officer: User, commune: Unit
) -> None:
    fees = record(kind=kind(8), start=d(1), end=d(31), channels=[ChannelSpec(LOUD, d(2), d(3))])
    found = [f for f in findings_for(officer, commune) if f.disclosure == fees]
    assert [f.problem for f in found] == [Problem.LOUDSPEAKER_SHORT]
    assert found[0].actual_days == 2
    assert found[0].required_days == 3
    assert "Điều 11 khoản 8" in found[0].citation
    assert found[0].to_verify


@time_machine.travel(NOW, tick=False)
def test_loudspeaker_days_must_be_consecutive(
    record: Callable[..., Disclosure], officer: User, commune: Unit
) -> None:
    split = record(
        kind=kind(9),
        start=d(1),
        channels=[ChannelSpec(LOUD, d(2), d(3)), ChannelSpec(LOUD, d(5), d(5))],
    )
    joined = record(
        kind=kind(10),
        start=d(1),
        channels=[ChannelSpec(LOUD, d(c), d(c)) for c in (2, 3, 4)],
    )
    missing = record(kind=kind(11), start=d(1), channels=[ChannelSpec(POST, d(1), d(30))])
    found = findings_for(officer, commune)
    assert of(found, split) == {Problem.LOUDSPEAKER_SHORT}
    assert of(found, joined) == set()
    assert of(found, missing) == {Problem.LOUDSPEAKER_MISSING}


@time_machine.travel(NOW, tick=False)
def test_posting_29_days_is_flagged_30_is_not_and_running_is_not_yet(
    record: Callable[..., Disclosure], officer: User, commune: Unit
) -> None:
    short = record(kind=kind(1), start=d(1), channels=[ChannelSpec(POST, d(1), d(29))])
    enough = record(kind=kind(2), start=d(1), channels=[ChannelSpec(POST, d(1), d(30))])
    running = record(kind=kind(3), start=d(20, 6), channels=[ChannelSpec(POST, d(20, 6))])
    found = findings_for(officer, commune)
    assert of(found, short) == {Problem.POSTING_SHORT}
    flagged = next(f for f in found if f.disclosure == short)
    assert flagged.actual_days == 29
    assert flagged.required_days == 30
    # Item 1 is checked, but the 30-day figure is not: the finding says so.
    assert flagged.to_verify
    assert of(found, enough) == set()
    assert of(found, running) == set()


@time_machine.travel(NOW, tick=False)
def test_missing_mandatory_kinds_are_flagged(
    record: Callable[..., Disclosure], officer: User, commune: Unit, sibling_commune: Unit
) -> None:
    record(kind=kind(1), start=d(1))
    record(kind=kind(2), start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))  # before
    found = findings_for(officer, commune)
    missing = {f.kind.number for f in found if f.problem == Problem.MISSING}
    # 14 is not mandatory; 1 was disclosed in the period; 2 only the year before.
    assert missing == set(range(2, 14))
    item = next(f for f in found if f.problem == Problem.MISSING and f.kind.number == 3)
    assert not item.to_verify
    assert "Điều 11 khoản 3" in item.citation
    assert all(f.unit == commune for f in found)
    assert sibling_commune not in {f.unit for f in found}


@time_machine.travel(NOW, tick=False)
def test_compliance_of_a_province_runs_a_constant_number_of_queries(
    record: Callable[..., Disclosure], thai_nguyen: Unit, commune: Unit, sibling_commune: Unit
) -> None:
    from danvan.accounts.models import Role
    from danvan.accounts.testing import make_user

    boss = make_user("tinh", Role.OFFICER, thai_nguyen)
    record(kind=kind(7), channels=[ChannelSpec(LOUD, d(2), d(3))])
    selectors.compliance(user=boss, unit=thai_nguyen, start=START, end=END)  # warm the grants
    with CaptureQueriesContext(connection) as few:
        selectors.compliance(user=boss, unit=thai_nguyen, start=START, end=END)
    for n in range(8, 13):
        record(unit=sibling_commune, kind=kind(n), channels=[ChannelSpec(LOUD, d(2), d(2))])
    with CaptureQueriesContext(connection) as many:
        found = selectors.compliance(user=boss, unit=thai_nguyen, start=START, end=END)
    assert len(many) == len(few)
    units = {f.unit for f in found}
    assert {commune, sibling_commune} <= units


def test_longest_run_joins_touching_rows() -> None:
    rows = [
        DisclosureChannel(form=LOUD, start=d(1), end=d(2)),
        DisclosureChannel(form=LOUD, start=d(3), end=d(3)),
        DisclosureChannel(form=LOUD, start=d(10), end=d(20)),
        DisclosureChannel(form=POST, start=d(1), end=d(31)),
    ]
    run = longest_run(rows, LOUD, d(31))
    assert run is not None
    assert run.days == 11
    assert not run.ongoing
    assert longest_run(rows, DisclosureForm.WEBSITE, d(31)) is None
    open_row = [DisclosureChannel(form=POST, start=d(1), end=None)]
    run = longest_run(open_row, POST, d(10))
    assert run is not None
    assert run.days == 10
    assert run.ongoing


@time_machine.travel(NOW, tick=False)
def test_a_start_after_the_due_date_is_late_on_it_is_not(
    record: Callable[..., Disclosure], officer: User, commune: Unit, client: Any
) -> None:
    def posting(day: int) -> list[ChannelSpec]:  # two months at the headquarters
        return [ChannelSpec(POST, d(day), d(day, 5))]

    on_time = record(kind=kind(1), start=d(10), due_on=d(10), channels=posting(10))
    late = record(kind=kind(2), start=d(11), due_on=d(10), channels=posting(11))
    undated = record(kind=kind(3), start=d(11), channels=posting(11))
    found = findings_for(officer, commune)
    assert of(found, on_time) == set()
    assert of(found, undated) == set()
    (finding,) = [f for f in found if f.disclosure == late]
    assert finding.problem == Problem.LATE
    assert finding.actual_days == 1
    assert str(finding.message) == (
        "Bắt đầu công khai ngày 11/03/2026, chậm 1 ngày so với hạn 10/03/2026."
    )
    # The officer enters the due date on the form; the detail page shows the delay.
    client.force_login(officer)
    page = client.get(late.get_absolute_url())
    assert "Hạn công khai" in page.content.decode()
    assert "công khai chậm" in page.content.decode()
    assert "công khai chậm" not in client.get(on_time.get_absolute_url()).content.decode()
