"""A page for every province and commune: what it shows, what it never shows, what it
answers for other codes, and that it is cached."""

from __future__ import annotations

import datetime as dt
import gzip
from collections.abc import Callable

import pytest
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
from danvan.portal.places import selectors
from danvan.portal.places.selectors import Section
from danvan.units import services as unit_services
from danvan.units.models import Official, Unit, UnitKind

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


def test_the_first_request_runs_a_bounded_number_of_queries(
    client: Client, commune: Unit, thai_nguyen: Unit
) -> None:
    with CaptureQueriesContext(connection) as queries:
        client.get(_url(commune))
    with CaptureQueriesContext(connection) as province:
        client.get(_url(thai_nguyen))
    assert len(queries) <= 16
    assert len(province) <= 17


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
