"""The conferences' services: what they write, and every refusal writing nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from danvan.accounts import policies
from danvan.audit.models import AuditEvent
from danvan.core.errors import DomainError, NotFound, PermissionDenied
from danvan.directives.conferences import services
from danvan.directives.conferences.models import (
    Conference,
    ConferenceKind,
    Delegate,
    IssuerFamily,
    Point,
    Speech,
)
from danvan.units.models import Official, Unit, UnitKind

from .conftest import CONCLUSION, HELD_ON, conference_data

pytestmark = pytest.mark.django_db


def fields_of(exc: pytest.ExceptionInfo[DomainError]) -> set[str | None]:
    return {p.field for p in exc.value.problems}


def notice_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "issuer_family": IssuerFamily.PARTY,
        "notice_number": "Số 05-TB/BCĐ",
        "notice_on": HELD_ON + dt.timedelta(days=2),
        "notice_place": "Thái Nguyên",
        "superior_body": "TỈNH ỦY THÁI NGUYÊN",
        "issuer_body": "BAN CHỈ ĐẠO THỰC HIỆN QUY CHẾ DÂN CHỦ Ở CƠ SỞ",
        "signing_authority": "T/M BAN CHỈ ĐẠO",
        "signer_position": "Trưởng ban",
        "signer_name": "Nguyễn Văn Chủ",
        "recipients": "- Như trên;\n- Lưu: VT.",
    }
    data.update(overrides)
    return data


# -- the conference -------------------------------------------------------------------------


def test_create_copies_the_chair_and_writes_the_audit_row(
    conference: Conference, chair: Official, province_officer: Any, thai_nguyen: Unit
) -> None:
    assert conference.chair_name == "Nguyễn Văn Chủ"
    assert conference.chair_position == "Phó Bí thư Thường trực Tỉnh ủy"
    assert AuditEvent.objects.filter(
        model_label="directive_conferences.conference", object_pk=str(conference.pk)
    ).exists()
    # The directory changes later; the record keeps what the chair was.
    chair.position = "Bí thư Tỉnh ủy"
    chair.save()
    services.conference_update(
        actor=province_officer, conference=conference, data={"title": "Hội nghị sơ kết (sửa)"}
    )
    conference.refresh_from_db()
    assert conference.title == "Hội nghị sơ kết (sửa)"
    assert conference.chair_position == "Phó Bí thư Thường trực Tỉnh ủy"


def test_create_reports_every_problem_and_writes_nothing(
    thai_nguyen: Unit, province_officer: Any
) -> None:
    before = Conference.objects.count()
    with pytest.raises(DomainError) as exc:
        services.conference_create(
            actor=province_officer,
            unit=thai_nguyen,
            data=conference_data(
                kind="party", title="  ", held_on=None, period_half=3, place="x" * 301
            ),
        )
    assert {"kind", "title", "held_on", "period_half", "place"} <= fields_of(exc)
    assert Conference.objects.count() == before


def test_period_rules(thai_nguyen: Unit) -> None:
    with pytest.raises(DomainError) as exc:
        services.conference_create(
            actor=None, unit=thai_nguyen, data=conference_data(period_year=None, period_half=None)
        )
    assert {"period_year", "period_half"} <= fields_of(exc)
    with pytest.raises(DomainError) as exc:
        services.conference_create(
            actor=None,
            unit=thai_nguyen,
            data=conference_data(kind=ConferenceKind.ANNUAL_REVIEW, period_year=2020),
        )
    assert {"period_year", "period_half"} <= fields_of(exc)
    with pytest.raises(DomainError) as exc:
        services.conference_create(
            actor=None, unit=thai_nguyen, data=conference_data(held_on=dt.date(2030, 1, 1))
        )
    assert "2030" in exc.value.message
    assert fields_of(exc) >= {"held_on"}


def test_a_review_is_held_once_per_period(conference: Conference, thai_nguyen: Unit) -> None:
    with pytest.raises(DomainError) as exc:
        services.conference_create(actor=None, unit=thai_nguyen, data=conference_data())
    assert exc.value.code == "conference_duplicate"
    assert "6 tháng đầu năm 2027" in exc.value.message
    # Thematic conferences may be many.
    for _i in range(2):
        services.conference_create(
            actor=None,
            unit=thai_nguyen,
            data=conference_data(kind=ConferenceKind.THEMATIC, period_half=None),
        )


def test_chair_must_come_from_the_level_subtree(
    commune: Unit, sibling_commune: Unit, thai_nguyen: Unit
) -> None:
    outsider = Official.objects.create(
        unit=sibling_commune, full_name="Trần Thị Ngoài", position="Chủ tịch"
    )
    with pytest.raises(DomainError) as exc:
        services.conference_create(actor=None, unit=commune, data=conference_data(chair=outsider))
    assert fields_of(exc) == {"chair"}
    assert "Trần Thị Ngoài" in exc.value.message


def test_who_may_record(thai_nguyen: Unit, sibling_commune: Unit, actors: dict[str, Any]) -> None:
    with pytest.raises(NotFound):
        services.conference_create(
            actor=actors["commune"], unit=sibling_commune, data=conference_data()
        )
    with pytest.raises(PermissionDenied):
        services.conference_create(
            actor=actors["reviewer"], unit=thai_nguyen, data=conference_data()
        )
    assert not Conference.objects.exists()


# -- delegates and speeches -------------------------------------------------------------------


def test_delegates(conference: Conference, chair: Official, province_officer: Any) -> None:
    delegate = services.delegate_add(actor=province_officer, conference=conference, official=chair)
    assert (delegate.name, delegate.organisation) == ("Nguyễn Văn Chủ", conference.unit.name)
    guest = services.delegate_add(
        actor=province_officer,
        conference=conference,
        name="Lê Văn Khách",
        position="Phó Chủ tịch",
        organisation="Hội Nông dân tỉnh",
        attended=False,
    )
    with pytest.raises(DomainError) as exc:
        services.delegate_add(actor=province_officer, conference=conference, official=chair)
    assert exc.value.code == "conference_duplicate"
    with pytest.raises(DomainError) as exc:
        services.delegate_add(actor=province_officer, conference=conference, name=" ")
    assert fields_of(exc) == {"name"}
    assert Delegate.objects.filter(conference=conference).count() == 2
    services.delegate_remove(actor=province_officer, delegate=guest)
    assert list(conference.delegates.all()) == [delegate]


def test_speeches_take_the_next_order(conference: Conference, province_officer: Any) -> None:
    first = services.speech_add(
        actor=province_officer, conference=conference, speaker_name="A", summary="Báo cáo"
    )
    second = services.speech_add(actor=province_officer, conference=conference, speaker_name="B")
    assert (first.order, second.order) == (1, 2)
    with pytest.raises(DomainError) as exc:
        services.speech_add(
            actor=province_officer, conference=conference, speaker_name="", summary="x" * 10_001
        )
    assert fields_of(exc) == {"speaker_name", "summary"}
    assert Speech.objects.filter(conference=conference).count() == 2


# -- points ---------------------------------------------------------------------------------------


def test_points_for_every_commune_in_constant_queries(
    conference: Conference, commune: Unit, province_officer: Any
) -> None:
    communes = Unit.objects.filter(
        parent=conference.unit, kind=UnitKind.COMMUNE, valid_to__isnull=True
    ).count()
    assert communes >= 50  # Thái Nguyên: about a hundred
    small = services.conference_create(
        actor=None,
        unit=commune,
        data=conference_data(kind=ConferenceKind.THEMATIC, period_half=None),
    )
    policies.grants_of(province_officer)  # the actor's grants, read once per request
    with CaptureQueriesContext(connection) as one:
        assert services.points_add_communes(actor=province_officer, conference=small) == 1
    with CaptureQueriesContext(connection) as many:
        added = services.points_add_communes(
            actor=province_officer, conference=conference, expected=40
        )
    assert added == communes
    # ~100 rows in one INSERT: no more queries than for one row (the first call also
    # reads the actor's history of units once).
    assert len(many) <= len(one) <= 10
    assert Point.objects.filter(conference=conference, expected=40).count() == communes
    # Again: nothing more to add.
    assert services.points_add_communes(actor=province_officer, conference=conference) == 0
    assert AuditEvent.objects.filter(
        model_label="directive_conferences.conference",
        object_pk=str(conference.pk),
        changes__points=[0, communes],
    ).exists()


def test_points_need_an_online_conference(commune_conference: Conference) -> None:
    with pytest.raises(DomainError) as exc:
        services.points_add_communes(actor=None, conference=commune_conference)
    assert exc.value.code == "conference_not_online"
    assert not Point.objects.exists()


def test_attendance_in_bulk(conference: Conference, province_officer: Any) -> None:
    services.points_add_communes(actor=None, conference=conference, expected=30)
    points = list(Point.objects.filter(conference=conference).order_by("pk")[:3])
    rows = {
        points[0].pk: services.Attendance(True, 40, 38),
        points[1].pk: services.Attendance(True, None, 25),
        points[2].pk: services.Attendance(False, 30, 0),
    }
    with CaptureQueriesContext(connection) as few:
        assert (
            services.points_record_attendance(
                actor=province_officer, conference=conference, rows=rows
            )
            == 2
        )
    stored = {
        p.pk: (p.connected, p.expected, p.attended) for p in Point.objects.filter(pk__in=rows)
    }
    assert stored == {
        points[0].pk: (True, 40, 38),
        points[1].pk: (True, 30, 25),
        points[2].pk: (False, 30, 0),
    }
    assert len(few) < 12


def test_attendance_refusals_write_nothing(
    conference: Conference, commune_conference: Conference, province_officer: Any
) -> None:
    services.points_add_communes(actor=None, conference=conference)
    a, b = list(Point.objects.filter(conference=conference).order_by("pk")[:2])
    with pytest.raises(DomainError) as exc:
        services.points_record_attendance(
            actor=province_officer,
            conference=conference,
            rows={
                a.pk: services.Attendance(False, 10, 5),
                b.pk: services.Attendance(True, -1, 3),
                999_999_999: services.Attendance(True, 1, 1),
            },
        )
    assert fields_of(exc) == {f"p{a.pk}_attended", f"p{b.pk}_expected", None}
    assert not Point.objects.filter(conference=conference, attended__gt=0).exists()


# -- the conclusion and its notice --------------------------------------------------------------


def test_conclusion(conference: Conference, province_officer: Any) -> None:
    with pytest.raises(DomainError) as exc:
        services.conference_conclude(actor=province_officer, conference=conference, conclusion=" ")
    assert fields_of(exc) == {"conclusion"}
    done = services.conference_conclude(
        actor=province_officer, conference=conference, conclusion=CONCLUSION
    )
    assert done.conclusion == CONCLUSION
    assert done.concluded_at is not None


def test_notice_needs_the_conclusion(conference: Conference) -> None:
    with pytest.raises(DomainError) as exc:
        services.notice_record(actor=None, conference=conference, data=notice_data())
    assert exc.value.code == "conference_no_conclusion"


def test_notice_reports_every_problem_and_writes_nothing(conference: Conference) -> None:
    services.conference_conclude(actor=None, conference=conference, conclusion=CONCLUSION)
    with pytest.raises(DomainError) as exc:
        services.notice_record(
            actor=None,
            conference=conference,
            data=notice_data(
                notice_number="15/TB-BCĐ",  # a State number for a Party notice
                notice_on=HELD_ON - dt.timedelta(days=1),
                signing_authority="TM. BAN CHỈ ĐẠO",  # the State's heading
                signer_name="",
            ),
        )
    assert fields_of(exc) == {"notice_number", "notice_on", "signing_authority", "signer_name"}
    with pytest.raises(DomainError) as exc:
        services.notice_record(
            actor=None, conference=conference, data=notice_data(notice_number="05-KH/BCĐ")
        )
    assert "TB" in exc.value.message
    with pytest.raises(DomainError) as exc:
        services.notice_record(
            actor=None, conference=conference, data=notice_data(notice_number="05 - TB/BCĐ")
        )
    assert fields_of(exc) == {"notice_number"}
    conference.refresh_from_db()
    assert conference.notice_number == ""


def test_notice_recorded(conference: Conference) -> None:
    services.conference_conclude(actor=None, conference=conference, conclusion=CONCLUSION)
    done = services.notice_record(actor=None, conference=conference, data=notice_data())
    assert done.notice_number == "05-TB/BCĐ"  # the label "Số" taken off
    assert done.has_notice
    state = services.notice_record(
        actor=None,
        conference=conference,
        data=notice_data(
            issuer_family=IssuerFamily.STATE,
            notice_number="Số: 15/TB-BCĐ",
            signing_authority="kt. trưởng ban",
        ),
    )
    assert (state.notice_number, state.signing_authority) == ("15/TB-BCĐ", "KT. TRƯỞNG BAN")
