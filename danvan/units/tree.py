"""The materialized path that makes "everything under a unit" one index range scan.

A unit's path is its ancestors' primary keys and its own, each written as a
fixed-width run of digits: ``0000019`` for a province, ``00000190004321`` for a
commune under it. The subtree of a unit is then every path from its own
(inclusive) up to, not including, the path of its next possible sibling: a
``path >= low AND path < high`` range that both SQLite and PostgreSQL answer
from the plain B-tree index on the column. Digits only, so byte order and the
database's collation agree.
"""

SEGMENT = 7
MAX_DEPTH = 30


def segment(pk: int) -> str:
    if pk >= 10**SEGMENT:
        raise ValueError("unit id does not fit the path segment")
    return f"{pk:0{SEGMENT}d}"


def child_path(parent_path: str, pk: int) -> str:
    return parent_path + segment(pk)


def subtree_bounds(path: str) -> tuple[str, str]:
    """(low, high) such that low <= p < high exactly for *path* and its descendants."""
    head, last = path[:-SEGMENT], int(path[-SEGMENT:])
    return path, head + f"{last + 1:0{SEGMENT}d}"


def ancestor_ids(path: str) -> list[int]:
    """Primary keys of the strict ancestors, root first."""
    return [int(path[i : i + SEGMENT]) for i in range(0, len(path) - SEGMENT, SEGMENT)]


def depth_of(path: str) -> int:
    return len(path) // SEGMENT
