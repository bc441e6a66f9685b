"""New versions of the catalogue of contents to disclose (DisclosureKind), added and
checked by system administrators on /cong-khai/danh-muc/."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from danvan.accounts.models import Role, User
from danvan.accounts.testing import login_verified, make_user
from danvan.audit.models import AuditEvent
from danvan.core.errors import DomainError, PermissionDenied
from danvan.disclosure import selectors, services
from danvan.disclosure.kinds import services as kind_services
from danvan.disclosure.models import Disclosure, DisclosureKind
from danvan.units.models import Unit

from .conftest import kind

pytestmark = pytest.mark.django_db

CATALOGUE = reverse("disclosure:catalogue")
ADD = reverse("disclosure:kind_add")
SINCE = dt.date(2023, 7, 1)  # the baseline versions
NEW = dt.date(2026, 7, 1)
FORM = {
    "unit_kind": "commune",
    "number": 1,
    "title": "Kế hoạch phát triển kinh tế - xã hội 5 năm và hằng năm của cấp xã",
    "mandatory": "on",
    "loudspeaker_min_days": 0,
    "posting_min_days": 30,
    "citation": "Luật Thực hiện dân chủ ở cơ sở (sửa đổi), Điều 11 khoản 1",
    "valid_from": "01/07/2026",
}


def client_as(user: User) -> Client:
    client = Client()
    login_verified(client, user)
    return client


@pytest.fixture
def admin() -> User:
    return make_user("quantri-congkhai", Role.SYSTEM_ADMIN, None)


def add(actor: User | None, **kw: Any) -> DisclosureKind:
    params: dict[str, Any] = {
        "unit_kind": "commune",
        "number": 1,
        "title": "Kế hoạch phát triển kinh tế - xã hội (bản mới)",
        "mandatory": True,
        "loudspeaker_min_days": 0,
        "posting_min_days": 30,
        "posting_to_verify": False,
        "citation": "Luật sửa đổi, Điều 11",
        "valid_from": NEW,
    }
    params.update(kw)
    return kind_services.kind_version_add(actor=actor, **params)


def in_force(commune: Unit, number: int, day: dt.date) -> list[DisclosureKind]:
    return [k for k in selectors.kinds_for_unit(commune, on=day) if k.number == number]


def test_a_new_version_ends_the_old_one_and_the_lookups_follow_the_day(
    admin: User, commune: Unit
) -> None:
    old = kind(1)
    response = client_as(admin).post(ADD, FORM)
    assert response.status_code == 302
    assert response["Location"] == CATALOGUE
    old.refresh_from_db()
    assert old.valid_to == dt.date(2026, 6, 30)
    new = DisclosureKind.objects.get(unit_kind="commune", number=1, valid_from=NEW)
    assert (new.title, new.posting_min_days, new.mandatory) == (FORM["title"], 30, True)
    assert in_force(commune, 1, dt.date(2026, 6, 30)) == [old]
    assert in_force(commune, 1, NEW) == [new]
    # kinds_in_force over a period that spans the change holds both versions.
    versions = selectors.kinds_in_force(
        DisclosureKind.objects.filter(unit_kind="commune", number=1),
        dt.date(2026, 6, 1),
        dt.date(2026, 7, 31),
    )
    assert set(versions) == {old, new}
    events = AuditEvent.objects.filter(model_label="disclosure.disclosurekind", actor=admin)
    assert events.filter(action="create", object_pk=str(new.pk)).exists()
    assert events.get(action="update", object_pk=str(old.pk)).changes == {
        "valid_to": [None, "2026-06-30"]
    }
    # The other items and the other lists are untouched.
    assert kind(2).valid_to is None
    assert DisclosureKind.objects.get(unit_kind="agency", number=1).valid_to is None


def test_disclosures_keep_their_version_and_new_ones_take_the_new(
    admin: User, commune: Unit, record: Callable[..., Disclosure]
) -> None:
    old = kind(1)
    before = record(kind=old, start=dt.date(2026, 1, 5))
    new = add(admin)
    before.refresh_from_db()
    assert before.kind_id == old.pk
    old.refresh_from_db()

    def record_on(version: DisclosureKind, start: dt.date) -> Disclosure:
        # Not the `record` fixture: it looks kind 1 up by number, now two versions.
        return services.disclosure_create(
            actor=None, unit=commune, kind=version, title="Kế hoạch", start=start
        )

    assert record_on(new, dt.date(2026, 7, 6)).kind_id == new.pk
    with pytest.raises(DomainError) as exc:
        record_on(old, dt.date(2026, 7, 6))
    assert exc.value.field == "kind"


def test_a_new_item_gets_its_first_version(admin: User, commune: Unit) -> None:
    item = add(admin, number=15, title="Nội dung mới do luật sửa đổi bổ sung", to_verify=True)
    assert in_force(commune, 15, NEW) == [item]
    assert in_force(commune, 15, dt.date(2026, 6, 30)) == []


def test_overlapping_versions_are_refused_and_nothing_is_written(admin: User) -> None:
    add(admin)
    count, events = DisclosureKind.objects.count(), AuditEvent.objects.count()
    for day in (NEW, SINCE, dt.date(2026, 1, 1)):
        with pytest.raises(DomainError) as exc:
            add(admin, valid_from=day)
        assert exc.value.field == "valid_from"
        assert exc.value.code == kind_services.KindVersionError.OVERLAP
    bad = client_as(admin).post(ADD, {**FORM, "valid_from": "01/03/2026"})
    assert bad.status_code == 400
    assert "Đã có phiên bản quy định hiệu lực từ ngày 01/07/2026" in bad.content.decode()
    assert DisclosureKind.objects.count() == count
    assert AuditEvent.objects.count() == events
    assert DisclosureKind.objects.get(
        unit_kind="commune", number=1, valid_from=SINCE
    ).valid_to == dt.date(2026, 6, 30)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"citation": " "}, "citation"),
        ({"title": ""}, "title"),
        ({"number": 0}, "number"),
        ({"unit_kind": "village"}, "unit_kind"),
        ({"loudspeaker_min_days": -1}, "loudspeaker_min_days"),
        ({"posting_min_days": 366}, "posting_min_days"),
    ],
)
def test_bad_versions_are_refused(admin: User, changes: dict[str, Any], field: str) -> None:
    count = DisclosureKind.objects.count()
    with pytest.raises(DomainError) as exc:
        add(admin, **changes)
    assert exc.value.field == field
    assert DisclosureKind.objects.count() == count
    assert kind(1).valid_to is None


def test_only_system_admins_add_or_check_kinds(commune: Unit, officer: User) -> None:
    unit_admin = make_user("qtxa-congkhai", Role.UNIT_ADMIN, commune)
    flagged = kind(5)
    assert flagged.to_verify
    assert flagged.posting_to_verify
    verified = reverse("disclosure:kind_verified", args=[flagged.pk])
    count = DisclosureKind.objects.count()
    for user in (officer, unit_admin):
        client = client_as(user)
        assert client.get(ADD).status_code == 403
        assert client.post(ADD, FORM).status_code == 403
        assert client.post(verified).status_code == 403
        assert client.post(verified, {"flag": "posting"}).status_code == 403
        with pytest.raises(PermissionDenied):
            add(user)
        with pytest.raises(PermissionDenied):
            kind_services.kind_mark_verified(actor=user, kind=flagged)
    assert DisclosureKind.objects.count() == count
    flagged.refresh_from_db()
    assert flagged.to_verify
    assert flagged.posting_to_verify


def test_marking_a_kind_and_its_posting_period_verified(admin: User) -> None:
    flagged = kind(5)
    url = reverse("disclosure:kind_verified", args=[flagged.pk])
    client = client_as(admin)
    assert client.post(url).status_code == 302
    flagged.refresh_from_db()
    # The kind is checked; its posting period keeps its own flag until checked too.
    assert (flagged.to_verify, flagged.posting_to_verify) == (False, True)
    assert client.post(url, {"flag": "posting"}).status_code == 302
    flagged.refresh_from_db()
    assert flagged.posting_to_verify is False
    changes = [
        e.changes
        for e in AuditEvent.objects.filter(
            model_label="disclosure.disclosurekind", object_pk=str(flagged.pk), actor=admin
        ).order_by("pk")
    ]
    assert changes == [{"to_verify": [True, False]}, {"posting_to_verify": [True, False]}]


def test_the_catalogue_shows_the_buttons_to_admins_only(admin: User, officer: User) -> None:
    flagged = kind(5)
    checked = kind(1)
    verify = reverse("disclosure:kind_verified", args=[flagged.pk])
    body = client_as(officer).get(CATALOGUE).content.decode()
    assert flagged.title in body
    assert ADD not in body
    assert "Đã đối chiếu<" not in body
    assert "/da-doi-chieu/" not in body
    page = client_as(admin).get(CATALOGUE)
    assert page.status_code == 200
    body = page.content.decode()
    assert f'href="{ADD}"' in body
    assert f'action="{verify}"' in body
    assert 'name="csrfmiddlewaretoken"' in body
    # A checked kind offers only the button of its posting period.
    own = f'action="{reverse("disclosure:kind_verified", args=[checked.pk])}"'
    assert body.count(own) == 1
    assert body.count(f'action="{verify}"') == 2


def test_the_form_renders_for_admins(admin: User) -> None:
    page = client_as(admin).get(ADD)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="unit_kind"' in body
    assert 'placeholder="dd/mm/yyyy"' in body
    assert f'href="{CATALOGUE}"' in body


def test_a_new_version_starts_from_the_one_in_force(admin: User) -> None:
    """The catalogue's "Phiên bản mới" link fills the form from a row: correcting a title
    (items 12–14 of the commune list are to verify) means changing only it and the date."""
    current = DisclosureKind.objects.get(unit_kind="commune", number=12, valid_to__isnull=True)
    client = client_as(admin)
    assert f"{ADD}?from={current.pk}" in client.get(CATALOGUE).content.decode()
    page = client.get(ADD, {"from": current.pk})
    form = page.context["form"]
    assert form.initial["title"] == current.title
    assert form.initial["number"] == 12
    assert form.initial["loudspeaker_min_days"] == current.loudspeaker_min_days
    assert client.get(ADD, {"from": 999999}).status_code == 404
