"""Demo data of people's supervision ("dân kiểm tra, giám sát"), through the real
services, with gaps for the selectors to show.

- A people's inspection board (Ban Thanh tra nhân dân) in each demo commune, one member
  per village: complete in the first commune; the second leaves its last village
  without a member; the third has only 4 members (below the minimum of the rule data).
- A community investment supervision board (Ban Giám sát đầu tư của cộng đồng) for a
  project of the first commune, at its legal size.
- Plans of the first commune's inspection board: one sent three weeks ahead (in time),
  one sent two days ahead (late notice); each with an activity and a finding. The first
  finding's recommendation is answered and closed; the second's is open and overdue.
- Conferences in the demo province: a staff conference (hội nghị cán bộ, công chức,
  viên chức) last year and this year for every agency but one (the gap), and a workers'
  conference and a workplace dialogue for each enterprise.

Deterministic, dated in the past; idempotent (nothing is added when the demo communes
already have boards). Run by `seed_demo` after the units and accounts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from danvan.accounts.models import User
from danvan.accounts.policies import subtree_q
from danvan.units.demo import COMMUNE_CODES, PROVINCE_CODE, official_name
from danvan.units.models import Unit, UnitKind

from . import services
from .models import Board, BoardMember, Conference

Role = BoardMember.Role
TERM_START = dt.date(2025, 10, 1)  # boards elected after the communes of 1 July 2025
SHORT_BOARD = 2  # index of the commune whose board has only 4 members
SHORT_BOARD_SIZE = 4
VILLAGE_GAP = 1  # index of the commune whose last village has no member
NAME_BASE = 500  # official_name() numbers kept apart from the units' officials


@dataclass
class SupervisionDemoResult:
    boards: int = 0
    members: int = 0
    plans: int = 0
    recommendations: int = 0
    overdue: int = 0
    conferences: int = 0


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _inspection_board(
    actor: User | None, commune: Unit, index: int, result: SupervisionDemoResult
) -> Board:
    board = services.board_create(
        actor=actor, unit=commune, kind=Board.Kind.INSPECTION, term_start=TERM_START
    )
    result.boards += 1
    villages = list(
        Unit.objects.filter(parent=commune, kind=UnitKind.VILLAGE, valid_to__isnull=True).order_by(
            "code"
        )
    )
    if index == SHORT_BOARD:
        villages = villages[:SHORT_BOARD_SIZE]
    elif index == VILLAGE_GAP:
        villages = villages[:-1]
    for n, village in enumerate(villages):
        role = Role.HEAD if n == 0 else Role.DEPUTY if n == 1 else Role.MEMBER
        services.member_add(
            actor=actor,
            board=board,
            full_name=official_name(NAME_BASE + 10 * index + n),
            role=role,
            village=village,
            term_start=TERM_START,
        )
        result.members += 1
    return board


def _investment_board(actor: User | None, commune: Unit, result: SupervisionDemoResult) -> Board:
    board = services.board_create(
        actor=actor,
        unit=commune,
        kind=Board.Kind.INVESTMENT,
        term_start=TERM_START,
        project="Cải tạo, nâng cấp nhà văn hóa và sân thể thao tổ dân phố 3",
    )
    result.boards += 1
    roles = (Role.HEAD, Role.DEPUTY, Role.REPRESENTATIVE, Role.REPRESENTATIVE, Role.REPRESENTATIVE)
    for n, role in enumerate(roles):
        services.member_add(
            actor=actor,
            board=board,
            full_name=official_name(NAME_BASE + 100 + n),
            role=role,
            term_start=TERM_START,
        )
        result.members += 1
    return board


def _plans(
    actor: User | None,
    board: Board,
    investment: Board,
    today: dt.date,
    result: SupervisionDemoResult,
) -> None:
    commune = board.unit.name
    # Sent three weeks ahead: at least 5 working days even across Tết.
    starts = today - dt.timedelta(days=120)
    in_time = services.plan_create(
        actor=actor,
        board=board,
        title="Kiểm tra việc thu, chi quỹ đền ơn đáp nghĩa năm nay",
        scope="Sổ sách thu, chi; chứng từ; việc công khai tại trụ sở.",
        starts_on=starts,
        sent_on=starts - dt.timedelta(days=21),
    )
    activity = services.activity_add(
        actor=actor,
        plan=in_time,
        date=starts + dt.timedelta(days=3),
        description="Làm việc với bộ phận kế toán, đối chiếu sổ thu, chi quỹ.",
    )
    finding = services.finding_add(
        actor=actor,
        activity=activity,
        text="Hai khoản chi hỗ trợ chưa có chữ ký người nhận.",
    )
    rec = services.recommendation_add(
        actor=actor,
        finding=finding,
        text="Bổ sung chứng từ của hai khoản chi và công khai lại bảng quyết toán quỹ.",
        addressed_to=f"Chủ tịch UBND {commune}",
        due_date=activity.date + dt.timedelta(days=30),
    )
    rec = services.recommendation_answer(
        actor=actor,
        recommendation=rec,
        answer="Đã bổ sung chứng từ và niêm yết lại bảng quyết toán quỹ tại trụ sở.",
        answered_on=activity.date + dt.timedelta(days=20),
    )
    services.recommendation_close(
        actor=actor,
        recommendation=rec,
        closed_on=activity.date + dt.timedelta(days=35),
        closing_note="Ban đã kiểm tra lại: chứng từ đầy đủ, bảng quyết toán đã niêm yết.",
    )
    # Sent two days ahead: late notice (fewer than 5 working days).
    starts = today - dt.timedelta(days=60)
    late = services.plan_create(
        actor=actor,
        board=board,
        title="Giám sát việc giải quyết kiến nghị của cử tri về đất đai",
        scope="Hồ sơ tiếp nhận, thời hạn giải quyết, việc trả lời công dân.",
        starts_on=starts,
        sent_on=starts - dt.timedelta(days=2),
    )
    activity = services.activity_add(
        actor=actor,
        plan=late,
        date=starts + dt.timedelta(days=2),
        description="Làm việc với công chức địa chính, xem hồ sơ kiến nghị của cử tri.",
    )
    finding = services.finding_add(
        actor=actor,
        activity=activity,
        text="Ba kiến nghị về cấp giấy chứng nhận quyền sử dụng đất quá hạn chưa trả lời.",
    )
    services.recommendation_add(
        actor=actor,
        finding=finding,
        text="Trả lời bằng văn bản ba kiến nghị quá hạn và báo cáo Ban Thanh tra nhân dân.",
        addressed_to=f"Chủ tịch UBND {commune}",
        due_date=activity.date + dt.timedelta(days=30),  # passed: open and overdue
    )
    # The investment board supervises its project.
    starts = today - dt.timedelta(days=90)
    services.plan_create(
        actor=actor,
        board=investment,
        title="Giám sát thi công nhà văn hóa tổ dân phố 3",
        scope="Tiến độ, khối lượng, chất lượng vật liệu theo thiết kế.",
        starts_on=starts,
        sent_on=starts - dt.timedelta(days=21),
    )
    result.plans += 3
    result.recommendations += 2
    result.overdue += 1


def _conferences(actor: User | None, province: Unit, today: dt.date) -> int:
    """Staff conferences of every agency but the last, workers' conferences and workplace
    dialogues of every enterprise, last year and this year (up to today)."""
    units = Unit.objects.filter(subtree_q(province), valid_to__isnull=True)
    agencies = list(units.filter(kind=UnitKind.AGENCY).order_by("code"))
    enterprises = list(units.filter(kind=UnitKind.ENTERPRISE).order_by("code"))
    days = (
        dt.date(today.year - 1, 12, 18),
        max(dt.date(today.year, 1, 1), today - dt.timedelta(days=40)),
    )
    count = 0
    for n, agency in enumerate(agencies[:-1]):  # the last agency holds none (a gap)
        for held_on in days:
            services.conference_record(
                actor=actor,
                unit=agency,
                kind=Conference.Kind.STAFF,
                held_on=held_on,
                participants_employer=3 + n % 3,
                participants_workers=25 + 7 * n,
                minutes="Tổng kết công tác năm, thảo luận kế hoạch và quy chế chi tiêu nội bộ.",
            )
            count += 1
    for enterprise in enterprises:
        for held_on in days:
            services.conference_record(
                actor=actor,
                unit=enterprise,
                kind=Conference.Kind.WORKERS,
                held_on=held_on,
                participants_employer=5,
                participants_workers=120,
                minutes="Thông qua thỏa ước lao động tập thể và quy chế thưởng.",
            )
            services.conference_record(
                actor=actor,
                unit=enterprise,
                kind=Conference.Kind.DIALOGUE,
                held_on=max(dt.date(held_on.year, 1, 1), held_on - dt.timedelta(days=30)),
                participants_employer=3,
                participants_workers=5,
                minutes="Đối thoại về điều kiện làm việc, ca kíp và bữa ăn giữa ca.",
            )
            count += 2
    # On the schedule: next month's workers' conference of every enterprise, and the staff
    # conference the last agency has still to hold.
    planned_on = today + dt.timedelta(days=30)
    for enterprise in enterprises:
        services.conference_schedule(
            actor=actor,
            unit=enterprise,
            kind=Conference.Kind.WORKERS,
            planned_on=planned_on,
            place="Hội trường công ty",
            note="Sơ kết thực hiện thỏa ước lao động tập thể.",
        )
    if agencies:
        services.conference_schedule(
            actor=actor,
            unit=agencies[-1],
            kind=Conference.Kind.STAFF,
            planned_on=planned_on,
            place="Phòng họp cơ quan",
            note="Hội nghị cán bộ, công chức, viên chức năm.",
        )
    return count


@transaction.atomic
def demo_seed_supervision() -> SupervisionDemoResult:
    """The boards, plans and conferences of the module docstring (nothing if already there)."""
    result = SupervisionDemoResult()
    province = Unit.objects.filter(code=PROVINCE_CODE, kind=UnitKind.PROVINCE).first()
    communes = [
        Unit.objects.filter(code=code, kind=UnitKind.COMMUNE).first() for code in COMMUNE_CODES
    ]
    if province is None or None in communes or Board.objects.filter(unit__in=communes).exists():
        return result
    today = timezone.localdate()
    province_actor = _user("tinh.canbo")
    first: tuple[Board, Board] | None = None
    for index, commune in enumerate(communes):
        assert commune is not None
        actor = _user("xa.canbo") if index == 0 else province_actor
        board = _inspection_board(actor, commune, index, result)
        if index == 0:
            first = (board, _investment_board(actor, commune, result))
    assert first is not None
    _plans(_user("xa.canbo"), first[0], first[1], today, result)
    result.conferences = _conferences(province_actor, province, today)
    return result
