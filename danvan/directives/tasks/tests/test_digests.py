"""The digests after the ladder run, and the daily Celery task that runs both."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail

from danvan.accounts.models import Role, User
from danvan.accounts.testing import make_user
from danvan.directives.tasks import digests, explanations, tasks
from danvan.directives.tasks.models import LadderStep, Task, TaskState
from danvan.jobs.models import Job
from danvan.units.models import Unit
from danvan.worklist.models import Notice

from .conftest import TODAY
from .factories import TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(
    thai_nguyen: Unit,
    lead_unit: Unit,
    coord_unit: Unit,
    sibling_commune: Unit,
    actors: dict[str, Any],
) -> dict[str, Task]:
    """TODAY is Wed 25/3/2026; the reminder covers 3 working days (to Mon 30/3)."""

    def make(title: str, lead: Unit, due: dt.date, **kw: Any) -> Task:
        return TaskFactory.create(
            title=title, assigner_unit=thai_nguyen, lead_unit=lead, due_on=due, **kw
        )

    rows = {
        "late": make("Quá hạn", lead_unit, dt.date(2026, 3, 20)),
        "soon": make("Sắp đến hạn", lead_unit, dt.date(2026, 3, 30)),
        "asked": make("Đang chờ giải trình", lead_unit, dt.date(2026, 4, 30)),
        "far": make("Còn xa", lead_unit, dt.date(2026, 4, 30)),
        "done": make(
            "Đã xong", lead_unit, dt.date(2026, 3, 1), state=TaskState.CLOSED, completed_on=TODAY
        ),
        "coord_late": make("Thôn 2 quá hạn", coord_unit, dt.date(2026, 3, 10)),
        "other_commune": make("Xã khác quá hạn", sibling_commune, dt.date(2026, 3, 2)),
    }
    explanations.task_request_explanation(actor=actors["assigner"], task=rows["asked"], note="")
    User.objects.update(email="")
    for name in ("lead", "coord", "sibling", "parent"):
        User.objects.filter(pk=actors[name].pk).update(email=f"{name}@example.vn")
    return rows


def titles(digest: digests.Digest) -> list[str]:
    return [line.title for line in digest.lines]


def test_one_digest_per_assignee_listing_everything_pending(
    work: dict[str, Task], actors: dict[str, Any], lead_unit: Unit
) -> None:
    # A second role on the same unit does not double its tasks.
    make_user("nv-chutri-2", Role.OFFICER, lead_unit)
    by_user = {d.user_id: d for d in digests.assignee_digests(today=TODAY)}
    lead = by_user[actors["lead"].pk]
    assert titles(lead) == ["Quá hạn", "Sắp đến hạn", "Đang chờ giải trình"]
    assert lead.to == "lead@example.vn"
    assert titles(by_user[actors["coord"].pk]) == ["Thôn 2 quá hạn"]
    # Nothing pending in their own unit: no digest (never an empty one).
    assert actors["sibling"].pk not in by_user
    assert actors["parent"].pk not in by_user
    assert all(d.lines for d in by_user.values())
    subject, body = lead.render()
    assert subject == "[danvan] 3 nhiệm vụ cần xử lý (1 quá hạn)"
    assert "Quá hạn — Thôn 1 — hạn 20/03/2026 — quá hạn 3 ngày làm việc" in body
    assert "Sắp đến hạn — Thôn 1 — hạn 30/03/2026 — sắp đến hạn\n" in body
    assert "Đang chờ giải trình — Thôn 1 — hạn 30/04/2026 — trong hạn, chờ giải trình" in body
    assert work["asked"].get_absolute_url() in body


def test_a_leader_digest_covers_the_subtree_only(
    work: dict[str, Task], commune: Unit, sibling_commune: Unit, lead_unit: Unit
) -> None:
    leader = make_user("ld-xa", Role.LEADER, commune)
    leader_2 = make_user("ld-xa-khac", Role.LEADER, sibling_commune)
    quiet = make_user("ld-thon", Role.LEADER, commune.children.exclude(pk=lead_unit.pk).last())
    by_user = {d.user_id: d for d in digests.leader_digests(today=TODAY)}
    assert titles(by_user[leader.pk]) == ["Thôn 2 quá hạn", "Quá hạn"]
    assert titles(by_user[leader_2.pk]) == ["Xã khác quá hạn"]
    assert quiet.pk not in by_user  # the third village has nothing late
    Task.objects.filter(pk=work["late"].pk).update(ladder_step=LadderStep.ESCALATED)
    by_user = {d.user_id: d for d in digests.leader_digests(today=TODAY)}
    subject, body = by_user[leader.pk].render()
    assert subject == "[danvan] 2 nhiệm vụ quá hạn trong các đơn vị thuộc quyền"
    assert "quá hạn 3 ngày làm việc, đã báo cáo cấp trên" in body
    assert body.index("Thôn 1 (1):") < body.index("Thôn 2 (1):")


def test_the_daily_task_climbs_the_ladder_and_sends_each_digest_once(
    work: dict[str, Task], actors: dict[str, Any], commune: Unit
) -> None:
    leader = make_user("ld-xa", Role.LEADER, commune)
    User.objects.filter(pk=leader.pk).update(email="leader@example.vn")
    result = tasks.run_ladder.delay(TODAY.isoformat()).get()
    assert result["reminded"] == 4  # late, soon, coord_late, other_commune
    assert result["digests"] == 3  # the lead and the coordinating villages, one leader
    work["late"].refresh_from_db()
    assert work["late"].ladder_step == LadderStep.REMINDED
    sent = sorted(m.to[0] for m in mail.outbox)
    assert sent == ["coord@example.vn", "lead@example.vn", "leader@example.vn"]
    assert Notice.objects.filter(user=actors["lead"]).count() == 1
    # Run again the same day (beat on two nodes): nothing moves, nothing is sent twice.
    again = tasks.run_ladder(TODAY.isoformat())
    assert again == result
    assert len(mail.outbox) == 3
    assert Job.objects.filter(kind=tasks.DIGEST_JOB).count() == 3


def test_the_daily_task_rests_on_a_day_off(work: dict[str, Task]) -> None:
    result = tasks.run_ladder("2026-03-28")  # a Saturday
    assert result["skipped"] is True
    assert not mail.outbox
