"""Names before 1 July 2025: read from the vietnamadminunits data, matched to our units,
loaded idempotently (services.former_names_load)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from danvan.units import services
from danvan.units.former_names import PackageData, build_rows, match_key
from danvan.units.models import FormerName, FormerNameUnit, Unit

pytestmark = pytest.mark.django_db

HN = "thanhphohanoi"


def _ward(name: str, code: str) -> dict[str, Any]:
    return {"ward": name, "wardCode": code}


def fixture_data() -> PackageData:
    """A corner of Hà Nội in the package's shape: two old districts, five old communes.

    Đội Cấn went whole into Ba Đình (00004); Kim Mã was divided between Ba Đình and Đống
    Đa (00235), Đống Đa the default; Khâm Thiên went into "Phường Kim Liên", whose code
    the package gives wrong (the name decides); a new commune the package knows and we do
    not is reported; an island district without communes maps as a whole.
    """
    return PackageData(
        current={
            "DICT_PROVINCE": {HN: {"province": "Thành phố Hà Nội", "provinceCode": "01"}},
            "DICT_PROVINCE_WARD_NO_ACCENTED": {
                HN: {
                    "phuongbadinh": _ward("Phường Ba Đình", "00004"),
                    "phuongdongda": _ward("Phường  Đống Đa", "00235"),
                    "phuongkimlien": _ward("Phường Kim Liên", "99990"),
                    "phuongkhongco": _ward("Phường Không Có", "99991"),
                }
            },
        },
        legacy={
            "DICT_PROVINCE": {
                HN: {
                    "province": "Thành phố Hà Nội",
                    "provinceShort": "Hà Nội",
                    "provinceCode": "01",
                },
                "tinhhatay": {
                    "province": "Tỉnh Hà Tây",
                    "provinceShort": "Hà Tây",
                    "provinceCode": "14",
                },
            },
            "DICT_PROVINCE_DISTRICT": {
                HN: {
                    "quanbadinh": {"district": "Quận Ba Đình", "districtCode": "001"},
                    "quandongda": {"district": "Quận Đống Đa", "districtCode": "006"},
                    "huyendao": {"district": "Huyện Đảo", "districtCode": "999"},
                },
                "tinhhatay": {},
            },
            "DICT_PROVINCE_DISTRICT_WARD_NO_ACCENTED": {
                HN: {
                    "quanbadinh": {
                        "phuongdoican": _ward("Phường Đội Cấn", "00010"),
                        "phuongkimma": _ward("Phường Kim Mã", "00013"),
                    },
                    "quandongda": {
                        "phuongkhamthien": _ward("Phường Khâm Thiên", "00211"),
                        "phuongodnga": _ward("Phường Ô Chợ Dừa", "00229"),
                    },
                    "huyendao": {"NaN": {"ward": float("nan"), "wardCode": float("nan")}},
                }
            },
        },
        converter={
            "DICT_PROVINCE": {HN: [HN, "tinhhatay"]},
            "DICT_PROVINCE_WARD_NO_DIVIDED": {
                HN: {
                    "phuongbadinh": [
                        f"{HN}_quanbadinh_phuongdoican",
                        f"{HN}_huyendao_",
                    ],
                    "phuongdongda": [f"{HN}_quandongda_phuongodnga"],
                    "phuongkimlien": [f"{HN}_quandongda_phuongkhamthien"],
                }
            },
            "DICT_PROVINCE_WARD_DIVIDED": {
                HN: {
                    f"{HN}_quanbadinh_phuongkimma": [
                        {"newWardKey": "phuongbadinh", "isDefaultNewWard": False},
                        {"newWardKey": "phuongdongda", "isDefaultNewWard": True},
                    ]
                }
            },
        },
    )


@pytest.fixture
def empty() -> None:
    """Start from no former names (the session database holds the real ones)."""
    FormerNameUnit.objects.all().delete()
    FormerName.objects.all().delete()


def _codes(former: FormerName) -> list[tuple[str, bool]]:
    return [
        (link.unit.code, link.is_default)
        for link in former.coverage.select_related("unit").order_by("position")
    ]


def test_match_key_ignores_spacing_apostrophes_and_diacritics() -> None:
    assert match_key("Xã Ea H'Leo") == match_key("Xã  Ea H’Leo") == "xaeahleo"
    assert match_key("Phường Hòa Bình") == match_key("Phường Hoà Bình")


def test_rows_are_matched_to_our_units_by_code_then_by_name() -> None:
    kim_lien = Unit.objects.get(parent__code="01", name="Phường Kim Liên")
    rows = build_rows(
        fixture_data(),
        provinces={"01": "Thành phố Hà Nội"},
        communes={
            "00004": ("01", "Phường Ba Đình"),
            "00235": ("01", "Phường Đống Đa"),
            kim_lien.code: ("01", "Phường Kim Liên"),
        },
    )
    by_name = {r.name: r for r in rows.rows}
    assert by_name["Phường Khâm Thiên"].units == ((kim_lien.code, True),)
    assert rows.unmatched == ["thanhphohanoi/phuongkhongco 99991 Phường Không Có"]


@pytest.mark.usefixtures("empty")
def test_load_creates_every_kind_with_its_current_units() -> None:
    result = services.former_names_load(actor=None, data=fixture_data())
    assert (result.created, result.updated, result.unchanged, result.deleted) == (9, 0, 0, 0)
    assert len(result.unmatched) == 1

    doi_can = FormerName.objects.get(kind="commune", code="00010")
    assert doi_can.label == "Phường Đội Cấn, Quận Ba Đình, Hà Nội"
    assert doi_can.name_folded == "phuong doi can"
    assert _codes(doi_can) == [("00004", True)]
    # Divided: both new communes, the package's default first and flagged.
    kim_ma = FormerName.objects.get(kind="commune", code="00013")
    assert _codes(kim_ma) == [("00235", True), ("00004", False)]
    # A district: every current commune covering one of its communes, the one covering
    # most of them first and flagged.
    dong_da = FormerName.objects.get(kind="district", code="006")
    assert dong_da.label == "Quận Đống Đa, Hà Nội"
    assert {c for c, _ in _codes(dong_da)} == {
        "00235",
        Unit.objects.get(parent__code="01", name="Phường Kim Liên").code,
    }
    ba_dinh = FormerName.objects.get(kind="district", code="001")
    assert _codes(ba_dinh) == [("00004", True), ("00235", False)]
    # An island district without communes maps as a whole; its placeholder is skipped.
    assert _codes(FormerName.objects.get(kind="district", code="999")) == [("00004", True)]
    assert not FormerName.objects.filter(name="nan").exists()
    # Provinces: merged Hà Tây is now Hà Nội.
    assert _codes(FormerName.objects.get(kind="province", code="14")) == [("01", True)]


@pytest.mark.usefixtures("empty")
def test_a_second_load_changes_nothing() -> None:
    services.former_names_load(actor=None, data=fixture_data())
    before = list(FormerName.objects.values_list("pk", "updated_at").order_by("pk"))
    links = list(FormerNameUnit.objects.values_list("pk", flat=True).order_by("pk"))
    with CaptureQueriesContext(connection) as queries:
        again = services.former_names_load(actor=None, data=fixture_data())
    assert (again.created, again.updated, again.deleted, again.unchanged) == (0, 0, 0, 9)
    assert list(FormerName.objects.values_list("pk", "updated_at").order_by("pk")) == before
    assert list(FormerNameUnit.objects.values_list("pk", flat=True).order_by("pk")) == links
    writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert [w for w in writes if "SAVEPOINT" not in w.upper()] == []


@pytest.mark.usefixtures("empty")
def test_a_changed_row_is_updated_and_relinked_and_a_vanished_one_deleted() -> None:
    services.former_names_load(actor=None, data=fixture_data())
    data = fixture_data()
    wards = data.legacy["DICT_PROVINCE_DISTRICT_WARD_NO_ACCENTED"][HN]
    wards["quanbadinh"]["phuongdoican"]["ward"] = "Phường Đội Cấn Mới"
    del wards["quandongda"]["phuongkhamthien"]
    divided = data.converter["DICT_PROVINCE_WARD_DIVIDED"][HN][f"{HN}_quanbadinh_phuongkimma"]
    divided[0]["isDefaultNewWard"], divided[1]["isDefaultNewWard"] = True, False

    result = services.former_names_load(actor=None, data=data)

    assert result.deleted == 1
    assert not FormerName.objects.filter(code="00211").exists()
    assert FormerName.objects.get(code="00010").name_folded == "phuong doi can moi"
    assert _codes(FormerName.objects.get(code="00013")) == [("00004", True), ("00235", False)]
    assert result.updated >= 2


def test_the_real_data_is_loaded_with_load_units_and_reloads_quickly() -> None:
    # The session's database ran load_units (conftest.py): the package data is in.
    assert FormerName.objects.filter(kind="province").count() == 63
    assert FormerName.objects.filter(kind="district").count() > 690
    assert FormerName.objects.filter(kind="commune").count() > 10_000
    # Every former name leads somewhere.
    assert not FormerName.objects.filter(coverage__isnull=True).exists()
    dong_da = FormerName.objects.get(kind="district", name="Quận Đống Đa")
    assert "00235" in {c for c, _ in _codes(dong_da)}
    bac_kan = FormerName.objects.get(kind="province", code="06")
    assert _codes(bac_kan) == [("19", True)]

    out = io.StringIO()
    call_command("load_units", stdout=out, stderr=io.StringIO())
    assert "Tên trước 01/7/2025: 0 tạo mới, 0 cập nhật" in out.getvalue()
    result = services.former_names_load(actor=None)
    assert (result.created, result.updated, result.deleted) == (0, 0, 0)
    assert result.unmatched == ()
