"""Rolling the rows of a subtree up to the child units of the page's unit.

A province page that would list every commune's records first shows one row per child
unit with counts (issue 10: "a per-unit summary first"); the row links to the same page
about that child. Which child a row belongs to is read from the materialized path (the
segment after the page unit's own), so grouping costs no query per row: one query reads
the child units themselves.
"""

from __future__ import annotations

from collections.abc import Iterable

from . import tree
from .models import Unit


def child_id(unit: Unit, path: str) -> int | None:
    """The id of the child of *unit* whose subtree holds *path*; None for *unit* itself.

    *path* must lie in *unit*'s subtree.
    """
    if len(path) <= len(unit.path):
        return None
    return int(path[len(unit.path) : len(unit.path) + tree.SEGMENT])


def children_by_id(unit: Unit, paths: Iterable[str]) -> dict[int, Unit]:
    """The children of *unit* that hold at least one of *paths*, by id (one query)."""
    ids = {cid for p in paths if (cid := child_id(unit, p)) is not None}
    if not ids:
        return {}
    return {u.pk: u for u in Unit.objects.filter(pk__in=ids, parent=unit)}
