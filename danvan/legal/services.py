"""Writes of legal rule data and calendar exceptions (system administrators only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.audit import services as audit
from danvan.core.errors import DomainError, PermissionDenied

from .models import CalendarException, DeadlineRule

_MATCH = ("case_kind", "action", "round", "complex", "remote")


def _require_manage(actor: Any) -> None:
    if actor is not None and not policies.has_perm(actor, Perm.LEGAL_MANAGE, None):
        raise PermissionDenied(_("Chỉ quản trị hệ thống được sửa quy định pháp lý."))


@transaction.atomic
def rule_version_add(
    *,
    actor: Any,
    case_kind: str,
    action: str,
    round: int,
    complex: bool,
    remote: bool,
    days: int,
    day_kind: str,
    citation: str,
    valid_from: dt.date,
    to_verify: bool = False,
    max_extensions: int = 0,
    roll_to_working_day: bool = True,
    note: str = "",
) -> DeadlineRule:
    """Add a new version of a rule from *valid_from*. The version in force before it ends
    the day before; cases keep the version they started under."""
    _require_manage(actor)
    if days <= 0 or days > 3650:
        raise DomainError("rule_bad_days", _("Số ngày phải từ 1 đến 3650."), field="days")
    if not citation.strip():
        raise DomainError("rule_no_citation", _("Cần ghi căn cứ pháp lý."), field="citation")
    match = {
        "case_kind": case_kind,
        "action": action,
        "round": round,
        "complex": complex,
        "remote": remote,
    }
    later = DeadlineRule.objects.filter(**match, valid_from__gte=valid_from)
    if later.exists():
        raise DomainError(
            "rule_overlap",
            _("Đã có phiên bản quy định hiệu lực từ ngày này hoặc sau đó."),
            field="valid_from",
        )
    current = (
        DeadlineRule.objects.select_for_update()
        .filter(**match, valid_from__lt=valid_from)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
    )
    for old in current:
        before = audit.snapshot(old)
        old.valid_to = valid_from - dt.timedelta(days=1)
        old.save(update_fields=["valid_to", "updated_at"])
        audit.record_update(actor=actor, instance=old, before=before)
    rule = DeadlineRule.objects.create(
        **match,
        days=days,
        day_kind=day_kind,
        citation=citation.strip(),
        valid_from=valid_from,
        to_verify=to_verify,
        max_extensions=max_extensions,
        roll_to_working_day=roll_to_working_day,
        note=note.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record_create(actor=actor, instance=rule)
    return rule


@transaction.atomic
def rule_mark_verified(*, actor: Any, rule: DeadlineRule) -> DeadlineRule:
    _require_manage(actor)
    rule = DeadlineRule.objects.select_for_update().get(pk=rule.pk)
    before = audit.snapshot(rule)
    rule.to_verify = False
    rule.save(update_fields=["to_verify", "updated_at"])
    audit.record_update(actor=actor, instance=rule, before=before)
    return rule


@transaction.atomic
def calendar_exception_add(
    *, actor: Any, date: dt.date, kind: str, reason: str
) -> CalendarException:
    _require_manage(actor)
    if kind not in CalendarException.Kind.values:
        raise DomainError("calendar_bad_kind", _("Loại ngày không hợp lệ."), field="kind")
    if not reason.strip():
        raise DomainError("calendar_no_reason", _("Cần ghi lý do, căn cứ."), field="reason")
    if CalendarException.objects.filter(date=date).exists():
        raise DomainError(
            "calendar_duplicate",
            _("Ngày %(day)s đã được ghi.") % {"day": f"{date:%d/%m/%Y}"},
            field="date",
        )
    day = CalendarException.objects.create(
        date=date,
        kind=kind,
        reason=reason.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record_create(actor=actor, instance=day)
    return day


@transaction.atomic
def calendar_exception_remove(*, actor: Any, day: CalendarException) -> None:
    _require_manage(actor)
    audit.record_delete(actor=actor, instance=day)
    day.delete()
