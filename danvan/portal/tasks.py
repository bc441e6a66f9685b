"""The portal's scheduled work (CELERY_BEAT_SCHEDULE): thin doors onto its modules."""

from __future__ import annotations

from celery import shared_task

from .gallery import photos


@shared_task(name="danvan.portal.tasks.prune_gallery_copies")
def prune_gallery_copies() -> int:
    """Nightly: remove the gallery's copies of photos no longer public (gallery/photos.py)."""
    return photos.prune()
