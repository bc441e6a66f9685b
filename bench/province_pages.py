"""Benchmark: every province page's HTML size and server time on the demo data.

Goal (issue 10, deliverable 3 and "Measured"): every page type a province user opens
over the whole subtree (danvan.core.page_budget.province_pages) stays at most about
100 KB of HTML and under 300 ms on the demo data.

For each backend (``--only sqlite|postgresql``) a child process migrates a throwaway
database, loads the real unit tree and seeds the demo (``seed_demo``: Thái Nguyên, 92
communes, a year of cases, disclosures, votes, boards, conferences and the movement's
history). It logs in with the Django test client as the province's unit administrator
(``tinh.quantri``, who may open every page, audit included; the second factor is passed
as the test helpers do), fetches each page once to warm up, then ``--repeat`` times
in rotation, and prints for each page type the HTML size and the median server time,
with the ratio against a reference measured in the same run: the same user's account
page (the site's layout with its menus for that user, a few lines of content: what every
page costs before it lists anything). Pages above 100 KB or
300 ms are flagged; the exit status is 1 when any is.

The time is what the test client measures around the whole request (middleware, view,
template), in this process: no network, no web server. PostgreSQL: the server named by
BENCH_POSTGRES_URL, else by DATABASE_URL when it is one (a throwaway database is created
there and dropped); ``--only sqlite`` skips it. ``--dump DIR`` writes every page's HTML.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import harness

SIZE_GOAL_KB = 100.0
TIME_GOAL_MS = 300.0


def main_parent(args: argparse.Namespace) -> int:
    # The PostgreSQL server: BENCH_POSTGRES_URL as for every bench, else the server a
    # PostgreSQL DATABASE_URL names, reached through its "postgres" maintenance database
    # (a throwaway database is created there and dropped; the named one is not touched).
    url = urlsplit(os.environ.get("DATABASE_URL", ""))
    if url.scheme in ("postgres", "postgresql"):
        os.environ.setdefault("BENCH_POSTGRES_URL", urlunsplit(url._replace(path="/postgres")))
    results = harness.on_each_backend(
        Path(__file__).resolve(),
        ["--repeat", str(args.repeat)] + (["--dump", args.dump] if args.dump else []),
        only=args.only,
        db_prefix="danvan_bench_province_pages",
    )

    def report(r: dict[str, Any]) -> bool:
        print(
            f"{r['backend']}: reference (the user's account page) {r['reference_kb']:.1f} KB,"
            f" {r['reference_ms']:.1f} ms"
        )
        header = f"{'page':<30} {'status':>6} {'KB':>8} {'ms':>8} {'ratio':>7}  result"
        print(header)
        print("-" * len(header))
        met = True
        for p in r["pages"]:
            flags = []
            if p["status"] != 200:
                flags.append(f"HTTP {p['status']}")
            if p["kb"] > SIZE_GOAL_KB:
                flags.append(f"> {SIZE_GOAL_KB:.0f} KB")
            if p["ms"] > TIME_GOAL_MS:
                flags.append(f"> {TIME_GOAL_MS:.0f} ms")
            met &= not flags
            verdict = "FAIL " + ", ".join(flags) if flags else "ok"
            print(
                f"{p['name']:<30} {p['status']:>6} {p['kb']:>8.1f} {p['ms']:>8.1f}"
                f" {p['ms'] / r['reference_ms']:>7.1f}  {verdict}"
            )
        return met

    return harness.summary(
        results,
        f"goal: every province page ≤ {SIZE_GOAL_KB:.0f} KB and ≤ {TIME_GOAL_MS:.0f} ms;"
        " ratio = page time / reference page time",
        report,
    )


def main_child(backend: str, args: argparse.Namespace) -> int:
    step = harness.start_child()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from danvan.accounts.models import User
    from danvan.accounts.testing import login_verified
    from danvan.core.page_budget import province_pages
    from danvan.units.demo import PROVINCE_CODE
    from danvan.units.models import Unit

    # The test client's host ("testserver") allowed, as under pytest.
    setup_test_environment()
    step("seed_demo")
    call_command("seed_demo", "--force", verbosity=0)
    province = Unit.objects.get(code=PROVINCE_CODE)
    # A page that fails is reported with its status, not fatal to the run.
    client = Client(raise_request_exception=False)
    login_verified(client, User.objects.get(username="tinh.quantri"))
    pages = province_pages(province)
    step(f"{len(pages)} page types, {args.repeat} rounds")

    def fetch(c: Any, url: str) -> tuple[int, int, float]:
        t0 = time.perf_counter()
        response = c.get(url)
        ms = (time.perf_counter() - t0) * 1000
        return response.status_code, len(response.content), ms

    reference_url = reverse("accounts:profile")
    # Warm-up: templates compiled, caches filled, as on a server that has run a while.
    fetch(client, reference_url)
    first = {p.name: fetch(client, p.url) for p in pages}
    if args.dump:
        # Each page's HTML, to see where the bytes go.
        out = Path(args.dump)
        out.mkdir(parents=True, exist_ok=True)
        for p in pages:
            (out / f"{backend}-{p.name}.html").write_bytes(client.get(p.url).content)
    times: dict[str, list[float]] = {p.name: [] for p in pages}
    ref_times: list[float] = []
    ref_size = 0
    for _ in range(args.repeat):
        _status, ref_size, ms = fetch(client, reference_url)
        ref_times.append(ms)
        for p in pages:
            times[p.name].append(fetch(client, p.url)[2])
    harness.emit(
        {
            "backend": backend,
            "status": "done",
            "reference_kb": ref_size / 1024,
            "reference_ms": statistics.median(ref_times),
            "pages": [
                {
                    "name": p.name,
                    "url": p.url,
                    "status": first[p.name][0],
                    "kb": first[p.name][1] / 1024,
                    "ms": statistics.median(times[p.name]),
                }
                for p in pages
            ],
        }
    )
    return 0


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--child")
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("--only", choices=["sqlite", "postgresql"])
    p.add_argument("--dump", help="write each page's HTML into this directory")
    args = p.parse_args()
    if args.child:
        return main_child(args.child, args)
    return main_parent(args)


if __name__ == "__main__":
    sys.exit(main())
