"""Demo inspections: the province steering committee's inspection and supervision plan
of the year, with one inspection of two communes held about two months ago, its findings
and three recommendations turned into tasks of the communes (one open past its deadline,
one open, one done on time). Dates are relative to *today*, so the demo means the same
whenever it is seeded (in the first weeks of a year, the plan is last year's).

Written through the services with *actor* (None: the system), so the audit trail and
the tasks' histories show how the demo came about. Idempotent: when the plan is
already there nothing is added. The project's demo seeder calls
``seed_inspections(province)``; the communes are the demo's (units.demo.COMMUNE_CODES)
and the team leader the province's head of the mobilization commission when the units'
demo has written the directory of officials (otherwise a name typed in).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from danvan.directives.tasks import services as task_services
from danvan.units import demo as units_demo
from danvan.units.models import Official, Unit

from . import services
from .models import FindingKind, InspectionKind, InspectionPlan, TeamRole

PLAN_TITLE = "Kế hoạch kiểm tra, giám sát việc thực hiện dân chủ ở cơ sở năm %(year)s"
LEADER_POSITION = "Trưởng Ban Tuyên giáo và Dân vận"


@transaction.atomic
def seed_inspections(
    province: Unit, actor: Any = None, today: dt.date | None = None
) -> InspectionPlan:
    """The demo plan of *province* (found again when already seeded)."""
    today = today or timezone.localdate()
    year = today.year if today >= dt.date(today.year, 3, 15) else today.year - 1
    title = PLAN_TITLE % {"year": year}
    existing = InspectionPlan.objects.filter(unit=province, year=year, title=title).first()
    if existing is not None:
        return existing
    starts = max(today - dt.timedelta(days=60), dt.date(year, 1, 15))
    communes = list(Unit.objects.filter(code__in=units_demo.COMMUNE_CODES[:2]).order_by("code"))
    plan = services.plan_create(
        actor=actor,
        unit=province,
        year=year,
        kind=InspectionKind.BOTH,
        title=title,
        decision_number="Số 05-KH/BCĐ",
        approved_on=dt.date(year, 1, 10),
        note="Mỗi quý kiểm tra, giám sát ít nhất hai xã, phường.",
    )
    inspection = services.inspection_create(
        actor=actor,
        plan=plan,
        title=f"Kiểm tra việc công khai thông tin và tổ chức đối thoại ở cấp xã năm {year}",
        subject=(
            "Việc công khai thông tin theo Điều 11 Luật Thực hiện dân chủ ở cơ sở; việc tổ"
            f" chức hội nghị đối thoại với Nhân dân năm {year - 1}."
        ),
        starts_on=starts,
        ends_on=starts + dt.timedelta(days=11),
        targets=[
            services.TargetSpec(unit, starts + dt.timedelta(days=1 + 7 * i))
            for i, unit in enumerate(communes)
        ],
    )
    leader = (
        Official.objects.filter(unit__path__startswith=province.path, position=LEADER_POSITION)
        .order_by("id")
        .first()
    )
    if leader is not None:
        services.team_member_add(
            actor=actor, inspection=inspection, role=TeamRole.LEADER, official=leader
        )
    else:
        services.team_member_add(
            actor=actor,
            inspection=inspection,
            role=TeamRole.LEADER,
            full_name="Nguyễn Văn Hùng",
            position=LEADER_POSITION,
        )
    services.team_member_add(
        actor=actor,
        inspection=inspection,
        role=TeamRole.MEMBER,
        full_name="Trần Thị Mai",
        position="Phó Chủ tịch Ủy ban MTTQ Việt Nam tỉnh",
    )
    services.team_member_add(
        actor=actor,
        inspection=inspection,
        role=TeamRole.SECRETARY,
        full_name="Lê Minh Đức",
        position="Chuyên viên Ban Tuyên giáo và Dân vận",
    )
    services.inspection_start(actor=actor, inspection=inspection)
    first, second = list(inspection.targets.select_related("unit", "inspection__plan__unit"))
    services.finding_record(
        actor=actor,
        target=first,
        kind=FindingKind.GOOD,
        text="Niêm yết công khai đủ các nội dung tại trụ sở, cập nhật trên trang thông tin.",
    )
    late_posting = services.finding_record(
        actor=actor,
        target=first,
        kind=FindingKind.SHORTCOMING,
        text=f"Báo cáo kết quả đối thoại năm {year - 1} chưa nêu việc giải quyết các kiến nghị.",
    )
    no_loudspeaker = services.finding_record(
        actor=actor,
        target=second,
        kind=FindingKind.SHORTCOMING,
        text="Chưa thông báo trên hệ thống loa truyền thanh đủ 3 ngày liên tục.",
    )
    services.recommendation_record(
        actor=actor,
        target=first,
        finding=late_posting,
        text="Bổ sung báo cáo kết quả giải quyết kiến nghị của Nhân dân tại hội nghị đối thoại.",
        due_on=today - dt.timedelta(days=10),  # past its deadline, still open
    )
    services.recommendation_record(
        actor=actor,
        target=second,
        finding=no_loudspeaker,
        text="Thông báo trên hệ thống loa truyền thanh các nội dung công khai đủ 3 ngày liên tục.",
        due_on=today + dt.timedelta(days=30),
    )
    done = services.recommendation_record(
        actor=actor,
        target=second,
        finding=no_loudspeaker,
        text="Ban hành quy chế phối hợp thông tin trên hệ thống loa truyền thanh cấp xã.",
        due_on=today + dt.timedelta(days=60),
        deliverable="Quy chế phối hợp",
    )
    assert done.task is not None
    # Done before its deadline: submitted and accepted today, well ahead of it.
    task = task_services.task_submit(
        actor=None,
        task=done.task,
        result_minutes="Quy chế phối hợp thông tin trên hệ thống loa truyền thanh đã ban hành.",
    )
    task_services.task_accept(actor=actor, task=task)
    return plan
