"""Table indicators of a template (issue 13, item 1: "numbers and small tables"): the
checks an administrator's table must pass, the table queries (grouped = per root, the
rows adding up to the figure they detail, each row's list counting as many records),
and the seeded "Mô hình đăng ký theo lĩnh vực"."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from danvan.accounts.models import Role, User
from danvan.accounts.testing import login_verified, make_user
from danvan.cases import services as case_services
from danvan.cases.identity import Identity
from danvan.cases.models import Channel
from danvan.core.errors import DomainError
from danvan.movement import services as movement_services
from danvan.movement.models import Entry, Field
from danvan.reports import services
from danvan.reports.errors import ReportsError
from danvan.reports.indicators import (
    Category,
    TableQuery,
    get_query,
    get_table_query,
    table_queries,
)
from danvan.reports.models import (
    MAX_TABLE_ROWS,
    Aggregation,
    Indicator,
    IndicatorKind,
    ReportTemplate,
    Source,
    parse_rows,
    row_key,
)
from danvan.reports.tests.test_queries import cases_listed
from danvan.units.models import Unit

pytestmark = pytest.mark.django_db

CODE = "nd09-6-thang-dan-chu-co-so"
START, END = dt.date(2025, 12, 15), dt.date(2026, 6, 14)


def _template() -> ReportTemplate:
    return ReportTemplate.objects.get(regime__code=CODE, version=1)


def _table(**fields: Any) -> Indicator:
    values: dict[str, Any] = {
        "order": 90,
        "code": "bang-thu",
        "label": "Hội nghị theo hình thức",
        "unit_of_measure": "hội nghị",
        "kind": IndicatorKind.TABLE,
        "source": Source.MANUAL,
        "aggregation": Aggregation.SUM,
        "rows": "Trực tiếp\nTrực tuyến",
    }
    values.update(fields)
    return services.indicator_create(actor=None, template=_template(), **values)


# -- the checks of a table --------------------------------------------------------------


def test_row_keys_fold_the_labels() -> None:
    assert row_key("Văn hóa – xã hội") == "van-hoa-xa-hoi"
    assert row_key("Đảng, đoàn thể") == "dang-doan-the"
    assert parse_rows("  Trực tiếp \n\n Trực   tuyến\n") == [
        ("truc-tiep", "Trực tiếp"),
        ("truc-tuyen", "Trực tuyến"),
    ]


def test_a_manual_table_keeps_its_rows_in_order() -> None:
    table = _table()
    assert table.is_table
    assert table.table_rows() == [("truc-tiep", "Trực tiếp"), ("truc-tuyen", "Trực tuyến")]


@pytest.mark.parametrize(
    ("rows", "says"),
    [
        ("", "cần các dòng"),
        ("\n  \n", "cần các dòng"),
        ("Trực tiếp\ntrực tiếp", "hai dòng trùng nhau"),
        ("Văn hóa\nVăn hoá", "hai dòng trùng nhau"),
        ("Trực tiếp\n– – –", "không hợp lệ"),
        ("x" * 201, "tối đa 200 ký tự"),
        ("\n".join(f"Dòng {n}" for n in range(MAX_TABLE_ROWS + 1)), "tối đa 50 dòng"),
    ],
)
def test_bad_rows_of_a_manual_table_are_refused(rows: str, says: str) -> None:
    with pytest.raises(DomainError) as refused:
        _table(rows=rows)
    assert refused.value.field == "rows"
    assert refused.value.code == ReportsError.BAD_ROWS
    assert says in refused.value.message
    assert not Indicator.objects.filter(code="bang-thu").exists()


def test_rows_belong_to_manual_tables_only() -> None:
    with pytest.raises(DomainError) as refused:
        _table(kind=IndicatorKind.NUMBER)
    assert refused.value.field == "rows"
    with pytest.raises(DomainError) as refused:
        _table(source=Source.COMPUTED, query="movement_registered_by_field")
    assert refused.value.field == "rows"
    assert "lấy các dòng từ truy vấn" in refused.value.message


def test_a_table_names_a_table_query_and_a_figure_a_number_query() -> None:
    with pytest.raises(DomainError) as refused:
        _table(source=Source.COMPUTED, query="movement_registered", rows="")
    assert refused.value.field == "query"
    assert "truy vấn theo dòng" in refused.value.message
    assert "movement_registered_by_field" in refused.value.message
    with pytest.raises(DomainError) as refused:
        _table(kind=IndicatorKind.NUMBER, source=Source.COMPUTED, query="cases_received_by_kind")
    assert refused.value.field == "query"
    assert "truy vấn dạng bảng" in refused.value.message
    with pytest.raises(DomainError) as refused:
        _table(source=Source.COMPUTED, query="khong-co", rows="")
    assert "chưa có" in refused.value.message
    table = _table(source=Source.COMPUTED, query="cases_received_by_kind", rows="")
    assert table.query == "cases_received_by_kind"


def test_the_indicator_form_takes_a_manual_tables_rows(admin_client: Client) -> None:
    template = _template()
    url = reverse("reports:indicator_create", kwargs={"pk": template.pk})
    data = {
        "order": 99,
        "code": "bang-moi",
        "label": "Bảng mới",
        "kind": "table",
        "source": "manual",
        "aggregation": "sum",
        "rows": "Kinh tế\nkinh te",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "hai dòng trùng nhau" in page
    assert "kinh te</textarea>" in page  # what was typed is kept
    assert not Indicator.objects.filter(code="bang-moi").exists()
    response = admin_client.post(url, {**data, "rows": "Kinh tế\nXã hội"})
    assert response.status_code == 302
    made = Indicator.objects.get(template=template, code="bang-moi")
    assert made.table_rows() == [("kinh-te", "Kinh tế"), ("xa-hoi", "Xã hội")]
    # The regime's page lists the table's rows.
    detail = admin_client.get(reverse("reports:regime_detail", kwargs={"code": CODE}))
    assert "Kinh tế; Xã hội" in detail.content.decode()


@pytest.fixture
def admin_client() -> Client:
    client = Client()
    login_verified(client, make_user("quantri-bang", Role.SYSTEM_ADMIN, None))
    return client


# -- the seed -----------------------------------------------------------------------------


def test_the_shipped_templates_have_the_table_by_field() -> None:
    templates = ReportTemplate.objects.filter(
        regime__code__in=[
            "nd09-6-thang-dan-chu-co-so",
            "nd09-nam-dan-chu-co-so",
            "dang-so-ket-6-thang-dan-chu-dan-van-kheo",
        ],
        version=1,
    )
    assert templates.count() == 3
    for template in templates:
        table = template.indicators.get(code="mo-hinh-theo-linh-vuc")
        assert (table.kind, table.source, table.query) == (
            IndicatorKind.TABLE,
            Source.COMPUTED,
            "movement_registered_by_field",
        )
        table.full_clean()
        registered = template.indicators.get(code="mo-hinh-dang-ky")
        # In the movement's section, right after the movement's figures; no order shared.
        assert table.section_id == registered.section_id
        assert table.order == template.indicators.get(code="mo-hinh-tieu-bieu").order + 1
        orders = list(template.indicators.values_list("order", flat=True))
        assert len(orders) == len(set(orders))


# -- the table queries --------------------------------------------------------------------


def test_registered_table_queries() -> None:
    assert {q.name: q.total_of for q in table_queries()} == {
        "movement_registered_by_field": "movement_registered",
        "movement_recognized_by_field": "movement_recognized",
        "movement_exemplary_by_field": "movement_exemplary",
        "cases_received_by_kind": "cases_received",
    }
    assert all(q.compute_many is not None for q in table_queries())
    # One name space: a table query is no number query, and the other way round.
    assert get_query("movement_registered_by_field") is None
    assert get_table_query("movement_registered") is None


def _entry(unit: Unit, field: str, **milestones: dt.date) -> Entry:
    made = movement_services.entry_create(
        actor=None,
        unit=unit,
        kind="initiative",
        name=f"Mô hình {Entry.objects.count() + 1}",
        field=Field.objects.get(code=field),
        registration_year=2026,
    )
    Entry.objects.filter(pk=made.pk).update(**milestones)
    return made


def _rows(name: str, root: Unit) -> dict[str, int]:
    """The table query's rows of *root*, checked against its grouped form (nested roots
    included) and against the number query it details."""
    query = get_table_query(name)
    assert query is not None, name
    rows = query.compute(root, START, END)
    roots = [root, *Unit.objects.filter(parent=root)[:3]]
    if root.parent is not None:
        roots.append(root.parent)
    grouped = query.compute_all(roots, START, END)
    assert set(grouped) == {r.pk for r in roots}
    for r in roots:
        # Rows counting nothing may be left out of either form.
        mine = {k: n for k, n in query.compute(r, START, END).items() if n}
        assert {k: n for k, n in grouped[r.pk].items() if n} == mine, (name, r)
        number = get_query(query.total_of)
        assert number is not None
        assert sum(mine.values()) == number.compute(r, START, END), (name, r)
    return rows


@pytest.fixture
def reader(thai_nguyen: Unit) -> Client:
    client = Client()
    login_verified(client, make_user("lanhdao-bang", Role.LEADER, thai_nguyen))
    return client


def test_entries_by_field_add_up_to_the_entries_and_open_their_lists(
    thai_nguyen: Unit, commune: Unit, sibling_commune: Unit, reader: Client
) -> None:
    _entry(commune, "kinh-te", registered_on=dt.date(2026, 1, 10))
    _entry(commune, "kinh-te", registered_on=dt.date(2026, 2, 1), recognized_on=END)
    _entry(sibling_commune, "van-hoa-xa-hoi", registered_on=START)
    _entry(sibling_commune, "quoc-phong-an-ninh", registered_on=dt.date(2026, 3, 3))
    _entry(commune, "kinh-te", registered_on=dt.date(2025, 12, 14))  # before the period
    _entry(commune, "van-hoa-xa-hoi", registered_on=dt.date(2026, 6, 15))  # after it
    _entry(commune, "kinh-te")  # a draft
    assert _rows("movement_registered_by_field", thai_nguyen) == {
        "kinh-te": 2,
        "van-hoa-xa-hoi": 1,
        "quoc-phong-an-ninh": 1,
    }
    assert _rows("movement_registered_by_field", commune) == {"kinh-te": 2}
    assert _rows("movement_recognized_by_field", thai_nguyen) == {"kinh-te": 1}
    assert _rows("movement_exemplary_by_field", thai_nguyen) == {}
    # Each row's list shows as many entries as the row counts; an empty row none.
    query = get_table_query("movement_registered_by_field")
    assert query is not None
    for key, count in (("kinh-te", 2), ("van-hoa-xa-hoi", 1), ("xay-dung-he-thong-chinh-tri", 0)):
        response = reader.get(query.records_url(thai_nguyen, START, END, key))
        assert response.status_code == 200
        assert response.context["page"].paginator.count == count, key


def test_a_retired_field_shows_only_where_it_counts(thai_nguyen: Unit, commune: Unit) -> None:
    old = Field.objects.create(code="linh-vuc-cu", name="Lĩnh vực cũ", order=9, is_active=False)
    _entry(commune, old.code, registered_on=dt.date(2026, 1, 5))
    query = get_table_query("movement_registered_by_field")
    assert query is not None
    categories = query.categories()
    assert [c.key for c in categories if c.always] == [
        "kinh-te",
        "van-hoa-xa-hoi",
        "quoc-phong-an-ninh",
        "xay-dung-he-thong-chinh-tri",
    ]
    shown = TableQuery.rows_of(categories, query.compute(commune, START, END))
    assert [(c.key, n) for c, n in shown][-1] == ("linh-vuc-cu", 1)
    nothing = TableQuery.rows_of(categories, {})
    assert "linh-vuc-cu" not in [c.key for c, _n in nothing]
    # A key no category names any more is still shown, under its key.
    gone = TableQuery.rows_of([Category("a", "A")], {"b": 2})
    assert [(c.key, c.label, n) for c, n in gone] == [("a", "A", 0), ("b", "b", 2)]


def test_cases_received_by_kind(
    thai_nguyen: Unit, commune: Unit, sibling_commune: Unit, reader: Client
) -> None:
    officer: User = make_user("cb-xa-vu-viec", Role.OFFICER, commune)
    other: User = make_user("cb-xa-vu-viec-2", Role.OFFICER, sibling_commune)
    for who, unit, kind, day in (
        (officer, commune, "feedback", dt.date(2026, 1, 5)),
        (officer, commune, "feedback", dt.date(2026, 2, 5)),
        (officer, commune, "petition", dt.date(2026, 3, 5)),
        (other, sibling_commune, "complaint", dt.date(2026, 4, 5)),
        (officer, commune, "feedback", dt.date(2025, 12, 1)),  # before the period
        (officer, commune, "petition", dt.date(2026, 6, 15)),  # after it
    ):
        case_services.case_receive(
            actor=who,
            unit=unit,
            kind=kind,
            channel=Channel.LETTER,
            subject="Đường liên thôn xuống cấp",
            content="Đoạn đường từ thôn 3 đến thôn 5 có nhiều ổ gà.",
            sender=Identity(full_name="Trần Thị Bình", phone="0987000111"),
            received_on=day,
        )
    assert _rows("cases_received_by_kind", thai_nguyen) == {
        "feedback": 2,
        "petition": 1,
        "complaint": 1,
    }
    assert _rows("cases_received_by_kind", commune) == {"feedback": 2, "petition": 1}
    query = get_table_query("cases_received_by_kind")
    assert query is not None
    # Every kind is a row, counted or not; its list is the cases list over the unit's
    # subtree and the period, of that kind: as many cases as the row counts.
    assert [c.key for c in query.categories()] == [
        "complaint",
        "denunciation",
        "feedback",
        "petition",
    ]
    url = query.records_url(thai_nguyen, START, END, "feedback")
    assert url.startswith(reverse("cases:list"))
    assert f"unit={thai_nguyen.code}" in url
    assert "kind=feedback" in url
    for root in (thai_nguyen, commune, sibling_commune):
        rows = query.compute(root, START, END)
        for category in query.categories():
            url = query.records_url(root, START, END, category.key)
            assert cases_listed(reader, url) == rows.get(category.key, 0), (root, category)
