"""Benchmark: a commune's portal page under load, on the production set-up, against a bare
Django view of the same size on the same server.

Goal (issue 14, "Measured"): under load from a second process on loopback (wrk, bounded
in time), a commune's page served by gunicorn with the production settings, PostgreSQL
and Redis reaches, in requests per second, at least 40% of a bare Django view returning
the same number of bytes with the cache cold, at least 85% with it warm, and its p95
latency warm is at most 2× the bare view's. It also prints the bytes of every page type.

Set-up (everything made here is removed at the end, also after a failure or Ctrl-C):

- a throwaway PostgreSQL database on the server of BENCH_POSTGRES_URL (default
  postgres://postgres@127.0.0.1:5432/postgres, trust auth): migrate, ``load_units``,
  ``seed_demo --force`` (Thái Nguyên and its communes), ``collectstatic`` into a temp dir;
- Redis at BENCH_REDIS_URL (default redis://127.0.0.1:6379/13), a database number of the
  bench's own, used as the cache and the broker and FLUSHED by the bench (never db 0);
- gunicorn ``danvan.wsgi:application`` with DJANGO_SETTINGS_MODULE=portal_settings (the
  production settings with the bench's URLconf, bench/portal_urls.py: the site's URLs plus
  the bare view ``/bench/bare/<size>/`` and the cold door, below), 2 workers × 2 threads
  (gthread, as the production pools in docs/operations.md), ``--preload``, on 127.0.0.1
  and a free port. The environment production requires is set (DJANGO_SECRET_KEY of 64
  random characters, DJANGO_ALLOWED_HOSTS, DATABASE_URL, CELERY_BROKER_URL,
  DANVAN_CACHE_URL, DANVAN_TRUSTED_PROXIES, DANVAN_IDENTITY_KEYS_FILE, DJANGO_MEDIA_ROOT,
  DJANGO_STATIC_ROOT) and ``DJANGO_SECURE_SSL_REDIRECT=0``: wrk speaks plain HTTP, as
  gunicorn behind the TLS-terminating proxy does (the redirect would answer every request
  with a 301); everything else keeps its production value.

The page under load is PAGES["place"], the commune's place page (a demo commune's code,
looked up in the bench's database); when it answers 404 the bench warns and falls back to
FALLBACK_PAGE. Every page type of PAGES is fetched once and its bytes printed.

Measured with wrk (``--threads`` 2, ``--connections`` 16, ``--duration`` seconds each),
in this order, after a 2 s warm-up of the workers on the bare view, each run after the
requests of the one before are all answered (gunicorn finishes them after wrk hangs up):

1. bare: ``/bench/bare/<bytes of the page>/``;
2. warm: the Redis database flushed, one request to fill the cache, then the page itself;
3. cold (last, its slow requests delaying nothing after it): the Redis database flushed,
   then every request through
   ``/bench/cold/<n>/<page>``, which serves the page with every cache lookup of that
   request made under a key prefix of its own (unique per request): each request finds
   the cache empty, renders the page from the database and stores it, exactly as the first
   request after a flush. A varying query string would not do: the place page caches per
   place, not per URL. The cold door costs one more URL resolution: noise beside a page.

wrk's Lua script (written to a temp file) counts non-2xx answers and prints the request
count, socket errors and the exact p95 (``latency:percentile(95)``). Any non-2xx answer
or socket error fails the run. Ratios: page requests/s ÷ bare requests/s, page p95 ÷ bare
p95. The p95 goal applies to the warm page: a cold page at 40% of the bare view's
throughput is necessarily more than twice as slow, so the cold p95 ratio is printed for
information only.

Exit status: 0 all goals met, 1 a goal missed or the run failed, 2 wrk absent (install it:
``apt-get install -y wrk``) or PostgreSQL/Redis unreachable. ``--only-sizes`` prints the
page sizes and stops.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import harness

COLD_GOAL = 0.40
WARM_GOAL = 0.85
P95_GOAL = 2.0
# Every page type of the portal whose bytes are printed; "place" is the one under load.
# {commune} is a demo commune's code, {province} the demo province's.
PAGES = {
    "place": "/cong-dan/noi/{commune}/",
    "province": "/cong-dan/noi/{province}/",
    "place-search": "/cong-dan/tim-noi/?q=tan+cuong",
    "home": "/cong-dan/",
    "submit": "/cong-dan/gui-phan-anh/",
    "submit-form": "/cong-dan/gui-phan-anh/?province={province}",
    "lookup": "/cong-dan/tra-cuu/",
    "schedules": "/cong-dan/lich-tiep-cong-dan/",
    "dialogues": "/cong-dan/doi-thoai/",
    "votes": "/cong-dan/bieu-quyet/",
    "disclosures": "/cong-dan/cong-khai/",
    "consultations": "/cong-dan/lay-y-kien/",
}
LOAD_PAGE = "place"
FALLBACK_PAGE = "/cong-dan/cong-khai/"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/13"
WRK_MARK = "BENCH-WRK "

WRK_SCRIPT = r"""
-- Written by bench/portal_load.py. "vary" (after --) sends each request to the cold door
-- with a number of its own: /bench/cold/<thread><counter>/<path without its first slash>.
local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
  table.insert(threads, thread)
