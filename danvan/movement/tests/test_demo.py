"""seed_demo's movement history: the seed report's Bắc Kạn 2018 figures, and the rest."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.test import Client
from django.urls import reverse

from danvan.accounts.models import User
from danvan.accounts.policies import subtree_q
from danvan.accounts.testing import login_verified
from danvan.core import docnumber
from danvan.movement import demo
from danvan.movement.models import Decision, Entry, Field
from danvan.movement.stats import selectors as stats
from danvan.units.demo import COMMUNE_CODES
from danvan.units.models import Unit

from .stats_dataset import raw_counts, raw_entries, under

pytestmark = pytest.mark.django_db


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", force=True, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded() -> str:
    return _seed()


@pytest.fixture
def admin(seeded: str) -> User:
    return User.objects.get(username="admin")


def test_bac_kan_2018_shows_the_seed_report_figures(admin: User) -> None:
    bac_kan = Unit.objects.get(code="06")
    result = stats.movement_statistics(actor=admin, unit=bac_kan, year=2018)
    counts = result.totals.counts
    # "2018: over 1,200 registered, 303 recognized, 82 exemplary" (domain.md §4).
    assert 1200 <= counts["registered"] < 1300
    assert counts["registered"] == demo.BAC_KAN_2018["registered"]
    assert counts["recognized"] == 303
    assert counts["exemplary"] == 82
    # The same, counted by hand.
    assert counts == raw_counts(r for r in raw_entries() if r.year == 2018 and under(bac_kan)(r))
    # Former Bắc Kạn units hold most of them, all historical.
    old = Unit.objects.filter(parent=bac_kan)
    assert old.count() == len(demo.BAC_KAN_UNITS)
    assert not old.filter(valid_to__isnull=True).exists()
    assert sum(r.counts["registered"] for r in result.by_subunit if r.unit != bac_kan) > 1000


def test_the_page_of_bac_kan_2018(admin: User) -> None:
    client = Client()
    login_verified(client, admin)
    response = client.get(reverse("movement:stats"), {"unit": "06", "year": "2018"})
    assert response.status_code == 200
    cards = {c["key"]: c["value"] for c in response.context["cards"]}
    assert (cards["registered"], cards["recognized"], cards["exemplary"]) == (1214, 303, 82)
    html = response.content.decode()
    for shown in ("1.214", "303", "82"):
        assert f">{shown}</a>" in html
    # Bắc Kạn ended in 2025: the page leads to the same year restated in Thái Nguyên.
    assert "/dan-van-kheo/thong-ke/?unit=19&amp;year=2018&amp;restated=1" in html


def test_restated_thai_nguyen_2018_adds_bac_kan(admin: User) -> None:
    thai_nguyen = Unit.objects.get(code="19")
    bac_kan = Unit.objects.get(code="06")
    own = stats.movement_statistics(actor=admin, unit=thai_nguyen, year=2018).totals.counts
    theirs = stats.movement_statistics(actor=admin, unit=bac_kan, year=2018).totals.counts
    restated = stats.movement_statistics(actor=admin, unit=thai_nguyen, year=2018, restated=True)
    assert own["registered"] > 0
    assert restated.totals.counts == {k: own[k] + theirs[k] for k in own}
    row = next(r for r in restated.by_subunit if r.key == "06")
    assert row.counts == theirs


def test_a_history_of_ten_years_in_every_field(admin: User) -> None:
    thai_nguyen = Unit.objects.get(code="19")
    rows = [r for r in raw_entries() if under(thai_nguyen)(r)]
    assert {r.year for r in rows} == {*demo.YEARS, demo.RECENT_YEAR}
    assert {r.field for r in rows} == set(Field.objects.values_list("code", flat=True))
    statuses = {r.status for r in rows}
    assert {"in_progress", "recognized", "exemplary", "replicated", "not_recognized"} <= statuses
    assert {r.unit_kind for r in rows} >= {
        "commune",
        "village",
        "agency",
        "party_committee",
        "front",
        "mass_organization",
        "armed_forces",
        "enterprise",
    }
    totals = raw_counts(rows)
    assert all(totals.values()), totals
    # Exemplary entries are recognized too; milestones carry their decisions.
    assert not Entry.objects.filter(exemplary_on__isnull=False, recognized_on__isnull=True).exists()
    missing = Entry.objects.annotate(
        n=Count("decisions", filter=Q(decisions__kind=Decision.Kind.RECOGNITION))
    ).filter(recognized_on__isnull=False, n=0)
    assert not missing.exists()
    assert Entry.objects.filter(replicated_from__isnull=False).exists()
    assert not Entry.objects.filter(replicated_from__unit=F("unit")).exists()


def test_the_first_half_of_2026_in_the_demo_communes(admin: User) -> None:
    # The 2026 half-year report's data period (domain.md §10): 15/12/2025 – 14/06/2026.
    start, end = dt.date(2025, 12, 15), dt.date(2026, 6, 14)
    recent = Entry.objects.filter(registration_year=demo.RECENT_YEAR)
    assert recent.count() >= len(COMMUNE_CODES) * demo.RECENT_PER_DEMO_COMMUNE
    # Registered and recognized in the period, in the period 2026–2030.
    assert not recent.exclude(registered_on__range=(start, end)).exists()
    assert (
        not recent.filter(recognized_on__isnull=False)
        .exclude(recognized_on__range=(start, end))
        .exists()
    )
    assert {e.period.name for e in recent.select_related("period")} == {"2026–2030"}
    for code in COMMUNE_CODES:
        mine = recent.filter(subtree_q(Unit.objects.get(code=code), "unit__"))
        # Every field, some recognized by the commune with a decision, the rest under way.
        assert set(mine.values_list("field__code", flat=True)) == set(demo.INITIATIVES), code
        recognized = mine.filter(recognized_on=demo.RECENT_REVIEW)
        assert 0 < recognized.count() < mine.count(), code
        for entry in recognized:
            decision = entry.decisions.get(kind=Decision.Kind.RECOGNITION)
            assert decision.issued_on == demo.RECENT_REVIEW
            assert decision.issuer.startswith("Ủy ban nhân dân")
        assert set(mine.exclude(recognized_on__isnull=False).values_list("status", flat=True)) <= {
            "registered",
            "accepted",
            "in_progress",
        }
    # Some other communes register too; no older entry was registered in the period.
    demo_paths = [Unit.objects.get(code=code).path for code in COMMUNE_CODES]
    assert any(not e.unit.path.startswith(tuple(demo_paths)) for e in recent.select_related("unit"))
    assert not Entry.objects.filter(
        registration_year__lt=demo.RECENT_YEAR, registered_on__gte=start
    ).exists()


def test_decision_numbers_are_valid_document_numbers(admin: User) -> None:
    numbers = set(Decision.objects.values_list("number", flat=True))
    assert len(numbers) > 50
    for number in numbers:
        parsed = docnumber.parse(number)
        assert parsed.system in ("state", "party"), number
    keys = Decision.objects.values_list("number", "number_key").distinct()
    assert all(docnumber.parse(n).key == k for n, k in keys)


def test_idempotent_and_deterministic(seeded: str) -> None:
    def snapshot() -> list[tuple[str, str, str, int]]:
        return sorted(
            (str(e.public_id), e.name, e.status, e.unit_id)
            for e in Entry.objects.only("public_id", "name", "status", "unit_id")
        )

    first = snapshot()
    decisions = Decision.objects.count()
    output = _seed()
    assert snapshot() == first
    assert Decision.objects.count() == decisions
    assert "Dân vận khéo" not in output
    # Built again from nothing, the same entries come out.
    Entry.objects.update(replicated_from=None)
    Entry.objects.all().delete()
    result = demo.demo_seed_movement()
    assert result.entries == len(first)
    assert result.units == 0  # the former Bắc Kạn units were found again
    assert snapshot() == first
