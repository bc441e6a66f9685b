"""The API of consultation (mounted under /api/v1/)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["Lấy ý kiến Nhân dân"])
