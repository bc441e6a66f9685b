"""Dialogue conferences: planned → announced → held → published, questions and
commitments, the legal time limits as flags (Local Government Law 2025, art. 43:
announced ≥7 days before, results published ≤10 days after; DutyRule data)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from danvan.accounts.models import Role, User
from danvan.accounts.testing import make_user
from danvan.audit.models import AuditEvent
from danvan.cases.dialogues import selectors, services
from danvan.cases.models import Commitment, Dialogue, DialogueQuestion
from danvan.core.errors import DomainError, NotFound, PermissionDenied
from danvan.units.models import Unit

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
HELD_ON = dt.date(2026, 3, 20)


def at(day: dt.date) -> Any:
    return time_machine.travel(
        dt.datetime(day.year, day.month, day.day, 9, 0, tzinfo=HCM), tick=False
    )


def plan(actor: Any, unit: Unit, **kw: Any) -> Dialogue:
    params: dict[str, Any] = {
        "actor": actor,
        "unit": unit,
        "title": "Đối thoại về bồi thường, giải phóng mặt bằng đường tỉnh 261",
        "held_on": HELD_ON,
        "place": "Hội trường UBND xã",
        "chair": "Chủ tịch UBND xã Hoàng Văn Chủ",
    }
    params.update(kw)
    return services.dialogue_create(**params)


def held(actor: Any, unit: Unit, **kw: Any) -> Dialogue:
    """A dialogue announced on time and held (time must be on or after HELD_ON)."""
    dialogue = plan(actor, unit, **kw)
    dialogue = services.dialogue_announce(
        actor=actor, dialogue=dialogue, announced_on=dialogue.held_on - dt.timedelta(days=7)
    )
    return services.dialogue_hold(
        actor=actor, dialogue=dialogue, participants="Đại diện 120 hộ dân", participants_count=135
    )


@pytest.fixture
def officer(commune: Unit) -> User:
    return make_user("dt-xa", Role.OFFICER, commune)


def audit_actions(model: str) -> list[str]:
    return list(
        AuditEvent.objects.filter(model_label=f"cases.{model}")
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_the_whole_life_of_a_dialogue(officer: User, commune: Unit) -> None:
    with at(dt.date(2026, 3, 1)):
        dialogue = plan(officer, commune)
        assert (dialogue.state, dialogue.created_by) == ("planned", officer)
        dialogue = services.dialogue_announce(
            actor=officer, dialogue=dialogue, announced_on=dt.date(2026, 3, 1)
        )
        assert (dialogue.state, dialogue.announced_on) == ("announced", dt.date(2026, 3, 1))
        question = services.question_add(
            actor=officer, dialogue=dialogue, question="Khi nào chi trả tiền bồi thường?"
        )
    with at(HELD_ON):
        dialogue = services.dialogue_hold(
            actor=officer,
            dialogue=dialogue,
            participants="Các hộ dân thôn 3",
            participants_count=80,
        )
        assert (dialogue.state, dialogue.participants_count) == ("held", 80)
        second = services.question_add(
            actor=officer,
            dialogue=dialogue,
            question="Đề nghị làm rõ giá đất bồi thường",
            asked_by="Ông Nguyễn Văn An",
            answer="Theo bảng giá đất năm 2026",
            answered_by="Phó Chủ tịch UBND xã",
        )
        question = services.question_answer(
            actor=officer,
            question=question,
            answer="Trong tháng 4 năm 2026",
            answered_by="Chủ tịch UBND xã",
        )
        commitment = services.commitment_add(
            actor=officer,
            dialogue=dialogue,
            text="Chi trả tiền bồi thường cho 12 hộ",
            responsible="Ban Quản lý dự án",
            due_date=dt.date(2026, 4, 30),
            question=question,
        )
    with at(dt.date(2026, 3, 25)):
        dialogue = services.dialogue_publish(
            actor=officer,
            dialogue=dialogue,
            results="Đã trả lời 2 ý kiến, cam kết chi trả trong tháng 4.",
            published_on=dt.date(2026, 3, 25),
        )
        assert (dialogue.state, dialogue.published_on) == ("published", dt.date(2026, 3, 25))
        row = selectors.dialogue_row(dialogue)
        assert not row.has_warning
        assert (row.announce_by, row.publish_by) == (dt.date(2026, 3, 13), dt.date(2026, 3, 30))
    with at(dt.date(2026, 4, 28)):
        done = services.commitment_done(
            actor=officer, commitment=commitment, done_on=dt.date(2026, 4, 28), result="Đã chi trả"
        )
        assert (done.state, done.done_on) == ("done", dt.date(2026, 4, 28))
    assert [q.answer for q in DialogueQuestion.objects.order_by("id")] == [
        "Trong tháng 4 năm 2026",
        second.answer,
    ]
    assert audit_actions("dialogue") == ["create", "update", "update", "update"]
    assert audit_actions("dialoguequestion") == ["create", "create", "update"]
    assert audit_actions("commitment") == ["create", "update"]
    event = AuditEvent.objects.filter(model_label="cases.dialogue").order_by("id")[1]
    assert event.actor == officer
    assert event.changes["state"] == ["planned", "announced"]


@pytest.mark.parametrize(("days_before", "late"), [(7, False), (6, True), (0, True)])
def test_announcing_fewer_than_seven_days_ahead_is_recorded_and_flagged(
    officer: User, commune: Unit, days_before: int, late: bool
) -> None:
    with at(dt.date(2026, 3, 20)):
        dialogue = plan(officer, commune)
        dialogue = services.dialogue_announce(
            actor=officer,
            dialogue=dialogue,
            announced_on=HELD_ON - dt.timedelta(days=days_before),
        )
        assert dialogue.state == "announced"
        row = selectors.dialogue_row(dialogue)
    assert row.announce_late is late
    assert row.announce_rule is not None
    assert "Điều 43" in row.announce_rule.citation
    assert row.announce_rule.amount == 7


def test_a_dialogue_not_announced_in_time_is_overdue(officer: User, commune: Unit) -> None:
    with at(dt.date(2026, 3, 13)):
        dialogue = plan(officer, commune)
        assert not selectors.dialogue_row(dialogue).announce_overdue
    with at(dt.date(2026, 3, 14)):
        assert selectors.dialogue_row(dialogue).announce_overdue


@pytest.mark.parametrize(("published_on", "late"), [(30, False), (31, True)])
def test_publishing_after_ten_days_is_recorded_and_flagged(
    officer: User, commune: Unit, published_on: int, late: bool
) -> None:
    with at(dt.date(2026, 4, 5)):
        dialogue = held(officer, commune)
        dialogue = services.dialogue_publish(
            actor=officer,
            dialogue=dialogue,
            results="Kết quả",
            published_on=dt.date(2026, 3, published_on),
        )
        row = selectors.dialogue_row(dialogue)
    assert row.publish_late is late
    assert not row.publish_overdue


def test_a_held_dialogue_not_published_after_ten_days_is_overdue(
    officer: User, commune: Unit
) -> None:
    with at(dt.date(2026, 3, 30)):
        dialogue = held(officer, commune)
        assert not selectors.dialogue_row(dialogue).publish_overdue
    with at(dt.date(2026, 3, 31)):
        row = selectors.dialogue_row(dialogue)
        assert row.publish_overdue
        assert row.has_warning
        assert row.publish_rule is not None
        assert row.publish_rule.amount == 10


def _refused(call: Any, code: str, field: str | None = None) -> DomainError:
    with pytest.raises(DomainError) as exc:
        call()
    assert exc.value.code == code
    if field is not None:
        assert exc.value.field == field
    assert any(ord(ch) > 127 for ch in exc.value.message)
    return exc.value


def test_bad_steps_write_nothing(officer: User, commune: Unit) -> None:
    with at(dt.date(2026, 3, 10)):
        _refused(lambda: plan(officer, commune, title=" "), "case_empty", "title")
        _refused(lambda: plan(officer, commune, chair=""), "case_empty", "chair")
        dialogue = plan(officer, commune)
        before = AuditEvent.objects.count()
        # Publish or hold before it was held; questions before it is announced.
        _refused(
            lambda: services.dialogue_publish(
                actor=officer, dialogue=dialogue, results="X", published_on=dt.date(2026, 3, 10)
            ),
            "dialogue_bad",
        )
        _refused(
            lambda: services.dialogue_hold(
                actor=officer, dialogue=dialogue, participants="", participants_count=10
            ),
            "dialogue_bad",
        )
        _refused(
            lambda: services.question_add(actor=officer, dialogue=dialogue, question="Hỏi"),
            "dialogue_bad",
        )
        # Announced in the future, or after the dialogue day.
        _refused(
            lambda: services.dialogue_announce(
                actor=officer, dialogue=dialogue, announced_on=dt.date(2026, 3, 11)
            ),
            "case_bad_date",
            "announced_on",
        )
        dialogue = services.dialogue_announce(
            actor=officer, dialogue=dialogue, announced_on=dt.date(2026, 3, 10)
        )
        _refused(
            lambda: services.dialogue_announce(
                actor=officer, dialogue=dialogue, announced_on=dt.date(2026, 3, 10)
            ),
            "dialogue_bad",
        )
        # Held before its day.
        _refused(
            lambda: services.dialogue_hold(
                actor=officer, dialogue=dialogue, participants="", participants_count=10
            ),
            "case_bad_date",
        )
        _refused(
            lambda: services.commitment_add(
                actor=officer,
                dialogue=dialogue,
                text="X",
                responsible="Y",
                due_date=dt.date(2026, 4, 1),
            ),
            "dialogue_bad",
        )
    assert AuditEvent.objects.count() == before + 1  # only the announcement
    dialogue.refresh_from_db()
    assert (dialogue.state, dialogue.participants_count, dialogue.results) == ("announced", 0, "")


def test_bad_input_after_the_dialogue_writes_nothing(officer: User, commune: Unit) -> None:
    with at(dt.date(2026, 3, 21)):
        dialogue = plan(officer, commune)
        services.dialogue_announce(
            actor=officer, dialogue=dialogue, announced_on=dt.date(2026, 3, 1)
        )
        with pytest.raises(DomainError) as exc:
            services.dialogue_hold(
                actor=officer, dialogue=dialogue, participants="", participants_count=0
            )
        assert exc.value.field == "participants_count"
        dialogue = services.dialogue_hold(
            actor=officer, dialogue=dialogue, participants="", participants_count=40
        )
        other = plan(officer, commune, title="Đối thoại khác")
        services.dialogue_announce(actor=officer, dialogue=other, announced_on=dt.date(2026, 3, 1))
        foreign = services.question_add(actor=officer, dialogue=other, question="Ý kiến khác")
        before = AuditEvent.objects.count()
        cases = [
            (
                lambda: services.commitment_add(
                    actor=officer,
                    dialogue=dialogue,
                    text="X",
                    responsible="Y",
                    due_date=dt.date(2026, 3, 19),
                ),
                "case_bad_date",
                "due_date",
            ),
            (
                lambda: services.commitment_add(
                    actor=officer, dialogue=dialogue, text="", responsible="Y", due_date=HELD_ON
                ),
                "case_empty",
                "text",
            ),
            (
                lambda: services.commitment_add(
                    actor=officer,
                    dialogue=dialogue,
                    text="X",
                    responsible="Y",
                    due_date=HELD_ON,
                    question=foreign,
                ),
                "dialogue_bad",
                "question",
            ),
            (
                lambda: services.dialogue_publish(
                    actor=officer, dialogue=dialogue, results="", published_on=HELD_ON
                ),
                "case_empty",
                "results",
            ),
            (
                lambda: services.dialogue_publish(
                    actor=officer,
                    dialogue=dialogue,
                    results="KQ",
                    published_on=dt.date(2026, 3, 22),
                ),
                "case_bad_date",
                "published_on",
            ),
            (
                lambda: services.dialogue_publish(
                    actor=officer,
                    dialogue=dialogue,
                    results="KQ",
                    published_on=dt.date(2026, 3, 19),
                ),
                "case_bad_date",
                "published_on",
            ),
            (
                lambda: services.question_add(actor=officer, dialogue=dialogue, question=" "),
                "case_empty",
                "question",
            ),
        ]
        for call, code, field in cases:
            _refused(call, code, field)
        commitment = services.commitment_add(
            actor=officer,
            dialogue=dialogue,
            text="Sửa cống",
            responsible="Thôn 3",
            due_date=HELD_ON,
        )
        _refused(
            lambda: services.commitment_done(
                actor=officer, commitment=commitment, done_on=dt.date(2026, 3, 22), result="Xong"
            ),
            "case_bad_date",
            "done_on",
        )
        _refused(
            lambda: services.commitment_done(
                actor=officer, commitment=commitment, done_on=HELD_ON, result=""
            ),
            "case_empty",
            "result",
        )
        services.commitment_done(
            actor=officer, commitment=commitment, done_on=HELD_ON, result="Xong"
        )
        _refused(
            lambda: services.commitment_done(
                actor=officer, commitment=commitment, done_on=HELD_ON, result="Lại"
            ),
            "dialogue_bad",
        )
    assert AuditEvent.objects.count() == before + 2  # the commitment and its completion
    dialogue.refresh_from_db()
    assert (dialogue.state, dialogue.results) == ("held", "")
    assert Commitment.objects.get().result == "Xong"


def test_writes_need_dialogue_manage(commune: Unit, sibling_commune: Unit) -> None:
    with pytest.raises(NotFound):
        plan(make_user("ben", Role.OFFICER, sibling_commune), commune)
    with pytest.raises(PermissionDenied):
        plan(make_user("lanhdao", Role.LEADER, commune), commune)
    with pytest.raises(PermissionDenied):
        plan(make_user("thanhtra", Role.INSPECTOR, commune), commune)
    assert not Dialogue.objects.exists()


def test_open_commitments_by_due_date_with_overdue(
    officer: User, commune: Unit, thai_nguyen: Unit, sibling_commune: Unit
) -> None:
    with at(dt.date(2026, 4, 10)):
        dialogue = held(officer, commune)
        theirs = held(None, sibling_commune)
        late = services.commitment_add(
            actor=officer, dialogue=dialogue, text="Muộn", responsible="A", due_date=HELD_ON
        )
        later = services.commitment_add(
            actor=officer,
            dialogue=dialogue,
            text="Còn hạn",
            responsible="B",
            due_date=dt.date(2026, 5, 1),
        )
        today = services.commitment_add(
            actor=officer,
            dialogue=dialogue,
            text="Hôm nay",
            responsible="C",
            due_date=dt.date(2026, 4, 10),
        )
        done = services.commitment_add(
            actor=officer, dialogue=dialogue, text="Xong", responsible="D", due_date=HELD_ON
        )
        services.commitment_done(actor=officer, commitment=done, done_on=HELD_ON, result="OK")
        services.commitment_add(
            actor=None, dialogue=theirs, text="Xã bên", responsible="E", due_date=HELD_ON
        )
        # `overdue` is an annotation of the selector (typed as Any here).
        rows: list[Any] = list(selectors.commitments_under(user=officer, unit=commune))
        assert [(c.pk, c.overdue) for c in rows] == [
            (late.pk, True),
            (today.pk, False),
            (later.pk, False),
        ]
        everything = selectors.commitments_under(user=officer, unit=commune, open_only=False)
        assert {c.pk for c in everything} == {late.pk, today.pk, later.pk, done.pk}
        province = make_user("tinh", Role.OFFICER, thai_nguyen)
        assert len(selectors.commitments_under(user=province, unit=thai_nguyen)) == 4
        with pytest.raises(NotFound):
            selectors.commitment_get(user=officer, pk=late.pk + 100)
        found: Any = selectors.commitment_get(user=province, pk=late.pk)
        assert found.overdue


def test_dialogues_under_and_get_are_scoped(
    officer: User, commune: Unit, sibling_commune: Unit
) -> None:
    with at(dt.date(2026, 3, 1)):
        mine = plan(officer, commune)
        plan(None, sibling_commune)
        assert list(selectors.dialogues_under(user=officer, unit=commune)) == [mine]
        assert selectors.dialogue_get(user=officer, public_id=mine.public_id) == mine
        other = make_user("ben", Role.OFFICER, sibling_commune)
        with pytest.raises(NotFound):
            selectors.dialogue_get(user=other, public_id=mine.public_id)
        with pytest.raises(NotFound):
            selectors.dialogue_get(user=officer, public_id="khong-phai-uuid")
