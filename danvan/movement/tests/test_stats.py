"""The statistics selectors against counts taken independently (stats_dataset.py)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from danvan.accounts.models import User
from danvan.accounts.testing import make_user
from danvan.core.errors import NotFound, PermissionDenied
from danvan.movement.models import Period
from danvan.movement.stats import selectors as stats
from danvan.units.models import Unit

from .stats_dataset import (
    KIND_GROUP,
    Dataset,
    add_entries,
    list_count,
    raw_counts,
    raw_entries,
    under,
    units,
)

pytestmark = pytest.mark.django_db

ZERO = dict.fromkeys(stats.MILESTONE_KEYS, 0)


@pytest.fixture
def data(thai_nguyen: Unit, commune: Unit, sibling_commune: Unit) -> Dataset:
    dataset = units(thai_nguyen, commune, sibling_commune)
    add_entries(dataset, 400, seed=7)
    return dataset


def _nonzero(counts: dict[str, int]) -> None:
    # The dataset must exercise every column, or a test comparing zeros could not fail.
    assert all(counts.values()), counts


def test_totals_and_fields_equal_raw_counts(data: Dataset, system_admin: User) -> None:
    result = stats.movement_statistics(actor=system_admin, unit=data.province, year=2018)
    rows = [r for r in raw_entries() if under(data.province)(r)]
    now = [r for r in rows if r.year == 2018]
    before = [r for r in rows if r.year == 2017]
    assert result.totals.counts == raw_counts(now)
    assert result.totals.previous == raw_counts(before)
    _nonzero(result.totals.counts)
    assert len(result.by_field) == 4
    for row in result.by_field:
        assert row.counts == raw_counts(r for r in now if r.field == row.key), row.key
        assert row.previous == raw_counts(r for r in before if r.field == row.key), row.key


def test_each_subunit_counts_its_whole_subtree(data: Dataset, system_admin: User) -> None:
    province = data.province
    result = stats.movement_statistics(actor=system_admin, unit=province, year=2019)
    rows = [r for r in raw_entries() if r.year == 2019 and under(province)(r)]
    got = {row.key: row.counts for row in result.by_subunit}
    children = list(Unit.objects.filter(parent=province, valid_to__isnull=True))
    for child in children:
        assert got.pop(child.code) == raw_counts(r for r in rows if under(child)(r)), child.code
    # The province's own entries, apart from any child's.
    own = raw_counts(r for r in rows if r.unit_id == province.pk)
    assert got.pop(province.code, ZERO) == own
    assert got == {}
    # The commune with organizations, villages and its own entries counts them all.
    commune_row = next(r for r in result.by_subunit if r.key == data.commune.code)
    _nonzero(commune_row.counts)
    assert (
        sum(row.counts["registered"] for row in result.by_subunit)
        == (result.totals.counts["registered"])
    )


def test_kinds_of_unit(data: Dataset, system_admin: User) -> None:
    result = stats.movement_statistics(actor=system_admin, unit=data.province, year=2020)
    rows = [r for r in raw_entries() if r.year == 2020 and under(data.province)(r)]
    assert [row.key for row in result.by_unit_kind] == [
        "party",
        "government",
        "front",
        "armed_forces",
        "enterprise",
    ]
    for row in result.by_unit_kind:
        expected = raw_counts(r for r in rows if KIND_GROUP[r.unit_kind] == row.key)
        assert row.counts == expected, row.key
        assert row.counts["registered"] > 0, row.key


def test_year_series_with_change_on_the_previous_year(data: Dataset, system_admin: User) -> None:
    result = stats.movement_statistics(actor=system_admin, unit=data.commune, year=2018)
    rows = [r for r in raw_entries() if under(data.commune)(r)]
    years = sorted({r.year for r in rows})
    assert [row.key for row in result.by_year] == [str(y) for y in range(years[0], years[-1] + 1)]
    for row in result.by_year:
        year = int(row.key)
        now = raw_counts(r for r in rows if r.year == year)
        assert row.counts == now
        if year == years[0]:
            assert row.previous is None
            continue
        before = raw_counts(r for r in rows if r.year == year - 1)
        for key in stats.MILESTONE_KEYS:
            change = row.change(key)
            assert change is not None
            assert change.absolute == now[key] - before[key]
            if before[key]:
                assert change.percent == pytest.approx(
                    (now[key] - before[key]) / before[key] * 100, abs=0.05
                )
            else:
                assert change.percent is None


def test_change_on_rows(data: Dataset, system_admin: User) -> None:
    result = stats.movement_statistics(actor=system_admin, unit=data.province, year=2019)
    for row in [result.totals, *result.by_field, *result.by_unit_kind]:
        assert row.previous is not None
        for key in stats.MILESTONE_KEYS:
            change = row.change(key)
            assert change is not None
            assert change.absolute == row.counts[key] - row.previous[key]


def test_period_window(data: Dataset, system_admin: User) -> None:
    first = Period.objects.get(start_year=2016)
    second = Period.objects.get(start_year=2021)
    rows = [r for r in raw_entries() if under(data.province)(r)]
    early = stats.movement_statistics(actor=system_admin, unit=data.province, period=first)
    assert early.totals.counts == raw_counts(r for r in rows if r.period_id == first.pk)
    assert early.totals.previous is None  # nothing before 2016–2020
    assert early.totals.change("registered") is None
    late = stats.movement_statistics(actor=system_admin, unit=data.province, period=second)
    assert late.totals.counts == raw_counts(r for r in rows if r.period_id == second.pk)
    assert late.totals.previous == early.totals.counts
    _nonzero(late.totals.counts)


def test_restated_counts_bac_kan_under_thai_nguyen(data: Dataset, system_admin: User) -> None:
    rows = [r for r in raw_entries() if r.year == 2018]
    thai_nguyen = raw_counts(r for r in rows if under(data.province)(r))
    bac_kan = raw_counts(r for r in rows if under(data.bac_kan)(r))
    _nonzero(bac_kan)

    plain = stats.movement_statistics(actor=system_admin, unit=data.province, year=2018)
    restated = stats.movement_statistics(
        actor=system_admin, unit=data.province, year=2018, restated=True
    )
    alone = stats.movement_statistics(actor=system_admin, unit=data.bac_kan, year=2018)
    assert plain.totals.counts == thai_nguyen
    assert alone.totals.counts == bac_kan
    assert restated.totals.counts == {k: thai_nguyen[k] + bac_kan[k] for k in thai_nguyen}
    assert [u.code for u in restated.restated_from] == ["06"]
    # Bắc Kạn has a row of its own among Thái Nguyên's, linked to its (restated) list.
    row = next(r for r in restated.by_subunit if r.key == "06")
    assert row.counts == bac_kan
    assert row.note
    assert not any(r.key == "06" for r in plain.by_subunit)
    for key in stats.MILESTONE_KEYS:
        query = stats.list_query(row.filters, key)
        assert (
            list_count(system_admin, "&".join(f"{k}={v}" for k, v in query.items()))
            == (bac_kan[key])
        )
    # The historical organization under Bắc Kạn counts in Bắc Kạn's own statistics.
    old = next(r for r in alone.by_subunit if r.key == "06-HND")
    assert old.counts == raw_counts(r for r in rows if r.path.startswith(old.unit.path))  # type: ignore[union-attr]


def test_national_restated_puts_bac_kan_in_thai_nguyen(data: Dataset, system_admin: User) -> None:
    rows = [r for r in raw_entries() if r.year == 2018]
    plain = stats.movement_statistics(actor=system_admin, unit=None, year=2018)
    restated = stats.movement_statistics(actor=system_admin, unit=None, year=2018, restated=True)
    assert plain.totals.counts == restated.totals.counts == raw_counts(rows)
    plain_rows = {r.key: r.counts for r in plain.by_subunit}
    restated_rows = {r.key: r.counts for r in restated.by_subunit}
    assert plain_rows["19"] == raw_counts(r for r in rows if under(data.province)(r))
    assert plain_rows["06"] == raw_counts(r for r in rows if under(data.bac_kan)(r))
    assert "06" not in restated_rows
    assert restated_rows["19"] == raw_counts(
        r for r in rows if under(data.province, data.bac_kan)(r)
    )


def test_every_row_filter_selects_its_count(data: Dataset, system_admin: User) -> None:
    for unit, restated in ((data.province, True), (data.commune, False), (None, False)):
        result = stats.movement_statistics(
            actor=system_admin, unit=unit, year=2018, restated=restated
        )
        rows = [
            result.totals,
            *result.by_field,
            *result.by_subunit,
            *result.by_unit_kind,
            *result.by_year,
        ]
        for row in rows:
            if not any(row.counts.values()):
                continue
            for key in stats.MILESTONE_KEYS:
                query = "&".join(f"{k}={v}" for k, v in stats.list_query(row.filters, key).items())
                assert list_count(system_admin, query) == row.counts[key], (row.label, query)


def test_constant_number_of_queries(
    thai_nguyen: Unit, commune: Unit, sibling_commune: Unit
) -> None:
    dataset = units(thai_nguyen, commune, sibling_commune)
    admin = make_user("thongke-admin", "system_admin", None)

    def queries(unit: Unit | None, restated: bool) -> int:
        actor = User.objects.get(pk=admin.pk)  # no grants cached
        with CaptureQueriesContext(connection) as ctx:
            stats.movement_statistics(actor=actor, unit=unit, year=2018, restated=restated)
        return len(ctx.captured_queries)

    add_entries(dataset, 10, seed=1)
    small = {(u, r): queries(u, r) for u in (thai_nguyen, None) for r in (False, True)}
    add_entries(dataset, 90, seed=2)
    assert Unit.objects.count()  # the tree is unchanged between the two measures
    large = {(u, r): queries(u, r) for u in (thai_nguyen, None) for r in (False, True)}
    assert small == large
    assert max(large.values()) <= 20


def test_scope_and_access(data: Dataset, system_admin: User) -> None:
    officer = make_user("xa-thongke", "officer", data.commune)
    # Without a code: the officer's own commune; the country for a national grant.
    assert stats.stats_unit(actor=officer, code=None) == data.commune
    assert stats.stats_unit(actor=system_admin, code=None) is None
    # A sibling commune is out of sight (like missing); the province is visible as an
    # ancestor, but its movement is not the officer's to see.
    with pytest.raises(NotFound):
        stats.stats_unit(actor=officer, code=data.sibling.code)
    with pytest.raises(PermissionDenied):
        stats.stats_unit(actor=officer, code=data.province.code)
    with pytest.raises(PermissionDenied):
        stats.movement_statistics(actor=officer, unit=None, year=2018)
    with pytest.raises(NotFound):
        stats.stats_unit(actor=officer, code="khong-co")
    own = stats.movement_statistics(actor=officer, unit=data.commune, year=2018)
    rows = [r for r in raw_entries() if r.year == 2018 and under(data.commune)(r)]
    assert own.totals.counts == raw_counts(rows)


def test_latest_year(data: Dataset, system_admin: User) -> None:
    assert stats.latest_year(actor=system_admin, unit=data.province) == max(
        r.year for r in raw_entries() if under(data.province)(r)
    )
