"""Who may do what in a report campaign: named predicates over accounts.policies, with
the reports' own permissions (accounts.policies.Perm.REPORT_*):

- open and close a campaign: REPORT_CAMPAIGN on the owner unit (a unit administrator of
  the province, or a system administrator);
- read a report: REPORT_VIEW on its unit (the levels above read their units' reports;
  every reading role: officers, leaders, inspectors, reviewers);
- edit, refresh, submit, ask to reopen: REPORT_PREPARE through a grant on the report's
  own unit. A grant covers its subtree, so an officer of the level above holds it on
  every unit below: here that is not enough, since a parent must not write a child's
  report (issue 13, item 2); it returns the report instead;
- review (approve, return, grant or refuse a reopen): REPORT_REVIEW on the reviewing
  unit (selectors.reviewer_unit: the level above in the campaign).
"""

from __future__ import annotations

from typing import Any

from danvan.accounts import policies
from danvan.accounts.policies import ROLE_PERMS, Perm
from danvan.units.models import Unit

from .models import Campaign, Report

OPEN_PERM = Perm.REPORT_CAMPAIGN
VIEW_PERM = Perm.REPORT_VIEW
EDIT_PERM = Perm.REPORT_PREPARE
REVIEW_PERM = Perm.REPORT_REVIEW


def can_open(user: Any, owner_unit: Unit) -> bool:
    return policies.has_perm(user, OPEN_PERM, owner_unit)


def can_close(user: Any, campaign: Campaign) -> bool:
    return policies.has_perm(user, OPEN_PERM, campaign.owner_unit)


def can_view_campaign(user: Any, campaign: Campaign) -> bool:
    return policies.has_perm(user, VIEW_PERM, campaign.owner_unit)


def can_view(user: Any, report: Report) -> bool:
    return policies.has_perm(user, VIEW_PERM, report.unit)


def is_own_unit(user: Any, perm: Perm, unit: Unit) -> bool:
    """Does *user* hold *perm* through a grant on *unit* itself (not one above it)?"""
    if not policies.has_perm(user, perm, unit):  # also refuses ended units
        return False
    return any(
        g.unit_id == unit.pk and perm in ROLE_PERMS[g.role] for g in policies.grants_of(user)
    )


def can_edit(user: Any, report: Report) -> bool:
    return is_own_unit(user, EDIT_PERM, report.unit)


def can_review(user: Any, report: Report, reviewer: Unit) -> bool:
    return policies.has_perm(user, REVIEW_PERM, reviewer)
