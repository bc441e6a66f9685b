"""The audit trail in Vietnamese: field names, choices, related records, dates and yes/no
as the people who read it know them, not the names the code uses."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from django.test import Client

from danvan.accounts.models import User
from danvan.accounts.testing import login_verified, make_user
from danvan.audit import display
from danvan.audit.models import AuditEvent
from danvan.audit.services import MASK
from danvan.movement import services as movement
from danvan.movement.models import Field
from danvan.units.models import Unit

pytestmark = pytest.mark.django_db

URL = "/nhat-ky/"


def page_text(user: User, **params: str) -> str:
    client = Client()
    login_verified(client, user)
    response = client.get(URL, params)
    assert response.status_code == 200
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace(" :", ":")


def event(unit: Unit, label: str, changes: dict[str, Any], action: str = "update") -> AuditEvent:
    return AuditEvent.objects.create(
        action=action,
        model_label=label,
        object_pk="1",
        object_repr="bản ghi thử",
        unit_id=unit.pk,
        unit_path=unit.path,
        changes=changes,
    )


def lines_of(ev: AuditEvent) -> dict[str, tuple[str, str]]:
    return {line.field: (line.old, line.new) for line in display.change_lines([ev])[ev.pk]}


def test_an_entry_reads_in_vietnamese(commune: Unit, system_admin: User) -> None:
    officer = make_user("xa-canbo", "officer", commune)
    field = Field.objects.get(code="kinh-te")
    import datetime as dt

    entry = movement.entry_create(
        actor=officer,
        unit=commune,
        name="Đường điện sáng",
        kind="initiative",
        field=field,
        registration_year=2025,
        start_date=dt.date(2025, 3, 1),
    )
    movement.entry_transition(actor=officer, entry=entry, name="register")
    created = AuditEvent.objects.get(model_label="movement.entry", action="create")
    lines = lines_of(created)
    # Labels from the models' verbose names, values as the forms show them.
    assert lines["Loại"] == ("—", "Mô hình")
    assert lines["Lĩnh vực"][1] == field.name  # the related record's name, not its id
    assert lines["Đơn vị chủ trì"][1] == commune.name
    assert lines["Người tạo"][1] == str(officer)
    assert any(new == "01/03/2025" for _old, new in lines.values())
    assert not {"status", "unit", "created_by", "ID"} & lines.keys()
    assert lines["Mã bản ghi"] == ("—", str(entry.pk))
    updated = AuditEvent.objects.get(model_label="movement.entry", action="update")
    assert ("Nháp", "Đã đăng ký") in lines_of(updated).values()

    text = page_text(system_admin, model_label="movement.entry")
    assert "Nháp → Đã đăng ký" in text
    assert "draft" not in text
    assert "Sửa" in text  # the actions
    assert "Tạo mới" in text
    assert "Mô hình, điển hình: Đường điện sáng" in text  # the kind of record


def test_booleans_dates_datetimes_numbers_and_unknown_ids(commune: Unit) -> None:
    ev = event(
        commune,
        "movement.evaluationround",
        {
            "pass_mark": ["50.00", "62.50"],
            "confirmed_early": [False, True],
            "confirmed_at": [None, "2026-03-01T02:30:00+00:00"],
            "decision_issued_on": [None, "2026-03-02"],
            "level_unit": [None, 999_999_999],
        },
    )
    lines = lines_of(ev)
    values = set(lines.values())
    assert ("Không", "Có") in values
    assert (display.EMPTY, "01/03/2026 09:30") in values  # Asia/Ho_Chi_Minh
    assert (display.EMPTY, "02/03/2026") in values
    assert ("50,00", "62,50") in values
    assert (display.EMPTY, "#999999999") in values  # a deleted record: its id, no error
    assert "Thời điểm xác nhận" in lines


def test_reverse_relations_and_extra_keys_never_crash(commune: Unit, system_admin: User) -> None:
    """The page answered 500 once a unit had an evaluation round: its audit row names the
    round's candidates and reviewers, reverse relations that have no verbose_name."""
    officer = make_user("xa-canbo", "officer", commune)
    entry = movement.entry_create(
        actor=officer,
        unit=commune,
        name="Dân vận khéo ở thôn Đồng Tâm",
        kind="initiative",
        field=Field.objects.get(code="kinh-te"),
        registration_year=2025,
    )
    entry_id = str(entry.public_id)
    gone = str(uuid.uuid4())
    event(
        commune,
        "movement.evaluationround",
        {
            "candidates": [None, [entry_id, gone]],
            "reviewers": [None, ["tinh-giamkhao"]],
            "outcomes": [{entry_id: "recognized"}, {entry_id: "exemplary"}],
            "state": ["open", "confirmed"],
        },
        action="create",
    )
    event(
        commune,
        "movement.criteriaset",
        {
            "criteria": [
                None,
                [{"id": 1, "order": 1, "name": "Huy động nhiều lực lượng", "weight": "2.00"}],
            ]
        },
        action="create",
    )
    event(commune, "cases.case", {"viewed": [None, "identity"]}, action="view")
    event(commune, "democracy.vote", {"codes_issued": [0, 40]})
    event(commune, "no_such.model", {"something": [1, 2]})
    text = page_text(system_admin)
    # Entries named, not their public ids; one that no longer exists keeps its id.
    assert f"Mô hình, điển hình được đánh giá: — → Dân vận khéo ở thôn Đồng Tâm | {gone}" in text
    assert "Người chấm điểm: — → tinh-giamkhao" in text  # reviewers
    assert (
        "Kết quả đánh giá: Dân vận khéo ở thôn Đồng Tâm: Công nhận →"
        " Dân vận khéo ở thôn Đồng Tâm: Công nhận và chọn tiêu biểu" in text
    )
    # A criterion's own fields by their labels (PostgreSQL's jsonb reorders the keys).
    for part in ("Tiêu chí: — →", "Thứ tự: 1", "Tiêu chí: Huy động nhiều lực lượng", "Trọng số: 2"):
        assert part in text
    assert "Dữ liệu đã xem: — → danh tính người gửi" in text
    assert "Số mã biểu quyết đã phát: 0 → 40" in text
    assert "no_such.model" in text
    assert "Something: 1 → 2" in text


