"""Who sees which documents: directives flow down to the units below, never sideways."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from danvan.accounts.models import Role, User
from danvan.accounts.testing import make_user
from danvan.core.errors import NotFound
from danvan.directives import selectors
from danvan.directives.models import Document
from danvan.units.models import Unit

from .factories import register

pytestmark = pytest.mark.django_db


@pytest.fixture
def actors(
    officer: User, province_officer: User, sibling_officer: User, village_officer: User
) -> dict[str, object]:
    return {
        "same": officer,
        "parent": province_officer,
        "sibling": sibling_officer,
        "child": village_officer,
        "national": make_user("quantri", Role.SYSTEM_ADMIN, None),
        "anonymous": AnonymousUser(),
    }


def sees(actor: object, doc: Document) -> bool:
    visible = selectors.documents_visible(actor).filter(pk=doc.pk).exists()
    try:
        selectors.document_get(user=actor, public_id=doc.public_id)
        got = True
    except NotFound:
        got = False
    assert visible == got  # the list and the detail page agree
    return got


def test_commune_document(commune: Unit, actors: dict[str, object]) -> None:
    doc = register(commune)
    seen = {name: sees(actor, doc) for name, actor in actors.items()}
    assert seen == {
        "same": True,
        "parent": True,
        "sibling": False,
        "child": True,  # a village implements its commune's plans
        "national": True,
        "anonymous": False,
    }


def test_province_document_flows_down(thai_nguyen: Unit, actors: dict[str, object]) -> None:
    doc = register(thai_nguyen, issuer_name="Tỉnh ủy", number="20-KH/TU", party_term="2025-2030")
    seen = {name: sees(actor, doc) for name, actor in actors.items()}
    assert seen == {
        "same": True,
        "parent": True,
        "sibling": True,
        "child": True,
        "national": True,
        "anonymous": False,
    }


def test_list_as_seen_from_a_unit(
    thai_nguyen: Unit, commune: Unit, sibling_commune: Unit, officer: User
) -> None:
    mine = register(commune, excerpt="Kế hoạch dân vận khéo của xã")
    province = register(thai_nguyen, issuer_name="UBND tỉnh")
    register(sibling_commune)
    rows = selectors.documents_list(user=officer, unit=commune, filters=selectors.Filters())
    assert set(rows) == {mine, province}
    found = selectors.documents_list(
        user=officer, unit=commune, filters=selectors.Filters(text="dan van KHEO")
    )
    assert list(found) == [mine]
    counts = selectors.family_counts(rows)
    assert counts["state"] == 2
