"""Writes of report regimes and templates. Each runs the model's checks (clean()),
raises them as the project's DomainError (every refusal at once, nothing written), and
records the change in the audit trail with the acting user."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction

from danvan.audit import services as audit
from danvan.core.errors import Checks

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
