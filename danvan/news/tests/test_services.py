"""The news services: writing, the workflow per actor, scheduling, publishing to communes,
photos, readers' feedback."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from PIL import Image

from danvan.accounts.models import User
from danvan.audit.models import AuditEvent
from danvan.core.errors import DomainError, NotFound, PermissionDenied
from danvan.core.images import MAX_SIDE
from danvan.news import selectors, services
from danvan.news.models import Article, ArticleEvent, Feedback, Tag
from danvan.units.models import Unit

from .conftest import DAY, photo_upload, published, write

State = Article.State
pytestmark = pytest.mark.django_db


# --- writing -----------------------------------------------------------------------------


def test_create_sanitizes_normalizes_and_records(commune: Unit, writer: User) -> None:
    article = write(
        commune,
        writer,
        title="  Hội nghị   điển hình  ",
        body='<p onclick="x">Nội dung</p><script>alert(1)</script>',
        tags="Dân vận khéo, dan van kheo ,  Công khai,,",
    )
    assert article.state == State.DRAFT
    assert article.title == "Hội nghị điển hình"
    assert article.slug == "hoi-nghi-dien-hinh"
    assert article.body == "<p>Nội dung</p>"
    assert article.byline == writer.full_name
    assert sorted(t.slug for t in article.tags.all()) == ["cong-khai", "dan-van-kheo"]
    assert AuditEvent.objects.filter(object_pk=str(article.pk), action="create").exists()
    assert ArticleEvent.objects.filter(article=article, action="create").count() == 1


def test_slug_has_no_diacritics(commune: Unit) -> None:
    assert write(commune, title="Đại Từ đón Bằng công nhận").slug == "dai-tu-don-bang-cong-nhan"


def test_tags_are_shared_by_folded_name(commune: Unit) -> None:
    write(commune, tags="Dân vận khéo")
    write(commune, tags="dân vận KHÉO")
    assert Tag.objects.filter(slug="dan-van-kheo").count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", ""),
        ("title", "x" * 301),
        ("lead", "   "),
        ("body", "<script>alert(1)</script>"),
        ("body", "<p> </p>"),
        ("tags", "a" * 61),
        ("tags", ",".join(f"t{i}" for i in range(11))),
    ],
)
def test_bad_text_is_refused_beside_its_field(
    commune: Unit, writer: User, field: str, value: str
) -> None:
    with pytest.raises(DomainError) as exc:
        write(commune, writer, **{field: value})
    assert field in {p.field for p in exc.value.problems}
    assert not Article.objects.exists()


def test_nul_bytes_are_dropped(commune: Unit, writer: User) -> None:
    article = write(commune, writer, title="Tin\x00 mới", lead="Sa\x00po")
    assert article.title == "Tin mới"
    assert article.lead == "Sapo"


def test_only_levels_write_news(commune: Unit) -> None:
    from danvan.units import services as unit_services
    from danvan.units.models import UnitKind

    village = unit_services.unit_create(
        actor=None, parent=commune, kind=UnitKind.VILLAGE, name="Thôn 3", households=10
    )
    with pytest.raises(DomainError):
        write(village)


def test_officer_of_a_sibling_cannot_write(sibling_commune: Unit, writer: User) -> None:
    with pytest.raises(NotFound):
        write(sibling_commune, writer)


# --- the workflow, per actor ---------------------------------------------------------------


def test_author_submits_editor_approves(commune: Unit, writer: User, editor: User) -> None:
    article = write(commune, writer)
    services.article_submit(actor=writer, article=article)
    done = services.article_approve(actor=editor, article=article)
    assert done.state == State.PUBLISHED
    assert done.reviewed_by == editor
    assert done.publish_at is not None
    assert done.publish_at <= timezone.now()
    actions = list(ArticleEvent.objects.filter(article=article).values_list("action", flat=True))
    assert actions == ["create", "submit", "approve"]


def test_author_cannot_approve_own_article(commune: Unit, writer: User) -> None:
    article = write(commune, writer)
    services.article_submit(actor=writer, article=article)
    with pytest.raises(PermissionDenied):
        services.article_approve(actor=writer, article=article)
    article.refresh_from_db()
    assert article.state == State.IN_REVIEW


def test_editor_may_approve_own_article(commune: Unit, editor: User) -> None:
    article = write(commune, editor)
    services.article_submit(actor=editor, article=article)
    assert services.article_approve(actor=editor, article=article).state == State.PUBLISHED


def test_province_editor_approves_a_communes_article(
    commune: Unit, writer: User, province_editor: User
) -> None:
    article = write(commune, writer)
    services.article_submit(actor=writer, article=article)
    assert services.article_approve(actor=province_editor, article=article).state == (
        State.PUBLISHED
    )


def test_sibling_editor_is_refused_like_missing(
    commune: Unit, writer: User, sibling_editor: User
) -> None:
    article = write(commune, writer)
    services.article_submit(actor=writer, article=article)
    for call in (services.article_approve, services.article_submit):
        with pytest.raises(NotFound):
            call(actor=sibling_editor, article=article)
    with pytest.raises(NotFound):
        services.article_return(actor=sibling_editor, article=article, message="Sửa")


def test_commune_editor_cannot_approve_a_province_article(
    thai_nguyen: Unit, province_writer: User, editor: User
) -> None:
    article = write(thai_nguyen, province_writer)
    services.article_submit(actor=province_writer, article=article)
    with pytest.raises(PermissionDenied):
        services.article_approve(actor=editor, article=article)


def test_anonymous_is_refused_every_transition(commune: Unit, writer: User) -> None:
    article = write(commune, writer)
    anonymous = AnonymousUser()
    with pytest.raises(NotFound):
        services.article_submit(actor=anonymous, article=article)
    services.article_submit(actor=writer, article=article)
    with pytest.raises(NotFound):
        services.article_approve(actor=anonymous, article=article)


def test_return_needs_a_message_and_goes_back_to_draft(
    commune: Unit, writer: User, editor: User
) -> None:
    article = write(commune, writer)
    services.article_submit(actor=writer, article=article)
    with pytest.raises(DomainError) as exc:
        services.article_return(actor=editor, article=article, message="  ")
    assert exc.value.field == "message"
    done = services.article_return(actor=editor, article=article, message="Thêm số liệu")
    assert done.state == State.DRAFT
    assert done.review_message == "Thêm số liệu"
    # The writer corrects and sends again.
    services.article_update(
        actor=writer, article=done, title=done.title, lead=done.lead, body="<p>Mới</p>"
    )
    assert services.article_submit(actor=writer, article=done).state == State.IN_REVIEW


def test_writer_cannot_return_or_unpublish(commune: Unit, writer: User, editor: User) -> None:
    article = write(commune, writer)
    services.article_submit(actor=writer, article=article)
    with pytest.raises(PermissionDenied):
        services.article_return(actor=writer, article=article, message="x")
    services.article_approve(actor=editor, article=article)
    with pytest.raises(PermissionDenied):
        services.article_unpublish(actor=writer, article=article, message="x")


@pytest.mark.parametrize(
    ("state", "action"),
    [
        (State.DRAFT, "approve"),
        (State.DRAFT, "unpublish"),
        (State.IN_REVIEW, "submit"),
        (State.PUBLISHED, "submit"),
        (State.PUBLISHED, "return"),
        (State.UNPUBLISHED, "approve"),
    ],
)
def test_transitions_from_wrong_states_are_refused(commune: Unit, state: str, action: str) -> None:
    article = write(commune)
    Article.objects.filter(pk=article.pk).update(state=state)
    call: dict[str, Any] = {
        "approve": lambda: services.article_approve(actor=None, article=article),
        "unpublish": lambda: services.article_unpublish(actor=None, article=article, message="x"),
        "submit": lambda: services.article_submit(actor=None, article=article),
        "return": lambda: services.article_return(actor=None, article=article, message="x"),
    }
    with pytest.raises(DomainError) as exc:
        call[action]()
    assert exc.value.code == "news_bad_state"
    article.refresh_from_db()
    assert article.state == state


def test_unpublish_and_redraft(commune: Unit, writer: User, editor: User) -> None:
    article = published(commune)
    assert selectors.public_article_get(article.public_id) is not None
    services.article_unpublish(actor=editor, article=article, message="Thông tin chưa chính xác")
    assert selectors.public_article_get(article.public_id) is None
    assert services.article_redraft(actor=writer, article=article).state == State.DRAFT


def test_published_text_cannot_be_edited(commune: Unit, editor: User) -> None:
    article = published(commune)
    with pytest.raises(DomainError):
        services.article_update(
            actor=editor, article=article, title="Khác", lead="x", body="<p>x</p>"
        )


# --- when it is shown ------------------------------------------------------------------------


def test_scheduled_article_is_shown_only_from_its_time(commune: Unit) -> None:
    now = timezone.now()
    article = published(commune, publish_at=now + DAY)
    assert article.state == State.PUBLISHED
    assert selectors.public_article_get(article.public_id) is None
    assert article not in selectors.articles_for_place(commune, limit=10)
    with time_machine.travel(now + DAY + dt.timedelta(minutes=1), tick=False):
        assert selectors.public_article_get(article.public_id) is not None
        assert article in selectors.articles_for_place(commune, limit=10)


def test_expired_article_is_hidden(commune: Unit) -> None:
    now = timezone.now()
    article = published(commune, expires_at=now + DAY)
    assert article in selectors.articles_for_place(commune, limit=10)
    with time_machine.travel(now + DAY + dt.timedelta(seconds=1), tick=False):
        assert article not in selectors.articles_for_place(commune, limit=10)
        assert selectors.public_article_get(article.public_id) is None


def test_expiry_before_publication_is_refused(commune: Unit) -> None:
    article = write(commune)
    services.article_submit(actor=None, article=article)
    now = timezone.now()
    with pytest.raises(DomainError) as exc:
        services.article_approve(actor=None, article=article, publish_at=now + DAY, expires_at=now)
    assert exc.value.field == "expires_at"


def test_drafts_and_reviews_are_never_public(commune: Unit) -> None:
    draft = write(commune)
    review = write(commune)
    services.article_submit(actor=None, article=review)
    shown = selectors.articles_for_place(commune, limit=10)
    assert draft not in shown
    assert review not in shown


# --- a province article on chosen communes' pages ----------------------------------------------


def test_province_article_is_shown_on_chosen_communes(
    thai_nguyen: Unit, commune: Unit, sibling_commune: Unit, province_writer: User
) -> None:
    article = published(thai_nguyen, also_on=[commune])
    own = published(commune, title="Tin của xã")
    on_commune = selectors.articles_for_place(commune, limit=10)
    assert article in on_commune
    assert own in on_commune
    assert on_commune[0] == own  # newest first
    assert article not in selectors.articles_for_place(sibling_commune, limit=10)
    assert article in selectors.articles_for_place(thai_nguyen, limit=10)
    assert own not in selectors.articles_for_place(thai_nguyen, limit=10)


def test_articles_for_place_is_two_queries_and_limited(
    thai_nguyen: Unit, commune: Unit, django_assert_max_num_queries: Any
) -> None:
    for i in range(4):
        published(thai_nguyen, title=f"Tin {i}", also_on=[commune])
    with django_assert_max_num_queries(2):
        rows = selectors.articles_for_place(commune, limit=3)
        assert [len(a.covers) for a in rows] == [0, 0, 0]  # type: ignore[attr-defined]
        assert all(a.unit.name for a in rows)


def test_targets_must_be_the_provinces_communes(
    thai_nguyen: Unit, commune: Unit, sibling_commune: Unit
) -> None:
    ha_noi = Unit.objects.get(code="01")
    other = Unit.objects.filter(parent=ha_noi).order_by("code").first()
    assert other is not None
    with pytest.raises(DomainError) as exc:
        write(thai_nguyen, also_on=[commune, other])
    assert exc.value.field == "also_on"
    with pytest.raises(DomainError):
        write(commune, also_on=[sibling_commune])  # a commune's article targets no one


# --- photos ------------------------------------------------------------------------------------


def test_photo_is_resized_and_stripped_of_exif(commune: Unit, writer: User) -> None:
    article = write(commune, writer)
    photo = services.article_photo_add(
        actor=writer, article=article, upload=photo_upload(), alt="Bà con làm đường", cover=True
    )
    assert max(photo.width, photo.height) == MAX_SIDE
    with photo.image.open("rb") as handle, Image.open(io.BytesIO(handle.read())) as stored:
        assert max(stored.size) == MAX_SIDE
        assert not stored.getexif()
        assert "exif" not in stored.info
    assert photo.is_cover


def test_photo_needs_alt_text(commune: Unit, writer: User) -> None:
    article = write(commune, writer)
    with pytest.raises(DomainError) as exc:
        services.article_photo_add(actor=writer, article=article, upload=photo_upload(), alt=" ")
    assert exc.value.field == "photo_alt"
    assert not article.photos.exists()


def test_not_an_image_is_refused(commune: Unit, writer: User) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    article = write(commune, writer)
    fake = SimpleUploadedFile("anh.jpg", b"<html>not an image</html>", content_type="image/jpeg")
    with pytest.raises(DomainError) as exc:
        services.article_photo_add(actor=writer, article=article, upload=fake, alt="Ảnh")
    assert exc.value.field == "photo"
    assert not article.photos.exists()


def test_a_new_cover_replaces_the_old(commune: Unit, writer: User) -> None:
    article = write(commune, writer)
    first = services.article_photo_add(
        actor=writer, article=article, upload=photo_upload((40, 30)), alt="Một", cover=True
    )
    services.article_photo_add(
        actor=writer, article=article, upload=photo_upload((40, 30)), alt="Hai", cover=True
    )
    first.refresh_from_db()
    assert not first.is_cover
    assert article.photos.filter(is_cover=True).count() == 1


# --- readers' feedback and the counter -----------------------------------------------------------


def test_feedback_waits_for_approval(commune: Unit, editor: User) -> None:
    article = published(commune)
    item = services.feedback_submit(actor=None, article=article, text="<b>Hay</b>", name="An")
    assert item.status == Feedback.Status.PENDING
    assert item.text == "<b>Hay</b>"  # stored as typed, shown escaped
    assert not selectors.public_feedback(article).exists()
    services.feedback_moderate(actor=editor, feedback=item, action="approve")
    assert list(selectors.public_feedback(article)) == [item]
    with pytest.raises(DomainError):
        services.feedback_moderate(actor=editor, feedback=item, action="reject")


def test_feedback_moderation_needs_the_editor(
    commune: Unit, writer: User, sibling_editor: User
) -> None:
    item = services.feedback_submit(actor=None, article=published(commune), text="Ý kiến")
    with pytest.raises(PermissionDenied):
        services.feedback_moderate(actor=writer, feedback=item, action="approve")
    with pytest.raises(NotFound):
        services.feedback_moderate(actor=sibling_editor, feedback=item, action="approve")


@pytest.mark.parametrize(("text", "name"), [("", ""), ("x" * 2001, ""), ("Tốt", "n" * 101)])
def test_bad_feedback_is_refused(commune: Unit, text: str, name: str) -> None:
    with pytest.raises(DomainError):
        services.feedback_submit(actor=None, article=published(commune), text=text, name=name)
    assert not Feedback.objects.exists()


def test_feedback_on_a_draft_is_refused(commune: Unit) -> None:
    with pytest.raises(DomainError):
        services.feedback_submit(actor=None, article=write(commune), text="x")


def test_answer_approves_a_pending_feedback_and_can_be_changed(commune: Unit, editor: User) -> None:
    article = published(commune)
    item = services.feedback_submit(actor=None, article=article, text="Khi nào sửa đường?")
    services.feedback_answer(actor=editor, feedback=item, text="  Tháng 3 năm sau.  ")
    item.refresh_from_db()
    assert item.status == Feedback.Status.APPROVED
    assert (item.answer, item.answered_by, item.moderated_by) == (
        "Tháng 3 năm sau.",
        editor,
        editor,
    )
    assert item.answered_at is not None
    assert list(selectors.public_feedback(article)) == [item]
    services.feedback_answer(actor=editor, feedback=item, text="Đầu tháng 3.")
    item.refresh_from_db()
    assert item.answer == "Đầu tháng 3."
    updates = AuditEvent.objects.filter(model_label="news.feedback", object_pk=str(item.pk))
    assert updates.filter(action="update").count() == 2


@pytest.mark.parametrize("text", ["", "   ", "x" * 2001])
def test_bad_answer_changes_nothing(commune: Unit, editor: User, text: str) -> None:
    item = services.feedback_submit(actor=None, article=published(commune), text="Ý kiến")
    with pytest.raises(DomainError) as caught:
        services.feedback_answer(actor=editor, feedback=item, text=text)
    assert caught.value.field == "answer"
    item.refresh_from_db()
    assert (item.status, item.answer, item.answered_at) == (Feedback.Status.PENDING, "", None)


def test_answer_needs_the_editor_and_a_shown_feedback(
    commune: Unit, writer: User, editor: User, sibling_editor: User
) -> None:
    item = services.feedback_submit(actor=None, article=published(commune), text="Ý kiến")
    with pytest.raises(PermissionDenied):
        services.feedback_answer(actor=writer, feedback=item, text="Trả lời")
    with pytest.raises(NotFound):
        services.feedback_answer(actor=sibling_editor, feedback=item, text="Trả lời")
    services.feedback_moderate(actor=editor, feedback=item, action="reject")
    with pytest.raises(DomainError):
        services.feedback_answer(actor=editor, feedback=item, text="Trả lời")
    item.refresh_from_db()
    assert item.answer == ""


def test_view_counter_and_most_read(commune: Unit) -> None:
    quiet = published(commune, title="Ít đọc")
    popular = published(commune, title="Đọc nhiều")
    for _ in range(3):
        services.article_record_view(popular)
    services.article_record_view(quiet)
    popular.refresh_from_db()
    assert popular.views == 3
    assert selectors.most_read(limit=2) == [popular, quiet]
