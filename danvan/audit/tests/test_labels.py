"""Every field of every kind of record has a label on the trail page, and the page of a
unit that held an evaluation round answers (issue 11: it answered 500, the label of a
reverse relation)."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.db.models import Model
from django.test import Client

from danvan.accounts.models import Role
from danvan.accounts.testing import login_verified, make_user
from danvan.audit import display
from danvan.audit.models import AuditEvent
from danvan.movement.evaluation import services as evaluation
from danvan.movement.tests.evaluation_factories import (
    open_round,
    reviewer,
    score,
    submitted_entry,
)
from danvan.units.models import Unit

pytestmark = pytest.mark.django_db

URL = "/nhat-ky/"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_trail_of_a_unit_with_an_evaluation_round_answers(commune: Unit) -> None:
    """A round opened, scored, submitted and confirmed through the services, then the unit
    administrator of that unit reads the trail: every event of the round in Vietnamese."""
    entry = submitted_entry("Dân vận khéo ở thôn Đồng Tâm", commune)
    judge = reviewer("xa-giamkhao", commune)
    evaluation_round = open_round(commune, [entry], [judge])
    score(evaluation_round, judge, entry, ["9", "18", "9"])
    evaluation.round_submit(actor=judge, evaluation_round=evaluation_round)
    assert AuditEvent.objects.filter(model_label="movement.evaluationround").exists()
    assert AuditEvent.objects.filter(model_label="movement.score").exists()

    admin = make_user("xa-quantri", Role.UNIT_ADMIN, commune)
    client = Client()
    login_verified(client, admin)
    response = client.get(URL)
    assert response.status_code == 200
    text = _text(response.content.decode())
    assert "Đợt đánh giá" in text or "đợt đánh giá" in text
    assert "Dân vận khéo ở thôn Đồng Tâm" in text
    # Every event of the round is listed with its fields named, none by its code name.
    response = client.get(URL, {"model_label": "movement.evaluationround"})
    assert response.status_code == 200
    for _event, lines in response.context["rows"]:
        for line in lines:
            assert not re.fullmatch(r"[A-Za-z0-9_ ]+", line.field), line.field


def _labelled_models() -> list[type[Model]]:
    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith("danvan.") or model._meta.app_label == "otp_totp"
    ]


@pytest.mark.parametrize("model", _labelled_models(), ids=lambda m: m._meta.label_lower)
def test_every_field_and_relation_has_a_vietnamese_label(model: type[Model]) -> None:
    """Forward fields, their columns (``unit_id``), reverse relations of every kind (one
    to many, one to one, many to many: ``Unit.successions_out`` raised AttributeError) and
    many-to-many fields: a label that is not the code's English name, and never an error."""
    names: set[str] = set()
    for field in model._meta.get_fields(include_hidden=True):
        names.add(field.name)
        column = getattr(field, "attname", None)  # unit_id beside unit
        if column:
            names.add(column)
    for name in sorted(names):
        if name.endswith("+"):
            continue  # a hidden reverse relation: no attribute, never in a trail
        label = display.field_title(model, name)
        assert label, (model, name)
        assert not re.fullmatch(r"[A-Za-z0-9_ ]+", label), (model._meta.label_lower, name, label)


def test_an_unknown_key_falls_back_to_itself() -> None:
    """A key that is no field of the model (an old trail row) reads as written."""
    model = apps.get_model("units.unit")
    assert display.field_title(model, "no_such_field") == "No_such_field"
    assert display.field_title(None, "x") == "X"


def test_a_reverse_many_to_many_in_a_trail_row_reads(commune: Unit) -> None:
    """The values of a reverse many-to-many key (an old row, a service's extra key) are
    shown as written, the key by the model on the other side."""
    event = AuditEvent.objects.create(
        action="update",
        model_label="units.unit",
        object_pk=str(commune.pk),
        object_repr=commune.name,
        unit_id=commune.pk,
        unit_path=commune.path,
        changes={"successions_out": [None, [1, 2]], "co_entries": [[3], []]},
    )
    lines = display.change_lines([event])[event.pk]
    assert [(line.old, line.new) for line in lines] == [
        ("3", display.EMPTY),
        (display.EMPTY, "1 | 2"),
    ]
    assert all(not re.fullmatch(r"[A-Za-z0-9_ ]+", line.field) for line in lines)
