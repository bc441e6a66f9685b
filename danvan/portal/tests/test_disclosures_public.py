"""Disclosures on the portal: the list filtered by kind and days (bad dates refused in
Vietnamese, 400, typed value kept), each public disclosure's page (404 for one not public,
as for a missing one) with its legal basis, its posting period and the forms used, and
its documents served only when marked public. Evidence photos never reach the portal."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from danvan.core.errors import DomainError
from danvan.disclosure import services
from danvan.disclosure.models import Disclosure, DisclosureForm, DisclosureKind
from danvan.disclosure.selectors import posting_period
from danvan.disclosure.services import ChannelSpec
from danvan.portal.disclosures.selectors import latest_disclosures
from danvan.units.models import Unit

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = dt.date(2026, 6, 30)
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def _frozen_now() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 6, 30, 9, 0, tzinfo=HCM), tick=False):
        yield


@pytest.fixture
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def kind(number: int, unit_kind: str = "commune") -> DisclosureKind:
    return DisclosureKind.objects.filter(unit_kind=unit_kind, number=number).latest("valid_from")


def record(unit: Unit, **kw: Any) -> Disclosure:
    params: dict[str, Any] = {
        "actor": None,
        "unit": unit,
        "kind": kind(1),
        "title": "Kế hoạch phát triển kinh tế - xã hội năm 2026",
        "start": dt.date(2026, 6, 1),
        "is_public": True,
    }
    params.update(kw)
    return services.disclosure_create(**params)


def list_url(**query: str) -> str:
    from urllib.parse import urlencode

    return (
        f"{reverse('portal:disclosures')}?{urlencode(query)}"
        if query
        else reverse("portal:disclosures")
    )


def page(disclosure: Disclosure) -> str:
    return reverse("portal:disclosure", args=[disclosure.public_id])


def body(response: Any) -> str:
    return str(response.content.decode())


# -- the detail page -----------------------------------------------------------------------


def test_detail_shows_what_kind_unit_basis_and_forms(commune: Unit) -> None:
    d = record(
        commune,
        kind=kind(7),
        title="Bảng giá phí chợ năm 2026",
        summary="Phí chợ 5.000 đồng/ngày.",
        channels=[
            ChannelSpec(DisclosureForm.POSTING, dt.date(2026, 6, 1), place="Bảng tin UBND xã"),
            ChannelSpec(DisclosureForm.LOUDSPEAKER, dt.date(2026, 6, 1), dt.date(2026, 6, 3)),
        ],
    )
    response = Client().get(page(d))
    assert response.status_code == 200
    html = body(response)
    assert "Bảng giá phí chợ năm 2026" in html
    assert "Phí chợ 5.000 đồng/ngày." in html
    assert commune.name in html
    assert kind(7).title in html
    assert kind(7).citation in html
    assert "Bảng tin UBND xã" in html
    assert str(DisclosureForm.LOUDSPEAKER.label) in html
    # The list links to it.
    assert page(d) in body(Client().get(list_url()))


def test_detail_only_for_public_disclosures(commune: Unit) -> None:
    hidden = record(commune, title="Dự thảo nội bộ", is_public=False)
    missing = Client().get(reverse("portal:disclosure", args=[uuid.uuid4()]))
    refused = Client().get(page(hidden))
    assert refused.status_code == missing.status_code == 404
    assert "Dự thảo nội bộ" not in body(refused)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # Running, with its own end: days left, today included.
        (
            dt.date(2026, 6, 1),
            dt.date(2026, 7, 2),
            "Niêm yết từ 01/06/2026 đến 02/07/2026, còn 3 ngày.",
        ),
        # Without an end: the kind's 30 days from the start (1 June + 29 = 30 June).
        (dt.date(2026, 6, 1), None, "Niêm yết từ 01/06/2026 đến 30/06/2026, còn 1 ngày."),
        (
            dt.date(2026, 5, 1),
            None,
            "Đã hết thời hạn niêm yết (niêm yết từ 01/05/2026 đến 30/05/2026).",
        ),
        (dt.date(2026, 5, 1), dt.date(2026, 6, 29), "Đã hết thời hạn niêm yết"),
        (dt.date(2026, 7, 5), dt.date(2026, 8, 5), "Sẽ niêm yết từ 05/07/2026 đến 05/08/2026."),
    ],
)
def test_posting_period_text(
    commune: Unit, start: dt.date, end: dt.date | None, expected: str
) -> None:
    d = record(commune, start=start, end=end)
    assert kind(1).posting_min_days == 30
    html = body(Client().get(page(d)))
    assert expected in " ".join(html.split())


def test_posting_period_counts() -> None:
    k = DisclosureKind(posting_min_days=30)
    d = Disclosure(kind=k, start=dt.date(2026, 6, 1), end=None)
    assert posting_period(d, dt.date(2026, 6, 1)).days_left == 30
    assert posting_period(d, dt.date(2026, 6, 30)).days_left == 1
    assert posting_period(d, dt.date(2026, 7, 1)).state == "ended"
    assert posting_period(d, dt.date(2026, 5, 31)).state == "upcoming"
    assert posting_period(d, dt.date(2026, 5, 31)).days_left == 30
    # No end and no minimum: running, no count.
    open_ended = Disclosure(kind=DisclosureKind(posting_min_days=0), start=dt.date(2026, 6, 1))
    period = posting_period(open_ended, dt.date(2027, 1, 1))
    assert (period.state, period.end, period.days_left) == ("running", None, 0)


# -- documents -----------------------------------------------------------------------------


def test_documents_served_only_when_public(commune: Unit, media_root: Path) -> None:
    d = record(commune)
    public = services.evidence_add(
        actor=None,
        disclosure=d,
        file=SimpleUploadedFile("du-toan-2026.pdf", PDF, "application/pdf"),
        caption="Dự toán ngân sách",
        is_public=True,
    )
    internal = services.evidence_add(
        actor=None,
        disclosure=d,
        file=SimpleUploadedFile("bien-ban.pdf", PDF, "application/pdf"),
    )
    photo = services.evidence_add(
        actor=None, disclosure=d, file=SimpleUploadedFile("bang-tin.png", PNG, "image/png")
    )
    html = body(Client().get(page(d)))
    assert "du-toan-2026.pdf" in html
    assert "bien-ban.pdf" not in html
    assert "bang-tin.png" not in html

    def doc(pk: int, public_id: uuid.UUID = d.public_id) -> Any:
        return Client().get(reverse("portal:disclosure_document", args=[public_id, pk]))

    served = doc(public.pk)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == PDF
    assert served["Content-Type"] == "application/pdf"
    assert "attachment" in served["Content-Disposition"]
    assert doc(internal.pk).status_code == 404
    assert doc(photo.pk).status_code == 404
    # Through another disclosure's address: 404.
    other = record(commune, title="Khác", kind=kind(2))
    assert doc(public.pk, other.public_id).status_code == 404
    # Once the disclosure is no longer public, neither is its document.
    Disclosure.objects.filter(pk=d.pk).update(is_public=False)
    assert doc(public.pk).status_code == 404


def test_a_photo_cannot_be_published(commune: Unit, media_root: Path) -> None:
    d = record(commune)
    with pytest.raises(DomainError) as refused:
        services.evidence_add(
            actor=None,
            disclosure=d,
            file=SimpleUploadedFile("bang-tin.png", PNG, "image/png"),
            is_public=True,
        )
    assert refused.value.field == "is_public"
    assert not d.evidence.exists()


# -- the list and its filters --------------------------------------------------------------


def test_list_filters_by_kind_and_days(commune: Unit) -> None:
    record(commune, kind=kind(2), title="Dự toán ngân sách", start=dt.date(2026, 1, 10))
    record(
        commune,
        kind=kind(7),
        title="Phí chợ",
        start=dt.date(2026, 3, 1),
        end=dt.date(2026, 3, 31),
    )
    record(commune, kind=kind(7), title="Phí đỗ xe", start=dt.date(2026, 6, 1))
    record(commune, kind=kind(7), title="Chưa công khai", is_public=False)
    client = Client()

    def titles(**query: str) -> set[str]:
        response = client.get(list_url(**query))
        assert response.status_code == 200
        html = body(response)
        found = {"Dự toán ngân sách", "Phí chợ", "Phí đỗ xe", "Chưa công khai"}
        return {t for t in found if f">{t}</a>" in html}

    assert titles() == {"Dự toán ngân sách", "Phí chợ", "Phí đỗ xe"}
    assert titles(kind="commune-7") == {"Phí chợ", "Phí đỗ xe"}
    # The period meets [from, to]: one still running meets every later day.
    assert titles(**{"from": "01/04/2026"}) == {"Dự toán ngân sách", "Phí đỗ xe"}
    assert titles(**{"from": "01/03/2026", "to": "15/03/2026"}) == {
        "Dự toán ngân sách",
        "Phí chợ",
    }
    assert titles(kind="commune-7", to="28/02/2026") == set()
    # A kind not in the catalogue is refused beside the field, like a bad date.
    assert client.get(list_url(kind="commune-999")).status_code == 400


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"from": "2026-03-01"}, "from", "ngày/tháng/năm"),
        ({"to": "31/02/2026"}, "to", ""),
        (
            {"from": "10/03/2026", "to": "01/03/2026"},
            "to",
            "Ngày kết thúc không được trước ngày bắt đầu.",
        ),
        ({"from": "<script>alert(1)</script>"}, "from", "ngày/tháng/năm"),
    ],
)
def test_bad_dates_are_refused_in_vietnamese_and_kept(
    commune: Unit, query: dict[str, str], field: str, message: str
) -> None:
    record(commune, title="Phí chợ")
    response = Client().get(list_url(**query))
    assert response.status_code == 400
    html = body(response)
    assert f'id="id_{field}_error"' in html
    assert message in html
    assert "Phí chợ</a>" not in html
    # The typed value stays in its box, escaped.
    for value in query.values():
        assert "<script>alert" not in html
        escaped = value.replace("<", "&lt;").replace(">", "&gt;")
        assert f'value="{escaped}"' in html


def test_list_is_filtered_by_place_too(commune: Unit, sibling_commune: Unit) -> None:
    record(commune, title="Của xã này")
    record(sibling_commune, title="Của xã bên")
    province = commune.parent
    assert province is not None
    html = body(
        Client().get(list_url(province=province.code, commune=commune.code, kind="commune-1"))
    )
    assert "Của xã này" in html
    assert "Của xã bên" not in html


def test_html_in_a_title_is_shown_escaped(commune: Unit) -> None:
    d = record(commune, title="<b>Bảng giá</b><script>x()</script>", summary="<img src=x>")
    for html in (body(Client().get(page(d))), body(Client().get(list_url()))):
        assert "<script>x()" not in html
        assert "<img src=x>" not in html
        assert "&lt;b&gt;Bảng giá&lt;/b&gt;" in html


# -- the place page's selector -------------------------------------------------------------


def test_latest_disclosures_of_a_unit(commune: Unit, sibling_commune: Unit) -> None:
    for day in range(1, 5):
        record(commune, title=f"Mục {day}", start=dt.date(2026, 6, day))
    record(commune, title="Không công khai", start=dt.date(2026, 6, 20), is_public=False)
    record(sibling_commune, title="Xã bên", start=dt.date(2026, 6, 21))
    rows = latest_disclosures(commune, limit=3)
    assert [d.title for d in rows] == ["Mục 4", "Mục 3", "Mục 2"]
