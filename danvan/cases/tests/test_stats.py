"""The case statistics: the grouped queries give exactly what naive counts give, in a
constant number of queries, for a unit's subtree and for the whole country; the page's
charts (on-time rate, monthly trend) and its export."""

from __future__ import annotations

import datetime as dt
import random
import re
import uuid
from collections import Counter
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danvan.accounts import policies
from danvan.accounts.models import Role, User
from danvan.accounts.testing import login_verified, make_user
from danvan.cases import selectors
from danvan.cases.models import KINDS, OPEN_STATUSES, Case, Channel, Status
from danvan.cases.stats_charts import MONTHS_SHOWN, on_time_rate, percent, trend
from danvan.units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = dt.date(2026, 6, 30)
STATS = reverse("cases:stats")
STATS_EXCEL = reverse("cases:stats_excel")
OPEN = set(OPEN_STATUSES)


@pytest.fixture(autouse=True)
def frozen_time() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 6, 30, 9, 0, tzinfo=HCM), tick=False):
        yield


@pytest.fixture
def elsewhere(thai_nguyen: Unit) -> Unit:
    """A commune of another province: its cases are outside Thái Nguyên's figures."""
    other = Unit.objects.filter(kind=UnitKind.PROVINCE).exclude(pk=thai_nguyen.pk).first()
    assert other is not None
    found = Unit.objects.filter(parent=other, kind=UnitKind.COMMUNE).first()
    assert found is not None
    return found


@pytest.fixture
def mixed(thai_nguyen: Unit, commune: Unit, sibling_commune: Unit, elsewhere: Unit) -> list[Case]:
    """400 cases of every kind and status, open and closed, on time, late, without a due
    date, received from 2024 to 2026, in three communes and the province itself."""
    rng = random.Random(20260630)
    units = [thai_nguyen, commune, sibling_commune, elsewhere]
    statuses = [s.value for s in Status]
    cases = []
    for n in range(400):
        received = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(0, 912))
        status = rng.choice(statuses)
        is_open = status in OPEN
        due = None if n % 13 == 0 else received + dt.timedelta(days=rng.randrange(5, 120))
        closed = None
        if not is_open:
            closed = received + dt.timedelta(days=rng.randrange(0, 130))
            if due is not None and n % 7 == 0:
                closed = due  # settled on its due date: on time
        cases.append(
            Case(
                lookup_code=f"T{n:05d}{uuid.uuid4().hex[:8]}",
                unit=units[rng.randrange(len(units))],
                kind=rng.choice(KINDS).value,
                channel=Channel.LETTER,
                status=status,
                is_open=is_open,
                subject=f"Vụ việc {n}",
                content="…",
                alias=f"NG-{n}",
                received_on=received,
                closed_on=closed,
                due_date=due,
            )
        )
    return Case.objects.bulk_create(cases)


def naive(cases: list[Case], under: Unit | None, start: dt.date, end: dt.date) -> dict[str, Any]:
    """The figures counted one case at a time, in Python."""
    rows = [
        c
        for c in cases
        if start <= c.received_on <= end and (under is None or c.unit.path.startswith(under.path))
    ]

    def timing(c: Case) -> str | None:
        if c.due_date is None:
            return None
        if not c.is_open:
            assert c.closed_on is not None
            return "on_time" if c.closed_on <= c.due_date else "late"
        return "open_overdue" if c.due_date < TODAY else "open_in_time"

    totals = Counter(t for c in rows if (t := timing(c)))
    totals["total"] = len(rows)
    months: dict[str, Counter[str]] = {}
    for c in rows:
        month = months.setdefault(f"{c.received_on:%Y-%m}", Counter())
        month["total"] += 1
        if t := timing(c):
            month[t] += 1
    per_unit = Counter(c.unit_id for c in rows)
    top = sorted(per_unit.items(), key=lambda kv: (-kv[1], kv[0]))[: selectors.BY_UNIT_LIMIT]
    by_pk = {c.unit_id: c.unit for c in rows}
    return {
        "by_kind": dict(Counter(c.kind for c in rows)),
        "by_status": dict(Counter(c.status for c in rows)),
        "timing": {k: totals[k] for k in ("total", *selectors.TIMING_KEYS)},
        "by_month": {
            m: {k: c[k] for k in ("total", *selectors.TIMING_KEYS)}
            for m, c in sorted(months.items())
        },
        "by_unit": [{"unit": by_pk[pk].name, "code": by_pk[pk].code, "n": n} for pk, n in top],
    }


