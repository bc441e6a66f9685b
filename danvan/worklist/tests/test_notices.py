"""In-app notices of new assignments, with their count in the top bar."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from danvan.accounts.models import Role, User
from danvan.accounts.testing import login_verified, make_user
from danvan.cases import services as case_services
from danvan.cases.identity import Identity
from danvan.cases.models import Case, Channel
from danvan.units.models import Unit
from danvan.worklist.models import Notice

pytestmark = pytest.mark.django_db

SENDER = Identity(full_name="Lê Văn Tố Cáo", phone="0912345678")


@pytest.fixture
def assigner(commune: Unit) -> User:
    return make_user("nt-admin", Role.LEADER, commune)


@pytest.fixture
def officer(commune: Unit) -> User:
    return make_user("nt-canbo", Role.OFFICER, commune)


@pytest.fixture
def case(officer: User, commune: Unit) -> Case:
    return case_services.case_receive(
        actor=officer,
        unit=commune,
        kind="denunciation",
        channel=Channel.LETTER,
        subject="Tố cáo sai phạm trong thu phí chợ",
        content="Nội dung tố cáo.",
        sender=SENDER,
        received_on=dt.date(2026, 3, 2),
    )


def _client(user: User) -> Client:
    client = Client()
    login_verified(client, user)
    return client


def test_an_assignment_tells_the_assignee_not_the_one_who_assigned(
    assigner: User, officer: User, case: Case
) -> None:
    case_services.case_assign(
        actor=assigner, case=case, version=case.version, users=[officer], lead=officer
    )
    notice = Notice.objects.get()
    assert notice.user == officer
    assert notice.kind == Notice.Kind.CASE_ASSIGNED
    assert notice.url == case.get_absolute_url()
    assert "Tố cáo sai phạm trong thu phí chợ" in notice.title
    # A denouncer's identity never goes into a notice.
    assert SENDER.full_name not in notice.title
    assert not Notice.objects.filter(user=assigner).exists()
    # Assigning the same people again tells nobody twice.
    case.refresh_from_db()
    case_services.case_assign(
        actor=assigner, case=case, version=case.version, users=[officer], lead=officer
    )
    assert Notice.objects.count() == 1


def test_the_top_bar_counts_unread_and_opening_marks_read(
    assigner: User, officer: User, case: Case
) -> None:
    case_services.case_assign(
        actor=assigner, case=case, version=case.version, users=[officer], lead=officer
    )
    client = _client(officer)
    home = client.get(reverse("dashboard:home")).content.decode()
    assert 'id="notices-count">1<' in home
    notice = Notice.objects.get()
    response = client.get(reverse("worklist:notice_open", args=[notice.pk]))
    assert response.status_code == 302
    assert response["Location"] == case.get_absolute_url()
    notice.refresh_from_db()
    assert notice.read_at is not None
    home = client.get(reverse("dashboard:home")).content.decode()
    assert 'id="notices-count"' not in home
    listing = client.get(reverse("worklist:notices")).content.decode()
    assert notice.title in listing


def test_another_users_notice_is_missing(assigner: User, officer: User, case: Case) -> None:
    case_services.case_assign(
        actor=assigner, case=case, version=case.version, users=[officer], lead=officer
    )
    notice = Notice.objects.get()
    response = _client(assigner).get(reverse("worklist:notice_open", args=[notice.pk]))
    assert response.status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_mark_all_read(assigner: User, officer: User, case: Case) -> None:
    case_services.case_assign(
        actor=assigner, case=case, version=case.version, users=[officer], lead=officer
    )
    client = _client(officer)
    assert client.get(reverse("worklist:notices_read")).status_code == 405
    response = client.post(reverse("worklist:notices_read"))
    assert response.status_code == 302
    assert not Notice.objects.filter(read_at__isnull=True).exists()


def test_a_notice_link_never_leaves_the_site(officer: User) -> None:
    notice = Notice.objects.create(
        user=officer, kind=Notice.Kind.OTHER, title="x", url="https://evil.example/"
    )
    response = _client(officer).get(reverse("worklist:notice_open", args=[notice.pk]))
    assert response["Location"] == reverse("worklist:notices")
