"""``make scale``: danvan on two web nodes and a worker node, proven under load and failure.

Run as root (network namespaces): ``sudo .venv/bin/python -m scale.harness``. Steps:

1. A private cluster (scale/cluster.py): a bridge and three namespaces (web1, web2,
   worker) joined by veth pairs, PostgreSQL and Redis of the harness on ports of their
   own, the production settings on every node, the uploads on a directory all nodes
   share; ``migrate``, ``load_units``, ``seed_demo --force``, ``collectstatic``; two
   gunicorn pools on each web node (officers and API; the portal at nice 19), each node
   held to ``--node-cpu`` processors by a cgroup quota; ``celery worker -B`` on the
   worker node; the load balancer (scale/balancer.py) on loopback.
2. Shared state: a session made on web1 opens a page on web2; the portal's rate limit
   counts one citizen's sends on both nodes together.
3. Throughput: the same mixed load (officers signed in, portal reads, feedback sent from
   the portal, API writes) on one node, then on two (goal ≥ 1.7×, zero errors).
4. Latency: the p95 of officers' pages alone, then while the portal is saturated
   (goal ≤ 2×).
5. Failures: under the mixed load, an import is uploaded; while it writes, web1 and the
   worker are killed (SIGKILL), PostgreSQL is restarted, the worker node comes back. The
   balancer must fail over, the load must run without error once the database is back,
   the import must finish exactly once, nothing half-written.
6. The database is read: every accepted write is there exactly once, none twice.

Prints a PASS/FAIL line per check and exits 1 if any failed. Everything made is removed
at the end, also after a failure or Ctrl-C.
"""

from __future__ import annotations

import argparse
import io
import json
import multiprocessing
import os
import re
import shutil
import signal
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scale import load
from scale.balancer import BalancerProcess, Node
from scale.cluster import VENV_BIN, Cluster, pg_binary

NODES = {"web1": 11, "web2": 12, "worker": 21}
WEB_PORT = 8000
PUBLIC_PORT = 8001  # the portal's pool on each web node
# The portal's pool may use a quarter of its node's processors at most, and weighs 1/16 of
# the officers' pool when both want the processor (docs/operations.md, "Keeping officers
# fast"): what its cap takes comes out of the node's one quota, so the officers keep three
# quarters of the node whatever the crowd does (at half, their p95 doubled: 1.95–2.26×).
PORTAL_SHARE = 0.25
PORTAL_WEIGHT = 64
THROUGHPUT_GOAL = 1.7
LATENCY_GOAL = 2.0
# After the database is back, the nodes have this long to reconnect before errors count.
RECOVERY_GRACE = 5.0
INFO_CODE = """
import json
from danvan.accounts import policies, services
from danvan.accounts.models import User
from danvan.movement.imports import excel
from danvan.portal import selectors
officer = User.objects.get(username="tinh.canbo")
_, token = services.token_create(actor=officer, name="scale harness")
province = next(g.unit for g in policies.grants_of(officer) if g.unit is not None)
communes = list(selectors.communes_of(province).values_list("code", flat=True))
print("SCALE-INFO " + json.dumps({
    "token": token, "province": province.code, "communes": communes,
    "sheet": str(excel.DATA_SHEET), "keys": [c.key for c in excel.COLUMNS],
    "headers": [str(c.header) for c in excel.COLUMNS],
}))
"""


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


@dataclass
class Report:
    checks: list[Check] = field(default_factory=list)

    def add(self, name: str, ok: bool, detail: str) -> bool:
        self.checks.append(Check(name, ok, detail))
        say(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}")
        return ok


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


