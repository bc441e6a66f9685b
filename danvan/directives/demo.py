"""Demo documents of the register: the plans and laws named in the seeds, recorded in a
province's register with the links between them. Idempotent: a document already in the
register (same number, issuer and year or term) is left as it is.

The project's demo seeder calls ``seed_documents(province)``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from danvan.units.models import Unit

from . import services
from .models import Document, DocumentLink, LinkKind

# (number, issued on, issuer, excerpt, party term, signer position)
DOCUMENTS: tuple[tuple[str, dt.date, str, str, str, str], ...] = (
    (
        "771-KH/BDVTƯ",
        dt.date(2017, 3, 8),
        "Ban Dân vận Trung ương",
        "Kế hoạch triển khai phong trào thi đua “Dân vận khéo”",
        "2016-2021",
        "Phó Trưởng ban",
    ),
    (
        "20-KH/TU",
        dt.date(2016, 8, 12),
        "Tỉnh ủy",
        "Kế hoạch thực hiện công tác dân vận và phong trào thi đua “Dân vận khéo” trên địa"
        " bàn tỉnh",
        "2015-2020",
        "Phó Bí thư Thường trực",
    ),
    (
        "60/2013/NĐ-CP",
        dt.date(2013, 6, 19),
        "Chính phủ",
        "Quy định chi tiết khoản 3 Điều 63 của Bộ luật Lao động về thực hiện quy chế dân chủ"
        " ở cơ sở tại nơi làm việc",
        "",
        "Thủ tướng",
    ),
    (
        "145/2020/NĐ-CP",
        dt.date(2020, 12, 14),
        "Chính phủ",
        "Quy định chi tiết và hướng dẫn thi hành một số điều của Bộ luật Lao động về điều"
        " kiện lao động và quan hệ lao động",
        "",
        "Thủ tướng",
    ),
    (
        "10/2022/QH15",
        dt.date(2022, 11, 10),
        "Quốc hội",
        "Luật Thực hiện dân chủ ở cơ sở",
        "",
        "Chủ tịch Quốc hội",
    ),
    (
        "59/2023/NĐ-CP",
        dt.date(2023, 8, 14),
        "Chính phủ",
        "Quy định chi tiết một số điều của Luật Thực hiện dân chủ ở cơ sở",
        "",
        "Thủ tướng",
    ),
    (
        "15/QĐ-UBND",
        dt.date(2023, 1, 5),
        "Ủy ban nhân dân tỉnh",
        "Ban hành Kế hoạch triển khai thi hành Luật Thực hiện dân chủ ở cơ sở trên địa bàn tỉnh",
        "",
        "Chủ tịch",
    ),
    (
        "123/UBND-VP",
        dt.date(2024, 4, 2),
        "Ủy ban nhân dân tỉnh",
        "V/v đôn đốc thực hiện phong trào thi đua “Dân vận khéo” năm 2024",
        "",
        "Phó Chủ tịch",
    ),
)
# (source number, kind, target number)
LINKS: tuple[tuple[str, str, str], ...] = (
    ("145/2020/NĐ-CP", LinkKind.REPLACES, "60/2013/NĐ-CP"),
    ("59/2023/NĐ-CP", LinkKind.GUIDES, "10/2022/QH15"),
    ("15/QĐ-UBND", LinkKind.IMPLEMENTS, "10/2022/QH15"),
    ("123/UBND-VP", LinkKind.IMPLEMENTS, "771-KH/BDVTƯ"),
    ("123/UBND-VP", LinkKind.IMPLEMENTS, "20-KH/TU"),
)


@transaction.atomic
def seed_documents(province: Unit, *, actor: Any = None) -> dict[str, Document]:
    """Record the demo documents in *province*'s register; returns them by number."""
    found: dict[str, Document] = {}
    for number, issued_on, issuer, excerpt, term, position in DOCUMENTS:
        data = {
            "number": number,
            "issued_on": issued_on,
            "issuer_name": issuer,
            "excerpt": excerpt,
            "party_term": term,
            "signer_position": position,
        }
        existing = services.find_duplicate(data, unit=province)
        found[number] = existing or services.document_register(
            actor=actor, unit=province, data=data
        )
    for source, kind, target in LINKS:
        if not DocumentLink.objects.filter(
            source=found[source], target=found[target], kind=kind
        ).exists():
            services.document_link_add(
                actor=actor, source=found[source], target=found[target], kind=kind
            )
    return found
