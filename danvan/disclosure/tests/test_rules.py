"""The rule data of Law 10/2022/QH15, Điều 11–13 (data migration 0002)."""

from __future__ import annotations

import datetime as dt

import pytest

from danvan.disclosure.models import DisclosureForm, DisclosureKind

pytestmark = pytest.mark.django_db


def test_the_commune_has_fourteen_kinds_in_force_from_1_july_2023() -> None:
    kinds = list(DisclosureKind.objects.filter(unit_kind="commune").order_by("number"))
    assert [k.number for k in kinds] == list(range(1, 15))
    assert {k.valid_from for k in kinds} == {dt.date(2023, 7, 1)}
    assert all(k.valid_to is None for k in kinds)
    assert all("10/2022/QH15" in k.citation and "Điều 11" in k.citation for k in kinds)


def test_items_1_to_3_are_checked_and_the_rest_to_verify() -> None:
    flags = dict(
        DisclosureKind.objects.filter(unit_kind="commune").values_list("number", "to_verify")
    )
    assert [n for n, v in flags.items() if not v] == [1, 2, 3]
    assert all(flags[n] for n in range(4, 15))


def test_items_7_to_12_go_on_the_loudspeakers_for_at_least_3_days() -> None:
    days = dict(
        DisclosureKind.objects.filter(unit_kind="commune").values_list(
            "number", "loudspeaker_min_days"
        )
    )
    assert {n for n, d in days.items() if d} == set(range(7, 13))
    assert all(days[n] >= 3 for n in range(7, 13))


def test_posting_30_days_is_marked_to_verify() -> None:
    kinds = DisclosureKind.objects.filter(unit_kind="commune")
    assert {k.posting_min_days for k in kinds} == {30}
    assert all(k.posting_to_verify for k in kinds)


def test_agency_and_enterprise_kinds_are_all_to_verify() -> None:
    others = DisclosureKind.objects.exclude(unit_kind="commune")
    assert others.filter(unit_kind="agency").exists()
    assert others.filter(unit_kind="enterprise").exists()
    assert all(k.to_verify for k in others)


def test_the_nine_forms() -> None:
    assert len(DisclosureForm.choices) == 9