class Harness:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.cluster = Cluster()
        self.report = Report()
        self.recorder = load.Recorder()
        self.run_tag = uuid.uuid4().hex[:8]
        self.web: dict[str, Any] = {}
        self.worker: Any = None
        self.balancer: BalancerProcess | None = None
        self.info: dict[str, Any] = {}
        self.marks: dict[str, float] = {}

    # --- setting up ------------------------------------------------------------------------

    def setup(self) -> None:
        c = self.cluster
        say(f"Thư mục tạm {c.tmp}; mạng, PostgreSQL, Redis riêng của phép thử…")
        c.make_network(NODES)
        c.start_postgres()
        c.start_redis()
        c.make_env()
        say(
            f"Mạng {c.net}.0/24: web1 {c.addresses['web1']}, web2 {c.addresses['web2']},"
            f" worker {c.addresses['worker']}; PostgreSQL {c.host_address}:{c.pg_port},"
            f" Redis {c.host_address}:{c.redis_port}"
        )
        started = time.monotonic()
        say("migrate, load_units, seed_demo --force, collectstatic (trên nút worker)…")
        c.manage("worker", "migrate", "--noinput", "-v0")
        c.manage("worker", "load_units", "-v0")
        c.manage("worker", "seed_demo", "--force", "-v0", timeout=900)
        c.manage("worker", "collectstatic", "--noinput", "-v0")
        output = c.manage("worker", "shell", "-c", INFO_CODE)
        line = next(x for x in output.splitlines() if x.startswith("SCALE-INFO "))
        self.info = json.loads(line.removeprefix("SCALE-INFO "))
        say(f"Dữ liệu trình diễn sẵn sàng ({time.monotonic() - started:.0f} s)")
        for name in ("web1", "web2"):
            self.start_web(name)
        self.start_worker()
        nodes = [
            Node(n, c.addresses[n], WEB_PORT, public_port=PUBLIC_PORT) for n in ("web1", "web2")
        ]
        self.balancer = BalancerProcess(
            nodes, source_address=c.balancer_address, public_limit=self.args.public_limit
        )
        port = self.balancer.start()
        self.context = load.Context(
            port=port,
            recorder=self.recorder,
            run_tag=self.run_tag,
            token=self.info["token"],
            province=self.info["province"],
            communes=self.info["communes"],
        )
        self.wait_healthy()
        say(f"Bộ cân bằng tải: http://127.0.0.1:{port}/ → web1, web2")

    def start_web(self, name: str) -> None:
        """Two gunicorn pools on the node: the officers' and API's, and the portal's at a
        lowest CPU priority (nice 19) in a CPU group of its own, capped at a quarter of the
        node's processors, so that a crowd of citizens slows itself, not the officers
        (docs/operations.md)."""
        address = self.cluster.addresses[name]
        self.web[name] = []
        for pool, port, nice, share, weight in (
            ("", WEB_PORT, 0, 1.0, 1024),
            ("-portal", PUBLIC_PORT, 19, PORTAL_SHARE, PORTAL_WEIGHT),
        ):
            argv = [
                str(VENV_BIN / "gunicorn"), "danvan.wsgi:application",
                "--bind", f"{address}:{port}", "--workers", "2", "--threads", "2",
                "--worker-class", "gthread", "--timeout", "60", "--graceful-timeout", "5",
                "--error-logfile", "-",
            ]  # fmt: skip
            process = self.cluster.spawn(
                name + pool,
                name,
                argv,
                cores=self.args.node_cpu,
                nice=nice,
                pool=pool.strip("-") or "officers",
                share=share,
                weight=weight,
            )
            self.web[name].append(process)

    def start_worker(self) -> None:
        # Beat runs on this one node only (-B); its schedule file lives on the node.
        schedule = Path(self.cluster.node_env("worker")["DANVAN_VAR_DIR"]) / "celerybeat-schedule"
        argv = [
            str(VENV_BIN / "celery"), "-A", "danvan", "worker", "-B", "--schedule", str(schedule),
            "--concurrency", "2", "--loglevel", "INFO", "-n", f"worker-{time.time_ns()}@%h",
        ]  # fmt: skip
        self.worker = self.cluster.spawn("worker", "worker", argv)

    def wait_healthy(self, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        client = load.Client(self.context.port, load.Recorder())
        pending = {"web1", "web2"}
        while pending and time.monotonic() < deadline:
            for name in sorted(pending):
                status, _, _ = client.request(
                    "GET", "/healthz", kind="health", expect=(200,), pin=name
                )
                if status == 200:
                    pending.discard(name)
            time.sleep(0.5)
        if pending:
            raise RuntimeError(f"nodes not healthy after {seconds:.0f} s: {sorted(pending)}")

    # --- shared state ----------------------------------------------------------------------

    def check_shared_state(self) -> None:
        self.recorder.phase = "shared"
        client = load.Client(self.context.port, self.recorder)
        logged = client.login("tinh.canbo", pin="web1")
        status, headers, _ = client.request("GET", "/", kind="officer", expect=(200,), pin="web2")
        self.report.add(
            "phiên dùng chung / shared session",
            logged and status == 200,
            f"đăng nhập trên web1, trang chủ trên web2: HTTP {status}"
            f" {headers.get('location', '')}".strip(),
        )
        # One citizen (one address) sends six times, alternately on web1 and web2; the
        # limit is 5 in 10 minutes, counted in the shared cache: the sixth is refused.
        citizen = load.Client(self.context.port, self.recorder)
        statuses = []
        for i in range(6):
            node = "web1" if i % 2 == 0 else "web2"
            _, _, page = citizen.request(
                "GET",
                f"/cong-dan/gui-phan-anh/?province={self.context.province}",
                kind="portal-form",
                expect=(200,),
                pin=node,
            )
            # The form with its token but nothing filled in: refused (400), still counted.
            form = f"csrfmiddlewaretoken={citizen.csrf(page)}&province={self.context.province}"
            status, _, _ = citizen.request(
                "POST",
                "/cong-dan/gui-phan-anh/",
                kind="ratelimit",
                expect=(400,) if i < 5 else (429,),
                body=form.encode(),
                headers={"Content-Type": "application/x-www-form-urlencoded"},
                pin=node,
            )
            statuses.append(status)
        self.report.add(
            "giới hạn tần suất dùng chung / shared rate limit",
            statuses == [400] * 5 + [429],
            f"6 lần gửi (3 trên mỗi nút) từ một địa chỉ: {statuses} (mong đợi 5×400 rồi 429)",
        )

    # --- load phases -----------------------------------------------------------------------

    def mixed_users(self) -> list[Any]:
        """The mixed load: per ``--users`` step, two officers signed in (a province's and a
        commune's), two portal readers, a citizen sending feedback, an API client writing.
        Enough users at once that the nodes, not each user's turn, set the pace."""
        c = self.context
        users: list[Any] = []
        for _ in range(self.args.users):
            users += [
                load.officer(c, "tinh.canbo"),
                load.officer(c, "xa.canbo"),
                load.portal_reader(c),
                load.portal_reader(c),
                load.portal_sender(c),
                load.api_writer(c),
            ]
        return users

    def run_phase(self, phase: str, users: list[Any], seconds: float) -> list[load.Sample]:
        self.recorder.phase = phase
        started = time.monotonic()
        threads = load.start(users)
        time.sleep(seconds)
        load.finish(self.context, threads)
        elapsed = time.monotonic() - started
        samples = self.recorder.of(phase)
        # Sign-ins happen once at the start; the throughput counts the work after them.
        work = [s for s in samples if s.kind != "login"]
        errors = [s for s in samples if s.error]
        say(
            f"{phase}: {len(work)} yêu cầu trong {elapsed:.1f} s"
            f" ({len(work) / elapsed:.1f}/s), {len(errors)} lỗi"
        )
        for sample in errors[:5]:
            say(f"   lỗi: {sample.kind} {sample.error}")
        self.marks[f"{phase}-seconds"] = elapsed
        return samples

    def throughput(self) -> None:
        """The same mixed load on web1 alone and on both nodes, in alternating rounds (one,
        two, one, two) so that a neighbour's load on a shared machine weighs on both."""
        assert self.balancer is not None
        rounds = max(1, self.args.rounds)
        seconds = self.args.seconds / rounds
        done = {"one-node": 0, "two-nodes": 0}
        elapsed = {"one-node": 0.0, "two-nodes": 0.0}
        errors = 0
        for round_ in range(rounds):
            for phase in ("one-node", "two-nodes"):
                self.balancer.set_enabled("web2", phase == "two-nodes")
                name = f"{phase}-{round_ + 1}"
                samples = self.run_phase(name, self.mixed_users(), seconds)
                done[phase] += sum(1 for s in samples if s.kind != "login" and not s.error)
                elapsed[phase] += self.marks[f"{name}-seconds"]
                errors += sum(1 for s in samples if s.error)
        self.balancer.set_enabled("web2", True)
        rate_one = done["one-node"] / elapsed["one-node"]
        rate_two = done["two-nodes"] / elapsed["two-nodes"]
        ratio = rate_two / rate_one if rate_one else 0.0
        self.report.add(
            "thông lượng 2 nút / 1 nút (throughput, two web nodes vs one)",
            ratio >= THROUGHPUT_GOAL and errors == 0,
            f"{rate_one:.1f}/s → {rate_two:.1f}/s = {ratio:.2f}× (mục tiêu ≥ {THROUGHPUT_GOAL}×;"
            f" {rounds} lượt xen kẽ, mỗi lượt {seconds:.0f} s), {errors} lỗi",
        )

    def latency(self) -> None:
        c = self.context
        seconds = self.args.seconds
        officers = [load.officer(c, "tinh.canbo"), load.officer(c, "xa.canbo")]
        idle = self.run_phase("officers-idle", officers, seconds)
        officers = [load.officer(c, "tinh.canbo"), load.officer(c, "xa.canbo")]
        # The crowd runs in a process of its own (load.crowd), started before and stopped
        # after the officers' phase, so the whole phase is measured under saturation.
        mp = multiprocessing.get_context("spawn")
        stop, served, failed = mp.Event(), mp.Value("i", 0), mp.Value("i", 0)
        crowd_seconds = mp.Value("d", 0.0)
        crowd = mp.Process(
            target=load.crowd,
            args=(c.port, self.args.portal_crowd, stop, served, failed, crowd_seconds),
            daemon=True,
        )
        crowd.start()
        time.sleep(3)  # the crowd's process started and its readers running
        busy = self.run_phase("officers-portal-saturated", officers, seconds)
        stop.set()
        crowd.join(150)

        def p95(samples: list[load.Sample]) -> float:
            return load.percentile(
                [s.seconds for s in samples if s.kind == "officer" and not s.error], 0.95
            )

        idle_p95, busy_p95 = p95(idle), p95(busy)
        portal_rate = served.value / crowd_seconds.value if crowd_seconds.value else 0.0
        errors = sum(1 for s in idle + busy if s.error) + failed.value
        ratio = busy_p95 / idle_p95 if idle_p95 else float("inf")
        self.report.add(
            "p95 trang cán bộ khi cổng công dân bão hòa / officers' p95, portal saturated",
            ratio <= LATENCY_GOAL and errors == 0,
            f"{idle_p95 * 1000:.0f} ms → {busy_p95 * 1000:.0f} ms = {ratio:.2f}×"
            f" (mục tiêu ≤ {LATENCY_GOAL}×; cổng {portal_rate:.1f} trang/s từ"
            f" {self.args.portal_crowd} người dùng), {errors} lỗi",
        )

    # --- the import ------------------------------------------------------------------------

    def spreadsheet(self, rows: int) -> bytes:
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet(self.info["sheet"])
        sheet.append(self.info["headers"])
        communes = self.info["communes"]
        for i in range(rows):
            values = {
                "unit_code": communes[i % len(communes)],
                "name": f"scale-{self.run_tag}-i-{i:06d} Mô hình “Dân vận khéo” thử tải",
                "kind": "Mô hình",
                "field": "Kinh tế",
                "registration_year": 2024,
                "target_group": "Hộ gia đình",
                "goals": "Nâng cao thu nhập",
                "content_method": "Họp thôn, vận động",
                "achieved_results": f"{i % 50} hộ thoát nghèo",
            }
            sheet.append([values.get(k) for k in self.info["keys"]])
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    def upload_import(self, client: load.Client, rows: int) -> str:
        _, _, page = client.request(
            "GET", "/dan-van-kheo/nhap-excel/", kind="import", expect=(200,)
        )
        boundary = uuid.uuid4().hex
        parts = [
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"'
                f"\r\n\r\n{client.csrf(page)}\r\n"
            ).encode(),
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="target"'
                f"\r\n\r\n{self.info['province']}\r\n"
            ).encode(),
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file";'
                f' filename="scale.xlsx"\r\nContent-Type: application/vnd.openxmlformats-'
                f"officedocument.spreadsheetml.sheet\r\n\r\n"
            ).encode()
            + self.spreadsheet(rows)
            + b"\r\n",
            f"--{boundary}--\r\n".encode(),
        ]
        status, headers, body = client.request(
            "POST",
            "/dan-van-kheo/nhap-excel/",
            kind="import",
            expect=(302,),
            body=b"".join(parts),
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        match = re.search(r"/nhap-excel/([0-9a-f-]{36})/", headers.get("location", ""))
        if not match:
            raise RuntimeError(f"upload refused: HTTP {status} {body[:500]!r}")
        return match.group(1)

    def start_import(self, client: load.Client, public_id: str) -> None:
        path = f"/dan-van-kheo/nhap-excel/{public_id}/"
        _, _, page = client.request("GET", path, kind="import", expect=(200,))
        body = f"csrfmiddlewaretoken={client.csrf(page)}&mode=all".encode()
        client.request(
            "POST",
            path + "ghi/",
            kind="import",
            expect=(302,),
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )

    # --- the database, read by the harness -------------------------------------------------

    def sql(self, query: str, *params: Any) -> list[tuple[Any, ...]]:
        import psycopg

        url = self.cluster.env["DATABASE_URL"]
        with psycopg.connect(url, connect_timeout=5) as connection:
            return list(connection.execute(query, params).fetchall())

    def job_state(self, public_id: str) -> tuple[str, int, str]:
        try:
            rows = self.sql(
                "SELECT state, created_count, failure FROM movement_importjob WHERE public_id = %s",
                public_id,
            )
        except Exception as exc:  # the database may be restarting
            return (f"? ({type(exc).__name__})", 0, "")
        return rows[0] if rows else ("missing", 0, "")

    def wait_state(self, public_id: str, states: set[str], seconds: float) -> str:
        deadline = time.monotonic() + seconds
        state = ""
        while time.monotonic() < deadline:
            state = self.job_state(public_id)[0]
            if state in states:
                return state
            time.sleep(0.05)
        return state

    # --- failures --------------------------------------------------------------------------

    def failures(self) -> None:
        assert self.balancer is not None
        c = self.context
        rows = self.args.rows
        self.recorder.phase = "failures"
        importer = load.Client(c.port, self.recorder)
        importer.login("tinh.canbo")
        threads = load.start(self.mixed_users())
        say(f"Tải hỗn hợp đang chạy; tải lên tệp nhập {rows} dòng…")
        public_id = self.upload_import(importer, rows)
        state = self.wait_state(public_id, {"validated", "failed"}, 240)
        if state != "validated":
            load.finish(c, threads)
            self.report.add("nhập Excel / import", False, f"kiểm tra tệp không xong: {state}")
            return
        self.start_import(importer, public_id)
        state = self.wait_state(public_id, {"importing", "done", "failed"}, 120)
        killed_while = state
        self.marks["kill"] = time.monotonic()
        say(f"Lượt nhập ở trạng thái {state!r}: giết web1 và worker (SIGKILL)")
        for process in self.web["web1"]:
            process.kill()
        self.worker.kill()
        time.sleep(1.0)
        say("Khởi động lại PostgreSQL (pg_ctl restart -m fast)…")
        restart_started = time.monotonic()
        self.cluster.pg_ctl("restart", "-m", "fast")
        self.marks["db-back"] = time.monotonic()
        say(f"PostgreSQL chạy lại sau {self.marks['db-back'] - restart_started:.1f} s")
        self.worker.popen.wait(10)
        say("Nút worker khởi động lại")
        self.start_worker()
        time.sleep(self.args.seconds)
        load.finish(c, threads)
        self.marks["load-end"] = time.monotonic()
        say(f"Tải dừng; chờ lượt nhập kết thúc (tối đa {self.args.import_wait} s)…")
        waited = time.monotonic()
        state = self.wait_state(public_id, {"done", "failed"}, self.args.import_wait)
        say(f"Lượt nhập: {state!r} sau {time.monotonic() - waited:.0f} s chờ")
        self.check_failures(public_id, killed_while, rows)

    def check_failures(self, public_id: str, killed_while: str, rows: int) -> None:
        assert self.balancer is not None
        samples = self.recorder.of("failures")
        kill, back = self.marks["kill"], self.marks["db-back"]
        before = [s for s in samples if s.at < kill and s.error]
        during = [s for s in samples if kill <= s.at < back + RECOVERY_GRACE and s.error]
        after = [s for s in samples if s.at >= back + RECOVERY_GRACE and s.error]
        served_after = sum(1 for s in samples if s.at >= back + RECOVERY_GRACE and not s.error)
        statuses: dict[str, int] = {}
        for s in during:
            key = str(s.status) if s.status else s.error.split(":")[0]
            statuses[key] = statuses.get(key, 0) + 1
        balancer = self.balancer.state()
        web1 = balancer.nodes[0]
        self.report.add(
            "chuyển đổi dự phòng / failover",
            not web1.up and served_after > 0 and not after and not before,
            f"web1: {', '.join(web1.events) or 'không đổi'}; {served_after} yêu cầu phục vụ"
            f" sau khi cơ sở dữ liệu chạy lại (+{RECOVERY_GRACE:.0f} s), {len(after)} lỗi sau đó,"
            f" {len(before)} lỗi trước sự cố; trong sự cố: {len(during)} lỗi {statuses},"
            f" bộ cân bằng gửi lại {balancer.retried} yêu cầu",
        )
        for s in after[:5]:
            say(f"   lỗi sau phục hồi: {s.kind} {s.error}")
        # The outage's answers other than 503 (database down) and 502 (node died): shown.
        for s in [s for s in during if s.status not in (502, 503)][:5]:
            say(f"   trong sự cố: {s.kind} {s.error}")
        state, created, failure = self.job_state(public_id)
        prefix = f"scale-{self.run_tag}-i-%"
        total, distinct = self.sql(
            "SELECT count(*), count(DISTINCT name) FROM movement_entry WHERE name LIKE %s", prefix
        )[0]
        self.report.add(
            "nhập Excel đúng một lần / import exactly once",
            # Killed before or after the writing, the check would prove nothing.
            killed_while == "importing"
            and state == "done"
            and created == rows
            and total == rows
            and distinct == rows,
            f"giết khi lượt nhập '{killed_while}'; trạng thái '{state}', created_count {created},"
            f" {total} mô hình ({distinct} tên khác nhau) cho {rows} dòng"
            + (f"; lý do: {failure[:200]}" if failure else ""),
        )
        self.report.add(
            "không ghi dở / nothing half-written",
            total in (0, rows) and total == distinct,
            f"{total} trong {rows} dòng đã ghi (chỉ 0 hoặc {rows} là hợp lệ)",
        )

    def check_writes(self) -> None:
        rows = self.sql(
            "SELECT subject, count(*) FROM cases_case WHERE subject LIKE %s GROUP BY subject",
            f"scale-{self.run_tag}-%",
        )
        found = dict(rows)
        writes = self.recorder.writes
        accepted = {t for t, (_, ok) in writes.items() if ok}
        failed = {t for t, (_, ok) in writes.items() if not ok}
        lost = [t for t in accepted if found.get(t, 0) == 0]
        twice = [t for t, n in found.items() if n > 1]
        unknown = [t for t in found if t not in writes]
        failed_written = sum(1 for t in failed if found.get(t))
        by_kind = {k: sum(1 for t in accepted if writes[t][0] == k) for k in ("portal", "api")}
        self.report.add(
            "không mất, không trùng / nothing lost, no duplicates",
            not lost and not twice and not unknown,
            f"{len(accepted)} lượt ghi được nhận (cổng {by_kind['portal']}, API {by_kind['api']}):"
            f" {len(lost)} mất, {len(twice)} trùng, {len(unknown)} lạ; {len(failed)} lượt ghi"
            f" bị báo lỗi, trong đó {failed_written} đã được ghi (một lần) trước khi nút chết",
        )

    def check_errors(self) -> None:
        bad = [
            s
            for s in self.recorder.samples
            if s.error
            and (
                s.phase.startswith(("one-node", "two-nodes"))
                or s.phase in ("shared", "officers-idle")
            )
        ]
        busy = [s for s in self.recorder.of("officers-portal-saturated") if s.error]
        self.report.add(
            "không lỗi khi không có sự cố / zero errors without failures",
            not bad and not busy,
            f"{len(bad) + len(busy)} lỗi trên"
            f" {sum(1 for s in self.recorder.samples if s.phase != 'failures')} yêu cầu",
        )

    # --- the whole run ---------------------------------------------------------------------

    def run(self) -> int:
        started = time.monotonic()
        self.setup()
        self.check_shared_state()
        self.throughput()
        self.latency()
        self.failures()
        self.check_writes()
        self.check_errors()
        failed = [c for c in self.report.checks if not c.ok]
        say(f"Tổng thời gian {time.monotonic() - started:.0f} s")
        print("\n=== Scale-out / Chạy nhiều nút ===")
        for check in self.report.checks:
            print(f"{'PASS' if check.ok else 'FAIL'}  {check.name}\n      {check.detail}")
        print(f"\n{len(self.report.checks) - len(failed)}/{len(self.report.checks)} PASS")
        return 1 if failed else 0

    def close(self) -> None:
        context = getattr(self, "context", None)
        if context is not None:
            context.stop.set()  # the load's threads end their current request and stop
        if self.balancer is not None:
            self.balancer.stop()
        if self.args.keep_logs:
            target = Path(self.args.keep_logs)
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(self.cluster.tmp / "logs", target)
            say(f"Nhật ký các nút: {target}")
        problems = self.cluster.close()
        for problem in problems:
            say(f"DỌN DẸP: {problem}")
        if not problems:
            say("Đã dọn: tiến trình, không gian mạng, veth, cầu nối, thư mục tạm")


def preflight() -> str | None:
    if os.geteuid() != 0:
        return "make scale cần quyền root (không gian mạng riêng: ip netns)."
    for tool in ("ip", "runuser", "taskset", "redis-server"):
        if shutil.which(tool) is None:
            return f"Thiếu công cụ {tool}."
    try:
        pg_binary("initdb")
        pg_binary("pg_ctl")
    except RuntimeError as exc:
        return str(exc)
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30, help="length of each load phase")
    parser.add_argument(
        "--users", type=int, default=2, help="mixed-load steps of 6 users (2 officers, …)"
    )
    parser.add_argument(
        "--rounds", type=int, default=2, help="alternating one-node/two-node rounds"
    )
    parser.add_argument(
        "--node-cpu",
        type=float,
        default=0.5,
        help="processors each web node may use (a cgroup quota: a small virtual machine)",
    )
    parser.add_argument("--rows", type=int, default=10000, help="rows of the import")
    parser.add_argument("--portal-crowd", type=int, default=12, help="portal users saturating")
    parser.add_argument(
        "--public-limit",
        type=int,
        default=0,
        help="portal requests at a time per node at the balancer (0: no limit)",
    )
    # A dead worker's job is found by the reaper within JOBS_STALE_SECONDS +
    # JOBS_REAP_SECONDS (60 + 60 by default), then it runs again.
    parser.add_argument("--import-wait", type=float, default=240, help="seconds to wait")
    parser.add_argument("--keep-logs", default="", help="copy the nodes' logs here at the end")
    args = parser.parse_args()
    problem = preflight()
    if problem:
        print(problem, file=sys.stderr)
        return 2
    harness = Harness(args)

    def interrupted(signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    # SIGINT too: a shell that starts the harness in the background ignores it otherwise.
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, interrupted)
    try:
        return harness.run()
    except KeyboardInterrupt:
        say("Dừng giữa chừng (Ctrl-C hoặc tín hiệu)")
        return 130
    except Exception as exc:
        say(f"LỖI: {type(exc).__name__}: {exc}")
        return 1
    finally:
        # Not interrupted by a second Ctrl-C: the cleanup must run to its end.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        harness.close()


if __name__ == "__main__":
    sys.exit(main())
