"""The periodic reports' demo (issue 13, item 8): a finished half-year campaign, an open
annual one and Bắc Kạn's 2018 report, through the campaigns' services; idempotent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from danvan.audit.models import AuditEvent
from danvan.demo import reports as demo
from danvan.demo.services import demo_seed_base
from danvan.movement import demo as movement_demo
from danvan.movement.models import Field
from danvan.reports.campaigns import rollup, selectors
from danvan.reports.campaigns import services as campaigns
from danvan.reports.campaigns.models import (
    Campaign,
    CampaignStatus,
    EventKind,
    Report,
    ReportEvent,
    ReportStatus,
)
from danvan.units import demo as units_demo
from danvan.units.models import Unit
from danvan.units.selectors import restated_units

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
# The shipped templates' table by field (reports migration 0005).
TABLE = "mo-hinh-theo-linh-vuc"
# A day after the half-year's reports are all in (domain.md §10: cut-off 14 June).
NOW = dt.datetime(2026, 9, 1, 10, 0, tzinfo=HCM)


def _counts() -> dict[str, int]:
    return {
        "campaigns": Campaign.objects.count(),
        "reports": Report.objects.count(),
        "events": ReportEvent.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def _events(report: Report) -> list[ReportEvent]:
    return list(report.events.select_related("actor").order_by("pk"))


@pytest.fixture
def seeded(thai_nguyen: Unit) -> demo.ReportsDemoResult:
    with time_machine.travel(NOW, tick=False):
        demo_seed_base()
        return demo.demo_seed_reports()


def test_half_year_campaign_finished_with_a_return_and_a_late_report(
    seeded: demo.ReportsDemoResult, thai_nguyen: Unit
) -> None:
    campaign = Campaign.objects.get(
        owner_unit=thai_nguyen, regime__code=demo.HALF_YEAR_REGIME, year=2026
    )
    assert campaign.status == CampaignStatus.CLOSED
    assert campaign.period_end == dt.date(2026, 6, 14)
    # The demo accounts act where they hold the permission (campaigns.policies).
    assert getattr(campaign.opened_by, "username", None) == "tinh.quantri"
    assert campaign.closed_at is not None
    assert campaign.period_end < campaign.closed_at.astimezone(HCM).date() < NOW.date()
    reports = {r.unit.code: r for r in campaign.reports.select_related("unit")}
    assert len(reports) == 1 + len(units_demo.COMMUNE_CODES) + len(demo.EXTRA_COMMUNE_CODES)
    assert {r.status for r in reports.values()} == {ReportStatus.APPROVED}

    returned = reports[demo.RETURNED_COMMUNE]
    kinds = [e.kind for e in _events(returned)]
    assert kinds.index(EventKind.RETURNED) < len(kinds) - 1 - kinds[::-1].index(
        EventKind.SUBMITTED
    )  # sent again after the return
    back = next(e for e in _events(returned) if e.kind == EventKind.RETURNED)
    assert "tiếp công dân" in back.message
    assert back.actor is not None
    assert back.actor.username == "tinh.canbo"
    # The demo commune's own officer wrote it (the level above does not write it).
    writers = {
        getattr(e.actor, "username", None)
        for e in _events(returned)
        if e.kind == EventKind.SUBMITTED
    }
    assert writers == {"xa.canbo"}
    assert {v.indicator.code: v.manual for v in returned.values.select_related("indicator")}[
        "buoi-tiep-cong-dan"
    ] == Decimal(26)

    late = reports[demo.LATE_COMMUNE]
    assert late.first_submitted_on is not None
    assert late.first_submitted_on > late.due_date
    on_time = [r for code, r in reports.items() if code != demo.LATE_COMMUNE]
    assert all(r.first_submitted_on and r.first_submitted_on <= r.due_date for r in on_time)
    # The returned report stays on time: judged on its first submission.
    assert returned.submitted_at
    assert returned.submitted_at.astimezone(HCM).date() > (
        returned.first_submitted_on or returned.due_date
    )

    # Every step dated back in order, before now.
    for report in reports.values():
        times = [e.at for e in _events(report)]
        assert times == sorted(times), report.unit.code
        assert times[-1] < NOW
        assert report.approved_at
        assert report.submitted_at
        assert report.approved_at < NOW
        assert report.submitted_at < report.approved_at

    own = reports[thai_nguyen.code]
    approvals = [e for e in _events(own) if e.kind == EventKind.APPROVED]
    assert [getattr(e.actor, "username", None) for e in approvals] == ["tinh.quantri"]

    board = selectors.board(campaign=campaign, root=thai_nguyen, today=NOW.date())
    assert (board.total.expected, board.total.approved) == (len(reports), len(reports))
    assert (board.total.late, board.total.on_time) == (1, len(reports) - 1)


def test_annual_campaign_open_with_one_report_sent(
    seeded: demo.ReportsDemoResult, thai_nguyen: Unit
) -> None:
    campaign = Campaign.objects.get(
        owner_unit=thai_nguyen, regime__code=demo.ANNUAL_REGIME, year=2026
    )
    assert campaign.status == CampaignStatus.OPEN
    reports = {r.unit.code: r for r in campaign.reports.select_related("unit")}
    assert all(r.snapshot_taken_at is not None for r in reports.values())
    statuses = {code: r.status for code, r in reports.items()}
    assert statuses.pop(demo.ANNUAL_SENT_COMMUNE) == ReportStatus.SUBMITTED
    assert set(statuses.values()) == {ReportStatus.DRAFT}
    draft = reports[demo.RETURNED_COMMUNE]
    assert draft.narratives.exists()
    assert [
        getattr(e.actor, "username", None) for e in _events(draft) if e.kind == EventKind.SAVED
    ] == ["xa.canbo"]


def test_bac_kan_2018_report_approved_with_the_seed_figures(
    seeded: demo.ReportsDemoResult, thai_nguyen: Unit
) -> None:
    bac_kan = Unit.objects.get(code=movement_demo.BAC_KAN_CODE)
    campaign = Campaign.objects.get(owner_unit=bac_kan, year=2018)
    assert campaign.status == CampaignStatus.CLOSED
    assert (campaign.period_start, campaign.period_end) == (
        dt.date(2017, 12, 15),
        dt.date(2018, 12, 14),
    )
    report = campaign.reports.get()
    assert report.unit == bac_kan
    assert report.status == ReportStatus.APPROVED
    assert report.approved_at is not None
    assert report.approved_at.year == 2018
    values = {v.indicator.code: v for v in report.values.select_related("indicator")}
    for code, figure in demo.BAC_KAN_FIGURES.items():
        assert values[code].value == figure, code
        # No movement data here: the seed's figures stand as overrides, with the reason.
        assert values[code].override_reason == demo.BAC_KAN_REASON
    approval = next(e for e in _events(report) if e.kind == EventKind.APPROVED)
    assert approval.data["values"]["mo-hinh-cong-nhan"] == "303.00"
    # Historical: a restated view counts it under Thái Nguyên.
    assert restated_units(bac_kan) == [thai_nguyen]


def test_campaign_open_refuses_the_ended_bac_kan(seeded: demo.ReportsDemoResult) -> None:
    """Why the demo creates Bắc Kạn's 2018 campaign itself (module docstring)."""
    bac_kan = Unit.objects.get(code=movement_demo.BAC_KAN_CODE)
    campaign = Campaign.objects.get(owner_unit=bac_kan, year=2018)
    with pytest.raises(campaigns.DomainError):
        campaigns.campaign_open(
            actor=None,
            regime=campaign.regime,
            template=campaign.template,
            year=2019,
            owner_unit=bac_kan,
        )


