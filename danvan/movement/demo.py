"""Demo data of the movement (``manage.py seed_demo``): ten years of "Dân vận khéo".

- **Thái Nguyên, 2016–2025**: initiatives and exemplars of the province's
  organizations, of its communes and of the demo communes' organizations and villages,
  in all four fields, at every stage of their life, with the recognition, exemplary and
  commendation decisions (one decision number per issuer and review, as provinces
  actually issue them: "Quyết định số 125/QĐ-UBND công nhận 38 mô hình"), and
  exemplary models replicated by later entries of other units.
- **Thái Nguyên, first half of 2026**: a handful of entries registered by the demo
  communes (in every field) and by a few other communes, some recognized at the
  communes' half-year review, so that the 2026 half-year and annual report campaigns
  (data periods from 15/12/2025, domain.md §10) have figures and a filled table by
  field. They are planned after everything above, so the older entries never change.
- **Bắc Kạn, 2018**: the year of the seed report (domain.md §4: "over 1,200
  registered, 303 recognized, 82 exemplary"), with exactly :data:`BAC_KAN_2018`. Bắc
  Kạn ("06") merged into Thái Nguyên on 1 July 2025: its entries stand under Bắc Kạn
  and a few of its former organizations and communes, created here as historical
  units (valid until 30 June 2025). The statistics of Bắc Kạn for 2018 show the
  report's figures; the restated statistics of Thái Nguyên count them in.

Rows are written with ``bulk_create``, not through the services: several thousand
entries must load in well under a second, since ``make run`` and the browser tests
seed the demo. So no audit rows or life-cycle events are written for them; every
decision number is still parsed and validated like the services do. Deterministic (a
fixed random seed; public ids derived from a sequence number) and idempotent: an
entry whose public id exists is not created again, nor are its decisions.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from danvan.core import docnumber
from danvan.core.text import fold
from danvan.units import tree
from danvan.units.demo import COMMUNE_CODES, PROVINCE_CODE, official_name
from danvan.units.models import Unit, UnitKind

from .models import Decision, Entry, EntryKind, Field, Level, Period, Status

BAC_KAN_CODE = "06"
BAC_KAN_YEAR = 2018
# The seed report's figures for Bắc Kạn in 2018 (domain.md §4).
BAC_KAN_2018 = {"registered": 1214, "recognized": 303, "exemplary": 82}
YEARS = range(2016, 2026)
# Entries registered in Thái Nguyên each year (growing as the movement spread).
THAI_NGUYEN_PER_YEAR = (180, 210, 250, 290, 320, 340, 370, 410, 440, 300)
SEED = 20180303
_NAMESPACE = uuid.UUID("6f1d2c3a-5b7e-4c9d-8a1f-0d2e3c4b5a69")
HISTORICAL_END = dt.date(2025, 6, 30)
# The first half of 2026 (module docstring): entries per demo commune, one field after
# the other; how many other communes register one or two; the communes' half-year review
# (sơ kết 6 tháng), before the reports' cut-off of 14 June, recognizes every third entry
# of the demo communes and some of the others.
RECENT_YEAR = 2026
RECENT_PER_DEMO_COMMUNE = 6
RECENT_OTHER_COMMUNES = 8
RECENT_REVIEW = dt.date(2026, 6, 5)

# Field codes (data migration 0002).
ECONOMY = "kinh-te"
SOCIETY = "van-hoa-xa-hoi"
SECURITY = "quoc-phong-an-ninh"
POLITICS = "xay-dung-he-thong-chinh-tri"

# Names of initiatives in each field, with the people they work with.
INITIATIVES: dict[str, tuple[tuple[str, str], ...]] = {
    ECONOMY: (
        ("Liên kết sản xuất chè an toàn theo chuỗi giá trị", "Hộ trồng chè"),
        ("Hỗ trợ hộ nghèo phát triển chăn nuôi bò sinh sản", "Hộ nghèo, hộ cận nghèo"),
        ("Tổ hợp tác trồng rau an toàn", "Hộ nông dân"),
        ("Phụ nữ giúp nhau phát triển kinh tế gia đình", "Hội viên phụ nữ"),
        ("Nông dân thi đua sản xuất, kinh doanh giỏi", "Hội viên nông dân"),
        ("Xây dựng sản phẩm OCOP từ cây chè", "Hợp tác xã, hộ sản xuất"),
        ("Thanh niên khởi nghiệp, lập thân, lập nghiệp", "Đoàn viên, thanh niên"),
        ("Tổ tiết kiệm và vay vốn giúp hội viên làm ăn", "Hội viên các đoàn thể"),
        ("Chuyển đổi số trong tiêu thụ nông sản", "Hộ sản xuất, kinh doanh"),
        ("Cựu chiến binh giúp nhau giảm nghèo bền vững", "Hội viên cựu chiến binh"),
        ("Trồng rừng gỗ lớn gắn với chứng chỉ rừng bền vững", "Hộ trồng rừng"),
        ("Dồn điền, đổi thửa, tích tụ ruộng đất", "Nhân dân trong xóm"),
    ),
    SOCIETY: (
        ("Khu dân cư văn hóa xanh – sạch – đẹp", "Nhân dân khu dân cư"),
        ("Thu gom, phân loại rác thải sinh hoạt tại nguồn", "Hộ gia đình"),
        ("Tủ sách pháp luật tại nhà văn hóa", "Nhân dân khu dân cư"),
        ("Câu lạc bộ gia đình hạnh phúc, bền vững", "Các gia đình trẻ"),
        ("Thực hiện nếp sống văn minh trong việc cưới, việc tang", "Nhân dân"),
        ("Mái ấm công đoàn cho đoàn viên khó khăn", "Đoàn viên công đoàn"),
        ("Nhà nhân ái cho hộ nghèo", "Hộ nghèo"),
        ("Bảo tồn hát then, đàn tính", "Nghệ nhân, thanh thiếu niên"),
        ("Tuyến đường hoa, đường cây xanh tự quản", "Hội viên phụ nữ, đoàn viên"),
        ("Bữa ăn bán trú cho học sinh vùng khó", "Học sinh dân tộc thiểu số"),
        ("Đỡ đầu học sinh có hoàn cảnh khó khăn", "Học sinh nghèo"),
        ("Khám bệnh, cấp thuốc miễn phí cho người cao tuổi", "Người cao tuổi"),
    ),
    SECURITY: (
        ("Tổ tự quản về an ninh, trật tự", "Nhân dân khu dân cư"),
        ("Camera giám sát an ninh, trật tự ở khu dân cư", "Hộ gia đình"),
        ("Dòng họ không có tội phạm và tệ nạn xã hội", "Các dòng họ"),
        ("Tổ hòa giải ở cơ sở giỏi", "Nhân dân"),
        ("Dân quân tự vệ giúp dân", "Dân quân"),
        ("Giúp người lầm lỗi tái hòa nhập cộng đồng", "Người chấp hành xong án phạt tù"),
        ("Tổ liên gia an toàn phòng cháy, chữa cháy", "Hộ kinh doanh, hộ gia đình"),
        ("Công an xã gần dân, vì dân", "Nhân dân"),
        ("Tuyến đường tự quản về an toàn giao thông", "Người tham gia giao thông"),
        ("Ngày hội toàn dân bảo vệ an ninh Tổ quốc", "Nhân dân"),
        ("Xóm không có ma túy", "Thanh niên, hộ gia đình"),
        ("Quân – dân chung sức xây dựng nông thôn mới", "Cán bộ, chiến sĩ và nhân dân"),
    ),
    POLITICS: (
        ("Chi bộ bốn tốt, đảng viên nêu gương", "Đảng viên"),
        ("Bí thư chi bộ đồng thời là trưởng xóm gần dân, sát dân", "Bí thư chi bộ"),
        ("Đối thoại định kỳ giữa người đứng đầu với nhân dân", "Nhân dân"),
        ("Bộ phận một cửa thân thiện, hiện đại", "Người dân, doanh nghiệp"),
        ("Cán bộ trọng dân, gần dân, hiểu dân, giúp dân", "Cán bộ, công chức"),
        ("Ngày thứ Bảy cùng dân", "Cán bộ, đảng viên"),
        ("Nâng cao chất lượng sinh hoạt chi bộ", "Chi bộ, đảng viên"),
        ("Dân chủ ở cơ sở gắn với công khai tài chính", "Nhân dân"),
        ("Tiếp công dân và giải quyết kịp thời kiến nghị của nhân dân", "Nhân dân"),
        ("Đảng viên giúp hộ nghèo, hộ cận nghèo", "Hộ nghèo, hộ cận nghèo"),
        ("Tiếp nhận, xử lý phản ánh của người dân qua mạng xã hội", "Người dân"),
        ("Mặt trận lắng nghe ý kiến nhân dân", "Nhân dân"),
    ),
}

# Which fields each kind of unit works in most (weights in field-code order above).
_FIELD_WEIGHTS: dict[str, tuple[int, int, int, int]] = {
    UnitKind.PARTY_COMMITTEE: (1, 1, 1, 5),
    UnitKind.PARTY_COMMISSION: (1, 1, 1, 5),
    UnitKind.ARMED_FORCES: (1, 1, 6, 1),
    UnitKind.ENTERPRISE: (5, 3, 1, 1),
    UnitKind.FRONT: (2, 3, 1, 3),
    UnitKind.MASS_ORGANIZATION: (4, 3, 1, 1),
    UnitKind.AGENCY: (2, 2, 1, 4),
    UnitKind.PUBLIC_SERVICE: (1, 4, 1, 2),
}
_DEFAULT_FIELD_WEIGHTS = (4, 3, 2, 2)

# Hamlets named in entries of communes without demo villages (common names in the region).
HAMLETS = (
    "xóm Đồng Tâm",
    "xóm Tân Lập",
    "xóm Làng Mới",
    "xóm Trung Tâm",
    "xóm Gốc Mít",
    "xóm Bãi Bông",
    "xóm Na Hoàng",
    "xóm Khuôn Ngàn",
    "bản Nà Pài",
    "bản Pác Ngòi",
    "thôn Nà Làng",
    "thôn Bản Đén",
)

# Former Bắc Kạn units (until 30 June 2025): suffix, name, kind, division type.
BAC_KAN_UNITS: tuple[tuple[str, str, str, str], ...] = (
    ("TU", "Tỉnh ủy Bắc Kạn", UnitKind.PARTY_COMMITTEE, "tỉnh ủy"),
    ("UBND", "Ủy ban nhân dân tỉnh Bắc Kạn", UnitKind.AGENCY, "ủy ban nhân dân"),
    ("MTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Bắc Kạn", UnitKind.FRONT, "mặt trận"),
    ("HND", "Hội Nông dân tỉnh Bắc Kạn", UnitKind.MASS_ORGANIZATION, "hội"),
    ("HLHPN", "Hội Liên hiệp Phụ nữ tỉnh Bắc Kạn", UnitKind.MASS_ORGANIZATION, "hội"),
    ("BCHQS", "Bộ Chỉ huy Quân sự tỉnh Bắc Kạn", UnitKind.ARMED_FORCES, "quân sự"),
    ("DUCXUAN", "Phường Đức Xuân", UnitKind.COMMUNE, "phường"),
    ("NONGTHUONG", "Xã Nông Thượng", UnitKind.COMMUNE, "xã"),
    ("CHORA", "Thị trấn Chợ Rã", UnitKind.COMMUNE, "thị trấn"),
    ("KHANGNINH", "Xã Khang Ninh", UnitKind.COMMUNE, "xã"),
    ("BANGLUNG", "Thị trấn Bằng Lũng", UnitKind.COMMUNE, "thị trấn"),
    ("PHUTHONG", "Thị trấn Phủ Thông", UnitKind.COMMUNE, "thị trấn"),
    ("THANHMAI", "Xã Thanh Mai", UnitKind.COMMUNE, "xã"),
    ("YENLAC", "Thị trấn Yến Lạc", UnitKind.COMMUNE, "thị trấn"),
)


@dataclass
class MovementDemoResult:
    units: int = 0
    entries: int = 0
    decisions: int = 0

    @property
    def total_created(self) -> int:
        return self.units + self.entries + self.decisions


@dataclass
class _DecisionPlan:
    kind: str
    number: str
    issued_on: dt.date
    issuer: str
    level: str
    form: str


@dataclass
class _Plan:
    """One entry to create, with its decisions and (maybe) the entry it replicates."""

    seq: int
    unit: Unit
    field: Field
    kind: str
    name: str
    target_group: str
    year: int
    status: str = Status.IN_PROGRESS
    recognized: bool = False
    exemplary: bool = False
    commended: bool = False
    recognized_on: dt.date | None = None
    recognized_level: str = ""
    exemplary_on: dt.date | None = None
    exemplary_level: str = ""
    commended_on: dt.date | None = None
    decisions: list[_DecisionPlan] = dataclasses.field(default_factory=list)
    replicates: int | None = None  # seq of the source

    @property
    def public_id(self) -> uuid.UUID:
        return uuid.uuid5(_NAMESPACE, f"movement-demo-{self.seq}")


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


class _Numbers:
    """Decision numbers: one per issuer, kind and review; numbering restarts each year."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.next: dict[tuple[str, int], int] = {}
        self.issued: dict[tuple[str, str, dt.date], str] = {}

    def number(self, template: str, issuer: str, kind: str, day: dt.date) -> str:
        key = (issuer, kind, day)
        if key not in self.issued:
            seq_key = (issuer, day.year)
            n = self.next.get(seq_key) or self.rng.randint(15, 240)
            self.next[seq_key] = n + self.rng.randint(3, 40)
            self.issued[key] = template.format(n=n)
        return self.issued[key]


