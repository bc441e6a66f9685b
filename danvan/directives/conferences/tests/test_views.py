"""The conferences' pages through HTTP: scoping, constant queries, forms that keep what
was typed, the attendance form of many rows, the conclusion's tasks and the notice."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from docx import Document

from danvan.accounts.models import User
from danvan.accounts.testing import READ_SCOPED, Cast, login_verified, walk
from danvan.directives.conferences import services
from danvan.directives.conferences.demo import seed_conferences
from danvan.directives.conferences.models import Conference, ConferenceKind, Point
from danvan.directives.tasks import services as task_services
from danvan.directives.tasks.models import SourceKind, Task
from danvan.units.models import Unit

from .conftest import CONCLUSION, conference_data

pytestmark = pytest.mark.django_db


def client_of(user: User) -> Client:
    client = Client()
    login_verified(client, user)
    return client


def text(response: Any) -> str:
    return str(response.content.decode())


def test_pages_are_scoped(access_cast: Any, commune: Unit) -> None:
    cast: Cast = access_cast(commune)
    conference = services.conference_create(
        actor=None,
        unit=commune,
        data=conference_data(kind=ConferenceKind.THEMATIC, period_half=None),
    )
    services.conference_conclude(actor=None, conference=conference, conclusion=CONCLUSION)
    for name in ("detail", "edit", "delegates", "speeches", "points", "conclusion", "notice"):
        walk(cast, reverse(f"conferences:{name}", args=[conference.public_id]), expect=READ_SCOPED)
    walk(cast, f"{reverse('conferences:create')}?unit={commune.code}", expect=READ_SCOPED)
    walk(
        cast,
        f"{reverse('conferences:list')}?unit={commune.code}",
        expect={**READ_SCOPED, "sibling": 400},
    )


def test_a_child_reads_but_does_not_change(conference: Conference, actors: dict[str, Any]) -> None:
    client = client_of(actors["commune"])
    response = client.get(reverse("conferences:detail", args=[conference.public_id]))
    assert response.status_code == 200
    assert reverse("conferences:edit", args=[conference.public_id]) not in text(response)
    assert client.get(reverse("conferences:edit", args=[conference.public_id])).status_code == 403


def test_list_runs_constant_queries(thai_nguyen: Unit, province_officer: User) -> None:
    client = client_of(province_officer)
    url = f"{reverse('conferences:list')}?unit={thai_nguyen.code}"
    seed_conferences(thai_nguyen)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for i in range(10):
        services.conference_create(
            actor=None,
            unit=thai_nguyen,
            data=conference_data(
                kind=ConferenceKind.THEMATIC, title=f"Chuyên đề {i}", period_half=None
            ),
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert len(many) == len(few)
    assert "Chuyên đề 9" in text(response)
    assert 'id="summary"' in text(response)


def test_detail_runs_constant_queries(thai_nguyen: Unit, province_officer: User) -> None:
    conference = seed_conferences(thai_nguyen)
    client = client_of(province_officer)
    url = reverse("conferences:detail", args=[conference.public_id])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    body = text(response)
    summary = Point.objects.filter(conference=conference, connected=True).count()
    assert f"{summary}/{conference.points.count()} điểm cầu kết nối" in body
    assert len(queries) < 40


def test_create_keeps_what_was_typed(thai_nguyen: Unit, province_officer: User) -> None:
    client = client_of(province_officer)
    url = f"{reverse('conferences:create')}?unit={thai_nguyen.code}"
    response = client.post(
        url,
        {
            "kind": ConferenceKind.HALF_YEAR_REVIEW,
            "title": "Hội nghị sơ kết đặc biệt",
            "held_on": "15/07/2027",
            "place": "Hội trường A",
            "period_year": "",
            "period_half": "",
        },
    )
    assert response.status_code == 400
    body = text(response)
    assert "Hội nghị sơ kết đặc biệt" in body
    assert "15/07/2027" in body
    assert 'id="error-summary"' in body
    assert "cần chọn 6 tháng đầu năm" in body
    assert not Conference.objects.exists()
    response = client.post(
        url,
        {
            "kind": ConferenceKind.HALF_YEAR_REVIEW,
            "title": "Hội nghị sơ kết đặc biệt",
            "held_on": "15/07/2027",
            "online": "on",
            "period_year": "2027",
            "period_half": "1",
        },
    )
    assert response.status_code == 302
    conference = Conference.objects.get()
    assert conference.held_on == dt.date(2027, 7, 15)
    assert conference.online


def test_points_add_and_attendance_form(conference: Conference, province_officer: User) -> None:
    client = client_of(province_officer)
    add = reverse("conferences:points_add", args=[conference.public_id])
    assert client.post(add, {"expected": "35"}).status_code == 302
    total = Point.objects.filter(conference=conference).count()
    assert total > 50
    url = reverse("conferences:points", args=[conference.public_id])
    page = client.get(url)
    assert page.status_code == 200
    first = list(Point.objects.filter(conference=conference).order_by("unit__path")[:50])
    data = {}
    for point in first:
        data[f"p{point.pk}_connected"] = "on"
        data[f"p{point.pk}_expected"] = "35"
        data[f"p{point.pk}_attended"] = "30"
    bad = first[0]
    data[f"p{bad.pk}_connected"] = ""
    data[f"p{bad.pk}_attended"] = "12"
    response = client.post(url, data)
    assert response.status_code == 400
    assert "chưa đánh dấu đã kết nối" in text(response)
    assert not Point.objects.filter(conference=conference, attended__gt=0).exists()
    data[f"p{bad.pk}_attended"] = "0"
    assert client.post(url, data).status_code == 302
    assert Point.objects.filter(conference=conference, attended=30).count() == 49
    detail = client.get(reverse("conferences:detail", args=[conference.public_id]))
    assert f"49/{total} điểm cầu kết nối, 1470 người dự" in text(detail)


def test_conclusion_propose_button_and_tasks(
    conference: Conference, province_officer: User, commune: Unit
) -> None:
    client = client_of(province_officer)
    url = reverse("conferences:detail", args=[conference.public_id])
    assert 'id="propose"' not in text(client.get(url))
    response = client.post(
        reverse("conferences:conclusion", args=[conference.public_id]), {"conclusion": CONCLUSION}
    )
    assert response.status_code == 302
    task_services.task_create(
        actor=province_officer,
        assigner_unit=conference.unit,
        lead_unit=commune,
        title="Tổ chức đối thoại với Nhân dân",
        deliverable="Báo cáo kết quả",
        due_on=dt.date(2027, 9, 30),
        source_kind=SourceKind.CONFERENCE,
        source=conference,
        source_paragraph=CONCLUSION.splitlines()[1],
    )
    task = Task.objects.get()
    assert task.source_type == ContentType.objects.get_for_model(Conference)
    body = text(client.get(url))
    assert "Tổ chức đối thoại với Nhân dân" in body
    try:
        start = reverse("proposals:start")
    except NoReverseMatch:  # the proposals app not mounted yet
        return
    assert f"{start}?source=conference&amp;id={conference.public_id}" in body


def test_notice_form_and_download(
    conference: Conference, province_officer: User, actors: dict[str, Any], commune: Unit
) -> None:
    client = client_of(province_officer)
    services.conference_conclude(actor=None, conference=conference, conclusion=CONCLUSION)
    url = reverse("conferences:notice", args=[conference.public_id])
    download = reverse("conferences:notice_docx", args=[conference.public_id])
    assert client.get(download).status_code == 404  # no notice yet
    data = {
        "issuer_family": "party",
        "notice_number": "15/TB-BCĐ",
        "notice_on": "18/07/2027",
        "notice_place": "Thái Nguyên",
        "superior_body": "TỈNH ỦY THÁI NGUYÊN",
        "issuer_body": "BAN CHỈ ĐẠO THỰC HIỆN QUY CHẾ DÂN CHỦ Ở CƠ SỞ",
        "signing_authority": "T/M BAN CHỈ ĐẠO",
        "signer_position": "TRƯỞNG BAN",
        "signer_name": "Nguyễn Văn Chủ",
        "recipients": "- Như trên;\n- Lưu: VT.",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "15/TB-BCĐ" in text(response)  # kept as typed
    data["notice_number"] = "05-TB/BCĐ"
    assert client.post(url, data).status_code == 302
    # A commune officer reads the province's conference, and so its notice.
    response = client_of(actors["commune"]).get(download)
    assert response.status_code == 200
    assert "thong-bao-ket-luan-05-tb-bcd.docx" in response["Content-Disposition"]
    word = Document(io.BytesIO(response.content))
    assert any("Giao Ban Dân vận Tỉnh ủy chủ trì" in p.text for p in word.paragraphs)
    assert client_of(actors["sibling"]).get(download).status_code == 200
    # A commune's conference is out of the sibling commune's sight: 404, like missing.
    other = services.conference_create(
        actor=None,
        unit=commune,
        data=conference_data(kind=ConferenceKind.THEMATIC, period_half=None),
    )
    sibling = client_of(actors["sibling"])
    assert sibling.get(reverse("conferences:detail", args=[other.public_id])).status_code == 404


def test_delegates_form(conference: Conference, province_officer: User, chair: Any) -> None:
    client = client_of(province_officer)
    url = reverse("conferences:delegates", args=[conference.public_id])
    response = client.post(url, {"name": "", "position": "Phó Chủ tịch", "attended": "on"})
    assert response.status_code == 400
    assert "Phó Chủ tịch" in text(response)  # kept as typed
    assert "ghi họ tên đại biểu khách mời" in text(response)
    assert client.post(url, {"official": str(chair.pk), "attended": "on"}).status_code == 302
    assert (
        client.post(url, {"name": "Lê Văn Khách", "organisation": "Hội Nông dân tỉnh"}).status_code
        == 302
    )
    delegates = list(conference.delegates.order_by("id"))
    assert [(d.name, d.attended) for d in delegates] == [
        ("Nguyễn Văn Chủ", True),
        ("Lê Văn Khách", False),
    ]
    remove = reverse("conferences:delegate_remove", args=[delegates[1].pk])
    assert client.post(remove).status_code == 302
    assert conference.delegates.count() == 1


def test_speeches_form(conference: Conference, province_officer: User) -> None:
    client = client_of(province_officer)
    url = reverse("conferences:speeches", args=[conference.public_id])
    response = client.post(url, {"speaker_name": "", "summary": "Nội dung đã gõ"})
    assert response.status_code == 400
    assert "Nội dung đã gõ" in text(response)
    response = client.post(
        url, {"speaker_name": "Trần Văn Nói", "position": "Chủ tịch", "summary": "Báo cáo"}
    )
    assert response.status_code == 302
    detail = text(client.get(reverse("conferences:detail", args=[conference.public_id])))
    assert "Trần Văn Nói" in detail


def test_edit_keeps_the_chair_as_recorded(
    conference: Conference, province_officer: User, chair: Any
) -> None:
    chair.position = "Bí thư Tỉnh ủy"  # the directory moves on
    chair.save()
    client = client_of(province_officer)
    url = reverse("conferences:edit", args=[conference.public_id])
    page = text(client.get(url))
    assert "Hội nghị sơ kết 6 tháng đầu năm 2027" in page
    response = client.post(
        url,
        {
            "kind": conference.kind,
            "title": "Hội nghị sơ kết 6 tháng đầu năm 2027 (mở rộng)",
            "held_on": "16/07/2027",
            "online": "on",
            "chair": str(chair.pk),
            "period_year": "2027",
            "period_half": "1",
        },
    )
    assert response.status_code == 302
    conference.refresh_from_db()
    assert conference.held_on == dt.date(2027, 7, 16)
    assert conference.chair_position == "Phó Bí thư Thường trực Tỉnh ủy"


def test_officials_searched_by_name_without_diacritics(
    conference: Conference, province_officer: User, chair: Any, thai_nguyen: Unit
) -> None:
    from danvan.units.models import Official

    Official.objects.create(unit=thai_nguyen, full_name="Trần Thị Bình", position="Ủy viên")
    client = client_of(province_officer)
    url = reverse("conferences:delegates", args=[conference.public_id])
    everyone = text(client.get(url))
    assert "Trần Thị Bình" in everyone
    assert "Nguyễn Văn Chủ" in everyone
    narrowed = text(client.get(f"{url}?tim=tran thi"))
    assert "Trần Thị Bình —" in narrowed
    assert "Nguyễn Văn Chủ —" not in narrowed
    # Any official of the directory still validates, whatever the list shows.
    response = client.post(f"{url}?tim=tran thi", {"official": str(chair.pk), "attended": "on"})
    assert response.status_code == 302
