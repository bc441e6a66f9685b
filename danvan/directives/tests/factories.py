"""Documents recorded through the service, with fields a test may override."""

from __future__ import annotations

import datetime as dt
from typing import Any

from danvan.directives import services
from danvan.directives.models import Document
from danvan.units.models import Unit


def document_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "number": "15/QĐ-UBND",
        "issued_on": dt.date(2026, 1, 5),
        "issuer_name": "Ủy ban nhân dân xã",
        "excerpt": "Ban hành Kế hoạch thực hiện dân chủ ở cơ sở năm 2026",
        "party_term": "",
        "signer_name": "Nguyễn Văn A",
        "signer_position": "Chủ tịch",
    }
    data.update(overrides)
    return data


def register(unit: Unit, *, actor: Any = None, **overrides: Any) -> Document:
    return services.document_register(actor=actor, unit=unit, data=document_data(**overrides))
