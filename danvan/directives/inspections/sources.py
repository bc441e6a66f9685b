"""An inspection as a source tasks are proposed from (danvan.directives.tasks.sources):
the proposals pages read its conclusion and propose tasks from it, assigned by the plan's
unit. Recommendations recorded on the inspection page become tasks on their own
(services.recommendation_record); this is for a conclusion pasted or uploaded whole."""

from __future__ import annotations

from typing import Any

from danvan.core.errors import NotFound
from danvan.directives.tasks.models import SourceKind
from danvan.directives.tasks.sources import SourceRef, register_source

from . import selectors


def resolve_inspection(actor: Any, public_id: str) -> SourceRef:
    """The inspection as the inspecting side sees it (the inspected units' officers see
    only their part of it: not a source for them)."""
    inspection, whole, _targets = selectors.inspection_get(user=actor, public_id=public_id)
    if not whole:
        raise NotFound()
    return SourceRef(
        kind=SourceKind.INSPECTION.value,
        obj=inspection,
        unit=inspection.plan.unit,
        label=(
            f"{inspection.title[:180]} ({inspection.starts_on:%d/%m/%Y}"
            f" – {inspection.ends_on:%d/%m/%Y})"
        ),
        url=inspection.get_absolute_url(),
        text=inspection.conclusion,
    )


def register() -> None:
    register_source(SourceKind.INSPECTION.value, resolve_inspection)