class _Builder:
    def __init__(self, fields: dict[str, Field]) -> None:
        self.rng = random.Random(SEED)  # noqa: S311 (demo data, reproducible on purpose)
        self.fields = fields
        self.plans: list[_Plan] = []
        self.numbers = _Numbers(self.rng)

    # Names ---------------------------------------------------------------
    def place(self, unit: Unit, commune: Unit | None) -> str:
        if unit.kind == UnitKind.VILLAGE and commune is not None:
            return f"{_lower_first(unit.name)}, {_lower_first(commune.name)}"
        if unit.kind == UnitKind.COMMUNE:
            if unit.division_type == "phường":
                hamlet = f"tổ dân phố số {self.rng.randint(1, 18)}"
            else:
                hamlet = self.rng.choice(HAMLETS)
            return f"{hamlet}, {_lower_first(unit.name)}"
        return unit.name

    def entry(self, unit: Unit, commune: Unit | None, year: int, code: str = "") -> _Plan:
        """A planned entry of *unit*, in the field *code* or one drawn by the unit's kind."""
        rng = self.rng
        if not code:
            codes = (ECONOMY, SOCIETY, SECURITY, POLITICS)
            weights = _FIELD_WEIGHTS.get(unit.kind, _DEFAULT_FIELD_WEIGHTS)
            code = rng.choices(codes, weights=weights)[0]
        title, target = rng.choice(INITIATIVES[code])
        place = self.place(unit, commune)
        roll = rng.random()
        if roll < 0.8:
            kind, name = EntryKind.INITIATIVE, f"{title} ở {place}"
        elif roll < 0.92:
            kind, name = EntryKind.COLLECTIVE, f"Tập thể {place} – {_lower_first(title)}"
        else:
            female = rng.random() < 0.45
            person = official_name(rng.randint(1, 5000), female=female)
            honorific = "Bà" if female else "Ông"
            kind, name = EntryKind.INDIVIDUAL, f"{honorific} {person} ({place}) – {title}"
        plan = _Plan(
            seq=len(self.plans) + 1,
            unit=unit,
            field=self.fields[code],
            kind=kind,
            name=name[:300],
            target_group=target,
            year=year,
        )
        self.plans.append(plan)
        return plan

    # Life ----------------------------------------------------------------
    def open_fate(self, plan: _Plan) -> None:
        """A stage short of recognition, likelier to be still running when recent."""
        age = YEARS[-1] - plan.year
        rng = self.rng
        roll = rng.random()
        if roll < min(0.08 + 0.02 * age, 0.2):
            plan.status = Status.NOT_RECOGNIZED
        elif roll < min(0.11 + 0.03 * age, 0.3):
            plan.status = rng.choice((Status.STOPPED, Status.STOPPED, Status.WITHDRAWN))
        elif age == 0:
            plan.status = rng.choice(
                (Status.REGISTERED, Status.ACCEPTED, Status.IN_PROGRESS, Status.IN_PROGRESS)
            )
        elif age == 1:
            plan.status = rng.choice((Status.IN_PROGRESS, Status.SUBMITTED))
        else:
            plan.status = Status.IN_PROGRESS

    def recognize(
        self,
        plan: _Plan,
        *,
        review_year: int,
        commune: Unit | None,
        province_name: str,
        day: dt.date | None = None,
    ) -> None:
        """Recognized at the year-end review (or on *day*) by the commune (its units) or
        the province."""
        day = day or dt.date(review_year, 11, 20)
        if commune is not None:
            issuer = f"Ủy ban nhân dân {_lower_first(commune.name)}"
            template, level = "{n}/QĐ-UBND", Level.COMMUNE
        else:
            issuer = f"Ban Dân vận Tỉnh ủy {province_name}"
            template, level = "{n}-QĐ/BDVTU", Level.PROVINCE
        plan.recognized, plan.status = True, Status.RECOGNIZED
        plan.recognized_on, plan.recognized_level = day, level
        plan.decisions.append(
            _DecisionPlan(
                Decision.Kind.RECOGNITION,
                self.numbers.number(template, issuer, "recognition", day),
                day,
                issuer,
                level,
                Decision.Form.DECISION,
            )
        )

    def make_exemplary(self, plan: _Plan, *, province_name: str) -> None:
        assert plan.recognized_on is not None
        day = dt.date(plan.recognized_on.year, 12, 15)
        if self.rng.random() < 0.06:
            issuer, template, level = "Ban Dân vận Trung ương", "{n}-QĐ/BDVTW", Level.CENTRAL
        else:
            issuer, template = f"Ban Dân vận Tỉnh ủy {province_name}", "{n}-QĐ/BDVTU"
            level = Level.PROVINCE
        plan.exemplary, plan.status = True, Status.EXEMPLARY
        plan.exemplary_on, plan.exemplary_level = day, level
        plan.decisions.append(
            _DecisionPlan(
                Decision.Kind.EXEMPLARY,
                self.numbers.number(template, issuer, "exemplary", day),
                day,
                issuer,
                level,
                Decision.Form.DECISION,
            )
        )

    def commend(self, plan: _Plan, *, province_name: str) -> None:
        assert plan.recognized_on is not None
        day = dt.date(plan.recognized_on.year, 12, 28)
        if plan.exemplary:
            issuer, template = f"Ủy ban nhân dân tỉnh {province_name}", "{n}/QĐ-UBND"
            level, form = Level.PROVINCE, Decision.Form.MERIT
        else:
            issuer, template = f"Ban Dân vận Tỉnh ủy {province_name}", "{n}-QĐ/BDVTU"
            level, form = Level.PROVINCE, Decision.Form.CERTIFICATE
        plan.commended, plan.commended_on = True, day
        plan.decisions.append(
            _DecisionPlan(
                Decision.Kind.COMMENDATION,
                self.numbers.number(template, issuer, f"commendation-{form}", day),
                day,
                issuer,
                level,
                form,
            )
        )

    def replicate(self, sources: list[_Plan], candidates: list[_Plan], share: float) -> None:
        """Some exemplary *sources* are taken up by later *candidates* of other units."""
        pool: dict[int, list[_Plan]] = defaultdict(list)
        for c in candidates:
            if c.replicates is None and not c.recognized:
                pool[c.field.pk].append(c)
        for source in sources:
            if self.rng.random() >= share:
                continue
            takers = [
                c
                for c in pool[source.field.pk]
                if c.year >= source.year and c.unit.pk != source.unit.pk and c.seq != source.seq
            ][: self.rng.randint(1, 3)]
            for taker in takers:
                taker.replicates = source.seq
                pool[source.field.pk].remove(taker)
            if takers and self.rng.random() < 0.6:
                source.status = Status.REPLICATED


