"""The place search: diacritics and case do not matter, names before 1 July 2025 lead to
today's communes, bad input gets a Vietnamese message (400 only for garbage), never a 500.
Runs on the real units and former names the session database loaded (conftest.py)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danvan.portal.places import selectors
from danvan.portal.places.selectors import PlaceQuery, parse_query, search_places
from danvan.units.models import Unit

pytestmark = pytest.mark.django_db

URL = reverse("portal:place_search")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Phường Đống Đa", PlaceQuery("phuong", "dong da")),
        ("  QUẬN   đống đa ", PlaceQuery("quan", "dong da")),
        ("tp. Huế", PlaceQuery("thanh pho", "hue")),
        ("TP Hồ Chí Minh", PlaceQuery("thanh pho", "ho chi minh")),
        ("thị xã Mỹ Hào", PlaceQuery("thi xa", "my hao")),
        ("xã Tân Phú", PlaceQuery("xa", "tan phu")),
        ("p.Ba Đình", PlaceQuery("phuong", "ba dinh")),
        ("phan dinh phung", PlaceQuery("", "phan dinh phung")),
        # A letter without a dot is part of the name, and "xa" inside a name stays.
        ("p ba dinh", PlaceQuery("", "p ba dinh")),
        ("Xuân Xa", PlaceQuery("", "xuan xa")),
    ],
)
def test_parse_query(typed: str, expected: PlaceQuery) -> None:
    assert parse_query(typed) == expected


@pytest.mark.parametrize("typed", ["Đống Đa", "dong da", "DONG DA", "đống  đa", "Dong Da"])
def test_diacritics_and_case_do_not_matter(typed: str) -> None:
    hits = search_places(typed)
    first = hits[0]
    assert first.unit is not None
    assert first.unit.code == "00235"
    assert [h.unit.code if h.unit else h.former.pk for h in hits] == [  # type: ignore[union-attr]
        h.unit.code if h.unit else h.former.pk  # type: ignore[union-attr]
        for h in search_places("Đống Đa")
    ]


def test_current_units_come_first_then_former_names_ranked() -> None:
    hits = search_places("phan dinh phung")
    kinds = ["unit" if h.unit else "former" for h in hits]
    assert kinds == sorted(kinds, key=lambda k: k != "unit")
    assert hits[0].unit is not None
    assert hits[0].unit.name == "Phường Phan Đình Phùng"
    formers = [h for h in hits if h.former]
    # Mỹ Hào's old Phan Đình Phùng is now part of Phường Mỹ Hào (Hưng Yên).
    my_hao = next(h for h in formers if h.former.district_name == "Thị xã Mỹ Hào")  # type: ignore[union-attr]
    assert [u.name for u in my_hao.covering] == ["Phường Mỹ Hào"]
    # The old ward of the same name in Thái Nguyên is the current one: not listed twice.
    assert all(h.former.province_name != "Thái Nguyên" for h in formers)  # type: ignore[union-attr]


def test_a_former_district_lists_the_communes_covering_it() -> None:
    hits = search_places("quận Đống Đa")
    district = next(h for h in hits if h.former and h.former.kind == "district")
    assert district.exact
    assert district.former.label == "Quận Đống Đa, Hà Nội"  # type: ignore[union-attr]
    codes = [u.code for u in district.covering]
    assert "00235" in codes
    assert len(codes) >= 3


def test_ranking_exact_then_prefix_then_contains() -> None:
    hits = search_places("ba dinh")
    ranks = [h.rank for h in hits if h.unit]
    assert ranks == sorted(ranks)
    assert hits[0].unit is not None
    assert hits[0].unit.name == "Phường Ba Đình"
    assert len(search_places("an")) <= selectors.MAX_HITS


def test_the_search_runs_a_bounded_number_of_queries() -> None:
    with CaptureQueriesContext(connection) as short:
        search_places("an")  # hundreds of matches
    with CaptureQueriesContext(connection) as narrow:
        search_places("phan dinh phung")
    assert len(short) == len(narrow) == 3


def test_a_former_commune_leads_to_its_commune_page(client: Client) -> None:
    response = client.get(URL, {"q": "phuong phan dinh phung"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "trước 01/7/2025" in text
    my_hao = Unit.objects.get(name="Phường Mỹ Hào", valid_to__isnull=True)
    assert reverse("portal:place", args=[my_hao.code]) in text


def test_one_exact_current_unit_redirects_to_its_page(client: Client) -> None:
    response = client.get(URL, {"q": "ha noi"})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:place", args=["01"])


def test_an_ambiguous_name_lists_every_match(client: Client) -> None:
    response = client.get(URL, {"q": "dong da"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Quận Đống Đa, Hà Nội" in text
    assert reverse("portal:place", args=["00235"]) in text


@pytest.mark.parametrize("typed", ["", "a", "xã", "  x "])
def test_empty_or_too_short_asks_for_more_without_an_error(client: Client, typed: str) -> None:
    response = client.get(URL, {"q": typed})
    assert response.status_code == 200
    if typed.strip():
        assert "Hãy gõ ít nhất 2 chữ" in response.content.decode()


def test_no_parameter_shows_the_form(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("ba\x00dinh", "NUL"),
        ("x" * 101, "Dài tối đa 100 ký tự"),
        ("!!! ???", "phải có chữ hoặc số"),
    ],
)
def test_garbage_is_a_400_with_a_message_and_the_text_kept(
    client: Client, typed: str, message: str
) -> None:
    response = client.get(URL, {"q": typed})
    assert response.status_code == 400
    text = response.content.decode()
    assert message in text
    if "\x00" not in typed:
        assert f'value="{typed}"' in text


def test_markup_typed_is_shown_escaped(client: Client) -> None:
    typed = '<script>alert("x")</script> ba dinh'
    response = client.get(URL, {"q": typed})
    text = response.content.decode()
    assert "<script>alert" not in text
    assert "&lt;script&gt;" in text


def test_nothing_found_says_so(client: Client) -> None:
    response = client.get(URL, {"q": "zzzz khong co"})
    assert response.status_code == 200
    assert "Không tìm thấy nơi nào" in response.content.decode()


def test_home_has_the_search_and_the_34_provinces(client: Client) -> None:
    response = client.get(reverse("portal:home"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "cả tên trước 01/7/2025" in text
    assert text.count('href="/cong-dan/noi/') >= 34
    assert reverse("portal:place", args=["19"]) in text
    # Bắc Kạn ended in 2025: not among today's provinces.
    assert reverse("portal:place", args=["06"]) not in text
    assert reverse("portal:submit") in text
    assert reverse("portal:lookup") in text
