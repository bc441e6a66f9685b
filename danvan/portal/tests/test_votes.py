"""Households vote online on the portal with one-time codes; published results show only
the counts. Anonymous pages, one vote per code, refusals in Vietnamese, 404 for votes not
on the portal, and a rate limit on casting."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from danvan.accounts.models import Role, User
from danvan.accounts.testing import make_user
from danvan.democracy import services
from danvan.democracy.models import HouseholdBallot, Matter, Method, Outcome, Vote, VoteCode
from danvan.units import services as unit_services
from danvan.units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2026, 5, 10, 9, 0, tzinfo=HCM)
HOUSEHOLDS = ("Hộ Nguyễn Văn Tám", "Hộ Trần Thị Chín", "Hộ Lê Văn Mười")


@pytest.fixture(autouse=True)
def _frozen_now() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def village(commune: Unit) -> Unit:
    return unit_services.unit_create(
        actor=None, parent=commune, kind=UnitKind.VILLAGE, name="Thôn Đồng Tâm", households=5
    )


@pytest.fixture
def officer(commune: Unit) -> User:
    return make_user("canbo-bieuquyet", Role.OFFICER, commune)


@pytest.fixture
def matter(village: Unit, officer: User) -> Matter:
    return services.matter_raise(
        actor=officer,
        unit=village,
        kind="contribution",
        title="Đóng góp làm đường bê tông thôn Đồng Tâm",
        description="Mỗi hộ góp 500.000 đồng, Nhà nước hỗ trợ xi măng.",
        raised_on=dt.date(2026, 5, 1),
    )


@pytest.fixture
def online(matter: Matter, officer: User) -> Vote:
    return services.vote_open(
        actor=officer,
        matter=matter,
        method=Method.ONLINE,
        opened_on=dt.date(2026, 5, 9),
        closes_on=dt.date(2026, 5, 12),
    )


@pytest.fixture
def codes(online: Vote, officer: User) -> dict[str, str]:
    return dict(services.vote_issue_codes(actor=officer, vote=online, households=HOUSEHOLDS))


def page(vote: Vote) -> str:
    return reverse("portal:vote", args=[vote.public_id])


def cast(client: Client, vote: Vote, code: str, choice: str = "agree", **extra: Any) -> Any:
    return client.post(page(vote), {"code": code, "choice": choice}, **extra)


def assert_light(html: str) -> None:
    assert 'lang="vi"' in html
    assert " style=" not in html
    assert not re.search(r"\son[a-z]+=", html)
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html)
    assert not any(h in html for h in HOUSEHOLDS)


def test_open_vote_is_listed_and_shown_to_an_anonymous_visitor(
    client: Client, online: Vote, codes: dict[str, str], commune: Unit, village: Unit
) -> None:
    listing = client.get(reverse("portal:votes"))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert_light(html)
    assert online.matter.title in html
    assert village.name in html
    assert commune.name in html
    assert "Đóng góp xây dựng công trình công cộng" in html
    assert page(online) in html

    detail = client.get(page(online))
    assert detail.status_code == 200
    html = detail.content.decode()
    assert_light(html)
    assert "Mỗi hộ góp 500.000 đồng" in html
    assert "09/05/2026" in html
    assert "12/05/2026" in html
    assert 'name="code"' in html
    assert 'value="agree"' in html
    assert 'value="disagree"' in html
    assert "Đồng ý" in html
    assert "Không đồng ý" in html
    assert "biểu quyết một lần" in html


def test_list_filters_by_place(
    client: Client, online: Vote, thai_nguyen: Unit, commune: Unit, sibling_commune: Unit
) -> None:
    here = client.get(
        reverse("portal:votes"), {"province": thai_nguyen.code, "commune": commune.code}
    )
    assert online.matter.title in here.content.decode()
    there = client.get(
        reverse("portal:votes"), {"province": thai_nguyen.code, "commune": sibling_commune.code}
    )
    assert online.matter.title not in there.content.decode()
    other_province = client.get(reverse("portal:votes"), {"province": "01"})
    assert online.matter.title not in other_province.content.decode()


def test_a_household_votes_once_with_its_code(
    client: Client, online: Vote, codes: dict[str, str]
) -> None:
    code = codes[HOUSEHOLDS[0]]
    response = cast(client, online, code.lower(), "disagree")
    assert response.status_code == 302
    assert response["Location"] == page(online)
    ballot = HouseholdBallot.objects.get()
    assert ballot.vote == online
    assert ballot.household == HOUSEHOLDS[0]
    assert ballot.choice == "disagree"
    assert VoteCode.objects.get(household=HOUSEHOLDS[0]).used_at is not None

    thanks = client.get(page(online))
    html = thanks.content.decode()
    assert thanks.status_code == 200
    assert "Đã ghi nhận biểu quyết" in html
    # It does not say how the household voted, nor which household it was.
    assert "Không đồng ý" not in html
    assert 'name="code"' not in html
    assert_light(html)
    # Shown once: a reload (or the next person at this computer) gets the form back.
    assert 'name="code"' in client.get(page(online)).content.decode()

    # The same code again: refused in Vietnamese, nothing more recorded.
    again = cast(client, online, code, "agree")
    assert again.status_code == 400
    html = again.content.decode()
    assert "Mã này đã được dùng để biểu quyết." in html
    assert "error-summary" in html
    assert code not in html  # the code is not handed back
    assert_light(html)
    assert HouseholdBallot.objects.count() == 1
    assert HouseholdBallot.objects.get().choice == "disagree"


def test_forged_or_missing_code_and_missing_choice_are_refused(
    client: Client, online: Vote, codes: dict[str, str]
) -> None:
    forged = cast(client, online, "ABCDE-FGHJK")
    assert forged.status_code == 400
    assert "Mã biểu quyết không đúng" in forged.content.decode()
    empty = client.post(page(online), {"code": "", "choice": ""})
    html = empty.content.decode()
    assert empty.status_code == 400
    assert "Nhập mã biểu quyết" in html
    assert "Chọn Đồng ý hoặc Không đồng ý." in html
    assert not HouseholdBallot.objects.exists()
    assert not VoteCode.objects.filter(used_at__isnull=False).exists()


def test_after_closing_a_code_no_longer_works_and_the_vote_leaves_the_portal(
    client: Client, online: Vote, codes: dict[str, str], officer: User
) -> None:
    services.vote_close(actor=officer, vote=online)
    late = cast(client, online, codes[HOUSEHOLDS[1]])
    assert late.status_code == 400
    html = late.content.decode()
    assert "Cuộc biểu quyết này đã kết thúc." in html
    assert 'name="code"' not in html
    assert_light(html)
    assert not HouseholdBallot.objects.exists()
    assert not VoteCode.objects.filter(used_at__isnull=False).exists()
    # Closed but not published: not on the portal.
    assert client.get(page(online)).status_code == 404
    assert online.matter.title not in client.get(reverse("portal:votes")).content.decode()


def test_a_vote_past_its_end_date_takes_no_more_votes(
    client: Client, online: Vote, codes: dict[str, str]
) -> None:
    with time_machine.travel(dt.datetime(2026, 5, 13, 8, 0, tzinfo=HCM), tick=False):
        assert client.get(page(online)).status_code == 404
        late = cast(client, online, codes[HOUSEHOLDS[0]])
        assert late.status_code == 400
        assert "đã kết thúc" in late.content.decode()
    assert not HouseholdBallot.objects.exists()


def test_votes_not_on_the_portal_answer_404(client: Client, matter: Matter, officer: User) -> None:
    meeting = services.vote_open(
        actor=officer, matter=matter, method=Method.MEETING, opened_on=dt.date(2026, 5, 10)
    )
    later = services.vote_open(
        actor=officer,
        matter=matter,
        method=Method.ONLINE,
        opened_on=dt.date(2026, 5, 20),
        closes_on=dt.date(2026, 5, 25),
    )
    for vote in (meeting, later):
        assert client.get(page(vote)).status_code == 404
        assert cast(client, vote, "ABCDE-FGHJK").status_code == 404
    missing = reverse("portal:vote", args=["6f1c1f9e-6a0e-4b8e-9a44-0e3c2b1d0a11"])
    assert client.get(missing).status_code == 404
    listing = client.get(reverse("portal:votes")).content.decode()
    assert matter.title not in listing


def test_published_result_shows_the_counts_and_never_a_household(
    client: Client, online: Vote, codes: dict[str, str], officer: User
) -> None:
    assert cast(client, online, codes[HOUSEHOLDS[0]], "agree").status_code == 302
    assert cast(client, online, codes[HOUSEHOLDS[1]], "agree").status_code == 302
    assert cast(client, online, codes[HOUSEHOLDS[2]], "disagree").status_code == 302
    services.vote_close(actor=officer, vote=online)
    services.vote_publish(actor=officer, vote=online)
    online.refresh_from_db()
    assert online.outcome == Outcome.FAILED  # 3 of 5 took part, but only 2 of 5 agree

    result = client.get(page(online))
    assert result.status_code == 200
    html = result.content.decode()
    assert_light(html)
    assert "Không được thông qua" in html
    text = re.sub(r"<[^>]+>", " ", html)
    text = " ".join(text.split())
    assert "Tổng số hộ gia đình 5" in text
    assert "Số hộ tham gia 3" in text
    assert "Số hộ đồng ý 2" in text
    assert "Số hộ không đồng ý 1" in text
    assert "Hợp lệ khi quá 1/2 tổng số hộ tham gia; thông qua khi quá 1/2 tổng số hộ đồng ý" in html
    assert 'name="code"' not in html

    listing = client.get(reverse("portal:votes"))
    html = listing.content.decode()
    assert_light(html)
    assert online.matter.title in html
    assert "Không được thông qua" in html
    # A published result takes no more votes.
    assert cast(client, online, "ABCDE-FGHJK").status_code == 400
    for name in ("home", "votes"):
        assert_light(client.get(reverse(f"portal:{name}")).content.decode())


def test_casting_is_rate_limited_per_address(
    client: Client, online: Vote, codes: dict[str, str]
) -> None:
    for _ in range(10):
        assert cast(client, online, "ABCDE-FGHJK").status_code == 400
    limited = cast(client, online, codes[HOUSEHOLDS[0]])
    assert limited.status_code == 429
    assert "Quá nhiều yêu cầu" in limited.content.decode()
    assert not HouseholdBallot.objects.exists()
    # Reading the page is not limited, and another address is not held back.
    assert client.get(page(online)).status_code == 200
    other = cast(client, online, codes[HOUSEHOLDS[0]], REMOTE_ADDR="192.0.2.99")
    assert other.status_code == 302
    assert HouseholdBallot.objects.count() == 1


# -- the short address of the slips ----------------------------------------------------------


def test_the_short_address_on_the_slips_leads_to_the_vote(
    client: Client, online: Vote, codes: dict[str, str]
) -> None:
    online.refresh_from_db()
    short = online.short_code
    assert short
    assert reverse("portal:vote_short", args=[short]) == f"/cong-dan/bq/{short}/"
    for typed in (short, short.lower(), f"{short[:3]}-{short[3:]}"):
        response = client.get(reverse("portal:vote_short", args=[typed]))
        assert response.status_code == 302
        assert response["Location"] == page(online)
    # The code is typed on the vote page (a POST form), never carried by the address.
    assert "code" not in response["Location"].lower()
    # The vote page takes the code by POST and the household votes.
    code = next(iter(codes.values()))
    cast = client.post(page(online), {"code": code, "choice": "agree"})
    assert cast.status_code == 302
    assert HouseholdBallot.objects.filter(vote=online).count() == 1


def test_an_unknown_short_address_is_404(client: Client, online: Vote) -> None:
    for typed in ("ZZZZZZ", "<script>", "a" * 50):
        assert client.get(reverse("portal:vote_short", args=[typed])).status_code == 404


def test_open_votes_of_a_unit(
    online: Vote, matter: Matter, officer: User, commune: Unit, sibling_commune: Unit
) -> None:
    from danvan.portal.votes.selectors import open_votes

    services.vote_open(
        actor=officer, matter=matter, method=Method.MEETING, opened_on=dt.date(2026, 5, 10)
    )
    assert [v.pk for v in open_votes(commune, limit=5)] == [online.pk]
    assert open_votes(sibling_commune, limit=5) == []
    services.vote_close(actor=officer, vote=online)
    assert open_votes(commune, limit=5) == []
