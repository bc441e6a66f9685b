"""Reads of the spreadsheet import: jobs and the units a user may import into, scoped."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.core.errors import NotFound
from danvan.units.models import Unit

from ..models import Field, ImportJob

# The value of the "whole country" choice (not a unit code: codes have no "*").
NATIONAL = "*"
RECENT_JOBS = 20


def import_targets(actor: Any) -> list[tuple[str, str]]:
    """(value, label) of the units *actor* may import into: the units of their grants that
    carry MOVEMENT_EDIT; a national grant adds the whole country and every province,
    historical ones included (to load their past years)."""
    if policies.has_perm(actor, Perm.MOVEMENT_EDIT, None):
        roots = Unit.objects.filter(parent__isnull=True).order_by("valid_to", "name")
        choices = [(NATIONAL, _("Toàn quốc (mọi đơn vị, kể cả đơn vị đã sáp nhập)"))]
        for unit in roots:
            label = unit.name
            if unit.valid_to is not None:
                label = _("%(name)s (đã sáp nhập)") % {"name": unit.name}
            choices.append((unit.code, f"{label} — {unit.code}"))
        return choices
    units: dict[int, Unit] = {}
    for grant in policies.grants_of(actor):
        if grant.unit is not None and Perm.MOVEMENT_EDIT in policies.ROLE_PERMS[grant.role]:
            units[grant.unit.pk] = grant.unit
    return [(u.code, f"{u.name} — {u.code}") for u in sorted(units.values(), key=lambda u: u.path)]


def import_target(actor: Any, value: str) -> Unit | None:
    """The unit a target choice names (None: the whole country); NotFound when it is not
    one of *actor*'s targets."""
    if value not in {v for v, _label in import_targets(actor)}:
        raise NotFound()
    if value == NATIONAL:
        return None
    unit = Unit.objects.filter(code=value).first()
    if unit is None:
        raise NotFound()
    return unit


def job_list(*, actor: Any) -> QuerySet[ImportJob]:
    """The actor's own recent import jobs, newest first."""
    if not getattr(actor, "is_authenticated", False):
        return ImportJob.objects.none()
    return (
        ImportJob.objects.filter(created_by=actor)
        .select_related("unit")
        .order_by("-created_at", "-id")[:RECENT_JOBS]
    )


def may_see_job(actor: Any, job: ImportJob) -> bool:
    return policies.has_perm(actor, Perm.MOVEMENT_VIEW, job.unit)


def job_get(*, actor: Any, public_id: Any) -> ImportJob:
    """A job whose unit *actor* may see the entries of (a national job: a national
    grant); any other answers like a missing one."""
    job = (
        ImportJob.objects.select_related("unit", "created_by", "started_by")
        .filter(public_id=public_id)
        .first()
    )
    if job is None or not may_see_job(actor, job):
        raise NotFound(_("Không tìm thấy lượt nhập."), code="import_not_found")
    return job


def earlier_imports_of(job: ImportJob) -> list[ImportJob]:
    """Finished imports of the same file content into the same unit (shown as a note:
    importing again is harmless, it creates no duplicates)."""
    return list(
        ImportJob.objects.filter(sha256=job.sha256, unit=job.unit, state=ImportJob.State.DONE)
        .exclude(pk=job.pk)
        .order_by("-created_at")[:3]
    )


def template_fields() -> list[tuple[str, str]]:
    """(code, name) of the fields in use, for the template's lists."""
    return list(Field.objects.filter(is_active=True).values_list("code", "name"))
