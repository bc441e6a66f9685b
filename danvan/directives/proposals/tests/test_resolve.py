"""Unit phrases → units: in memory (the labelled set's tree) and from the database."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from danvan.accounts.models import Role
from danvan.accounts.testing import make_user
from danvan.core.errors import NotFound
from danvan.directives.proposals.evaluation import load_resolver
from danvan.directives.proposals.extract import propose
from danvan.directives.proposals.resolve import UnitIndex, db_resolver, resolver_for
from danvan.units.models import Unit, UnitKind
from danvan.units.services import official_create, unit_create


@pytest.fixture(scope="module")
def index() -> UnitIndex:
    return load_resolver()


@pytest.mark.parametrize(
    ("phrase", "name"),
    [
        ("UBND tỉnh", "Ủy ban nhân dân tỉnh Thái Nguyên"),
        ("Ủy ban nhân dân tỉnh Thái Nguyên", "Ủy ban nhân dân tỉnh Thái Nguyên"),
        ("uy ban nhan dan tinh", "Ủy ban nhân dân tỉnh Thái Nguyên"),
        ("Văn phòng UBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh"),
        ("Tỉnh ủy", "Tỉnh ủy Thái Nguyên"),
        ("Ban Dân vận Tỉnh ủy", "Ban Tuyên giáo và Dân vận Tỉnh ủy"),
        ("MTTQ tỉnh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Thái Nguyên"),
        ("Ủy ban MTTQ Việt Nam tỉnh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Thái Nguyên"),
        ("Hội Nông dân tỉnh", "Hội Nông dân tỉnh Thái Nguyên"),
        ("Đoàn Thanh niên tỉnh", "Tỉnh đoàn Thái Nguyên"),
        ("HĐND tỉnh", "Hội đồng nhân dân tỉnh Thái Nguyên"),
        ("Thường trực HĐND tỉnh", "Hội đồng nhân dân tỉnh Thái Nguyên"),
        ("Giám đốc Sở Y tế", "Sở Y tế"),
        ("UBND xã Tân Cương", "Ủy ban nhân dân xã Tân Cương"),
        ("Đảng ủy xã Đại Từ", "Đảng ủy xã Đại Từ"),
    ],
)
def test_unit_phrases(phrase: str, name: str, index: UnitIndex) -> None:
    res = index.resolve(phrase)
    assert res.unit is not None, res
    assert res.unit.name == name


@pytest.mark.parametrize(
    ("phrase", "key"),
    [
        ("các xã, phường", "@commune:"),
        ("các xã, phường, đặc khu trên địa bàn tỉnh", "@commune:"),
        ("UBND các xã, phường", "@commune:uy ban nhan dan"),
        ("Ban Thường vụ Đảng ủy các xã", "@commune:dang uy"),
        ("Ủy ban MTTQ các xã, phường", "@commune:mat tran to quoc viet nam"),
        ("các sở, ban, ngành tỉnh", "@root:agency"),
        ("các đoàn thể chính trị - xã hội tỉnh", "@root:mass_organization"),
    ],
)
def test_collectives(phrase: str, key: str, index: UnitIndex) -> None:
    res = index.resolve(phrase)
    assert res.collective is not None, res
    assert res.collective.key == key


@pytest.mark.parametrize(
    "phrase", ["tỉnh", "các cơ quan, đơn vị liên quan", "Ban cán sự đảng UBND tỉnh", "Bộ Nội vụ"]
)
def test_phrases_naming_no_unit(phrase: str, index: UnitIndex) -> None:
    assert not index.resolve(phrase).resolved


def test_a_tie_is_ambiguous_with_candidates(index: UnitIndex) -> None:
    res = index.resolve("Hội Nông dân xã")
    assert not res.resolved
    assert {m.name for m in res.candidates} == {
        "Hội Nông dân xã Tân Cương",
        "Hội Nông dân xã Đại Từ",
    }


def test_expand_root_collective(index: UnitIndex) -> None:
    res = index.resolve("các đoàn thể chính trị - xã hội")
    assert res.collective is not None
    assert [u.name for u in index.expand(res.collective)] == [
        "Hội Nông dân tỉnh Thái Nguyên",
        "Hội Liên hiệp Phụ nữ tỉnh Thái Nguyên",
        "Tỉnh đoàn Thái Nguyên",
        "Hội Cựu chiến binh tỉnh Thái Nguyên",
        "Liên đoàn Lao động tỉnh Thái Nguyên",
    ]


@pytest.mark.django_db
def test_database_resolver_within_a_subtree(django_assert_max_num_queries: Any) -> None:
    province = unit_create(actor=None, parent=None, kind=UnitKind.PROVINCE, name="Tỉnh Thái Nguyên")
    other = unit_create(actor=None, parent=None, kind=UnitKind.PROVINCE, name="Tỉnh Cao Bằng")
    unit_create(actor=None, parent=other, kind=UnitKind.AGENCY, name="Sở Nội vụ")
    home_affairs = unit_create(actor=None, parent=province, kind=UnitKind.AGENCY, name="Sở Nội vụ")
    communes = [
        unit_create(actor=None, parent=province, kind=UnitKind.COMMUNE, name=name)
        for name in ("Xã Tân Cương", "Phường Phan Đình Phùng", "Xã Quân Chu")
    ]
    people = [
        unit_create(
            actor=None,
            parent=c,
            kind=UnitKind.AGENCY,
            name=f"Ủy ban nhân dân {c.name[0].lower()}{c.name[1:]}",
        )
        for c in communes
    ]
    unit_create(actor=None, parent=communes[0], kind=UnitKind.VILLAGE, name="Xóm Hích")
    # A commune merged away last year is not a unit to assign work to.
    Unit.objects.filter(pk=communes[2].pk).update(valid_to=dt.date(2026, 6, 30))

    with django_assert_max_num_queries(2):
        resolver = db_resolver(province, on=dt.date(2027, 1, 15))
    proposals = propose(
        "Giao UBND các xã, phường chủ trì, phối hợp với Sở Nội vụ công khai dự toán, "
        "hoàn thành trước ngày 30/6/2027. Đề nghị UBND xa Tan Cuong báo cáo kết quả.",
        today=dt.date(2027, 1, 15),
        resolver=resolver,
    )
    assert [r.unit_id for r in proposals[0].coordinating] == [home_affairs.pk]
    (lead,) = proposals[0].leads
    assert {u.id for u in lead.units(resolver)} == {people[0].pk, people[1].pk}
    assert [r.unit_id for r in proposals[1].leads] == [people[0].pk]


@pytest.mark.django_db
def test_officials_by_position_or_name_and_the_scoped_entry_point() -> None:
    province = unit_create(actor=None, parent=None, kind=UnitKind.PROVINCE, name="Tỉnh Thái Nguyên")
    other = unit_create(actor=None, parent=None, kind=UnitKind.PROVINCE, name="Tỉnh Cao Bằng")
    people = unit_create(
        actor=None, parent=province, kind=UnitKind.AGENCY, name="Ủy ban nhân dân tỉnh Thái Nguyên"
    )
    deputy = official_create(
        actor=None, unit=people, full_name="Nguyễn Văn An", position="Phó Chủ tịch UBND tỉnh"
    )
    official_create(
        actor=None,
        unit=people,
        full_name="Trần Thị Bình",
        position="Phó Chủ tịch UBND tỉnh",
        term_end=dt.date(2026, 6, 30),  # left office: not a match any more
    )
    day = dt.date(2027, 1, 15)
    officer = make_user("canbo-tinh", Role.OFFICER, province)
    resolver = resolver_for(actor=officer, root=province, on=day)
    (p,) = propose(
        "Phân công đồng chí Phó Chủ tịch UBND tỉnh trực tiếp chỉ đạo giải quyết, báo cáo "
        "trước 30/6/2027. ",
        today=day,
        resolver=resolver,
    )
    (lead,) = p.leads
    assert (lead.unit_id, lead.official_id) == (people.pk, deputy.pk)
    assert resolver.resolve("đồng chí Nguyễn Văn An").official is not None
    # Another province's officer gets what a missing unit gets.
    stranger = make_user("canbo-caobang", Role.OFFICER, other)
    with pytest.raises(NotFound):
        resolver_for(actor=stranger, root=province, on=day)


def test_a_commune_stands_for_its_committee_where_the_tree_has_none() -> None:
    """The national tree holds communes, not their People's Committees: "UBND xã Tân
    Cương" is the commune; where the committee is a unit of its own, it is that unit."""
    from danvan.directives.proposals.resolve import UnitRow

    rows = [
        UnitRow(1, "Tỉnh Thái Nguyên", "province", None),
        UnitRow(2, "Xã Tân Cương", "commune", 1),
        UnitRow(3, "Phường Phan Đình Phùng", "commune", 1),
        UnitRow(4, "Ủy ban nhân dân phường Phan Đình Phùng", "agency", 3),
    ]
    index = UnitIndex(rows, 1)
    assert index.resolve("UBND xã Tân Cương").unit.name == "Xã Tân Cương"  # type: ignore[union-attr]
    assert index.resolve("Ủy ban nhân dân xã Tân Cương").unit.id == 2  # type: ignore[union-attr]
    committee = index.resolve("Ủy ban nhân dân phường Phan Đình Phùng").unit
    assert committee is not None
    assert committee.id == 4
    assert index.resolve("UBND xã Không Có").unit is None
