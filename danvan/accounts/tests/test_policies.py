"""Every role against every permission, on its own unit, a child, a sibling and the parent."""

import pytest

from danvan.accounts import policies
from danvan.accounts.models import Role
from danvan.accounts.policies import Perm
from danvan.accounts.testing import make_user
from danvan.core.errors import NotFound, PermissionDenied
from danvan.units import services as unit_services
from danvan.units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db

WRITE_PERMS = {
    Perm.UNIT_CREATE_CHILD,
    Perm.UNIT_CHANGE,
    Perm.OFFICIAL_MANAGE,
    Perm.STEERING_MANAGE,
    Perm.MOVEMENT_EDIT,
    Perm.MOVEMENT_MANAGE,
}
# Every reading role also reads the legal rule table its deadlines come from.
READ_PERMS = {
    Perm.UNIT_VIEW,
    Perm.OFFICIAL_VIEW,
    Perm.MOVEMENT_VIEW,
    Perm.DEMOCRACY_VIEW,
    Perm.LEGAL_VIEW,
}
# Citizens' cases: officers receive and handle them, leaders and inspectors read them,
# leaders and unit administrators assign handlers; reading a denouncer's identity is
# the identity keeper's alone (and only on the cases they are assigned to).
CASE_WORK = {
    Perm.CASE_VIEW,
    Perm.CASE_INTAKE,
    Perm.CASE_HANDLE,
    Perm.RECEPTION_MANAGE,
    Perm.DIALOGUE_MANAGE,
    Perm.DEMOCRACY_MANAGE,
}


def expected(role: str, perm: Perm) -> bool:
    if role == Role.UNIT_ADMIN:
        return perm not in {Perm.EVALUATION_SCORE, Perm.LEGAL_MANAGE, Perm.CASE_IDENTITY}
    if role == Role.OFFICER:
        return perm in READ_PERMS | WRITE_PERMS | CASE_WORK
    if role == Role.REVIEWER:
        return perm in READ_PERMS | {Perm.EVALUATION_SCORE}
    if role == Role.INSPECTOR:
        return perm in READ_PERMS | {Perm.CASE_VIEW}
    if role == Role.LEADER:
        return perm in READ_PERMS | {Perm.CASE_VIEW, Perm.CASE_ASSIGN}
    assert role == Role.IDENTITY_KEEPER
    return perm in {Perm.UNIT_VIEW, Perm.CASE_IDENTITY}


@pytest.mark.parametrize(
    "role",
    [
        Role.UNIT_ADMIN,
        Role.OFFICER,
        Role.REVIEWER,
        Role.INSPECTOR,
        Role.LEADER,
        Role.IDENTITY_KEEPER,
    ],
)
def test_role_matrix_on_own_subtree_and_outside(
    role: str, thai_nguyen: Unit, commune: Unit, sibling_commune: Unit
) -> None:
    village = unit_services.unit_create(
        actor=None, parent=commune, kind=UnitKind.VILLAGE, name="Thôn A", households=10
    )
    user = make_user(f"u-{role}", role, commune)
    for perm in Perm:
        want = expected(role, perm)
        assert policies.has_perm(user, perm, commune) is want, (role, perm, "own")
        assert policies.has_perm(user, perm, village) is want, (role, perm, "child")
        assert policies.has_perm(user, perm, sibling_commune) is False, (role, perm, "sibling")
        # The parent is visible (breadcrumbs) but nothing else is allowed there.
        assert policies.has_perm(user, perm, thai_nguyen) is (perm == Perm.UNIT_VIEW), (
            role,
            perm,
            "parent",
        )
        assert policies.has_perm(user, perm, None) is False


def test_system_admin_has_everything_everywhere(commune: Unit) -> None:
    admin = make_user("root", Role.SYSTEM_ADMIN, None)
    for perm in Perm:
        assert policies.has_perm(admin, perm, commune)
        assert policies.has_perm(admin, perm, None)


def test_anonymous_and_inactive_users_have_nothing(commune: Unit) -> None:
    from django.contrib.auth.models import AnonymousUser

    inactive = make_user("gone", Role.OFFICER, commune)
    inactive.is_active = False
    for user in (AnonymousUser(), inactive, None):
        policies.forget_grants(user)
        for perm in Perm:
            assert not policies.has_perm(user, perm, commune)


def test_require_hides_invisible_units_as_missing(commune: Unit, sibling_commune: Unit) -> None:
    leader = make_user("lead", Role.LEADER, commune)
    with pytest.raises(NotFound):
        policies.require(leader, Perm.UNIT_CHANGE, sibling_commune)
    with pytest.raises(PermissionDenied):
        policies.require(leader, Perm.UNIT_CHANGE, commune)


def test_visible_units_q_is_subtree_plus_ancestors(thai_nguyen: Unit, commune: Unit) -> None:
    officer = make_user("o", Role.OFFICER, commune)
    visible = set(Unit.objects.filter(policies.visible_units_q(officer)))
    assert visible == {thai_nguyen, commune}
    admin = make_user("a", Role.SYSTEM_ADMIN, None)
    assert Unit.objects.filter(policies.visible_units_q(admin)).count() == Unit.objects.count()


def test_managing_body_is_strictly_above(thai_nguyen: Unit, commune: Unit) -> None:
    commune_officer = make_user("xa", Role.OFFICER, commune)
    province_officer = make_user("tinh", Role.OFFICER, thai_nguyen)
    assert not policies.has_perm_above(commune_officer, Perm.MOVEMENT_MANAGE, commune)
    assert policies.has_perm_above(province_officer, Perm.MOVEMENT_MANAGE, commune)
    assert not policies.has_perm_above(province_officer, Perm.MOVEMENT_MANAGE, thai_nguyen)
    leader = make_user("ld", Role.LEADER, thai_nguyen)
    assert not policies.has_perm_above(leader, Perm.MOVEMENT_MANAGE, commune)


def test_successor_officers_inherit_the_history_of_merged_units(
    thai_nguyen: Unit, commune: Unit
) -> None:
    bac_kan = Unit.objects.get(code="06")
    province_officer = make_user("tn", Role.OFFICER, thai_nguyen)
    commune_officer = make_user("xa", Role.OFFICER, commune)
    other_province = make_user("hn", Role.OFFICER, Unit.objects.get(code="01"))
    assert policies.has_perm(province_officer, Perm.MOVEMENT_VIEW, bac_kan)
    assert bac_kan in Unit.objects.filter(policies.scope_q(province_officer, Perm.UNIT_VIEW))
    assert not policies.has_perm(commune_officer, Perm.MOVEMENT_VIEW, bac_kan)
    assert not policies.has_perm(other_province, Perm.MOVEMENT_VIEW, bac_kan)
    assert bac_kan not in Unit.objects.filter(policies.scope_q(other_province, Perm.UNIT_VIEW))
