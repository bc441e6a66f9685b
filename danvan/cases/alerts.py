"""Overdue is never silent: the daily sweep marks cases due soon and overdue, and each
leader whose subtree has pending cases gets one digest (none when nothing is pending)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from danvan.accounts.models import Role, RoleGrant
from danvan.accounts.policies import subtree_q

from .models import Alert, Case, Status


@dataclass(frozen=True)
class SweepResult:
    overdue: int
    due_soon: int
    cleared: int


@transaction.atomic
def sweep_deadlines(*, today: dt.date) -> SweepResult:
    """Set each open case's alert from its due date: three set-based UPDATEs, each
    touching only the rows whose alert changes (index case_open_due)."""
    soon = today + dt.timedelta(days=settings.CASES_DUE_SOON_DAYS)
    running = Case.objects.filter(is_open=True).exclude(status=Status.PAUSED)
    overdue = running.filter(due_date__lt=today).exclude(alert=Alert.OVERDUE)
    due_soon = running.filter(due_date__gte=today, due_date__lte=soon).exclude(alert=Alert.DUE_SOON)
    # Extended, paused or re-dated cases lose an alert that no longer holds.
    cleared = Case.objects.filter(is_open=True).exclude(alert=Alert.NONE)
    cleared = cleared.filter(Q(due_date__gt=soon) | Q(status=Status.PAUSED))
    return SweepResult(
        overdue=overdue.update(alert=Alert.OVERDUE),
        due_soon=due_soon.update(alert=Alert.DUE_SOON),
        cleared=cleared.update(alert=Alert.NONE),
    )


@dataclass(frozen=True)
class Digest:
    grant_id: int  # one digest per leader grant and day (the job's key, cases.tasks)
    to: str
    unit_name: str
    overdue: int
    due_soon: int
    oldest: list[tuple[str, str, dt.date]]  # reference, pseudonymous subject line, due

    def render(self) -> tuple[str, str]:
        subject = _("[danvan] %(unit)s: %(o)s vụ việc quá hạn, %(s)s sắp đến hạn") % {
            "unit": self.unit_name,
            "o": self.overdue,
            "s": self.due_soon,
        }
        lines = [
            _("Vụ việc đang chờ giải quyết trong %(unit)s:") % {"unit": self.unit_name},
            _("- Quá hạn: %(n)s") % {"n": self.overdue},
            _("- Sắp đến hạn: %(n)s") % {"n": self.due_soon},
            "",
            _("Hạn sớm nhất:"),
        ]
        lines += [f"  {ref} — {kind} — {due:%d/%m/%Y}" for ref, kind, due in self.oldest]
        return subject, "\n".join(lines)


def leader_digests() -> list[Digest]:
    """One digest per leader grant whose subtree has overdue or due-soon cases.

    Cases appear by reference and kind only: no sender, no content (domain.md §5, §7).
    """
    digests: list[Digest] = []
    grants = (
        RoleGrant.objects.filter(role=Role.LEADER, unit__isnull=False, user__is_active=True)
        .exclude(user__email="")
        .select_related("unit", "user")
    )
    for grant in grants:
        assert grant.unit is not None
        pending = Case.objects.filter(subtree_q(grant.unit, "unit__"), is_open=True).exclude(
            alert=Alert.NONE
        )
        counts = pending.aggregate(
            overdue=Count("id", filter=Q(alert=Alert.OVERDUE)),
            due_soon=Count("id", filter=Q(alert=Alert.DUE_SOON)),
        )
        if not counts["overdue"] and not counts["due_soon"]:
            continue  # no empty e-mails
        oldest = [
            (c.reference, c.get_kind_display(), c.due_date)
            for c in pending.order_by("due_date", "id")[:10]
            if c.due_date is not None
        ]
        digests.append(
            Digest(
                grant_id=grant.pk,
                to=grant.user.email,
                unit_name=grant.unit.name,
                overdue=counts["overdue"],
                due_soon=counts["due_soon"],
                oldest=oldest,
            )
        )
    return digests