def _commune_of(unit: Unit, communes: dict[str, Unit]) -> Unit | None:
    """The commune a unit is or lies in (by path), None at province level."""
    for end in range(len(unit.path), 0, -tree.SEGMENT):
        found = communes.get(unit.path[:end])
        if found is not None:
            return found
    return None


def _historical_unit(parent: Unit, suffix: str, name: str, kind: str, division: str) -> Unit:
    """A unit of the former Bắc Kạn. The unit services refuse children under a
    historical unit (nothing new may be added there), but the demo needs the past as
    it was, so the row is written directly, path included, as units.services does."""
    unit = Unit(
        code=f"{parent.code}-{suffix}",
        name=name,
        name_folded=fold(name),
        kind=kind,
        division_type=division,
        parent=parent,
        valid_from=parent.valid_from,
        valid_to=parent.valid_to or HISTORICAL_END,
        path=f"tmp-{parent.code}-{suffix}",
    )
    unit.save()
    unit.path = tree.child_path(parent.path, unit.pk)
    unit.depth = tree.depth_of(unit.path)
    Unit.objects.filter(pk=unit.pk).update(path=unit.path, depth=unit.depth)
    return unit


def _bac_kan_units(bac_kan: Unit, result: MovementDemoResult) -> list[Unit]:
    existing = {u.code: u for u in Unit.objects.filter(parent=bac_kan)}
    units = [bac_kan]
    for suffix, name, kind, division in BAC_KAN_UNITS:
        unit = existing.get(f"{bac_kan.code}-{suffix}")
        if unit is None:
            unit = _historical_unit(bac_kan, suffix, name, kind, division)
            result.units += 1
        units.append(unit)
    return units


