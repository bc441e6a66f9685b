"""The entry pages: list, export, register (with the duplicate warning), detail, actions."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from danvan.accounts import policies
from danvan.accounts.models import Role, User
from danvan.accounts.testing import READ_SCOPED, Cast, login_verified, make_user, walk
from danvan.core.uploads import MAX_UPLOAD_BYTES
from danvan.movement import selectors, services
from danvan.movement.models import Attachment, Decision, Entry, EntryEvent, Field, Status
from danvan.units.models import Unit

from .conftest import DECISION

pytestmark = pytest.mark.django_db

LIST = reverse("movement:list")
EXPORT = reverse("movement:export")
CREATE = reverse("movement:create")
DUPLICATES = reverse("movement:duplicates")

# A real 1×1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082"
)


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def cast(access_cast: Callable[..., Cast], commune: Unit) -> Cast:
    return access_cast(commune)


def logged_in(user: User) -> Client:
    client = Client()
    login_verified(client, user)
    return client


def url(name: str, entry: Entry, **kw: Any) -> str:
    return reverse(f"movement:{name}", kwargs={"public_id": entry.public_id, **kw})


def form_data(owner: Unit, field: Field, **overrides: Any) -> dict[str, Any]:
    data = {
        "unit": owner.code,
        "name": "Đường điện sáng",
        "kind": "initiative",
        "field": str(field.pk),
        "registration_year": "2025",
        "co_units": "",
        "target_group": "Hộ dân thôn Đồng Tâm",
        "goals": "Thắp sáng đường thôn",
        "content_method": "Vận động hộ dân góp tiền, ngày công",
        "start_date": "01/03/2025",
        "expected_results": "2 km đường có điện",
        "achieved_results": "",
        "money_mobilized": "150000000",
        "working_days": "320",
        "land_donated_m2": "45.5",
        "contact_name": "Nguyễn Văn A",
        "contact_phone": "0912345678",
    }
    data.update(overrides)
    return data


def advance(entry: Entry, *names: str) -> Entry:
    for name in names:
        entry = services.entry_transition(actor=None, entry=entry, name=name)
    return entry


# --- the access walk ----------------------------------------------------------------


def test_pages_of_an_entry_are_scoped(cast: Cast, make_entry: Callable[..., Entry]) -> None:
    entry = make_entry()
    services.attachment_add(
        actor=None, entry=entry, upload=SimpleUploadedFile("anh.png", PNG, "image/png")
    )
    item = entry.attachments.get()
    code = cast.unit.code
    # The list's unit filter (the unit picker) refuses a unit out of sight like a missing
    # one: the form comes back with the message (400).
    walk(cast, f"{LIST}?unit={code}", expect={**READ_SCOPED, "sibling": 400})
    walk(cast, f"{EXPORT}?unit={code}", expect={**READ_SCOPED, "sibling": 400})
    walk(cast, f"{CREATE}?unit={code}", expect=READ_SCOPED)
    walk(cast, url("detail", entry), expect=READ_SCOPED)
    walk(cast, url("edit", entry), expect=READ_SCOPED)
    walk(cast, url("attachment", entry, pk=item.pk), expect=READ_SCOPED)
    walk(cast, url("sources", entry) + "?source_q=mo", expect=READ_SCOPED)


def test_the_unfiltered_list_shows_only_what_each_actor_may_see(
    cast: Cast, make_entry: Callable[..., Entry]
) -> None:
    mine = make_entry("Mô hình Đồng Tâm")
    sibling_unit = policies.grants_of(cast.users["sibling"])[0].unit
    theirs = make_entry("Mô hình Hòa Bình", unit=sibling_unit)
    seen = {}
    for actor in ("same", "sibling", "parent", "admin"):
        body = cast.client(actor).get(LIST).content.decode()
        seen[actor] = (mine.name in body, theirs.name in body)
    assert seen == {
        "same": (True, False),
        "sibling": (False, True),
        "parent": (True, True),
        "admin": (True, True),
    }


def test_actions_are_refused_to_a_sibling_as_if_the_entry_were_missing(
    cast: Cast, make_entry: Callable[..., Entry]
) -> None:
    entry = make_entry()
    client = cast.client("sibling")
    for name, data in (
        ("transition", {"name": "register"}),
        ("commend", {}),
        ("replicate", {"source": str(entry.public_id)}),
        ("attach", {}),
    ):
        assert client.post(url(name, entry), data).status_code == 404, name
    entry.refresh_from_db()
    assert entry.status == Status.DRAFT


def test_a_viewer_without_edit_rights_cannot_register(commune: Unit) -> None:
    leader = make_user("lanh-dao", Role.LEADER, commune)
    client = logged_in(leader)
    assert client.get(CREATE).status_code == 403
    assert client.get(f"{CREATE}?unit={commune.code}").status_code == 403


# --- the list ------------------------------------------------------------------------


def test_list_filters_like_the_statistics_links(
    make_entry: Callable[..., Entry], province_officer: User, thai_nguyen: Unit
) -> None:
    recognized = advance(
        make_entry("Mô hình được công nhận"), "register", "accept", "start", "submit"
    )
    recognized = services.entry_transition(
        actor=province_officer, entry=recognized, name="recognize", decision=DECISION
    )
    make_entry("Mô hình mới đăng ký")
    make_entry("Mô hình năm trước", registration_year=2024)
    client = logged_in(province_officer)
    response = client.get(
        LIST, {"unit": thai_nguyen.code, "year": "2025", "milestone": "recognized", "restated": "1"}
    )
    assert response.status_code == 200
    assert [e.name for e in response.context["entries"]] == ["Mô hình được công nhận"]
    body = response.content.decode()
    # The export link carries exactly the same filters.
    assert f"{EXPORT}?unit={thai_nguyen.code}&amp;year=2025&amp;milestone=recognized" in body
    response = client.get(LIST, {"q": "MO HINH NAM TRUOC"})
    assert [e.name for e in response.context["entries"]] == ["Mô hình năm trước"]


def test_list_bad_filters(province_officer: User) -> None:
    client = logged_in(province_officer)
    # A unit that is missing (or out of sight) comes back on the form, like any bad filter.
    response = client.get(LIST, {"unit": "khong-co"})
    assert response.status_code == 400
    assert "Không tìm thấy đơn vị “khong-co”" in response.context["form"].errors["unit"][0]
    response = client.get(LIST, {"year": "hai nghìn", "milestone": "sao"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"year", "milestone"}
    assert client.get(EXPORT, {"status": "bay-gio"}).status_code == 400


def test_replication_counts_in_the_list(
    make_entry: Callable[..., Entry], sibling_commune: Unit, province_officer: User
) -> None:
    source = make_entry("Mô hình gốc")
    for i in range(2):
        copy = make_entry(f"Bản nhân rộng {i}", unit=sibling_commune)
        services.replication_record(actor=None, entry=copy, source=source)
    response = logged_in(province_officer).get(LIST, {"milestone": "replicated"})
    rows = response.context["entries"]
    assert [(e.name, e.replication_count) for e in rows] == [("Mô hình gốc", 2)]


def test_list_runs_the_same_number_of_queries_for_10_and_100_entries(
    make_entry: Callable[..., Entry],
    sibling_commune: Unit,
    province_officer: User,
    django_assert_max_num_queries: Any,
) -> None:
    client = logged_in(province_officer)
    source = make_entry("Nguồn")
    for i in range(9):
        copy = make_entry(f"Mô hình {i:03}", unit=sibling_commune)
        services.replication_record(actor=None, entry=copy, source=source)
    with CaptureQueriesContext(connection) as ten:
        assert client.get(LIST).status_code == 200
    for i in range(9, 99):
        copy = make_entry(f"Mô hình {i:03}", unit=sibling_commune)
        services.replication_record(actor=None, entry=copy, source=source)
    assert Entry.objects.count() == 100
    with django_assert_max_num_queries(len(ten)):
        response = client.get(LIST)
    assert len(response.context["entries"]) == 50


# --- export ----------------------------------------------------------------------


def read_xlsx(response: Any) -> list[tuple[Any, ...]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    return list(sheet.iter_rows(values_only=True))


def as_date(value: Any) -> dt.date | None:
    return value.date() if isinstance(value, dt.datetime) else value


def test_export_is_exactly_the_filtered_list(
    make_entry: Callable[..., Entry],
    sibling_commune: Unit,
    province_officer: User,
    thai_nguyen: Unit,
) -> None:
    recognized = advance(
        make_entry("Đường điện sáng", money_mobilized=150_000_000, working_days=320),
        "register",
        "accept",
        "start",
        "submit",
    )
    services.entry_transition(
        actor=province_officer, entry=recognized, name="recognize", decision=DECISION
    )
    advance(make_entry("Camera an ninh", unit=sibling_commune, land_donated_m2="12.5"), "register")
    make_entry("Năm khác", registration_year=2023)
    make_entry("Lĩnh vực khác", field=Field.objects.get(code="van-hoa-xa-hoi"))
    params = {"unit": thai_nguyen.code, "year": "2025", "field": "kinh-te"}
    rows = read_xlsx(logged_in(province_officer).get(EXPORT, params))
    header, data = rows[0], rows[1:]
    assert header[:4] == ("Tên mô hình, điển hình", "Loại", "Mã đơn vị", "Đơn vị chủ trì")
    assert "Số quyết định công nhận" in header
    expected = list(
        selectors.entry_list(
            actor=province_officer, unit=thai_nguyen, year=2025, field="kinh-te"
        ).prefetch_related("decisions")
    )
    assert len(expected) == 2
    assert len(data) == len(expected)
    for short, entry in zip(data, expected, strict=True):
        row = short + (None,) * (len(header) - len(short))  # trailing empty cells are not stored
        numbers = [d.number for d in entry.decisions.all() if d.kind == Decision.Kind.RECOGNITION]
        assert row[0] == entry.name
        assert row[1] == entry.get_kind_display()
        assert (row[2], row[3]) == (entry.unit.code, entry.unit.name)
        assert (row[4], row[5], row[6]) == (entry.field.name, 2025, entry.period.name)
        assert row[7] == entry.get_status_display()
        assert [as_date(v) for v in row[8:12]] == [
            entry.registered_on,
            entry.recognized_on,
            entry.exemplary_on,
            entry.commended_on,
        ]
        assert row[12] == (numbers[0] if numbers else None)
        money, days, land = row[13:16]
        assert money == (int(entry.money_mobilized) if entry.money_mobilized is not None else None)
        assert days == entry.working_days
        assert land == (float(entry.land_donated_m2) if entry.land_donated_m2 is not None else None)
    assert data[1][12] == "125/QĐ-UBND"  # Đường điện sáng sorts after Camera an ninh


def test_export_of_a_commune_officer_leaves_out_other_communes(
    make_entry: Callable[..., Entry], sibling_commune: Unit, commune_officer: User
) -> None:
    make_entry("Của xã mình")
    make_entry("Của xã khác", unit=sibling_commune)
    rows = read_xlsx(logged_in(commune_officer).get(EXPORT))
    assert [r[0] for r in rows[1:]] == ["Của xã mình"]


# --- registering --------------------------------------------------------------------


def test_commune_officer_creates_and_registers(
    commune: Unit, commune_officer: User, field_economy: Field, sibling_commune: Unit
) -> None:
    client = logged_in(commune_officer)
    page = client.get(CREATE)
    assert page.status_code == 200
    # The current unit is the default owning unit.
    assert page.context["form"].initial["unit"] == commune.code
    response = client.post(CREATE, {**form_data(commune, field_economy), "action": "register"})
    assert response.status_code == 302
    entry = Entry.objects.get()
    assert response["Location"] == entry.get_absolute_url()
    assert entry.status == Status.REGISTERED
    assert entry.unit == commune
    assert entry.created_by == commune_officer
    assert entry.land_donated_m2 == pytest.approx(45.5)
    assert entry.start_date == dt.date(2025, 3, 1)
    shown = client.get(entry.get_absolute_url()).content.decode()
    # Numbers as Vietnamese readers write them.
    assert "150.000.000 đồng" in shown
    assert "45,5 m²" in shown
    event = EntryEvent.objects.get(entry=entry)
    assert (event.from_status, event.to_status, event.actor) == (
        "draft",
        "registered",
        commune_officer,
    )


def test_save_keeps_a_draft_and_refuses_units_out_of_reach(
    commune: Unit,
    commune_officer: User,
    field_economy: Field,
    sibling_commune: Unit,
    thai_nguyen: Unit,
) -> None:
    client = logged_in(commune_officer)
    # A sibling, or the province above: not the officer's to register for, refused like
    # a missing unit (the unit picker never offers them).
    for code in (sibling_commune.code, thai_nguyen.code):
        response = client.post(CREATE, form_data(commune, field_economy, unit=code))
        assert response.status_code == 400
        assert response.context["form"].errors["unit"] == [
            f"Không tìm thấy đơn vị “{code}” trong phạm vi bạn được thao tác."
        ]
    assert not Entry.objects.exists()
    response = client.post(CREATE, {**form_data(commune, field_economy), "action": "save"})
    assert response.status_code == 302
    assert Entry.objects.get().status == Status.DRAFT


def test_units_typed_by_name_without_diacritics(
    commune: Unit, province_officer: User, field_economy: Field
) -> None:
    """The owning unit and the co-units are picked by name (units.picker)."""
    target = Unit.objects.get(name="Phường Phan Đình Phùng", parent__code="19")
    client = logged_in(province_officer)
    typed_commune = commune.name_folded.split(" ", 1)[1]  # "duc xuan"
    data = form_data(commune, field_economy, unit="phan dinh phung", co_units=typed_commune)
    response = client.post(CREATE, {**data, "action": "save"})
    assert response.status_code == 302, response.context["form"].errors
    entry = Entry.objects.get()
    assert entry.unit == target
    assert list(entry.co_units.all()) == [commune]
    # The edit form shows the co-unit as a chosen (checked) unit.
    page = client.get(reverse("movement:edit", args=[entry.public_id])).content.decode()
    assert f'name="co_units_pick" value="{commune.code}"' in page


def test_bad_year_and_unknown_co_unit_are_shown_beside_their_fields(
    commune: Unit, commune_officer: User, field_economy: Field
) -> None:
    client = logged_in(commune_officer)
    response = client.post(
        CREATE, form_data(commune, field_economy, registration_year="2015", co_units="00000, zz")
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    # One pass: the form's error (co_units) and the service's (the year's period) together.
    assert "Không tìm thấy đơn vị “00000”" in errors["co_units"][0]
    assert errors["registration_year"] == [
        "Năm đăng ký phải trong giai đoạn 2016–2020 hoặc 2021–2025 hoặc 2026–2030 "
        "của phong trào (bạn nhập 2015)."
    ]
    assert not Entry.objects.exists()


def test_duplicate_warning_blocks_until_confirmed(
    make_entry: Callable[..., Entry], commune: Unit, commune_officer: User, field_economy: Field
) -> None:
    original = make_entry("Đường điện sáng")
    client = logged_in(commune_officer)
    data = form_data(commune, field_economy, name="duong dien sang")
    response = client.post(CREATE, data)
    assert response.status_code == 200
    assert response.context["duplicates"] == [original]
    body = response.content.decode()
    assert "Có thể trùng lặp" in body
    assert original.get_absolute_url() in body
    assert "Vẫn đăng ký (không phải trùng lặp)" in body
    assert Entry.objects.count() == 1
    response = client.post(CREATE, {**data, "confirm_duplicate": "on"})
    assert response.status_code == 302
    assert Entry.objects.count() == 2
    # Another period is not a duplicate.
    response = client.post(CREATE, form_data(commune, field_economy, registration_year="2019"))
    assert response.status_code == 302


def test_duplicate_check_as_the_user_types(
    make_entry: Callable[..., Entry], commune: Unit, commune_officer: User, sibling_commune: Unit
) -> None:
    original = make_entry("Đường điện sáng")
    client = logged_in(commune_officer)
    params = {"unit": commune.code, "name": "ĐƯỜNG  ĐIỆN SÁNG", "registration_year": "2025"}
    body = client.get(DUPLICATES, params).content.decode()
    assert original.get_absolute_url() in body
    # The entry itself (while editing) and a unit out of sight report nothing.
    body = client.get(DUPLICATES, {**params, "entry": str(original.public_id)}).content.decode()
    assert original.get_absolute_url() not in body
    other = make_entry("Đường điện sáng", unit=sibling_commune)
    response = client.get(DUPLICATES, {**params, "unit": sibling_commune.code})
    assert response.status_code == 200
    assert other.get_absolute_url() not in response.content.decode()
    # The name field asks for the partial.
    page = client.get(CREATE).content.decode()
    assert f'hx-get="{DUPLICATES}"' in page


def test_owner_edits_while_editable(
    make_entry: Callable[..., Entry], commune: Unit, commune_officer: User, field_economy: Field
) -> None:
    entry = make_entry("Tên cũ")
    client = logged_in(commune_officer)
    assert client.get(url("edit", entry)).context["form"].initial["name"] == "Tên cũ"
    response = client.post(url("edit", entry), form_data(commune, field_economy, name="Tên mới"))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.name, entry.name_folded) == ("Tên mới", "ten moi")
    Entry.objects.filter(pk=entry.pk).update(status=Status.RECOGNIZED)
    response = client.post(url("edit", entry), form_data(commune, field_economy, name="Lại sửa"))
    assert response.status_code == 400
    entry.refresh_from_db()
    assert entry.name == "Tên mới"


# --- the life cycle -----------------------------------------------------------------


def test_province_accepts_and_the_owner_cannot(
    make_entry: Callable[..., Entry], commune_officer: User, province_officer: User
) -> None:
    entry = advance(make_entry(), "register")
    owner = logged_in(commune_officer)
    detail = owner.get(url("detail", entry))
    assert [f.transition.name for f in detail.context["transitions"]] == ["withdraw"]
    assert owner.post(url("transition", entry), {"name": "accept"}).status_code == 403
    entry.refresh_from_db()
    assert entry.status == Status.REGISTERED
    manager = logged_in(province_officer)
    names = [f.transition.name for f in manager.get(url("detail", entry)).context["transitions"]]
    # The province also covers the commune as an owner (it may withdraw on its behalf).
    assert names == ["return", "accept", "withdraw", "stop"]
    response = manager.post(url("transition", entry), {"name": "accept"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == Status.ACCEPTED
    page = manager.get(url("detail", entry)).content.decode()
    assert "Đã đăng ký → Đã tiếp nhận" in page


def test_transition_errors_are_shown_on_the_page(
    make_entry: Callable[..., Entry], province_officer: User
) -> None:
    entry = advance(make_entry(), "register", "accept", "start", "submit")
    client = logged_in(province_officer)
    response = client.post(url("transition", entry), {"name": "return"})
    assert response.status_code == 400
    # "Trả lại" is not possible once submitted: said on the page, nothing changes.
    assert "“Đề nghị đánh giá”" in response.context["action_error"]
    response = client.post(url("transition", entry), {"name": "reject"})
    assert response.status_code == 400
    failed = [f for f in response.context["transitions"] if f.errors]
    assert [f.transition.name for f in failed] == ["reject"]
    assert failed[0].errors["reason"] == ["Cần ghi rõ lý do."]
    response = client.post(
        url("transition", entry),
        {
            "name": "recognize",
            "number": "QĐ-UBND",
            "issued_on": "20/11/2025",
            "issuer": "UBND tỉnh",
            "form": "decision",
        },
    )
    assert response.status_code == 400
    failed = [f for f in response.context["transitions"] if f.errors]
    assert "number" in failed[0].errors
    entry.refresh_from_db()
    assert entry.status == Status.SUBMITTED
    response = client.post(
        url("transition", entry),
        {
            "name": "recognize",
            "number": "125/QĐ-UBND",
            "issued_on": "20/11/2025",
            "issuer": "UBND tỉnh Thái Nguyên",
            "form": "decision",
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.status, entry.recognized_on) == (Status.RECOGNIZED, dt.date(2025, 11, 20))


def test_commend_and_replicate_from_the_page(
    make_entry: Callable[..., Entry],
    province_officer: User,
    commune_officer: User,
    sibling_commune: Unit,
) -> None:
    source = advance(make_entry("Mô hình gốc ở xã bên"), "register", "accept", "start", "submit")
    source = services.entry_transition(
        actor=None, entry=source, name="recognize", decision=DECISION
    )
    manager = logged_in(province_officer)
    response = manager.post(
        url("commend", source),
        {"number": "77/QĐ-UBND", "issued_on": "21/11/2025", "issuer": "UBND tỉnh", "form": "merit"},
    )
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.commended_on == dt.date(2025, 11, 21)
    # The owner is not the managing body: no commendation form, and a POST is refused.
    owner = logged_in(commune_officer)
    assert owner.get(url("detail", source)).context["commend_form"] is None
    data = {"number": "78/QĐ-UBND", "issued_on": "21/11/2025", "issuer": "X", "form": "merit"}
    assert owner.post(url("commend", source), data).status_code == 403

    copy = make_entry("Bản nhân rộng", unit=sibling_commune)
    sibling_officer = make_user("xa-ben-canh", Role.OFFICER, sibling_commune)
    client = logged_in(sibling_officer)
    # The sibling cannot see the source: searching does not find it, recording refuses it.
    found = client.get(url("sources", copy), {"source_q": "goc"}).context["sources"]
    assert found == []
    response = client.post(url("replicate", copy), {"source": str(source.public_id)})
    assert response.status_code == 400
    assert response.context["replicate_form"].errors["source"] == ["Không tìm thấy mô hình gốc."]
    # The province sees both and records it, by the source's link.
    found = manager.get(url("sources", copy), {"source_q": "goc"}).context["sources"]
    assert found == [source]
    response = manager.post(
        url("replicate", copy), {"source": f"http://x/dan-van-kheo/mo-hinh/{source.public_id}/"}
    )
    assert response.status_code == 302
    copy.refresh_from_db()
    assert copy.replicated_from == source
    page = manager.get(url("detail", source)).content.decode()
    assert copy.get_absolute_url() in page
    assert "Đã được nhân rộng 1 lần" in page
    assert "77/QĐ-UBND" in page


def test_replication_lineage_hides_entries_out_of_sight(
    make_entry: Callable[..., Entry],
    province_officer: User,
    commune_officer: User,
    sibling_commune: Unit,
) -> None:
    """Issue 11: an entry at the other end of a replication that the reader may not see
    is shown as "một mô hình của đơn vị khác", without its name, unit or link."""
    source = make_entry("Mô hình gốc kín")
    copy = make_entry("Bản nhân rộng kín", unit=sibling_commune)
    services.replication_record(actor=None, entry=copy, source=source)
    sibling_officer = make_user("xa-ben-dong-doi", Role.OFFICER, sibling_commune)
    hidden = "một mô hình của đơn vị khác"

    # The sibling commune sees its copy, not the commune's source.
    page = logged_in(sibling_officer).get(url("detail", copy))
    assert page.status_code == 200
    text = page.content.decode()
    assert f"Nhân rộng từ {hidden}" in text
    assert "Mô hình gốc kín" not in text
    assert str(source.public_id) not in text
    assert source.unit.name not in text
    assert page.context["replicated_from"].entry is None
    # The commune sees its source, and its replication only as another unit's entry.
    page = logged_in(commune_officer).get(url("detail", source))
    text = page.content.decode()
    assert "Đã được nhân rộng 1 lần" in text
    assert hidden in text
    assert "Bản nhân rộng kín" not in text
    assert str(copy.public_id) not in text
    assert sibling_commune.name not in text

    # The province sees both ends, named and linked.
    manager = logged_in(province_officer)
    text = manager.get(url("detail", copy)).content.decode()
    assert source.get_absolute_url() in text
    assert "Mô hình gốc kín" in text
    assert hidden not in text
    text = manager.get(url("detail", source)).content.decode()
    assert copy.get_absolute_url() in text
    assert hidden not in text


# --- attachments ---------------------------------------------------------------------


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_png_is_accepted_and_served_to_who_may_see_it(
    cast: Cast, make_entry: Callable[..., Entry], media_root: Path
) -> None:
    entry = make_entry()
    client = cast.client("same")
    upload = SimpleUploadedFile("cong-trinh.png", PNG, content_type="image/png")
    response = client.post(url("attach", entry), {"file": upload, "caption": "Lễ khánh thành"})
    assert response.status_code == 302
    item = Attachment.objects.get(entry=entry)
    assert (item.content_type, item.size, item.caption) == ("image/png", len(PNG), "Lễ khánh thành")
    assert len(stored_files(media_root)) == 1
    file_url = url("attachment", entry, pk=item.pk)
    assert file_url in client.get(url("detail", entry)).content.decode()
    served = client.get(file_url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served.getvalue() == PNG
    assert cast.client("sibling").get(file_url).status_code == 404
    # The parent's officer may see it but not add to it.
    upload = SimpleUploadedFile("b.png", PNG, content_type="image/png")
    sibling_entry_attach = cast.client("sibling").post(url("attach", entry), {"file": upload})
    assert sibling_entry_attach.status_code == 404


def test_exe_renamed_png_is_refused_and_nothing_is_written(
    make_entry: Callable[..., Entry], commune_officer: User, media_root: Path
) -> None:
    entry = make_entry()
    upload = SimpleUploadedFile("anh.png", b"MZ\x90\x00" + b"\x00" * 200, content_type="image/png")
    response = logged_in(commune_officer).post(url("attach", entry), {"file": upload})
    assert response.status_code == 400
    errors = response.context["attach_form"].errors["file"]
    assert errors == [
        "Tệp không đúng loại đã khai báo. Chỉ nhận ảnh JPG, PNG hoặc tài liệu PDF, DOCX, XLSX."
    ]
    assert "Chỉ nhận ảnh JPG, PNG" in response.content.decode()
    assert not Attachment.objects.exists()
    assert stored_files(media_root) == []


def test_file_over_10_mb_is_refused(
    make_entry: Callable[..., Entry], commune_officer: User, media_root: Path
) -> None:
    entry = make_entry()
    big = PNG + b"\x00" * (MAX_UPLOAD_BYTES + 1 - len(PNG))
    upload = SimpleUploadedFile("lon.png", big, content_type="image/png")
    response = logged_in(commune_officer).post(url("attach", entry), {"file": upload})
    assert response.status_code == 400
    assert response.context["attach_form"].errors["file"] == ["Tệp quá lớn (tối đa 10 MB)."]
    assert not Attachment.objects.exists()
    assert stored_files(media_root) == []


def test_attachment_of_another_entry_is_not_found(
    make_entry: Callable[..., Entry], commune_officer: User
) -> None:
    first, second = make_entry("Một"), make_entry("Hai")
    item = services.attachment_add(
        actor=None, entry=first, upload=SimpleUploadedFile("a.png", PNG, "image/png")
    )
    client = logged_in(commune_officer)
    assert client.get(url("attachment", second, pk=item.pk)).status_code == 404
    assert client.get(url("attachment", first, pk=item.pk)).status_code == 200
