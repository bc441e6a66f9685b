"""The proposals pages through HTTP: text or .docx in, one card per proposal, the kept
ones created in one transaction on confirmation (and nothing before)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danvan.accounts.models import Role
from danvan.accounts.services import grant_create
from danvan.accounts.testing import login_verified, make_user
from danvan.directives import services as directive_services
from danvan.directives.tasks import services as task_services
from danvan.directives.tasks.models import SourceKind, Task
from danvan.directives.tests.factories import document_data
from danvan.units.models import Unit, UnitKind
from danvan.units.services import unit_create

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = dt.date(2027, 1, 15)  # a Friday
COMMUNES = ("Xã Tân Cương", "Phường Phan Đình Phùng", "Xã Quân Chu")
TEXT = (
    "Hội nghị thống nhất đánh giá kết quả 6 tháng đầu năm.\n"
    "Giao Sở Nội vụ chủ trì, phối hợp với Sở Tư pháp xây dựng kế hoạch triển khai, hoàn"
    " thành trước ngày 30/6/2027.\n"
    "Đề nghị UBND các xã, phường tổ chức đối thoại với Nhân dân, báo cáo kết quả trước ngày"
    " 15/7/2027."
)


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel(dt.datetime(2027, 1, 15, 9, 0, tzinfo=HCM), tick=False):
        yield


@pytest.fixture
def tree() -> dict[str, Any]:
    """A small province of its own: two agencies, three communes each with its people's
    committee, and another province with a "Sở Nội vụ" of its own."""
    province = unit_create(actor=None, parent=None, kind=UnitKind.PROVINCE, name="Tỉnh Thử Nghiệm")
    other = unit_create(actor=None, parent=None, kind=UnitKind.PROVINCE, name="Tỉnh Khác")
    communes = [
        unit_create(actor=None, parent=province, kind=UnitKind.COMMUNE, name=name)
        for name in COMMUNES
    ]
    return {
        "province": province,
        "other": other,
        "home": unit_create(actor=None, parent=province, kind=UnitKind.AGENCY, name="Sở Nội vụ"),
        "justice": unit_create(
            actor=None, parent=province, kind=UnitKind.AGENCY, name="Sở Tư pháp"
        ),
        "other_home": unit_create(actor=None, parent=other, kind=UnitKind.AGENCY, name="Sở Nội vụ"),
        "communes": communes,
        "people": [
            unit_create(
                actor=None,
                parent=c,
                kind=UnitKind.AGENCY,
                name=f"Ủy ban nhân dân {c.name[0].lower()}{c.name[1:]}",
            )
            for c in communes
        ],
    }


@pytest.fixture
def clerk(tree: dict[str, Any]) -> Any:
    return make_user("vanthu-tinh", Role.OFFICER, tree["province"])


def client_of(user: Any) -> Client:
    client = Client()
    login_verified(client, user)
    return client


def page(response: Any) -> str:
    return str(response.content.decode())


def free(unit: Unit) -> str:
    return f"?unit={unit.code}"


def start_url(query: str) -> str:
    return reverse("proposals:start") + query


def review(client: Client, query: str, text: str = TEXT) -> Any:
    response = client.post(start_url(query), {"text": text})
    assert response.status_code == 200, page(response)
    return response


def confirm_data(response: Any, **cards: dict[str, Any]) -> dict[str, Any]:
    """What the review page posts as shown (every card kept, values as proposed), with
    *cards* ("p2": {"deliverable": ""}) changed."""
    data: dict[str, Any] = {"payload": response.context["payload"]}
    for card in response.context["cards"]:
        form = card.form
        initial = {name: form.get_initial_for_field(f, name) for name, f in form.fields.items()}
        values: dict[str, Any] = {
            "keep": initial["keep"],
            "title": initial["title"],
            "leads": "",
            "leads_pick": [u.code for u in initial["leads"] or []],
            "coordinating_units": "",
            "coordinating_units_pick": [u.code for u in initial["coordinating_units"] or []],
            "deliverable": initial["deliverable"],
            "due_on": f"{initial['due_on']:%d/%m/%Y}" if initial.get("due_on") else "",
            "due_working_days": initial.get("due_working_days") or "",
            "due_from_event": initial.get("due_from_event") or "",
            "due_from_date": (
                f"{initial['due_from_date']:%d/%m/%Y}" if initial.get("due_from_date") else ""
            ),
        }
        if "expand" in form.fields and initial["expand"]:
            values["expand"] = "on"
        if "expand_coordinating" in form.fields and initial["expand_coordinating"]:
            values["expand_coordinating"] = "on"
        values.update(cards.get(card.prefix, {}))
        data.update({f"{card.prefix}-{k}": v for k, v in values.items() if v is not None})
    return data


def confirm(client: Client, query: str, data: dict[str, Any]) -> Any:
    return client.post(reverse("proposals:confirm") + query, data)


def docx_of(*paragraphs: str) -> SimpleUploadedFile:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(
        "ket-luan.docx",
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


# -- proposing ----------------------------------------------------------------------------


def test_text_is_proposed_one_card_per_assigning_sentence(tree: dict[str, Any], clerk: Any) -> None:
    client = client_of(clerk)
    query = free(tree["province"])
    assert client.get(start_url(query)).status_code == 200
    response = review(client, query)
    cards = response.context["cards"]
    assert len(cards) == 2
    html = page(response)
    # The sentence is highlighted in its paragraph; units resolved; nothing written yet.
    assert "<mark>Giao Sở Nội vụ chủ trì" in html
    assert [u.pk for u in cards[0].form.initial["leads"]] == [tree["home"].pk]
    assert [u.pk for u in cards[0].form.initial["coordinating_units"]] == [tree["justice"].pk]
    assert cards[0].form.initial["due_on"] == dt.date(2027, 6, 30)
    # "UBND các xã, phường": each commune's people's committee, one task each.
    assert "3 xã của Tỉnh Thử Nghiệm" in html
    assert sorted(cards[1].collective_units) == sorted(u.pk for u in tree["people"])
    assert Task.objects.count() == 0


def test_docx_is_read(tree: dict[str, Any], clerk: Any) -> None:
    client = client_of(clerk)
    upload = docx_of(*TEXT.splitlines())
    response = client.post(start_url(free(tree["province"])), {"text": "", "file": upload})
    assert response.status_code == 200
    assert len(response.context["cards"]) == 2


def test_a_file_not_docx_or_no_text_is_refused(tree: dict[str, Any], clerk: Any) -> None:
    client = client_of(clerk)
    query = free(tree["province"])
    fake = SimpleUploadedFile("ket-luan.docx", b"not a zip file", content_type="text/plain")
    response = client.post(start_url(query), {"text": "", "file": fake})
    assert response.status_code == 400
    assert 'id="id_file_error"' in page(response)
    response = client.post(start_url(query), {"text": "Hội nghị kết thúc lúc 11 giờ."})
    assert response.status_code == 400
    assert "Không tìm thấy câu giao nhiệm vụ nào" in page(response)
    assert "Hội nghị kết thúc lúc 11 giờ." in page(response)  # what was typed is kept


def test_review_page_runs_a_constant_number_of_queries(tree: dict[str, Any], clerk: Any) -> None:
    client = client_of(clerk)
    query = free(tree["province"])
    counts = []
    for text in (TEXT, TEXT + "\n" + TEXT.split("\n", 1)[1]):
        with CaptureQueriesContext(connection) as queries:
            response = review(client, query, text)
        counts.append((len(response.context["cards"]), len(queries)))
    (few, few_queries), (many, many_queries) = counts
    assert many > few
    assert many_queries == few_queries


# -- confirming ---------------------------------------------------------------------------


def test_confirm_creates_the_kept_tasks_and_expands_the_communes(
    tree: dict[str, Any], clerk: Any
) -> None:
    client = client_of(clerk)
    query = free(tree["province"])
    response = review(client, query)
    done = confirm(client, query, confirm_data(response))
    assert done.status_code == 302, page(done)
    assert done["Location"] == f"/nhiem-vu/da-giao/?unit={tree['province'].code}"
    tasks = list(Task.objects.order_by("pk"))
    assert [t.lead_unit_id for t in tasks] == [tree["home"].pk, *(u.pk for u in tree["people"])]
    first = tasks[0]
    assert first.assigner_unit == tree["province"]
    assert list(first.coordinating_units.all()) == [tree["justice"]]
    assert first.due_on == dt.date(2027, 6, 30)
    assert first.deliverable == "kế hoạch triển khai"
    assert first.source_kind == SourceKind.OTHER
    assert first.source_paragraph.startswith("Giao Sở Nội vụ chủ trì")
    assert first.source_anchor.startswith("ký tự ")
    assert {t.due_on for t in tasks[1:]} == {dt.date(2027, 7, 15)}
    messages = [str(m) for m in done.wsgi_request._messages]
    assert messages == ["Đã tạo 4 nhiệm vụ."]


def test_relative_and_regular_due_dates_and_several_leads(tree: dict[str, Any], clerk: Any) -> None:
    client = client_of(clerk)
    query = free(tree["province"])
    text = (
        "Giao Sở Tư pháp rà soát quy chế, báo cáo kết quả trong 10 ngày làm việc kể từ ngày"
        " kết thúc hội nghị.\n"
        "Giao Sở Nội vụ và Sở Tư pháp thường xuyên theo dõi, đôn đốc việc thực hiện."
    )
    response = review(client, query, text)
    relative, regular = response.context["cards"]
    assert relative.form.initial["due_working_days"] == 10
    assert relative.form.initial["due_from_date"] == TODAY
    # Ten working days after Friday 15/01/2027 (the day itself not counted).
    assert "hạn là 29/01/2027" in relative.due_note
    assert "thường xuyên" in regular.due_note
    assert "due_on" not in regular.form.initial
    # "Thường xuyên" gives no date: the clerk must write one.
    refused = confirm(client, query, confirm_data(response))
    assert refused.status_code == 400
    assert 'id="id_p2-due_on_error"' in page(refused)
    assert Task.objects.count() == 0
    data = confirm_data(response, p2={"due_on": "30/06/2027", "deliverable": "Báo cáo"})
    assert confirm(client, query, data).status_code == 302
    first, *others = Task.objects.order_by("pk")
    assert (first.due_working_days, first.due_from_date, first.due_on) == (
        10,
        TODAY,
        dt.date(2027, 1, 29),
    )
    # Two lead units named together: one task each.
    assert [t.lead_unit_id for t in others] == [tree["home"].pk, tree["justice"].pk]


def test_dropped_cards_create_nothing(tree: dict[str, Any], clerk: Any) -> None:
    client = client_of(clerk)
    query = free(tree["province"])
    response = review(client, query)
    # A dropped card is not read at all, even with nonsense in it.
    data = confirm_data(response, p2={"keep": "drop", "due_on": "99/99/9999", "deliverable": ""})
    assert confirm(client, query, data).status_code == 302
    assert list(Task.objects.values_list("lead_unit_id", flat=True)) == [tree["home"].pk]
    # Everything dropped: refused with a message on top, nothing more created.
    everything = confirm_data(review(client, query), p1={"keep": "drop"}, p2={"keep": "drop"})
    refused = confirm(client, query, everything)
    assert refused.status_code == 400
    assert "Không còn nhiệm vụ nào được giữ" in page(refused)
    assert Task.objects.count() == 1


def test_one_bad_card_creates_nothing_and_every_problem_shows(
    tree: dict[str, Any], clerk: Any
) -> None:
    client = client_of(clerk)
    query = free(tree["province"])
    response = review(client, query)
    data = confirm_data(
        response,
        p1={"title": "Xây dựng kế hoạch (đã sửa)"},
        p2={"deliverable": "", "expand": None, "due_on": "31/12/2040"},
    )
    data.pop("p2-expand", None)
    refused = confirm(client, query, data)
    assert refused.status_code == 400
    assert Task.objects.count() == 0
    html = page(refused)
    assert 'id="error-summary"' in html
    assert 'id="id_p2-deliverable_error"' in html
    assert 'id="id_p2-leads_error"' in html  # no lead unit once the communes are unticked
    assert 'id="id_p2-due_on_error"' in html  # too far ahead
    assert 'id="id_p1-title_error"' not in html
    assert "Xây dựng kế hoạch (đã sửa)" in html  # what was typed is kept


def test_the_service_refuses_all_when_one_item_is_bad(tree: dict[str, Any], clerk: Any) -> None:
    from danvan.core.errors import DomainError
    from danvan.directives.tasks.sources import ProposedTask, SourceRef

    source = SourceRef(
        kind=SourceKind.OTHER,
        obj=tree["province"],
        unit=tree["province"],
        label="",
        url="/",
        text="",
    )
    good = ProposedTask(
        key="p1",
        lead_unit=tree["home"],
        title="Xây dựng kế hoạch",
        deliverable="Kế hoạch",
        due_on=dt.date(2027, 6, 30),
    )
    bad = ProposedTask(
        key="p2", lead_unit=tree["other_home"], title="", deliverable="", due_on=None
    )
    with pytest.raises(DomainError) as caught:
        task_services.tasks_create_from_proposals(actor=clerk, source=source, items=[good, bad])
    fields = {p.field or "" for p in caught.value.problems}
    assert {"p2-title", "p2-deliverable", "p2-due_on", "p2-lead_unit"} <= fields
    assert not any(f.startswith("p1") for f in fields)
    assert Task.objects.count() == 0
    (task,) = task_services.tasks_create_from_proposals(actor=clerk, source=source, items=[good])
    assert task.source is None  # free text: no record behind it


def test_a_tampered_or_foreign_payload_is_refused(tree: dict[str, Any], clerk: Any) -> None:
    client = client_of(clerk)
    query = free(tree["province"])
    data = confirm_data(review(client, query))
    tampered = {**data, "payload": data["payload"][:-3] + "abc"}
    refused = confirm(client, query, tampered)
    assert refused.status_code == 400
    assert "không hợp lệ" in page(refused)
    # Signed for another user, or for another page: refused too.
    other_clerk = make_user("vanthu-2", Role.OFFICER, tree["province"])
    assert confirm(client_of(other_clerk), query, data).status_code == 400
    communes_query = free(tree["communes"][0])
    assert confirm(client, communes_query, data).status_code == 400
    assert Task.objects.count() == 0
    payload = signing.loads(data["payload"], salt="danvan.directives.proposals.review")
    assert payload["user"] == clerk.pk


def test_a_page_left_open_too_long_is_proposed_again(tree: dict[str, Any], clerk: Any) -> None:
    client = client_of(clerk)
    query = free(tree["province"])
    data = confirm_data(review(client, query))
    with time_machine.travel(dt.datetime(2027, 1, 18, 9, 0, tzinfo=HCM), tick=False):
        # Signed in again (the session ended too), the old page is still refused.
        refused = confirm(client_of(clerk), query, data)
    assert refused.status_code == 400
    assert "mở quá lâu" in page(refused)
    assert Task.objects.count() == 0


def test_a_unit_outside_the_subtree_is_refused_like_a_missing_one(
    tree: dict[str, Any], clerk: Any
) -> None:
    client = client_of(clerk)
    query = free(tree["province"])
    response = review(client, query)
    # Not the clerk's: the picker refuses it.
    data = confirm_data(response, p1={"leads_pick": [tree["other_home"].code]})
    refused = confirm(client, query, data)
    assert refused.status_code == 400
    assert 'id="id_p1-leads_error"' in page(refused)
    # The clerk's too (a grant there), but outside the source unit's subtree: refused.
    grant_create(actor=None, user=clerk, role=Role.OFFICER, unit=tree["other"])
    refused = confirm(client, query, data)
    assert refused.status_code == 400
    assert "Không tìm thấy đơn vị “Sở Nội vụ”" in page(refused)
    assert Task.objects.count() == 0


# -- sources and permissions ---------------------------------------------------------------


def test_from_a_plan(tree: dict[str, Any], clerk: Any) -> None:
    plan = task_services.plan_create(
        actor=clerk, unit=tree["province"], title="Kế hoạch năm 2027", starts_on=TODAY
    )
    client = client_of(clerk)
    query = f"?source=plan&id={plan.public_id}"
    assert 'id="propose-link"' in page(client.get(plan.get_absolute_url()))
    page_ = page(client.get(start_url(query)))
    assert "Kế hoạch năm 2027" in page_
    response = review(client, query)
    done = confirm(client, query, confirm_data(response, p2={"keep": "drop"}))
    assert done["Location"] == plan.get_absolute_url()
    (task,) = Task.objects.all()
    assert (task.plan, task.source_kind, task.source) == (plan, SourceKind.PLAN, plan)


def test_from_a_document_with_its_docx(
    tree: dict[str, Any], clerk: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    document = directive_services.document_register(
        actor=clerk,
        unit=tree["province"],
        data=document_data(),
        file=docx_of(*TEXT.splitlines()),
    )
    client = client_of(clerk)
    query = f"?source=document&id={document.public_id}"
    detail = page(client.get(reverse("directives:detail", args=[document.public_id])))
    assert 'id="propose-link"' in detail
    form = client.get(start_url(query)).context["form"]
    assert "Giao Sở Nội vụ chủ trì" in form.initial["text"]
    response = review(client, query)
    done = confirm(client, query, confirm_data(response, p2={"keep": "drop"}))
    assert done["Location"] == reverse("directives:detail", args=[document.public_id])
    (task,) = Task.objects.all()
    assert (task.source_kind, task.source_document, task.source) == (
        SourceKind.DOCUMENT,
        document,
        document,
    )


def test_who_may_propose(tree: dict[str, Any], clerk: Any) -> None:
    plan = task_services.plan_create(
        actor=clerk, unit=tree["province"], title="Kế hoạch", starts_on=TODAY
    )
    stranger = make_user("canbo-khac", Role.OFFICER, tree["other"])
    reviewer = make_user("thamdinh", Role.REVIEWER, tree["province"])
    for query in (free(tree["province"]), f"?source=plan&id={plan.public_id}"):
        assert Client().get(start_url(query)).status_code == 302
        assert client_of(stranger).get(start_url(query)).status_code == 404
        assert client_of(reviewer).get(start_url(query)).status_code == 403
        assert client_of(stranger).post(start_url(query), {"text": TEXT}).status_code == 404
    for query in ("?source=plan&id=not-a-uuid", "?source=nothing&id=" + str(plan.public_id)):
        assert client_of(clerk).get(start_url(query)).status_code == 404
    assert (
        client_of(clerk).get(reverse("proposals:confirm") + free(tree["province"])).status_code
        == 405
    )


# -- coordinating collectives (issue 12: "phối hợp với UBND các xã") ------------------------


def test_a_coordinating_collective_expands_to_the_communes_on_confirmation(
    tree: dict[str, Any], clerk: Any
) -> None:
    client = client_of(clerk)
    query = free(tree["province"])
    text = (
        "Giao Sở Nội vụ chủ trì, phối hợp với UBND các xã tổ chức đối thoại với Nhân dân,"
        " báo cáo kết quả trước ngày 30/6/2027.\n"
        "Giao Sở Tư pháp chủ trì, phối hợp với các xã, phường rà soát hương ước, quy ước,"
        " báo cáo kết quả trước ngày 31/7/2027."
    )
    response = review(client, query, text)
    first, second = response.context["cards"]
    html = page(response)
    # Shown before confirming: how many units, and which.
    assert "“UBND các xã” (3 đơn vị)" in html
    assert "“các xã, phường” (3 đơn vị)" in html
    assert "Ủy ban nhân dân xã Tân Cương" in html
    assert sorted(first.coordinating_collective) == sorted(u.pk for u in tree["people"])
    assert sorted(second.coordinating_collective) == sorted(u.pk for u in tree["communes"])
    assert Task.objects.count() == 0
    done = confirm(client, query, confirm_data(response))
    assert done.status_code == 302, page(done)
    home, justice = Task.objects.order_by("pk")
    assert home.lead_unit == tree["home"]
    assert set(home.coordinating_units.all()) == set(tree["people"])
    assert justice.lead_unit == tree["justice"]
    assert set(justice.coordinating_units.all()) == set(tree["communes"])


def test_a_coordinating_collective_left_unexpanded_adds_nobody(
    tree: dict[str, Any], clerk: Any
) -> None:
    client = client_of(clerk)
    query = free(tree["province"])
    text = (
        "Giao Sở Nội vụ chủ trì, phối hợp với Sở Tư pháp và UBND các xã tổ chức đối thoại,"
        " báo cáo kết quả trước ngày 30/6/2027."
    )
    response = review(client, query, text)
    done = confirm(client, query, confirm_data(response, p1={"expand_coordinating": None}))
    assert done.status_code == 302, page(done)
    (task,) = Task.objects.all()
    assert list(task.coordinating_units.all()) == [tree["justice"]]


def test_a_coordinating_collective_never_includes_the_lead(
    tree: dict[str, Any], clerk: Any
) -> None:
    client = client_of(clerk)
    query = free(tree["province"])
    text = (
        "Giao UBND xã Tân Cương chủ trì, phối hợp với UBND các xã xây dựng mô hình điểm,"
        " báo cáo kết quả trước ngày 30/6/2027."
    )
    response = review(client, query, text)
    done = confirm(client, query, confirm_data(response))
    assert done.status_code == 302, page(done)
    (task,) = Task.objects.all()
    assert task.lead_unit == tree["people"][0]
    assert set(task.coordinating_units.all()) == set(tree["people"][1:])


def test_collective_lead_and_coordinating_pair_by_commune(tree: dict[str, Any], clerk: Any) -> None:
    """ "UBND các xã chủ trì, phối hợp với các xã, phường": each commune's task has its own
    commune as the coordinating unit, not every commune."""
    client = client_of(clerk)
    query = free(tree["province"])
    text = (
        "Giao UBND các xã chủ trì, phối hợp với các xã, phường tổ chức đối thoại, báo cáo"
        " kết quả trước ngày 30/6/2027."
    )
    response = review(client, query, text)
    done = confirm(client, query, confirm_data(response))
    assert done.status_code == 302, page(done)
    tasks = list(Task.objects.order_by("pk"))
    assert [t.lead_unit for t in tasks] == tree["people"]
    for task, commune in zip(tasks, tree["communes"], strict=True):
        assert list(task.coordinating_units.all()) == [commune]


# -- relative due dates count from the source's date (issue 12) ------------------------------

RELATIVE = (
    "Giao Sở Tư pháp rà soát quy chế, báo cáo kết quả trong 10 ngày làm việc kể từ ngày"
    " kết thúc hội nghị.\n"
    "Giao Sở Nội vụ xây dựng kế hoạch triển khai trong 30 ngày kể từ ngày ký."
)


def _conference(tree: dict[str, Any], clerk: Any, *, notice_on: dt.date | None) -> Any:
    from danvan.directives.conferences import services as conference_services
    from danvan.directives.conferences.models import Conference, ConferenceKind

    conference = conference_services.conference_create(
        actor=clerk,
        unit=tree["province"],
        data={
            "kind": ConferenceKind.THEMATIC,
            "title": "Hội nghị chuyên đề dân chủ ở cơ sở",
            "held_on": dt.date(2027, 1, 4),  # a Monday, eleven days before "today"
            "place": "Hội trường",
            "online": False,
            "chair": None,
            "agenda": "",
        },
    )
    conference_services.conference_conclude(actor=clerk, conference=conference, conclusion=RELATIVE)
    if notice_on is not None:  # the notice's other fields do not matter here
        Conference.objects.filter(pk=conference.pk).update(notice_on=notice_on)
    return conference


def test_relative_dues_count_from_the_conference_not_today(
    tree: dict[str, Any], clerk: Any
) -> None:
    conference = _conference(tree, clerk, notice_on=dt.date(2027, 1, 6))
    client = client_of(clerk)
    query = f"?source=conference&id={conference.public_id}"
    assert RELATIVE.splitlines()[0] in client.get(start_url(query)).context["form"].initial["text"]
    response = review(client, query, RELATIVE)
    working, calendar = response.context["cards"]
    # Ten working days from the conference (Monday 04/01/2027), not from today (15/01).
    assert working.form.initial["due_from_date"] == dt.date(2027, 1, 4)
    assert "ngày hội nghị 04/01/2027" in working.due_note
    assert "hạn là 18/01/2027" in working.due_note
    # "kể từ ngày ký": the conclusion notice's date, 06/01/2027, plus 30 days.
    assert calendar.form.initial["due_on"] == dt.date(2027, 2, 5)
    assert "ngày ký thông báo kết luận 06/01/2027" in calendar.due_note
    done = confirm(client, query, confirm_data(response))
    assert done.status_code == 302, page(done)
    first, second = Task.objects.order_by("pk")
    assert (first.due_from_date, first.due_on) == (dt.date(2027, 1, 4), dt.date(2027, 1, 18))
    assert second.due_on == dt.date(2027, 2, 5)


def test_signing_counts_from_the_conference_when_no_notice_is_dated(
    tree: dict[str, Any], clerk: Any
) -> None:
    conference = _conference(tree, clerk, notice_on=None)
    client = client_of(clerk)
    response = review(client, f"?source=conference&id={conference.public_id}", RELATIVE)
    _working, calendar = response.context["cards"]
    assert calendar.form.initial["due_on"] == dt.date(2027, 2, 3)  # 04/01 + 30 days


def test_relative_dues_count_from_the_documents_issue_date(
    tree: dict[str, Any], clerk: Any
) -> None:
    document = directive_services.document_register(
        actor=clerk, unit=tree["province"], data=document_data(issued_on=dt.date(2027, 1, 6))
    )
    client = client_of(clerk)
    response = review(client, f"?source=document&id={document.public_id}", RELATIVE)
    working, calendar = response.context["cards"]
    assert working.form.initial["due_from_date"] == dt.date(2027, 1, 6)
    assert "ngày ban hành văn bản 06/01/2027" in working.due_note
    assert calendar.form.initial["due_on"] == dt.date(2027, 2, 5)
