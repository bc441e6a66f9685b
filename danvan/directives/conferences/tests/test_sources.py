"""The conference as a source of tasks, through the tasks app's registry."""

from __future__ import annotations

from typing import Any

import pytest

from danvan.core.errors import NotFound
from danvan.directives.conferences import services
from danvan.directives.conferences.models import Conference
from danvan.directives.tasks.sources import registered_kinds, resolve_source

from .conftest import CONCLUSION

pytestmark = pytest.mark.django_db


def test_registered_and_resolved(conference: Conference, actors: dict[str, Any]) -> None:
    assert "conference" in registered_kinds()
    services.conference_conclude(actor=None, conference=conference, conclusion=CONCLUSION)
    ref = resolve_source("conference", actors["province"], str(conference.public_id))
    assert ref.kind == "conference"
    assert ref.obj == conference
    assert ref.unit == conference.unit
    assert ref.text == CONCLUSION
    assert ref.label == "Hội nghị sơ kết 6 tháng đầu năm 2027 (15/07/2027)"
    assert ref.url == conference.get_absolute_url()


def test_out_of_sight_is_not_found(commune_conference: Conference, actors: dict[str, Any]) -> None:
    with pytest.raises(NotFound):
        resolve_source("conference", actors["sibling"], str(commune_conference.public_id))
