"""Writes of legal rule data and calendar exceptions (system administrators only)."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.audit import services as audit
from danvan.core.errors import Checks, DomainError, PermissionDenied
from danvan.core.validators import one_of

from .models import (
    CalendarException,
    DeadlineRule,
    DocumentLayout,
    Duty,
    DutyRule,
    LayoutFamily,
    Measure,
)

R = TypeVar("R", bound=Model)

_MATCH = ("case_kind", "action", "round", "complex", "remote")


def require_manage(actor: Any) -> None:
    """Refuse anyone but a system administrator (actor None: the system itself); the other
    tables of national rule data (supervision figures, disclosure kinds) use it too."""
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
    require_manage(actor)
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
    version_make_room(
        actor=actor,
        versions=DeadlineRule.objects.filter(**match),
        valid_from=valid_from,
        code="rule_overlap",
    )
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


def mark_verified(*, actor: Any, rule: R, flag: str = "to_verify") -> R:
    """Record that a system administrator checked *rule* (a row of any rule table)
    against the official text: clear its *flag*, audited. Call in a transaction."""
    require_manage(actor)
    rule = type(rule)._default_manager.select_for_update().get(pk=rule.pk)
    before = audit.snapshot(rule)
    setattr(rule, flag, False)
    rule.save(update_fields=[flag, "updated_at"])
    audit.record_update(actor=actor, instance=rule, before=before)
    return rule


@transaction.atomic
def rule_mark_verified(*, actor: Any, rule: DeadlineRule) -> DeadlineRule:
    return mark_verified(actor=actor, rule=rule)


@transaction.atomic
def calendar_exception_add(
    *, actor: Any, date: dt.date, kind: str, reason: str
) -> CalendarException:
    require_manage(actor)
    if kind not in CalendarException.Kind.values:
        raise DomainError(
            "calendar_bad_kind",
            one_of(_("Loại ngày"), CalendarException.Kind.labels),
            field="kind",
        )
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
    require_manage(actor)
    audit.record_delete(actor=actor, instance=day)
    day.delete()


# --- new versions of effective-dated rule data ----------------------------------------------
# The duty rules here, the supervision rules and the catalogue of disclosure kinds all
# change the same way as the deadline rules: a new version takes effect on a day and the
# one in force until then ends the day before. The two helpers below are that one piece
# of logic, shared by every table of national rule data (all managed by Perm.LEGAL_MANAGE).


def version_make_room(
    *, actor: Any, versions: QuerySet[Any], valid_from: dt.date, code: str
) -> None:
    """Make room for a new version starting on *valid_from* among *versions* (every
    version of one rule, e.g. one duty or one kind number): refuse when one already
    starts on or after that day, else end the version in force before it the day before.

    Call inside the caller's transaction, before creating the new row: the rows are
    locked first so two administrators cannot both pass the check.
    """
    rows = list(versions.select_for_update().order_by("valid_from", "pk"))
    later = [v for v in rows if v.valid_from >= valid_from]
    if later:
        raise DomainError(
            code,
            _(
                "Đã có phiên bản quy định hiệu lực từ ngày %(day)s. Phiên bản mới phải bắt đầu sau "
                "ngày đó (các phiên bản cũ được giữ nguyên để tra cứu)."
            )
            % {"day": f"{later[-1].valid_from:%d/%m/%Y}"},
            field="valid_from",
        )
    end = valid_from - dt.timedelta(days=1)
    for old in rows:
        if old.valid_to is not None and old.valid_to < valid_from:
            continue  # already ended before the new version starts: nothing overlaps
        before = audit.snapshot(old)
        old.valid_to = end
        old.save(update_fields=["valid_to", "updated_at"])
        audit.record_update(actor=actor, instance=old, before=before)


@transaction.atomic
def duty_version_add(
    *,
    actor: Any,
    duty: str,
    amount: int,
    measure: str,
    citation: str,
    valid_from: dt.date,
    to_verify: bool = False,
    note: str = "",
) -> DutyRule:
    """Add a new version of a duty's legal figure from *valid_from*; the version in force
    before it ends the day before (pages that check a past day keep the old figure)."""
    require_manage(actor)
    if duty not in Duty.values:
        raise DomainError("duty_unknown", one_of(_("Nghĩa vụ"), Duty.labels), field="duty")
    if measure not in Measure.values:
        raise DomainError(
            "duty_bad_measure", one_of(_("Cách tính"), Measure.labels), field="measure"
        )
    # A day a week, a month, or a number of days before or after a meeting: more than a
    # year is a typing error, never a legal figure.
    if amount < 1 or amount > 365:
        raise DomainError("duty_bad_amount", _("Số ngày phải từ 1 đến 365."), field="amount")
    if not citation.strip():
        raise DomainError("duty_no_citation", _("Cần ghi căn cứ pháp lý."), field="citation")
    version_make_room(
        actor=actor,
        versions=DutyRule.objects.filter(duty=duty),
        valid_from=valid_from,
        code="duty_overlap",
    )
    rule = DutyRule.objects.create(
        duty=duty,
        amount=amount,
        measure=measure,
        citation=citation.strip(),
        valid_from=valid_from,
        to_verify=to_verify,
        note=note.strip(),
    )
    audit.record_create(actor=actor, instance=rule)
    return rule


@transaction.atomic
def duty_mark_verified(*, actor: Any, rule: DutyRule) -> DutyRule:
    """Record that an administrator checked *rule* against the official text."""
    return mark_verified(actor=actor, rule=rule)


# --- layouts of official documents (domain.md §6b) -------------------------------------------

# Bounds that catch typing errors, not legal ranges (those are in each version's citation):
# no official layout has a margin over 6 cm or a font below 8 or above 30 points.
_LAYOUT_BOUNDS: dict[str, tuple[float, float]] = {
    "margin_top_mm": (5, 60),
    "margin_bottom_mm": (5, 60),
    "margin_left_mm": (5, 60),
    "margin_right_mm": (5, 60),
    "issuer_column_pct": (20, 80),
    "first_line_indent_cm": (0, 5),
    "paragraph_spacing_pt": (0, 36),
    "page_number_from": (1, 2),
}
_LAYOUT_SIZES = (
    "heading_title_size",
    "superior_size",
    "issuer_size",
    "number_size",
    "date_size",
    "doc_type_size",
    "excerpt_size",
    "body_size",
    "signature_size",
    "recipients_label_size",
    "recipients_size",
)
_LAYOUT_WORDS = (
    "font_name",
    "heading_title",
    "number_label",
    "sign_on_behalf",
    "sign_deputy",
    "sign_by_order",
    "recipients_label",
)


def layout_checks(*, family: str, citation: str, figures: dict[str, Any]) -> None:
    """Every refusal of a new layout version at once, each beside its field (the form
    runs them with its own checks: LayoutVersionForm.service_checks)."""
    checks = Checks()
    if family not in LayoutFamily.values:
        checks.refuse(
            "layout_unknown_family", one_of(_("Loại văn bản"), LayoutFamily.labels), field="family"
        )
    if not citation.strip():
        checks.refuse("layout_no_citation", _("Cần ghi căn cứ pháp lý."), field="citation")
    bounds = dict(_LAYOUT_BOUNDS, **dict.fromkeys(_LAYOUT_SIZES, (8, 30)))
    if str(figures.get("heading_motto", "")).strip():
        bounds["heading_motto_size"] = (8, 30)
    for name, (low, high) in bounds.items():
        value = figures.get(name)
        if value is None or not low <= value <= high:
            checks.refuse(
                "layout_out_of_bounds",
                _("Giá trị phải từ %(low)s đến %(high)s.") % {"low": low, "high": high},
                field=name,
            )
    for name in _LAYOUT_WORDS:
        if not str(figures.get(name, "")).strip():
            checks.refuse("layout_blank", _("Cần điền mục này."), field=name)
    checks.raise_if_any()


@transaction.atomic
def layout_version_add(
    *,
    actor: Any,
    family: str,
    citation: str,
    valid_from: dt.date,
    to_verify: bool = False,
    note: str = "",
    **figures: Any,
) -> DocumentLayout:
    """Add a new version of a family's document layout from *valid_from* (the figures are
    DocumentLayout's fields); the version in force before it ends the day before, so a
    document issued earlier is laid out as it was."""
    require_manage(actor)
    unknown = set(figures) - {f.name for f in DocumentLayout._meta.get_fields()}
    if unknown:  # a programming error, not a person's
        raise TypeError(f"unknown layout fields: {sorted(unknown)}")
    layout_checks(family=family, citation=citation, figures=figures)
    version_make_room(
        actor=actor,
        versions=DocumentLayout.objects.filter(family=family),
        valid_from=valid_from,
        code="layout_overlap",
    )
    for name in (*_LAYOUT_WORDS, "heading_motto", "issuer_mark"):
        if name in figures:
            figures[name] = str(figures[name]).strip()
    layout = DocumentLayout.objects.create(
        family=family,
        citation=citation.strip(),
        valid_from=valid_from,
        to_verify=to_verify,
        note=note.strip(),
        **figures,
    )
    audit.record_create(actor=actor, instance=layout)
    return layout


@transaction.atomic
def layout_mark_verified(*, actor: Any, layout: DocumentLayout) -> DocumentLayout:
    """Record that an administrator checked *layout* against the official text."""
    return mark_verified(actor=actor, rule=layout)
