"""seed_gallery: photos for the demo province's public entries, shown by the portal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from danvan.demo.gallery import seed_gallery
from danvan.movement.models import Attachment, Entry, Status
from danvan.movement.tests.conftest import field_economy, make_entry  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_seed_gallery_adds_public_photos_once(make_entry: Any) -> None:  # noqa: F811
    shown = make_entry("Điển hình")
    Entry.objects.filter(pk=shown.pk).update(status=Status.EXEMPLARY)
    draft = make_entry("Nháp")
    result = seed_gallery(limit=5)
    assert result.entries == 1
    assert result.photos >= 1
    photos = Attachment.objects.filter(entry=shown, is_public=True)
    assert photos.count() == result.photos
    assert not Attachment.objects.filter(entry=draft).exists()
    item = photos.first()
    assert item is not None
    assert item.caption
    url = reverse("portal:gallery_photo", args=[shown.public_id, item.pk, "nho"])
    assert Client().get(url).status_code == 200
    assert seed_gallery(limit=5).photos == 0  # idempotent