def test_figures_equal_naive_counts_in_three_queries(
    mixed: list[Case], system_admin: User, thai_nguyen: Unit, commune: Unit
) -> None:
    cases = list(Case.objects.select_related("unit"))
    assert len(cases) == len(mixed)
    windows = [
        (dt.date(2024, 1, 1), dt.date(2026, 6, 30)),
        (dt.date(2025, 3, 15), dt.date(2025, 11, 2)),
        (dt.date(2026, 6, 1), dt.date(2026, 6, 30)),
        (dt.date(2020, 1, 1), dt.date(2020, 12, 31)),  # nothing received
    ]
    checked = 0
    policies.grants_of(system_admin)  # loaded once per request, before the statistics
    for under in (None, thai_nguyen, commune):
        for start, end in windows:
            with CaptureQueriesContext(connection) as ctx:
                got = selectors.statistics(system_admin, under, start=start, end=end, today=TODAY)
            # Two passes over the cases and one look-up of the top units' names.
            assert len(ctx.captured_queries) <= 3, [q["sql"] for q in ctx.captured_queries]
            want = naive(cases, under, start, end)
            assert got == want, (under, start, end)
            checked += got["timing"]["total"]
            # The totals agree with each other: every case has one kind and one status.
            assert sum(got["by_kind"].values()) == got["timing"]["total"]
            assert sum(got["by_status"].values()) == got["timing"]["total"]
            assert sum(m["total"] for m in got["by_month"].values()) == got["timing"]["total"]
    assert checked > 400  # the data set is not empty in the windows


def test_the_nation_needs_a_national_grant(mixed: list[Case], commune: Unit) -> None:
    officer = make_user("canbo-thongke", Role.OFFICER, commune)
    from danvan.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        selectors.statistics(officer, None, start=dt.date(2024, 1, 1), end=TODAY, today=TODAY)
    mine = selectors.statistics(officer, commune, start=dt.date(2024, 1, 1), end=TODAY, today=TODAY)
    assert mine["timing"]["total"] == sum(1 for c in mixed if c.unit_id == commune.pk)


def test_trend_by_month_then_by_year() -> None:
    by_month = {"2026-02": {"total": 3, "on_time": 1, "late": 1}, "2025-12": {"total": 2}}
    rows = trend(by_month, dt.date(2025, 11, 20), dt.date(2026, 3, 1))
    assert [r.key for r in rows] == ["2025-11", "2025-12", "2026-01", "2026-02", "2026-03"]
    assert rows[3].label == "tháng 02/2026"
    assert rows[3].counts["total"] == 3
    assert rows[3].rate_text == "50%"
    assert rows[0].rate is None
    assert rows[0].rate_text == "—"
    long = trend(by_month, dt.date(2024, 1, 1), dt.date(2026, 6, 30))
    assert MONTHS_SHOWN < 30
    assert [r.key for r in long] == ["2024", "2025", "2026"]
    assert [r.counts["total"] for r in long] == [0, 2, 3]
    assert percent(on_time_rate({"on_time": 2, "late": 1})) == "66,7%"


def test_page_for_the_nation_with_charts_and_export(mixed: list[Case], system_admin: User) -> None:
    client = Client()
    login_verified(client, system_admin)
    params = {"from": "01/07/2025", "to": "30/06/2026"}
    response = client.get(STATS, params)
    assert response.status_code == 200
    tables = response.context["tables"]
    assert tables.unit is None
    expected = naive(
        list(Case.objects.select_related("unit")), None, dt.date(2025, 7, 1), dt.date(2026, 6, 30)
    )
    assert tables.total == expected["timing"]["total"] > 0
    html = response.content.decode()
    assert "Toàn quốc" in html
    # Twelve months in the trend table, their counts those of the naive count.
    assert [r.key for r in tables.trend] == [f"2025-{m:02d}" for m in range(7, 13)] + [
        f"2026-{m:02d}" for m in range(1, 7)
    ]
    for row in tables.trend:
        assert row.counts["total"] == expected["by_month"].get(row.key, {}).get("total", 0)
    for chart in ("chart-trend", "chart-on-time"):
        svg = re.search(rf'<svg[^>]*id="{chart}".*?</svg>', html, re.S)
        assert svg is not None, chart
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in svg[0]
        assert "<rect " in svg[0]
        assert not re.search(r'(x|y|width|height)="\d+,\d', svg[0])
    # The overall on-time rate is drawn as the guide line of the rate chart and stated.
    rate = percent(on_time_rate(expected["timing"]))
    assert f"Cả kỳ: {rate}" in html
    assert tables.on_time_rate == rate
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    assert " style=" not in main
    assert "<script" not in main

    excel = client.get(STATS_EXCEL, params)
    assert excel.status_code == 200
    assert "thong-ke-vu-viec-toan-quoc-" in excel["Content-Disposition"]


def test_page_of_a_unit_without_a_national_grant(mixed: list[Case], commune: Unit) -> None:
    officer = make_user("canbo-xa-thongke", Role.OFFICER, commune)
    client = Client()
    login_verified(client, officer)
    response = client.get(STATS, {"from": "01/01/2024", "to": "30/06/2026"})
    assert response.status_code == 200
    tables = response.context["tables"]
    assert tables.unit == commune
    assert tables.total == sum(1 for c in mixed if c.unit_id == commune.pk)
    # Thirty months: the trend goes year by year.
    assert [r.key for r in tables.trend] == ["2024", "2025", "2026"]