def test_seed_reports_is_idempotent(seeded: demo.ReportsDemoResult) -> None:
    assert seeded.campaigns == 3
    assert (seeded.returned, seeded.late) == (1, 1)
    before = _counts()
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        again = demo.demo_seed_reports()
    assert again.total_created == 0
    assert _counts() == before


def test_bac_kan_figures_from_the_movement_register(thai_nguyen: Unit) -> None:
    """With the movement's demo, the snapshot counts the seed's figures itself."""
    with time_machine.travel(NOW, tick=False):
        demo_seed_base()
        movement_demo.demo_seed_movement()
        demo.demo_seed_reports()
    report = Report.objects.get(campaign__owner_unit__code=movement_demo.BAC_KAN_CODE)
    values = {v.indicator.code: v for v in report.values.select_related("indicator")}
    assert values["mo-hinh-dang-ky"].computed == movement_demo.BAC_KAN_2018["registered"]
    for code, figure in demo.BAC_KAN_FIGURES.items():
        assert values[code].value == figure, code
        # Overridden only where the register counts otherwise, always with the reason.
        if values[code].computed == figure:
            assert values[code].override is None, code
        else:
            assert values[code].override_reason == demo.BAC_KAN_REASON, code
    # The table by field is filled by the snapshot too, from the register: a row per field
    # of the movement, adding up to the entries registered.
    cells = list(report.cells.filter(indicator__code=TABLE).order_by("row_order"))
    assert [c.row_key for c in cells] == list(
        Field.objects.filter(is_active=True)
        .order_by("order", "name")
        .values_list("code", flat=True)
    )
    assert len([c for c in cells if c.computed]) >= 2
    assert sum(c.value or 0 for c in cells) == values["mo-hinh-dang-ky"].computed
    # Every report of the finished half-year has its table; the province's adds up its
    # subtree's entries by field. The register holds entries registered and recognized in
    # the first half of 2026 (movement.demo): the province's and the demo communes'
    # reports have figures, and the table rows in every field.
    half = Campaign.objects.get(
        owner_unit=thai_nguyen, regime__code=demo.HALF_YEAR_REGIME, year=2026
    )
    for own in half.reports.all():
        rows = list(own.cells.filter(indicator__code=TABLE))
        assert len(rows) == len(cells), own.unit_id
        registered = own.values.get(indicator__code="mo-hinh-dang-ky").computed
        assert sum(c.computed or 0 for c in rows) == registered
    annual = Campaign.objects.get(
        owner_unit=thai_nguyen, regime__code=demo.ANNUAL_REGIME, year=2026
    )
    fields = len(movement_demo.INITIATIVES)
    for campaign in (half, annual):
        for code in (thai_nguyen.code, *units_demo.COMMUNE_CODES):
            report = campaign.reports.get(unit__code=code)
            figures = {
                v.indicator.code: v.computed for v in report.values.select_related("indicator")
            }
            assert figures["mo-hinh-dang-ky"], (campaign.regime.code, code)
            assert figures["mo-hinh-cong-nhan"], (campaign.regime.code, code)
            counted = [c for c in report.cells.filter(indicator__code=TABLE) if c.computed]
            assert len(counted) == fields, (campaign.regime.code, code)
    entry = rollup.rollup_of(half.reports.get(unit=thai_nguyen))
    assert entry is not None
    table = half.template.indicators.get(code=TABLE)
    assert len(entry.table_rows(table.pk)) == len(cells)
