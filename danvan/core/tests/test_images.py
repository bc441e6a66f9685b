"""core.images.clean_photo: upright, shrunk, metadata gone; non-images refused in Vietnamese."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from danvan.core.errors import DomainError
from danvan.core.images import MAX_SIDE, clean_photo


def _jpeg_with_gps(width: int = 3000, height: int = 2000, orientation: int = 1) -> bytes:
    image = Image.new("RGB", (width, height), (200, 30, 30))
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    exif[0x010F] = "PhoneMaker"  # Make
    gps = {1: "N", 2: (21.0, 1.0, 30.0), 3: "E", 4: (105.0, 50.0, 10.0)}
    exif[0x8825] = gps
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), comment=b"secret comment")
    return out.getvalue()


def test_photo_is_shrunk_and_metadata_removed() -> None:
    raw = _jpeg_with_gps()
    assert b"PhoneMaker" in raw
    photo = clean_photo(SimpleUploadedFile("a.jpg", raw, "image/jpeg"), code="x")
    data = photo.content.read()
    assert max(photo.width, photo.height) == MAX_SIDE
    assert b"PhoneMaker" not in data
    assert b"secret comment" not in data
    with Image.open(io.BytesIO(data)) as again:
        assert again.format == "JPEG"
        assert not again.getexif()
        assert "comment" not in again.info
    assert photo.content.name == "anh.jpg"


def test_orientation_is_applied_before_exif_is_dropped() -> None:
    # Orientation 6: the camera held sideways; the stored picture must come out portrait.
    raw = _jpeg_with_gps(width=400, height=300, orientation=6)
    photo = clean_photo(SimpleUploadedFile("a.jpg", raw, "image/jpeg"), code="x")
    assert (photo.width, photo.height) == (300, 400)


def test_transparent_png_stays_png() -> None:
    out = io.BytesIO()
    Image.new("RGBA", (50, 40), (0, 0, 0, 0)).save(out, format="PNG")
    photo = clean_photo(SimpleUploadedFile("a.png", out.getvalue(), "image/png"), code="x")
    assert photo.content_type == "image/png"
    assert str(photo.content.name).endswith(".png")


@pytest.mark.parametrize(
    "payload",
    [b"GIF89a not really", b"%PDF-1.4 a document", b"\xff\xd8\xff\xe0 broken jpeg", b""],
)
def test_not_an_image_is_refused_in_vietnamese(payload: bytes) -> None:
    with pytest.raises(DomainError) as caught:
        clean_photo(SimpleUploadedFile("a.jpg", payload, "image/jpeg"), code="bad", field="f")
    assert caught.value.code == "bad"
    assert "ảnh" in str(caught.value.message)


def test_too_large_file_is_refused() -> None:
    big = SimpleUploadedFile("a.jpg", b"\xff\xd8\xff" + b"0" * (11 * 1024 * 1024), "image/jpeg")
    with pytest.raises(DomainError) as caught:
        clean_photo(big, code="big")
    assert "MB" in str(caught.value.message)
