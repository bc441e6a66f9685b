"""The legal figure of a recurring duty in force on a day (DutyRule data)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext as _

from danvan.core.errors import DomainError

from .models import Duty, DutyRule


def duty_rule(duty: str, *, on: dt.date) -> DutyRule:
    if duty not in Duty.values:
        raise DomainError("duty_unknown", _("Không có nghĩa vụ “%(d)s”.") % {"d": duty})
    rule = (
        DutyRule.objects.filter(duty=duty, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("-valid_from", "-id")
        .first()
    )
    if rule is None:
        raise DomainError(
            "duty_no_rule",
            _("Chưa có quy định “%(d)s” có hiệu lực ngày %(day)s.")
            % {"d": Duty(duty).label, "day": f"{on:%d/%m/%Y}"},
        )
    return rule
