"""A page for every province and commune: what it shows, what it never shows, what it
answers for other codes, and that it is cached."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.core.cache import cache, caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danvan.accounts.models import User
from danvan.cases.identity import Identity
from danvan.cases.models import Case, Channel
from danvan.cases.selectors import public_feedback
from danvan.disclosure import services as disclosure_services
from danvan.disclosure.models import DisclosureKind
from danvan.movement import services as movement_services
from danvan.movement.models import Entry, Field
from danvan.news.selectors import articles_for_place
from danvan.news.tests.conftest import published
from danvan.portal.places import selectors
from danvan.portal.places.selectors import Section
from danvan.units import services as unit_services
from danvan.units.models import Official, Unit, UnitKind

from . import public_work as work

pytestmark = pytest.mark.django_db

SENDER = Identity(
    full_name="Vũ Thị Riêng Tư",
    address="Số 9 ngõ Kín, tổ 7",
    id_number="001199012345",
    phone="0977665544",
    email="rieng.tu@example.vn",
)


def _url(unit: Unit | str) -> str:
    return reverse("portal:place", args=[unit if isinstance(unit, str) else unit.code])


def test_a_province_lists_its_communes_grouped_by_letter(client: Client, thai_nguyen: Unit) -> None:
    response = client.get(_url(thai_nguyen))
    assert response.status_code == 200
    text = response.content.decode()
    communes = Unit.objects.filter(parent=thai_nguyen, kind=UnitKind.COMMUNE, valid_to=None)
    for commune in communes:
        assert _url(commune) in text
    # Bắc Kạn merged into Thái Nguyên: the page says so.
    assert "Bắc Kạn" in text
    groups = dict(selectors.communes_by_letter(thai_nguyen))
    assert all(
        selectors.parse_query(u.name).core.upper().startswith(letter)
        for letter, units in groups.items()
        for u in units
    )


def test_a_commune_page_has_every_section_with_links_to_the_full_lists(
    client: Client, commune: Unit
) -> None:
    text = client.get(_url(commune)).content.decode()
    for section in selectors.COMMUNE_SECTIONS:
        found = section(commune)
        assert found is not None
        assert f'id="{found.key}"' in text
    query = f"province={commune.parent.code}&amp;commune={commune.code}"  # type: ignore[union-attr]
    for name in ("disclosures", "consultations", "votes", "schedules", "dialogues"):
        assert f"{reverse(f'portal:{name}')}?{query}" in text
    assert "Nghị định 42/2022/NĐ-CP" in text


def test_a_historical_province_moves_permanently_to_its_successor(client: Client) -> None:
    response = client.get(_url("06"))  # Bắc Kạn, merged into Thái Nguyên on 1/7/2025
    assert response.status_code == 301
    assert response["Location"] == _url("19")


@pytest.mark.parametrize("code", ["99", "00000", "nope", "abc.def"])
def test_an_unknown_code_is_a_vietnamese_404(client: Client, code: str) -> None:
    response = client.get(_url(code))
    assert response.status_code == 404
    assert "Không tìm thấy" in response.content.decode()


def test_a_bad_code_never_reaches_the_view(client: Client) -> None:
    # A NUL in a path is refused before routing (400); never a 500.
    assert client.get("/cong-dan/noi/%00/").status_code in (400, 404)
    assert client.get("/cong-dan/noi/" + "9" * 40 + "/").status_code == 404


def test_units_that_are_not_places_have_no_public_page(client: Client, commune: Unit) -> None:
    """Agencies, villages and other bodies appear on their commune's page, not on their own
    (an agency page would show a subtree no citizen chose, and villages hold the votes'
    households)."""
    agency = unit_services.unit_create(
        actor=None, parent=commune.parent, kind=UnitKind.AGENCY, name="Sở Nội vụ"
    )
    village = unit_services.unit_create(
        actor=None, parent=commune, kind=UnitKind.VILLAGE, name="Thôn Đông"
    )
    for unit in (agency, village):
        assert client.get(_url(unit)).status_code == 404


def test_the_page_is_cached_and_a_second_request_runs_no_query(
    client: Client, commune: Unit
) -> None:
    with CaptureQueriesContext(connection) as first:
        assert client.get(_url(commune)).status_code == 200
    with CaptureQueriesContext(connection) as second:
        cached = client.get(_url(commune))
    assert len(first) > 0
    assert len(second) == 0
    assert cached.status_code == 200
    assert b"csrfmiddlewaretoken" not in cached.content


# The queries of a place page, whatever the number of rows: the place, its former names,
# one for each list (news, disclosures, consultations, votes, reception schedules,
# dialogues, the movement's models), four for the feedback (the counts, the published
# summaries, their photos when some are published, the citizens' verdicts) and the
# positions of the Decree 42 block. A province's page also reads its communes.
COMMUNE_QUERIES = 14
PROVINCE_QUERIES = COMMUNE_QUERIES + 1


@pytest.fixture
def frozen_now() -> Iterator[None]:
    with time_machine.travel(work.NOW, tick=False):
        yield


def _fill(commune: Unit, officer: User, count: int, mark: str) -> None:
    """*count* items of every section of *commune*'s page, through the areas' services."""
    village = work.village(commune, f"Thôn {mark}")
    for n in range(count):
        work.article(commune, f"Tin {mark} {n}")
        work.disclosure(commune, f"Công khai {mark} {n}")
        work.consultation(commune, f"Dự thảo {mark} {n}")
        work.online_vote(village, f"Biểu quyết {mark} {n}")
        work.schedule(commune, f"Phó Chủ tịch {mark} {n}")
        work.dialogue(commune, f"Đối thoại {mark} {n}")
        work.recognized_entry(commune, f"Mô hình {mark} {n}")
        work.published_case(officer, commune, f"Tóm tắt {mark} {n}")


def _uncached_get(client: Client, unit: Unit) -> str:
    cache.clear()
    caches["pages"].clear()
    response = client.get(_url(unit))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.usefixtures("frozen_now")
def test_a_place_page_runs_the_same_queries_whatever_it_shows(
    client: Client,
    commune: Unit,
    thai_nguyen: Unit,
    officer: User,
    django_assert_max_num_queries: Any,
) -> None:
    _fill(commune, officer, 1, "A")
    with CaptureQueriesContext(connection) as one:
        _uncached_get(client, commune)
    _fill(commune, officer, selectors.SUMMARY_SIZE, "B")
    with CaptureQueriesContext(connection) as many:
        text = _uncached_get(client, commune)
    assert text.count('<li class="border-bottom py-2">') >= 6 * selectors.SUMMARY_SIZE
    assert len(many) == len(one)
    with django_assert_max_num_queries(COMMUNE_QUERIES):
        _uncached_get(client, commune)
    with django_assert_max_num_queries(PROVINCE_QUERIES):
        _uncached_get(client, thai_nguyen)


@pytest.mark.usefixtures("frozen_now")
def test_every_section_shows_what_its_area_made_public(
    client: Client, commune: Unit, thai_nguyen: Unit, officer: User
) -> None:
    village = work.village(commune, "Thôn Đồng Tâm")
    article = work.article(commune, "Đường hoa tổ 7")
    disclosure = work.disclosure(commune, "Dự toán ngân sách phường năm 2026")
    work.consultation(commune, "Dự thảo quy ước tổ dân phố số 7")
    work.online_vote(village, "Đóng góp làm đường bê tông thôn Đồng Tâm")
    work.schedule(commune, "Phó Chủ tịch UBND")
    work.dialogue(commune, "Đối thoại về chợ tạm")
    entry = movement_services.entry_transition(
        actor=None,
        entry=work.submitted_entry(commune, "Ngõ phố sáng, xanh"),
        name="recognize",
        decision=dataclasses.replace(work.DECISION, level="province"),
    )
    work.published_case(officer, commune, "Đèn đường đầu ngõ 12 đã được thay.")
    text = _uncached_get(client, commune)

    assert f'<a href="{article.get_absolute_url()}">Đường hoa tổ 7</a>' in text
    assert '<time datetime="2026-05-10T09:00:00+0700">10/05/2026</time>' in text
    disclosure_url = reverse("portal:disclosure", args=[disclosure.public_id])
    assert f'<a href="{disclosure_url}">Dự toán ngân sách phường năm 2026</a>' in text
    assert f"{commune.name} · {disclosure.kind.title} · " in text
    assert "Kế hoạch, quy hoạch · " in text  # the consultation's subject
    assert "Từ 09/05/2026 đến hết 24/05/2026" in text
    vote_url = reverse("portal:vote", args=[village.matters.get().votes.get().public_id])
    assert f'<a href="{vote_url}">Đóng góp làm đường bê tông thôn Đồng Tâm</a>' in text
    assert "Đóng góp xây dựng công trình công cộng · Thôn Đồng Tâm · " in text
    assert "Thứ Tư hằng tuần" in text
    assert f"Phó Chủ tịch UBND Hoàng Văn Tiếp · {commune.name}" in text
    assert f"20/05/2026</time> · Nhà văn hóa tổ 7 · {commune.name}" in text
    entry_url = reverse("portal:gallery_entry", args=[entry.public_id])
    assert f'<a href="{entry_url}">Ngõ phố sáng, xanh</a>' in text
    assert f"{entry.field.name} · Được công nhận (Cấp tỉnh) · 2026 · {commune.name}" in text
    assert "Đèn đường đầu ngõ 12 đã được thay." in text
    # The province's page lists its communes, each linked to its page.
    province = _uncached_get(client, thai_nguyen)
    assert f'<a href="{_url(commune)}">{commune.name}</a>' in province


@pytest.mark.usefixtures("frozen_now")
def test_the_news_section_lists_what_the_news_area_lists_for_the_place(
    commune: Unit, sibling_commune: Unit, thai_nguyen: Unit
) -> None:
    """The place page reads its articles its own way (a union, for PostgreSQL's indexes):
    the same articles as news.selectors.articles_for_place, in the same order."""
    hour = dt.timedelta(hours=1)
    for n in range(4):
        published(commune, title=f"Tin của phường {n}", publish_at=work.NOW - n * hour)
    published(thai_nguyen, title="Tin tỉnh gửi phường", also_on=[commune], publish_at=work.NOW)
    published(thai_nguyen, title="Tin riêng của tỉnh")
    published(sibling_commune, title="Tin của phường bên")
    published(
        commune,
        title="Tin đã hết hạn",
        publish_at=work.NOW - 48 * hour,
        expires_at=work.NOW - 24 * hour,
    )
    published(commune, title="Tin hẹn giờ đăng", publish_at=work.NOW + 24 * hour)
    for limit in (3, 5, 10):
        expected = [a.title for a in articles_for_place(commune, limit=limit)]
        shown = selectors.place_articles(commune, limit=limit)
        assert [row["title"] for row in shown] == expected
    assert len(expected) == 5
    assert shown[0]["unit_name"] == thai_nguyen.name


def test_urls_for_many_rows_are_those_reverse_gives(commune: Unit, thai_nguyen: Unit) -> None:
    place = selectors.urls_for("portal:place")
    for code in ("19", commune.code, "01", "T9001", "a.b_c-1"):
        assert place(code) == reverse("portal:place", args=[code])
    entry = selectors.urls_for("portal:gallery_entry")
    for public_id in (uuid.uuid4(), uuid.uuid4()):
        assert entry(public_id) == reverse("portal:gallery_entry", args=[public_id])
    assert selectors.urls_for("portal:no_such_page")("19") is None


@pytest.mark.parametrize("code", ["01", "79", "00004"])
def test_the_html_stays_small(client: Client, code: str) -> None:
    body = client.get(_url(code)).content
    assert len(gzip.compress(body)) < 50_000
    assert len(body) < 100_000


def test_the_feedback_counts_and_on_time_rate(
    commune: Unit, officer: User, receive: Callable[..., Case]
) -> None:
    since = dt.date(2025, 6, 16)
    portal = [
        receive(actor=None, channel=Channel.PORTAL, sender=SENDER, received_on=day)
        for day in (dt.date(2026, 1, 5), dt.date(2026, 2, 5), dt.date(2026, 3, 5))
    ]
    receive(
        actor=None,
        channel=Channel.OPEN311,
        kind="petition",
        sender=SENDER,
        received_on=dt.date(2026, 4, 1),
    )
    # Counted: a letter too (every channel). Not counted: one older than the period.
    receive(channel=Channel.LETTER, received_on=dt.date(2026, 5, 1))
    receive(actor=None, channel=Channel.PORTAL, sender=SENDER, received_on=dt.date(2025, 6, 15))
    Case.objects.filter(pk=portal[0].pk).update(
        is_open=False, closed_on=dt.date(2026, 1, 20), due_date=dt.date(2026, 1, 25)
    )
    Case.objects.filter(pk=portal[1].pk).update(
        is_open=False, closed_on=dt.date(2026, 3, 20), due_date=dt.date(2026, 3, 1)
    )
    with CaptureQueriesContext(connection) as queries:
        counts = public_feedback(commune, limit=0, since=since)
    assert len(queries) <= 2
    assert (counts.received, counts.answered, counts.on_time, counts.late) == (5, 2, 1, 1)
    assert counts.on_time_rate == 50
    assert public_feedback(commune.parent, since=since).received == 5  # type: ignore[arg-type]


def test_nothing_personal_nor_unpublished_is_on_the_page(
    client: Client, commune: Unit, officer: User, receive: Callable[..., Case]
) -> None:
    case = receive(
        actor=None,
        channel=Channel.PORTAL,
        sender=SENDER,
        received_on=dt.date(2026, 6, 1),
        subject="Rác thải ứ đọng ở chợ",
        content="Bãi rác tạm cuối thôn không được thu gom.",
    )
    kind = DisclosureKind.objects.filter(unit_kind="commune").order_by("number").first()
    assert kind is not None
    public = disclosure_services.disclosure_create(
        actor=None,
        unit=commune,
        kind=kind,
        title="Dự toán ngân sách xã năm 2026",
        start=dt.date(2026, 1, 5),
        is_public=True,
    )
    hidden = disclosure_services.disclosure_create(
        actor=None,
        unit=commune,
        kind=kind,
        title="Biên bản nội bộ chưa công khai",
        start=dt.date(2026, 1, 6),
        is_public=False,
    )
    field = Field.objects.order_by("id").first()
    assert field is not None
    entry = movement_services.entry_create(
        actor=None,
        name="Mô hình “Ngõ phố sáng, xanh”",
        unit=commune,
        kind="initiative",
        field=field,
        registration_year=2025,
    )
    Entry.objects.filter(pk=entry.pk).update(
        status="recognized",
        recognized_on=dt.date(2025, 12, 1),
        contact_name="Lê Văn Liên Hệ",
        contact_phone="0900111222",
    )
    draft = movement_services.entry_create(
        actor=None,
        name="Mô hình còn nháp",
        unit=commune,
        kind="initiative",
        field=field,
        registration_year=2025,
    )
    Official.objects.create(
        unit=commune,
        full_name="Đỗ Văn Cán Bộ",
        position="Chủ tịch UBND",
        phone="0911222333",
        email="canbo@example.vn",
    )
    text = client.get(_url(commune)).content.decode()

    assert public.title in text
    assert hidden.title not in text
    assert entry.name.replace("“", "&ldquo;") in text or "Ngõ phố sáng, xanh" in text
    assert draft.name not in text
    assert "Chủ tịch UBND" in text
    for secret in (
        SENDER.full_name,
        SENDER.phone,
        SENDER.email,
        SENDER.address,
        SENDER.id_number,
        case.alias,
        case.subject,
        case.content,
        case.lookup_code,
        "Lê Văn Liên Hệ",
        "0900111222",
        "0911222333",
        "canbo@example.vn",
        "Đỗ Văn Cán Bộ",
    ):
        assert secret not in text, secret


def test_a_section_added_to_the_list_shows_on_the_page(
    client: Client, commune: Unit, monkeypatch: pytest.MonkeyPatch
) -> None:
    def news(unit: Unit) -> Section:
        return Section(
            key="tin-tuc",
            title="Tin tức",
            template="portal/places/_decree42.html",
            items=[("Bài mới", "/tin")],
        )

    monkeypatch.setattr(selectors, "COMMUNE_SECTIONS", [news, *selectors.COMMUNE_SECTIONS])
    text = client.get(_url(commune)).content.decode()
    assert 'id="tin-tuc"' in text
    assert "Bài mới" in text
    assert text.index('id="tin-tuc"') < text.index('id="cong-khai"')


def test_a_section_may_be_left_out(commune: Unit, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selectors, "COMMUNE_SECTIONS", [lambda unit: None])
    assert selectors.place_sections(commune) == []


def test_post_is_refused(client: Client, commune: Unit) -> None:
    assert client.post(_url(commune)).status_code == 405


def test_a_split_commune_lists_the_communes_it_became(
    client: Client, commune: Unit, sibling_commune: Unit, thai_nguyen: Unit
) -> None:
    old = unit_services.unit_create(
        actor=None,
        parent=thai_nguyen,
        kind=UnitKind.COMMUNE,
        name="Xã Chia Đôi",
        code="T9001",
        valid_from=dt.date(2000, 1, 1),
    )
    unit_services.succession_record(
        actor=None,
        kind="split",
        predecessors=[old],
        successors=[commune, sibling_commune],
        effective_date=dt.date(2025, 7, 1),
        resolution_number="1680/NQ-UBTVQH15",
    )
    response = client.get(_url(old))
    assert response.status_code == 200
    text = response.content.decode()
    assert _url(commune) in text
    assert _url(sibling_commune) in text
