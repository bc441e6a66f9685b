"""Every text the API accepts has a limit; an over-long or NUL-bearing text is refused
with a Vietnamese reason before any service runs, and nothing is saved."""

from __future__ import annotations

import datetime as dt
import types
import typing
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from annotated_types import MaxLen
from django.test import Client
from pydantic import BaseModel

from danvan.accounts.models import Role, User
from danvan.accounts.testing import make_user
from danvan.api.api import api
from danvan.core.validation import TEXT_LIMIT
from danvan.movement.models import Entry, Field
from danvan.units.models import Unit

from .helpers import assert_problem, bearer
from .test_movement_api import ENTRIES, new_entry

MID_2026 = dt.datetime(2026, 6, 15, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def _unbounded(ann: Any, metadata: list[Any], where: str, seen: set[type]) -> list[str]:
    """The places under *ann* where a str has no max_length."""
    origin = typing.get_origin(ann)
    if origin is typing.Annotated:
        inner, *extra = typing.get_args(ann)
        more = [m for e in extra for m in getattr(e, "metadata", [e])]
        return _unbounded(inner, [*metadata, *more], where, seen)
    if ann is str:
        return [] if any(isinstance(m, MaxLen) for m in metadata) else [where]
    if origin in (typing.Union, types.UnionType):
        return [w for a in typing.get_args(ann) for w in _unbounded(a, metadata, where, seen)]
    if origin in (list, tuple, set):
        args = [a for a in typing.get_args(ann) if a is not Ellipsis]
        return [w for a in args for w in _unbounded(a, [], f"{where}[]", seen)]
    if isinstance(ann, type) and issubclass(ann, BaseModel) and ann not in seen:
        seen.add(ann)
        return [
            w
            for name, f in ann.model_fields.items()
            for w in _unbounded(f.annotation, f.metadata, f"{where}.{name}", seen)
        ]
    return []


def test_the_checker_finds_unbounded_texts() -> None:
    class Sample(BaseModel):
        a: str
        b: list[str] = []
        c: str | None = None
        d: typing.Annotated[str, MaxLen(5)] = ""

    assert _unbounded(Sample, [], "S", set()) == ["S.a", "S.b[]", "S.c"]


def test_every_query_and_body_text_of_the_api_has_a_limit() -> None:
    # Path parameters are bounded by the URL patterns; everything else a client sends
    # (query strings and JSON bodies) is checked here, so a new endpoint cannot forget.
    missing = [
        place
        for _prefix, router in api._routers
        for path, operations in router.path_operations.items()
        for operation in operations.operations
        for model in operation.signature.models
        if model.__name__ != "PathParams"
        for place in _unbounded(model, [], f"{path} {model.__name__}", set())
    ]
    assert missing == []


@pytest.mark.django_db
def test_an_over_long_text_is_refused_and_nothing_saved(client: Client, commune: Unit) -> None:
    Field.objects.get_or_create(code="kinh-te", defaults={"name": "Kinh tế"})
    officer: User = make_user("canbo-gioihan", Role.OFFICER, commune)
    body = new_entry(commune, goals="g" * (TEXT_LIMIT + 1))
    response = client.post(ENTRIES, body, content_type="application/json", headers=bearer(officer))
    problem = assert_problem(response, 422, "validation_error")
    error = next(e for e in problem["errors"] if e["field"] == "goals")
    assert error["message"] == f"Dài tối đa {TEXT_LIMIT} ký tự."
    assert not Entry.objects.exists()


@pytest.mark.django_db
def test_a_nul_character_in_a_body_is_refused_before_the_database(
    client: Client, commune: Unit
) -> None:
    Field.objects.get_or_create(code="kinh-te", defaults={"name": "Kinh tế"})
    officer: User = make_user("canbo-nul", Role.OFFICER, commune)
    body = new_entry(commune, name="Đường\x00điện")
    response = client.post(ENTRIES, body, content_type="application/json", headers=bearer(officer))
    problem = assert_problem(response, 400, "nul_character")
    assert "ký tự rỗng (NUL)" in problem["detail"]
    assert not Entry.objects.exists()


@pytest.mark.django_db
@time_machine.travel(MID_2026, tick=False)
def test_several_refusals_of_a_service_are_listed_together(client: Client, commune: Unit) -> None:
    Field.objects.get_or_create(code="kinh-te", defaults={"name": "Kinh tế"})
    officer: User = make_user("canbo-nhieuloi", Role.OFFICER, commune)
    # Within a period (2026–2030: the duplicate check passes) but after next year.
    body = new_entry(commune, name="   ", registration_year=2029)
    response = client.post(ENTRIES, body, content_type="application/json", headers=bearer(officer))
    problem = assert_problem(response, 400, "movement_bad_value")
    fields = {e["field"]: e["message"] for e in problem["errors"]}
    assert fields["name"] == "Nhập tên mô hình, điển hình."
    assert fields["registration_year"].startswith("Năm đăng ký chỉ được đến năm sau")
    assert not Entry.objects.exists()
