import datetime as dt
from collections.abc import Callable

import pytest

from danvan.accounts.models import User
from danvan.accounts.testing import make_user
from danvan.audit.models import AuditEvent
from danvan.core.errors import DomainError, NotFound, PermissionDenied
from danvan.movement import selectors, services, workflow
from danvan.movement.models import Decision, Entry, EntryEvent, Status
from danvan.units.models import Unit

from .conftest import DECISION

pytestmark = pytest.mark.django_db


def test_full_life_cycle_records_who_when_why(
    make_entry: Callable[..., Entry], commune_officer: User, province_officer: User
) -> None:
    entry = make_entry()
    entry = services.entry_transition(actor=commune_officer, entry=entry, name="register")
    assert entry.registered_on is not None
    entry = services.entry_transition(actor=province_officer, entry=entry, name="accept")
    entry = services.entry_transition(actor=commune_officer, entry=entry, name="start")
    entry = services.entry_transition(actor=commune_officer, entry=entry, name="submit")
    entry = services.entry_transition(
        actor=province_officer, entry=entry, name="recognize", decision=DECISION
    )
    assert entry.status == Status.RECOGNIZED
    assert entry.recognized_on == DECISION.issued_on
    assert entry.recognized_level == "province"
    decision = Decision.objects.get(entry=entry, kind="recognition")
    assert decision.number == "125/QĐ-UBND"
    events = list(EntryEvent.objects.filter(entry=entry).values_list("from_status", "to_status"))
    assert events == [
        ("draft", "registered"),
        ("registered", "accepted"),
        ("accepted", "in_progress"),
        ("in_progress", "submitted"),
        ("submitted", "recognized"),
    ]
    assert EntryEvent.objects.filter(entry=entry, actor=province_officer).count() == 2
    assert (
        AuditEvent.objects.filter(model_label="movement.entry", object_pk=str(entry.pk)).count()
        >= 6
    )
    services.entry_commend(
        actor=province_officer,
        entry=entry,
        decision=services.DecisionInput(
            number="77/QĐ-UBND",
            issued_on=dt.date(2025, 11, 21),
            issuer="UBND tỉnh",
            form=Decision.Form.MERIT,
        ),
    )
    entry.refresh_from_db()
    assert entry.commended_on == dt.date(2025, 11, 21)


def test_owner_cannot_do_the_managing_bodys_transitions(
    make_entry: Callable[..., Entry], commune_officer: User
) -> None:
    entry = services.entry_transition(actor=commune_officer, entry=make_entry(), name="register")
    with pytest.raises(PermissionDenied):
        services.entry_transition(actor=commune_officer, entry=entry, name="accept")
    entry.refresh_from_db()
    assert entry.status == Status.REGISTERED


def test_sibling_officer_sees_nothing(
    make_entry: Callable[..., Entry], sibling_commune: Unit
) -> None:
    other = make_user("other", "officer", sibling_commune)
    with pytest.raises(NotFound):
        services.entry_transition(actor=other, entry=make_entry(), name="register")


def test_transitions_not_allowed_from_the_current_state(
    make_entry: Callable[..., Entry], province_officer: User
) -> None:
    entry = make_entry()
    for name in ("accept", "recognize", "make_exemplary", "nonsense"):
        with pytest.raises(DomainError) as exc:
            services.entry_transition(actor=province_officer, entry=entry, name=name)
        assert exc.value.code == "movement_bad_transition"
    entry.refresh_from_db()
    assert entry.status == Status.DRAFT
    assert not EntryEvent.objects.filter(entry=entry).exists()


@pytest.mark.parametrize("number", ["", "abc", "QĐ-UBND", "0/QĐ-UBND"])
def test_recognition_needs_a_valid_decision_number(
    make_entry: Callable[..., Entry], province_officer: User, number: str
) -> None:
    entry = make_entry()
    for name in ("register", "accept", "start", "submit"):
        entry = services.entry_transition(actor=None, entry=entry, name=name)
    with pytest.raises(DomainError) as exc:
        services.entry_transition(
            actor=province_officer,
            entry=entry,
            name="recognize",
            decision=services.DecisionInput(
                number=number, issued_on=dt.date(2025, 1, 1), issuer="X"
            ),
        )
    assert exc.value.code == "movement_bad_decision_number"
    entry.refresh_from_db()
    assert entry.status == Status.SUBMITTED
    assert not Decision.objects.filter(entry=entry).exists()


