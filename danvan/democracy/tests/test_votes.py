"""Citizens' votes: the >50%-of-all-households rules on their boundaries, one vote per
household, one-time codes, and bad tallies refused with nothing recorded."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from danvan.accounts.models import Role, User
from danvan.accounts.testing import make_user
from danvan.core.errors import DomainError, PermissionDenied
from danvan.democracy import rules, services
from danvan.democracy.models import HouseholdBallot, Matter, Method, Outcome, Vote, VoteCode
from danvan.units import services as unit_services
from danvan.units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2026, 5, 10, 9, 0, tzinfo=HCM)


@pytest.mark.parametrize(
    ("total", "present", "agree", "expected"),
    [
        (100, 50, 50, Outcome.INVALID),  # exactly half present: not more than half
        (100, 51, 50, Outcome.FAILED),  # valid, but exactly half agree
        (100, 51, 51, Outcome.PASSED),  # 50% + 1 household
        (101, 50, 50, Outcome.INVALID),  # one fewer household present than needed
        (101, 51, 50, Outcome.FAILED),  # 50 of 101 is less than half
        (101, 51, 51, Outcome.PASSED),  # 51 of 101 is more than half
        (100, 100, 50, Outcome.FAILED),  # half of ALL households, not of those present
        (1, 1, 1, Outcome.PASSED),
        (3, 1, 1, Outcome.INVALID),
    ],
)
def test_thresholds_compare_exactly_with_half_of_all_households(
    total: int, present: int, agree: int, expected: str
) -> None:
    assert rules.outcome(total=total, present=present, agree=agree) == expected


@pytest.fixture
def village(commune: Unit) -> Unit:
    return unit_services.unit_create(
        actor=None, parent=commune, kind=UnitKind.VILLAGE, name="Thôn Đồng Tâm", households=5
    )


@pytest.fixture
def village_officer(commune: Unit) -> User:
    return make_user("canbo-thon", Role.OFFICER, commune)


@pytest.fixture
def matter(village: Unit, village_officer: User) -> Matter:
    with time_machine.travel(NOW, tick=False):
        return services.matter_raise(
            actor=village_officer,
            unit=village,
            kind="charter",
            title="Sửa đổi hương ước thôn Đồng Tâm",
            raised_on=dt.date(2026, 5, 1),
        )


@time_machine.travel(NOW, tick=False)
def test_online_vote_one_household_one_vote_and_codes_work_once(
    matter: Matter, village_officer: User, village: Unit
) -> None:
    vote = services.vote_open(
        actor=village_officer,
        matter=matter,
        method=Method.ONLINE,
        opened_on=dt.date(2026, 5, 10),
        closes_on=dt.date(2026, 5, 12),
    )
    # The household count is the village's when the vote opens, and stays with the vote.
    village.households = 9
    village.save()
    assert Vote.objects.get(pk=vote.pk).households_total == 5
    codes = dict(
        services.vote_issue_codes(
            actor=village_officer, vote=vote, households=["H1", "H2", "H3", "H4", "H5"]
        )
    )
    assert VoteCode.objects.filter(vote=vote).count() == 5
    assert not VoteCode.objects.filter(code_hash__in=list(codes.values())).exists()  # hashed
    for household in ("H1", "H2", "H3"):
        services.vote_cast_online(vote=vote, code=codes[household].lower(), choice="agree")
    for bad, error in (
        (codes["H1"], "democracy_used_code"),  # a code works once
        ("ABCDE-FGHJK", "democracy_bad_code"),  # forged
    ):
        with pytest.raises(DomainError) as exc:
            services.vote_cast_online(vote=vote, code=bad, choice="disagree")
        assert exc.value.code == error
    assert HouseholdBallot.objects.filter(vote=vote).count() == 3
    vote = services.vote_close(actor=village_officer, vote=vote)
    assert (vote.households_present, vote.agree, vote.outcome) == (3, 3, Outcome.PASSED)
    with pytest.raises(DomainError) as exc:  # an expired code: the vote is closed
        services.vote_cast_online(vote=vote, code=codes["H4"], choice="agree")
    assert exc.value.code == "democracy_vote_closed"
    assert HouseholdBallot.objects.filter(vote=vote).count() == 3


@time_machine.travel(NOW, tick=False)
def test_bad_tallies_and_dates_are_refused_and_record_nothing(
    matter: Matter, village_officer: User
) -> None:
    with pytest.raises(DomainError) as exc:
        services.vote_open(
            actor=village_officer,
            matter=matter,
            method=Method.MEETING,
            opened_on=dt.date(2026, 4, 30),  # before the matter was raised
        )
    assert exc.value.code == "democracy_bad_date"
    assert not Vote.objects.exists()
    meeting = services.vote_open(
        actor=village_officer, matter=matter, method=Method.MEETING, opened_on=dt.date(2026, 5, 9)
    )
    for present, agree, disagree in ((6, 3, 0), (3, 3, 1), (-1, 0, 0)):
        with pytest.raises(DomainError) as exc:
            services.vote_record_tally(
                actor=village_officer, vote=meeting, present=present, agree=agree, disagree=disagree
            )
        assert exc.value.code == "democracy_bad_tally"
    fresh = Vote.objects.get(pk=meeting.pk)
    assert (fresh.households_present, fresh.agree, fresh.disagree) == (0, 0, 0)
    # Two of five households came: the meeting is not valid; a household ballot follows.
    services.vote_record_tally(actor=village_officer, vote=meeting, present=2, agree=2, disagree=0)
    meeting = services.vote_close(actor=village_officer, vote=meeting)
    assert meeting.outcome == Outcome.INVALID
    ballot = services.vote_open(
        actor=village_officer,
        matter=matter,
        method=Method.BALLOT,
        opened_on=dt.date(2026, 5, 10),
        follows=meeting,
    )
    services.vote_record_tally(actor=village_officer, vote=ballot, present=4, agree=2, disagree=2)
    assert services.vote_close(actor=village_officer, vote=ballot).outcome == Outcome.FAILED


@time_machine.travel(NOW, tick=False)
def test_only_officers_of_the_commune_open_votes(matter: Matter, sibling_commune: Unit) -> None:
    outsider = make_user("canbo-xa-khac", Role.OFFICER, sibling_commune)
    with pytest.raises(DomainError) as exc:
        services.vote_open(
            actor=outsider, matter=matter, method=Method.MEETING, opened_on=dt.date(2026, 5, 9)
        )
    assert exc.value.status_code == 404  # out of sight answers like missing
    leader = make_user("lanhdao-xa", Role.LEADER, matter.unit.parent)
    with pytest.raises(PermissionDenied):
        services.vote_open(
            actor=leader, matter=matter, method=Method.MEETING, opened_on=dt.date(2026, 5, 9)
        )