def test_masked_personal_values_stay_masked(commune: Unit) -> None:
    ev = event(
        commune, "consultation.comment", {"commenter_name": [None, MASK], "contact": [MASK, ""]}
    )
    lines = lines_of(ev)
    assert (display.EMPTY, MASK) in lines.values()
    assert (MASK, display.EMPTY) in lines.values()


def test_a_column_name_reads_like_its_field(commune: Unit) -> None:
    ev = event(commune, "movement.entry", {"unit_id": [None, commune.pk]})
    assert lines_of(ev) == {"Đơn vị chủ trì": (display.EMPTY, commune.name)}


def test_every_kind_of_record_has_a_vietnamese_name() -> None:
    from django.apps import apps

    for model in apps.get_models():
        if model.__module__.startswith("danvan.") or model._meta.label_lower.startswith("otp"):
            title = display.model_title(model._meta.label_lower)
            assert title != model._meta.label_lower, model
            assert not re.fullmatch(r"[A-Za-z ]+", title), title


def test_a_password_hash_is_never_written_nor_shown(commune: Unit) -> None:
    user = make_user("xa-canbo", "officer", commune)
    user.set_password("mat-khau-dai-va-kho-doan-2026")
    row = AuditEvent.objects.get(model_label="accounts.user", object_pk=str(user.pk))
    assert row.changes["password"] == [None, MASK]
    old = event(commune, "accounts.user", {"password": ["", "pbkdf2_sha256$1$abc$def"]})
    assert lines_of(old) == {"Mật khẩu": (display.EMPTY, MASK)}


def test_the_filter_offers_kinds_of_record_by_their_names() -> None:
    from danvan.audit.forms import record_kind_choices

    labels = [str(label) for value, label in record_kind_choices() if value]
    assert "Vụ việc" in labels
    assert len(labels) == len(set(labels))  # no two kinds share a name
    assert not any("." in label for label in labels)  # no "cases.case"