def _plan_thai_nguyen(b: _Builder, province: Unit) -> None:
    low, high = tree.subtree_bounds(province.path)
    units = list(
        Unit.objects.filter(path__gte=low, path__lt=high, valid_to__isnull=True)
        .exclude(pk=province.pk)
        .order_by("code")
    )
    communes = {u.path: u for u in units if u.kind == UnitKind.COMMUNE}
    # Province organizations and the demo communes' bodies register more than a commune.
    weights = [4 if u.parent_id == province.pk and u.kind != UnitKind.COMMUNE else 2 for u in units]
    weights = [
        w + (1 if u.kind == UnitKind.COMMUNE else 0) for w, u in zip(weights, units, strict=True)
    ]
    name = province.name
    for year, count in zip(YEARS, THAI_NGUYEN_PER_YEAR, strict=True):
        age = YEARS[-1] - year
        for unit in b.rng.choices(units, weights=weights, k=count):
            commune = _commune_of(unit, communes)
            plan = b.entry(unit, commune, year)
            if b.rng.random() < min(0.12 + 0.09 * age, 0.55):
                review = min(year + 1, YEARS[-1]) if age else year
                b.recognize(plan, review_year=review, commune=commune, province_name=name)
                if b.rng.random() < 0.25:
                    b.make_exemplary(plan, province_name=name)
                if b.rng.random() < (0.6 if plan.exemplary else 0.2):
                    b.commend(plan, province_name=name)
            else:
                b.open_fate(plan)
    plans = [p for p in b.plans if p.unit.path.startswith(province.path)]
    sources = [p for p in plans if p.exemplary and p.year <= YEARS[-1] - 2]
    b.replicate(sources, [p for p in plans if not p.exemplary], share=0.45)


