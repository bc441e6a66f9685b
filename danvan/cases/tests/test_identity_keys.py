"""An identity the configured keys do not open — a database restored without its key file
(docs/operations.md, "Backups and restore") — is a clear message, never a 500: the case
stays there to work on, who sent it waits for the keys."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from cryptography.fernet import Fernet
from django.test import Client, override_settings
from django.urls import reverse

from danvan.accounts.models import User
from danvan.accounts.testing import login_verified
from danvan.cases import identity, services
from danvan.cases.models import Case

from .conftest import DENOUNCER

pytestmark = pytest.mark.django_db


@pytest.fixture
def restored_without_keys(
    receive: Callable[..., Case], handler: User, leader: User
) -> Iterator[Case]:
    """A denunciation, assigned to the handler, then read on a node with another key."""
    case = receive(kind="denunciation", sender=DENOUNCER, received_on=dt.date(2026, 3, 2))
    services.case_assign(
        actor=leader, case=case, version=case.version, users=[handler], lead=handler
    )
    case.refresh_from_db()
    with override_settings(IDENTITY_KEYS=[Fernet.generate_key().decode()]):
        identity._cipher_for.cache_clear()
        yield case
    identity._cipher_for.cache_clear()


def test_the_service_says_the_keys_do_not_match(restored_without_keys: Case, handler: User) -> None:
    with pytest.raises(identity.IdentityUnreadable) as exc:
        services.identity_view(actor=handler, case=restored_without_keys)
    assert exc.value.status_code == 503
    assert exc.value.code == "identity_unreadable"
    assert "DANVAN_IDENTITY_KEYS_FILE" in exc.value.message


def test_the_identity_page_goes_back_to_the_case_with_the_message(
    restored_without_keys: Case, handler: User
) -> None:
    client = Client()
    login_verified(client, handler)
    url = reverse("cases:identity", kwargs={"public_id": restored_without_keys.public_id})
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == restored_without_keys.get_absolute_url()
    page = response.content.decode()
    assert "Không giải mã được danh tính người gửi" in page
    assert restored_without_keys.subject in page
    assert DENOUNCER.full_name not in page


def test_the_api_answers_503_problem_json(restored_without_keys: Case, handler: User) -> None:
    from danvan.api.tests.helpers import assert_problem, bearer

    response = Client().get(
        f"/api/v1/cases/{restored_without_keys.public_id}/identity", headers=bearer(handler)
    )
    body = assert_problem(response, 503, "identity_unreadable")
    assert "khôi phục tệp khoá" in body["detail"]
    assert DENOUNCER.full_name not in response.content.decode()
