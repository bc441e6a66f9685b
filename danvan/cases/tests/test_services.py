"""Cases through their services: intake, the legal clock, bad input, the sweep, identity."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings

from danvan.accounts.models import Role, User
from danvan.accounts.testing import make_user
from danvan.audit.models import AuditEvent
from danvan.cases import alerts, identity, services, tasks
from danvan.cases.identity import Identity
from danvan.cases.models import (
    Alert,
    Case,
    CaseEvent,
    Channel,
    IdentityScan,
    SenderIdentity,
    Status,
)
from danvan.core.errors import DomainError, PermissionDenied
from danvan.units.models import Unit

from .conftest import DENOUNCER

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = dt.datetime(2026, 6, 15, 9, 0, tzinfo=HCM)
PDF = b"%PDF-1.4\n%test\n"


def _counts() -> tuple[int, int, int]:
    return Case.objects.count(), SenderIdentity.objects.count(), CaseEvent.objects.count()


@time_machine.travel(TODAY, tick=False)
def test_first_complaint_accepted_keeps_its_rule_version(
    receive: Callable[..., Case], officer: User
) -> None:
    case = receive(kind="complaint", round=1, received_on=dt.date(2026, 6, 1))
    assert case.reference.startswith("KN-2026-")
    assert case.due_date == dt.date(2026, 6, 11)  # 10 days to accept, art. 27
    case = services.case_accept(
        actor=officer, case=case, version=case.version, accepted_on=dt.date(2026, 6, 5)
    )
    assert case.due_date == dt.date(2026, 7, 6)  # 30 days → Sat 5 July → Mon 6 July
    assert case.resolve_rule is not None
    assert "Điều 28" in case.resolve_rule.citation
    assert case.handler == officer


@time_machine.travel(TODAY, tick=False)
def test_second_complaint_links_to_a_resolved_first(
    receive: Callable[..., Case], officer: User
) -> None:
    first = receive(kind="complaint", round=1, received_on=dt.date(2026, 6, 1))
    first = services.case_accept(
        actor=officer, case=first, version=first.version, accepted_on=dt.date(2026, 6, 5)
    )
    before = _counts()
    with pytest.raises(DomainError) as exc:
        receive(kind="complaint", round=2, previous=first)
    assert exc.value.code == "case_bad_previous"  # first not yet resolved nor late
    assert _counts() == before
    first = services.case_resolve(
        actor=officer,
        case=first,
        version=first.version,
        decision_number="101/QĐ-UBND",
        result_summary="Giữ nguyên quyết định",
        public_answer="Đã ban hành quyết định giải quyết khiếu nại lần đầu.",
        decision_date=dt.date(2026, 6, 10),
    )
    second = receive(kind="complaint", round=2, previous=first, received_on=dt.date(2026, 6, 12))
    assert second.previous == first
    assert second.round == 2
    assert first.followups.get() == second
    assert second.due_date == dt.date(2026, 6, 22)  # 10 days to accept, art. 36 (Mon)


@time_machine.travel(TODAY, tick=False)
def test_a_first_complaint_left_past_its_deadline_opens_the_second(
    receive: Callable[..., Case], officer: User
) -> None:
    first = receive(kind="complaint", round=1, received_on=dt.date(2026, 3, 2))
    first = services.case_accept(
        actor=officer, case=first, version=first.version, accepted_on=dt.date(2026, 3, 5)
    )
    assert first.due_date == dt.date(2026, 4, 6)  # long past on 15 June
    second = receive(kind="complaint", round=2, previous=first)
    assert second.previous == first


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("kwargs", "code", "field"),
    [
        ({"kind": "rumour"}, "case_bad_kind", "kind"),
        ({"kind": "letter"}, "case_bad_kind", "kind"),
        ({"kind": "complaint", "round": 2}, "case_no_first_complaint", "previous"),
        ({"kind": "denunciation", "sender": Identity()}, "case_no_identity", "full_name"),
        ({"subject": "  "}, "case_empty", "subject"),
        ({"channel": "pigeon"}, "case_bad_channel", "channel"),
        ({"received_on": dt.date(2026, 7, 1)}, "case_bad_date", "received_on"),
        (
            {"scans": [SimpleUploadedFile("don.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")]},
            "case_bad_file",
            "scans",
        ),
        (
            {"scans": [SimpleUploadedFile("don.png", PDF, "image/png")]},
            "case_bad_file",
            "scans",
        ),
    ],
)
def test_bad_intake_is_refused_and_writes_nothing(
    receive: Callable[..., Case], kwargs: dict[str, object], code: str, field: str
) -> None:
    before = _counts()
    with pytest.raises(DomainError) as exc:
        receive(**kwargs)
    assert (exc.value.code, exc.value.field) == (code, field)
    assert exc.value.message  # a Vietnamese sentence for the officer
    assert _counts() == before


@time_machine.travel(TODAY, tick=False)
def test_citizens_may_only_send_feedback_and_petitions(commune: Unit) -> None:
    with pytest.raises(DomainError) as exc:
        services.case_receive(
            actor=None,
            unit=commune,
            kind="denunciation",
            channel=Channel.PORTAL,
            subject="x",
            content="y",
            sender=DENOUNCER,
        )
    assert exc.value.code == "case_bad_kind"
    case = services.case_receive(
        actor=None,
        unit=commune,
        kind="feedback",
        channel=Channel.PORTAL,
        subject="Đèn đường hỏng",
        content="Đèn đường ở tổ 3 hỏng một tuần.",
        sender=Identity(full_name="Lê Văn An", phone="0911000222"),
    )
    assert case.created_by is None
    assert case.due_date == dt.date(2026, 6, 29)  # 10 working days to classify (to verify)


@time_machine.travel(TODAY, tick=False)
def test_results_need_a_valid_decision_and_refusals_a_written_answer(
    receive: Callable[..., Case], officer: User
) -> None:
    case = receive()
    with pytest.raises(DomainError) as exc:
        services.case_refuse(
            actor=officer,
            case=case,
            version=case.version,
            reason="Không thuộc thẩm quyền",
            answer_number="",
        )
    assert exc.value.code == "case_no_decision"
    case = services.case_accept(actor=officer, case=case, version=case.version)
    for number, code in (("", "case_no_decision"), ("QĐ-UBND", "case_bad_decision")):
        with pytest.raises(DomainError) as exc:
            services.case_resolve(
                actor=officer,
                case=case,
                version=case.version,
                decision_number=number,
                result_summary="Đã sửa đường",
                public_answer="Đã sửa xong.",
            )
        assert exc.value.code == code
    assert Case.objects.get(pk=case.pk).status == Status.ACCEPTED


@time_machine.travel(TODAY, tick=False)
def test_transfer_only_to_a_unit_in_the_system(
    receive: Callable[..., Case], officer: User, sibling_commune: Unit
) -> None:
    case = receive()
    before = _counts()
    for code in ("", "99999", "06"):  # missing, unknown, historical (Bắc Kạn)
        with pytest.raises(DomainError) as exc:
            services.case_transfer(
                actor=officer, case=case, version=case.version, to_unit_code=code
            )
        assert exc.value.code == "case_bad_transfer"
    assert _counts() == before
    moved = services.case_transfer(
        actor=officer, case=case, version=case.version, to_unit_code=sibling_commune.code
    )
    case.refresh_from_db()
    assert case.status == Status.TRANSFERRED
    assert not case.is_open
    assert moved.unit == sibling_commune
    assert moved.channel == Channel.TRANSFERRED
    assert moved.transferred_from == case
    assert moved.alias == case.alias
    assert identity.decrypt(moved.identity.token).full_name == "Trần Thị Bình"
    # The citizen's code follows the case to where it is now.
    from danvan.cases.selectors import case_by_lookup_code

    assert case_by_lookup_code(case.lookup_code) == moved


@time_machine.travel(TODAY, tick=False)
def test_pause_stops_the_clock(receive: Callable[..., Case], officer: User) -> None:
    case = receive(kind="denunciation", sender=DENOUNCER, received_on=dt.date(2026, 5, 4))
    case = services.case_accept(
        actor=officer, case=case, version=case.version, accepted_on=dt.date(2026, 5, 5)
    )
    assert case.due_date == dt.date(2026, 6, 4)
    case = services.case_pause(
        actor=officer,
        case=case,
        version=case.version,
        on=dt.date(2026, 5, 20),
        reason="Chờ kết quả giám định",
    )
    with pytest.raises(DomainError):
        services.case_resolve(
            actor=officer,
            case=case,
            version=case.version,
            decision_number="1/KL-UBND",
            result_summary="x",
            public_answer="y",
        )
    case = services.case_resume(
        actor=officer, case=case, version=case.version, on=dt.date(2026, 6, 1)
    )
    assert case.paused_days == 12
    assert case.due_date == dt.date(2026, 6, 16)
    assert case.status == Status.ACCEPTED


def test_sweep_marks_due_soon_and_overdue_and_digests_only_when_pending(
    receive: Callable[..., Case], leader: User, commune: Unit, officer: User
) -> None:
    leader.email = "lanhdao@example.vn"
    leader.save()
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, 0, tzinfo=HCM), tick=False):
        late = receive(received_on=dt.date(2026, 5, 4))  # due 18 May
        soon = receive(received_on=dt.date(2026, 5, 20))  # due 3 June
        later = receive(received_on=dt.date(2026, 6, 1))  # due 15 June
        done = receive(received_on=dt.date(2026, 5, 4))
        done = services.case_accept(actor=officer, case=done, version=done.version)
        services.case_resolve(
            actor=officer,
            case=done,
            version=done.version,
            decision_number="5/UBND-VP",
            result_summary="Đã trả lời",
            public_answer="Đã trả lời bằng văn bản.",
        )
        result = tasks.sweep_deadlines.delay().get()
    alerts_now = dict(Case.objects.values_list("pk", "alert"))
    assert alerts_now[late.pk] == Alert.OVERDUE
    assert alerts_now[soon.pk] == Alert.DUE_SOON
    assert alerts_now[later.pk] == Alert.NONE
    assert alerts_now[done.pk] == Alert.NONE
    assert (result["overdue"], result["due_soon"], result["digests"]) == (1, 1, 1)
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert late.reference in body
    assert "Trần Thị Bình" not in body  # references and kinds only
    # Running again changes nothing; once nothing is pending no e-mail goes out.
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, 0, tzinfo=HCM), tick=False):
        again = alerts.sweep_deadlines(today=dt.date(2026, 6, 1))
    assert (again.overdue, again.due_soon, again.cleared) == (0, 0, 0)
    Case.objects.filter(pk__in=[late.pk, soon.pk]).update(is_open=False, status=Status.RESOLVED)
    mail.outbox.clear()
    with time_machine.travel(dt.datetime(2026, 6, 2, 9, 0, tzinfo=HCM), tick=False):
        tasks.sweep_deadlines.delay().get()
    assert mail.outbox == []


@time_machine.travel(TODAY, tick=False)
def test_identity_is_encrypted_apart_and_keys_rotate(
    receive: Callable[..., Case], handler: User, leader: User
) -> None:
    scan = SimpleUploadedFile("don-to-cao.pdf", PDF + b"chu ky", "application/pdf")
    with override_settings(IDENTITY_KEYS=["Yx4Qb1H9V3v5zq3w6nVh1oQvQm0dI6w0ZyYt2cJ8fXo="]):
        identity._cipher_for.cache_clear()
        case = receive(kind="denunciation", sender=DENOUNCER, scans=[scan])
        old_token = SenderIdentity.objects.get(case=case).token
    identity._cipher_for.cache_clear()
    # The newest key comes first; the old one still decrypts until the rotation.
    services.case_assign(
        actor=leader, case=case, version=case.version, users=[handler], lead=handler
    )
    case.refresh_from_db()
    assert services.identity_view(actor=handler, case=case).id_number == DENOUNCER.id_number
    call_command("identity_rotate_keys", verbosity=0)
    new_token = SenderIdentity.objects.get(case=case).token
    assert new_token != old_token
    with override_settings(IDENTITY_KEYS=["uGu5JhuXm3GZ7hZb4pVbQyTBeYBBgGx4wZ2lq0N8k0s="]):
        identity._cipher_for.cache_clear()
        assert identity.decrypt(new_token).full_name == DENOUNCER.full_name
        name, content_type, data = services.identity_scan(
            actor=handler, case=case, scan_id=IdentityScan.objects.get().pk
        )
    identity._cipher_for.cache_clear()
    assert (name, content_type, data) == ("don-to-cao.pdf", "application/pdf", PDF + b"chu ky")
    assert AuditEvent.objects.filter(action="view", object_pk=str(case.pk)).count() == 2
    assert b"chu ky" not in bytes(IdentityScan.objects.get().data_token)


@time_machine.travel(TODAY, tick=False)
def test_identity_of_a_denunciation_needs_assignment_and_the_role(
    receive: Callable[..., Case], handler: User, leader: User, commune: Unit
) -> None:
    case = receive(kind="denunciation", sender=DENOUNCER)
    admin = make_user("qtht", Role.SYSTEM_ADMIN, None)
    keeper_elsewhere = make_user("giu-danh-tinh", Role.IDENTITY_KEEPER, commune)
    for user in (handler, leader, admin, keeper_elsewhere):  # nobody is assigned yet
        with pytest.raises(PermissionDenied):
            services.identity_view(actor=user, case=case)
    services.case_assign(
        actor=leader, case=case, version=case.version, users=[handler], lead=handler
    )
    case.refresh_from_db()
    assert services.identity_view(actor=handler, case=case).full_name == DENOUNCER.full_name
    assert AuditEvent.objects.filter(action="view").count() == 1


def test_the_embedded_mode_creates_its_key_file_once(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "keys" / "identity.keys"
    with override_settings(
        IDENTITY_KEYS=[], IDENTITY_KEYS_FILE=str(path), IDENTITY_KEYS_AUTOCREATE=True
    ):
        identity._cipher_for.cache_clear()
        token = identity.encrypt(Identity(full_name="Hà Thị Mai"))
        assert path.stat().st_mode & 0o777 == 0o600
        first = path.read_text()
        assert identity.decrypt(token).full_name == "Hà Thị Mai"
        assert path.read_text() == first  # reused, not replaced
    identity._cipher_for.cache_clear()
