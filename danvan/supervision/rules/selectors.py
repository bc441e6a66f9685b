"""The legal figures of supervision in force on a day (SupervisionRule data).

A figure is never a constant in code: an administrator adds a new version with its
citation and the day it takes effect, and every check names the version it applied.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext as _

from danvan.core.errors import DomainError

from ..errors import SupervisionError
from ..models import RuleCode, SupervisionRule


class RuleBook:
    """The versions of some rules, loaded in one query, for pages that look up many days."""

    def __init__(self, codes: Iterable[str] | None = None) -> None:
        qs = SupervisionRule.objects.order_by("-valid_from", "-id")
        if codes is not None:
            qs = qs.filter(code__in=list(codes))
        self.rows = list(qs)

    def on(self, code: str, day: dt.date) -> SupervisionRule | None:
        """The version of *code* in force on *day*: the latest to take effect by then."""
        for rule in self.rows:
            if rule.code == code and rule.is_valid_on(day):
                return rule
        return None

    def require(self, code: str, day: dt.date) -> SupervisionRule:
        rule = self.on(code, day)
        if rule is None:
            raise DomainError(
                SupervisionError.NO_RULE.value,
                _("Chưa có quy định “%(r)s” có hiệu lực ngày %(day)s.")
                % {"r": RuleCode(code).label, "day": f"{day:%d/%m/%Y}"},
            )
        return rule


def rule_on(code: str, day: dt.date) -> SupervisionRule:
    """The version of *code* in force on *day*; DomainError when there is none."""
    return RuleBook([code]).require(code, day)
