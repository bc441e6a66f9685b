"""What a place's units make public, made through the areas' services as an officer would:
one helper per section of a place page. Each returns what the page then shows of it (a
title, a name, a summary) so that a test can look for it.

Dates are relative to TODAY: the tests that use these freeze the clock at NOW.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from danvan.accounts.models import User
from danvan.cases import services as case_services
from danvan.cases.dialogues import services as dialogue_services
from danvan.cases.identity import Identity
from danvan.cases.models import Case, Channel, Dialogue, ReceptionSchedule
from danvan.cases.reception import services as reception_services
from danvan.consultation import services as consultation_services
from danvan.consultation.models import Consultation
from danvan.democracy import services as democracy_services
from danvan.democracy.models import Method, Vote
from danvan.disclosure import services as disclosure_services
from danvan.disclosure.models import Disclosure, DisclosureKind
from danvan.movement import services as movement_services
from danvan.movement.models import Entry, Field
from danvan.news import services as news_services
from danvan.news.models import Article
from danvan.units import services as unit_services
from danvan.units.models import Official, Unit, UnitKind

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2026, 5, 10, 9, 0, tzinfo=HCM)
TODAY = NOW.date()


def article(unit: Unit, title: str, *, also_on: tuple[Unit, ...] = ()) -> Article:
    """An article written, sent for review and approved (published now)."""
    draft = news_services.article_create(
        actor=None,
        unit=unit,
        title=title,
        lead="Hội viên, đoàn viên cùng nhân dân trồng hoa dọc đường tổ dân phố.",
        body="<p>Sáng Chủ nhật, phường phát động đường hoa.</p>",
        also_on=also_on,
    )
    news_services.article_submit(actor=None, article=draft)
    return news_services.article_approve(actor=None, article=draft)


def disclosure(unit: Unit, title: str, *, is_public: bool = True) -> Disclosure:
    kind = (
        DisclosureKind.objects.filter(unit_kind=unit.kind, valid_from__lte=TODAY)
        .order_by("number")
        .first()
    )
    assert kind is not None
    return disclosure_services.disclosure_create(
        actor=None, unit=unit, kind=kind, title=title, start=TODAY, is_public=is_public
    )


def consultation(unit: Unit, title: str) -> Consultation:
    """A draft open for opinions since yesterday, for two weeks."""
    draft = consultation_services.consultation_create(
        actor=None,
        unit=unit,
        subject="plan",
        title=title,
        draft="Điều 3. Giữ gìn vệ sinh chung; không đổ rác ra đường.",
    )
    return consultation_services.consultation_open(
        actor=None,
        consultation=draft,
        opens_on=TODAY - dt.timedelta(days=1),
        closes_on=TODAY + dt.timedelta(days=14),
    )


def village(commune: Unit, name: str = "Thôn Đồng Tâm") -> Unit:
    return unit_services.unit_create(
        actor=None, parent=commune, kind=UnitKind.VILLAGE, name=name, households=5
    )


def online_vote(village: Unit, title: str) -> Vote:
    """An online vote of *village*'s households, open since yesterday for three days."""
    matter = democracy_services.matter_raise(
        actor=None,
        unit=village,
        kind="contribution",
        title=title,
        description="Mỗi hộ góp 500.000 đồng, Nhà nước hỗ trợ xi măng.",
        raised_on=TODAY - dt.timedelta(days=5),
    )
    return democracy_services.vote_open(
        actor=None,
        matter=matter,
        method=Method.ONLINE,
        opened_on=TODAY - dt.timedelta(days=1),
        closes_on=TODAY + dt.timedelta(days=3),
    )


def schedule(unit: Unit, position: str) -> ReceptionSchedule:
    """The weekly reception day of a leader of *unit* holding *position*."""
    leader = Official.objects.create(unit=unit, full_name="Hoàng Văn Tiếp", position=position)
    return reception_services.schedule_create(
        actor=None,
        unit=unit,
        leader=leader,
        pattern=ReceptionSchedule.Pattern.WEEKLY,
        day=2,
        place=f"Trụ sở tiếp công dân {unit.name}",
        valid_from=TODAY - dt.timedelta(days=30),
    )


def dialogue(unit: Unit, title: str) -> Dialogue:
    """A dialogue announced today, held in ten days."""
    planned = dialogue_services.dialogue_create(
        actor=None,
        unit=unit,
        title=title,
        held_on=TODAY + dt.timedelta(days=10),
        place="Nhà văn hóa tổ 7",
        chair="Chủ tịch UBND",
    )
    return dialogue_services.dialogue_announce(actor=None, dialogue=planned, announced_on=TODAY)


DECISION = movement_services.DecisionInput(
    number="125/QĐ-UBND", issued_on=TODAY - dt.timedelta(days=20), issuer="UBND tỉnh Thái Nguyên"
)


def submitted_entry(unit: Unit, name: str) -> Entry:
    """A model of the movement registered, accepted, carried out and submitted: the next
    step (recognize) makes it public."""
    field = Field.objects.order_by("id").first()
    assert field is not None
    entry = movement_services.entry_create(
        actor=None, name=name, unit=unit, kind="initiative", field=field, registration_year=2025
    )
    for step in ("register", "accept", "start", "submit"):
        entry = movement_services.entry_transition(actor=None, entry=entry, name=step)
    return entry


def recognized_entry(unit: Unit, name: str) -> Entry:
    return movement_services.entry_transition(
        actor=None, entry=submitted_entry(unit, name), name="recognize", decision=DECISION
    )


SENDER = Identity(full_name="Vũ Thị Riêng Tư", phone="0977665544")


def received_case(officer: User, unit: Unit) -> Case:
    """Feedback a citizen sent through the portal, not moderated yet."""
    return case_services.case_receive(
        actor=officer,
        unit=unit,
        kind="feedback",
        channel=Channel.PORTAL,
        subject="Đèn đường tổ 7 không sáng",
        content="Ba cột đèn đầu ngõ 12 tắt từ tuần trước.",
        sender=SENDER,
        received_on=TODAY - dt.timedelta(days=3),
    )


def published_case(officer: User, unit: Unit, summary: str) -> Case:
    return case_services.case_moderate_public(
        actor=officer, case=received_case(officer, unit), summary=summary, publish=True
    )
