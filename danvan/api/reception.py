"""The API of reception days and dialogues (mounted under /api/v1/)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["Tiếp công dân, đối thoại"])
