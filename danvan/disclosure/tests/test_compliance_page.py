"""The compliance page of a province: totals first, one row per child unit (only those
with a finding unless asked for all), the findings a page at a time."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from danvan.accounts.models import Role, User
from danvan.accounts.testing import login_verified, make_user
from danvan.disclosure import selectors
from danvan.disclosure.models import Disclosure, DisclosureKind
from danvan.disclosure.services import ChannelSpec
from danvan.units.models import Unit
from danvan.units.services import unit_create

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 30, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
START, END = dt.date(2026, 1, 1), dt.date(2026, 6, 30)
COMPLIANCE = reverse("disclosure:compliance")
PERIOD: dict[str, str | int] = {"from": "01/01/2026", "to": "30/06/2026"}


@pytest.fixture
def boss(thai_nguyen: Unit) -> User:
    return make_user("tinh-congkhai", Role.OFFICER, thai_nguyen)


def disclose_everything(unit: Unit, record: Callable[..., Disclosure]) -> None:
    """Every mandatory commune kind, no loudspeaker or posting minimum broken (no
    channel recorded: only kinds with a loudspeaker minimum then miss something)."""
    for kind in DisclosureKind.objects.filter(unit_kind="commune", mandatory=True):
        record(unit=unit, kind=kind, title=kind.title[:200], start=dt.date(2026, 1, 5))


@time_machine.travel(NOW, tick=False)
def test_summary_counts_match_the_findings(
    boss: User, thai_nguyen: Unit, commune: Unit, record: Callable[..., Disclosure]
) -> None:
    disclose_everything(commune, record)
    check = selectors.compliance_check(user=boss, unit=thai_nguyen, start=START, end=END)
    total, rows = selectors.compliance_summary(check)
    assert total.units == len(check.units) > 90
    assert total.findings == len(check.findings)
    assert sum(r.units for r in rows) == total.units
    assert sum(r.findings for r in rows) == total.findings
    assert all(r.unit.parent_id == thai_nguyen.pk for r in rows)
    own = next(r for r in rows if r.unit.pk == commune.pk)
    expected = [f for f in check.findings if f.unit.pk == commune.pk]
    assert own.findings == len(expected)
    assert own.counts["missing"] == 0
    assert own.counts["loudspeaker"] == sum(
        1 for f in expected if f.problem == selectors.Problem.LOUDSPEAKER_MISSING
    )


@time_machine.travel(NOW, tick=False)
def test_province_page_is_a_paged_summary_with_problems_only_by_default(
    boss: User, thai_nguyen: Unit, commune: Unit, record: Callable[..., Disclosure]
) -> None:
    # One commune discloses everything on the loudspeakers and posts long enough:
    # it has no finding and leaves the default (problems only) list.
    for kind in DisclosureKind.objects.filter(unit_kind="commune", mandatory=True):
        channels = [("posting", dt.date(2026, 1, 5), dt.date(2026, 3, 5))]
        if kind.loudspeaker_min_days:
            channels.append(("loudspeaker", dt.date(2026, 1, 5), dt.date(2026, 1, 10)))
        record(
            unit=commune,
            kind=kind,
            title=kind.title[:200],
            start=dt.date(2026, 1, 5),
            channels=[ChannelSpec(f, s, e) for f, s, e in channels],
        )
    client = Client()
    login_verified(client, boss)
    html = client.get(COMPLIANCE, {"unit": thai_nguyen.code, **PERIOD}).content.decode()
    assert 'id="compliance-totals"' in html
    assert 'id="summary-table"' in html
    assert 'id="findings-table"' not in html
    assert "Trang 1/" in html  # more child units with findings than one page holds
    assert f"?unit={commune.code}&amp;" not in html  # no finding: not listed by default
    check = selectors.compliance_check(user=boss, unit=thai_nguyen, start=START, end=END)
    children = len(selectors.compliance_summary(check)[1])
    pages = [
        client.get(
            COMPLIANCE, {"unit": thai_nguyen.code, "problems": "0", "page": n, **PERIOD}
        ).content.decode()
        for n in range(1, -(-children // 50) + 1)
    ]
    assert any(f"?unit={commune.code}&amp;" in page for page in pages)
    rows = sum(len(re.findall(r"<tr>", p)) - 1 for p in pages)  # minus each header row
    assert rows == children
    # The list of findings is paged too.
    findings = client.get(COMPLIANCE, {"unit": thai_nguyen.code, "view": "findings", **PERIOD})
    body = findings.content.decode()
    assert 'id="findings-table"' in body
    assert body.count("<tr>") == 51  # the header and one page of 50


@time_machine.travel(NOW, tick=False)
def test_a_commune_opens_on_its_findings(
    boss: User, commune: Unit, record: Callable[..., Disclosure]
) -> None:
    record(kind=DisclosureKind.objects.get(unit_kind="commune", number=8))
    client = Client()
    login_verified(client, boss)
    html = client.get(COMPLIANCE, {"unit": commune.code, **PERIOD}).content.decode()
    assert 'id="findings-table"' in html
    assert 'id="summary-table"' not in html
    assert "Chưa công khai nội dung bắt buộc trong kỳ." in html
    assert " style=" not in html


@time_machine.travel(NOW, tick=False)
def test_a_commune_with_units_under_it_shows_its_own_findings_too(
    boss: User, commune: Unit, record: Callable[..., Disclosure]
) -> None:
    # A public service unit under the commune keeps a list of its own.
    unit_create(actor=None, parent=commune, kind="public_service", name="Trạm y tế xã")
    client = Client()
    login_verified(client, boss)
    html = client.get(COMPLIANCE, {"unit": commune.code, **PERIOD}).content.decode()
    assert 'id="summary-table"' in html
    assert "Trạm y tế xã" in html
    assert 'id="own-findings-table"' in html
    assert "Chưa công khai nội dung bắt buộc trong kỳ." in html
