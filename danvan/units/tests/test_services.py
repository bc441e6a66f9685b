import datetime as dt

import pytest
from vietnam_provinces import Province, Ward

from danvan.accounts.models import Role, User
from danvan.accounts.testing import make_user
from danvan.audit.models import AuditEvent
from danvan.core.errors import DomainError, NotFound, PermissionDenied
from danvan.units import selectors, services
from danvan.units.models import Succession, Unit, UnitKind

pytestmark = pytest.mark.django_db


def test_load_units_matches_package_and_is_idempotent() -> None:
    assert Unit.objects.filter(kind=UnitKind.PROVINCE, valid_to__isnull=True).count() == len(
        list(Province.iter_all())
    )
    assert Unit.objects.filter(kind=UnitKind.COMMUNE).count() == len(list(Ward.iter_all()))
    events_before = AuditEvent.objects.count()
    result = services.units_load_official(actor=None)
    assert result.created == 0
    assert result.updated == 0
    assert services.units_load_historical(actor=None) == 0
    assert AuditEvent.objects.count() == events_before


def test_load_units_updates_a_renamed_unit_in_place(commune: Unit) -> None:
    real_name = commune.name
    Unit.objects.filter(pk=commune.pk).update(name="Tên cũ", name_folded="ten cu")
    result = services.units_load_official(actor=None)
    assert result.updated == 1
    commune.refresh_from_db()
    assert commune.name == real_name
    event = AuditEvent.objects.filter(object_pk=str(commune.pk), action="update").get()
    assert event.changes["name"] == ["Tên cũ", real_name]


def test_bac_kan_is_historical_and_restates_under_thai_nguyen(thai_nguyen: Unit) -> None:
    bac_kan = Unit.objects.get(code="06")
    assert bac_kan.valid_to == dt.date(2025, 6, 30)
    assert bac_kan.is_valid_on(dt.date(2018, 6, 30))
    assert not bac_kan.is_valid_on(dt.date(2025, 7, 1))
    assert selectors.restated_units(bac_kan) == [thai_nguyen]
    assert selectors.restated_units(thai_nguyen) == [thai_nguyen]
    succession = Succession.objects.get(resolution_number="202/2025/QH15")
    assert set(succession.predecessors.values_list("code", flat=True)) == {"06", "19"}


def test_subtree_selector_uses_path_range(thai_nguyen: Unit, commune: Unit) -> None:
    village = services.unit_create(
        actor=None, parent=commune, kind=UnitKind.VILLAGE, name="Thôn Đồng Tâm", households=120
    )
    under = selectors.units_under(thai_nguyen)
    assert village in under
    assert commune in under
    assert Unit.objects.get(code="01") not in under
    assert set(selectors.units_under(commune)) == {commune, village}
    assert village.depth == 3


def test_create_unit_validates_and_audits(system_admin, commune: Unit) -> None:
    unit = services.unit_create(
        actor=system_admin, parent=commune, kind=UnitKind.MASS_ORGANIZATION, name="Hội Nông dân xã"
    )
    event = AuditEvent.objects.get(model_label="units.unit", object_pk=str(unit.pk))
    assert event.actor == system_admin
    assert event.changes["name"] == [None, "Hội Nông dân xã"]
    with pytest.raises(DomainError) as exc:
        services.unit_create(actor=system_admin, parent=commune, kind=UnitKind.COMMUNE, name="X")
    assert "phải trực thuộc" in exc.value.message
    with pytest.raises(DomainError) as exc:
        services.unit_create(
            actor=system_admin, parent=commune, kind=UnitKind.AGENCY, name="Y", code=unit.code
        )
    assert exc.value.code == "unit_duplicate_code"
    with pytest.raises(DomainError):
        services.unit_create(
            actor=system_admin, parent=commune, kind=UnitKind.AGENCY, name="Z", households=5
        )


def test_officer_cannot_create_under_sibling(commune: Unit, sibling_commune: Unit) -> None:
    officer = make_user("o1", "officer", commune)
    services.unit_create(actor=officer, parent=commune, kind=UnitKind.VILLAGE, name="Thôn 1")
    with pytest.raises(NotFound):
        services.unit_create(
            actor=officer, parent=sibling_commune, kind=UnitKind.VILLAGE, name="Thôn 2"
        )
    leader = make_user("l1", "leader", commune)
    with pytest.raises(PermissionDenied):
        services.unit_create(actor=leader, parent=commune, kind=UnitKind.VILLAGE, name="Thôn 3")


def test_move_refuses_own_descendant_and_rewrites_paths(system_admin, commune: Unit) -> None:
    front = services.unit_create(
        actor=system_admin, parent=commune, kind=UnitKind.PARTY_COMMITTEE, name="Đảng ủy xã"
    )
    commission = services.unit_create(
        actor=system_admin, parent=front, kind=UnitKind.PARTY_COMMISSION, name="Ban Dân vận"
    )
    with pytest.raises(DomainError) as exc:
        services.unit_move(actor=system_admin, unit=front, new_parent=commission)
    assert exc.value.code == "unit_cycle"
    other = Unit.objects.filter(kind=UnitKind.COMMUNE).exclude(pk=commune.pk).first()
    assert other is not None
    services.unit_move(actor=system_admin, unit=front, new_parent=other)
    commission.refresh_from_db()
    assert commission.path.startswith(other.path)
    assert commission in selectors.units_under(other)
    assert commission not in selectors.units_under(commune)


