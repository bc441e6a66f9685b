"""The API of disclosures (mounted under /api/v1/)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["Công khai thông tin"])
