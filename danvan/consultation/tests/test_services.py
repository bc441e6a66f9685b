"""The consultation services: a consultation's life from draft to published report, and
refused input (a period ending before it starts, a comment after closing, a report with
unanswered comments) that writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from danvan.accounts.models import Role, User
from danvan.accounts.testing import make_user
from danvan.audit.models import AuditEvent
from danvan.consultation import services
from danvan.consultation.models import Comment, Consultation
from danvan.core.errors import DomainError, NotFound, PermissionDenied
from danvan.units.models import Unit

from .conftest import TODAY, draft, opened

pytestmark = pytest.mark.django_db


def written() -> tuple[int, ...]:
    return (Consultation.objects.count(), Comment.objects.count(), AuditEvent.objects.count())


def state_of(consultation: Consultation) -> tuple[object, ...]:
    consultation.refresh_from_db()
    return (consultation.state, consultation.opens_on, consultation.closes_on, consultation.report)


def test_a_consultation_from_draft_to_report(commune: Unit, manager: User) -> None:
    before = AuditEvent.objects.count()
    consultation = opened(commune, manager)
    assert consultation.state == "open"
    first = services.comment_submit(
        actor=None,
        consultation=consultation,
        text="Đề nghị giữ lại đất lúa ven sông.",
        commenter_name="Nguyễn Văn An",
        contact="0912 345 678",
        show_name=False,
    )
    second = services.comment_submit(
        actor=None, consultation=consultation, text="Cũng đề nghị giữ đất lúa."
    )
    spam = services.comment_submit(actor=None, consultation=consultation, text="Quảng cáo")
    assert first.status == "pending"
    services.comment_moderate(actor=manager, comment=first, action="publish")
    services.comment_moderate(actor=manager, comment=second, action="group", into=first)
    services.comment_moderate(
        actor=manager, comment=spam, action="reject", reason="Không liên quan đến dự thảo."
    )
    services.consultation_close(actor=manager, consultation=consultation)
    with pytest.raises(DomainError) as refused:
        services.consultation_report(
            actor=manager, consultation=consultation, report="Đã tiếp thu."
        )
    assert refused.value.code == "consultation_unanswered"
    assert "còn 1 ý kiến chưa trả lời" in refused.value.message.lower()
    services.comment_answer(actor=manager, comment=first, answer="Đã giữ lại 1 ha đất lúa.")
    services.consultation_report(
        actor=manager, consultation=consultation, report="Đã tiếp thu ý kiến giữ đất lúa."
    )
    consultation.refresh_from_db()
    assert (consultation.state, consultation.reported_on) == ("reported", TODAY)
    second.refresh_from_db()
    assert (second.status, second.group_of_id) == ("grouped", first.pk)
    # Every step is in the audit trail: create, open, 3 comments, 3 moderations,
    # close, answer, report.
    assert AuditEvent.objects.count() - before == 11


def test_a_period_ending_before_it_starts_is_refused(commune: Unit, manager: User) -> None:
    consultation = draft(commune, manager)
    counts = written()
    with pytest.raises(DomainError) as refused:
        services.consultation_open(
            actor=manager,
            consultation=consultation,
            opens_on=TODAY + dt.timedelta(days=5),
            closes_on=TODAY + dt.timedelta(days=4),
        )
    assert (refused.value.code, refused.value.field) == ("consultation_bad_period", "closes_on")
    assert written() == counts
    assert state_of(consultation) == ("draft", None, None, "")


def test_a_comment_after_closing_or_before_opening_is_refused(commune: Unit, manager: User) -> None:
    consultation = draft(commune, manager)
    counts = written()
    with pytest.raises(DomainError):
        services.comment_submit(actor=None, consultation=consultation, text="Sớm quá")
    services.consultation_open(
        actor=manager,
        consultation=consultation,
        opens_on=TODAY + dt.timedelta(days=1),
        closes_on=TODAY + dt.timedelta(days=10),
    )
    counts = written()
    with pytest.raises(DomainError) as refused:
        services.comment_submit(actor=None, consultation=consultation, text="Chưa đến ngày")
    assert refused.value.code == "consultation_not_open"
    assert written() == counts

    other = opened(commune, manager)
    services.consultation_close(actor=manager, consultation=other)
    counts = written()
    with pytest.raises(DomainError) as refused:
        services.comment_submit(actor=None, consultation=other, text="Muộn rồi")
    assert refused.value.code == "consultation_not_open"
    assert written() == counts


def test_empty_or_bad_input_writes_nothing(thai_nguyen: Unit, commune: Unit, manager: User) -> None:
    consultation = opened(commune, manager)
    comment = services.comment_submit(actor=None, consultation=consultation, text="Ý kiến")
    counts = written()
    cases = [
        lambda: services.comment_submit(actor=None, consultation=consultation, text="   "),
        lambda: draft(commune, manager, title=" "),
        lambda: draft(commune, manager, draft="", subject="plan"),
        lambda: draft(commune, manager, subject="nonsense"),
        lambda: draft(thai_nguyen, manager),  # a province does not consult this way
        lambda: services.comment_moderate(actor=manager, comment=comment, action="reject"),
        lambda: services.comment_moderate(actor=manager, comment=comment, action="group"),
        lambda: services.comment_moderate(
            actor=manager, comment=comment, action="group", into=comment
        ),
        lambda: services.comment_answer(actor=manager, comment=comment, answer="Trả lời"),
        lambda: services.consultation_report(
            actor=manager, consultation=consultation, report="Sớm quá"
        ),
        lambda: services.consultation_open(
            actor=manager, consultation=consultation, opens_on=TODAY, closes_on=TODAY
        ),
    ]
    for call in cases:
        with pytest.raises(DomainError) as refused:
            call()
        assert refused.value.message
    assert written() == counts
    comment.refresh_from_db()
    assert (comment.status, comment.reject_reason, comment.answer) == ("pending", "", "")


def test_grouping_only_into_a_published_comment_of_the_same_consultation(
    commune: Unit, manager: User
) -> None:
    one, two = opened(commune, manager), opened(commune, manager)
    a = services.comment_submit(actor=None, consultation=one, text="A")
    b = services.comment_submit(actor=None, consultation=two, text="B")
    services.comment_moderate(actor=manager, comment=b, action="publish")
    with pytest.raises(DomainError) as refused:
        services.comment_moderate(actor=manager, comment=a, action="group", into=b)
    assert refused.value.code == "consultation_bad_group"
    a.refresh_from_db()
    assert (a.status, a.group_of_id) == ("pending", None)


def test_pending_comments_block_the_report(commune: Unit, manager: User) -> None:
    consultation = opened(commune, manager)
    services.comment_submit(actor=None, consultation=consultation, text="Chờ duyệt")
    services.consultation_close(actor=manager, consultation=consultation)
    with pytest.raises(DomainError) as refused:
        services.consultation_report(actor=manager, consultation=consultation, report="Xong")
    assert refused.value.code == "consultation_pending"
    assert state_of(consultation)[0] == "closed"


def test_a_checked_draft_file_is_kept_and_a_disguised_one_refused(
    commune: Unit, manager: User
) -> None:
    pdf = SimpleUploadedFile("du-thao.pdf", b"%PDF-1.4 draft", content_type="application/pdf")
    consultation = draft(commune, manager, draft="", document=pdf)
    assert (consultation.document_name, consultation.document_type) == (
        "du-thao.pdf",
        "application/pdf",
    )
    counts = written()
    fake = SimpleUploadedFile("du-thao.pdf", b"MZ\x90\x00", content_type="application/pdf")
    with pytest.raises(DomainError) as refused:
        draft(commune, manager, document=fake)
    assert (refused.value.code, refused.value.field) == ("consultation_bad_file", "document")
    assert written() == counts


def test_writes_need_democracy_manage(commune: Unit, sibling_commune: Unit) -> None:
    consultation = opened(commune)
    leader = make_user("lanhdao-xa", Role.LEADER, commune)
    outsider = make_user("canbo-xa-khac", Role.OFFICER, sibling_commune)
    with pytest.raises(PermissionDenied):
        services.consultation_close(actor=leader, consultation=consultation)
    with pytest.raises(NotFound):
        services.consultation_close(actor=outsider, consultation=consultation)
    with pytest.raises(PermissionDenied):
        draft(commune, leader)
    assert state_of(consultation)[0] == "open"
