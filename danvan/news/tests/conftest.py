"""Fixtures of the news tests: writers and editors around a commune of Thái Nguyên, and
articles in each state. Uploaded photos go to a temporary folder."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from danvan.accounts.models import Role, User
from danvan.accounts.testing import make_user
from danvan.news import services
from danvan.news.models import Article
from danvan.units.models import Unit


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def writer(commune: Unit) -> User:
    return make_user("nv-writer", Role.OFFICER, commune)


@pytest.fixture
def editor(commune: Unit) -> User:
    return make_user("nv-editor", Role.UNIT_ADMIN, commune)


@pytest.fixture
def province_writer(thai_nguyen: Unit) -> User:
    return make_user("nv-pwriter", Role.OFFICER, thai_nguyen)


@pytest.fixture
def province_editor(thai_nguyen: Unit) -> User:
    return make_user("nv-peditor", Role.UNIT_ADMIN, thai_nguyen)


@pytest.fixture
def sibling_editor(sibling_commune: Unit) -> User:
    return make_user("nv-seditor", Role.UNIT_ADMIN, sibling_commune)


def write(unit: Unit, actor: Any = None, **kwargs: Any) -> Article:
    data: dict[str, Any] = {
        "title": "Mô hình “Dân vận khéo” xây dựng đường giao thông nông thôn",
        "lead": "Nhân dân thôn 3 hiến 2.000 m² đất làm đường.",
        "body": "<p>Sau hai tháng vận động, <strong>120 hộ</strong> đã hiến đất.</p>",
        "source": "Ban Dân vận",
        "tags": "Dân vận khéo, Giao thông",
    }
    data.update(kwargs)
    return services.article_create(actor=actor, unit=unit, **data)


def published(unit: Unit, **kwargs: Any) -> Article:
    """An article approved by the system, shown from *publish_at* (default now)."""
    publish_at = kwargs.pop("publish_at", None)
    expires_at = kwargs.pop("expires_at", None)
    article = write(unit, **kwargs)
    services.article_submit(actor=None, article=article)
    return services.article_approve(
        actor=None, article=article, publish_at=publish_at, expires_at=expires_at
    )


def photo_upload(
    size: tuple[int, int] = (3000, 2000), *, exif: bool = True, name: str = "anh.jpg"
) -> SimpleUploadedFile:
    """A JPEG with a GPS-like EXIF block (camera make, a GPS tag)."""
    image = Image.new("RGB", size, (120, 160, 90))
    out = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x010F] = "PhoneMaker"  # Make
        data[0x8825] = {1: "N", 2: (21.0, 35.0, 0.0)}  # GPSInfo
        image.save(out, format="JPEG", exif=data.tobytes())
    else:
        image.save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


DAY = dt.timedelta(days=1)