def _plan_bac_kan(b: _Builder, units: list[Unit]) -> None:
    """Exactly BAC_KAN_2018: registered, recognized (exemplary included), exemplary."""
    bac_kan = units[0]
    communes = {u.path: u for u in units if u.kind == UnitKind.COMMUNE}
    # The province itself registers a few; its organizations and communes the rest.
    weights = [1] + [3 if u.kind != UnitKind.COMMUNE else 6 for u in units[1:]]
    start = len(b.plans)
    for unit in b.rng.choices(units, weights=weights, k=BAC_KAN_2018["registered"]):
        b.entry(unit, _commune_of(unit, communes), BAC_KAN_YEAR)
    plans = b.plans[start:]
    order = list(range(len(plans)))
    b.rng.shuffle(order)
    recognized = set(order[: BAC_KAN_2018["recognized"]])
    exemplary = set(order[: BAC_KAN_2018["exemplary"]])
    for i, plan in enumerate(plans):
        if i in recognized:
            commune = _commune_of(plan.unit, communes)
            b.recognize(plan, review_year=BAC_KAN_YEAR, commune=commune, province_name=bac_kan.name)
            if i in exemplary:
                b.make_exemplary(plan, province_name=bac_kan.name)
            if b.rng.random() < (0.5 if plan.exemplary else 0.12):
                b.commend(plan, province_name=bac_kan.name)
        else:
            b.open_fate(plan)
    b.replicate(
        [p for p in plans if p.exemplary], [p for p in plans if not p.recognized], share=0.3
    )


