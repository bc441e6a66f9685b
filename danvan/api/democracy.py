"""The API of grassroots democracy: matters and votes (mounted under /api/v1/)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["Dân chủ ở cơ sở"])
