"""Writes of the catalogue of contents to disclose (DisclosureKind): new versions of a
kind and the administrator's confirmation that a kind matches the official text.

The catalogue is national rule data (Law 10/2022/QH15, Điều 11; Chương III and IV), so
only system administrators change it (Perm.LEGAL_MANAGE). A kind's versions share its
unit_kind and number; they follow the same recipe as every effective-dated rule
(danvan.legal.services.version_make_room), and a disclosure keeps the version it was
recorded under.
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

from ..models import DisclosureKind, RuleUnitKind

# No form of disclosure the law names lasts more than a year on end; a larger figure is
# a typing error.
MAX_MIN_DAYS = 365
# The law's lists are short (14 items for communes); the numbers are their item numbers.
MAX_NUMBER = 999


class KindVersionError(StrEnum):
    BAD_UNIT_KIND = "disclosure_kind_bad_unit_kind"
    BAD_NUMBER = "disclosure_kind_bad_number"
    BAD_DAYS = "disclosure_kind_bad_days"
    EMPTY = "disclosure_kind_empty"
    OVERLAP = "disclosure_kind_overlap"


def _error(code: KindVersionError, message: str, field: str) -> DomainError:
    return DomainError(code.value, message, field=field)


def _check_days(value: int, field: str) -> None:
    if value < 0 or value > MAX_MIN_DAYS:
        raise _error(
            KindVersionError.BAD_DAYS,
            _("Số ngày phải từ 0 đến %(n)s.") % {"n": MAX_MIN_DAYS},
            field,
        )


@transaction.atomic
def kind_version_add(
    *,
    actor: Any,
    unit_kind: str,
    number: int,
    title: str,
    mandatory: bool,
    loudspeaker_min_days: int,
    posting_min_days: int,
    posting_to_verify: bool,
    citation: str,
    valid_from: dt.date,
    to_verify: bool = False,
    note: str = "",
) -> DisclosureKind:
    """Add a new version of kind (*unit_kind*, *number*) from *valid_from* (or the first
    version of a new item); the version in force before it ends the day before."""
    require_manage(actor)
    if unit_kind not in RuleUnitKind.values:
        raise _error(
            KindVersionError.BAD_UNIT_KIND,
            one_of(_("Loại đơn vị"), RuleUnitKind.labels),
            "unit_kind",
        )
    if number < 1 or number > MAX_NUMBER:
        raise _error(
            KindVersionError.BAD_NUMBER,
            _("Số thứ tự phải từ 1 đến %(n)s.") % {"n": MAX_NUMBER},
            "number",
        )
    title = (title or "").strip()
    if not title:
        raise _error(KindVersionError.EMPTY, _("Cần ghi nội dung công khai."), "title")
    _check_days(loudspeaker_min_days, "loudspeaker_min_days")
    _check_days(posting_min_days, "posting_min_days")
    citation = (citation or "").strip()
    if not citation:
        raise _error(KindVersionError.EMPTY, _("Cần ghi căn cứ pháp lý."), "citation")
    version_make_room(
        actor=actor,
        versions=DisclosureKind.objects.filter(unit_kind=unit_kind, number=number),
        valid_from=valid_from,
        code=KindVersionError.OVERLAP.value,
    )
    kind = DisclosureKind.objects.create(
        unit_kind=unit_kind,
        number=number,
        title=title,
        mandatory=mandatory,
        loudspeaker_min_days=loudspeaker_min_days,
        posting_min_days=posting_min_days,
        posting_to_verify=posting_to_verify,
        citation=citation,
        valid_from=valid_from,
        to_verify=to_verify,
        note=(note or "").strip(),
    )
    audit.record_create(actor=actor, instance=kind)
    return kind


@transaction.atomic
def kind_mark_verified(
    *, actor: Any, kind: DisclosureKind, posting: bool = False
) -> DisclosureKind:
    """Record that an administrator checked *kind* against the official text.

    The posting period has its own flag because it is checked on its own (the baseline
    data confirms the titles of some items but not the 30 days of posting): *posting*
    True clears that flag, else the flag of the kind itself.
    """
    return mark_verified(
        actor=actor, rule=kind, flag="posting_to_verify" if posting else "to_verify"
    )
