"""The officer's pages of grassroots democracy: who may see and act, the meeting and the
online paths through HTTP, bad input refused in Vietnamese with nothing changed, and a
list whose query count does not grow with its rows."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from danvan.accounts.models import Role, User
from danvan.accounts.testing import READ_SCOPED, Cast, login_verified, make_user, walk
from danvan.democracy import services
from danvan.democracy.models import Matter, Method, Outcome, Vote, VoteCode
from danvan.units import services as unit_services
from danvan.units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


def _village(commune: Unit, name: str = "Thôn Đồng Tâm", households: int = 5) -> Unit:
    return unit_services.unit_create(
        actor=None, parent=commune, kind=UnitKind.VILLAGE, name=name, households=households
    )


@pytest.fixture
def village(commune: Unit) -> Unit:
    return _village(commune)


@pytest.fixture
def cast(access_cast: Callable[..., Cast], commune: Unit) -> Cast:
    return access_cast(commune)


@pytest.fixture
def officer(cast: Cast) -> User:
    user = cast.users["same"]
    assert user is not None
    return user


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    def make(user: User) -> Client:
        client = Client()
        login_verified(client, user)
        return client

    return make


def _today() -> dt.date:
    return services.today()


@pytest.fixture
def matter(village: Unit, officer: User) -> Matter:
    return services.matter_raise(
        actor=officer,
        unit=village,
        kind="charter",
        title="Sửa đổi hương ước thôn Đồng Tâm",
        raised_on=_today() - dt.timedelta(days=10),
    )


@pytest.fixture
def meeting(matter: Matter, officer: User) -> Vote:
    return services.vote_open(
        actor=officer,
        matter=matter,
        method=Method.MEETING,
        opened_on=_today(),
        place="Nhà văn hóa thôn",
        chair="Nguyễn Văn Trưởng",
        secretary="Lê Thị Thư",
    )


@pytest.fixture
def closed_meeting(meeting: Vote, officer: User) -> Vote:
    services.vote_record_tally(actor=officer, vote=meeting, present=4, agree=3, disagree=1)
    return services.vote_close(actor=officer, vote=meeting)


# -- who may see ----------------------------------------------------------------------------


def test_access_walk_on_every_read(cast: Cast, commune: Unit, closed_meeting: Vote) -> None:
    matter = closed_meeting.matter
    # A unit typed in a list filter (the unit picker) out of sight is refused like a
    # missing one: the filter form comes back with the message (400).
    filtered = {**READ_SCOPED, "sibling": 400}
    walk(cast, f"{reverse('democracy:matters')}?unit={commune.code}", expect=filtered)
    walk(cast, reverse("democracy:matter", args=[matter.public_id]), expect=READ_SCOPED)
    walk(cast, reverse("democracy:vote", args=[closed_meeting.public_id]), expect=READ_SCOPED)
    walk(cast, reverse("democracy:vote_tally", args=[closed_meeting.public_id]), expect=READ_SCOPED)
    walk(cast, reverse("democracy:minutes", args=[closed_meeting.public_id]), expect=READ_SCOPED)


def test_the_list_shows_only_matters_in_sight(
    cast: Cast, commune: Unit, sibling_commune: Unit, matter: Matter
) -> None:
    other_officer = make_user("canbo-khac", Role.OFFICER, sibling_commune)
    services.matter_raise(
        actor=other_officer,
        unit=_village(sibling_commune, "Thôn Bên Cạnh"),
        kind="other",
        title="Việc của xã bên cạnh",
        raised_on=_today(),
    )
    page = cast.client("same").get(reverse("democracy:matters")).content.decode()
    assert matter.title in page
    assert "Việc của xã bên cạnh" not in page
    page = cast.client("admin").get(reverse("democracy:matters")).content.decode()
    assert matter.title in page
    assert "Việc của xã bên cạnh" in page


def _post_actions(matter: Matter, vote: Vote) -> list[tuple[str, dict[str, str]]]:
    return [
        (
            reverse("democracy:matter", args=[matter.public_id]),
            {"method": Method.MEETING, "opened_on": f"{_today():%d/%m/%Y}"},
        ),
        (
            reverse("democracy:vote_record", args=[vote.public_id]),
            {"present": "4", "agree": "3", "disagree": "1"},
        ),
        (reverse("democracy:vote_codes", args=[vote.public_id]), {"households": "Hộ 1"}),
        (reverse("democracy:vote_close", args=[vote.public_id]), {}),
        (reverse("democracy:vote_publish", args=[vote.public_id]), {}),
    ]


def test_actions_refused_out_of_sight_and_without_manage(
    meeting: Vote,
    commune: Unit,
    sibling_commune: Unit,
    client_for: Callable[[User], Client],
) -> None:
    sibling = client_for(make_user("canbo-xa-ben", Role.OFFICER, sibling_commune))
    leader = client_for(make_user("lanh-dao", Role.LEADER, commune))
    for url, data in _post_actions(meeting.matter, meeting):
        assert sibling.post(url, data).status_code == 404, url
        assert leader.post(url, data).status_code == 403, url
    # A leader reads, but is offered no form and cannot raise a matter.
    page = leader.get(reverse("democracy:vote", args=[meeting.public_id]))
    assert page.status_code == 200
    assert reverse("democracy:vote_record", args=[meeting.public_id]) not in page.content.decode()
    assert leader.get(reverse("democracy:matter_create")).status_code == 403
    meeting.refresh_from_db()
    assert meeting.is_open
    assert meeting.households_present == 0
    assert Vote.objects.filter(matter=meeting.matter).count() == 1


def test_raising_a_matter_in_a_village_out_of_reach_is_refused(
    officer: User, sibling_commune: Unit, client_for: Callable[[User], Client]
) -> None:
    far = _village(sibling_commune, "Thôn Xa")
    response = client_for(officer).post(
        reverse("democracy:matter_create"),
        {
            "unit": far.code,
            "kind": "other",
            "title": "Không được",
            "raised_on": f"{_today():%d/%m/%Y}",
        },
    )
    assert response.status_code == 400
    assert not Matter.objects.exists()


# -- the meeting path -----------------------------------------------------------------------


def _docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.append(cell.text)
    return "\n".join(parts)


def test_meeting_path_through_http(
    officer: User, village: Unit, commune: Unit, client_for: Callable[[User], Client]
) -> None:
    client = client_for(officer)
    form = client.get(reverse("democracy:matter_create"))
    assert form.status_code == 200
    assert 'role="combobox"' in form.content.decode()  # the unit picker, for villages
    suggest = client.get(
        reverse("units:suggest"), {"perm": "democracy.manage", "kinds": "village", "q": "thon"}
    )
    assert f'data-code="{village.code}"' in suggest.content.decode()

    raised = _today() - dt.timedelta(days=3)
    response = client.post(
        reverse("democracy:matter_create"),
        {
            "unit": village.code,
            "kind": "contribution",
            "title": "Góp tiền làm đường bê tông liên xóm",
            "description": "Mỗi hộ góp 500.000 đồng.",
            "raised_on": f"{raised:%d/%m/%Y}",
        },
    )
    matter = Matter.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("democracy:matter", args=[matter.public_id])
    assert matter.unit == village
    assert matter.created_by == officer

    response = client.post(
        reverse("democracy:matter", args=[matter.public_id]),
        {
            "method": Method.MEETING,
            "opened_on": f"{_today():%d/%m/%Y}",
            "place": "Nhà văn hóa thôn",
            "chair": "Nguyễn Văn Trưởng",
            "secretary": "Lê Thị Thư",
        },
    )
    vote = Vote.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("democracy:vote", args=[vote.public_id])
    assert vote.households_total == 5

    page = client.get(reverse("democracy:vote", args=[vote.public_id])).content.decode()
    assert reverse("democracy:vote_record", args=[vote.public_id]) in page
    # Minutes come only after the vote is closed.
    assert client.get(reverse("democracy:minutes", args=[vote.public_id])).status_code == 302

    response = client.post(
        reverse("democracy:vote_record", args=[vote.public_id]),
        {"present": "3", "agree": "3", "disagree": "0"},
    )
    assert response.status_code == 302
    page = client.get(reverse("democracy:vote", args=[vote.public_id])).content.decode()
    assert "Hợp lệ: 3/5 hộ tham gia (&gt; 1/2 tổng số hộ)." in page
    assert "Được thông qua: 3/5 hộ đồng ý (&gt; 1/2 tổng số hộ)." in page

    assert client.post(reverse("democracy:vote_close", args=[vote.public_id])).status_code == 302
    vote.refresh_from_db()
    assert not vote.is_open
    assert vote.outcome == Outcome.PASSED

    assert client.post(reverse("democracy:vote_publish", args=[vote.public_id])).status_code == 302
    vote.refresh_from_db()
    assert vote.published_at is not None

    listing = client.get(reverse("democracy:matters")).content.decode()
    assert matter.title in listing
    assert "Được thông qua" in listing

    response = client.get(reverse("democracy:minutes", args=[vote.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert disposition.isascii()
    text = _docx_text(response.content)
    assert "BIÊN BẢN HỘI NGHỊ CỘNG ĐỒNG DÂN CƯ" in text
    assert "BIÊN BẢN KIỂM PHIẾU" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert village.name.upper() in text
    assert commune.name in text
    assert "Góp tiền làm đường bê tông liên xóm" in text
    assert "Tổng số hộ gia đình trong thôn, tổ dân phố: 5 hộ." in text
    assert "3/5 hộ (60,00%)" in text
    assert "0/5 hộ (0,00%)" in text
    assert "Nội dung được thông qua: có 3/5 hộ đồng ý, quá 1/2 tổng số hộ gia đình" in text
    assert "Nguyễn Văn Trưởng" in text
    assert "Lê Thị Thư" in text


def test_an_invalid_meeting_is_followed_by_a_household_ballot(
    officer: User, meeting: Vote, client_for: Callable[[User], Client]
) -> None:
    client = client_for(officer)
    services.vote_record_tally(actor=officer, vote=meeting, present=2, agree=2, disagree=0)
    services.vote_close(actor=officer, vote=meeting)
    page = client.get(reverse("democracy:vote", args=[meeting.public_id])).content.decode()
    assert "Không hợp lệ: 2/5 hộ tham gia (không quá 1/2 tổng số hộ)" in page
    response = client.post(
        reverse("democracy:matter", args=[meeting.matter.public_id]),
        {
            "method": Method.BALLOT,
            "opened_on": f"{_today():%d/%m/%Y}",
            "follows": meeting.pk,
        },
    )
    assert response.status_code == 302
    ballot = Vote.objects.get(method=Method.BALLOT)
    assert ballot.follows == meeting
    services.vote_record_tally(actor=officer, vote=ballot, present=5, agree=2, disagree=3)
    services.vote_close(actor=officer, vote=ballot)
    text = _docx_text(client.get(reverse("democracy:minutes", args=[ballot.public_id])).content)
    assert "BIÊN BẢN TỔNG HỢP KẾT QUẢ LẤY Ý KIẾN HỘ GIA ĐÌNH" in text
    assert "2/5 hộ (40,00%)" in text
    assert "không quá 1/2 tổng số hộ gia đình" in text


# -- the online path ------------------------------------------------------------------------


def test_online_vote_codes_through_http(
    officer: User, matter: Matter, client_for: Callable[[User], Client]
) -> None:
    client = client_for(officer)
    response = client.post(
        reverse("democracy:matter", args=[matter.public_id]),
        {
            "method": Method.ONLINE,
            "opened_on": f"{_today():%d/%m/%Y}",
            "closes_on": f"{_today() + dt.timedelta(days=2):%d/%m/%Y}",
        },
    )
    assert response.status_code == 302
    vote = Vote.objects.get()
    page = client.get(reverse("democracy:vote", args=[vote.public_id])).content.decode()
    assert reverse("democracy:vote_codes", args=[vote.public_id]) in page
    assert 'hx-trigger="every 10s"' in page

    households = ["Hộ 12 – Nguyễn Văn A", "Hộ 13 – Trần Thị B", "Số nhà 45"]
    response = client.post(
        reverse("democracy:vote_codes", args=[vote.public_id]),
        {"households": "\n".join(households) + "\n\n"},
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "Phiếu mã biểu quyết" in page
    assert f"http://testserver/cong-dan/bieu-quyet/{vote.public_id}/" in page
    codes = response.context["codes"]
    assert [h for h, _code in codes] == households
    for household, code in codes:
        assert household in page
        assert page.count(code) == 1
    rows = list(VoteCode.objects.filter(vote=vote))
    assert sorted(r.household for r in rows) == sorted(households)
    stored = {value for r in rows for value in (r.household, r.code_hash)}
    assert not any(code in value for _h, code in codes for value in stored)

    # The household votes on the portal; the officer's tally partial counts it live.
    services.vote_cast_online(vote=vote, code=codes[0][1], choice="agree")
    partial = client.get(reverse("democracy:vote_tally", args=[vote.public_id]))
    assert partial.status_code == 200
    assert 'id="tally-agree">1<' in partial.content.decode()

    # A household listed twice is refused with nothing issued.
    response = client.post(
        reverse("democracy:vote_codes", args=[vote.public_id]), {"households": "Số nhà 45"}
    )
    assert response.status_code == 400
    assert "Có hộ đã được phát mã." in response.content.decode()
    assert VoteCode.objects.filter(vote=vote).count() == 3


# -- bad input ------------------------------------------------------------------------------


def test_tally_over_the_household_count_is_refused(
    officer: User, meeting: Vote, client_for: Callable[[User], Client]
) -> None:
    response = client_for(officer).post(
        reverse("democracy:vote_record", args=[meeting.public_id]),
        {"present": "6", "agree": "6", "disagree": "0"},
    )
    assert response.status_code == 400
    assert "Số hộ tham gia (6) nhiều hơn tổng số hộ gia đình (5)." in response.content.decode()
    meeting.refresh_from_db()
    assert (meeting.households_present, meeting.agree, meeting.disagree) == (0, 0, 0)


def test_meeting_before_the_matter_was_raised_is_refused(
    officer: User, matter: Matter, client_for: Callable[[User], Client]
) -> None:
    early = matter.raised_on - dt.timedelta(days=1)
    response = client_for(officer).post(
        reverse("democracy:matter", args=[matter.public_id]),
        {"method": Method.MEETING, "opened_on": f"{early:%d/%m/%Y}"},
    )
    assert response.status_code == 400
    assert "không được trước ngày đưa ra việc" in response.content.decode()
    assert not Vote.objects.exists()


# -- the list's query count -----------------------------------------------------------------


def test_matters_list_query_count_does_not_grow(
    officer: User, village: Unit, client_for: Callable[[User], Client]
) -> None:
    client = client_for(officer)
    url = reverse("democracy:matters")

    def add(n: int) -> None:
        for i in range(n):
            m = services.matter_raise(
                actor=officer, unit=village, kind="other", title=f"Việc {i}", raised_on=_today()
            )
            services.vote_open(actor=officer, matter=m, method=Method.MEETING, opened_on=_today())

    add(3)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add(27)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
