"""The harness's load balancer against two small HTTP servers on loopback (no root, no
Django): round robin, the client's address, pinning, failover, a dead node mid-request.

Run with ``.venv/bin/pytest -n 0 scale/tests`` (not part of ``make test``'s paths).
"""

from __future__ import annotations

import http.client
import socket
import socketserver
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest

from scale.balancer import Balancer, BalancerProcess, Node


class _Server:
    """An HTTP server that answers with its name and the headers it received."""

    def __init__(self, name: str, *, die_on_post: bool = False) -> None:
        self.name = name
        self.seen: list[dict[str, str]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                if self.path != "/healthz":  # the balancer's checks are not requests
                    outer.seen.append({k.lower(): v for k, v in self.headers.items()})
                if die_on_post and self.command == "POST":
                    # The node dies with the request in hand: no byte of an answer.
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                body = outer.name.encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args: object) -> None:
                pass

        self.stopped = False
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if not self.stopped:
            self.stopped = True
            self.server.shutdown()
            self.server.server_close()


def _get(port: int, path: str = "/", method: str = "GET", **headers: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request(method, path, body=b"x" if method == "POST" else None, headers=headers)
    response = connection.getresponse()
    body = response.read().decode()
    connection.close()
    return response.status, body


@pytest.fixture
def servers() -> Iterator[tuple[_Server, _Server]]:
    one, two = _Server("one"), _Server("two", die_on_post=True)
    yield one, two
    one.stop()
    two.stop()


@pytest.fixture
def balancer(servers: tuple[_Server, _Server]) -> Iterator[Balancer]:
    one, two = servers
    nodes = [Node("one", "127.0.0.1", one.port), Node("two", "127.0.0.1", two.port)]
    balancer = Balancer(nodes)
    balancer.start()
    yield balancer
    balancer.stop()


def test_round_robin_and_client_address(
    servers: tuple[_Server, _Server], balancer: Balancer
) -> None:
    answers = [_get(balancer.port, **{"X-Forwarded-For": "6.6.6.6"})[1] for _ in range(4)]
    assert sorted(answers) == ["one", "one", "two", "two"]
    # The client's own header is dropped; the balancer writes the address it sees.
    assert {s["x-forwarded-for"] for s in servers[0].seen} == {"127.0.0.1"}


def test_pinned_request_goes_to_its_node_without_the_pin(
    servers: tuple[_Server, _Server], balancer: Balancer
) -> None:
    answers = {_get(balancer.port, **{"X-Scale-Node": "two"})[1] for _ in range(3)}
    assert answers == {"two"}
    assert all("x-scale-node" not in s for s in servers[1].seen)


def test_failover_when_a_node_refuses_connections(
    servers: tuple[_Server, _Server], balancer: Balancer
) -> None:
    servers[1].stop()
    answers = [_get(balancer.port) for _ in range(4)]
    assert answers == [(200, "one")] * 4
    assert balancer.retried >= 1


def test_post_to_a_node_that_dies_is_not_sent_twice(
    servers: tuple[_Server, _Server], balancer: Balancer
) -> None:
    statuses = [_get(balancer.port, "/", "POST")[0] for _ in range(2)]
    # One POST reached the dying node: 502, and it was not sent to the other node again.
    assert sorted(statuses) == [200, 502]
    assert len(servers[0].seen) == 1


def test_in_a_process_of_its_own_driven_through_its_pipe(
    servers: tuple[_Server, _Server],
) -> None:
    one, two = servers
    nodes = [Node("one", "127.0.0.1", one.port), Node("two", "127.0.0.1", two.port)]
    balancer = BalancerProcess(nodes)
    port = balancer.start()
    try:
        assert sorted(_get(port)[1] for _ in range(4)) == ["one", "one", "two", "two"]
        balancer.set_enabled("two", False)
        assert {_get(port)[1] for _ in range(4)} == {"one"}
        assert balancer.node("two").enabled is False
        two.stop()
        balancer.set_enabled("two", True)
        assert {_get(port)[1] for _ in range(4)} == {"one"}  # failed over
        state = balancer.state()
        assert state.retried >= 1
        assert [n.name for n in state.nodes] == ["one", "two"]
    finally:
        balancer.stop()
