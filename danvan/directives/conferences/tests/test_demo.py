"""The demo conference: complete, and idempotent."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from danvan.directives.conferences.demo import conclusion_text, seed_conferences
from danvan.directives.conferences.models import Conference, Point, Speech
from danvan.units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


def test_seed_is_complete_and_idempotent(thai_nguyen: Unit) -> None:
    with time_machine.travel(dt.datetime(2026, 12, 7, 9, tzinfo=dt.UTC), tick=False):
        today = timezone.localdate()
        first = seed_conferences(thai_nguyen)
        again = seed_conferences(thai_nguyen)
    assert first.pk == again.pk
    assert Conference.objects.filter(unit=thai_nguyen).count() == 1
    communes = Unit.objects.filter(
        parent=thai_nguyen, kind=UnitKind.COMMUNE, valid_to__isnull=True
    ).count()
    points = Point.objects.filter(conference=first)
    assert points.count() == communes
    connected = points.filter(connected=True).count()
    assert communes * 0.8 < connected < communes
    assert not points.filter(connected=False, attended__gt=0).exists()
    assert Speech.objects.filter(conference=first).count() == 3
    assert first.conclusion == conclusion_text(today)
    assert first.held_on == dt.date(2026, 7, 10)
    assert "trước ngày 17/11/2026" in first.conclusion  # 20 days before: past its deadline
    assert first.notice_number == "05-TB/BCĐ"
    assert first.has_notice
