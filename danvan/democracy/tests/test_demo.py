"""The demo year of village votes: real services, some meetings invalid and decided again."""

from __future__ import annotations

import pytest

from danvan.demo.services import demo_seed_base
from danvan.democracy import demo
from danvan.democracy.models import Matter, Outcome, Vote

pytestmark = pytest.mark.django_db


def test_demo_votes_follow_the_rules_and_are_idempotent() -> None:
    demo_seed_base()
    result = demo.demo_seed_democracy()
    assert result.matters == Matter.objects.count() > 0
    assert result.votes == Vote.objects.count()
    for vote in Vote.objects.exclude(outcome=Outcome.PENDING):
        valid = 2 * vote.households_present > vote.households_total
        passed = 2 * vote.agree > vote.households_total
        expected = Outcome.INVALID if not valid else Outcome.PASSED if passed else Outcome.FAILED
        assert vote.outcome == expected
    for invalid in Vote.objects.filter(outcome=Outcome.INVALID):
        assert invalid.followups.exists()  # decided again by a household ballot
    assert Vote.objects.filter(outcome=Outcome.PENDING, method="online").count() == 1
    assert result.invalid >= 1  # gaps to show
    assert demo.demo_seed_democracy().matters == 0
