"""Demo data of citizens' decisions: a year of village meetings and household ballots in
the demo commune, some invalid and decided again, through the real services."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from danvan.accounts.models import User
from danvan.units.demo import COMMUNE_CODES
from danvan.units.models import Unit, UnitKind

from . import services
from .models import Matter, Method, Outcome, Vote

SEED = 20261124
_MATTERS = [
    ("contribution", "Đóng góp làm đường bê tông nội thôn"),
    ("charter", "Sửa đổi, bổ sung hương ước thôn"),
    ("community_fund", "Thu, chi quỹ khuyến học của thôn"),
    ("village_head", "Bầu trưởng thôn nhiệm kỳ mới"),
]


@dataclass
class DemocracyDemoResult:
    matters: int = 0
    votes: int = 0
    invalid: int = 0


def _meeting(
    rng: random.Random,
    *,
    actor: User,
    matter: Matter,
    day: dt.date,
    method: str,
    place: str = "",
    follows: Vote | None = None,
) -> str:
    vote = services.vote_open(
        actor=actor,
        matter=matter,
        method=method,
        opened_on=day,
        chair="Trưởng thôn",
        place=place,
        follows=follows,
    )
    total = vote.households_total
    # Now and then too few households come: the meeting is not valid.
    share = rng.choice([0.35, 0.62, 0.7, 0.81, 0.9]) if method == Method.MEETING else 0.85
    present = min(total, int(total * share))
    agree = min(present, int(present * rng.uniform(0.55, 0.95)))
    services.vote_record_tally(
        actor=actor, vote=vote, present=present, agree=agree, disagree=present - agree
    )
    vote = services.vote_close(actor=actor, vote=vote)
    services.vote_publish(actor=actor, vote=vote)
    if vote.outcome == Outcome.INVALID:
        # An invalid meeting is followed by a household ballot (domain.md §3).
        _meeting(
            rng,
            actor=actor,
            matter=matter,
            day=day + dt.timedelta(days=14),
            method=Method.BALLOT,
            follows=vote,
        )
    return vote.outcome


@transaction.atomic
def demo_seed_democracy() -> DemocracyDemoResult:
    result = DemocracyDemoResult()
    commune = Unit.objects.filter(code=COMMUNE_CODES[0]).first()
    actor = User.objects.filter(username="xa.canbo").first()
    if commune is None or actor is None:
        return result
    villages = list(
        Unit.objects.filter(
            parent=commune, kind=UnitKind.VILLAGE, households__gt=0, valid_to__isnull=True
        ).order_by("code")
    )
    if not villages or Matter.objects.filter(unit__in=villages).exists():
        return result
    rng = random.Random(SEED)  # noqa: S311 — demo data, not secrets
    today = timezone.localdate()
    for n, village in enumerate(villages):
        for kind, title in rng.sample(_MATTERS, 2):
            raised = today - dt.timedelta(days=rng.randint(40, 330))
            matter = services.matter_raise(
                actor=actor, unit=village, kind=kind, title=title, raised_on=raised
            )
            result.matters += 1
            before = matter.votes.count()
            outcome = _meeting(
                rng,
                actor=actor,
                matter=matter,
                day=raised + dt.timedelta(days=7),
                method=Method.MEETING,
                place=f"Nhà văn hoá {village.name}",
            )
            result.votes += matter.votes.count() - before
            result.invalid += outcome == Outcome.INVALID
        if n == 0:
            # An online vote open now (codes are issued from the vote's page).
            matter = services.matter_raise(
                actor=actor,
                unit=village,
                kind="charter",
                title="Biểu quyết trực tuyến quy ước giữ gìn vệ sinh môi trường",
                raised_on=today,
            )
            services.vote_open(
                actor=actor,
                matter=matter,
                method=Method.ONLINE,
                opened_on=today,
                closes_on=today + dt.timedelta(days=7),
            )
            result.matters += 1
            result.votes += 1
    return result
