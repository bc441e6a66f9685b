"""The API of citizens' cases (mounted under /api/v1/)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["Vụ việc (khiếu nại, tố cáo, phản ánh, kiến nghị)"])
