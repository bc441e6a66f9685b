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
    Perm.DIRECTIVE_MANAGE,
    Perm.TASK_REPORT,
    Perm.NEWS_WRITE,
    Perm.REPORT_PREPARE,
    Perm.REPORT_REVIEW,
}
# Every reading role also reads the legal rule table its deadlines come from.
READ_PERMS = {
    Perm.UNIT_VIEW,
    Perm.OFFICIAL_VIEW,
    Perm.MOVEMENT_VIEW,
    Perm.DEMOCRACY_VIEW,
    Perm.LEGAL_VIEW,
    Perm.DIRECTIVE_VIEW,
    Perm.REPORT_VIEW,
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


# --- ended units are read-only (issue 11) -----------------------------------------------


def test_ended_units_are_read_only_for_every_role(thai_nguyen: Unit) -> None:
    """Every changing permission is refused on an ended unit (Bắc Kạn, merged into Thái
    Nguyên), whatever the role and wherever the grant: on the successor (inherited
    history), on the ended unit itself, national. Recording a succession is left to
    system administrators (a merger entered late); reading is unchanged."""
    bac_kan = Unit.objects.get(code="06")
    assert bac_kan.valid_to is not None
    unit_roles = [role for role in Role.values if role != Role.SYSTEM_ADMIN]
    users = [make_user(f"tn-{role}", role, thai_nguyen) for role in unit_roles]
    users += [make_user(f"bk-{role}", role, bac_kan) for role in unit_roles]
    root = make_user("root", Role.SYSTEM_ADMIN, None)
    users.append(root)
    changing = set(Perm) - policies.READ_PERMS
    assert changing >= WRITE_PERMS | {Perm.SUCCESSION_RECORD, Perm.EVALUATION_SCORE}
    for user in users:
        for perm in changing:
            allowed = perm == Perm.SUCCESSION_RECORD and user is root
            assert policies.has_perm(user, perm, bac_kan) is allowed, (user.username, perm)
            assert policies.has_perm_above(user, perm, bac_kan) is allowed, (user.username, perm)
            in_scope = Unit.objects.filter(policies.scope_q(user, perm), pk=bac_kan.pk).exists()
            assert in_scope is allowed, (user.username, perm)
    # Reading the history stays as it was.
    successor = users[unit_roles.index(Role.OFFICER)]
    for perm in (Perm.UNIT_VIEW, Perm.MOVEMENT_VIEW, Perm.OFFICIAL_VIEW, Perm.CASE_VIEW):
        assert policies.has_perm(successor, perm, bac_kan)
    assert policies.has_perm(root, Perm.MOVEMENT_VIEW, bac_kan)
    # The live units are untouched by the rule.
    assert policies.has_perm(successor, Perm.UNIT_CHANGE, thai_nguyen)
    assert Unit.objects.filter(policies.scope_q(root, Perm.UNIT_CHANGE), pk=thai_nguyen.pk).exists()


def test_a_change_to_an_ended_unit_is_refused_with_the_reason(thai_nguyen: Unit) -> None:
    bac_kan = Unit.objects.get(code="06")
    successor = make_user("tn-officer", Role.OFFICER, thai_nguyen)
    with pytest.raises(PermissionDenied) as refused:
        policies.require(successor, Perm.UNIT_CHANGE, bac_kan)
    message = refused.value.message
    assert "“Bắc Kạn” đã kết thúc hoạt động từ ngày" in message
    assert "chỉ để xem" in message
    assert "quản trị hệ thống ghi nhận đính chính" in message
    # Reading is allowed as before.
    policies.require(successor, Perm.MOVEMENT_VIEW, bac_kan)


def test_subtree_scope_is_the_scope_within_the_subtree_and_one_range_when_covered(
    thai_nguyen: Unit, commune: Unit, sibling_commune: Unit
) -> None:
    """subtree_scope_q selects exactly what scope_q & subtree_q select — for every role,
    permission and root, the inherited history (Bắc Kạn) and ended units included — and
    is the subtree's bare range when a grant covers the root."""
    bac_kan = Unit.objects.get(code="06")
    unit_roles = [role for role in Role.values if role != Role.SYSTEM_ADMIN]
    users = [make_user(f"ss-{role}", role, thai_nguyen) for role in unit_roles]
    users += [make_user(f"ssx-{role}", role, commune) for role in (Role.OFFICER, Role.LEADER)]
    users.append(make_user("ss-root", Role.SYSTEM_ADMIN, None))
    for user in users:
        for perm in Perm:
            for root in (thai_nguyen, commune, sibling_commune, bac_kan):
                expected = set(
                    Unit.objects.filter(
                        policies.scope_q(user, perm) & policies.subtree_q(root)
                    ).values_list("pk", flat=True)
                )
                got = set(
                    Unit.objects.filter(policies.subtree_scope_q(user, perm, root)).values_list(
                        "pk", flat=True
                    )
                )
                assert got == expected, (user.username, perm, root.code)
    officer = users[unit_roles.index(Role.OFFICER)]
    assert policies.subtree_scope_q(officer, Perm.CASE_VIEW, thai_nguyen) == policies.subtree_q(
        thai_nguyen
    )
