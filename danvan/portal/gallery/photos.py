"""The gallery's photos: re-encoded copies of officers' attachments, made on first request.

An attachment is stored as the officer uploaded it (movement.services.attachment_add),
EXIF and all: a phone photo carries where it was taken and by which phone. The portal
never serves that file. It serves a copy re-encoded by core.images.clean_photo (upright,
resized, no metadata: Law 91/2025/QH15 on personal data): a 480 × 360 thumbnail cut to
the card's shape (so pages can give every <img> its width and height) and a larger copy
for the photo's own page. Copies are kept in the default storage under a name derived
from a keyed hash, so nobody can guess the storage name of a copy; the portal view checks
that the entry and the photo are public on every request before it reads one.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.crypto import salted_hmac
from PIL import Image, ImageOps

from danvan.core.errors import DomainError
from danvan.core.images import JPEG_QUALITY, MAX_SIDE, clean_photo
from danvan.movement import selectors as movement
from danvan.movement.models import Attachment

THUMB_WIDTH, THUMB_HEIGHT = 480, 360
PREFIX = "portal/gallery"


@dataclass(frozen=True)
class Rendition:
    name: str  # in default_storage
    content_type: str


SIZES = ("thumb", "large")


def _stem(attachment: Attachment, size: str) -> str:
    return _stem_of(attachment.pk, attachment.file.name, size)


def _stem_of(pk: int, file_name: str, size: str) -> str:
    key = f"{pk}:{file_name}:{size}"
    return f"{PREFIX}/{salted_hmac('danvan.portal.gallery', key).hexdigest()[:40]}-{size}"


def _thumbnail(data: bytes) -> ContentFile[bytes]:
    """Cut a cleaned photo to the card's 4:3 shape at 480 × 360, as JPEG."""
    with Image.open(io.BytesIO(data)) as image:
        fitted = ImageOps.fit(
            image.convert("RGB"), (THUMB_WIDTH, THUMB_HEIGHT), Image.Resampling.LANCZOS
        )
    fitted.info.clear()
    out = io.BytesIO()
    fitted.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return ContentFile(out.getvalue())


def rendition(attachment: Attachment, size: str) -> Rendition | None:
    """The thumbnail (*size* "thumb") or the large copy ("large") of *attachment*, made
    now if missing; None when the stored file is gone or is not a readable image."""
    stem = _stem(attachment, size)
    for suffix, content_type in (("jpg", "image/jpeg"), ("png", "image/png")):
        if default_storage.exists(f"{stem}.{suffix}"):
            return Rendition(f"{stem}.{suffix}", content_type)
    try:
        with attachment.file.open("rb") as handle:
            source = io.BytesIO(handle.read())
        if size == "thumb":
            # Shrink first (cheap, drops the metadata), then cut to shape.
            clean = clean_photo(source, code="gallery_photo", max_side=THUMB_WIDTH * 2)
            content: ContentFile[bytes] = _thumbnail(clean.content.read())
            suffix, content_type = "jpg", "image/jpeg"
        else:
            clean = clean_photo(source, code="gallery_photo", max_side=MAX_SIDE)
            content = clean.content
            suffix = "png" if clean.content_type == "image/png" else "jpg"
            content_type = clean.content_type
    except (FileNotFoundError, DomainError, OSError, ValueError):
        return None
    name = f"{stem}.{suffix}"
    saved = default_storage.save(name, content)
    if saved != name:
        # Another request made the same copy meanwhile: keep theirs.
        default_storage.delete(saved)
    return Rendition(name, content_type)


def prune() -> int:
    """Remove the copies of photos the portal may no longer serve; return how many.

    A copy outlives its reason when the officer hides the photo, deletes it, replaces its
    file, or when the entry stops being public. The view never serves such a copy (it checks
    on every request), but it would stay on disk and in the backups: a photo taken down
    should be gone. Daily, from CELERY_BEAT_SCHEDULE (portal.tasks). A copy of a photo shown
    again is made anew on its first request.
    """
    try:
        _folders, files = default_storage.listdir(PREFIX)
    except FileNotFoundError:
        return 0
    if not files:
        return 0
    servable = Attachment.objects.filter(
        movement.public_photos_q(), entry__in=movement.public_entries().values("pk")
    ).values_list("pk", "file")
    keep = {f"{_stem_of(pk, name, size)}" for pk, name in servable for size in SIZES}
    removed = 0
    for file_name in files:
        stem = f"{PREFIX}/{file_name.rsplit('.', 1)[0]}"
        if stem not in keep:
            default_storage.delete(f"{PREFIX}/{file_name}")
            removed += 1
    return removed
