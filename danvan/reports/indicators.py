"""The registry of computed queries: the figures danvan can count by itself.

A computed indicator of a report template names one of these queries (Indicator.query);
the name is data an administrator types, so it is checked against this registry when
the indicator is saved (Indicator.clean). Each query counts over the subtree of a root
unit and a data period [start, end] (both days included, the regime's cut-off), and
gives the address of the list of records it counts, so that every figure is traceable
(issue 13, item 4). The areas' queries are registered in `reports.queries`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from danvan.units.models import Unit


@dataclass(frozen=True)
class Query:
    """One named count: *compute(root, start, end)* and the list it counts.

    *compute_many(roots, start, end)*, where a query has it, gives the same figure for
    many roots at once ({root id: count}) in a constant number of queries: a campaign's
    snapshot of a province's hundred units asks it once instead of once per unit.
    """

    name: str
    label: StrOrPromise
    unit: StrOrPromise  # the unit of measure shown beside the figure ("mô hình", "vụ việc")
    compute: Callable[[Unit, dt.date, dt.date], int]
    records_url: Callable[[Unit, dt.date, dt.date], str]
    compute_many: Callable[[Sequence[Unit], dt.date, dt.date], dict[int, int]] | None = None

    def compute_all(self, roots: Sequence[Unit], start: dt.date, end: dt.date) -> dict[int, int]:
        """The figure of each of *roots* ({root id: count}), grouped where the query can."""
        if self.compute_many is not None:
            return self.compute_many(roots, start, end)
        return {root.pk: self.compute(root, start, end) for root in roots}


_REGISTRY: dict[str, Query] = {}


def register_query(query: Query) -> Query:
    """Add *query*; a second query of the same name is a programming error."""
    if query.name in _REGISTRY and _REGISTRY[query.name] is not query:
        raise ValueError(f"query {query.name!r} is already registered")
    _REGISTRY[query.name] = query
    return query


def queries() -> list[Query]:
    """Every registered query, by name."""
    return [_REGISTRY[name] for name in sorted(_REGISTRY)]


def get_query(name: str) -> Query | None:
    return _REGISTRY.get(name)
