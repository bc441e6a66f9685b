"""Writes of report regimes and templates. Each runs the model's checks (clean()),
raises them as the project's DomainError (every refusal at once, nothing written), and
records the change in the audit trail with the acting user."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.db.models import Max, ProtectedError
from django.utils.translation import gettext as _

from danvan.audit import services as audit
from danvan.core.errors import Checks, DomainError
from danvan.units.models import UnitKind

from . import policies
from .errors import ReportsError
from .models import Indicator, Regime, RegimeDeadline, ReportTemplate, Section, ValidationRule

M = TypeVar("M", bound=models.Model)


def _checked(instance: M) -> M:
    """Run *instance*'s checks; refuse with every message, as DomainError problems."""
    try:
        instance.full_clean()
    except ValidationError as exc:
        checks = Checks()
        for field, errors in exc.error_dict.items():
            for error in errors:
                message = error.message % error.params if error.params else error.message
                checks.refuse(
                    str(error.code or ReportsError.INVALID),
                    str(message),
                    field=None if field == NON_FIELD_ERRORS else field,
                )
        checks.raise_if_any()
    return instance


def _create(model: type[M], *, actor: Any, **fields: Any) -> M:
    policies.require_manage_regimes(actor)
    instance = _checked(model(**fields))
    with transaction.atomic():
        instance.save()
        audit.record_create(actor=actor, instance=instance)
    return instance


def regime_create(*, actor: Any, **fields: Any) -> Regime:
    return _create(Regime, actor=actor, **fields)


def regime_deadline_create(
    *, actor: Any, regime: Regime, unit_kind: str, working_days: int
) -> RegimeDeadline:
    return _create(
        RegimeDeadline, actor=actor, regime=regime, unit_kind=unit_kind, working_days=working_days
    )


def template_create(*, actor: Any, regime: Regime, **fields: Any) -> ReportTemplate:
    return _create(ReportTemplate, actor=actor, regime=regime, **fields)


def section_create(*, actor: Any, template: ReportTemplate, **fields: Any) -> Section:
    return _create(Section, actor=actor, template=template, **fields)


def indicator_create(*, actor: Any, template: ReportTemplate, **fields: Any) -> Indicator:
    return _create(Indicator, actor=actor, template=template, **fields)


def validation_rule_create(
    *,
    actor: Any,
    template: ReportTemplate,
    left: Indicator,
    operator: str,
    right: Indicator,
    message: str,
) -> ValidationRule:
    return _create(
        ValidationRule,
        actor=actor,
        template=template,
        left=left,
        operator=operator,
        right=right,
        message=message,
    )


# -- changes --------------------------------------------------------------------------------
#
# An administrator changes regimes and templates without a deploy (issue 13, item 1). Each
# change locks the row, runs the same checks as its creation and records what changed.
# Campaigns that already used a template keep what they computed: a template in use is
# changed by a new version (template_new_version) rather than in place; the campaigns'
# slice says which templates are in use.


def _update(instance: M, *, actor: Any, fields: dict[str, Any]) -> M:
    policies.require_manage_regimes(actor)
    model = type(instance)
    with transaction.atomic():
        current = model._default_manager.select_for_update().get(pk=instance.pk)
        before = audit.snapshot(current)
        for name, value in fields.items():
            setattr(current, name, value)
        _checked(current)
        current.save()
        audit.record_update(actor=actor, instance=current, before=before)
    return current


# The fields an administrator edits on each form (everything but the links to the parent).
REGIME_FIELDS = (
    "code",
    "name",
    "issuer_kind",
    "content",
    "reporters",
    "receivers",
    "sending_method",
    "frequency",
    "period_start_month",
    "period_start_day",
    "period_end_month",
    "period_end_day",
    "citation",
    "to_verify",
    "note",
)
TEMPLATE_FIELDS = ("name", "effective_from", "active")
SECTION_FIELDS = ("order", "title", "guidance")
INDICATOR_FIELDS = (
    "section",
    "order",
    "code",
    "label",
    "unit_of_measure",
    "kind",
    "source",
    "query",
    "aggregation",
    "rows",
    "allow_negative",
    "outlier_pct",
)
RULE_FIELDS = ("left", "operator", "right", "message")


