"""Seeding the whole demo: the units, the accounts, then every area in order.

Each step is idempotent, so running ``seed_demo`` again adds nothing. The order
matters: the areas' demos find the units by code and the officers by username, so
the units and the accounts come first (in one transaction: a half-built cast of
accounts on a missing tree would be useless).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from danvan.cases import demo as cases_demo
from danvan.consultation import demo as consultation_demo
from danvan.democracy import demo as democracy_demo
from danvan.disclosure import demo as disclosure_demo
from danvan.movement import demo as movement_demo
from danvan.supervision import demo as supervision_demo
from danvan.units import demo as units_demo

from . import accounts
from .directives import DirectivesDemoResult, demo_seed_directives
from .gallery import GalleryDemoResult, seed_gallery
from .news import NewsDemoResult, seed_news
from .reports import ReportsDemoResult, demo_seed_reports


@dataclass
class BaseDemoResult:
    """The units and the accounts every area's demo builds on."""

    units: units_demo.UnitsDemoResult
    accounts: accounts.AccountsDemoResult

    @property
    def total_created(self) -> int:
        return self.units.total_created + self.accounts.total_created


@dataclass
class DemoResult:
    base: BaseDemoResult
    movement: movement_demo.MovementDemoResult
    cases: cases_demo.CasesDemoResult
    democracy: democracy_demo.DemocracyDemoResult
    disclosure: disclosure_demo.DisclosureDemoResult
    consultation: consultation_demo.ConsultationDemoResult
    supervision: supervision_demo.SupervisionDemoResult
    directives: DirectivesDemoResult
    reports: ReportsDemoResult
    gallery: GalleryDemoResult
    news: NewsDemoResult


@transaction.atomic
def demo_seed_base() -> BaseDemoResult:
    """The demo Thái Nguyên's units and the demo accounts (province and first commune).

    Raises ``DemoError`` when the unit tree was not loaded (``load_units``).
    """
    units = units_demo.demo_seed_units()
    cast = accounts.demo_seed_accounts(province=units.province, commune=units.communes[0])
    return BaseDemoResult(units=units, accounts=cast)


def demo_seed() -> DemoResult:
    """Build (or find again) the whole demo; see the module docstring."""
    base = demo_seed_base()
    return DemoResult(
        base=base,
        # The movement's history, on the units just seeded.
        movement=movement_demo.demo_seed_movement(),
        # A year of citizens' cases, reception days and dialogues.
        cases=cases_demo.demo_seed_cases(),
        # Village meetings and household ballots.
        democracy=democracy_demo.demo_seed_democracy(),
        # A year of disclosures, with gaps.
        disclosure=disclosure_demo.demo_seed_disclosure(),
        # A reported consultation and an open one.
        consultation=consultation_demo.demo_seed_consultation(),
        # Inspection boards, plans, recommendations, conferences.
        supervision=supervision_demo.demo_seed_supervision(),
        # The register's documents, plans and tasks, a conference, an inspection.
        directives=demo_seed_directives(),
        # A finished half-year report campaign, an open annual one, Bắc Kạn's 2018 report.
        reports=demo_seed_reports(),
        # Photos of the movement's good examples, shown in the portal's gallery.
        gallery=seed_gallery(limit=12),
        # The portal's news: articles of the province and two communes, one scheduled.
        news=seed_news(),
    )
