"""Benchmark: the indicators' Excel export against openpyxl's own write-only mode.

Goal (issue 13, item 5, "Measured"): "Excel export of 10^5 rows: at least 60% of the
speed of openpyxl's write-only mode writing the same rows; peak memory at 10^5 rows at
most 1.3× that at 10^4."

Run ``make bench`` (or ``.venv/bin/python bench/report_excel.py``). No database. Rows are
a unit's name and ``--indicators`` numbers (ints and floats, a few None), generated
lazily, the same for both sides. It times, interleaved, the median of ``--repeat`` rounds
of:

- reference: ``openpyxl.Workbook(write_only=True)``, one sheet, header row, ``append``
  of every row, ``save`` to a temporary file;
- export: ``danvan.reports.exports.excel.write_indicators_xlsx`` with one level of the
  same rows to a temporary file (core/excel.py's writer: every value checked on its way);

then the peak of Python's allocations (tracemalloc) of the export at 10^4 and at 10^5
rows. Prints the times, the speed ratio and the memory ratio, PASS/MISS against both
goals; exit status 1 on a MISS.

Options: ``--rows N`` (default 100,000), ``--repeat N`` (default 3), ``--indicators N``
(default 10).
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEED_GOAL = 0.6
MEMORY_GOAL = 1.3


def _values(n: int, indicators: int) -> Iterator[list[object]]:
    for i in range(n):
        values: list[object] = [(i * 7 + k) % 1000 for k in range(indicators)]
        values[1] = round((i % 1000) / 10, 1)
        if i % 17 == 0:
            values[2] = None
        yield [f"Xã Thử nghiệm số {i}", *values]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--indicators", type=int, default=10)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings.test")
    import django

    django.setup()
    from openpyxl import Workbook as RawWorkbook  # the reference, not an export

    from danvan.reports.exports.document import ChildRow, Level
    from danvan.reports.exports.excel import write_indicators_xlsx

    headings = [f"Chỉ tiêu {k + 1}" for k in range(args.indicators)]

    def level(n: int) -> Level:
        rows = (ChildRow(r[0], r[1:]) for r in _values(n, args.indicators))  # type: ignore[arg-type]
        return Level(name="Xã", indicators=headings, rows=rows)

    def reference() -> None:
        book = RawWorkbook(write_only=True)
        sheet = book.create_sheet("Xã")
        sheet.freeze_panes = "B2"
        sheet.append(["Đơn vị", *headings])
        for row in _values(args.rows, args.indicators):
            sheet.append(row)
        with tempfile.TemporaryFile() as out:
            book.save(out)

    def export(n: int = args.rows) -> None:
        with tempfile.TemporaryFile() as out:
            write_indicators_xlsx([level(n)], out)

    fns: dict[str, Callable[[], None]] = {"reference": reference, "export": export}
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(args.repeat):
        for name, fn in fns.items():
            gc.collect()
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    ref, ours = (statistics.median(times[k]) for k in ("reference", "export"))
    speed = ref / ours

    def peak(n: int) -> int:
        gc.collect()
        tracemalloc.start()
        export(n)
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    small, large = peak(args.rows // 10), peak(args.rows)
    memory = large / small
    print(f"rows {args.rows:,}, {args.indicators} indicators, median of {args.repeat}")
    print(f"openpyxl write-only {ref:.2f} s, export {ours:.2f} s: speed ratio {speed:.2f} "
          f"(goal ≥ {SPEED_GOAL}) {'PASS' if speed >= SPEED_GOAL else 'MISS'}")  # fmt: skip
    print(f"peak memory {small / 1e6:.2f} MB at {args.rows // 10:,} rows, {large / 1e6:.2f} MB "
          f"at {args.rows:,}: ratio {memory:.2f} (goal ≤ {MEMORY_GOAL}) "
          f"{'PASS' if memory <= MEMORY_GOAL else 'MISS'}")  # fmt: skip
    return 0 if speed >= SPEED_GOAL and memory <= MEMORY_GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
