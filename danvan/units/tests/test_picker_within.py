"""The picker narrowed to a subtree (Purpose.within): it travels in the suggestion URL,
a malformed one from the request is ignored, and it narrows what is offered."""

from __future__ import annotations

import pytest

from danvan.accounts.models import Role
from danvan.accounts.policies import Perm
from danvan.accounts.testing import make_user
from danvan.units import picker
from danvan.units.models import Unit

pytestmark = pytest.mark.django_db


def test_within_travels_in_the_query() -> None:
    purpose = picker.Purpose(perm=Perm.CASE_HANDLE, within="0000019")
    assert picker.Purpose.from_query(purpose.query()) == purpose


@pytest.mark.parametrize(
    "within", ["abc", "000001", "00000190", "0000019' OR 1=1", "0" * 7 * 31, "\x00"]
)
def test_a_malformed_within_is_ignored(within: str) -> None:
    purpose = picker.Purpose.from_query({"perm": Perm.CASE_HANDLE.value, "within": within})
    assert purpose is not None
    assert purpose.within == ""


def test_within_narrows_the_units_offered(
    thai_nguyen: Unit, commune: Unit, sibling_commune: Unit
) -> None:
    officer = make_user("tn-within", Role.OFFICER, thai_nguyen)
    wide = picker.Purpose(perm=Perm.CASE_HANDLE)
    narrow = picker.Purpose(perm=Perm.CASE_HANDLE, within=commune.path)
    assert picker.allowed_units(officer, wide).filter(pk=sibling_commune.pk).exists()
    offered = set(picker.allowed_units(officer, narrow).values_list("pk", flat=True))
    assert commune.pk in offered
    assert sibling_commune.pk not in offered
    assert all(u.path.startswith(commune.path) for u in picker.allowed_units(officer, narrow))
    # Narrowing never widens: a commune officer narrowed to the province keeps to the commune.
    clerk = make_user("xa-within", Role.OFFICER, commune)
    to_province = picker.Purpose(perm=Perm.CASE_HANDLE, within=thai_nguyen.path)
    assert not picker.allowed_units(clerk, to_province).filter(pk=sibling_commune.pk).exists()


def test_a_unit_outside_is_refused_with_why(commune: Unit, sibling_commune: Unit) -> None:
    officer = make_user("tn-within2", Role.OFFICER, commune.parent)
    purpose = picker.Purpose(perm=Perm.CASE_HANDLE, within=commune.path)
    result = picker.resolve(officer, purpose, sibling_commune.name, [sibling_commune.code])
    assert result.unit is None
    assert f"“{sibling_commune.name}” không thuộc “{commune.name}”" in result.error
    missing = picker.resolve(officer, purpose, "khong co don vi nao ten nay")
    assert f"thuộc “{commune.name}”" in missing.error
