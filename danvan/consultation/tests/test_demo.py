"""The demo consultations: one reported, one open with a citizen's pending comment."""

from __future__ import annotations

import pytest

from danvan.consultation import demo
from danvan.consultation.models import Comment, Consultation
from danvan.demo.services import demo_seed_base
from danvan.units import demo as units_demo

pytestmark = pytest.mark.django_db


def test_demo_consultations_are_reported_and_open_and_idempotent() -> None:
    demo_seed_base()
    result = demo.demo_seed_consultation()
    assert result.consultations == Consultation.objects.count() == 2
    assert result.comments == Comment.objects.count() == 7
    assert result.reported == 1
    assert result.pending == 1

    reported = Consultation.objects.get(state=Consultation.State.REPORTED)
    assert reported.subject == Consultation.Subject.LAND_USE
    assert reported.unit.code == units_demo.COMMUNE_CODES[0]
    assert reported.report
    statuses = set(reported.comments.values_list("status", flat=True))
    assert {Comment.Status.PUBLISHED, Comment.Status.GROUPED, Comment.Status.REJECTED} == statuses
    assert not reported.comments.filter(status=Comment.Status.PUBLISHED, answer="").exists()

    open_now = Consultation.objects.get(state=Consultation.State.OPEN)
    assert open_now.subject == Consultation.Subject.CHARTER
    assert open_now.unit.parent.code == units_demo.COMMUNE_CODES[0]  # type: ignore[union-attr]
    pending = open_now.comments.get(status=Comment.Status.PENDING)
    assert pending.moderated_by is None

    again = demo.demo_seed_consultation()
    assert (again.consultations, again.comments, again.reported, again.pending) == (0, 0, 0, 0)
    assert Consultation.objects.count() == 2
