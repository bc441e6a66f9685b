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
from danvan.accounts.policies import subtree_q
from danvan.accounts.services import grant_create
from danvan.legal.models import Duty
from danvan.units.demo import COMMUNE_CODES, PROVINCE_CODE
from danvan.units.models import Official, Unit, UnitKind

from . import alerts, services
from .dialogues import services as dialogue_services
from .identity import Identity
from .models import Case, Channel, ReceptionSession
from .reception import services as reception_services

# (duty, weekly or monthly, the weekday 0–6 or day of month)
_DUTY_OF = {
    UnitKind.COMMUNE: (Duty.RECEPTION_COMMUNE_CHAIR, "weekly", 3),
    UnitKind.PROVINCE: (Duty.RECEPTION_PROVINCE_CHAIR, "monthly", 15),
}


def _reception_year(
    rng: random.Random, *, actor: User, unit: Unit, start: dt.date, today: dt.date
) -> list[ReceptionSession]:
    """The chair's schedule and a year of sessions, a few weeks or months missed so the
    minimum-days warning has something to say."""
    chair = (
        Official.objects.filter(subtree_q(unit, "unit__"), position__startswith="Chủ tịch UBND")
        .order_by("id")
        .first()
    )
    if chair is None:
        return []
    duty, pattern, day = _DUTY_OF[UnitKind(unit.kind)]
    place = f"Trụ sở tiếp công dân {unit.name}"
    schedule = reception_services.schedule_create(
        actor=actor,
        unit=unit,
        leader=chair,
        duty=duty,
        pattern=pattern,
        day=day,
        place=place,
        valid_from=start,
    )
    days: list[dt.date] = []
    if pattern == "weekly":
        first = start + dt.timedelta(days=(day - start.weekday()) % 7)
        days = [first + dt.timedelta(weeks=n) for n in range(53)]
    else:
        month = dt.date(start.year, start.month, 1)
        while month <= today:
            days.append(month.replace(day=day))
            month = (month + dt.timedelta(days=32)).replace(day=1)
    sessions = []
    for held_on in days:
        if held_on < start or held_on > today or rng.random() < 0.1:
            continue  # a missed week or month
        citizens = rng.randint(0, 6)
        sessions.append(
            reception_services.session_record(
                actor=actor,
                unit=unit,
                leader=chair,
                held_on=held_on,
                place=place,
                citizens_count=citizens,
                citizens="",
                content=(
                    "Công dân phản ánh về đất đai, môi trường, chính sách an sinh."
                    if citizens
                    else "Không có công dân đến."
                ),
                schedule=schedule,
            )
        )
    return sessions


def _dialogues(*, actor: User, unit: Unit, today: dt.date, upcoming: bool = False) -> int:
    """Dialogues of the year: one announced and published in time, with commitments
    (one done, one overdue); one announced late and not yet published; one upcoming."""
    if upcoming:
        coming = dialogue_services.dialogue_create(
            actor=actor,
            unit=unit,
            title="Đối thoại với Nhân dân về chính sách hỗ trợ chuyển đổi nghề",
            held_on=today + dt.timedelta(days=20),
            place=f"Hội trường {unit.name}",
            chair="Chủ tịch UBND",
        )
        dialogue_services.dialogue_announce(actor=actor, dialogue=coming, announced_on=today)
        return 1
    held = today - dt.timedelta(days=240)
    done = dialogue_services.dialogue_create(
        actor=actor,
        unit=unit,
        title="Đối thoại về giải phóng mặt bằng dự án đường liên xã",
        held_on=held,
        place=f"Hội trường {unit.name}",
        chair="Chủ tịch UBND",
    )
    dialogue_services.dialogue_announce(
        actor=actor, dialogue=done, announced_on=held - dt.timedelta(days=10)
    )
    dialogue_services.dialogue_hold(
        actor=actor,
        dialogue=done,
        participants="Đại diện các hộ có đất bị thu hồi, MTTQ, các đoàn thể",
        participants_count=64,
    )
    question = dialogue_services.question_add(
        actor=actor,
        dialogue=done,
        question="Bao giờ chi trả tiền bồi thường đợt 2?",
        answer="Trong quý tới, sau khi phê duyệt phương án.",
        answered_by="Chủ tịch UBND",
    )
    paid = dialogue_services.commitment_add(
        actor=actor,
        dialogue=done,
        text="Chi trả tiền bồi thường đợt 2",
        responsible="Ban Quản lý dự án",
        due_date=held + dt.timedelta(days=90),
        question=question,
    )
    dialogue_services.commitment_done(
        actor=actor,
        commitment=paid,
        done_on=held + dt.timedelta(days=80),
        result="Đã chi trả cho 52 hộ.",
    )
    dialogue_services.commitment_add(
        actor=actor,
        dialogue=done,
        text="Làm lại rãnh thoát nước dọc tuyến",
        responsible="Phòng Kinh tế",
        due_date=held + dt.timedelta(days=120),
    )
    dialogue_services.dialogue_publish(
        actor=actor,
        dialogue=done,
        results="Đã trả lời 12 ý kiến; 2 cam kết.",
        published_on=held + dt.timedelta(days=5),
    )
    late_day = today - dt.timedelta(days=60)
    late = dialogue_services.dialogue_create(
        actor=actor,
        unit=unit,
        title="Đối thoại về thu gom, xử lý rác thải sinh hoạt",
        held_on=late_day,
        place=f"Nhà văn hoá {unit.name}",
        chair="Phó Chủ tịch UBND",
    )
    dialogue_services.dialogue_announce(
        actor=actor, dialogue=late, announced_on=late_day - dt.timedelta(days=3)
    )
    dialogue_services.dialogue_hold(
        actor=actor, dialogue=late, participants="Cử tri các tổ dân phố", participants_count=41
    )
    return 2


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
    sessions: int = 0
    dialogues: int = 0


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
    rng: random.Random,
    *,
    actor: User,
    leader: User,
    unit: Unit,
    received: dt.date,
    today: dt.date,
    session: ReceptionSession | None = None,
) -> Case:
    kind, subject, content = rng.choice(_TOPICS)
    channel = rng.choice(
        [Channel.IN_PERSON, Channel.LETTER, Channel.PORTAL, Channel.PHONE]
        if kind in ("feedback", "petition")
        else [Channel.IN_PERSON, Channel.LETTER]
    )
    if session is not None:
        channel = Channel.IN_PERSON
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
        reception_session=session,
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
    if Case.objects.filter(unit__in=units).exists() or ReceptionSession.objects.exists():
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
        if unit.kind in (UnitKind.PROVINCE, UnitKind.COMMUNE):
            for session in _reception_year(rng, actor=actor, unit=unit, start=start, today=today):
                result.sessions += 1
                if result.sessions % 4 == 0:  # some citizens leave a written case
                    _one(
                        rng,
                        actor=actor,
                        leader=leader,
                        unit=unit,
                        received=session.held_on,
                        today=today,
                        session=session,
                    )
                    result.cases += 1
    result.dialogues = _dialogues(actor=commune_officer, unit=communes[0], today=today)
    result.dialogues += _dialogues(actor=officer, unit=province, today=today, upcoming=True)
    sweep = alerts.sweep_deadlines(today=today)
    result.overdue = sweep.overdue
    return result