def _plan_first_half(b: _Builder, province: Unit) -> None:
    """The first half of RECENT_YEAR (module docstring): registered between February and
    May (``_entry``), recognized by the commune at RECENT_REVIEW or still under way."""
    low, high = tree.subtree_bounds(province.path)
    active = Unit.objects.filter(path__gte=low, path__lt=high, valid_to__isnull=True)
    communes = list(active.filter(kind=UnitKind.COMMUNE).order_by("code"))
    demo = [c for c in communes if c.code in COMMUNE_CODES]
    others = [c for c in communes if c.code not in COMMUNE_CODES]
    fields = (ECONOMY, SOCIETY, SECURITY, POLITICS)
    name = province.name

    def fate(plan: _Plan, commune: Unit, recognized: bool) -> None:
        if recognized:
            b.recognize(
                plan,
                review_year=RECENT_YEAR,
                commune=commune,
                province_name=name,
                day=RECENT_REVIEW,
            )
        else:
            plan.status = b.rng.choice(
                (Status.REGISTERED, Status.ACCEPTED, Status.IN_PROGRESS, Status.IN_PROGRESS)
            )

    for commune in demo:
        # The commune itself, its villages and its organizations.
        c_low, c_high = tree.subtree_bounds(commune.path)
        units = list(active.filter(path__gte=c_low, path__lt=c_high).order_by("code"))
        for i in range(RECENT_PER_DEMO_COMMUNE):
            # Each field in turn, by a unit that works in it (the weights of its kind).
            k = i % len(fields)
            weights = [_FIELD_WEIGHTS.get(u.kind, _DEFAULT_FIELD_WEIGHTS)[k] for u in units]
            unit = b.rng.choices(units, weights=weights)[0]
            plan = b.entry(unit, commune, RECENT_YEAR, fields[k])
            fate(plan, commune, recognized=i % 3 == 1)
    for commune in b.rng.sample(others, k=min(RECENT_OTHER_COMMUNES, len(others))):
        for _n in range(b.rng.randint(1, 2)):
            plan = b.entry(commune, commune, RECENT_YEAR)
            fate(plan, commune, recognized=b.rng.random() < 0.3)


