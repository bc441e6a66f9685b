"""The demo conference: the province's review of the first half of the year, held online
with every commune a point, chaired by the head of the steering committee, with a few
speeches, a conclusion of five assigning paragraphs in the shape provinces write them,
and its notice. Dates are relative to *today* (the last first half that has ended; the
conclusion's deadlines fall around today: one past, one in a few days, the others later),
so the demo means the same whenever it is seeded. Idempotent: a province that has that
review already keeps it as it is.

The project's demo seeder calls ``seed_conferences(province)``; creating the tasks from
the conclusion is the demo's own wiring (through the proposals).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from danvan.units.models import Official, Unit, UnitKind

from . import selectors, services
from .models import Conference, ConferenceKind, Half, IssuerFamily

# The head of the provincial steering committee chairs its reviews (units.demo's officials).
CHAIR_POSITIONS = ("Phó Bí thư Thường trực Tỉnh ủy", "Bí thư Tỉnh ủy")
# Each paragraph assigns one unit of the demo province (units.demo), so that the five
# proposals resolve to five tasks: (text with {due} and {next_year}, days from today).
CONCLUSION = (
    (
        "1. Giao Ban Tuyên giáo và Dân vận Tỉnh ủy chủ trì, phối hợp với Ủy ban Mặt trận Tổ"
        " quốc tỉnh hướng dẫn các xã, phường sơ kết việc thực hiện Luật Thực hiện dân chủ ở"
        " cơ sở, báo cáo Ban Thường vụ Tỉnh ủy trước ngày {due}.",
        -20,
    ),
    (
        "2. Giao Ủy ban nhân dân phường Phan Đình Phùng tổ chức hội nghị đối thoại với Nhân"
        " dân về công tác bồi thường, giải phóng mặt bằng, hoàn thành trước ngày {due}.",
        3,
    ),
    (
        "3. Giao Sở Nội vụ chủ trì rà soát, công khai thủ tục hành chính theo các nội dung"
        " phải công khai ở cấp xã, hoàn thành trước ngày {due}.",
        45,
    ),
    (
        "4. Đề nghị Ủy ban Mặt trận Tổ quốc tỉnh chỉ đạo kiện toàn Ban Thanh tra nhân dân ở"
        " các xã, phường còn thiếu thành viên, báo cáo kết quả trước ngày {due}.",
        75,
    ),
    (
        "5. Giao Ủy ban nhân dân xã Tân Cương đăng ký mô hình “Dân vận khéo” năm {next_year},"
        " gửi Ban Tuyên giáo và Dân vận Tỉnh ủy trước ngày {due}.",
        30,
    ),
)


def held_on(today: dt.date) -> dt.date:
    """The day of the review of the last first half that has ended: 10 July, or a month
    before *today* when that is earlier (provinces hold it from June on)."""
    year = today.year if today >= dt.date(today.year, 7, 10) else today.year - 1
    return min(dt.date(year, 7, 10), today - dt.timedelta(days=30))


def conclusion_text(today: dt.date) -> str:
    """The conclusion, its deadlines counted from *today*."""
    return "\n".join(
        text.format(due=f"{today + dt.timedelta(days=days):%d/%m/%Y}", next_year=today.year + 1)
        for text, days in CONCLUSION
    )


SPEECHES = (
    (
        "Trưởng Ban Tuyên giáo và Dân vận Tỉnh ủy",
        "Báo cáo kết quả thực hiện quy chế dân chủ ở cơ sở 6 tháng đầu năm và nhiệm vụ"
        " 6 tháng cuối năm.",
    ),
    (
        "Chủ tịch Ủy ban Mặt trận Tổ quốc tỉnh",
        "Kết quả giám sát, phản biện xã hội; kiến nghị kiện toàn Ban Thanh tra nhân dân.",
    ),
    (
        "Chủ tịch Ủy ban nhân dân phường",
        "Kinh nghiệm tổ chức đối thoại với Nhân dân về giải phóng mặt bằng.",
    ),
)


def _place(province: Unit) -> str:
    """ "Thái Nguyên" of "Tỉnh Thái Nguyên": the place name of the date line."""
    return province.name.removeprefix("Tỉnh ").removeprefix("Thành phố ").strip()


def _chair(province: Unit) -> Official | None:
    officials = selectors.officials_for(province, limit=None)
    for position in CHAIR_POSITIONS:
        found = officials.filter(position=position).first()
        if found is not None:
            return found
    return officials.first()


@transaction.atomic
def seed_conferences(province: Unit, actor: Any = None, today: dt.date | None = None) -> Conference:
    """Record the demo half-year review of *province* (or return the one recorded)."""
    today = today or timezone.localdate()
    day = held_on(today)
    existing = Conference.objects.filter(
        unit=province,
        kind=ConferenceKind.HALF_YEAR_REVIEW,
        period_year=day.year,
        period_half=Half.FIRST,
    ).first()
    if existing is not None:
        return existing
    place = _place(province)
    chair = _chair(province)
    conference = services.conference_create(
        actor=actor,
        unit=province,
        data={
            "kind": ConferenceKind.HALF_YEAR_REVIEW,
            "title": f"Hội nghị sơ kết 6 tháng đầu năm {day.year} thực hiện quy chế dân chủ"
            " ở cơ sở",
            "held_on": day,
            "place": f"Hội trường Tỉnh ủy {place}",
            "online": True,
            "chair": chair,
            "period_year": day.year,
            "period_half": Half.FIRST,
            "agenda": f"Khai mạc\nBáo cáo sơ kết 6 tháng đầu năm {day.year}\nThảo luận\nKết luận",
        },
    )
    for position, summary in SPEECHES:
        speaker = selectors.officials_for(province, limit=None).filter(position=position).first()
        services.speech_add(
            actor=actor,
            conference=conference,
            speaker_name=speaker.full_name if speaker else position,
            position=position,
            unit=speaker.unit if speaker else None,
            summary=summary,
        )
    services.points_add_communes(actor=actor, conference=conference, expected=0)
    _attendance(actor, conference)
    conference = services.conference_conclude(
        actor=actor, conference=conference, conclusion=conclusion_text(today)
    )
    return services.notice_record(
        actor=actor,
        conference=conference,
        data={
            "issuer_family": IssuerFamily.PARTY,
            "notice_number": "05-TB/BCĐ",
            "notice_on": day + dt.timedelta(days=3),
            "notice_place": place,
            "superior_body": f"TỈNH ỦY {place.upper()}",
            "issuer_body": "BAN CHỈ ĐẠO THỰC HIỆN QUY CHẾ DÂN CHỦ Ở CƠ SỞ",
            "signing_authority": "T/M BAN CHỈ ĐẠO",
            "signer_position": "TRƯỞNG BAN",
            "signer_name": conference.chair_name or "Nguyễn Văn An",
            "recipients": "- Các đồng chí Ủy viên Ban Chỉ đạo;\n- Các xã, phường;\n- Lưu: VT.",
        },
    )


def _attendance(actor: Any, conference: Conference) -> None:
    """Realistic figures, the same on every run: most communes connect (a few lose the
    line), 30–60 people expected at each, most of them present."""
    rng = random.Random(conference.unit.code)  # noqa: S311 — demo data, not secrets
    rows = {}
    for point in selectors.points_of(conference).filter(unit__kind=UnitKind.COMMUNE):
        expected = rng.randint(30, 60)
        connected = rng.random() < 0.96
        attended = rng.randint(expected * 8 // 10, expected) if connected else 0
        rows[point.pk] = services.Attendance(connected, expected, attended)
    services.points_record_attendance(actor=actor, conference=conference, rows=rows)
