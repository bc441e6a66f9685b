"""Demo data of disclosure ("dân biết"): a year of what the demo communes made public,
through the real services, with gaps for the compliance check to show.

Each demo commune discloses every mandatory kind of its list (DisclosureKind rule data)
over the past year: posted at the headquarters for 35 days, and for items 7–12 also on
the loudspeakers for 4 days. Gaps, on purpose:

- the second commune never discloses two kinds (missing);
- the third commune's loudspeakers ran one item for only 2 days (loudspeaker_short);
- the first commune posted one item for only 20 days (posting_short);
- the second commune disclosed its budget estimate (item 2) 6 days after its due date
  (late); every budget estimate carries a due date.

Some disclosures are marked public and show on the citizens' portal. Deterministic
(fixed random seed), dated in the past; idempotent (a commune that already has
disclosures is skipped). Run by `seed_demo` after the units and accounts.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from danvan.accounts.models import User
from danvan.units.demo import COMMUNE_CODES
from danvan.units.models import Unit, UnitKind

from . import services
from .models import DisclosureForm, DisclosureKind, RuleUnitKind
from .services import ChannelSpec

SEED = 20261123
POSTING_DAYS = 35  # more than the 30 of the baseline rule data
LOUDSPEAKER_DAYS = 4  # more than the 3 of the baseline rule data
# The gaps (commune index → kind numbers / the one short channel).
MISSING = {1: (5, 11)}
SHORT_LOUDSPEAKER = {2: (8, 2)}  # kind 8 on the loudspeakers for 2 days
SHORT_POSTING = {0: (2, 20)}  # kind 2 posted for 20 days
LATE = {1: (2, 6)}  # kind 2 disclosed 6 days after its due date
BUDGET = 2  # the budget estimate: a due date from its approval (demo figure)
PUBLIC_KINDS = (1, 2, 3, 7, 10)  # shown on the portal

# A title per kind number (the commune's list, Law 10/2022/QH15, Điều 11).
_TITLES = {
    1: "Kế hoạch phát triển kinh tế - xã hội năm {year}",
    2: "Dự toán ngân sách và tình hình thực hiện ngân sách 6 tháng",
    3: "Kế hoạch sử dụng đất và danh mục công trình đầu tư",
    4: "Thủ tục hành chính thuộc thẩm quyền giải quyết của UBND {level}",
    5: "Thu, chi quỹ đền ơn đáp nghĩa và các khoản đóng góp của Nhân dân",
    6: "Danh sách hộ nghèo, hộ cận nghèo được hỗ trợ",
    7: "Các loại phí, lệ phí và mức thu áp dụng tại {level}",
    8: "Kết luận kiểm tra việc quản lý đất công",
    9: "Kết quả tiếp thu ý kiến Nhân dân về quy hoạch chung",
    10: "Kết quả thực hiện đóng góp làm đường bê tông nội thôn",
    11: "Kết quả giải quyết khiếu nại, kiến nghị của công dân 6 tháng",
    12: "Kết quả bầu trưởng thôn, tổ trưởng tổ dân phố nhiệm kỳ mới",
    13: "Đề án sắp xếp, sáp nhập thôn, tổ dân phố",
}


@dataclass
class DisclosureDemoResult:
    disclosures: int = 0
    channels: int = 0
    public: int = 0


def _actor(index: int) -> User | None:
    """The commune's officer for the first demo commune, the province's for the others."""
    name = "xa.canbo" if index == 0 else "tinh.canbo"
    return User.objects.filter(username=name).first()


def _kinds(on: dt.date) -> dict[int, DisclosureKind]:
    """The mandatory commune kinds in force on *on*, one version per number."""
    found: dict[int, DisclosureKind] = {}
    rows = DisclosureKind.objects.filter(unit_kind=RuleUnitKind.COMMUNE, mandatory=True).order_by(
        "number", "-valid_from"
    )
    for kind in rows:
        if kind.is_valid_on(on):
            found.setdefault(kind.number, kind)
    return found


def _channels(
    rng: random.Random, index: int, kind: DisclosureKind, start: dt.date, place: str
) -> list[ChannelSpec]:
    posting = POSTING_DAYS
    short = SHORT_POSTING.get(index)
    if short is not None and short[0] == kind.number:
        posting = short[1]
    specs = [
        ChannelSpec(
            DisclosureForm.POSTING,
            start,
            start + dt.timedelta(days=posting - 1),
            f"Bảng tin trụ sở {place}",
        )
    ]
    if kind.loudspeaker_min_days:
        days = LOUDSPEAKER_DAYS
        short = SHORT_LOUDSPEAKER.get(index)
        if short is not None and short[0] == kind.number:
            days = short[1]
        begin = start + dt.timedelta(days=1)
        specs.append(
            ChannelSpec(
                DisclosureForm.LOUDSPEAKER,
                begin,
                begin + dt.timedelta(days=days - 1),
                "Đài truyền thanh cơ sở",
            )
        )
    if kind.number in PUBLIC_KINDS:
        specs.append(ChannelSpec(DisclosureForm.WEBSITE, start, None, "Cổng thông tin điện tử"))
    if rng.random() < 0.4:
        specs.append(
            ChannelSpec(
                DisclosureForm.VILLAGE_HEAD,
                start + dt.timedelta(days=2),
                start + dt.timedelta(days=10),
                "Qua trưởng thôn, tổ trưởng tổ dân phố",
            )
        )
    return specs


@transaction.atomic
def demo_seed_disclosure() -> DisclosureDemoResult:
    """A year of disclosures in each demo commune, with the gaps of the module docstring."""
    result = DisclosureDemoResult()
    rng = random.Random(SEED)  # noqa: S311 — demo data, not secrets
    today = timezone.localdate()
    for index, code in enumerate(COMMUNE_CODES):
        commune = Unit.objects.filter(code=code, kind=UnitKind.COMMUNE).first()
        if commune is None or commune.disclosures.exists():
            continue
        actor = _actor(index)
        level = commune.division_type or "xã"
        for number, kind in sorted(_kinds(today).items()):
            if number in MISSING.get(index, ()):
                continue
            # Far enough back that every form has ended (none still running but the site).
            start = today - dt.timedelta(days=rng.randint(45, 350))
            if not kind.is_valid_on(start):
                continue
            specs = _channels(rng, index, kind, start, commune.name)
            ends = [s.end for s in specs if s.end is not None]
            public = number in PUBLIC_KINDS
            due_on = None
            if number == BUDGET:
                late_kind, days = LATE.get(index, (None, 0))
                due_on = start - dt.timedelta(days=days if late_kind == number else 0)
            services.disclosure_create(
                actor=actor,
                unit=commune,
                kind=kind,
                title=_TITLES.get(number, kind.title).format(year=start.year, level=level),
                summary=f"{kind.title} ({commune.name}).",
                start=start,
                end=None if public else max(ends),
                due_on=due_on,
                is_public=public,
                channels=specs,
            )
            result.disclosures += 1
            result.channels += len(specs)
            result.public += public
    return result
