"""Demo data of citizens' cases: a year of cases in the demo province, some overdue.

Every case goes through the real services (intake, classification, acceptance,
extension, result), dated in the past, so the demo shows what the legal clock makes of
real dates (Tết included). Deterministic: the same random seed gives the same year.
Run by `seed_demo` after the units and accounts; idempotent (skips when cases exist).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from danvan.accounts.models import Role, RoleGrant, User
from danvan.accounts.services import grant_create
from danvan.units.demo import COMMUNE_CODES, PROVINCE_CODE
from danvan.units.models import Unit

from . import alerts, services
from .identity import Identity
from .models import Case, Channel

SEED = 20261123
_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ma", "Lương", "Hà")
_MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Thu", "Quang", "Ngọc", "Hữu")
_GIVEN = ("An", "Bình", "Chi", "Dũng", "Giang", "Hải", "Hoa", "Khánh", "Lan", "Nam", "Phúc", "Tâm")

# (kind, subject, content) — typical of what communes receive.
_TOPICS = [
    ("feedback", "Đường liên xóm xuống cấp", "Đoạn đường bê tông liên xóm bị sụt lún, mưa đọng nước."),  # noqa: E501
    ("feedback", "Đèn chiếu sáng công cộng hỏng", "Ba cột đèn trên trục đường chính không sáng."),
    ("feedback", "Rác thải không được thu gom đúng lịch", "Xe thu gom rác không đến đúng lịch."),
    ("petition", "Đề nghị lắp đặt biển báo giao thông", "Đề nghị lắp biển báo gần cổng trường."),
    ("petition", "Kiến nghị nạo vét kênh mương nội đồng", "Kênh mương bị bồi lắng, thiếu nước tưới."),  # noqa: E501
    ("complaint", "Khiếu nại quyết định thu hồi đất", "Không đồng ý mức bồi thường khi thu hồi đất."),  # noqa: E501
    ("complaint", "Khiếu nại việc cấp giấy chứng nhận", "Bị từ chối cấp giấy chứng nhận quyền sử dụng đất."),  # noqa: E501
    ("denunciation", "Tố cáo sai phạm trong xét hộ nghèo", "Cán bộ thôn đưa người không đủ điều kiện vào danh sách."),  # noqa: E501
    ("denunciation", "Tố cáo lấn chiếm đất công", "Một hộ xây tường rào lấn chiếm đất hành lang giao thông."),  # noqa: E501
]  # fmt: skip


@dataclass
class CasesDemoResult:
    cases: int = 0
    overdue: int = 0


def _name(rng: random.Random) -> str:
    return f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}"


def _sender(rng: random.Random) -> Identity:
    return Identity(
        full_name=_name(rng),
        address=f"Tổ {rng.randint(1, 20)}",
        id_number=f"019{rng.randint(100000000, 999999999)}",
        phone=f"09{rng.randint(10000000, 99999999)}",
    )


def _number(rng: random.Random, kind: str, day: dt.date) -> str:
    code = {"complaint": "QĐ-UBND", "denunciation": "KL-UBND"}.get(kind)
    return f"{rng.randint(1, 900)}/{code}" if code else f"{rng.randint(1, 900)}/UBND-VP"


def _one(
    rng: random.Random, *, actor: User, leader: User, unit: Unit, received: dt.date, today: dt.date
) -> Case:
    kind, subject, content = rng.choice(_TOPICS)
    channel = rng.choice(
        [Channel.IN_PERSON, Channel.LETTER, Channel.PORTAL, Channel.PHONE]
        if kind in ("feedback", "petition")
        else [Channel.IN_PERSON, Channel.LETTER]
    )
    case = services.case_receive(
        actor=actor,
        unit=unit,
        kind=kind,
        channel=channel,
        subject=subject,
        content=content,
        sender=_sender(rng),
        received_on=received,
        round=1 if kind == "complaint" else 0,
        complexity=rng.choice([0, 1, 1, 2]) if kind == "denunciation" else 0,
    )
    if kind == "denunciation":
        case = services.case_assign(
            actor=leader, case=case, version=case.version, users=[actor], lead=actor
        )
    fate = rng.random()
    accept_on = received + dt.timedelta(days=rng.randint(1, 6))
    if fate < 0.08 or accept_on > today:
        return case  # still waiting to be accepted (some past the intake deadline)
    if fate < 0.14:
        return services.case_refuse(
            actor=actor,
            case=case,
            version=case.version,
            reason="Nội dung không thuộc thẩm quyền giải quyết; đã hướng dẫn công dân.",
            answer_number=_number(rng, "feedback", accept_on),
            decided_on=accept_on,
        )
    case = services.case_accept(actor=actor, case=case, version=case.version, accepted_on=accept_on)
    assert case.due_date is not None
    if kind == "denunciation" and case.complexity and rng.random() < 0.5 and case.due_date < today:
        case = services.case_extend(
            actor=actor,
            case=case,
            version=case.version,
            decision_number=_number(rng, "complaint", case.due_date),
            on=min(case.due_date, today),
        )
    # Most are settled in time, some late, some still open (and so overdue or running).
    assert case.due_date is not None
    span = (case.due_date - accept_on).days
    settle = accept_on + dt.timedelta(days=int(span * rng.uniform(0.3, 1.4)))
    if rng.random() < 0.15 or settle > today:
        return case
    return services.case_resolve(
        actor=actor,
        case=case,
        version=case.version,
        decision_number=_number(rng, kind, settle),
        result_summary="Đã kiểm tra, xác minh và giải quyết theo quy định.",
        public_answer="Cơ quan đã giải quyết và gửi văn bản trả lời đến công dân.",
        decision_date=settle,
    )


@transaction.atomic
def demo_seed_cases(*, per_unit: int = 40) -> CasesDemoResult:
    """A year of cases for the demo province and its demo communes."""
    result = CasesDemoResult()
    province = Unit.objects.filter(code=PROVINCE_CODE).first()
    communes = list(Unit.objects.filter(code__in=COMMUNE_CODES).order_by("code"))
    officer = User.objects.filter(username="tinh.canbo").first()
    commune_officer = User.objects.filter(username="xa.canbo").first()
    province_leader = User.objects.filter(username="tinh.lanhdao").first()
    commune_leader = User.objects.filter(username="xa.lanhdao").first()
    if (
        province is None
        or not communes
        or officer is None
        or commune_officer is None
        or province_leader is None
        or commune_leader is None
    ):
        return result
    units = [province, *communes]
    if Case.objects.filter(unit__in=units).exists():
        return result
    # The demo handlers may see the identities of the denunciations they are assigned to.
    for user, unit in ((officer, province), (commune_officer, communes[0])):
        if not RoleGrant.objects.filter(user=user, role=Role.IDENTITY_KEEPER).exists():
            grant_create(actor=None, user=user, role=Role.IDENTITY_KEEPER, unit=unit)
    rng = random.Random(SEED)  # noqa: S311 — demo data, not secrets
    today = timezone.localdate()
    start = today - dt.timedelta(days=365)
    for unit in units:
        mine = unit == communes[0]
        actor: Any = commune_officer if mine else officer
        leader: Any = commune_leader if mine else province_leader
        days = sorted(rng.randint(0, 364) for _ in range(per_unit))
        for offset in days:
            _one(
                rng,
                actor=actor,
                leader=leader,
                unit=unit,
                received=start + dt.timedelta(days=offset),
                today=today,
            )
            result.cases += 1
    sweep = alerts.sweep_deadlines(today=today)
    result.overdue = sweep.overdue
    return result
