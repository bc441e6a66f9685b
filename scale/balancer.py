"""A small HTTP load balancer for the scale-out harness: round robin, health checks, failover.

The machine has no haproxy or nginx, and the harness needs only what a province's reverse
proxy does in front of its web nodes:

- round robin over the nodes that are up;
- a health check (``GET /healthz``) every second: a node that refuses the connection or
  does not answer is taken out after two failures in a row and put back after one answer.
  A node that answers 503 (its database or broker is down) stays in: every node shares
  the one database, so taking them all out would only turn a short outage into a total one;
- failover: a request whose connection to a node fails is sent to the next node; a GET or
  HEAD whose node dies before answering a single byte is also sent again (it changes
  nothing), while a POST is not (it may have been written: the client decides);
- ``X-Forwarded-For`` set to the client's address (any value the client sent is dropped),
  the header the nodes believe from this proxy's address only (DANVAN_TRUSTED_PROXIES);
- the citizens' doors (``/cong-dan/``, ``/open311/``) sent to each node's public pool
  when it has one (``Node.public_port``: a gunicorn of its own at a lower CPU priority),
  so that a crowd on the portal cannot take the officers' threads or their processor
  time (``location`` blocks with their own ``upstream`` in nginx); optionally, at most
  ``public_limit`` such requests at a time per node, the others waiting here
  (``limit_conn`` in nginx, ``maxconn`` in haproxy);
- one request per client connection, ``Connection: close`` both ways: simple and enough
  for a load generator that opens a connection per request.

The harness may pin a request to one node with the ``X-Scale-Node: <name>`` header (to
prove that a session or a rate limit made on one node holds on the other); the header is
removed before the request is sent on. ``Balancer`` runs in an event loop thread of the
process that starts it; the harness runs it in a process of its own (``BalancerProcess``),
as a real proxy would be: in the harness's process its forwarding of a portal crowd's
bytes held the interpreter lock that the officers' measuring clients wait for, so their
measured latency included the balancer's work on other people's requests.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import multiprocessing
import threading
import time
from dataclasses import dataclass, field
from typing import Any

HEAD_LIMIT = 64 * 1024
CONNECT_TIMEOUT = 2.0
RESPONSE_TIMEOUT = 60.0
IDEMPOTENT = {b"GET", b"HEAD", b"OPTIONS"}
PUBLIC_PREFIXES = (b"/cong-dan/", b"/open311/")
PIN_HEADER = b"x-scale-node"
DROPPED = {b"x-forwarded-for", b"connection", b"keep-alive", b"proxy-connection", PIN_HEADER}


@dataclass
class Node:
    name: str
    host: str
    port: int
    public_port: int | None = None
    up: bool = True
    enabled: bool = True  # the harness takes a node out of rotation for the 1-node run
    failures: int = 0
    served: int = 0
    events: list[str] = field(default_factory=list)
    public_gate: asyncio.Semaphore | None = None


class Balancer:
    def __init__(
        self, nodes: list[Node], *, source_address: str | None = None, public_limit: int = 0
    ) -> None:
        self.nodes = nodes
        self.public_limit = public_limit
        self.source_address = source_address
        self._cycle = itertools.count()
        self.retried = 0
        self.refused_502 = 0
        self.started = time.monotonic()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.base_events.Server | None = None
        self._thread: threading.Thread | None = None
        self._stop: asyncio.Event | None = None
        self.port = 0

    # --- choosing a node --------------------------------------------------------------------

    def _candidates(self, pinned: str | None) -> list[Node]:
        if pinned:
            return [n for n in self.nodes if n.name == pinned]
        live = [n for n in self.nodes if n.enabled and n.up]
        if not live:
            # Nothing passes the check: try the enabled ones anyway (better than a sure 503).
            live = [n for n in self.nodes if n.enabled]
        if not live:
            return []
        start = next(self._cycle) % len(live)
        return live[start:] + live[:start]

    def _mark(self, node: Node, ok: bool, why: str) -> None:
        if ok:
            node.failures = 0
            if not node.up:
                node.up = True
                node.events.append(f"{time.monotonic() - self.started:.1f}s up")
            return
        node.failures += 1
        if node.up and node.failures >= 2:
            node.up = False
            node.events.append(f"{time.monotonic() - self.started:.1f}s down ({why})")

    # --- one client connection -----------------------------------------------------------

    async def _open(
        self, node: Node, port: int
    ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        local = (self.source_address, 0) if self.source_address else None
        return await asyncio.wait_for(
            asyncio.open_connection(node.host, port, local_addr=local), CONNECT_TIMEOUT
        )

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await self._proxy(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        except TimeoutError:
            with contextlib.suppress(ConnectionError):
                writer.write(_answer(504, b"upstream timeout"))
        finally:
            with contextlib.suppress(ConnectionError, OSError):
                writer.close()

    async def _proxy(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        if len(head) > HEAD_LIMIT:
            writer.write(_answer(431, b"header too large"))
            return
        lines = head[:-4].split(b"\r\n")
        method = lines[0].split(b" ", 1)[0]
        headers: list[bytes] = []
        length = 0
        pinned: str | None = None
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            key = name.strip().lower()
            if key == b"transfer-encoding":
                writer.write(_answer(411, b"chunked request bodies are not supported"))
                return
            if key == b"content-length":
                length = int(value.strip())
            if key == PIN_HEADER:
                pinned = value.strip().decode()
            if key not in DROPPED:
                headers.append(line)
        body = await reader.readexactly(length) if length else b""
        peer = writer.get_extra_info("peername")[0]
        headers += [b"X-Forwarded-For: " + peer.encode(), b"Connection: close"]
        request = b"\r\n".join([lines[0], *headers]) + b"\r\n\r\n" + body

        target = lines[0].split(b" ")[1] if lines[0].count(b" ") >= 2 else b"/"
        public = target.startswith(PUBLIC_PREFIXES)
        for node in self._candidates(pinned):
            if public and node.public_gate is not None:
                async with node.public_gate:
                    if await self._forward(node, request, method, pinned, writer, public=True):
                        return
            elif await self._forward(node, request, method, pinned, writer, public=public):
                return
        writer.write(_answer(503, b"no node available"))

    async def _forward(
        self,
        node: Node,
        request: bytes,
        method: bytes,
        pinned: str | None,
        writer: asyncio.StreamWriter,
        *,
        public: bool,
    ) -> bool:
        """Send *request* to *node*; False when the next node should be tried."""
        port = node.public_port if public and node.public_port else node.port
        try:
            up_reader, up_writer = await self._open(node, port)
        except (OSError, TimeoutError) as exc:
            self._mark(node, False, type(exc).__name__)
            self.retried += 1
            return False
        try:
            up_writer.write(request)
            await up_writer.drain()
            first = await asyncio.wait_for(up_reader.read(65536), RESPONSE_TIMEOUT)
            if not first:
                raise ConnectionResetError("closed before answering")
            node.served += 1
            writer.write(first)
            while True:
                chunk = await asyncio.wait_for(up_reader.read(65536), RESPONSE_TIMEOUT)
                if not chunk:
                    break
                writer.write(chunk)
                await writer.drain()
            await writer.drain()
            return True
        except (OSError, asyncio.IncompleteReadError) as exc:
            # The node died with the request in hand. Sending a GET again changes
            # nothing; a POST may already be written, so the client is told (502).
            self._mark(node, False, type(exc).__name__)
            if method in IDEMPOTENT and not pinned:
                self.retried += 1
                return False
            self.refused_502 += 1
            writer.write(_answer(502, b"node failed during the request"))
            return True
        finally:
            with contextlib.suppress(OSError):
                up_writer.close()

    # --- health checks -------------------------------------------------------------------

    async def _check(self, node: Node) -> None:
        # Both pools of the node must answer for it to count as up.
        ports = [node.port] + ([node.public_port] if node.public_port else [])
        try:
            for port in ports:
                up_reader, up_writer = await self._open(node, port)
                up_writer.write(
                    b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                )
                await up_writer.drain()
                status = await asyncio.wait_for(up_reader.readline(), 3.0)
                up_writer.close()
                if not status:
                    self._mark(node, False, f"no answer on {port}")
                    return
            self._mark(node, True, "")
        except (OSError, TimeoutError) as exc:
            self._mark(node, False, type(exc).__name__)

    async def _health_loop(self) -> None:
        assert self._stop is not None
        while not self._stop.is_set():
            await asyncio.gather(*(self._check(n) for n in self.nodes))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), 1.0)

    # --- running in a thread of its own --------------------------------------------------

    async def _main(self, ready: threading.Event) -> None:
        self._stop = asyncio.Event()
        for node in self.nodes:
            node.public_gate = asyncio.Semaphore(self.public_limit) if self.public_limit else None
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0, backlog=512)
        self.port = self._server.sockets[0].getsockname()[1]
        ready.set()
        health = asyncio.create_task(self._health_loop())
        await self._stop.wait()
        health.cancel()
        self._server.close()
        # Requests still in flight are dropped: the harness has stopped its load.
        others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in others:
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)

    def start(self) -> int:
        ready = threading.Event()

        def run() -> None:
            self._loop = asyncio.new_event_loop()
            self._loop.run_until_complete(self._main(ready))
            self._loop.close()

        self._thread = threading.Thread(target=run, name="balancer", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the load balancer did not start")
        return self.port

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(5)


@dataclass(frozen=True)
class NodeState:
    """What the harness reads of a node in the balancer's process."""

    name: str
    up: bool
    enabled: bool
    served: int
    events: tuple[str, ...]


