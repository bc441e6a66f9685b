"""The evaluation pages: access walks, what a reviewer may see, scoring, confirmation, criteria."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from danvan.accounts.models import Role, User
from danvan.accounts.testing import READ_SCOPED, build_cast, login_verified, make_user, walk
from danvan.movement.evaluation import services as evaluation
from danvan.movement.models import (
    CriteriaSet,
    Decision,
    Entry,
    EvaluationRound,
    Period,
    RoundReviewer,
    Score,
    Status,
)
from danvan.units.models import Unit
from danvan.worklist.models import Notice

from .evaluation_factories import (
    candidate_of,
    criteria_of,
    criteria_set,
    open_round,
    reviewer,
    score,
    submitted_entry,
)

pytestmark = pytest.mark.django_db

# Every signed-in user may open the list; what it shows is scoped.
LIST_OPEN = {**READ_SCOPED, "sibling": 200}
# Officers (no EVALUATION_ADMIN) and reviewers who are not in the round see nothing.
ONLY_ADMIN = {"anonymous": 302, "same": 404, "sibling": 404, "parent": 404, "admin": 200}


def client_for(user: User) -> Client:
    client = Client()
    login_verified(client, user)
    return client


def detail_url(evaluation_round: EvaluationRound) -> str:
    return reverse("movement:round_detail", kwargs={"public_id": evaluation_round.public_id})


def score_url(evaluation_round: EvaluationRound, entry: Entry) -> str:
    return reverse(
        "movement:round_score",
        kwargs={"public_id": evaluation_round.public_id, "entry_id": entry.public_id},
    )


def score_post(
    evaluation_round: EvaluationRound, entry: Entry, points: list[Any], comment: str = ""
) -> dict[str, Any]:
    prefix = f"c{candidate_of(evaluation_round, entry).pk}"
    data: dict[str, Any] = {}
    for criterion, value in zip(criteria_of(evaluation_round), points, strict=True):
        data[f"{prefix}-points_{criterion.pk}"] = value
        data[f"{prefix}-comment_{criterion.pk}"] = comment
    return data


@pytest.fixture
def commune_round(commune: Unit) -> tuple[EvaluationRound, list[User], list[Entry]]:
    judges = [reviewer("gk-xa-1", commune), reviewer("gk-xa-2", commune)]
    entries = [submitted_entry("Mô hình Dân vận khéo số 1", commune)]
    return open_round(commune, entries, judges, name="Đợt xã 2025"), judges, entries


@pytest.fixture
def province_admin(thai_nguyen: Unit) -> User:
    return make_user("qt-tinh", Role.UNIT_ADMIN, thai_nguyen)


# -- access walks --------------------------------------------------------------------------


def test_rounds_list_access_walk_and_scoping(commune: Unit, commune_round: Any) -> None:
    evaluation_round, judges, _ = commune_round
    cast = build_cast(commune, role=Role.UNIT_ADMIN)
    url = reverse("movement:rounds")
    walk(cast, url, expect=LIST_OPEN)
    for actor, sees in (("same", True), ("parent", True), ("admin", True), ("sibling", False)):
        page = cast.client(actor).get(url).content.decode()
        assert (evaluation_round.name in page) is sees, actor
    # A reviewer sees the rounds they are in, and only those.
    assert evaluation_round.name in client_for(judges[0]).get(url).content.decode()
    outsider = reviewer("gk-khac", commune)
    assert evaluation_round.name not in client_for(outsider).get(url).content.decode()


def test_round_detail_access_walk(commune: Unit, commune_round: Any) -> None:
    evaluation_round, judges, _ = commune_round
    url = detail_url(evaluation_round)
    walk(build_cast(commune, role=Role.UNIT_ADMIN), url, expect=READ_SCOPED)
    walk(build_cast(commune, role=Role.OFFICER, tag="o"), url, expect=ONLY_ADMIN)
    # Reviewers around the commune who are not in this round: as if it did not exist.
    walk(build_cast(commune, role=Role.REVIEWER, tag="r"), url, expect=ONLY_ADMIN)
    assert client_for(judges[0]).get(url).status_code == 200


def test_round_api_detail_access_walk(commune: Unit, commune_round: Any) -> None:
    evaluation_round, _, _ = commune_round
    url = f"/api/v1/movement/rounds/{evaluation_round.public_id}"
    walk(
        build_cast(commune, role=Role.UNIT_ADMIN),
        url,
        expect={**READ_SCOPED, "anonymous": 401},
        api=True,
    )
    walk(
        build_cast(commune, role=Role.REVIEWER, tag="r"),
        url,
        expect={**ONLY_ADMIN, "anonymous": 401},
        api=True,
    )


def test_action_pages_answer_403_to_those_who_see_the_round(
    commune: Unit, commune_round: Any
) -> None:
    evaluation_round, judges, entries = commune_round
    admin = make_user("qt-xa", Role.UNIT_ADMIN, commune)
    # The administrator is no reviewer: scoring and submitting are refused.
    response = client_for(admin).post(
        score_url(evaluation_round, entries[0]), score_post(evaluation_round, entries[0], [1, 1, 1])
    )
    assert response.status_code == 403
    submit = reverse("movement:round_submit", kwargs={"public_id": evaluation_round.public_id})
    assert client_for(admin).post(submit).status_code == 403
    # A reviewer may not confirm.
    confirm = reverse("movement:round_confirm", kwargs={"public_id": evaluation_round.public_id})
    assert client_for(judges[0]).get(confirm).status_code == 403
    # Someone of a sibling commune sees nothing.
    stranger = make_user("qt-xa-ben", Role.UNIT_ADMIN, Unit.objects.get(pk=_sibling(commune).pk))
    assert client_for(stranger).get(confirm).status_code == 404
    response = client_for(stranger).post(
        score_url(evaluation_round, entries[0]), score_post(evaluation_round, entries[0], [1, 1, 1])
    )
    assert response.status_code == 404
    assert not Score.objects.exists()


def _sibling(commune: Unit) -> Unit:
    return Unit.objects.filter(parent=commune.parent, kind=commune.kind).exclude(pk=commune.pk)[0]


# -- what a reviewer sees -------------------------------------------------------------------


def test_reviewer_sees_only_own_scores_until_submitting(commune: Unit, commune_round: Any) -> None:
    evaluation_round, (first, second), (entry,) = commune_round
    score(evaluation_round, first, entry, [9, 17, 9], comment="Nhận xét riêng của GK một")
    score(evaluation_round, second, entry, [3, 4, 5], comment="Ý kiến của GK hai")
    # 9·2+17+9 = 44 of 50 = 88%; 3·2+4+5 = 15 of 50 = 30%.
    page = client_for(second).get(detail_url(evaluation_round)).content.decode()
    assert "Ý kiến của GK hai" in page
    assert "30%" in page
    assert "Nhận xét riêng của GK một" not in page
    assert "88%" not in page
    assert 'id="results-table"' not in page

    evaluation.round_submit(actor=second, evaluation_round=evaluation_round)
    page = client_for(second).get(detail_url(evaluation_round)).content.decode()
    assert 'id="results-table"' in page
    assert "88%" not in page  # the first reviewer has not submitted: a draft, not shown
    evaluation.round_submit(actor=first, evaluation_round=evaluation_round)
    page = client_for(second).get(detail_url(evaluation_round)).content.decode()
    assert "88%" in page  # now the others' totals …
    assert "Nhận xét riêng của GK một" not in page  # … but never their comments
    assert "59%" in page  # the mean of 88 and 30
    assert "chênh lệch lớn" in page  # 58 points apart, threshold 20

    # The administrator sees everything, drafts included.
    admin = make_user("qt-xa", Role.UNIT_ADMIN, commune)
    page = client_for(admin).get(detail_url(evaluation_round)).content.decode()
    assert "88%" in page
    assert "30%" in page


# -- scoring through the page ----------------------------------------------------------------


def test_scoring_card_saves_through_htmx_and_refuses_points_above_maximum(
    commune_round: Any,
) -> None:
    evaluation_round, (first, _), (entry,) = commune_round
    client = client_for(first)
    url = score_url(evaluation_round, entry)
    htmx = {"HX-Request": "true", "HX-Target": f"score-{candidate_of(evaluation_round, entry).pk}"}

    refused = client.post(url, score_post(evaluation_round, entry, [5, 25, 5]), headers=htmx)
    assert refused.status_code == 200  # htmx swaps only successful answers
    body = refused.content.decode()
    assert "vượt quá điểm tối đa (20)" in body
    assert "<html" not in body
    assert not Score.objects.exists()

    saved = client.post(url, score_post(evaluation_round, entry, [5, 10, 5]), headers=htmx)
    assert "Đã lưu điểm" in saved.content.decode()
    assert "50%" in saved.content.decode()  # (10+10+5)/50
    assert Score.objects.count() == 3

    # Without JavaScript: a redirect back, or the whole page with the error (400).
    plain = client.post(url, score_post(evaluation_round, entry, [6, 10, 5]))
    assert plain.status_code == 302
    bad = client.post(url, score_post(evaluation_round, entry, [-1, 10, 5]))
    assert bad.status_code == 400
    assert "không được âm" in bad.content.decode()
    assert sorted(Score.objects.values_list("points", flat=True)) == [5, 6, 10]


def test_submit_through_the_page(commune_round: Any) -> None:
    evaluation_round, (first, _), (entry,) = commune_round
    client = client_for(first)
    submit = reverse("movement:round_submit", kwargs={"public_id": evaluation_round.public_id})
    client.post(submit)
    assert RoundReviewer.objects.get(user=first).submitted_at is None  # nothing scored yet
    score(evaluation_round, first, entry, [1, 2, 3])
    assert client.post(submit).status_code == 302
    assert RoundReviewer.objects.get(user=first).submitted_at is not None
    # The scoring form is gone; the scores are shown read-only.
    page = client.get(detail_url(evaluation_round)).content.decode()
    assert "Lưu điểm" not in page
    assert "Bạn đã nộp phiếu chấm" in page


# -- opening and confirming through the pages ---------------------------------------------------


def test_admin_opens_a_round_through_the_page(
    thai_nguyen: Unit, commune: Unit, province_admin: User
) -> None:
    entry = submitted_entry("Mô hình chờ đánh giá", commune)
    judge = reviewer("gk-tinh", thai_nguyen)
    cset = criteria_set(owner=thai_nguyen)
    client = client_for(province_admin)
    url = reverse("movement:round_create")
    page = client.get(url)
    assert page.status_code == 200
    assert entry.name in page.content.decode()
    data = {
        "name": "Đánh giá năm 2025",
        "year": 2025,
        "criteria_set": cset.pk,
        "pass_mark": "50",
        "exemplary_mark": "80",
        "disagreement_threshold": "20",
        "reviewers": [judge.pk],
    }
    missing = client.post(f"{url}?unit={thai_nguyen.code}", data)
    assert missing.status_code == 400
    assert "Chọn ít nhất một mô hình" in missing.content.decode()
    created = client.post(f"{url}?unit={thai_nguyen.code}", {**data, "candidates": [entry.pk]})
    assert created.status_code == 302
    evaluation_round = EvaluationRound.objects.get()
    assert created["Location"] == detail_url(evaluation_round)
    assert evaluation_round.level_unit == thai_nguyen
    # An officer is no administrator.
    officer = make_user("can-bo", Role.OFFICER, thai_nguyen)
    assert client_for(officer).get(url).status_code == 403


def test_opening_a_round_reports_the_form_and_the_service_in_one_answer(
    thai_nguyen: Unit, commune: Unit, province_admin: User
) -> None:
    """A missing name (the form's own rule) and the service's rules on the year and the
    marks come back together from one POST: 400, nothing written, what was typed kept."""
    entry = submitted_entry("Mô hình chờ đánh giá", commune)
    judge = reviewer("gk-tinh", thai_nguyen)
    cset = criteria_set(owner=thai_nguyen)
    last = timezone.localdate().year + 1
    url = f"{reverse('movement:round_create')}?unit={thai_nguyen.code}"
    response = client_for(province_admin).post(
        url,
        {
            "name": "",
            "year": last + 1,
            "criteria_set": cset.pk,
            "pass_mark": "60",
            "exemplary_mark": "50",
            "disagreement_threshold": "150",
            "candidates": [entry.pk],
            "reviewers": [judge.pk],
        },
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors == {
        "name": ["Nhập tên đợt đánh giá."],
        "year": [f"Năm phải từ 2000 đến năm sau ({last}); bạn nhập {last + 1}."],
        "exemplary_mark": [
            "Điểm tiêu biểu không được thấp hơn điểm đạt (60): nhập từ 60 đến 100, "
            "hoặc để trống nếu không chọn điển hình."
        ],
        "disagreement_threshold": [
            "Ngưỡng chênh lệch phải từ 0 đến 100, tối đa hai chữ số thập phân."
        ],
    }
    assert not EvaluationRound.objects.exists()
    assert not RoundReviewer.objects.exists()
    assert not Notice.objects.exists()
    assert form["disagreement_threshold"].value() == "150"
    assert form["exemplary_mark"].value() == "50"


def test_a_period_that_does_not_hold_the_year_says_which_years_it_holds(
    thai_nguyen: Unit, commune: Unit, province_admin: User
) -> None:
    entry = submitted_entry("Mô hình chờ đánh giá", commune)
    judge = reviewer("gk-tinh", thai_nguyen)
    period = Period.objects.get(name="2016–2020")
    url = f"{reverse('movement:round_create')}?unit={thai_nguyen.code}"
    response = client_for(province_admin).post(
        url,
        {
            "name": "Đánh giá năm 2025",
            "year": 2025,
            "period": period.pk,
            "criteria_set": criteria_set(owner=thai_nguyen).pk,
            "pass_mark": "50",
            "disagreement_threshold": "20",
            "candidates": [entry.pk],
            "reviewers": [judge.pk],
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "period": [
            "Năm 2025 không thuộc giai đoạn 2016–2020: chọn năm từ 2016 đến 2020 "
            "hoặc để trống giai đoạn (theo năm đánh giá)."
        ]
    }
    assert not EvaluationRound.objects.exists()


def test_confirm_through_the_page_all_or_nothing(
    thai_nguyen: Unit, commune: Unit, province_admin: User
) -> None:
    judge = reviewer("gk-tinh", thai_nguyen)
    good, weak = submitted_entry("Mô hình tốt", commune), submitted_entry("Mô hình yếu", commune)
    evaluation_round = open_round(thai_nguyen, [good, weak], [judge])
    score(evaluation_round, judge, good, [8, 16, 8])  # 80% → exemplary
    score(evaluation_round, judge, weak, [2, 4, 2])  # 20% → not recognized
    evaluation.round_submit(actor=judge, evaluation_round=evaluation_round)
    client = client_for(province_admin)
    url = reverse("movement:round_confirm", kwargs={"public_id": evaluation_round.public_id})
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    data = {
        name: field.initial for name, field in form.fields.items() if name.startswith("outcome_")
    }
    assert sorted(data.values()) == ["exemplary", "not_recognized"]
    data.update(issued_on="20/11/2025", issuer="UBND tỉnh Thái Nguyên", form="decision")
    bad = client.post(url, {**data, "number": "số sai"})
    assert bad.status_code == 400
    assert not Decision.objects.exists()
    assert Entry.objects.get(pk=good.pk).status == Status.SUBMITTED
    done = client.post(url, {**data, "number": "15/QĐ-UBND"})
    assert done.status_code == 302
    assert Entry.objects.get(pk=good.pk).status == Status.EXEMPLARY
    assert Entry.objects.get(pk=weak.pk).status == Status.NOT_RECOGNIZED
    assert "15/QĐ-UBND" in client.get(detail_url(evaluation_round)).content.decode()
    # Confirmed: the confirmation page sends back to the round.
    assert client.get(url).status_code == 302


# -- constant queries --------------------------------------------------------------------------


@pytest.mark.parametrize("viewer", ["admin", "reviewer"])
def test_round_detail_runs_constant_queries(
    thai_nguyen: Unit, commune: Unit, province_admin: User, viewer: str
) -> None:
    judges = [reviewer("gk-1", thai_nguyen), reviewer("gk-2", thai_nguyen)]

    def build(n: int, tag: str) -> EvaluationRound:
        entries = [submitted_entry(f"Mô hình {tag} {i:02d}", commune) for i in range(n)]
        evaluation_round = open_round(thai_nguyen, entries, judges, name=f"Đợt {tag}")
        for i, entry in enumerate(entries):
            score(evaluation_round, judges[0], entry, [i % 10, 10, 5], comment="ok")
            score(evaluation_round, judges[1], entry, [5, (i * 3) % 20, 7])
        evaluation.round_submit(actor=judges[0], evaluation_round=evaluation_round)
        return evaluation_round

    small, large = build(5, "nhỏ"), build(20, "lớn")
    client = client_for(province_admin if viewer == "admin" else judges[0])
    counts = []
    for evaluation_round in (small, large):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(detail_url(evaluation_round))
        assert response.status_code == 200
        assert 'id="results-table"' in response.content.decode()
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert len(response.context["results"].rows) == 20


def test_rounds_list_runs_constant_queries(
    thai_nguyen: Unit, commune: Unit, province_admin: User
) -> None:
    judge = reviewer("gk-1", thai_nguyen)
    client = client_for(province_admin)
    url = reverse("movement:rounds")
    counts = []
    for batch in range(2):
        for i in range(3 if batch == 0 else 12):
            entry = submitted_entry(f"Mô hình {batch}-{i}", commune)
            open_round(thai_nguyen, [entry], [judge], name=f"Đợt {batch}-{i}")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert len(response.context["page"].object_list) == 15


# -- criteria sets -------------------------------------------------------------------------------


def _criteria_post(rows: list[tuple[str, str, str]], **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "criteria-TOTAL_FORMS": len(rows) + 1,
        "criteria-INITIAL_FORMS": 0,
        "criteria-MIN_NUM_FORMS": 0,
        "criteria-MAX_NUM_FORMS": 60,
        **extra,
    }
    for i, (name, weight, maximum) in enumerate(rows):
        data.update(
            {
                f"criteria-{i}-order": i + 1,
                f"criteria-{i}-name": name,
                f"criteria-{i}-weight": weight,
                f"criteria-{i}-max_points": maximum,
            }
        )
    return data


def test_province_admin_enters_its_guidance_without_a_deploy(
    thai_nguyen: Unit, commune: Unit, province_admin: User
) -> None:
    client = client_for(province_admin)
    url = reverse("movement:criteria_create")
    assert client.get(url).status_code == 200
    bad = client.post(
        url,
        _criteria_post(
            [("Hiệu quả", "2", "10"), ("Lan tỏa", "", "10")],
            owner=thai_nguyen.code,
            name="Hướng dẫn 05-HD/BDVTU",
        ),
    )
    assert bad.status_code == 400
    assert "Nhập trọng số" in bad.content.decode()
    assert not CriteriaSet.objects.filter(owner=thai_nguyen).exists()
    done = client.post(
        url,
        _criteria_post(
            [("Hiệu quả", "2", "10"), ("Lan tỏa", "1.5", "10")],
            owner=thai_nguyen.code,
            name="Hướng dẫn 05-HD/BDVTU",
            source="Hướng dẫn số 05-HD/BDVTU",
            is_active="on",
        ),
    )
    assert done.status_code == 302
    created = CriteriaSet.objects.get(owner=thai_nguyen)
    assert [(c.name, c.weight) for c in created.criteria.all()] == [
        ("Hiệu quả", Decimal(2)),
        ("Lan tỏa", Decimal("1.5")),
    ]
    listing = client.get(reverse("movement:criteria_list")).content.decode()
    assert "Hướng dẫn 05-HD/BDVTU" in listing
    # A province admin may not create national sets: the choice is not offered.
    national = client.post(url, _criteria_post([("x", "1", "1")], owner="national", name="Q"))
    assert national.status_code == 400
    # A commune's administrator sees the province's set and can use it, but not edit it.
    commune_admin = make_user("qt-xa", Role.UNIT_ADMIN, commune)
    edit = reverse("movement:criteria_edit", kwargs={"pk": created.pk})
    assert client_for(commune_admin).get(edit).status_code == 403
    other = make_user("qt-ha-noi", Role.UNIT_ADMIN, Unit.objects.get(code="01"))
    assert client_for(other).get(edit).status_code == 404
    officer = make_user("can-bo", Role.OFFICER, thai_nguyen)
    assert client_for(officer).get(url).status_code == 403


def test_criteria_edit_page_changes_wording_and_copies(
    thai_nguyen: Unit, province_admin: User
) -> None:
    cset = criteria_set(owner=thai_nguyen)
    client = client_for(province_admin)
    edit = reverse("movement:criteria_edit", kwargs={"pk": cset.pk})
    page = client.get(edit)
    assert page.status_code == 200
    formset = page.context["formset"]
    data: dict[str, Any] = {
        "name": "Tên mới",
        "source": "",
        "is_active": "on",
        "criteria-TOTAL_FORMS": formset.total_form_count(),
        "criteria-INITIAL_FORMS": formset.initial_form_count(),
        "criteria-MIN_NUM_FORMS": 0,
        "criteria-MAX_NUM_FORMS": 60,
    }
    for i, form in enumerate(formset.forms):
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if value is not None and name != "DELETE":
                data[f"criteria-{i}-{name}"] = value
    data["criteria-0-name"] = "Hiệu quả thiết thực, rõ rệt"
    data["criteria-2-DELETE"] = "on"
    response = client.post(edit, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    cset.refresh_from_db()
    assert cset.name == "Tên mới"
    assert [c.name for c in cset.criteria.all()] == [
        "Hiệu quả thiết thực, rõ rệt",
        "Huy động lực lượng",
    ]
    copy = client.get(reverse("movement:criteria_create") + f"?from={cset.pk}")
    assert "Hiệu quả thiết thực, rõ rệt" in copy.content.decode()


def test_criteria_list_access_walk(commune: Unit) -> None:
    walk(
        build_cast(commune, role=Role.UNIT_ADMIN),
        reverse("movement:criteria_list"),
        expect=LIST_OPEN,
    )


def test_decision_date_in_the_future_is_refused_on_the_page(
    thai_nguyen: Unit, commune: Unit, province_admin: User
) -> None:
    judge = reviewer("gk-tinh", thai_nguyen)
    entry = submitted_entry("Mô hình tốt", commune)
    evaluation_round = open_round(thai_nguyen, [entry], [judge])
    score(evaluation_round, judge, entry, [8, 16, 8])
    evaluation.round_submit(actor=judge, evaluation_round=evaluation_round)
    url = reverse("movement:round_confirm", kwargs={"public_id": evaluation_round.public_id})
    candidate = candidate_of(evaluation_round, entry)
    response = client_for(province_admin).post(
        url,
        {
            f"outcome_{candidate.pk}": "recognized",
            "number": "15/QĐ-UBND",
            "issued_on": f"{dt.date.today() + dt.timedelta(days=30):%d/%m/%Y}",  # noqa: DTZ011
            "issuer": "UBND tỉnh",
            "form": "decision",
        },
    )
    assert response.status_code == 400
    assert Entry.objects.get(pk=entry.pk).status == Status.SUBMITTED


def test_cancel_through_the_page_and_the_api(commune: Unit, commune_round: Any) -> None:
    evaluation_round, judges, _entries = commune_round
    admin = make_user("qt-xa-huy", Role.UNIT_ADMIN, commune)
    url = reverse("movement:round_cancel", kwargs={"public_id": evaluation_round.public_id})
    # A reviewer may not cancel; someone of a sibling commune does not see the round.
    assert client_for(judges[0]).get(url).status_code == 403
    stranger = make_user("qt-xa-ben-huy", Role.UNIT_ADMIN, _sibling(commune))
    assert client_for(stranger).post(url, {"reason": "x"}).status_code == 404
    page = client_for(admin)
    assert "Hủy đợt" in page.get(detail_url(evaluation_round)).content.decode()
    # No reason: the form answers 400 with a Vietnamese error, nothing changes.
    refused = page.post(url, {"reason": ""})
    assert refused.status_code == 400
    assert "error-summary" in refused.content.decode()
    evaluation_round.refresh_from_db()
    assert evaluation_round.state == EvaluationRound.State.OPEN
    done = page.post(url, {"reason": "Chọn nhầm mô hình"}, follow=True)
    assert done.status_code == 200
    assert "Chọn nhầm mô hình" in done.content.decode()
    evaluation_round.refresh_from_db()
    assert evaluation_round.state == EvaluationRound.State.CANCELLED
    # The page no longer offers to confirm or cancel; the API shows the reason and
    # refuses to cancel twice.
    assert url not in page.get(detail_url(evaluation_round)).content.decode()
    api = f"/api/v1/movement/rounds/{evaluation_round.public_id}"
    body = page.get(api).json()
    assert (body["state"], body["cancel_reason"]) == ("cancelled", "Chọn nhầm mô hình")
    again = page.post(f"{api}/cancel", {"reason": "lại"}, content_type="application/json")
    assert again.status_code in (400, 409)
    assert again["Content-Type"].startswith("application/problem+json")
