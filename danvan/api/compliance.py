"""The steering committee's compliance board through the API (mounted under /api/v1/)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["Bảng theo dõi thực hiện dân chủ ở cơ sở"])
