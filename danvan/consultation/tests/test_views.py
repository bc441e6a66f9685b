"""The officers' consultation pages through HTTP: the access walk, the life of a
consultation through the forms, refused input (HTTP 400, nothing written), contacts only
for managers, and the list's constant number of queries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danvan.accounts.models import Role, User
from danvan.accounts.testing import READ_SCOPED, Cast, login_verified, make_user, walk
from danvan.consultation import services
from danvan.consultation.models import Comment, Consultation
from danvan.units.models import Unit

from .conftest import TODAY, draft, opened

pytestmark = pytest.mark.django_db
LIST = reverse("consultation:list")


@pytest.fixture
def cast(access_cast: Callable[..., Cast], commune: Unit) -> Cast:
    return access_cast(commune)


def client_of(user: User | None) -> Client:
    client = Client()
    if user is not None:
        login_verified(client, user)
    return client


def url(name: str, consultation: Consultation) -> str:
    return reverse(f"consultation:{name}", args=[consultation.public_id])


def text(response: Any) -> str:
    return str(response.content.decode())


def test_officer_pages_are_scoped(cast: Cast) -> None:
    consultation = opened(cast.unit)
    comment = services.comment_submit(actor=None, consultation=consultation, text="Ý kiến")
    code = cast.unit.code
    # A unit typed in a list filter (the unit picker) out of sight is refused like a
    # missing one: the filter form comes back with the message (400).
    walk(cast, f"{LIST}?unit={code}", expect={**READ_SCOPED, "sibling": 400})
    walk(cast, f"{LIST}?unit={code}&state=open", expect={**READ_SCOPED, "sibling": 400})
    walk(cast, f"{reverse('consultation:create')}?unit={code}", expect=READ_SCOPED)
    for name in ("detail", "open", "close", "report"):
        walk(cast, url(name, consultation), expect=READ_SCOPED)
    expect_post = {**READ_SCOPED, "same": 400, "parent": 400, "admin": 400}
    walk(
        cast,
        reverse("consultation:comment_answer", args=[comment.pk]),
        method="post",
        data={},
        expect=expect_post,
    )


def test_a_consultation_through_the_forms(cast: Cast) -> None:
    client = client_of(cast.users["same"])
    create = f"{reverse('consultation:create')}?unit={cast.unit.code}"
    data = {"subject": "project", "title": "Dự án đường liên thôn", "draft": ""}
    response = client.post(create, data)
    assert response.status_code == 400
    assert 'id="error-summary"' in text(response)
    assert not Consultation.objects.exists()
    response = client.post(create, {**data, "draft": "Mở rộng đường lên 6 m."})
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert response["Location"] == url("detail", consultation)

    # A period ending before it starts: 400, beside the field, nothing changed.
    response = client.post(
        url("open", consultation), {"opens_on": "20/05/2026", "closes_on": "12/05/2026"}
    )
    assert response.status_code == 400
    assert "phải từ ngày bắt đầu (20/05/2026) trở đi" in text(response)
    consultation.refresh_from_db()
    assert consultation.state == "draft"
    response = client.post(
        url("open", consultation), {"opens_on": "10/05/2026", "closes_on": "30/05/2026"}
    )
    assert response.status_code == 302

    comment = services.comment_submit(
        actor=None,
        consultation=consultation,
        text="Đề nghị làm rãnh thoát nước.",
        commenter_name="Trần Thị Bình",
        contact="binh@example.vn",
    )
    body = text(client.get(url("detail", consultation)))
    assert "Đề nghị làm rãnh thoát nước." in body
    assert "binh@example.vn" in body  # the manager sees the contact
    moderate = reverse("consultation:comment_moderate", args=[comment.pk])
    response = client.post(moderate, {f"m{comment.pk}-action": "reject"})
    assert response.status_code == 400
    assert "Cần ghi lý do" in text(response)
    response = client.post(moderate, {f"m{comment.pk}-action": "publish"})
    assert response.status_code == 302
    response = client.post(url("close", consultation), {"confirm": "on"})
    assert response.status_code == 302
    response = client.post(url("report", consultation), {"report": "Đã tiếp thu."})
    assert response.status_code == 400
    assert "Còn 1 ý kiến chưa trả lời" in text(response)
    answer = reverse("consultation:comment_answer", args=[comment.pk])
    response = client.post(answer, {f"a{comment.pk}-answer": "Sẽ làm rãnh hai bên đường."})
    assert response.status_code == 302
    response = client.post(url("report", consultation), {"report": "Đã tiếp thu ý kiến."})
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert (consultation.state, consultation.reported_on) == ("reported", TODAY)


def test_readers_without_manage_see_no_contacts_and_cannot_write(commune: Unit) -> None:
    consultation = opened(commune)
    comment = services.comment_submit(
        actor=None,
        consultation=consultation,
        text="Ý kiến riêng",
        commenter_name="Lê Văn Cường",
        contact="0987 000 111",
    )
    reviewer = client_of(make_user("thamdinh", Role.REVIEWER, commune))
    body = text(reviewer.get(url("detail", consultation)))
    assert "Ý kiến riêng" in body
    assert "0987 000 111" not in body
    assert "Lê Văn Cường" not in body
    moderate = reverse("consultation:comment_moderate", args=[comment.pk])
    assert reviewer.post(moderate, {f"m{comment.pk}-action": "publish"}).status_code == 403
    assert reviewer.post(url("close", consultation), {"confirm": "on"}).status_code == 403
    comment.refresh_from_db()
    consultation.refresh_from_db()
    assert (comment.status, consultation.state) == (Comment.Status.PENDING, "open")


def test_the_list_runs_a_constant_number_of_queries(commune: Unit, manager: User) -> None:
    client = client_of(manager)
    page = f"{LIST}?unit={commune.code}"
    opened(commune)
    client.get(page)  # warm the session and grants
    with CaptureQueriesContext(connection) as few:
        assert client.get(page).status_code == 200
    for _ in range(4):
        consultation = opened(commune)
        services.comment_submit(actor=None, consultation=consultation, text="Ý kiến")
        draft(commune)
    with CaptureQueriesContext(connection) as many:
        body = text(client.get(page))
    assert body.count("Dự thảo kế hoạch sử dụng đất năm 2027") == 9
    assert len(many) == len(few)


def test_the_detail_runs_a_constant_number_of_queries(commune: Unit, manager: User) -> None:
    client = client_of(manager)
    consultation = opened(commune)
    services.comment_submit(actor=None, consultation=consultation, text="Ý kiến 1")
    client.get(url("detail", consultation))
    with CaptureQueriesContext(connection) as few:
        client.get(url("detail", consultation))
    for n in range(5):
        c = services.comment_submit(actor=None, consultation=consultation, text=f"Ý kiến {n}")
        if n % 2:
            services.comment_moderate(actor=None, comment=c, action="publish")
    with CaptureQueriesContext(connection) as many:
        client.get(url("detail", consultation))
    assert len(many) == len(few)
