"""Benchmark: the Word export of a province report stays linear in its annex's rows.

Goal (issue 13, item 5, "Measured"): "The Word export of a province report with a
3,321-row annex table stays linear: 10× the rows cost at most 11× the time (fill tables
row by row, never cell by cell through python-docx's quadratic path)."

Run ``make bench`` (or ``.venv/bin/python bench/report_docx.py``). The layout rows come
from the migrations, so the script migrates a throwaway SQLite database first (the
layout is one query per export; the time is python-docx's). It builds a province report
(two sections with their figures, a chart, a table of 332 child units) whose annex has
none, ``--small`` (332) then ``--large`` (3,321) rows of eight columns, and times,
interleaved, the median of ``--repeat`` rounds of ``report_docx`` for each. The goal is
judged on what the annex adds (the time with it less the time without): the large
annex's cost over the small one's must be at most 11× (for exactly 10× the rows; scaled
to the actual ratio of rows). Prints the times, that ratio and the whole report's,
PASS/MISS; exit status 1 on a MISS or when the layout checker (run once on the large
file, not timed) finds a problem.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL = 11.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=332)
    parser.add_argument("--large", type=int, default=3321)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    tmp = tempfile.TemporaryDirectory(prefix="danvan-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp.name) / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    from danvan.core.charts import Item, Series
    from danvan.legal.layoutcheck import check_document
    from danvan.reports.exports.document import (
        AnnexRow,
        ChildRow,
        ChildTable,
        IndicatorRow,
        ReportChart,
        ReportDocument,
        Section,
    )
    from danvan.reports.exports.word import official_document, report_docx

    call_command("migrate", verbosity=0, interactive=False)
    indicators = [
        IndicatorRow(f"Chỉ tiêu {k}", "hội nghị", k * 31, k * 29, k * 30) for k in range(12)
    ]
    chart = ReportChart(
        "Hội nghị theo xã",
        [Item(f"Xã {i}", {"n": i}) for i in range(10)],
        [Series("n", "Kỳ này", "#0d6efd")],
    )
    base = ReportDocument(
        family="state",
        superior_body="UBND TỈNH THỬ NGHIỆM",
        issuer_body="BAN CHỈ ĐẠO THỰC HIỆN QUY CHẾ DÂN CHỦ Ở CƠ SỞ",
        number="21/BC-BCĐ",
        place="Thái Nguyên",
        issued_on=dt.date(2027, 6, 20),
        doc_type_title="BÁO CÁO",
        excerpt="Kết quả thực hiện dân chủ ở cơ sở 6 tháng đầu năm 2027",
        signing_authority="TM. BAN CHỈ ĐẠO",
        signer_position="TRƯỞNG BAN",
        signer_name="Nguyễn Văn Thử",
        recipients=["- Ban Chỉ đạo Trung ương;", "- Lưu: VT."],
        sections=[
            Section("I. KẾT QUẢ", ["Đoạn văn."] * 5, indicators, [chart]),
            Section("II. PHƯƠNG HƯỚNG", ["Đoạn văn."] * 3),
        ],
        children=ChildTable(
            "Số liệu theo xã", ["A", "B", "C"], [ChildRow(f"Xã {i}", [i, i, i]) for i in range(332)]
        ),
    )

    def annexed(n: int) -> ReportDocument:
        query = "democracy.dialogues"
        rows = [
            AnnexRow(f"X{i:05d}", f"Xã thử nghiệm {i}", query, "hội nghị", i * 3, i, "sổ")
            for i in range(n)
        ]
        return dataclasses.replace(base, annex=rows)

    docs = {"none": annexed(0), "small": annexed(args.small), "large": annexed(args.large)}
    times: dict[str, list[float]] = {k: [] for k in docs}
    for _ in range(args.repeat):
        for name, doc in docs.items():
            t0 = time.perf_counter()
            report_docx(doc)
            times[name].append(time.perf_counter() - t0)
    none, small, large = (statistics.median(times[k]) for k in ("none", "small", "large"))
    problems = check_document(report_docx(docs["large"]), official_document(docs["large"]))
    rows_ratio = args.large / args.small
    # Judged on what the annex adds to the report (the rest of the report costs the same
    # at both sizes and would flatter the ratio), scaled to 10× the rows.
    ratio = (large - none) / (small - none)
    goal = GOAL * rows_ratio / 10
    whole = large / small
    ok = ratio <= goal and not problems
    print(f"report without annex {none * 1000:.0f} ms; with {args.small:,} annex rows "
          f"{small * 1000:.0f} ms; with {args.large:,} {large * 1000:.0f} ms "
          f"(median of {args.repeat})")  # fmt: skip
    print(f"the annex: {rows_ratio:.2f}× the rows cost {ratio:.2f}× the time "
          f"(goal ≤ {goal:.2f}×) {'PASS' if ratio <= goal else 'MISS'}")  # fmt: skip
    print(f"whole report: {whole:.2f}× the time")
    print(f"layout checker on the large file: {len(problems)} problem(s)")
    for problem in problems:
        print(f"  - {problem}")
    tmp.cleanup()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
