"""The API of supervision (mounted under /api/v1/)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["Giám sát của Nhân dân"])
