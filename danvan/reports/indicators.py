"""The registry of computed queries: the figures danvan can count by itself.

A computed indicator of a report template names one of these queries (Indicator.query);
the name is data an administrator types, so it is checked against this registry when
the indicator is saved (Indicator.clean). Each query counts over the subtree of a root
unit and a data period [start, end] (both days included, the regime's cut-off), and
gives the address of the list of records it counts, so that every figure is traceable
(issue 13, item 4). The areas' queries are registered in `reports.queries`.

Two kinds, one name space: a number query (`Query`) gives one figure per root; a table
query (`TableQuery`) gives one figure per category (a row of a table indicator: the
movement's fields, the cases' kinds) and the list of each row's records. A number
indicator names a number query, a table indicator a table query.
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


@dataclass(frozen=True)
class Category:
    """One row a table query can count: its stable key (a field's code, a case kind), the
    label shown, and whether the row is shown even when it counts nothing. A retired
    category (a field no longer in use) shows only where it still counts something."""

    key: str
    label: str
    always: bool = True


@dataclass(frozen=True)
class TableQuery:
    """One named count per category: *compute(root, start, end)* gives {row key: count}
    (rows counting nothing may be left out), *records_url(root, start, end, key)* the
    list of one row's records, *categories()* the rows in their order.

    *total_of* names the number query whose figure the rows add up to (the movement's
    entries registered by field add up to the entries registered): the tests hold every
    table query to it, and the page can say so.
    """

    name: str
    label: StrOrPromise
    unit: StrOrPromise
    categories: Callable[[], list[Category]]
    compute: Callable[[Unit, dt.date, dt.date], dict[str, int]]
    records_url: Callable[[Unit, dt.date, dt.date, str], str]
    compute_many: Callable[[Sequence[Unit], dt.date, dt.date], dict[int, dict[str, int]]] | None = (
        None
    )
    total_of: str = ""

    def compute_all(
        self, roots: Sequence[Unit], start: dt.date, end: dt.date
    ) -> dict[int, dict[str, int]]:
        """The rows of each of *roots* ({root id: {row key: count}}), grouped where the
        query can."""
        if self.compute_many is not None:
            return self.compute_many(roots, start, end)
        return {root.pk: self.compute(root, start, end) for root in roots}

    @staticmethod
    def rows_of(
        categories: Sequence[Category], counts: dict[str, int]
    ) -> list[tuple[Category, int]]:
        """The rows one root's table shows, in the categories' order: every category shown
        always, and a retired one where it counts something. A key no category names (a
        category removed since) is shown last under its key, so that no count is lost."""
        known = {c.key for c in categories}
        rows = [(c, counts.get(c.key, 0)) for c in categories if c.always or counts.get(c.key)]
        rows += [(Category(k, k), n) for k, n in sorted(counts.items()) if k not in known and n]
        return rows


_REGISTRY: dict[str, Query] = {}
_TABLES: dict[str, TableQuery] = {}


def register_query(query: Query) -> Query:
    """Add *query*; a second query of the same name is a programming error."""
    if (query.name in _REGISTRY and _REGISTRY[query.name] is not query) or query.name in _TABLES:
        raise ValueError(f"query {query.name!r} is already registered")
    _REGISTRY[query.name] = query
    return query


def register_table_query(query: TableQuery) -> TableQuery:
    """Add the table query *query*; its name is unique among every query's."""
    if (query.name in _TABLES and _TABLES[query.name] is not query) or query.name in _REGISTRY:
        raise ValueError(f"query {query.name!r} is already registered")
    _TABLES[query.name] = query
    return query


def queries() -> list[Query]:
    """Every registered number query, by name."""
    return [_REGISTRY[name] for name in sorted(_REGISTRY)]


def table_queries() -> list[TableQuery]:
    """Every registered table query, by name."""
    return [_TABLES[name] for name in sorted(_TABLES)]


def get_query(name: str) -> Query | None:
    return _REGISTRY.get(name)


def get_table_query(name: str) -> TableQuery | None:
    return _TABLES.get(name)
