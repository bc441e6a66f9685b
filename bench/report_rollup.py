"""Benchmark: rolling up a national report campaign against the hand-written SQL.

Goal (issue 13, "Measured"): rolling up a national campaign (34 provinces, 3,321 communes,
every indicator) takes at most 1.5× the time of the hand-written SQL that computes the
same sums; the totals equal the raw counts exactly.

Run ``make bench`` (or ``.venv/bin/python bench/report_rollup.py``). For each backend the
script starts itself again in a subprocess with its own throwaway database (bench/
harness.py). In it, it migrates (the seeded half-year template: 11 number indicators, 5
added up by sum, 6 recomputed by the parent, and its table by field, recomputed by the
parent row by row), loads the unit tree, and writes a campaign with one report per live
province and commune (3,355), every number indicator's figure in each and the table's
ROWS rows (a snapshot, a typed figure, an override on one in seven; the values vary by
unit), every commune's report approved but one in twenty (left submitted: not counted).

It times, alternated, the median of ``--repeat`` runs of:
- rollup: ``danvan.reports.campaigns.rollup.rollup_campaign(campaign)``, every province's
  totals by each indicator's rule (sum of the approved communes' figures, the province's
  own figure where the rule recomputes), with the lists of counted and missing children;
- reference: ONE hand-written grouped SQL query summing COALESCE(override, computed,
  manual) of the approved communes' figures by province (path prefix) and indicator
  (every indicator: the roll-up keeps each sum, to flag a recomputed total its children
  disagree with), and one reading the provinces' own figures of the recomputed ones; the
  same two for the table's rows (grouped by row key too).

Before timing, every province's totals from the roll-up must equal the reference's (the
table's row by row too), and
the sum over provinces of each summed indicator must equal a raw count in Python over
every figure. Prints the times, the ratio and PASS/MISS against 1.5×.

Options: ``--repeat N`` (default 9), ``--only sqlite|postgresql``.
"""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import harness

GOAL = 1.5
ROWS = 8  # the table's rows in each report (the movement has about this many fields)


def main_parent(args: argparse.Namespace) -> int:
    results = harness.on_each_backend(
        Path(__file__).resolve(),
        ["--repeat", str(args.repeat)],
        only=args.only,
        db_prefix="danvan_bench_rollup",
    )

    def report(r: dict[str, Any]) -> bool:
        ok = r["ratio"] <= GOAL
        print(
            f"{r['backend']:<11} {r['reports']:>6,} reports, {r['values']:>7,} figures:"
            f" reference {r['reference_ms']:8.1f} ms, rollup {r['rollup_ms']:8.1f} ms,"
            f" ratio {r['ratio']:5.2f}  {'PASS' if ok else 'MISS'}"
        )
        return ok

    return harness.summary(results, f"roll-up ≤ {GOAL}× the hand-written SQL", report)


