"""Denouncers are protected: their identity shows on one audited page, to the assigned
handler with the identity role, and nowhere else (Law on Denunciations 2018, art. 8)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from danvan.accounts.models import Role, User
from danvan.accounts.testing import make_user
from danvan.audit.models import AuditEvent
from danvan.cases import services
from danvan.cases.models import Case, IdentityScan
from danvan.units.models import Unit

from .conftest import DENOUNCER
from .test_views import (  # noqa: F401 - the autouse fixtures apply here too
    LIST,
    OVERDUE,
    PDF,
    QUEUE,
    STATS,
    STATS_EXCEL,
    case_url,
    frozen_time,
    logged_in,
    media_root,
    sheet_text,
    text,
)

pytestmark = pytest.mark.django_db

SECRETS = [v for v in dataclasses.asdict(DENOUNCER).values() if v]


def assert_no_secret(where: str, content: str) -> None:
    for secret in SECRETS:
        assert secret not in content, f"{secret!r} appears in {where}"


@pytest.fixture
def denunciations(receive: Callable[..., Case], leader: User, handler: User) -> tuple[Case, Case]:
    """One denunciation assigned to the handler (overdue), one waiting in the inbox."""
    scan = SimpleUploadedFile("don-to-cao.pdf", PDF, content_type="application/pdf")
    assigned = receive(
        kind="denunciation",
        sender=DENOUNCER,
        subject="Tố cáo cán bộ địa chính",
        content="Cán bộ địa chính nhận tiền khi làm thủ tục.",
        scans=[scan],
    )
    assigned = services.case_assign(
        actor=leader, case=assigned, version=assigned.version, users=[handler], lead=handler
    )
    waiting = receive(
        kind="denunciation",
        sender=DENOUNCER,
        subject="Tố cáo việc cấp phép xây dựng",
        content="Cấp phép sai quy hoạch.",
        received_on=dt.date(2026, 6, 29),
    )
    return assigned, waiting


def test_no_page_and_no_export_shows_the_denouncer(
    denunciations: tuple[Case, Case],
    commune: Unit,
    officer: User,
    handler: User,
    leader: User,
    system_admin: User,
) -> None:
    assigned, waiting = denunciations
    inspector = make_user("kiemtra-xa", Role.INSPECTOR, commune)
    unit = {"unit": commune.code}
    window = {**unit, "from": "01/01/2026", "to": "30/06/2026"}
    for user in (officer, leader, inspector, system_admin, handler):
        client = logged_in(user)
        pages = {
            "queue": client.get(QUEUE, unit),
            "inbox": client.get(QUEUE, {**unit, "tab": "inbox"}),
            "list": client.get(LIST, unit),
            "overdue": client.get(OVERDUE, unit),
            "stats": client.get(STATS, window),
        }
        for case in (assigned, waiting):
            pages[f"detail {case.reference}"] = client.get(case.get_absolute_url())
            pages[f"receipt {case.reference}"] = client.get(case_url("receipt", case))
        for name, response in pages.items():
            assert response.status_code == 200, (user, name)
            assert_no_secret(f"{name} for {user}", text(response))
        # The pages do show the cases, by alias.
        assert waiting.alias in text(pages["inbox"])
        assert assigned.alias in text(pages["list"])
        assert assigned.alias in text(pages["overdue"])

        excel = client.get(STATS_EXCEL, window)
        assert excel.status_code == 200
        cells = sheet_text(excel.content)
        assert "Tố cáo\n2" in cells
        assert_no_secret(f"Excel for {user}", cells)
        assert_no_secret(f"Excel bytes for {user}", excel.content.decode("latin-1"))

        # Only the assigned handler with the identity role gets the button, on their case.
        detail = text(pages[f"detail {assigned.reference}"])
        assert ("Xem danh tính người gửi" in detail) == (user == handler), user
        assert "Xem danh tính người gửi" not in text(pages[f"detail {waiting.reference}"])
    assert not AuditEvent.objects.filter(action="view").exists()


def test_the_handler_sees_the_identity_after_pressing_the_button(
    denunciations: tuple[Case, Case], handler: User
) -> None:
    assigned, _waiting = denunciations
    client = logged_in(handler)
    url = case_url("identity", assigned)
    assert client.get(url).status_code == 405  # a look is a deliberate POST

    response = client.post(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    page = text(response)
    for secret in SECRETS:
        assert secret in page
    event = AuditEvent.objects.get(action="view", object_pk=str(assigned.pk))
    assert event.actor == handler
    assert event.changes == {"viewed": [None, "identity"]}

    scan = IdentityScan.objects.get(identity__case=assigned)
    scan_url = case_url("identity_scan", assigned, scan_id=scan.pk)
    assert scan_url in page
    download = client.post(scan_url)
    assert download.status_code == 200
    assert download.content == PDF
    assert download["Cache-Control"] == "no-store"
    assert "attachment" in download["Content-Disposition"]
    assert AuditEvent.objects.filter(action="view", object_pk=str(assigned.pk)).count() == 2


def test_nobody_else_sees_the_identity(
    denunciations: tuple[Case, Case],
    commune: Unit,
    sibling_commune: Unit,
    officer: User,
    handler: User,
    leader: User,
    system_admin: User,
) -> None:
    assigned, waiting = denunciations
    url = case_url("identity", assigned)
    scan = IdentityScan.objects.get(identity__case=assigned)
    scan_url = case_url("identity_scan", assigned, scan_id=scan.pk)
    # An officer of the unit who is not assigned, the leader, an administrator: 403.
    for user in (officer, leader, system_admin):
        client = logged_in(user)
        assert client.post(url).status_code == 403, user
        assert client.post(scan_url).status_code == 403, user
    # The handler, on a denunciation they are not assigned to: 403 as well.
    assert logged_in(handler).post(case_url("identity", waiting)).status_code == 403
    # Out of sight: 404, like a missing case; anonymous: to the login page.
    sibling = make_user("canbo-ben", Role.OFFICER, sibling_commune)
    assert logged_in(sibling).post(url).status_code == 404
    assert logged_in(sibling).post(scan_url).status_code == 404
    assert (
        logged_in(handler).post(case_url("identity_scan", assigned, scan_id=0)).status_code == 404
    )
    anonymous = logged_in(officer)
    anonymous.logout()
    assert anonymous.post(url).status_code == 302
    assert not AuditEvent.objects.filter(action="view").exists()


def test_other_senders_are_known_to_the_unit_handlers(
    receive: Callable[..., Case], officer: User, leader: User
) -> None:
    case = receive()  # a feedback from Trần Thị Bình
    assert "Trần Thị Bình" not in text(logged_in(officer).get(case.get_absolute_url()))
    response = logged_in(officer).post(case_url("identity", case))
    assert response.status_code == 200
    assert "Trần Thị Bình" in text(response)
    assert logged_in(leader).post(case_url("identity", case)).status_code == 403
