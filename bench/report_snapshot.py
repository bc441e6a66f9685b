"""Benchmark: taking a report campaign's cut-off snapshot, by units and by records.

Goal (issue 13, "Measured"): taking the cut-off snapshot for the nation is linear in units
and records; print the time per 1,000 units.

Run ``make bench`` (or ``.venv/bin/python bench/report_snapshot.py``). For each backend the
script starts itself again in a subprocess with its own throwaway database (bench/
harness.py). In it, it migrates, loads the unit tree, and generates ``--entries`` movement
entries spread over every live commune (bench/movement_stats.py's generator: registered
in the half-year 2020's data period, some recognized). A campaign of the seeded half-year
template (6 computed indicators: entries, cases, tasks, disclosures; and the table of
entries by field, a row per field) is written with one
draft report per unit, for:

- a tenth of the nation (the first provinces' subtrees, about 340 units) and the whole
  nation (34 provinces and 3,321 communes);
- the whole nation again after doubling the entries.

Each run times ``danvan.reports.campaigns.services.take_snapshot(campaign=…)`` (the values
deleted before each run, so that every run writes them all), the median of ``--repeat``.
It prints the time per 1,000 units and two ratios:

- units: time per unit for the nation / time per unit for the tenth (linear: ≤ 1.3);
- records: the nation's time with twice the entries / with the entries (linear in the
  records: ≤ 2.2, i.e. at most proportional, with a tenth for noise).

Options: ``--entries N`` (default 200,000), ``--repeat N`` (default 3), ``--only``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import harness

UNITS_GOAL = 1.3
RECORDS_GOAL = 2.2


def main_parent(args: argparse.Namespace) -> int:
    results = harness.on_each_backend(
        Path(__file__).resolve(),
        ["--entries", str(args.entries), "--repeat", str(args.repeat)],
        only=args.only,
        db_prefix="danvan_bench_snapshot",
    )

    def report(r: dict[str, Any]) -> bool:
        ok = r["units_ratio"] <= UNITS_GOAL and r["records_ratio"] <= RECORDS_GOAL
        print(
            f"{r['backend']:<11} {r['per_1000_ms']:8.1f} ms per 1,000 units;"
            f" units ratio {r['units_ratio']:4.2f} (≤ {UNITS_GOAL}),"
            f" records ratio {r['records_ratio']:4.2f} (≤ {RECORDS_GOAL})"
            f"  {'PASS' if ok else 'MISS'}"
        )
        return ok

    return harness.summary(results, "snapshot linear in units and records", report)


def main_child(backend: str, args: argparse.Namespace) -> int:
    step = harness.start_child()
    import movement_stats
    from django.db import connection, transaction

    from danvan.reports.campaigns import services
    from danvan.reports.campaigns.models import (
        Campaign,
        Report,
        ReportCell,
        ReportEvent,
        ReportValue,
    )
    from danvan.reports.models import Regime
    from danvan.units.models import Unit, UnitKind

    regime = Regime.objects.get(code="nd09-6-thang-dan-chu-co-so")
    template = regime.templates.get(version=1)
    start, end = regime.period(2020)
    live = Unit.objects.filter(
        kind__in=[UnitKind.PROVINCE, UnitKind.COMMUNE], valid_to__isnull=True
    ).order_by("path")
    units = list(live)
    provinces = [u for u in units if u.kind == UnitKind.PROVINCE]
    communes = [u.pk for u in units if u.kind == UnitKind.COMMUNE]

    def generate(rows: int) -> None:
        with connection.cursor() as cur:
            cur.execute("CREATE TABLE bench_unit (idx INTEGER PRIMARY KEY, unit_id INTEGER)")
            cur.executemany(
                "INSERT INTO bench_unit (idx, unit_id) VALUES (%s, %s)", list(enumerate(communes))
            )
        with transaction.atomic():
            movement_stats._generate(connection, rows, 1, (len(communes), 1))
        with connection.cursor() as cur:
            cur.execute("DROP TABLE bench_unit")
            cur.execute("ANALYZE")

    def campaign_of(chosen: list[Unit], title: str, owner: Unit) -> Campaign:
        campaign = Campaign.objects.create(
            regime=regime,
            template=template,
            year=2020,
            period_start=start,
            period_end=end,
            owner_unit=owner,  # one campaign per template, year and owner
            title=title,
        )
        Report.objects.bulk_create(
            [Report(campaign=campaign, unit=u, due_date=end) for u in chosen], batch_size=1000
        )
        return campaign

    def timed(campaign: Campaign) -> float:
        times = []
        for _ in range(args.repeat):
            ReportValue.objects.filter(report__campaign=campaign).delete()
            ReportCell.objects.filter(report__campaign=campaign).delete()
            ReportEvent.objects.filter(report__campaign=campaign).delete()
            Report.objects.filter(campaign=campaign).update(snapshot_taken_at=None)
            t0 = time.perf_counter()
            services.take_snapshot(campaign=campaign)
            times.append((time.perf_counter() - t0) * 1000)
        return statistics.median(times)

    step(f"generating {args.entries:,} entries over {len(communes):,} communes")
    generate(args.entries)
    tenth_paths = [p.path for p in provinces[: max(1, len(provinces) // 10)]]
    tenth = [u for u in units if any(u.path.startswith(p) for p in tenth_paths)]
    small = campaign_of(tenth, "tenth", provinces[0])
    nation = campaign_of(units, "nation", provinces[1])
    step(f"timing: {len(tenth):,} units, then {len(units):,}")
    small_ms, nation_ms = timed(small), timed(nation)
    values = ReportValue.objects.filter(report__campaign=nation, computed__isnull=False)
    computed = values.count()
    if computed == 0 or not values.filter(computed__gt=0).exists():
        print("FAIL: the snapshot computed no figure")
        return 1
    step(f"doubling the entries ({args.entries:,} more)")
    # The generator numbers its public ids from 1: move the first batch's out of the way.
    renumber = (
        "md5('first' || id::text)::uuid"
        if connection.vendor == "postgresql"
        else "printf('f%031x', id)"
    )
    with connection.cursor() as cur:
        cur.execute(f"UPDATE movement_entry SET public_id = {renumber}")
    generate(args.entries)
    doubled_ms = timed(nation)
    per_unit_small, per_unit_nation = small_ms / len(tenth), nation_ms / len(units)
    result = {
        "backend": backend,
        "status": "done",
        "per_1000_ms": per_unit_nation * 1000,
        "units_ratio": per_unit_nation / per_unit_small,
        "records_ratio": doubled_ms / nation_ms,
    }
    print(
        f"  {len(tenth):,} units {small_ms:8.1f} ms; {len(units):,} units {nation_ms:8.1f} ms"
        f" ({computed:,} computed figures); with twice the entries {doubled_ms:8.1f} ms",
        flush=True,
    )
    harness.emit(result)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--entries", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.child:
        return main_child(args.child, args)
    return main_parent(args)


if __name__ == "__main__":
    sys.exit(main())
