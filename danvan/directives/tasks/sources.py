"""The sources tasks are proposed from (issue 12, items 3 and 4).

A conclusion of a conference, an inspection's recommendations, a document of the register
or a plan: each kind registers how to find one of its records for an actor, and the
proposals pages (``danvan.directives.proposals.views``) ask for it by kind and public id,
without importing the apps that own them. The conferences and inspections apps register
their own kinds in their ``AppConfig.ready()``; this module registers "document" and "plan".

A resolver answers NotFound when the record does not exist or the actor may not see it
(both alike); whether the actor may assign tasks from it is checked by the proposals pages
(DIRECTIVE_MANAGE on ``SourceRef.unit``).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext as _

from danvan.core.errors import NotFound
from danvan.units.models import Unit

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SourceRef:
    kind: str  # Task.SourceKind value: "conference", "inspection", "document", "plan"
    obj: models.Model  # the source record (becomes the task's generic source)
    unit: Unit  # the assigning unit (tasks' assigner_unit)
    label: str  # e.g. "Hội nghị sơ kết 6 tháng đầu năm 2027 (15/07/2027)"
    url: str  # the source's page
    text: str  # the text to propose from (a conclusion), may be ""


_RESOLVERS: dict[str, Callable[[Any, str], SourceRef]] = {}


def register_source(kind: str, resolve: Callable[[Any, str], SourceRef]) -> None:
    """Make *kind* a source: *resolve(actor, public_id)* finds one record (or NotFound).
    Registering a kind again replaces it (``ready()`` may run twice in tests)."""
    _RESOLVERS[kind] = resolve


def resolve_source(kind: str, actor: Any, public_id: str) -> SourceRef:
    """The source of *kind* with *public_id* as *actor* sees it; NotFound if the kind is
    unknown, the id malformed, or the record missing or out of the actor's sight."""
    resolve = _RESOLVERS.get(kind)
    if resolve is None:
        raise NotFound(_("Không tìm thấy nguồn giao nhiệm vụ."), code="source_not_found")
    try:
        return resolve(actor, str(public_id))
    except (ValueError, ValidationError):
        # A malformed id (not a UUID) answers like a missing record, never a server error.
        raise NotFound(_("Không tìm thấy nguồn giao nhiệm vụ."), code="source_not_found") from None


def registered_kinds() -> list[str]:
    return sorted(_RESOLVERS)


# --- The kinds of this app -------------------------------------------------------------


def _document_text(document: Any) -> str:
    """The text of a document's uploaded .docx, for proposing from; "" when there is none
    or it cannot be read (the clerk then pastes the text)."""
    # Stored files have no extension of their own: the name uploaded says what it is.
    if not document.file or not (document.file_name or "").lower().endswith(".docx"):
        return ""
    from danvan.directives.proposals.extract import text_from_docx

    try:
        with document.file.open("rb") as handle:
            return text_from_docx(handle)
    except Exception:  # a damaged or missing file: the clerk pastes the text instead
        log.warning("document %s: its .docx could not be read", document.pk, exc_info=True)
        return ""


def _document_label(document: Any) -> str:
    issued = f" ({document.issued_on:%d/%m/%Y})" if document.issued_on else ""
    return f"{document.number} {document.excerpt}".strip()[:200] + issued


def resolve_document(actor: Any, public_id: str) -> SourceRef:
    from danvan.directives.selectors import document_get

    document = document_get(user=actor, public_id=uuid.UUID(public_id))
    return SourceRef(
        kind="document",
        obj=document,
        unit=document.unit,
        label=_document_label(document),
        url=reverse("directives:detail", args=[document.public_id]),
        text=_document_text(document),
    )


def resolve_plan(actor: Any, public_id: str) -> SourceRef:
    from .selectors import plan_get

    plan = plan_get(user=actor, public_id=public_id)
    return SourceRef(
        kind="plan",
        obj=plan,
        unit=plan.unit,
        label=plan.title,
        url=plan.get_absolute_url(),
        text="",
    )


register_source("document", resolve_document)
register_source("plan", resolve_plan)


@dataclass(frozen=True)
class ProposedTask:
    """One task the clerk kept on the proposals page, ready for
    ``services.tasks_create_from_proposals``. *key* names its card (the form prefix, e.g.
    "p3"): the problems of this task come back with fields "<key>-<field>"."""

    key: str
    lead_unit: Unit
    title: str
    deliverable: str
    coordinating_units: tuple[Unit, ...] = ()
    due_on: dt.date | None = None
    due_working_days: int | None = None
    due_from_event: str = ""
    due_from_date: dt.date | None = None
    source_paragraph: str = ""
    source_anchor: str = ""
