from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from danvan.accounts.models import User
from danvan.accounts.testing import Cast, login_verified, make_user, walk
from danvan.audit.models import AuditEvent
from danvan.units import services
from danvan.units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee(commune: Unit) -> Unit:
    return services.unit_create(
        actor=None, parent=commune, kind=UnitKind.PARTY_COMMITTEE, name="Đảng ủy xã"
    )


def test_move_page_access(access_cast: Callable[..., Cast], commune: Unit, committee: Unit) -> None:
    cast = access_cast(commune, role="unit_admin")
    url = reverse("units:move", args=[committee.code])
    walk(
        cast,
        url,
        expect={"anonymous": 302, "same": 200, "sibling": 404, "parent": 200, "admin": 200},
    )
    officer = make_user("officer-no-move", "officer", commune)
    client = cast.client("anonymous")
    client.force_login(officer)
    assert client.get(url).status_code == 403
    # Provinces and communes are never moved by hand.
    assert cast.client("admin").get(reverse("units:move", args=[commune.code])).status_code == 404


def test_move_under_own_descendant_is_refused_and_writes_nothing(
    system_admin: User, committee: Unit, client: Client
) -> None:
    commission = services.unit_create(
        actor=None, parent=committee, kind=UnitKind.PARTY_COMMISSION, name="Ban Dân vận"
    )
    login_verified(client, system_admin)
    before = (committee.path, AuditEvent.objects.count())
    response = client.post(
        reverse("units:move", args=[committee.code]), {"new_parent": commission.code}
    )
    assert response.status_code == 400
    assert "trực thuộc chính nó" in response.content.decode()
    committee.refresh_from_db()
    assert (committee.path, AuditEvent.objects.count()) == before


def test_move_to_unknown_or_unseen_code_is_refused(
    commune: Unit, sibling_commune: Unit, committee: Unit, client: Client
) -> None:
    admin = make_user("xa-admin", "unit_admin", commune)
    login_verified(client, admin)
    url = reverse("units:move", args=[committee.code])
    for code in ("khong-co", sibling_commune.code):
        response = client.post(url, {"new_parent": code})
        assert response.status_code == 400
        assert f"Không tìm thấy đơn vị “{code}” trong phạm vi" in response.content.decode()
    committee.refresh_from_db()
    assert committee.parent_id == commune.pk


def test_move_to_another_level(
    system_admin, commune: Unit, sibling_commune: Unit, committee: Unit, client
) -> None:
    login_verified(client, system_admin)
    response = client.post(
        reverse("units:move", args=[committee.code]), {"new_parent": sibling_commune.code}
    )
    assert response.status_code == 302
    committee.refresh_from_db()
    assert committee.parent_id == sibling_commune.pk
    assert committee.path.startswith(sibling_commune.path)


def test_move_to_a_level_typed_by_name(
    system_admin, sibling_commune: Unit, committee: Unit, client
) -> None:
    login_verified(client, system_admin)
    # "Phường Bắc Kạn — Thái Nguyên", as the picker shows it, typed without diacritics.
    typed = f"{sibling_commune.name_folded} — thai nguyen"
    response = client.post(reverse("units:move", args=[committee.code]), {"new_parent": typed})
    assert response.status_code == 302
    committee.refresh_from_db()
    assert committee.parent_id == sibling_commune.pk
