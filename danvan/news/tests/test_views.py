"""The officers' news pages over HTTP."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from danvan.accounts.models import User
from danvan.accounts.testing import login_verified
from danvan.news import services
from danvan.news.models import Article, Feedback
from danvan.units.models import Unit

from .conftest import photo_upload, published, write

pytestmark = pytest.mark.django_db
State = Article.State


def _client(user: User) -> Client:
    client = Client()
    login_verified(client, user)
    return client


def _form(**overrides: str) -> dict[str, str]:
    data = {
        "title": "Hội nghị biểu dương điển hình “Dân vận khéo”",
        "lead": "Tỉnh biểu dương 50 tập thể, cá nhân.",
        "body": "<p>Sáng 5/12, hội nghị đã diễn ra.</p>",
        "source": "",
        "byline": "",
        "tags": "Dân vận khéo",
        "expires_on": "",
    }
    data.update(overrides)
    return data


def test_anonymous_is_sent_to_login() -> None:
    response = Client().get(reverse("news:list"))
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_list_filters_and_counts_queries(
    commune: Unit, writer: User, django_assert_max_num_queries: Any
) -> None:
    for i in range(5):
        write(commune, writer, title=f"Bài {i}")
    client = _client(writer)
    client.get(reverse("news:list"))  # warm the session
    with django_assert_max_num_queries(25):
        response = client.get(reverse("news:list"), {"state": "draft", "mine": "1"})
    assert response.status_code == 200
    assert response.content.decode().count('href="/tin-tuc/') >= 5


def test_create_keeps_typed_text_on_error(commune: Unit, writer: User) -> None:
    client = _client(writer)
    url = reverse("news:create") + f"?unit={commune.code}"
    assert client.get(url).status_code == 200
    response = client.post(url, _form(title="", lead="<b>Sapo của tôi</b>"))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_title_error"' in page
    assert "&lt;b&gt;Sapo của tôi&lt;/b&gt;" in page
    assert not Article.objects.exists()


def test_create_then_submit(commune: Unit, writer: User) -> None:
    client = _client(writer)
    url = reverse("news:create") + f"?unit={commune.code}"
    response = client.post(url, _form())
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.author == writer
    assert article.state == State.DRAFT
    response = client.post(reverse("news:submit", args=[article.public_id]))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.state == State.IN_REVIEW


def test_province_article_picks_communes(
    thai_nguyen: Unit, commune: Unit, sibling_commune: Unit, province_writer: User
) -> None:
    client = _client(province_writer)
    url = reverse("news:create") + f"?unit={thai_nguyen.code}"
    response = client.post(url, _form(also_on=f"{commune.code}; {sibling_commune.code}"))
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get()
    assert set(article.also_on.all()) == {commune, sibling_commune}


def test_photo_upload_through_the_page(commune: Unit, writer: User) -> None:
    article = write(commune, writer)
    client = _client(writer)
    url = reverse("news:photo_add", args=[article.public_id])
    response = client.post(url, {"photo": photo_upload((50, 40)), "photo_alt": "", "caption": ""})
    assert response.status_code == 400
    assert 'id="id_photo_alt_error"' in response.content.decode()
    response = client.post(
        url, {"photo": photo_upload((50, 40)), "photo_alt": "Đường mới", "cover": "on"}
    )
    assert response.status_code == 302
    photo = article.photos.get()
    # The author sees the draft's photo; the public does not, yet.
    assert client.get(photo.get_absolute_url()).status_code == 200
    assert Client().get(photo.get_absolute_url()).status_code == 404


def test_editor_reviews_schedules_and_returns(commune: Unit, writer: User, editor: User) -> None:
    first = write(commune, writer, title="Một")
    second = write(commune, writer, title="Hai")
    for article in (first, second):
        services.article_submit(actor=writer, article=article)
    client = _client(editor)
    queue = client.get(reverse("news:review")).content.decode()
    assert "Một" in queue
    assert "Hai" in queue
    response = client.post(
        reverse("news:approve", args=[first.public_id]),
        {"publish_on": "31/12/2099", "publish_time": "07:30", "expires_on": ""},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.state == State.PUBLISHED
    assert first.publish_at is not None
    assert first.publish_at.year == 2099
    response = client.post(reverse("news:return", args=[second.public_id]), {"message": ""})
    assert response.status_code == 400
    response = client.post(
        reverse("news:return", args=[second.public_id]), {"message": "Bổ sung ảnh"}
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.state == State.DRAFT
    assert second.review_message == "Bổ sung ảnh"


def test_bad_time_keeps_the_form(commune: Unit, writer: User, editor: User) -> None:
    article = write(commune, writer)
    services.article_submit(actor=writer, article=article)
    response = _client(editor).post(
        reverse("news:approve", args=[article.public_id]),
        {"publish_on": "31/12/2099", "publish_time": "25:99"},
    )
    assert response.status_code == 400
    assert 'value="25:99"' in response.content.decode()


def test_writer_is_refused_the_editors_pages(commune: Unit, writer: User) -> None:
    article = write(commune, writer)
    services.article_submit(actor=writer, article=article)
    client = _client(writer)
    assert client.get(reverse("news:approve", args=[article.public_id])).status_code == 403
    assert client.post(reverse("news:approve", args=[article.public_id])).status_code == 403


def test_sibling_editor_sees_nothing(commune: Unit, writer: User, sibling_editor: User) -> None:
    article = write(commune, writer)
    client = _client(sibling_editor)
    assert client.get(reverse("news:detail", args=[article.public_id])).status_code == 404
    assert client.get(reverse("news:approve", args=[article.public_id])).status_code == 404


def test_feedback_queue_and_moderation(commune: Unit, editor: User) -> None:
    article = published(commune)
    item = services.feedback_submit(actor=None, article=article, text="<script>x</script>Hay")
    client = _client(editor)
    page = client.get(reverse("news:feedback")).content.decode()
    assert "&lt;script&gt;x&lt;/script&gt;Hay" in page
    assert "<script>x" not in page
    response = client.post(reverse("news:moderate", args=[item.pk]), {"action": "approve"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Feedback.Status.APPROVED


def test_answer_page_publishes_the_answer_on_the_portal(
    client: Client, commune: Unit, editor: User
) -> None:
    article = published(commune)
    item = services.feedback_submit(actor=None, article=article, text="Đường thôn 3 bao giờ sửa?")
    officer = _client(editor)
    url = reverse("news:answer", args=[item.pk])
    assert url in officer.get(reverse("news:feedback")).content.decode()
    page = officer.get(url)
    assert page.status_code == 200
    assert 'id="rule-notice"' in page.content.decode()  # answering also publishes it
    refused = officer.post(url, {"answer": "  "})
    assert refused.status_code == 400
    assert (
        'id="id_answer_error"' in refused.content.decode()
        or "is-invalid" in refused.content.decode()
    )
    item.refresh_from_db()
    assert item.status == Feedback.Status.PENDING
    done = officer.post(url, {"answer": "Quý I/2027 sẽ <b>khởi công</b>."})
    assert done.status_code == 302
    assert done["Location"].endswith(f"#feedback-{item.pk}")
    public = client.get(article.get_absolute_url()).content.decode()
    assert "Quý I/2027 sẽ &lt;b&gt;khởi công&lt;/b&gt;." in public
    assert "Trả lời của ban biên tập" in public


def test_answer_page_of_a_rejected_feedback_says_why(commune: Unit, editor: User) -> None:
    item = services.feedback_submit(actor=None, article=published(commune), text="Quảng cáo")
    services.feedback_moderate(actor=editor, feedback=item, action="reject")
    page = _client(editor).get(reverse("news:answer", args=[item.pk])).content.decode()
    assert 'id="not-allowed"' in page
    assert "<textarea" not in page


def test_detail_shows_actions_by_role(commune: Unit, writer: User, editor: User) -> None:
    article = write(commune, writer)
    services.article_submit(actor=writer, article=article)
    url = reverse("news:detail", args=[article.public_id])
    approve = reverse("news:approve", args=[article.public_id])
    assert approve not in _client(writer).get(url).content.decode()
    assert approve in _client(editor).get(url).content.decode()
