"""Nothing personal leaves through the portal or Open311: not a sender's name, phone,
e-mail, ID number or address, not a case's alias; and denunciations are never listed
(Law on Denunciations 2018, art. 8; Law 91/2025/QH15)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import requests
from django.test import Client
from django.urls import reverse
from georeport import GeoReport

from danvan.accounts.models import User
from danvan.cases import services
from danvan.cases.identity import Identity
from danvan.cases.models import Case, Channel
from danvan.cases.tests.conftest import DENOUNCER
from danvan.units.models import Unit

from .test_views import ready_token

pytestmark = pytest.mark.django_db

CITIZEN = Identity(
    full_name="Vũ Thị Riêng Tư",
    address="Số 9 ngõ Kín, tổ 7",
    id_number="001199012345",
    phone="0977665544",
    email="rieng.tu@example.vn",
)


def _personal(who: Identity, case: Case) -> list[str]:
    values = [who.full_name, who.address, who.id_number, who.phone, who.email, case.alias]
    return [v for v in values if v]


def _everything_public(client: Client, root: str, commune: Unit, cases: list[Case]) -> str:
    """Every portal page and every Open311 read, in both formats, as one text."""
    texts = [
        client.get(reverse(f"portal:{name}"), {"province": commune.parent.code}).content.decode()  # type: ignore[union-attr]
        for name in ("home", "submit", "submitted", "lookup", "schedules", "dialogues")
    ]
    for case in cases:
        texts.append(
            client.post(reverse("portal:lookup"), {"code": case.lookup_code}).content.decode()
        )
    for fmt in ("json", "xml"):
        for path in ("services", "requests"):
            texts.append(requests.get(f"{root}/{path}.{fmt}", timeout=10).text)
        for case in cases:
            texts.append(requests.get(f"{root}/requests/{case.reference}.{fmt}", timeout=10).text)
        texts.append(
            requests.get(
                f"{root}/requests.{fmt}",
                params={"service_request_id": ",".join(c.reference for c in cases)},
                timeout=10,
            ).text
        )
    return "\n".join(texts)


def test_no_page_and_no_open311_answer_reveals_a_sender(
    client: Client,
    open311_root: str,
    commune: Unit,
    officer: User,
    receive: Callable[..., Case],
) -> None:
    portal = receive(actor=None, channel=Channel.PORTAL, sender=CITIZEN, address="Chợ xã")
    open311 = receive(actor=None, channel=Channel.OPEN311, kind="petition", sender=CITIZEN)
    denunciation = receive(kind="denunciation", sender=DENOUNCER)
    # A denunciation that came through a public channel (received by an officer), and a
    # portal feedback an officer then classified as a denunciation.
    posted = receive(kind="denunciation", sender=DENOUNCER, channel=Channel.PORTAL)
    moved = receive(actor=None, channel=Channel.PORTAL, sender=DENOUNCER)
    moved = services.case_classify(
        actor=officer, case=moved, version=moved.version, kind="denunciation", complexity=0
    )
    cases = [portal, open311, denunciation, posted, moved]
    text = _everything_public(client, open311_root, commune, cases)

    for case, who in zip(cases, [CITIZEN, CITIZEN, DENOUNCER, DENOUNCER, DENOUNCER], strict=True):
        for value in _personal(who, case):
            assert value not in text, value
        # The lookup page shows neither the content nor the subject.
        assert case.content not in text
    # Open311 lists only the feedback and the petition.
    listed = {r["service_request_id"] for r in GeoReport(open311_root).get_service_requests()}
    assert listed == {portal.reference, open311.reference}
    for case in (denunciation, posted, moved):
        assert (
            requests.get(f"{open311_root}/requests/{case.reference}.json", timeout=10).status_code
            == 404
        )


def test_a_sender_who_writes_through_the_portal_is_not_shown_back(
    client: Client, open311_root: str, commune: Unit
) -> None:
    response = client.post(
        reverse("portal:submit"),
        {
            "province": commune.parent.code,  # type: ignore[union-attr]
            "kind": "feedback",
            "commune": commune.code,
            "subject": "Rác thải ứ đọng",
            "content": "Bãi rác tạm ở cuối thôn lâu ngày không được thu gom.",
            "full_name": CITIZEN.full_name,
            "phone": CITIZEN.phone,
            "email": CITIZEN.email,
            "contact_address": CITIZEN.address,
            "consent": "on",
            "form_token": ready_token(),
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    shown = client.get(reverse("portal:submitted")).content.decode()
    text = shown + _everything_public(client, open311_root, commune, [case])
    for value in _personal(CITIZEN, case):
        assert value not in text, value


def test_posting_through_open311_is_not_shown_back(open311_root: str, commune: Unit) -> None:
    created = requests.post(
        f"{open311_root}/requests.json",
        data={
            "jurisdiction_id": commune.code,
            "service_code": "feedback",
            "description": "Ổ gà lớn trên đường liên xã.",
            "first_name": "Riêng Tư",
            "last_name": "Vũ Thị",
            "email": CITIZEN.email,
            "phone": CITIZEN.phone,
        },
        timeout=10,
    )
    assert created.status_code == 201
    for value in (CITIZEN.full_name, CITIZEN.phone, CITIZEN.email, "Riêng Tư"):
        assert value not in created.text
    case = Case.objects.get()
    for fmt in ("json", "xml"):
        text = requests.get(f"{open311_root}/requests/{case.reference}.{fmt}", timeout=10).text
        text += requests.get(f"{open311_root}/requests.{fmt}", timeout=10).text
        for value in (CITIZEN.full_name, CITIZEN.phone, CITIZEN.email, "Riêng Tư", case.alias):
            assert value not in text
        for field in ("first_name", "last_name", "email", "phone"):
            assert field not in text