def _chunks(items: list[Any], size: int = 500) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _entry(plan: _Plan, periods: list[Period], rng: random.Random) -> Entry:
    period = next(p for p in periods if p.contains(plan.year))
    economic = plan.field.code == ECONOMY
    return Entry(
        public_id=plan.public_id,
        kind=plan.kind,
        name=plan.name,
        name_folded=fold(plan.name),
        unit=plan.unit,
        field=plan.field,
        target_group=plan.target_group,
        goals="Huy động sức dân, phát huy quyền làm chủ của nhân dân.",
        content_method="Tuyên truyền, vận động; cán bộ, đảng viên đi đầu; nhân dân cùng làm.",
        start_date=dt.date(plan.year, rng.randint(1, 4), rng.randint(1, 28)),
        registration_year=plan.year,
        period=period,
        money_mobilized=rng.randint(5, 900) * 1_000_000 if economic else None,
        working_days=rng.randint(20, 2500),
        land_donated_m2=rng.randint(0, 40) * 25 if economic and rng.random() < 0.3 else None,
        contact_name=official_name(plan.seq),
        contact_phone=f"0208 3{rng.randint(100000, 999999)}",
        status=plan.status,
        registered_on=dt.date(plan.year, rng.randint(2, 5), rng.randint(1, 28)),
        recognized_on=plan.recognized_on,
        recognized_level=plan.recognized_level,
        exemplary_on=plan.exemplary_on,
        exemplary_level=plan.exemplary_level,
        commended_on=plan.commended_on,
    )


