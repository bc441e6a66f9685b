"""The thresholds of a citizens' vote (Law 10/2022/QH15; domain.md §3, checked).

One vote per household. A meeting (or ballot, or online vote) is valid only if MORE than
half of ALL the village's households take part; a matter passes only if MORE than half of
ALL households (not of those present) agree. Compared in integers (2·n > total), so half
a household is never rounded either way.
"""

from __future__ import annotations

from .models import Outcome


def is_valid(*, total: int, present: int) -> bool:
    return 2 * present > total


def is_passed(*, total: int, agree: int) -> bool:
    return 2 * agree > total


def outcome(*, total: int, present: int, agree: int) -> str:
    if not is_valid(total=total, present=present):
        return Outcome.INVALID
    return Outcome.PASSED if is_passed(total=total, agree=agree) else Outcome.FAILED
