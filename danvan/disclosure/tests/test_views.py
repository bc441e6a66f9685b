"""The disclosure pages through HTTP: the access walk, constant queries on lists, the
forms (GOV.UK errors, HTTP 400, nothing written), uploads, and the portal list."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danvan.accounts.models import User
from danvan.accounts.testing import READ_SCOPED, Cast, login_verified, walk
from danvan.disclosure import services
from danvan.disclosure.models import Disclosure, DisclosureEvidence, DisclosureForm
from danvan.disclosure.services import ChannelSpec
from danvan.units.models import Unit

from .conftest import kind

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2026, 6, 30, 9, 0, tzinfo=HCM)
LIST = reverse("disclosure:list")
CREATE = reverse("disclosure:create")
COMPLIANCE = reverse("disclosure:compliance")
CATALOGUE = reverse("disclosure:catalogue")
PORTAL = reverse("portal:disclosures")
TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


@pytest.fixture
def cast(access_cast: Callable[..., Cast], commune: Unit) -> Cast:
    return access_cast(commune)


def client_of(user: User) -> Client:
    client = Client()
    login_verified(client, user)
    return client


def text(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


@time_machine.travel(NOW, tick=False)
def test_pages_are_scoped(
    cast: Cast, record: Callable[..., Disclosure], media_root: Path, officer: User
) -> None:
    disclosure = record(channels=[ChannelSpec(DisclosureForm.POSTING, dt.date(2026, 1, 5))])
    evidence = services.evidence_add(
        actor=officer,
        disclosure=disclosure,
        file=SimpleUploadedFile("a.pdf", PDF, "application/pdf"),
    )
    code = cast.unit.code
    # A unit typed in a list filter (the unit picker) out of sight is refused like a
    # missing one: the filter form comes back with the message (400).
    filtered = {**READ_SCOPED, "sibling": 400}
    walk(cast, f"{LIST}?unit={code}", expect=filtered)
    walk(cast, f"{CREATE}?unit={code}", expect=READ_SCOPED)
    walk(cast, f"{COMPLIANCE}?unit={code}&from=01/01/2026&to=30/06/2026", expect=filtered)
    walk(cast, disclosure.get_absolute_url(), expect=READ_SCOPED)
    walk(cast, reverse("disclosure:edit", args=[disclosure.public_id]), expect=READ_SCOPED)
    walk(
        cast,
        reverse("disclosure:evidence_file", args=[disclosure.public_id, evidence.pk]),
        expect=READ_SCOPED,
    )
    # National rule data: anyone signed in.
    walk(cast, CATALOGUE, expect={**READ_SCOPED, "sibling": 200})


@time_machine.travel(NOW, tick=False)
def test_the_list_runs_a_constant_number_of_queries(
    officer: User, commune: Unit, record: Callable[..., Disclosure]
) -> None:
    client = client_of(officer)
    url = f"{LIST}?unit={commune.code}"
    record(channels=[ChannelSpec(DisclosureForm.POSTING, dt.date(2026, 1, 5))])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in range(2, 8):
        record(
            kind=kind(n),
            title=f"Nội dung {n}",
            channels=[
                ChannelSpec(DisclosureForm.POSTING, dt.date(2026, 1, 5)),
                ChannelSpec(DisclosureForm.WEBSITE, dt.date(2026, 1, 5)),
            ],
        )
    with CaptureQueriesContext(connection) as seven:
        response = client.get(url)
    assert len(seven) == len(one)
    assert "Nội dung 7" in text(response)


@time_machine.travel(NOW, tick=False)
def test_create_with_forms_then_add_a_loudspeaker_run(officer: User, commune: Unit) -> None:
    client = client_of(officer)
    response = client.post(
        f"{CREATE}?unit={commune.code}",
        {
            "kind": kind(7).pk,
            "title": "Mức thu phí chợ",
            "start": "01/03/2026",
            "end": "31/03/2026",
            "is_public": "on",
            "forms": [DisclosureForm.POSTING, DisclosureForm.WEBSITE],
        },
    )
    assert response.status_code == 302
    disclosure = Disclosure.objects.get()
    assert set(disclosure.channels.values_list("form", flat=True)) == {"posting", "website"}
    detail = client.get(disclosure.get_absolute_url())
    assert "Chưa phát trên hệ thống truyền thanh" in text(detail)
    add = reverse("disclosure:channel_add", args=[disclosure.public_id])
    bad = client.post(add, {"form": "loudspeaker", "start": "05/03/2026", "end": "04/03/2026"})
    assert bad.status_code == 400
    assert "error-summary" in text(bad)
    assert disclosure.channels.count() == 2
    ok = client.post(add, {"form": "loudspeaker", "start": "02/03/2026", "end": "04/03/2026"})
    assert ok.status_code == 302
    assert "Chưa phát trên hệ thống truyền thanh" not in text(client.get(ok["Location"]))


@time_machine.travel(NOW, tick=False)
def test_bad_create_answers_400_beside_the_field_and_writes_nothing(
    officer: User, commune: Unit
) -> None:
    client = client_of(officer)
    response = client.post(
        f"{CREATE}?unit={commune.code}",
        {"kind": kind(1).pk, "title": "Kế hoạch", "start": "10/03/2026", "end": "01/03/2026"},
    )
    assert response.status_code == 400
    body = text(response)
    assert "error-summary" in body
    assert 'id="id_end_error"' in body
    assert not Disclosure.objects.exists()
    wrong = client.post(
        f"{CREATE}?unit={commune.code}",
        {"kind": kind(1, "agency").pk, "title": "X", "start": "10/03/2026"},
    )
    assert wrong.status_code == 400  # not even offered for a commune
    assert not Disclosure.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_evidence_upload_is_checked_by_content(
    officer: User, record: Callable[..., Disclosure], media_root: Path
) -> None:
    disclosure = record()
    client = client_of(officer)
    url = reverse("disclosure:evidence_add", args=[disclosure.public_id])
    fake = SimpleUploadedFile("anh.jpg", b"MZ not a jpeg", "image/jpeg")
    bad = client.post(url, {"file": fake, "caption": "x"})
    assert bad.status_code == 400
    assert not DisclosureEvidence.objects.exists()
    good = SimpleUploadedFile("bang-tin.pdf", PDF, "application/pdf")
    assert client.post(url, {"file": good, "caption": "Bảng tin"}).status_code == 302
    item = DisclosureEvidence.objects.get()
    download = client.get(reverse("disclosure:evidence_file", args=[disclosure.public_id, item.pk]))
    assert download.status_code == 200
    assert download["Cache-Control"] == "private, no-store"


@time_machine.travel(NOW, tick=False)
def test_compliance_page_shows_findings_with_citations(
    officer: User, commune: Unit, record: Callable[..., Disclosure]
) -> None:
    record(
        kind=kind(8),
        start=dt.date(2026, 3, 1),
        channels=[
            ChannelSpec(DisclosureForm.LOUDSPEAKER, dt.date(2026, 3, 2), dt.date(2026, 3, 3))
        ],
    )
    client = client_of(officer)
    response = client.get(f"{COMPLIANCE}?unit={commune.code}&from=01/01/2026&to=30/06/2026")
    body = text(response)
    assert response.status_code == 200
    assert "Phát trên hệ thống truyền thanh 2 ngày liên tục, cần ít nhất 3 ngày." in body
    assert "Điều 11 khoản 8" in body
    # "To verify" marks on this operational page are for administrators only.
    assert "cần đối chiếu" not in body
    backwards = client.get(f"{COMPLIANCE}?unit={commune.code}&from=01/06/2026&to=01/01/2026")
    assert backwards.status_code == 400


def test_catalogue_shows_citations_and_to_verify_badges(officer: User) -> None:
    body = text(client_of(officer).get(CATALOGUE))
    assert "Điều 11 khoản 1" in body
    assert body.count("cần đối chiếu") >= 11
    assert "Kế hoạch phát triển kinh tế - xã hội" in body


@time_machine.travel(NOW, tick=False)
def test_portal_shows_public_disclosures_and_hides_the_others(
    record: Callable[..., Disclosure], commune: Unit, sibling_commune: Unit
) -> None:
    record(title="Bảng giá phí chợ công khai", kind=kind(7), is_public=True)
    record(title="Dự thảo nội bộ chưa công khai", kind=kind(2), is_public=False)
    record(
        unit=sibling_commune,
        title="Kế hoạch của xã bên cạnh",
        start=dt.date(2026, 2, 1),
        is_public=True,
    )
    anonymous = Client()
    body = text(anonymous.get(PORTAL))
    assert "Bảng giá phí chợ công khai" in body
    assert "Kế hoạch của xã bên cạnh" in body
    assert "Dự thảo nội bộ chưa công khai" not in body
    assert body.index("Kế hoạch của xã bên cạnh") < body.index("Bảng giá phí chợ công khai")
    province = commune.parent
    assert province is not None
    filtered = text(anonymous.get(f"{PORTAL}?province={province.code}&commune={commune.code}"))
    assert "Bảng giá phí chợ công khai" in filtered
    assert "Kế hoạch của xã bên cạnh" not in filtered


@time_machine.travel(NOW, tick=False)
def test_portal_runs_a_constant_number_of_queries(
    record: Callable[..., Disclosure], commune: Unit
) -> None:
    client = Client()
    record(channels=[ChannelSpec(DisclosureForm.POSTING, dt.date(2026, 1, 5))])
    client.get(PORTAL)
    with CaptureQueriesContext(connection) as one:
        client.get(PORTAL)
    for n in range(2, 6):
        record(kind=kind(n), channels=[ChannelSpec(DisclosureForm.WEBSITE, dt.date(2026, 1, 5))])
    with CaptureQueriesContext(connection) as five:
        client.get(PORTAL)
    assert len(five) == len(one)


def test_templates_keep_to_the_csp() -> None:
    files = [*TEMPLATES.rglob("*.html")]
    files.append(TEMPLATES.parents[1] / "portal" / "templates" / "portal" / "disclosures.html")
    for path in files:
        source = path.read_text()
        assert "<script" not in source, path
        assert "<style" not in source, path
        assert not re.search(r"\sstyle=", source), path
        assert not re.search(r"\son[a-z]+=", source), path