def test_reason_required_to_return_or_withdraw(
    make_entry: Callable[..., Entry], commune_officer: User
) -> None:
    entry = make_entry()
    with pytest.raises(DomainError) as exc:
        services.entry_transition(actor=commune_officer, entry=entry, name="withdraw")
    assert exc.value.code == "movement_reason_required"
    entry = services.entry_transition(
        actor=commune_officer, entry=entry, name="withdraw", reason="Trùng với mô hình khác"
    )
    assert entry.status == Status.WITHDRAWN
    assert workflow.available(entry.status) == []


def test_duplicate_warning_folds_case_diacritics_and_d(make_entry: Callable[..., Entry]) -> None:
    original = make_entry("Đường điện sáng – ngõ xóm xanh")
    assert selectors_dupes(original, "duong dien sang – NGÕ XÓM XANH") == [original]
    assert selectors_dupes(original, "Đường điện sáng") == []


def selectors_dupes(entry: Entry, name: str) -> list[Entry]:
    return services.duplicates_of(unit=entry.unit, name=name, period=entry.period)


def test_replication_rules(
    make_entry: Callable[..., Entry], sibling_commune: Unit, commune: Unit, province_officer: User
) -> None:
    source = make_entry("Mô hình gốc")
    with pytest.raises(DomainError):
        services.replication_record(actor=None, entry=source, source=source)
    same_unit = make_entry("Cùng đơn vị")
    with pytest.raises(DomainError):
        services.replication_record(actor=None, entry=same_unit, source=source)
    copy = make_entry("Bản nhân rộng", unit=sibling_commune)
    services.replication_record(actor=None, entry=copy, source=source)
    links = selectors.entry_replications(actor=province_officer, entry=source)
    assert [link.entry for link in links] == [copy]
    assert selectors.replication_counts([source]) == {source.pk: 1}


def test_restated_scope_counts_bac_kan_under_thai_nguyen(
    make_entry: Callable[..., Entry], thai_nguyen: Unit
) -> None:
    bac_kan = Unit.objects.get(code="06")
    # Bắc Kạn has ended: new registrations are refused, history is loaded directly.
    with pytest.raises(DomainError):
        make_entry("Mô hình mới", unit=bac_kan)
    old = Entry.objects.create(
        unit=bac_kan,
        kind="initiative",
        name="Mô hình Bắc Kạn 2018",
        name_folded="mo hinh bac kan 2018",
        field=make_entry().field,
        registration_year=2018,
        period=services.period_for_year(2018),
    )
    admin = make_user("admin", "system_admin", None)
    plain = selectors.entry_list(actor=admin, unit=thai_nguyen)
    restated = selectors.entry_list(actor=admin, unit=thai_nguyen, restated=True)
    assert old not in plain
    assert old in restated
    assert old in selectors.entry_list(actor=admin, unit=bac_kan)


def test_records_of_an_ended_unit_are_read_only_to_its_successor(
    make_entry: Callable[..., Entry], thai_nguyen: Unit, province_officer: User
) -> None:
    """Issue 11: Thái Nguyên's officers read Bắc Kạn's entries; they do not change them."""
    bac_kan = Unit.objects.get(code="06")
    old = Entry.objects.create(
        unit=bac_kan,
        kind="initiative",
        name="Mô hình Bắc Kạn 2019",
        name_folded="mo hinh bac kan 2019",
        field=make_entry().field,
        registration_year=2019,
        period=services.period_for_year(2019),
    )
    assert selectors.entry_get(actor=province_officer, public_id=old.public_id) == old
    with pytest.raises(PermissionDenied) as refused:
        services.entry_update(actor=province_officer, entry=old, name="Đổi tên")
    assert "“Bắc Kạn” đã kết thúc hoạt động" in refused.value.message
    assert services.allowed_transitions(province_officer, old) == []
    old.refresh_from_db()
    assert old.name == "Mô hình Bắc Kạn 2019"
