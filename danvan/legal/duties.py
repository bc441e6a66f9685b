"""The legal figure of a recurring duty in force on a day (DutyRule data)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext as _

from danvan.core.errors import DomainError

from .models import Duty, DutyRule


def _in_force(rules: Iterable[DutyRule], duty: str, day: dt.date) -> DutyRule | None:
    """The version of *duty* in force on *day*: the latest to take effect by then, among
    *rules* ordered newest first."""
    for rule in rules:
        if rule.duty != duty or rule.valid_from > day:
            continue
        if rule.valid_to is None or rule.valid_to >= day:
            return rule
    return None


class DutyBook:
    """The versions of some duties, loaded in one query, for pages that look up many days."""

    def __init__(self, duties: Iterable[str]) -> None:
        self.rows = list(
            DutyRule.objects.filter(duty__in=list(duties)).order_by("-valid_from", "-id")
        )

    def on(self, duty: str, day: dt.date) -> DutyRule | None:
        return _in_force(self.rows, duty, day)


def duty_rule(duty: str, *, on: dt.date) -> DutyRule:
    if duty not in Duty.values:
        raise DomainError("duty_unknown", _("Không có nghĩa vụ “%(d)s”.") % {"d": duty})
    rule = _in_force(DutyBook([duty]).rows, duty, on)
    if rule is None:
        raise DomainError(
            "duty_no_rule",
            _("Chưa có quy định “%(d)s” có hiệu lực ngày %(day)s.")
            % {"d": Duty(duty).label, "day": f"{on:%d/%m/%Y}"},
        )
    return rule
