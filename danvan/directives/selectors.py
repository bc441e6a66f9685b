"""Reads of the document register, scoped to what the actor may see.

Directives flow down: an actor with Perm.DIRECTIVE_VIEW sees the documents registered by
the units of their granted subtrees AND by the ancestors of their units, so a commune
officer sees the province's plan the commune implements. A document out of sight
answers like a missing one (404).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from danvan.accounts import policies
from danvan.accounts.policies import ROLE_PERMS, Perm
from danvan.core.errors import NotFound
from danvan.core.text import fold
from danvan.units.models import Unit

from .models import Document, DocumentLink, Family, LinkKind


def visible_q(user: Any, prefix: str = "") -> Q:
    """Documents (or rows through *prefix*, e.g. "document__") *user* may read."""
    q = policies.scope_q(user, Perm.DIRECTIVE_VIEW, f"{prefix}unit__")
    if q == Q():
        return q  # a national grant
    ancestors = sorted(
        {
            pk
            for g in policies.grants_of(user)
            if g.unit is not None and Perm.DIRECTIVE_VIEW in ROLE_PERMS[g.role]
            for pk in g.unit.ancestor_ids
        }
    )
    if ancestors:
        q |= Q(**{f"{prefix}unit_id__in": ancestors})
    return q


def documents_visible(user: Any) -> QuerySet[Document]:
    return Document.objects.filter(visible_q(user))


def can_view(user: Any, document: Document) -> bool:
    if policies.has_perm(user, Perm.DIRECTIVE_VIEW, document.unit):
        return True
    return any(
        g.unit is not None
        and Perm.DIRECTIVE_VIEW in ROLE_PERMS[g.role]
        and document.unit_id in g.unit.ancestor_ids
        for g in policies.grants_of(user)
    )


def document_get(*, user: Any, public_id: uuid.UUID) -> Document:
    found = (
        Document.objects.select_related("unit", "issuer_unit", "created_by")
        .filter(public_id=public_id)
        .first()
    )
    if found is None or not can_view(user, found):
        raise NotFound(_("Không tìm thấy văn bản."), code="document_not_found")
    return found


def link_get(*, user: Any, pk: int) -> DocumentLink:
    found = DocumentLink.objects.select_related("source__unit", "target").filter(pk=pk).first()
    if found is None or not can_view(user, found.source):
        raise NotFound(_("Không tìm thấy liên kết."), code="link_not_found")
    return found


@dataclass(frozen=True)
class Filters:
    text: str = ""
    family: str = ""
    doc_type: str = ""
    year: int | None = None


def register_of(unit: Unit) -> Q:
    """The register as seen from *unit*: its subtree's documents and its ancestors'."""
    return policies.subtree_q(unit, "unit__") | Q(unit_id__in=list(unit.ancestor_ids))


def documents_list(*, user: Any, unit: Unit | None, filters: Filters) -> QuerySet[Document]:
    """The documents *user* sees from *unit* (None: every one they see, national grants),
    filtered, newest first. The text matches number, excerpt and issuer without
    diacritics."""
    if unit is not None:
        policies.require(user, Perm.DIRECTIVE_VIEW, unit)
        rows = Document.objects.filter(register_of(unit)).filter(visible_q(user))
    else:
        rows = documents_visible(user)
    if filters.text:
        rows = rows.filter(search_folded__contains=fold(filters.text))
    if filters.family:
        rows = rows.filter(family=filters.family)
    if filters.doc_type:
        rows = rows.filter(doc_type=filters.doc_type)
    if filters.year:
        rows = rows.filter(year=filters.year)
    return rows.select_related("unit").order_by("-issued_on", "-id")


def family_counts(rows: QuerySet[Document]) -> dict[str, int]:
    """How many of *rows* in each family, in one query (the summary above the list)."""
    counts = dict.fromkeys(Family.values, 0)
    for row in rows.order_by().values("family").annotate(n=Count("id")):
        counts[row["family"]] = row["n"]
    return counts


def types_in(rows: QuerySet[Document]) -> list[tuple[str, str]]:
    """The (code, label) of the types present, for the filter's choices."""
    seen = rows.order_by().values_list("doc_type", "doc_type_label").distinct()
    return sorted({(c, label or c) for c, label in seen if c}, key=lambda t: t[1])


def years_in(rows: QuerySet[Document]) -> list[int]:
    return sorted(set(rows.order_by().values_list("year", flat=True)), reverse=True)


def links_of(user: Any, document: Document) -> tuple[list[DocumentLink], list[DocumentLink]]:
    """(links out, links in) of *document*, each to a document *user* sees (two queries)."""
    out = list(
        DocumentLink.objects.filter(source=document)
        .filter(visible_q(user, "target__"))
        .select_related("target__unit")
        .order_by("kind", "target__issued_on", "id")
    )
    into = list(
        DocumentLink.objects.filter(target=document)
        .filter(visible_q(user, "source__"))
        .select_related("source__unit")
        .order_by("kind", "source__issued_on", "id")
    )
    return out, into


def replaced_by(links_in: list[DocumentLink]) -> list[Document]:
    """The documents that replace the one whose incoming links these are."""
    return [link.source for link in links_in if link.kind == LinkKind.REPLACES]


def link_targets(*, user: Any, text: str, exclude: Document, limit: int = 20) -> list[Document]:
    """Documents *user* sees whose number or excerpt matches *text* (the link form)."""
    folded = fold(text or "")
    if not folded:
        return []
    return list(
        documents_visible(user)
        .exclude(pk=exclude.pk)
        .filter(search_folded__contains=folded)
        .select_related("unit")
        .order_by("-issued_on", "-id")[:limit]
    )


def replaced_ids(documents: list[Document]) -> set[int]:
    """Which of *documents* have been replaced (one query, for a list page)."""
    return set(
        DocumentLink.objects.filter(
            target__in=[d.pk for d in documents], kind=LinkKind.REPLACES
        ).values_list("target_id", flat=True)
    )
