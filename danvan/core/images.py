"""Photos sent by citizens and officers: checked, turned upright, shrunk, stripped of metadata.

A phone photo is 3–12 MB with the place it was taken (GPS), the phone's make and the time in
its EXIF block. Published as it came, it would cost a citizen on a slow connection a minute
to load and tell everyone where the sender lives (Law 91/2025/QH15 on personal data). So
every photo is re-encoded here before it is stored: decoded by Pillow (a file that is not
an image, or a "decompression bomb", is refused), turned by its EXIF orientation (so that
dropping the EXIF does not leave it on its side), reduced to fit ``max_side`` pixels, and
written anew as JPEG (or PNG when it has transparency) with no EXIF, XMP, ICC or comment.

``check_upload`` (core/uploads.py) looks at the name, the declared type and the first
bytes; ``clean_photo`` then decodes the whole image: the two together decide.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from danvan.core.errors import DomainError

# Big enough for a full-width picture on a desktop, small enough for a phone on 3G.
MAX_SIDE = 1600
THUMBNAIL_SIDE = 480
JPEG_QUALITY = 82
# Refuse images whose decoded size would exhaust memory: 40 megapixels is beyond any phone.
MAX_PIXELS = 40_000_000
MAX_PHOTO_BYTES = 10 * 1024 * 1024
PHOTO_TYPES = ("JPEG", "PNG", "WEBP")


@dataclass(frozen=True)
class CleanPhoto:
    """A re-encoded photo, ready to save to a FileField: ``content`` (its ``name`` ends in
    .jpg or .png), its ``width`` and ``height`` in pixels."""

    content: ContentFile[bytes]
    width: int
    height: int
    content_type: str


def clean_photo(
    upload: UploadedFile | io.BytesIO,
    *,
    code: str,
    field: str = "photo",
    max_side: int = MAX_SIDE,
    name: str = "anh",
) -> CleanPhoto:
    """Decode *upload*, turn it upright, fit it in *max_side*, re-encode it without metadata.

    Raises DomainError(*code*, field=*field*) with a Vietnamese message when the file is too
    large, is not a JPEG, PNG or WebP image, or is damaged. *name* is the stored name's stem.
    """
    size = getattr(upload, "size", None)
    if size is None:
        size = len(upload.getvalue()) if isinstance(upload, io.BytesIO) else 0
    if size > MAX_PHOTO_BYTES:
        raise DomainError(
            code,
            _("Ảnh quá lớn (tối đa %(mb)s MB). Hãy chọn ảnh nhỏ hơn hoặc chụp lại.")
            % {"mb": MAX_PHOTO_BYTES // (1024 * 1024)},
            field=field,
        )
    not_image = DomainError(
        code,
        _("Tệp không phải là ảnh đọc được. Chỉ nhận ảnh JPG, PNG hoặc WebP."),
        field=field,
    )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.format not in PHOTO_TYPES:
                raise not_image
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise DomainError(
                    code,
                    _("Ảnh có kích thước quá lớn (%(w)s × %(h)s điểm ảnh).")
                    % {"w": width, "h": height},
                    field=field,
                )
            probe.load()
            image = ImageOps.exif_transpose(probe)
    except DomainError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise not_image from exc
    finally:
        upload.seek(0)

    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
    out = io.BytesIO()
    image = image.convert("RGBA" if has_alpha else "RGB")
    # Pillow carries the source's comment, ICC profile and EXIF in ``info`` and writes them
    # back on save: emptied, nothing but the pixels is written.
    image.info.clear()
    if has_alpha:
        image.save(out, format="PNG", optimize=True)
        suffix, content_type = "png", "image/png"
    else:
        image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        suffix, content_type = "jpg", "image/jpeg"
    return CleanPhoto(
        content=ContentFile(out.getvalue(), name=f"{name}.{suffix}"),
        width=image.width,
        height=image.height,
        content_type=content_type,
    )