def test_succession_rules(system_admin, thai_nguyen: Unit) -> None:
    communes = list(Unit.objects.filter(parent=thai_nguyen).order_by("code")[:3])
    a, b, c = communes
    before = Unit.objects.count()
    with pytest.raises(DomainError) as exc:
        services.succession_record(
            actor=system_admin,
            kind="merge",
            predecessors=[thai_nguyen],
            successors=[a],
            effective_date=dt.date(2026, 1, 1),
            resolution_number="1/NQ-HĐND",
        )
    assert exc.value.code == "succession_into_descendant"
    Unit.objects.filter(pk=a.pk).update(valid_from=dt.date(2025, 7, 1))
    a.refresh_from_db()
    with pytest.raises(DomainError) as exc:
        services.succession_record(
            actor=system_admin,
            kind="merge",
            predecessors=[a, b],
            successors=[b],
            effective_date=dt.date(2020, 1, 1),
            resolution_number="1/NQ-HĐND",
        )
    assert exc.value.code == "succession_before_existence"
    assert not Succession.objects.filter(resolution_number="1/NQ-HĐND").exists()
    services.succession_record(
        actor=system_admin,
        kind="merge",
        predecessors=[a, b],
        successors=[c],
        effective_date=dt.date(2026, 1, 1),
        resolution_number="1/NQ-HĐND",
    )
    a.refresh_from_db()
    assert a.valid_to == dt.date(2025, 12, 31)
    assert selectors.restated_units(a) == [c]
    assert Unit.objects.count() == before


@pytest.mark.parametrize("code", ["can-bo", "BAN-CHI-DAO", "có dấu", "a/b", "-x", "x" * 33])
def test_unit_codes_must_be_url_safe_and_not_reserved(commune: Unit, code: str) -> None:
    before = Unit.objects.count()
    with pytest.raises(DomainError) as exc:
        services.unit_create(
            actor=None, parent=commune, kind=UnitKind.AGENCY, name="Cơ quan", code=code
        )
    assert exc.value.code == "unit_bad_code"
    assert exc.value.field == "code"
    assert Unit.objects.count() == before


# --- ended units: read-only, corrected only by a system administrator (issue 11) --------


def test_ended_unit_is_refused_to_its_successor_and_to_the_system_admin(
    thai_nguyen: Unit, system_admin: User
) -> None:
    bac_kan = Unit.objects.get(code="06")
    for actor in (make_user("tn-sua", Role.UNIT_ADMIN, thai_nguyen), system_admin):
        with pytest.raises(PermissionDenied) as refused:
            services.unit_update(actor=actor, unit=bac_kan, name="Bắc Cạn")
        assert "đã kết thúc hoạt động" in refused.value.message
    bac_kan.refresh_from_db()
    assert bac_kan.name == "Bắc Kạn"


def test_succession_correction_by_the_system_admin_is_audited(
    thai_nguyen: Unit, system_admin: User
) -> None:
    bac_kan = Unit.objects.get(code="06")
    reason = "Công văn 12/UBND ngày 02/07/2025 xác nhận sai tên"
    corrected = services.succession_correct(
        actor=system_admin, unit=bac_kan, reason=f"  {reason} ", name="Bắc Kạn (cũ)"
    )
    assert corrected.name == "Bắc Kạn (cũ)"
    bac_kan.refresh_from_db()
    assert bac_kan.name == "Bắc Kạn (cũ)"
    assert bac_kan.valid_to == dt.date(2025, 6, 30)  # still ended
    event = AuditEvent.objects.filter(model_label="units.unit", object_pk=str(bac_kan.pk)).latest(
        "id"
    )
    assert event.actor == system_admin
    assert event.changes["name"] == ["Bắc Kạn", "Bắc Kạn (cũ)"]
    assert event.changes["correction"] == [None, reason]


def test_succession_correction_refusals(thai_nguyen: Unit, system_admin: User) -> None:
    bac_kan = Unit.objects.get(code="06")
    successor_admin = make_user("tn-qt", Role.UNIT_ADMIN, thai_nguyen)
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied) as refused:
        services.succession_correct(actor=successor_admin, unit=bac_kan, reason="x", name="X")
    assert "Chỉ quản trị hệ thống" in refused.value.message
    with pytest.raises(DomainError) as no_reason:
        services.succession_correct(actor=system_admin, unit=bac_kan, reason="  ", name="X")
    assert no_reason.value.field == "reason"
    with pytest.raises(DomainError) as live:
        services.succession_correct(actor=system_admin, unit=thai_nguyen, reason="y", name="X")
    assert live.value.code == "succession_correction_not_ended"
    bac_kan.refresh_from_db()
    assert bac_kan.name == "Bắc Kạn"
    assert AuditEvent.objects.count() == before
