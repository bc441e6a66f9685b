"""The harness's load: virtual users on threads, each a loop of real requests.

Every request opens its own connection to the load balancer from a source address of the
user's own in 127.0.0.0/8 (Linux answers on all of it), so each citizen has the client
address a real one would have, and the portal's per-address rate limits count them
apart, as they would count real citizens. Every answer is recorded (kind, status,
latency, phase); a status the step did not expect is an error.

Writes carry a unique tag in their subject so that the harness can find each one in the
database afterwards: an accepted write (201 from the API, the redirect to the receipt
from the portal) must be there exactly once; a write that failed may be there once or not
at all (the node may have died after committing), never twice.
"""

from __future__ import annotations

import http.client
import itertools
import json
import os
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode

from scale.balancer import PIN_HEADER

CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
PASSWORD = "danvan-demo-2025"  # the published demo password (danvan.demo.accounts)
OFFICER_PAGES = ["/", "/viec-can-lam/", "/vu-viec/", "/dan-van-kheo/mo-hinh/"]
PORTAL_PAGES = [
    "/cong-dan/",
    "/cong-dan/lich-tiep-cong-dan/",
    "/cong-dan/doi-thoai/",
    "/cong-dan/cong-khai/",
]


@dataclass
class Sample:
    kind: str
    status: int
    seconds: float
    phase: str
    at: float
    error: str = ""


@dataclass
class Recorder:
    phase: str = "setup"
    samples: list[Sample] = field(default_factory=list)
    # Writes: tag -> (kind, accepted?)
    writes: dict[str, tuple[str, bool]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)

    def write(self, tag: str, kind: str, accepted: bool) -> None:
        with self.lock:
            self.writes[tag] = (kind, accepted)

    def of(self, phase: str) -> list[Sample]:
        with self.lock:
            return [s for s in self.samples if s.phase == phase]


_addresses = itertools.count(1)


def new_source_address() -> str:
    """A client address of its own in 127.0.0.0/8 (127.0.0.1 is the balancer's)."""
    n = next(_addresses)
    return f"127.{10 + n // 62500 % 200}.{n // 250 % 250}.{n % 250 + 1}"


class Client:
    """One browser (cookies, a client address) talking to the balancer."""

    def __init__(self, port: int, recorder: Recorder, source: str | None = None) -> None:
        self.port = port
        self.recorder = recorder
        self.source = source or new_source_address()
        self.cookies: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        *,
        kind: str,
        expect: tuple[int, ...],
        body: bytes = b"",
        headers: dict[str, str] | None = None,
        pin: str | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        all_headers = {"Host": "127.0.0.1", "User-Agent": "danvan-scale"}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body:
            all_headers["Content-Length"] = str(len(body))
        if pin:
            all_headers[PIN_HEADER.decode()] = pin
        all_headers.update(headers or {})
        started = time.monotonic()
        status, answer_headers, data, error = 0, {}, b"", ""
        try:
            connection = http.client.HTTPConnection(
                "127.0.0.1", self.port, timeout=90, source_address=(self.source, 0)
            )
            connection.request(method, path, body=body or None, headers=all_headers)
            response = connection.getresponse()
            data = response.read()
            status = response.status
            answer_headers = {k.lower(): v for k, v in response.getheaders()}
            for value in response.headers.get_all("Set-Cookie") or []:
                cookie: SimpleCookie = SimpleCookie()
                cookie.load(value)
                for name, morsel in cookie.items():
                    if morsel.value:
                        self.cookies[name] = morsel.value
                    else:
                        self.cookies.pop(name, None)
            connection.close()
        except (OSError, http.client.HTTPException) as exc:
            error = f"{type(exc).__name__}: {exc}"
        seconds = time.monotonic() - started
        if not error and status not in expect:
            error = f"{method} {path}: HTTP {status} (expected {'/'.join(map(str, expect))})"
        self.recorder.add(
            Sample(kind, status, seconds, self.recorder.phase, time.monotonic(), error)
        )
        return status, answer_headers, data

    def csrf(self, page: bytes) -> str:
        match = CSRF_INPUT.search(page)
        return match.group(1).decode() if match else ""

    def login(self, username: str, pin: str | None = None) -> bool:
        status, _, page = self.request(
            "GET", "/tai-khoan/dang-nhap/", kind="login", expect=(200,), pin=pin
        )
        if status != 200:
            return False  # no form, no token: posting would only be refused (403)
        form = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": self.csrf(page)}
        status, headers, _ = self.request(
            "POST",
            "/tai-khoan/dang-nhap/",
            kind="login",
            expect=(302,),
            body=urlencode(form).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            pin=pin,
        )
        return status == 302 and "dang-nhap" not in headers.get("location", "")


# --- the virtual users ---------------------------------------------------------------------


