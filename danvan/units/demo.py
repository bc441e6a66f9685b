"""Demo units: a realistic Thái Nguyên for trying danvan out (``manage.py seed_demo``).

This module knows only the unit tree: the province's and the demo communes'
organisations, villages, officials and steering committees. The demo accounts and
the order in which every area adds its demo data belong to the project
(``danvan.demo``), because units must not depend on the areas built on it.

Everything is written through the services with ``actor=None`` (the system), so
the audit trail shows how the demo came about. Running the seeding twice adds
nothing: units are found again by code, officials by (unit, position) and
steering members by (level, official).

The people are fictional; the units are the real organisation of a province
and its communes since 1 July 2025 (two tiers of local government), with
invented villages and household counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from danvan.core.errors import DomainError

from . import services
from .models import Official, SteeringCommitteeMember, Unit, UnitKind

PROVINCE_CODE = "19"  # Thái Nguyên (Bắc Kạn merged into it on 1 July 2025)
# Three real communes of Thái Nguyên (package codes); the first one gets the
# commune-level demo accounts (danvan.demo.accounts).
COMMUNE_CODES = ("05443", "05503", "05830")  # P. Phan Đình Phùng, X. Tân Cương, X. Đại Từ
TERM_START = dt.date(2025, 7, 1)


class DemoError(DomainError):
    """The demo cannot be built (e.g. the unit tree was not loaded)."""


@dataclass(frozen=True)
class Org:
    """A unit to create under a level, its code suffix and the officials it has."""

    suffix: str
    name: str
    kind: str
    division_type: str
    officials: tuple[str, ...] = ()  # positions; names are assigned deterministically
    children: tuple[Org, ...] = ()


_K = UnitKind

PROVINCE_ORGS: tuple[Org, ...] = (
    Org(
        "TU",
        "Tỉnh ủy Thái Nguyên",
        _K.PARTY_COMMITTEE,
        "tỉnh ủy",
        ("Bí thư Tỉnh ủy", "Phó Bí thư Thường trực Tỉnh ủy"),
        children=(
            Org(
                "BTGDV",
                "Ban Tuyên giáo và Dân vận Tỉnh ủy",
                _K.PARTY_COMMISSION,
                "ban",
                ("Trưởng Ban Tuyên giáo và Dân vận", "Phó Trưởng Ban Tuyên giáo và Dân vận"),
            ),
            Org("BTC", "Ban Tổ chức Tỉnh ủy", _K.PARTY_COMMISSION, "ban", ("Trưởng Ban Tổ chức",)),
            Org(
                "UBKT",
                "Ủy ban Kiểm tra Tỉnh ủy",
                _K.PARTY_COMMISSION,
                "ủy ban",
                ("Chủ nhiệm Ủy ban Kiểm tra",),
            ),
        ),
    ),
    Org(
        "UBND",
        "Ủy ban nhân dân tỉnh Thái Nguyên",
        _K.AGENCY,
        "ủy ban nhân dân",
        ("Chủ tịch UBND tỉnh", "Phó Chủ tịch UBND tỉnh"),
    ),
    Org("SNV", "Sở Nội vụ", _K.AGENCY, "sở", ("Giám đốc Sở Nội vụ",)),
    Org("STC", "Sở Tài chính", _K.AGENCY, "sở", ("Giám đốc Sở Tài chính",)),
    Org(
        "SNNMT",
        "Sở Nông nghiệp và Môi trường",
        _K.AGENCY,
        "sở",
        ("Giám đốc Sở Nông nghiệp và Môi trường",),
    ),
    Org("SYT", "Sở Y tế", _K.AGENCY, "sở", ("Giám đốc Sở Y tế",)),
    Org("SGDDT", "Sở Giáo dục và Đào tạo", _K.AGENCY, "sở", ("Giám đốc Sở Giáo dục và Đào tạo",)),
    Org("TTR", "Thanh tra tỉnh", _K.AGENCY, "thanh tra", ("Chánh Thanh tra tỉnh",)),
    Org(
        "MTTQ",
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Thái Nguyên",
        _K.FRONT,
        "mặt trận",
        ("Chủ tịch Ủy ban MTTQ Việt Nam tỉnh", "Phó Chủ tịch Ủy ban MTTQ Việt Nam tỉnh"),
    ),
    Org(
        "HND",
        "Hội Nông dân tỉnh Thái Nguyên",
        _K.MASS_ORGANIZATION,
        "hội",
        ("Chủ tịch Hội Nông dân tỉnh",),
    ),
    Org(
        "HLHPN",
        "Hội Liên hiệp Phụ nữ tỉnh Thái Nguyên",
        _K.MASS_ORGANIZATION,
        "hội",
        ("Chủ tịch Hội Liên hiệp Phụ nữ tỉnh",),
    ),
    Org("TDTN", "Tỉnh đoàn Thái Nguyên", _K.MASS_ORGANIZATION, "đoàn", ("Bí thư Tỉnh đoàn",)),
    Org(
        "HCCB",
        "Hội Cựu chiến binh tỉnh Thái Nguyên",
        _K.MASS_ORGANIZATION,
        "hội",
        ("Chủ tịch Hội Cựu chiến binh tỉnh",),
    ),
    Org(
        "LDLD",
        "Liên đoàn Lao động tỉnh Thái Nguyên",
        _K.MASS_ORGANIZATION,
        "công đoàn",
        ("Chủ tịch Liên đoàn Lao động tỉnh",),
    ),
    Org(
        "BCHQS",
        "Bộ Chỉ huy Quân sự tỉnh Thái Nguyên",
        _K.ARMED_FORCES,
        "quân sự",
        ("Chỉ huy trưởng Bộ Chỉ huy Quân sự tỉnh",),
    ),
    Org("CA", "Công an tỉnh Thái Nguyên", _K.ARMED_FORCES, "công an", ("Giám đốc Công an tỉnh",)),
    Org("BVA", "Bệnh viện A Thái Nguyên", _K.PUBLIC_SERVICE, "bệnh viện", ("Giám đốc Bệnh viện",)),
    Org(
        "BPTTH",
        "Báo và Phát thanh, Truyền hình Thái Nguyên",
        _K.PUBLIC_SERVICE,
        "báo, đài",
        ("Tổng Biên tập",),
    ),
    Org(
        "TTHCC",
        "Trung tâm Phục vụ hành chính công tỉnh Thái Nguyên",
        _K.PUBLIC_SERVICE,
        "trung tâm",
        ("Giám đốc Trung tâm",),
    ),
    Org(
        "TISCO",
        "Công ty cổ phần Gang thép Thái Nguyên",
        _K.ENTERPRISE,
        "công ty cổ phần",
        ("Tổng Giám đốc", "Chủ tịch Công đoàn Công ty"),
    ),
)


def _commune_orgs(commune: Unit) -> tuple[Org, ...]:
    """The political system of a commune or ward (two-tier model since 1 July 2025)."""
    lower = commune.name[:1].lower() + commune.name[1:]  # "xã Tân Cương"
    level = commune.division_type or "xã"
    return (
        Org(
            "DU",
            f"Đảng ủy {lower}",
            _K.PARTY_COMMITTEE,
            "đảng ủy",
            ("Bí thư Đảng ủy", "Phó Bí thư Thường trực Đảng ủy"),
            children=(
                Org(
                    "BXDD",
                    f"Ban Xây dựng Đảng Đảng ủy {lower}",
                    _K.PARTY_COMMISSION,
                    "ban",
                    ("Trưởng Ban Xây dựng Đảng",),
                ),
            ),
        ),
        Org(
            "UBND",
            f"Ủy ban nhân dân {lower}",
            _K.AGENCY,
            "ủy ban nhân dân",
            (f"Chủ tịch UBND {level}", f"Phó Chủ tịch UBND {level}"),
        ),
        Org(
            "MTTQ",
            f"Ủy ban Mặt trận Tổ quốc Việt Nam {lower}",
            _K.FRONT,
            "mặt trận",
            (f"Chủ tịch Ủy ban MTTQ Việt Nam {level}",),
        ),
        Org(
            "HND",
            f"Hội Nông dân {lower}",
            _K.MASS_ORGANIZATION,
            "hội",
            ("Chủ tịch Hội Nông dân",),
        ),
        Org(
            "HPN",
            f"Hội Liên hiệp Phụ nữ {lower}",
            _K.MASS_ORGANIZATION,
            "hội",
            ("Chủ tịch Hội Liên hiệp Phụ nữ",),
        ),
        Org(
            "DTN",
            f"Đoàn Thanh niên Cộng sản Hồ Chí Minh {lower}",
            _K.MASS_ORGANIZATION,
            "đoàn",
            ("Bí thư Đoàn Thanh niên",),
        ),
        Org(
            "HCCB",
            f"Hội Cựu chiến binh {lower}",
            _K.MASS_ORGANIZATION,
            "hội",
            ("Chủ tịch Hội Cựu chiến binh",),
        ),
        Org("CA", f"Công an {lower}", _K.ARMED_FORCES, "công an", (f"Trưởng Công an {level}",)),
    )


# Villages (name, households) per demo commune. Thái Nguyên calls most of its
# rural villages "xóm"; wards have residential groups (tổ dân phố).
VILLAGES: dict[str, tuple[str, tuple[tuple[str, int], ...]]] = {
    "05443": (
        "tổ dân phố",
        (
            ("Tổ dân phố 1", 312),
            ("Tổ dân phố 2", 287),
            ("Tổ dân phố 3", 405),
            ("Tổ dân phố 4", 356),
            ("Tổ dân phố 5", 268),
            ("Tổ dân phố 6", 441),
            ("Tổ dân phố 7", 329),
        ),
    ),
    "05503": (
        "xóm",
        (
            ("Xóm Hích", 214),
            ("Xóm Nam Đồng", 176),
            ("Xóm Guộc", 158),
            ("Xóm Y Na", 132),
            ("Xóm Soi", 97),
            ("Xóm Gò Pháo", 121),
            ("Xóm Lam Sơn", 143),
            ("Xóm Tân Thái", 188),
        ),
    ),
    "05830": (
        "xóm",
        (
            ("Xóm Đồng Khuôn", 236),
            ("Xóm Chiến Thắng", 198),
            ("Xóm Sơn Tập", 165),
            ("Xóm Cầu Thành", 247),
            ("Xóm Tân Lập", 119),
            ("Xóm Bình Định", 84),
        ),
    ),
}

# Extra units that exist only in one commune.
COMMUNE_EXTRAS: dict[str, tuple[Org, ...]] = {
    "05503": (
        Org(
            "HTXCHE",
            "Hợp tác xã Chè Tân Cương",
            _K.ENTERPRISE,
            "hợp tác xã",
            ("Giám đốc Hợp tác xã",),
        ),
    ),
}

# Steering committee for grassroots democracy (BCĐ QCDC): (unit suffix, position, role).
_SR = SteeringCommitteeMember.Role
PROVINCE_STEERING = (
    ("TU", "Phó Bí thư Thường trực Tỉnh ủy", _SR.HEAD),
    ("TU-BTGDV", "Trưởng Ban Tuyên giáo và Dân vận", _SR.DEPUTY),
    ("UBND", "Phó Chủ tịch UBND tỉnh", _SR.DEPUTY),
    ("TU-BTGDV", "Phó Trưởng Ban Tuyên giáo và Dân vận", _SR.STANDING),
    ("MTTQ", "Phó Chủ tịch Ủy ban MTTQ Việt Nam tỉnh", _SR.MEMBER),
    ("SNV", "Giám đốc Sở Nội vụ", _SR.MEMBER),
    ("TTR", "Chánh Thanh tra tỉnh", _SR.MEMBER),
    ("LDLD", "Chủ tịch Liên đoàn Lao động tỉnh", _SR.MEMBER),
    ("HND", "Chủ tịch Hội Nông dân tỉnh", _SR.MEMBER),
)
COMMUNE_STEERING = (
    ("DU", "Phó Bí thư Thường trực Đảng ủy", _SR.HEAD),
    ("UBND", "Phó Chủ tịch UBND {level}", _SR.DEPUTY),
    ("MTTQ", "Chủ tịch Ủy ban MTTQ Việt Nam {level}", _SR.DEPUTY),
    ("DU-BXDD", "Trưởng Ban Xây dựng Đảng", _SR.STANDING),
    ("HND", "Chủ tịch Hội Nông dân", _SR.MEMBER),
    ("HPN", "Chủ tịch Hội Liên hiệp Phụ nữ", _SR.MEMBER),
    ("DTN", "Bí thư Đoàn Thanh niên", _SR.MEMBER),
    ("CA", "Trưởng Công an {level}", _SR.MEMBER),
)

# Fictional names for officials, composed deterministically (no randomness).
_FAMILY: tuple[str, ...] = (
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hà",
    "Ma",
    "Dương",
    "Lương",
    "Triệu",
    "Nông",
    "Ngô",
    "Đinh",
)
_MALE_MIDDLE: tuple[str, ...] = ("Văn", "Đức", "Quang", "Minh", "Xuân", "Hữu", "Mạnh")
_MALE_GIVEN: tuple[str, ...] = (
    "Hùng",
    "Dũng",
    "Thành",
    "Long",
    "Sơn",
    "Tùng",
    "Cường",
    "Hiếu",
    "Nam",
    "Phong",
    "Trung",
    "Toàn",
    "Tiến",
    "Khải",
    "Lâm",
)
_FEMALE_MIDDLE: tuple[str, ...] = ("Thị", "Thu", "Thanh", "Ngọc", "Hồng", "Minh")
_FEMALE_GIVEN: tuple[str, ...] = (
    "Hương",
    "Lan",
    "Mai",
    "Hạnh",
    "Thảo",
    "Yến",
    "Nga",
    "Huyền",
    "Trang",
    "Dung",
)


def official_name(n: int, *, female: bool | None = None) -> str:
    """The *n*-th fictional name: a stable mix of family, middle and given names."""
    family = _FAMILY[(n * 7) % len(_FAMILY)]
    if female if female is not None else n % 3 == 2:
        middle = _FEMALE_MIDDLE[(n * 5) % len(_FEMALE_MIDDLE)]
        given = _FEMALE_GIVEN[(n * 3) % len(_FEMALE_GIVEN)]
    else:
        middle = _MALE_MIDDLE[(n * 5) % len(_MALE_MIDDLE)]
        given = _MALE_GIVEN[(n * 11) % len(_MALE_GIVEN)]
    return f"{family} {middle} {given}"


@dataclass
class UnitsDemoResult:
    province: Unit
    communes: list[Unit]
    created: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(("units", "officials", "steering"), 0)
    )

    @property
    def total_created(self) -> int:
        return sum(self.created.values())


class _Seeder:
    def __init__(self, province: Unit, communes: list[Unit]) -> None:
        self.result = UnitsDemoResult(province=province, communes=communes)
        self.name_seq = 0

    # Units ---------------------------------------------------------------
    def unit(
        self, parent: Unit, code: str, name: str, kind: str, division_type: str, **extra: Any
    ) -> Unit:
        unit = Unit.objects.filter(code=code).first()
        if unit is not None:
            return unit
        self.result.created["units"] += 1
        return services.unit_create(
            actor=None,
            parent=parent,
            kind=kind,
            name=name,
            code=code,
            division_type=division_type,
            **extra,
        )

    def orgs(self, parent: Unit, prefix: str, orgs: tuple[Org, ...]) -> None:
        for org in orgs:
            code = f"{prefix}-{org.suffix}"
            unit = self.unit(parent, code, org.name, org.kind, org.division_type)
            for position in org.officials:
                self.official(unit, position)
            if org.children:
                self.orgs(unit, code, org.children)

    # People --------------------------------------------------------------
    def official(self, unit: Unit, position: str) -> Official:
        self.name_seq += 1  # advanced even when found, so names never depend on history
        existing = Official.objects.filter(unit=unit, position=position).first()
        if existing is not None:
            return existing
        self.result.created["officials"] += 1
        return services.official_create(
            actor=None,
            unit=unit,
            # The Women's Union is led by a woman.
            full_name=official_name(self.name_seq, female=("Phụ nữ" in position) or None),
            position=position,
            term_start=TERM_START,
        )

    def steering(
        self,
        level: Unit,
        members: tuple[tuple[str, str, str], ...],
        decision_number: str,
        fmt: dict[str, str],
    ) -> None:
        for suffix, position, role in members:
            unit = Unit.objects.get(code=f"{level.code}-{suffix}")
            official = Official.objects.get(unit=unit, position=position.format(**fmt))
            if SteeringCommitteeMember.objects.filter(
                level=level, official=official, end_date__isnull=True
            ).exists():
                continue
            self.result.created["steering"] += 1
            services.steering_member_add(
                actor=None,
                level=level,
                official=official,
                role=role,
                decision_number=decision_number,
                start_date=dt.date(2025, 8, 15),
            )


@transaction.atomic
def demo_seed_units() -> UnitsDemoResult:
    """Build (or find again) the demo Thái Nguyên's units; see the module docstring."""
    province = Unit.objects.filter(code=PROVINCE_CODE, kind=UnitKind.PROVINCE).first()
    communes = [Unit.objects.filter(code=c, kind=UnitKind.COMMUNE).first() for c in COMMUNE_CODES]
    if province is None or None in communes:
        raise DemoError(
            "units_not_loaded",
            _(
                "Chưa có danh mục đơn vị hành chính (tỉnh Thái Nguyên và các xã, phường mẫu)."
                " Hãy chạy trước: python manage.py load_units"
            ),
        )
    seeder = _Seeder(province, [c for c in communes if c is not None])
    result = seeder.result

    seeder.orgs(province, province.code, PROVINCE_ORGS)
    seeder.steering(province, PROVINCE_STEERING, "125-QĐ/TU", {})

    for commune in result.communes:
        seeder.orgs(commune, commune.code, _commune_orgs(commune))
        seeder.orgs(commune, commune.code, COMMUNE_EXTRAS.get(commune.code, ()))
        division_type, villages = VILLAGES[commune.code]
        head = "Tổ trưởng tổ dân phố" if division_type == "tổ dân phố" else "Trưởng xóm"
        for n, (name, households) in enumerate(villages, start=1):
            village = seeder.unit(
                commune,
                f"{commune.code}-T{n:02d}",
                name,
                UnitKind.VILLAGE,
                division_type,
                households=households,
            )
            seeder.official(village, head)
        level = commune.division_type or "xã"
        seeder.steering(commune, COMMUNE_STEERING, "08-QĐ/ĐU", {"level": level})

    return result
