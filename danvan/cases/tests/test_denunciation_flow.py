"""A denunciation from intake to result, with its identity seen only by its handler."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
import time_machine

from danvan.accounts.models import User
from danvan.audit.models import AuditEvent
from danvan.cases import services
from danvan.cases.models import Case, SenderIdentity, Status
from danvan.core.errors import DomainError, PermissionDenied

from .conftest import DENOUNCER

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@time_machine.travel(dt.datetime(2026, 6, 30, 9, 0, tzinfo=HCM), tick=False)
def test_denunciation_intake_accept_extend_result(
    receive: Callable[..., Case], officer: User, handler: User, leader: User
) -> None:
    case = receive(kind="denunciation", sender=DENOUNCER, received_on=dt.date(2026, 3, 2))
    assert case.status == Status.RECEIVED
    assert case.alias.startswith("Người tố cáo ")
    # 7 working days to accept (to verify): 2 March 2026 + 7 working days = 11 March.
    assert case.due_date == dt.date(2026, 3, 11)
    # The identity is not on the case row, and its row is ciphertext.
    assert "Nguyễn Văn Tố" not in str(Case.objects.filter(pk=case.pk).values().get())
    assert "Nguyễn" not in SenderIdentity.objects.get(case=case).token

    case = services.case_assign(
        actor=leader, case=case, version=case.version, users=[handler], lead=handler
    )
    case = services.case_classify(
        actor=handler, case=case, version=case.version, kind="denunciation", complexity=1
    )
    case = services.case_accept(
        actor=handler, case=case, version=case.version, accepted_on=dt.date(2026, 3, 9)
    )
    assert case.status == Status.ACCEPTED
    assert case.due_date == dt.date(2026, 4, 8)  # 30 days, Law on Denunciations art. 30
    assert case.resolve_rule is not None
    case = services.case_extend(
        actor=handler, case=case, version=case.version, decision_number="12/QĐ-UBND"
    )
    assert case.due_date == dt.date(2026, 5, 8)
    with pytest.raises(DomainError) as exc:
        services.case_extend(
            actor=handler, case=case, version=case.version, decision_number="13/QĐ-UBND"
        )
    assert exc.value.code == "deadline_extension_limit"

    with pytest.raises(DomainError) as exc:
        services.case_resolve(
            actor=handler,
            case=case,
            version=case.version,
            decision_number="",
            result_summary="Tố cáo đúng một phần",
            public_answer="Đã có kết luận nội dung tố cáo.",
        )
    assert exc.value.code == "case_no_decision"
    case = services.case_resolve(
        actor=handler,
        case=case,
        version=case.version,
        decision_number="25/KL-UBND",
        result_summary="Tố cáo đúng một phần",
        public_answer="Đã có kết luận nội dung tố cáo.",
        decision_date=dt.date(2026, 5, 5),
    )
    assert case.status == Status.RESOLVED
    assert not case.is_open

    # Only the assigned handler with the identity role sees who denounced.
    seen = services.identity_view(actor=handler, case=case)
    assert seen.full_name == "Nguyễn Văn Tố"
    assert AuditEvent.objects.filter(action="view", object_pk=str(case.pk)).count() == 1
    for other in (officer, leader):
        with pytest.raises(PermissionDenied):
            services.identity_view(actor=other, case=case)
    assert AuditEvent.objects.filter(action="view", object_pk=str(case.pk)).count() == 1


def test_second_save_from_a_stale_version_is_refused(
    receive: Callable[..., Case], officer: User
) -> None:
    case = receive()
    seen_by_a = seen_by_b = case.version
    services.case_classify(actor=officer, case=case, version=seen_by_a, kind="petition")
    with pytest.raises(DomainError) as exc:
        services.case_classify(actor=officer, case=case, version=seen_by_b, kind="complaint")
    assert exc.value.code == "case_stale"
    assert "tải lại" in exc.value.message
    assert Case.objects.get(pk=case.pk).kind == "petition"


@time_machine.travel(dt.datetime(2026, 6, 30, 9, 0, tzinfo=HCM), tick=False)
def test_two_extensions_give_ninety_days_before_the_final_roll_over(
    receive: Callable[..., Case], handler: User, leader: User
) -> None:
    """Issue 11, domain.md §5: accepted Thu 5/3/2026, the 30 days end Sat 4/4 (due Mon 6/4);
    the extensions run from Sat 4/4: Mon 4/5, then Wed 3/6/2026 = 30 + 30 + 30 days.
    Counting from the rolled Monday gave Fri 5/6 (92 days)."""
    case = receive(kind="denunciation", sender=DENOUNCER, received_on=dt.date(2026, 3, 2))
    case = services.case_assign(
        actor=leader, case=case, version=case.version, users=[handler], lead=handler
    )
    case = services.case_classify(
        actor=handler, case=case, version=case.version, kind="denunciation", complexity=2
    )
    case = services.case_accept(
        actor=handler, case=case, version=case.version, accepted_on=dt.date(2026, 3, 5)
    )
    assert case.due_date == dt.date(2026, 4, 6)
    case = services.case_extend(
        actor=handler, case=case, version=case.version, decision_number="12/QĐ-UBND"
    )
    assert case.due_date == dt.date(2026, 5, 4)
    case = services.case_extend(
        actor=handler, case=case, version=case.version, decision_number="13/QĐ-UBND"
    )
    assert case.due_date == dt.date(2026, 6, 3)
    assert case.accepted_on is not None
    assert (case.due_date - case.accepted_on).days == 90
    assert services.current_deadline(case).due == case.due_date


@time_machine.travel(dt.datetime(2026, 6, 30, 9, 0, tzinfo=HCM), tick=False)
def test_a_pause_moves_the_end_of_the_period_not_the_rolled_due_date(
    receive: Callable[..., Case], handler: User, leader: User
) -> None:
    """Accepted Thu 5/3/2026: ends Sat 4/4 (due Mon 6/4). Paused 10 days (10 → 20/3):
    Tue 14/4, not Thu 16/4 (the rolled Monday + 10)."""
    case = receive(kind="denunciation", sender=DENOUNCER, received_on=dt.date(2026, 3, 2))
    case = services.case_assign(
        actor=leader, case=case, version=case.version, users=[handler], lead=handler
    )
    case = services.case_accept(
        actor=handler, case=case, version=case.version, accepted_on=dt.date(2026, 3, 5)
    )
    case = services.case_pause(
        actor=handler, case=case, version=case.version, on=dt.date(2026, 3, 10), reason="Chờ"
    )
    case = services.case_resume(
        actor=handler, case=case, version=case.version, on=dt.date(2026, 3, 20)
    )
    assert (case.due_date, case.paused_days) == (dt.date(2026, 4, 14), 10)
