"""The gallery of good examples: only public entries, only public photos (re-encoded),
never the contact data, lineage only through public entries, filters and paging; and the
officer's button that shows or hides a photo."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from danvan.accounts.models import User
from danvan.accounts.testing import login_verified, make_user
from danvan.core.errors import DomainError, PermissionDenied
from danvan.movement import services
from danvan.movement.models import Attachment, Entry, Field, Status
from danvan.portal.gallery import selectors
from danvan.units.models import Unit

pytestmark = pytest.mark.django_db

GALLERY = reverse("portal:gallery")
PHONE = "0912345678"
CONTACT = "Nguyễn Văn Liên Hệ"


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def jpeg(colour: str = "red", size: tuple[int, int] = (800, 500)) -> bytes:
    """A JPEG carrying an EXIF block (the phone's make), like a phone photo."""
    exif = Image.Exif()
    exif[0x010F] = "SecretPhoneMaker"
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG", exif=exif)
    return out.getvalue()


def publish(entry: Entry, status: str = Status.RECOGNIZED, level: str = "commune") -> Entry:
    """Put *entry* straight into *status* (the workflow has its own tests)."""
    fields: dict[str, Any] = {"status": status}
    if status in (Status.RECOGNIZED, Status.EXEMPLARY, Status.REPLICATED):
        fields.update(recognized_on=dt.date(2025, 11, 20), recognized_level=level)
    if status == Status.EXEMPLARY:
        fields.update(exemplary_on=dt.date(2025, 12, 1), exemplary_level=level)
    Entry.objects.filter(pk=entry.pk).update(**fields)
    entry.refresh_from_db()
    return entry


def photo(entry: Entry, *, public: bool = True, caption: str = "Bà con hiến đất") -> Attachment:
    item = services.attachment_add(
        actor=None,
        entry=entry,
        upload=SimpleUploadedFile("anh.jpg", jpeg(), "image/jpeg"),
        caption=caption,
    )
    if public:
        Attachment.objects.filter(pk=item.pk).update(is_public=True)
        item.refresh_from_db()
    return item


def detail(entry: Entry) -> str:
    return reverse("portal:gallery_entry", args=[entry.public_id])


def photo_url(entry: Entry, item: Attachment, size: str = "nho") -> str:
    return reverse("portal:gallery_photo", args=[entry.public_id, item.pk, size])


def test_only_recognized_exemplary_and_replicated_are_listed(
    client: Client, make_entry: Callable[..., Entry]
) -> None:
    shown = {
        publish(make_entry("Mô hình công nhận"), Status.RECOGNIZED).name,
        publish(make_entry("Điển hình tiêu biểu"), Status.EXEMPLARY).name,
        publish(make_entry("Mô hình đã nhân rộng"), Status.REPLICATED).name,
    }
    hidden = []
    for status in (
        Status.DRAFT,
        Status.REGISTERED,
        Status.RETURNED,
        Status.IN_PROGRESS,
        Status.SUBMITTED,
        Status.NOT_RECOGNIZED,
        Status.WITHDRAWN,
        Status.STOPPED,
    ):
        entry = make_entry(f"Ẩn {status}")
        Entry.objects.filter(pk=entry.pk).update(status=status)
        hidden.append(entry)
    page = client.get(GALLERY)
    assert page.status_code == 200
    html = page.content.decode()
    for name in shown:
        assert name in html
    for entry in hidden:
        assert entry.name not in html
        assert client.get(detail(entry)).status_code == 404


def test_story_shows_what_was_done_and_never_the_contact(
    client: Client, make_entry: Callable[..., Entry]
) -> None:
    entry = make_entry(
        "Đường bê tông nông thôn",
        goals="Bê tông hóa 2 km đường thôn",
        content_method="Vận động nhân dân hiến đất, góp công",
        achieved_results="Hoàn thành 2,3 km",
        money_mobilized=1_500_000_000,
        working_days=1200,
        land_donated_m2=850,
        contact_name=CONTACT,
        contact_phone=PHONE,
    )
    publish(entry, Status.EXEMPLARY, level="province")
    page = client.get(detail(entry))
    html = page.content.decode()
    assert page.status_code == 200
    for text in ("Bê tông hóa 2 km đường thôn", "hiến đất, góp công", "Hoàn thành 2,3 km"):
        assert text in html
    assert "1.500.000.000" in html or "1,500,000,000" in html
    assert "Cấp tỉnh" in html
    assert "01/12/2025" in html
    assert PHONE not in html
    assert "912345678" not in html
    assert CONTACT not in html
    assert PHONE not in client.get(GALLERY).content.decode()


def test_text_is_escaped(client: Client, make_entry: Callable[..., Entry]) -> None:
    entry = publish(make_entry("<script>alert(1)</script> Mô hình", goals="<b>đậm</b>"))
    html = client.get(detail(entry)).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;" in html
    assert "<b>đậm</b>" not in html
    assert "<script>alert(1)" not in client.get(GALLERY).content.decode()
    assert entry.pk


def test_public_photo_is_served_reencoded_without_metadata(
    client: Client, make_entry: Callable[..., Entry]
) -> None:
    entry = publish(make_entry("Có ảnh"))
    item = photo(entry)
    html = client.get(detail(entry)).content.decode()
    assert photo_url(entry, item) in html
    assert 'alt="Bà con hiến đất"' in html
    assert 'loading="lazy"' in html
    assert 'width="480" height="360"' in html
    card = client.get(GALLERY).content.decode()
    assert photo_url(entry, item) in card
    for size, dims in (("nho", (480, 360)), ("lon", (800, 500))):
        response = client.get(photo_url(entry, item, size))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
        assert b"SecretPhoneMaker" not in body
        with Image.open(io.BytesIO(body)) as image:
            assert image.size == dims
            assert not image.getexif()
    # The copy is made once, then read from storage.
    again = client.get(photo_url(entry, item))
    assert again.status_code == 200


def test_non_public_photos_answer_404(client: Client, make_entry: Callable[..., Entry]) -> None:
    entry = publish(make_entry("Mô hình"))
    private = photo(entry, public=False, caption="Ảnh nội bộ")
    assert client.get(photo_url(entry, private)).status_code == 404
    assert "Ảnh nội bộ" not in client.get(detail(entry)).content.decode()
    # A document marked public (only the service refuses it: here forced) is never served.
    doc = services.attachment_add(
        actor=None,
        entry=entry,
        upload=SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 test", "application/pdf"),
    )
    Attachment.objects.filter(pk=doc.pk).update(is_public=True)
    assert client.get(photo_url(entry, doc)).status_code == 404
    # A public photo of an entry that is not public, or asked under another entry.
    draft = make_entry("Nháp")
    draft_photo = photo(draft)
    assert client.get(photo_url(draft, draft_photo)).status_code == 404
    other = publish(make_entry("Khác"))
    public_photo = photo(entry)
    assert client.get(photo_url(other, public_photo)).status_code == 404
    assert client.get(photo_url(entry, public_photo, "goc")).status_code == 404
    # Once the entry is withdrawn its photos go too.
    assert client.get(photo_url(entry, public_photo)).status_code == 200
    Entry.objects.filter(pk=entry.pk).update(status=Status.WITHDRAWN)
    assert client.get(photo_url(entry, public_photo)).status_code == 404


def test_lineage_links_only_public_entries(
    client: Client,
    make_entry: Callable[..., Entry],
    commune: Unit,
    sibling_commune: Unit,
    thai_nguyen: Unit,
) -> None:
    source = publish(make_entry("Mô hình gốc"), Status.REPLICATED)
    public_copy = publish(make_entry("Bản nhân rộng công nhận", unit=sibling_commune))
    draft_copy = make_entry("Bản nhân rộng còn nháp", unit=thai_nguyen)
    Entry.objects.filter(pk__in=[public_copy.pk, draft_copy.pk]).update(replicated_from=source)
    html = client.get(detail(source)).content.decode()
    assert detail(public_copy) in html
    assert "Bản nhân rộng công nhận" in html
    assert "Đã được nhân rộng tại 1 đơn vị" in html
    assert "còn nháp" not in html
    assert detail(draft_copy) not in html
    child = client.get(detail(public_copy)).content.decode()
    assert "Nhân rộng từ" in child
    assert detail(source) in child
    # A public entry replicating a hidden one does not name it.
    hidden_source = make_entry("Gốc chưa công nhận", unit=thai_nguyen)
    copy2 = publish(make_entry("Bản của gốc ẩn"))
    Entry.objects.filter(pk=copy2.pk).update(replicated_from=hidden_source)
    html2 = client.get(detail(copy2)).content.decode()
    assert "Gốc chưa công nhận" not in html2
    assert "Nhân rộng từ" not in html2
    # The card counts public replications only.
    cards = selectors.cards([source])
    assert cards[0].replications == 1


def test_filters(
    client: Client,
    make_entry: Callable[..., Entry],
    sibling_commune: Unit,
    thai_nguyen: Unit,
    commune: Unit,
) -> None:
    other_field = Field.objects.exclude(code="kinh-te").filter(is_active=True).first()
    assert other_field is not None
    a = publish(make_entry("Dân vận khéo trong xây dựng đường"), Status.EXEMPLARY, "province")
    b = publish(make_entry("Hũ gạo tình thương", unit=sibling_commune, field=other_field))
    c = publish(make_entry("Tổ tự quản", kind="collective"))

    def names(**params: str) -> set[str]:
        response = client.get(GALLERY, params)
        assert response.status_code == 200
        html = response.content.decode()
        return {e.name for e in (a, b, c) if e.name in html}

    assert names() == {a.name, b.name, c.name}
    assert names(q="dan van kheo") == {a.name}
    assert names(q="HŨ GẠO") == {b.name}
    assert names(field=other_field.code) == {b.name}
    assert names(kind="collective") == {c.name}
    assert names(level="province") == {a.name}
    assert names(province=thai_nguyen.code, commune=sibling_commune.code) == {b.name}
    assert names(province=thai_nguyen.code, commune=commune.code) == {a.name, c.name}
    assert names(province="01") == set()


@pytest.mark.parametrize(
    "params",
    [{"level": "galactic"}, {"kind": "x"}, {"q": "x" * 500}, {"field": "khong"}],
)
def test_bad_filters_answer_400_with_a_message(
    client: Client, make_entry: Callable[..., Entry], params: dict[str, str]
) -> None:
    publish(make_entry("Mô hình"))
    response = client.get(GALLERY, params)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert "Mô hình" in html  # the page is still there, with its form


def test_nul_in_the_query_answers_400(client: Client) -> None:
    # core.input_guard refuses it before the view (PostgreSQL cannot hold it).
    assert client.get(GALLERY, {"q": "a\x00b"}).status_code == 400


def test_paging_and_a_bounded_number_of_queries(
    client: Client, make_entry: Callable[..., Entry]
) -> None:
    entries = [publish(make_entry(f"Mô hình số {i:02d}")) for i in range(14)]
    for e in entries[:5]:
        photo(e)
    with CaptureQueriesContext(connection) as first:
        page1 = client.get(GALLERY)
    assert page1.status_code == 200
    assert "Trang 1/2" in page1.content.decode()
    page2 = client.get(GALLERY, {"page": 2}).content.decode()
    shown = re.findall(r"Mô hình số \d\d", page1.content.decode() + page2)
    assert sorted(shown) == sorted(e.name for e in entries)
    # More photos and entries on the page do not add queries (no query per card).
    for e in entries[5:]:
        photo(e)
    with CaptureQueriesContext(connection) as second:
        client.get(GALLERY)
    assert len(second) == len(first)
    assert len(first) < 25


def test_exemplary_for_place(
    make_entry: Callable[..., Entry], commune: Unit, sibling_commune: Unit, thai_nguyen: Unit
) -> None:
    recognized = publish(make_entry("Công nhận"))
    exemplary = publish(make_entry("Tiêu biểu"), Status.EXEMPLARY)
    elsewhere = publish(make_entry("Xã bên", unit=sibling_commune))
    make_entry("Nháp")
    assert [c.entry for c in selectors.exemplary_for_place(commune, limit=5)] == [
        exemplary,
        recognized,
    ]
    province_cards = selectors.exemplary_for_place(thai_nguyen, limit=2)
    assert len(province_cards) == 2
    assert province_cards[0].entry == exemplary
    assert elsewhere in [c.entry for c in selectors.exemplary_for_place(thai_nguyen, limit=9)]


# --- the officer's button ----------------------------------------------------------------


def publish_url(entry: Entry, item: Attachment) -> str:
    return reverse("movement:attachment_publish", args=[entry.public_id, item.pk])


def logged_in(user: User) -> Client:
    c = Client()
    login_verified(c, user)
    return c


def test_officer_shows_and_hides_a_photo(
    make_entry: Callable[..., Entry], commune_officer: User, sibling_commune: Unit
) -> None:
    entry = publish(make_entry("Mô hình"))
    item = photo(entry, public=False)
    officer = logged_in(commune_officer)
    page = officer.get(entry.get_absolute_url()).content.decode()
    assert publish_url(entry, item) in page
    response = officer.post(publish_url(entry, item), {"is_public": "1"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.is_public
    assert Client().get(photo_url(entry, item)).status_code == 200
    officer.post(publish_url(entry, item), {"is_public": "0"})
    item.refresh_from_db()
    assert not item.is_public
    assert Client().get(photo_url(entry, item)).status_code == 404
    # A sibling commune's officer does not even see the entry.
    stranger = logged_in(make_user("xa-ben", "officer", sibling_commune))
    assert stranger.post(publish_url(entry, item), {"is_public": "1"}).status_code == 404
    # Anonymous: to the login page, nothing changed.
    assert Client().post(publish_url(entry, item), {"is_public": "1"}).status_code == 302
    item.refresh_from_db()
    assert not item.is_public


def test_a_document_cannot_be_made_public(
    make_entry: Callable[..., Entry], commune_officer: User
) -> None:
    entry = publish(make_entry("Mô hình"))
    doc = services.attachment_add(
        actor=None,
        entry=entry,
        upload=SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 test", "application/pdf"),
    )
    with pytest.raises(DomainError):
        services.attachment_set_public(actor=commune_officer, attachment=doc, is_public=True)
    response = logged_in(commune_officer).post(publish_url(entry, doc), {"is_public": "1"})
    assert response.status_code == 400
    assert "Chỉ hình ảnh" in response.content.decode()
    doc.refresh_from_db()
    assert not doc.is_public


def test_leader_may_not_publish(make_entry: Callable[..., Entry], commune: Unit) -> None:
    entry = publish(make_entry("Mô hình"))
    item = photo(entry, public=False)
    leader = make_user("lanh-dao", "leader", commune)
    with pytest.raises(PermissionDenied):
        services.attachment_set_public(actor=leader, attachment=item, is_public=True)
    assert logged_in(leader).post(publish_url(entry, item), {"is_public": "1"}).status_code == 403


def test_prune_removes_copies_no_longer_servable(
    client: Client, make_entry: Callable[..., Entry], media_root: Path
) -> None:
    from danvan.portal.gallery import photos
    from danvan.portal.tasks import prune_gallery_copies

    entry = publish(make_entry("Có ảnh"))
    kept, hidden, deleted = photo(entry), photo(entry), photo(entry)
    other = publish(make_entry("Hết công khai"))
    demoted = photo(other)
    for e, item in ((entry, kept), (entry, hidden), (entry, deleted), (other, demoted)):
        for size in ("nho", "lon"):
            assert client.get(photo_url(e, item, size)).status_code == 200
    folder = media_root / photos.PREFIX
    assert len(list(folder.iterdir())) == 8
    Attachment.objects.filter(pk=hidden.pk).update(is_public=False)
    Attachment.objects.filter(pk=deleted.pk).delete()
    Entry.objects.filter(pk=other.pk).update(status=Status.REGISTERED)

    assert prune_gallery_copies() == 6
    left = sorted(p.name for p in folder.iterdir())
    assert left == sorted(
        Path(photos.rendition(kept, size).name).name  # type: ignore[union-attr]
        for size in ("thumb", "large")
    )
    assert photos.prune() == 0
    # Shown again: the copy is made anew on request.
    Attachment.objects.filter(pk=hidden.pk).update(is_public=True)
    assert client.get(photo_url(entry, hidden)).status_code == 200
