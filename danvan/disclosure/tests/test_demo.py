"""The demo year of disclosures: real services, every kind but the planned gaps."""

from __future__ import annotations

import datetime as dt

import pytest

from danvan.accounts.models import User
from danvan.demo.services import demo_seed_base
from danvan.disclosure import demo, selectors
from danvan.disclosure.models import Disclosure, DisclosureChannel
from danvan.disclosure.selectors import Problem
from danvan.units import demo as units_demo
from danvan.units.models import Unit

pytestmark = pytest.mark.django_db


def test_demo_disclosures_show_the_planned_gaps_and_are_idempotent() -> None:
    demo_seed_base()
    result = demo.demo_seed_disclosure()
    communes = [Unit.objects.get(code=code) for code in units_demo.COMMUNE_CODES]
    assert result.disclosures == Disclosure.objects.filter(unit__in=communes).count() > 30
    assert result.channels == DisclosureChannel.objects.count()
    assert result.public == selectors.public_disclosures().count() > 0
    today = selectors.today()
    assert not Disclosure.objects.filter(start__gt=today).exists()
    assert not DisclosureChannel.objects.filter(end__gt=today).exists()

    officer = User.objects.get(username="tinh.canbo")
    found: dict[str, set[tuple[str, str, int]]] = {}
    for code, commune in zip(units_demo.COMMUNE_CODES, communes, strict=True):
        findings = selectors.compliance(
            user=officer, unit=commune, start=today - dt.timedelta(days=365), end=today
        )
        commune_only = [f for f in findings if f.unit.pk == commune.pk]
        found[code] = {(f.problem, f.kind.unit_kind, f.kind.number) for f in commune_only}
    first, second, third = units_demo.COMMUNE_CODES
    assert found[first] == {(Problem.POSTING_SHORT, "commune", 2)}
    assert found[second] == {
        (Problem.MISSING, "commune", 5),
        (Problem.MISSING, "commune", 11),
        (Problem.LATE, "commune", 2),
    }
    assert found[third] == {(Problem.LOUDSPEAKER_SHORT, "commune", 8)}

    again = demo.demo_seed_disclosure()
    assert (again.disclosures, again.channels, again.public) == (0, 0, 0)