@transaction.atomic
def demo_seed_movement() -> MovementDemoResult:
    """Create (or find again) the movement's demo history; see the module docstring."""
    result = MovementDemoResult()
    province = Unit.objects.filter(code=PROVINCE_CODE).first()
    bac_kan = Unit.objects.filter(code=BAC_KAN_CODE).first()
    if province is None or bac_kan is None:
        return result  # the unit tree is not loaded: units.demo reports it
    fields = {f.code: f for f in Field.objects.all()}
    periods = list(Period.objects.all())
    if not all(code in fields for code in INITIATIVES) or not periods:
        return result

    builder = _Builder(fields)
    _plan_thai_nguyen(builder, province)
    _plan_bac_kan(builder, _bac_kan_units(bac_kan, result))
    _plan_first_half(builder, province)  # last: the plans above stay as they were
    plans = builder.plans

    ids = [p.public_id for p in plans]
    existing: set[uuid.UUID] = set()
    for chunk in _chunks(ids):
        existing.update(
            Entry.objects.filter(public_id__in=chunk).values_list("public_id", flat=True)
        )
    # A second random stream for the details, so they never shift the plan above.
    details = random.Random(SEED + 1)  # noqa: S311
    new = [(p, _entry(p, periods, details)) for p in plans]
    new = [(p, e) for p, e in new if p.public_id not in existing]
    if not new:
        return result
    Entry.objects.bulk_create([e for _, e in new], batch_size=500)
    result.entries = len(new)

    pk_of: dict[uuid.UUID, int] = {}
    for chunk in _chunks(ids):
        pk_of.update(Entry.objects.filter(public_id__in=chunk).values_list("public_id", "pk"))
    by_seq = {p.seq: p for p in plans}
    decisions = []
    replicas = []
    parsed: dict[str, docnumber.DocumentNumber] = {}
    for plan, entry in new:
        entry.pk = pk_of[plan.public_id]
        for d in plan.decisions:
            if d.number not in parsed:
                parsed[d.number] = docnumber.parse(d.number)  # raises on a bad number
            decisions.append(
                Decision(
                    entry=entry,
                    kind=d.kind,
                    number=parsed[d.number].raw,
                    number_key=parsed[d.number].key,
                    issued_on=d.issued_on,
                    issuer=d.issuer,
                    level=d.level,
                    form=d.form,
                )
            )
        if plan.replicates is not None:
            entry.replicated_from_id = pk_of[by_seq[plan.replicates].public_id]
            replicas.append(entry)
    Decision.objects.bulk_create(decisions, batch_size=500)
    result.decisions = len(decisions)
    Entry.objects.bulk_update(replicas, ["replicated_from"], batch_size=500)
    return result