def main_child(backend: str, args: argparse.Namespace) -> int:
    step = harness.start_child()
    from django.db import connection, transaction
    from django.utils import timezone

    from danvan.reports.campaigns.models import (
        APPROVED_STATUSES,
        Campaign,
        Report,
        ReportCell,
        ReportStatus,
        ReportValue,
    )
    from danvan.reports.campaigns.rollup import rollup_campaign
    from danvan.reports.models import Aggregation, Regime, Source
    from danvan.units import tree
    from danvan.units.models import Unit, UnitKind

    regime = Regime.objects.get(code="nd09-6-thang-dan-chu-co-so")
    template = regime.templates.get(version=1)
    indicators = list(template.indicators.filter(kind="number").order_by("order"))
    tables = list(template.indicators.filter(kind="table").order_by("order"))
    start, end = regime.period(2026)
    units = list(
        Unit.objects.filter(
            kind__in=[UnitKind.PROVINCE, UnitKind.COMMUNE], valid_to__isnull=True
        ).order_by("path")
    )
    provinces = [u for u in units if u.kind == UnitKind.PROVINCE]
    step(f"{len(provinces)} provinces, {len(units) - len(provinces)} communes: writing")
    now = timezone.now()
    with transaction.atomic():
        campaign = Campaign.objects.create(
            regime=regime,
            template=template,
            year=2026,
            period_start=start,
            period_end=end,
            owner_unit=provinces[0],
            title="Bench",
        )
        reports = Report.objects.bulk_create(
            [
                Report(
                    campaign=campaign,
                    unit=u,
                    status=(
                        ReportStatus.SUBMITTED
                        if u.kind == UnitKind.COMMUNE and i % 20 == 0
                        else ReportStatus.APPROVED
                    ),
                    due_date=end,
                    snapshot_taken_at=now,
                )
                for i, u in enumerate(units)
            ],
            batch_size=1000,
        )
        values = []
        for r_i, report in enumerate(reports):
            for i_i, ind in enumerate(indicators):
                n = Decimal((r_i * 31 + i_i * 17) % 97)
                value = ReportValue(report=report, indicator=ind)
                if ind.source == Source.COMPUTED:
                    value.computed = n
                    if (r_i + i_i) % 7 == 0:
                        value.override, value.override_reason = n + 2, "bench"
                else:
                    value.manual = n
                values.append(value)
        ReportValue.objects.bulk_create(values, batch_size=2000)
        cells = []
        for r_i, report in enumerate(reports):
            for t_i, table in enumerate(tables):
                for row in range(ROWS):
                    n = Decimal((r_i * 13 + t_i * 7 + row * 5) % 41)
                    cell = ReportCell(
                        report=report,
                        indicator=table,
                        row_key=f"f{row}",
                        row_label=f"Lĩnh vực {row}",
                        row_order=row,
                        computed=n,
                    )
                    if (r_i + row) % 7 == 0:
                        cell.override, cell.override_reason = n + 1, "bench"
                    cells.append(cell)
        ReportCell.objects.bulk_create(cells, batch_size=2000)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    step(f"{len(reports):,} reports, {len(values):,} figures, {len(cells):,} table rows; checking")

    qn = connection.ops.quote_name
    value_t, cell_t, report_t, unit_t = (
        qn(ReportValue._meta.db_table),
        qn(ReportCell._meta.db_table),
        qn(Report._meta.db_table),
        qn(Unit._meta.db_table),
    )
    seg = tree.SEGMENT
    summed = [i.pk for i in indicators if i.aggregation == Aggregation.SUM]
    own = [i.pk for i in indicators if i.aggregation == Aggregation.RECOMPUTE]
    approved = [str(s) for s in APPROVED_STATUSES]
    sum_sql = (
        f"SELECT SUBSTR(u.path, 1, {seg}), v.indicator_id,"
        " SUM(COALESCE(v.override, v.computed, v.manual))"
        f" FROM {value_t} v JOIN {report_t} r ON r.id = v.report_id"
        f" JOIN {unit_t} u ON u.id = r.unit_id"
        f" WHERE r.campaign_id = %s AND u.depth = 2 AND r.status IN (%s, %s)"
        " GROUP BY SUBSTR(u.path, 1, %s), v.indicator_id"
    )
    own_sql = (
        f"SELECT u.path, v.indicator_id, COALESCE(v.override, v.computed, v.manual)"
        f" FROM {value_t} v JOIN {report_t} r ON r.id = v.report_id"
        f" JOIN {unit_t} u ON u.id = r.unit_id"
        f" WHERE r.campaign_id = %s AND u.depth = 1"
        f" AND v.indicator_id IN ({', '.join(['%s'] * len(own))})"
    )

    own_tables = [t.pk for t in tables if t.aggregation == Aggregation.RECOMPUTE]
    summed_tables = {t.pk for t in tables if t.aggregation == Aggregation.SUM}
    cell_sum_sql = (
        f"SELECT SUBSTR(u.path, 1, {seg}), c.indicator_id, c.row_key,"
        " SUM(COALESCE(c.override, c.computed, c.manual))"
        f" FROM {cell_t} c JOIN {report_t} r ON r.id = c.report_id"
        f" JOIN {unit_t} u ON u.id = r.unit_id"
        f" WHERE r.campaign_id = %s AND u.depth = 2 AND r.status IN (%s, %s)"
        " GROUP BY SUBSTR(u.path, 1, %s), c.indicator_id, c.row_key"
    )
    cell_own_sql = (
        f"SELECT u.path, c.indicator_id, c.row_key, COALESCE(c.override, c.computed, c.manual)"
        f" FROM {cell_t} c JOIN {report_t} r ON r.id = c.report_id"
        f" JOIN {unit_t} u ON u.id = r.unit_id"
        f" WHERE r.campaign_id = %s AND u.depth = 1"
        f" AND c.indicator_id IN ({', '.join(['%s'] * len(own_tables))})"
    )
    Rows = dict[str, dict[int, dict[str, Any]]]

    def reference_cells() -> tuple[Rows, Rows]:
        """The tables' rows: each row's sum by province, and the totals (the sum for a
        summed table, the province's own row for a recomputed one)."""
        sums: Rows = {}
        totals: Rows = {}
        if not tables:
            return sums, totals
        with connection.cursor() as cur:
            cur.execute(cell_sum_sql, [campaign.pk, *approved, seg])
            for path, ind, key, total in cur.fetchall():
                sums.setdefault(path, {}).setdefault(ind, {})[key] = Decimal(total)
                if ind in summed_tables:
                    totals.setdefault(path, {}).setdefault(ind, {})[key] = Decimal(total)
            if own_tables:
                cur.execute(cell_own_sql, [campaign.pk, *own_tables])
                for path, ind, key, total in cur.fetchall():
                    totals.setdefault(path, {}).setdefault(ind, {})[key] = Decimal(total)
        return sums, totals

    def reference_all() -> Any:
        return reference(), reference_cells()

    def reference() -> tuple[dict[str, dict[int, Any]], dict[str, dict[int, Any]]]:
        """Every indicator's sum by province (what the roll-up's sums hold), and the
        totals: the sums of the summed indicators, the province's own figure of the
        recomputed ones."""
        sums: dict[str, dict[int, Any]] = {}
        totals: dict[str, dict[int, Any]] = {}
        with connection.cursor() as cur:
            cur.execute(sum_sql, [campaign.pk, *approved, seg])
            for path, ind, total in cur.fetchall():
                sums.setdefault(path, {})[ind] = Decimal(total)
                if ind in summed_set:
                    totals.setdefault(path, {})[ind] = Decimal(total)
            cur.execute(own_sql, [campaign.pk, *own])
            for path, ind, total in cur.fetchall():
                totals.setdefault(path, {})[ind] = Decimal(total)
        return sums, totals

    summed_set = set(summed)

    def rolled() -> tuple[dict[str, dict[int, Any]], dict[str, dict[int, Any]]]:
        result = rollup_campaign(campaign)
        path_of = dict(Report.objects.filter(pk__in=list(result)).values_list("id", "unit__path"))
        sums = {path_of[pid]: dict(entry.sums) for pid, entry in result.items()}
        totals = {
            path_of[pid]: {k: v for k, v in entry.totals.items() if v is not None}
            for pid, entry in result.items()
        }
        return sums, totals

    (ref_sums, ref_totals), (my_sums, mine) = reference(), rolled()
    if ref_sums != my_sums or ref_totals != mine:
        diff = [p for p in ref_totals if ref_totals[p] != mine.get(p)]
        print(f"FAIL: the roll-up differs from the reference for {len(diff)} provinces")
        return 1
    ref_cell_sums, ref_cell_totals = reference_cells()
    result = rollup_campaign(campaign)
    path_of = dict(Report.objects.filter(pk__in=list(result)).values_list("id", "unit__path"))
    my_cell_sums = {
        path_of[pid]: {i: dict(rows) for i, rows in e.cell_sums.items() if rows}
        for pid, e in result.items()
        if any(e.cell_sums.values())
    }
    my_cell_totals = {
        path_of[pid]: {
            i: {k: v for k, v in rows.items() if v is not None}
            for i, rows in e.cell_totals.items()
            if any(v is not None for v in rows.values())
        }
        for pid, e in result.items()
        if any(v is not None for rows in e.cell_totals.values() for v in rows.values())
    }
    if ref_cell_sums != my_cell_sums or ref_cell_totals != my_cell_totals:
        print("FAIL: the roll-up's table rows differ from the reference")
        return 1
    if tables and not ref_cell_sums:
        print("FAIL: no table rows were rolled up")
        return 1
    # The raw count: every approved commune's figure, added up in Python.
    raw: dict[int, Decimal] = dict.fromkeys(summed, Decimal(0))
    counted = {r.pk for r in reports if r.status in APPROVED_STATUSES and r.unit.depth == 2}
    for v in values:
        if v.report_id in counted and v.indicator_id in raw:
            raw[v.indicator_id] += v.value or 0
    for pk in summed:
        total = sum(p.get(pk, Decimal(0)) for p in mine.values())
        if total != raw[pk]:
            print(f"FAIL: indicator {pk}: roll-up {total}, raw {raw[pk]}")
            return 1
    step("totals equal the raw counts; timing")

    ms = harness.medians(
        {"reference": reference_all, "rollup": rollup_campaign_only(campaign)}, args.repeat
    )
    ratio = ms["rollup"] / ms["reference"]
    print(
        f"  median of {args.repeat}: reference {ms['reference']:8.1f} ms,"
        f" rollup {ms['rollup']:8.1f} ms, ratio {ratio:5.2f}",
        flush=True,
    )
    harness.emit(
        {
            "backend": backend,
            "status": "done",
            "reports": len(reports),
            "values": len(values),
            "reference_ms": ms["reference"],
            "rollup_ms": ms["rollup"],
            "ratio": ratio,
        }
    )
    return 0


def rollup_campaign_only(campaign: Any) -> Any:
    from danvan.reports.campaigns.rollup import rollup_campaign

    return lambda: rollup_campaign(campaign)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    if args.child:
        return main_child(args.child, args)
    return main_parent(args)


if __name__ == "__main__":
    sys.exit(main())
