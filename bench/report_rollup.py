"""Benchmark: rolling up a national report campaign against the hand-written SQL.

Goal (issue 13, "Measured"): rolling up a national campaign (34 provinces, 3,321 communes,
every indicator) takes at most 1.5× the time of the hand-written SQL that computes the
same sums; the totals equal the raw counts exactly.

Run ``make bench`` (or ``.venv/bin/python bench/report_rollup.py``). For each backend the
script starts itself again in a subprocess with its own throwaway database (bench/
harness.py). In it, it migrates (the seeded half-year template: 11 number indicators, 5
added up by sum, 6 recomputed by the parent; its table by field has no rows here), loads
the unit tree, and writes a campaign with one report per live province and commune
(3,355) and every indicator's figure in each (a
snapshot, a typed figure, an override on one in seven; the values vary by unit), every
commune's report approved but one in twenty (left submitted: not counted).

It times, alternated, the median of ``--repeat`` runs of:
- rollup: ``danvan.reports.campaigns.rollup.rollup_campaign(campaign)``, every province's
  totals by each indicator's rule (sum of the approved communes' figures, the province's
  own figure where the rule recomputes), with the lists of counted and missing children;
- reference: ONE hand-written grouped SQL query summing COALESCE(override, computed,
  manual) of the approved communes' figures by province (path prefix) and indicator
  (every indicator: the roll-up keeps each sum, to flag a recomputed total its children
  disagree with), and one reading the provinces' own figures of the recomputed ones.

Before timing, every province's totals from the roll-up must equal the reference's, and
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
        ReportStatus,
        ReportValue,
    )
    from danvan.reports.campaigns.rollup import rollup_campaign
    from danvan.reports.models import Aggregation, Regime, Source
    from danvan.units import tree
    from danvan.units.models import Unit, UnitKind

    regime = Regime.objects.get(code="nd09-6-thang-dan-chu-co-so")
    template = regime.templates.get(version=1)
    # The figures (a table indicator's rows are ReportCells, not measured here).
    indicators = list(template.indicators.filter(kind="number").order_by("order"))
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
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    step(f"{len(reports):,} reports, {len(values):,} figures; checking")

    qn = connection.ops.quote_name
    value_t, report_t, unit_t = (
        qn(ReportValue._meta.db_table),
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
        {"reference": reference, "rollup": rollup_campaign_only(campaign)}, args.repeat
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