def _only(fields: dict[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
    unknown = set(fields) - set(allowed)
    if unknown:  # a programming error, never a user's
        raise TypeError(f"not editable here: {sorted(unknown)}")
    return fields


def regime_update(*, actor: Any, regime: Regime, **fields: Any) -> Regime:
    return _update(regime, actor=actor, fields=_only(fields, REGIME_FIELDS))


def regime_deadlines_set(
    *, actor: Any, regime: Regime, days: dict[str, int | None]
) -> list[RegimeDeadline]:
    """Set the regime's deadline of each unit kind in *days* (working days after the
    cut-off; None removes that kind's deadline). Kinds not in *days* are left alone.
    Every refusal at once, named by the unit kind; nothing written on a refusal."""
    policies.require_manage_regimes(actor)
    checks = Checks()
    for kind, value in days.items():
        if kind not in UnitKind.values:
            checks.refuse(
                ReportsError.INVALID, _("Không có cấp, loại đơn vị “%(k)s”.") % {"k": kind}
            )
        elif value is not None and value < 1:
            # Decree 09/2019/NĐ-CP art. 12: at least one working day after the cut-off.
            checks.refuse(
                ReportsError.INVALID,
                _(
                    "Hạn gửi báo cáo phải sau ngày chốt số liệu ít nhất 1 ngày làm việc "
                    "(Nghị định 09/2019/NĐ-CP, Điều 12); nhập từ 1 trở lên hoặc để trống."
                ),
                field=kind,
            )
    checks.raise_if_any()
    with transaction.atomic():
        Regime.objects.select_for_update().filter(pk=regime.pk).first()
        existing = {d.unit_kind: d for d in RegimeDeadline.objects.filter(regime=regime)}
        for kind, value in days.items():
            row = existing.get(kind)
            if value is None:
                if row is not None:
                    audit.record_delete(actor=actor, instance=row)
                    row.delete()
            elif row is None:
                row = RegimeDeadline(regime=regime, unit_kind=kind, working_days=value)
                row.save()
                audit.record_create(actor=actor, instance=row)
            elif row.working_days != value:
                before = audit.snapshot(row)
                row.working_days = value
                row.save()
                audit.record_update(actor=actor, instance=row, before=before)
    return list(RegimeDeadline.objects.filter(regime=regime).order_by("working_days"))


def template_update(*, actor: Any, template: ReportTemplate, **fields: Any) -> ReportTemplate:
    return _update(template, actor=actor, fields=_only(fields, TEMPLATE_FIELDS))


def template_deactivate(*, actor: Any, template: ReportTemplate) -> ReportTemplate:
    """Stop using *template* for new reports; it stays, with what was reported on it."""
    return _update(template, actor=actor, fields={"active": False})


def template_new_version(
    *,
    actor: Any,
    template: ReportTemplate,
    effective_from: dt.date,
    name: str | None = None,
) -> ReportTemplate:
    """A copy of *template* (its sections, indicators and rules) as the regime's next
    version, applying from *effective_from*; the old version stays as it was, so the
    reports made on it keep their meaning. Edit the copy, then deactivate the old one."""
    policies.require_manage_regimes(actor)
    with transaction.atomic():
        # The regime's row serializes two administrators numbering a version at once.
        Regime.objects.select_for_update().filter(pk=template.regime_id).first()
        last = ReportTemplate.objects.filter(regime_id=template.regime_id).aggregate(
            v=Max("version")
        )["v"]
        copy = _checked(
            ReportTemplate(
                regime_id=template.regime_id,
                name=name or template.name,
                version=(last or 0) + 1,
                effective_from=effective_from,
                active=True,
            )
        )
        copy.save()
        audit.record_create(actor=actor, instance=copy)
        sections: dict[int, Section] = {}
        for old_section in template.sections.order_by("order", "pk"):
            new_section = Section(
                template=copy,
                order=old_section.order,
                title=old_section.title,
                guidance=old_section.guidance,
            )
            new_section.save()
            sections[old_section.pk] = new_section
        indicators: dict[int, Indicator] = {}
        for old in template.indicators.order_by("order", "pk"):
            new = Indicator(
                template=copy,
                section=sections.get(old.section_id) if old.section_id else None,
                **{f: getattr(old, f) for f in INDICATOR_FIELDS if f != "section"},
            )
            new.save()
            indicators[old.pk] = new
        for rule in template.rules.order_by("pk"):
            ValidationRule(
                template=copy,
                left=indicators[rule.left_id],
                operator=rule.operator,
                right=indicators[rule.right_id],
                message=rule.message,
            ).save()
    return copy


def section_update(*, actor: Any, section: Section, **fields: Any) -> Section:
    return _update(section, actor=actor, fields=_only(fields, SECTION_FIELDS))


def section_delete(*, actor: Any, section: Section) -> None:
    """Remove a section; its indicators stay in the template, outside any section."""
    _delete(section, actor=actor)


def indicator_update(*, actor: Any, indicator: Indicator, **fields: Any) -> Indicator:
    return _update(indicator, actor=actor, fields=_only(fields, INDICATOR_FIELDS))


def indicator_delete(*, actor: Any, indicator: Indicator) -> None:
    """Remove an indicator and the rules that compare it."""
    _delete(indicator, actor=actor)


def validation_rule_update(*, actor: Any, rule: ValidationRule, **fields: Any) -> ValidationRule:
    return _update(rule, actor=actor, fields=_only(fields, RULE_FIELDS))


def validation_rule_delete(*, actor: Any, rule: ValidationRule) -> None:
    _delete(rule, actor=actor)


def _delete(instance: models.Model, *, actor: Any) -> None:
    policies.require_manage_regimes(actor)
    try:
        with transaction.atomic():
            audit.record_delete(actor=actor, instance=instance)
            instance.delete()
    except ProtectedError:
        # A row that reports were made on (a later slice's figures protect it): the
        # template's next version is where it changes.
        raise DomainError(
            ReportsError.IN_USE,
            _(
                "“%(name)s” đã được dùng trong các kỳ báo cáo nên không xoá được; "
                "tạo phiên bản mới của mẫu báo cáo rồi sửa trên phiên bản đó."
            )
            % {"name": instance},
        ) from None