end

function init(args)
  vary = args[1] == "vary"
  counter = 0
  non2xx = 0
  base = wrk.path
end

function request()
  if vary then
    counter = counter + 1
    return wrk.format(nil, string.format("/bench/cold/%d%09d%s", id, counter, base))
  end
  return wrk.format(nil, base)
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non2xx")
  end
  local e = summary.errors
  io.write(string.format(
    "BENCH-WRK {\"requests\": %d, \"duration_us\": %d, \"p50_us\": %d, \"p95_us\": %d,"
    .. " \"non2xx\": %d, \"socket_errors\": %d}\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    bad, e.connect + e.read + e.write + e.timeout))
end
"""


def say(msg: str) -> None:
    print(msg, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(port: int, path: str) -> tuple[int, bytes]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
            return int(response.status), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.tmp = Path(tempfile.mkdtemp(prefix="danvan-bench-portal-"))
        self.gunicorn: subprocess.Popen[bytes] | None = None
        self.admin: Any = None
        self.db_name = f"danvan_bench_portal_{os.getpid()}"
        self.db_created = False
        self.redis: Any = None
        self.port = free_port()

    # --- set-up ---------------------------------------------------------------------------

    def connect(self) -> str | None:
        """Reach PostgreSQL and Redis; None, or why not."""
        import dj_database_url
        import psycopg
        import redis

        cfg = dj_database_url.parse(os.environ.get("BENCH_POSTGRES_URL", harness.DEFAULT_PG_URL))
        self.pg: dict[str, Any] = {
            "host": cfg.get("HOST") or "127.0.0.1",
            "port": cfg.get("PORT") or 5432,
            "user": cfg.get("USER") or "postgres",
            "password": cfg.get("PASSWORD") or None,
        }
        try:
            self.admin = psycopg.connect(
                **self.pg, dbname=cfg.get("NAME") or "postgres", connect_timeout=5, autocommit=True
            )
        except psycopg.OperationalError as exc:
            return f"PostgreSQL: {str(exc).strip().splitlines()[0] if str(exc).strip() else exc}"
        self.redis_url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)
        client = redis.Redis.from_url(self.redis_url)
        # Checked before anything can flush it: db 0 is every other program's default.
        if client.connection_pool.connection_kwargs.get("db", 0) == 0:
            return "BENCH_REDIS_URL must name a Redis database other than 0 (the bench flushes it)"
        try:
            client.ping()
        except redis.RedisError as exc:
            return f"Redis {self.redis_url}: {exc}"
        self.redis = client  # only now may tear_down flush it
        return None

    def env(self) -> dict[str, str]:
        from cryptography.fernet import Fernet

        keys = self.tmp / "identity.keys"
        if not keys.exists():
            keys.write_text(Fernet.generate_key().decode() + "\n")
            keys.chmod(0o600)
        for folder in ("media", "static", "var"):
            (self.tmp / folder).mkdir(exist_ok=True)
        auth = self.pg["user"] + (f":{self.pg['password']}" if self.pg["password"] else "")
        if not hasattr(self, "secret"):
            self.secret = secrets.token_urlsafe(48)  # 64 characters
        return {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(harness.ROOT / "bench"), str(harness.ROOT)]),
            "DJANGO_SETTINGS_MODULE": "portal_settings",
            "DJANGO_SECRET_KEY": self.secret,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": f"postgres://{auth}@{self.pg['host']}:{self.pg['port']}/{self.db_name}",
            "CELERY_BROKER_URL": self.redis_url,
            "DANVAN_CACHE_URL": self.redis_url,
            "DANVAN_TRUSTED_PROXIES": "127.0.0.1",
            "DANVAN_IDENTITY_KEYS_FILE": str(keys),
            "DJANGO_MEDIA_ROOT": str(self.tmp / "media"),
            "DJANGO_STATIC_ROOT": str(self.tmp / "static"),
            "DANVAN_VAR_DIR": str(self.tmp / "var"),
            # wrk speaks plain HTTP to gunicorn, as the TLS-terminating proxy does.
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "LOG_LEVEL": "WARNING",
        }

    def manage(self, *args: str) -> str:
        result = subprocess.run(  # noqa: S603 (our own manage.py)
            [sys.executable, str(harness.ROOT / "manage.py"), *args],
            env=self.env(),
            cwd=harness.ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"manage.py {' '.join(args)} failed:\n"
                f"{result.stdout[-2000:]}{result.stderr[-3000:]}"
            )
        return result.stdout

    def set_up(self) -> None:
        from psycopg import sql

        started = time.perf_counter()

        def step(msg: str) -> None:
            say(f"[{time.perf_counter() - started:6.1f}s] {msg}")

        self.admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.db_name)))
        self.db_created = True
        self.redis.flushdb()
        step(f"PostgreSQL {self.db_name}: migrate")
        self.manage("migrate", "--noinput", "-v0")
        step("load_units")
        self.manage("load_units", "-v0")
        step("seed_demo --force")
        self.manage("seed_demo", "--force", "-v0")
        step("collectstatic")
        self.manage("collectstatic", "--noinput", "-v0")
        # The planner's statistics, as autovacuum leaves them on a server in service: right
        # after a bulk load it still believes the new tables nearly empty (the 10,000 former
        # names: a nested loop over all of them, 10 ms, instead of 0.2 ms by the index).
        step("ANALYZE")
        self.manage(
            "shell",
            "-c",
            "from django.db import connection; connection.cursor().execute('ANALYZE')",
        )
        codes = self.manage(
            "shell",
            "-c",
            "from danvan.units.demo import COMMUNE_CODES, PROVINCE_CODE;"
            "from danvan.units.models import Unit;"
            "print(Unit.objects.get(code=COMMUNE_CODES[0]).code,"
            " Unit.objects.filter(code=PROVINCE_CODE).first().code)",
        ).split()
        self.commune, self.province = codes[-2], codes[-1]
        step(f"gunicorn on 127.0.0.1:{self.port} (2 workers × 2 threads)")
        log = (self.tmp / "gunicorn.log").open("wb")
        self.gunicorn = subprocess.Popen(  # noqa: S603
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "danvan.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--threads",
                "2",
                "--worker-class",
                "gthread",
                "--preload",
                "--timeout",
                "60",
                "--error-logfile",
                "-",
                "--log-level",
                "warning",
            ],
            env=self.env(),
            cwd=harness.ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, killed as one at the end
        )
        deadline = time.monotonic() + 60
        while True:
            if self.gunicorn.poll() is not None:
                raise RuntimeError("gunicorn stopped:\n" + self.gunicorn_log())
            with contextlib.suppress(OSError):
                if fetch(self.port, "/bench/bare/1/")[0] == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not answer in 60 s:\n" + self.gunicorn_log())
            time.sleep(0.3)
        step("gunicorn answers")

    def drain(self, seconds: float = 30) -> None:
        """Wait until the requests wrk left behind are answered: gunicorn finishes the
        requests in hand after wrk hangs up, and the next run must not share the workers
        with them. Idle is a bare request answered in under 20 ms twice in a row."""
        deadline = time.monotonic() + seconds
        quick = 0
        while quick < 2 and time.monotonic() < deadline:
            t0 = time.perf_counter()
            fetch(self.port, "/bench/bare/1/")
            quick = quick + 1 if time.perf_counter() - t0 < 0.02 else 0
            time.sleep(0.2)

    def gunicorn_log(self) -> str:
        path = self.tmp / "gunicorn.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def tear_down(self) -> None:
        from psycopg import sql

        if self.gunicorn is not None and self.gunicorn.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.gunicorn.pid, signal.SIGTERM)
            try:
                self.gunicorn.wait(10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.gunicorn.pid, signal.SIGKILL)
                self.gunicorn.wait(5)
        if self.redis is not None:
            with contextlib.suppress(Exception):
                self.redis.flushdb()
        if self.admin is not None:
            if self.db_created:
                self.admin.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        sql.Identifier(self.db_name)
                    )
                )
            self.admin.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    # --- measuring --------------------------------------------------------------------------

    def sizes(self) -> dict[str, dict[str, Any]]:
        """Each page type fetched once: status, bytes, bytes once gzipped."""
        out = {}
        for name, template in PAGES.items():
            path = template.format(commune=self.commune, province=self.province)
            status, body = fetch(self.port, path)
            out[name] = {
                "path": path,
                "status": status,
                "bytes": len(body),
                "gzip": len(gzip.compress(body, 6)),
            }
        return out

    def wrk(self, path: str, *, vary: bool = False, seconds: float | None = None) -> dict[str, Any]:
        script = self.tmp / "report.lua"
        script.write_text(WRK_SCRIPT)
        duration = seconds if seconds is not None else self.args.duration
        cmd = [
            "wrk", "--threads", str(self.args.threads),
            "--connections", str(self.args.connections),
            "--duration", f"{duration:g}s", "--timeout", "10s",
            "--script", str(script), f"http://127.0.0.1:{self.port}{path}",
        ]  # fmt: skip
        if vary:
            cmd += ["--", "vary"]
        result = subprocess.run(cmd, capture_output=True, text=True, check=False)  # noqa: S603
        for line in result.stdout.splitlines():
            if line.startswith(WRK_MARK):
                data: dict[str, Any] = json.loads(line[len(WRK_MARK) :])
                data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
                data["p95_ms"] = data["p95_us"] / 1000
                data["p50_ms"] = data["p50_us"] / 1000
                return data
        raise RuntimeError(f"wrk gave no result (exit {result.returncode}):\n{result.stderr}")


def print_sizes(sizes: dict[str, dict[str, Any]]) -> None:
    say(f"\n{'page type':<16} {'status':>6} {'bytes':>9} {'gzip':>8}  path")
    for name, s in sizes.items():
        say(f"{name:<16} {s['status']:>6} {s['bytes']:>9} {s['gzip']:>8}  {s['path']}")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--duration", type=float, default=8.0, help="seconds of each wrk run")
    p.add_argument("--connections", type=int, default=16)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--only-sizes", action="store_true", help="print the page sizes and stop")
    args = p.parse_args()

    if shutil.which("wrk") is None:
        say("wrk is not installed: apt-get install -y wrk (Debian's package), then run again.")
        return 2
    bench = Bench(args)
    try:
        why = bench.connect()
        if why:
            say(f"Cannot run: {why}")
            return 2
        bench.set_up()
        sizes = bench.sizes()
        print_sizes(sizes)
        if args.only_sizes:
            return 0
        page = sizes[LOAD_PAGE]
        path = page["path"]
        if page["status"] == 404:
            say(f"WARNING: {path} answers 404; measuring {FALLBACK_PAGE} instead.")
            path = FALLBACK_PAGE
            status, body = fetch(bench.port, path)
            page = {"path": path, "status": status, "bytes": len(body)}
        if page["status"] != 200:
            say(f"{path} answers HTTP {page['status']}: nothing to measure.")
            return 1
        bare = f"/bench/bare/{page['bytes']}/"
        bench.wrk(bare, seconds=2)  # the workers' first requests, not measured
        say(f"\nwrk: {args.threads} threads, {args.connections} connections, {args.duration:g}s")
        runs: dict[str, dict[str, Any]] = {}
        say(f"bare  {bare}")
        runs["bare"] = bench.wrk(bare)
        bench.drain()
        bench.redis.flushdb()
        fetch(bench.port, path)  # fills the cache
        say(f"warm  {path}")
        runs["warm"] = bench.wrk(path)
        bench.drain()
        bench.redis.flushdb()
        say(f"cold  {path} (each request through /bench/cold/<n>{path})")
        runs["cold"] = bench.wrk(path, vary=True)
        bench.drain()
        return report(page["bytes"], runs)
    except RuntimeError as exc:
        say(f"FAIL: {exc}")
        return 1
    finally:
        bench.tear_down()


def report(size: int, runs: dict[str, dict[str, Any]]) -> int:
    say(
        f"\n{'run':<6} {'requests':>9} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8}"
        f" {'non-2xx':>8} {'errors':>7}"
    )
    for name, r in runs.items():
        say(
            f"{name:<6} {r['requests']:>9} {r['rps']:>9.1f} {r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f}"
            f" {r['non2xx']:>8} {r['socket_errors']:>7}"
        )
    bare = runs["bare"]
    cold = runs["cold"]["rps"] / bare["rps"]
    warm = runs["warm"]["rps"] / bare["rps"]
    p95_warm = runs["warm"]["p95_ms"] / bare["p95_ms"] if bare["p95_ms"] else float("inf")
    p95_cold = runs["cold"]["p95_ms"] / bare["p95_ms"] if bare["p95_ms"] else float("inf")
    clean = all(r["non2xx"] == 0 and r["socket_errors"] == 0 for r in runs.values())
    goals = [
        (f"cold throughput ratio {cold:.2f} (goal ≥ {COLD_GOAL:.2f})", cold >= COLD_GOAL),
        (f"warm throughput ratio {warm:.2f} (goal ≥ {WARM_GOAL:.2f})", warm >= WARM_GOAL),
        (f"warm p95 ratio {p95_warm:.2f} (goal ≤ {P95_GOAL:.1f})", p95_warm <= P95_GOAL),
        ("every answer 2xx, no socket error", clean),
    ]
    say(f"\n=== Summary (page of {size} bytes vs a bare view of {size} bytes) ===")
    for text, met in goals:
        say(f"{'PASS' if met else 'MISS'}  {text}")
    say(f"info  cold p95 ratio {p95_cold:.2f}")
    met_all = all(met for _, met in goals)
    say("PASS" if met_all else "FAIL")
    return 0 if met_all else 1


if __name__ == "__main__":
    sys.exit(main())