@dataclass(frozen=True)
class BalancerState:
    nodes: tuple[NodeState, ...]
    retried: int


def _serve(specs: list[dict[str, Any]], options: dict[str, Any], conn: Any) -> None:
    """The balancer's process: start it, send its port, then answer the harness's
    commands on *conn* until told to stop (or the harness goes away)."""
    balancer = Balancer([Node(**spec) for spec in specs], **options)
    conn.send(balancer.start())
    by_name = {node.name: node for node in balancer.nodes}
    try:
        while True:
            command, *args = conn.recv()
            if command == "enable":
                name, on = args
                # A plain attribute, read by the loop's thread for the next request.
                by_name[name].enabled = on
                conn.send(None)
            elif command == "state":
                conn.send(
                    BalancerState(
                        nodes=tuple(
                            NodeState(n.name, n.up, n.enabled, n.served, tuple(n.events))
                            for n in balancer.nodes
                        ),
                        retried=balancer.retried,
                    )
                )
            else:  # "stop"
                break
    except EOFError:
        pass
    finally:
        balancer.stop()
        with contextlib.suppress(OSError):
            conn.send(None)


class BalancerProcess:
    """A Balancer in a process of its own, driven through a pipe: ``start`` gives its
    port, ``set_enabled`` takes a node in or out of rotation, ``state`` reads the nodes
    (up, events, requests served) and the retries, ``stop`` ends it."""

    def __init__(
        self, nodes: list[Node], *, source_address: str | None = None, public_limit: int = 0
    ) -> None:
        self.specs = [
            {"name": n.name, "host": n.host, "port": n.port, "public_port": n.public_port}
            for n in nodes
        ]
        self.options = {"source_address": source_address, "public_limit": public_limit}
        self.port = 0
        self._conn: Any = None
        self._process: Any = None
        self._lock = threading.Lock()

    def start(self) -> int:
        mp = multiprocessing.get_context("spawn")
        ours, theirs = mp.Pipe()
        self._process = mp.Process(
            target=_serve, args=(self.specs, self.options, theirs), name="balancer", daemon=True
        )
        self._process.start()
        theirs.close()
        self._conn = ours
        if not ours.poll(30):
            raise RuntimeError("the load balancer did not start")
        self.port = int(ours.recv())
        return self.port

    def _ask(self, *command: Any) -> Any:
        with self._lock:
            self._conn.send(command)
            return self._conn.recv()

    def set_enabled(self, name: str, on: bool) -> None:
        self._ask("enable", name, on)

    def state(self) -> BalancerState:
        state: BalancerState = self._ask("state")
        return state

    def node(self, name: str) -> NodeState:
        return next(n for n in self.state().nodes if n.name == name)

    def stop(self) -> None:
        if self._process is None:
            return
        with contextlib.suppress(OSError, EOFError):
            self._ask("stop")
        self._process.join(10)
        if self._process.is_alive():
            self._process.kill()
        self._process = None


def _answer(status: int, text: bytes) -> bytes:
    reason = {411: "Length Required", 431: "Too Large", 502: "Bad Gateway"}.get(status, "Error")
    if status == 503:
        reason = "Service Unavailable"
    if status == 504:
        reason = "Gateway Timeout"
    return (
        f"HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain\r\n"
        f"Content-Length: {len(text)}\r\nConnection: close\r\nX-Scale-Balancer: 1\r\n\r\n"
    ).encode() + text