@dataclass
class Context:
    port: int
    recorder: Recorder
    run_tag: str
    token: str
    province: str
    communes: list[str]
    stop: threading.Event = field(default_factory=threading.Event)


def officer(context: Context, username: str) -> Callable[[], None]:
    def run() -> None:
        client = Client(context.port, context.recorder)
        while not context.stop.is_set() and not client.login(username):
            time.sleep(0.5)
        for path in itertools.cycle(OFFICER_PAGES):
            if context.stop.is_set():
                return
            # A redirect to the login page would be a lost session: not expected.
            client.request("GET", path, kind="officer", expect=(200,))

    return run


def portal_reader(context: Context) -> Callable[[], None]:
    def run() -> None:
        client = Client(context.port, context.recorder)
        for path in itertools.cycle(PORTAL_PAGES):
            if context.stop.is_set():
                return
            client.request("GET", path, kind="portal", expect=(200,))

    return run


def portal_sender(context: Context) -> Callable[[], None]:
    """Citizens sending feedback: each address sends at most 4 (the limit is 5 in 10 min)."""

    def run() -> None:
        n = 0
        client = Client(context.port, context.recorder)
        while not context.stop.is_set():
            if n and n % 4 == 0:
                client = Client(context.port, context.recorder)
            n += 1
            commune = context.communes[n % len(context.communes)]
            status, _, page = client.request(
                "GET",
                f"/cong-dan/gui-phan-anh/?province={context.province}",
                kind="portal-form",
                expect=(200,),
            )
            if status != 200:
                continue  # a citizen without the form reloads it rather than post blind
            tag = f"scale-{context.run_tag}-p-{uuid.uuid4().hex[:12]}"
            form = {
                "csrfmiddlewaretoken": client.csrf(page),
                "province": context.province,
                "kind": "feedback",
                "commune": commune,
                "subject": tag,
                "content": "Đèn đường thôn 3 không sáng từ tuần trước (phép thử tải).",
                "full_name": "Nguyễn Văn Thử",
                "phone": "0912345678",
                "consent": "on",
            }
            status, headers, _ = client.request(
                "POST",
                "/cong-dan/gui-phan-anh/",
                kind="portal-send",
                expect=(302,),
                body=urlencode(form).encode(),
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
            accepted = status == 302 and "da-gui" in headers.get("location", "")
            context.recorder.write(tag, "portal", accepted)

    return run


def api_writer(context: Context) -> Callable[[], None]:
    def run() -> None:
        client = Client(context.port, context.recorder)
        n = 0
        while not context.stop.is_set():
            n += 1
            tag = f"scale-{context.run_tag}-a-{uuid.uuid4().hex[:12]}"
            payload = {
                "unit_code": context.province,
                "kind": "feedback",
                "channel": "letter",
                "subject": tag,
                "content": "Phản ánh nhận qua thư (phép thử tải).",
                "sender": {"full_name": "Trần Thị Thử", "phone": "0987654321"},
            }
            status, _, _ = client.request(
                "POST",
                "/api/v1/cases",
                kind="api-write",
                expect=(201,),
                body=json.dumps(payload).encode(),
                headers={
                    "Content-Type": "application/json",
                    "Authorization": f"Bearer {context.token}",
                },
            )
            context.recorder.write(tag, "api", status == 201)

    return run


def start(users: list[Callable[[], None]]) -> list[threading.Thread]:
    threads = [threading.Thread(target=u, daemon=True) for u in users]
    for thread in threads:
        thread.start()
    return threads


def finish(context: Context, threads: list[threading.Thread]) -> None:
    context.stop.set()
    for thread in threads:
        thread.join(120)
    context.stop.clear()


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def crowd(port: int, users: int, stop: Any, done: Any, failed: Any, seconds: Any) -> None:
    """In a process of its own: *users* portal readers until *stop* is set, then the pages
    served, the errors and the time they ran in *done*, *failed* and *seconds*.

    A process apart from the officers' clients: in one process the crowd's threads (HTTP,
    parsing) would compete with them for the interpreter lock, and the officers' measured
    latency would include waiting for the harness itself rather than for the nodes."""
    global _addresses
    _addresses = itertools.count(500_000)  # client addresses apart from the parent's
    # Citizens' browsers are not on the servers: the crowd yields the machine's two cores
    # to the nodes, the database and the balancer whenever they have work.
    os.nice(19)
    recorder = Recorder(phase="crowd")
    context = Context(port=port, recorder=recorder, run_tag="", token="", province="", communes=[])
    started = time.monotonic()
    threads = start([portal_reader(context) for _ in range(users)])
    stop.wait()
    finish(context, threads)
    seconds.value = time.monotonic() - started
    done.value = sum(1 for s in recorder.samples if s.kind == "portal" and not s.error)
    failed.value = sum(1 for s in recorder.samples if s.error)
