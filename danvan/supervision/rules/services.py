"""Writes of the supervision rule data (SupervisionRule): new versions of a legal figure
and the administrator's confirmation that a figure matches the official text.

The figures are national rule data like the deadline rules, so only system
administrators change them (Perm.LEGAL_MANAGE); versions follow the same recipe as
every effective-dated rule (danvan.legal.services.version_make_room).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from danvan.audit import services as audit
from danvan.core.errors import DomainError
from danvan.core.validators import one_of
from danvan.legal.services import mark_verified, require_manage, version_make_room

from ..models import RuleCode, SupervisionRule

# The largest figure the table holds is a board size or a count per year; a thousand
# leaves room for any real rule and still catches a mistyped one.
MAX_AMOUNT = 1000


class RuleVersionError(StrEnum):
    BAD_CODE = "supervision_rule_bad_code"
    BAD_AMOUNT = "supervision_rule_bad_amount"
    NO_CITATION = "supervision_rule_no_citation"
    OVERLAP = "supervision_rule_overlap"


@transaction.atomic
def rule_version_add(
    *,
    actor: Any,
    code: str,
    amount: int,
    citation: str,
    valid_from: dt.date,
    to_verify: bool = False,
) -> SupervisionRule:
    """Add a new version of the figure *code* from *valid_from*; the version in force
    before it ends the day before, so checks of past days keep the figure of their day."""
    require_manage(actor)
    if code not in RuleCode.values:
        raise DomainError(
            RuleVersionError.BAD_CODE.value,
            one_of(_("Quy định"), RuleCode.labels),
            field="code",
        )
    if amount < 0 or amount > MAX_AMOUNT:
        raise DomainError(
            RuleVersionError.BAD_AMOUNT.value,
            _("Số lượng phải từ 0 đến %(n)s.") % {"n": MAX_AMOUNT},
            field="amount",
        )
    if not citation.strip():
        raise DomainError(
            RuleVersionError.NO_CITATION.value, _("Cần ghi căn cứ pháp lý."), field="citation"
        )
    version_make_room(
        actor=actor,
        versions=SupervisionRule.objects.filter(code=code),
        valid_from=valid_from,
        code=RuleVersionError.OVERLAP.value,
    )
    rule = SupervisionRule.objects.create(
        code=code,
        amount=amount,
        citation=citation.strip(),
        valid_from=valid_from,
        to_verify=to_verify,
    )
    audit.record_create(actor=actor, instance=rule)
    return rule


@transaction.atomic
def rule_mark_verified(*, actor: Any, rule: SupervisionRule) -> SupervisionRule:
    """Record that an administrator checked *rule* against the official text."""
    return mark_verified(actor=actor, rule=rule)
