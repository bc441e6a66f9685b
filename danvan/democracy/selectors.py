"""Reads of citizens' decisions for the officer pages: matters and votes in sight, the
tally to show, and the outcome explained with the exact thresholds (rules.py).

A matter or vote out of the reader's sight is reported exactly like a missing one.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.core.errors import NotFound
from danvan.units.models import Unit, UnitKind

from . import rules, services
from .models import Matter, Method, Outcome, Vote

# -- matters and votes in sight ------------------------------------------------------------


def matters_under(*, user: Any, unit: Unit | None) -> QuerySet[Matter]:
    """Matters *user* may read under *unit* (None: everywhere they may read), newest first,
    each annotated with its latest vote's method and outcome (latest_method, latest_outcome)."""
    latest = Vote.objects.filter(matter=OuterRef("pk")).order_by("-opened_on", "-id")
    rows = Matter.objects.filter(policies.scope_q(user, Perm.DEMOCRACY_VIEW, "unit__"))
    if unit is not None:
        rows = rows.filter(policies.subtree_q(unit, "unit__"))
    return (
        rows.select_related("unit", "unit__parent")
        .annotate(
            latest_method=Subquery(latest.values("method")[:1]),
            latest_outcome=Subquery(latest.values("outcome")[:1]),
        )
        .order_by("-raised_on", "-id")
    )


def matter_get(*, user: Any, public_id: uuid.UUID) -> Matter:
    matter = (
        Matter.objects.select_related("unit", "unit__parent").filter(public_id=public_id).first()
    )
    if matter is None or not policies.has_perm(user, Perm.DEMOCRACY_VIEW, matter.unit):
        raise NotFound(_("Không tìm thấy việc dân quyết định."))
    return matter


def matter_votes(matter: Matter) -> list[Vote]:
    return list(matter.votes.select_related("follows").order_by("-opened_on", "-id"))


def vote_get(*, user: Any, public_id: uuid.UUID) -> Vote:
    vote = (
        Vote.objects.select_related("matter__unit__parent", "follows")
        .filter(public_id=public_id)
        .first()
    )
    if vote is None or not policies.has_perm(user, Perm.DEMOCRACY_VIEW, vote.matter.unit):
        raise NotFound(_("Không tìm thấy cuộc biểu quyết."))
    return vote


def manageable_villages(user: Any) -> QuerySet[Unit]:
    """Active villages (thôn, tổ dân phố) where *user* may raise matters."""
    return (
        Unit.objects.filter(kind=UnitKind.VILLAGE, valid_to__isnull=True)
        .filter(policies.scope_q(user, Perm.DEMOCRACY_MANAGE))
        .select_related("parent")
        .order_by("parent__name", "name")
    )


# -- the tally and the outcome explained ---------------------------------------------------


def share(count: int, total: int) -> str:
    """*count* of *total* households as an exact fraction and a percent with two decimals,
    truncated, never rounded: share(2, 3) == "2/3 hộ (66,66%)"."""
    hundredths = count * 10000 // total if total else 0
    return _("%(n)s/%(total)s hộ (%(whole)s,%(frac)s%%)") % {
        "n": count,
        "total": total,
        "whole": hundredths // 100,
        "frac": f"{hundredths % 100:02d}",
    }


@dataclass(frozen=True)
class Tally:
    total: int
    present: int
    agree: int
    disagree: int
    live: bool  # counted now from the online ballots, the vote still open

    @property
    def valid(self) -> bool:
        return rules.is_valid(total=self.total, present=self.present)

    @property
    def passed(self) -> bool:
        return rules.is_passed(total=self.total, agree=self.agree)

    @property
    def outcome(self) -> str:
        return rules.outcome(total=self.total, present=self.present, agree=self.agree)

    @property
    def present_share(self) -> str:
        return share(self.present, self.total)

    @property
    def agree_share(self) -> str:
        return share(self.agree, self.total)

    @property
    def disagree_share(self) -> str:
        return share(self.disagree, self.total)

    @property
    def explanation(self) -> str:
        return explain(total=self.total, present=self.present, agree=self.agree)


def vote_tally(vote: Vote) -> Tally:
    """The numbers to show: the live count of an open online vote, else the recorded ones."""
    if vote.method == Method.ONLINE and vote.is_open:
        present, agree, disagree = services.live_tally(vote)
        return Tally(vote.households_total, present, agree, disagree, live=True)
    return Tally(vote.households_total, vote.households_present, vote.agree, vote.disagree, False)


def explain(*, total: int, present: int, agree: int) -> str:
    """Why the outcome is what it is, in exact fractions of ALL households, e.g.
    "Hợp lệ: 3/5 hộ tham gia (> 1/2 tổng số hộ). Được thông qua: 3/5 hộ đồng ý
    (> 1/2 tổng số hộ)."."""
    numbers = {"n": present, "total": total}
    if not rules.is_valid(total=total, present=present):
        return (
            _(
                "Không hợp lệ: %(n)s/%(total)s hộ tham gia (không quá 1/2 tổng số hộ); "
                "cần tổ chức lại hoặc phát phiếu lấy ý kiến hộ gia đình."
            )
            % numbers
        )
    valid = _("Hợp lệ: %(n)s/%(total)s hộ tham gia (> 1/2 tổng số hộ).") % numbers
    numbers = {"n": agree, "total": total}
    if rules.is_passed(total=total, agree=agree):
        result = _("Được thông qua: %(n)s/%(total)s hộ đồng ý (> 1/2 tổng số hộ).") % numbers
    else:
        result = (
            _("Không được thông qua: %(n)s/%(total)s hộ đồng ý (không quá 1/2 tổng số hộ).")
            % numbers
        )
    return f"{valid} {result}"


def outcome_label(outcome: str) -> str:
    return str(Outcome(outcome).label)


def closed_votes(matter: Matter) -> QuerySet[Vote]:
    """Earlier votes of *matter* a new one may follow (reconvened after an invalid one)."""
    return matter.votes.filter(closed_at__isnull=False).order_by("-opened_on", "-id")
