"""The harness's private cluster: network namespaces, PostgreSQL, Redis and the nodes.

Everything is made under one temporary directory and one name prefix, remembered in
``Cluster`` as it is made, and undone by ``Cluster.close()`` in reverse order, whatever
happened before (the harness calls it from ``finally`` and from its signal handlers).

Network: a bridge on the host with the address of the database and Redis
(``<net>.1``) and of the load balancer's side (``<net>.2``), and one namespace per node,
joined to the bridge by a veth pair, with an address of its own (web1 ``.11``, web2
``.12``, worker ``.21``). A node reaches PostgreSQL and Redis over its veth as a separate
machine would; PostgreSQL and Redis listen on the bridge address only, on ports of their
own, so the machine's own servers (5432, 6379) are never touched.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
CPU_CGROUP = Path("/sys/fs/cgroup/cpu")
# The quota period of the nodes' CPU groups (µs): see cpu_group.
CFS_PERIOD_US = 20_000
PG_DIRS = [Path("/usr/local/bin"), *sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)]


def _run(*args: str, check: bool = True, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, check=check, capture_output=True, text=True, **kwargs)  # type: ignore[call-overload]


def pg_binary(name: str) -> str:
    for directory in PG_DIRS:
        if (directory / name).is_file():
            return str(directory / name)
    found = shutil.which(name)
    if not found:
        raise RuntimeError(f"{name} not found in /usr/local/bin or /usr/lib/postgresql/*/bin")
    return found


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def free_subnet() -> str:
    """A 10.23x.y.0/24 prefix not in use on this machine."""
    used = _run("ip", "-o", "-4", "addr", "show").stdout
    for second in range(231, 240):
        for third in range(0, 250, 7):
            prefix = f"10.{second}.{third}"
            if f" {prefix}." not in used:
                return prefix
    raise RuntimeError("no free 10.23x.y.0/24 network for the harness")


@dataclass
class NodeProcess:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    def alive(self) -> bool:
        return self.popen.poll() is None

    def kill(self, sig: int = signal.SIGKILL) -> None:
        # The node's whole process group: gunicorn's master and workers, celery's pool.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, sig)


@dataclass
class Cluster:
    tag: str = field(default_factory=lambda: f"dvs{os.getpid() % 10000}")
    tmp: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="danvan-scale-")))
    net: str = ""
    namespaces: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    processes: list[NodeProcess] = field(default_factory=list)
    pg_data: Path | None = None
    pg_port: int = 0
    redis_port: int = 0
    addresses: dict[str, str] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    closed: bool = False
    pg_user: str = "postgres"
    cgroups: list[Path] = field(default_factory=list)

    def __post_init__(self) -> None:
        (self.tmp / "logs").mkdir()

    # --- network -------------------------------------------------------------------------

    @property
    def bridge(self) -> str:
        return f"{self.tag}br"

    @property
    def host_address(self) -> str:
        return f"{self.net}.1"

    @property
    def balancer_address(self) -> str:
        return f"{self.net}.2"

    def make_network(self, nodes: dict[str, int]) -> None:
        self.net = free_subnet()
        _run("ip", "link", "add", self.bridge, "type", "bridge")
        self.links.append(self.bridge)
        for address in (self.host_address, self.balancer_address):
            _run("ip", "addr", "add", f"{address}/24", "dev", self.bridge)
        _run("ip", "link", "set", self.bridge, "up")
        for index, (name, host_number) in enumerate(nodes.items()):
            ns = f"{self.tag}-{name}"
            host_end, node_end = f"{self.tag}h{index}", f"{self.tag}n{index}"
            _run("ip", "netns", "add", ns)
            self.namespaces.append(ns)
            _run("ip", "link", "add", host_end, "type", "veth", "peer", "name", node_end)
            self.links.append(host_end)
            _run("ip", "link", "set", node_end, "netns", ns)
            _run("ip", "-n", ns, "link", "set", node_end, "name", "eth0")
            address = f"{self.net}.{host_number}"
            _run("ip", "-n", ns, "addr", "add", f"{address}/24", "dev", "eth0")
            _run("ip", "-n", ns, "link", "set", "eth0", "up")
            _run("ip", "-n", ns, "link", "set", "lo", "up")
            _run("ip", "link", "set", host_end, "master", self.bridge)
            _run("ip", "link", "set", host_end, "up")
            _run("ip", "-n", ns, "route", "add", "default", "via", self.host_address)
            self.addresses[name] = address

    def namespace(self, name: str) -> str:
        return f"{self.tag}-{name}"

    # --- PostgreSQL and Redis ------------------------------------------------------------

    def _chown(self, path: Path, user: str) -> None:
        entry = pwd.getpwnam(user)
        os.chown(path, entry.pw_uid, entry.pw_gid)

    def start_postgres(self) -> None:
        # initdb refuses to run as root: the cluster belongs to the machine's postgres user
        # (or nobody), in a directory of the harness.
        user = "postgres" if _has_user("postgres") else "nobody"
        self.tmp.chmod(0o755)
        data = self.tmp / "pg"
        data.mkdir()
        self._chown(data, user)
        self.pg_data = data
        self.pg_user = user
        self.pg_port = free_port()
        _run(
            "runuser", "-u", user, "--", pg_binary("initdb"), "-D", str(data), "-U", "postgres",
            "--auth=trust", "-E", "UTF8", "--no-locale",
        )  # fmt: skip
        with (data / "pg_hba.conf").open("a") as hba:
            hba.write(f"host all all {self.net}.0/24 trust\n")
        with (data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"listen_addresses = '{self.host_address}'\nport = {self.pg_port}\n"
                f"unix_socket_directories = '{data}'\nmax_connections = 200\n"
                "shared_buffers = 64MB\n"
            )
        self.pg_ctl("start")
        _run(
            pg_binary("psql"), "-h", self.host_address, "-p", str(self.pg_port), "-U", "postgres",
            "-c", "CREATE DATABASE danvan",
        )  # fmt: skip

    def pg_ctl(self, action: str, *extra: str) -> None:
        assert self.pg_data is not None
        log = self.tmp / "logs" / "postgres.log"
        log.parent.mkdir(exist_ok=True)
        log.touch()
        self._chown(log, self.pg_user)
        _run(
            "runuser", "-u", self.pg_user, "--", pg_binary("pg_ctl"), "-D", str(self.pg_data),
            "-l", str(log), "-w", "-t", "60", action, *extra,
        )  # fmt: skip

    def start_redis(self) -> None:
        self.redis_port = free_port()
        directory = self.tmp / "redis"
        directory.mkdir()
        self._chown(directory, "nobody")
        popen = subprocess.Popen(
            [
                "runuser",
                "-u",
                "nobody",
                "--",
                "redis-server",
                "--port",
                str(self.redis_port),
                "--bind",
                self.host_address,
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(directory),
                "--protected-mode",
                "no",
            ],
            stdout=(self.tmp / "logs" / "redis.log").open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(NodeProcess("redis", popen, self.tmp / "logs" / "redis.log"))
        _wait_port(self.host_address, self.redis_port, 20)

    # --- the nodes' environment and processes --------------------------------------------

    def make_env(self) -> dict[str, str]:
        from cryptography.fernet import Fernet

        keys = self.tmp / "identity.keys"
        keys.write_text(Fernet.generate_key().decode() + "\n")
        keys.chmod(0o600)
        shared = self.tmp / "shared"
        (shared / "media").mkdir(parents=True)
        redis = f"redis://{self.host_address}:{self.redis_port}"
        self.env = {
            "PATH": f"{VENV_BIN}:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
            "HOME": str(self.tmp),
            "LANG": "C.UTF-8",
            "DJANGO_SETTINGS_MODULE": "danvan.settings.production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": f"postgres://postgres@{self.host_address}:{self.pg_port}/danvan",
            "CELERY_BROKER_URL": f"{redis}/0",
            "DANVAN_CACHE_URL": f"{redis}/1",
            "DANVAN_TRUSTED_PROXIES": self.balancer_address,
            "DANVAN_CLIENT_IP_HEADER": "X-Forwarded-For",
            # One place for the identity keys: a file every node reads (docs/operations.md).
            "DANVAN_IDENTITY_KEYS_FILE": str(keys),
            # The uploads, on a directory every node sees (a shared volume in production).
            "DJANGO_MEDIA_ROOT": str(shared / "media"),
            "DJANGO_STATIC_ROOT": str(self.tmp / "static"),
            # Plain HTTP inside the harness: the balancer does no TLS.
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "LOG_LEVEL": "WARNING",
        }
        return self.env

    def node_env(self, node: str) -> dict[str, str]:
        """The shared environment, with a var directory of the node's own (a separate
        machine has its own disk: only the uploads and the key file are shared)."""
        var = self.tmp / "nodes" / node / "var"
        var.mkdir(parents=True, exist_ok=True)
        return {**self.env, "DANVAN_VAR_DIR": str(var)}

    def manage(self, node: str, *args: str, timeout: float = 600) -> str:
        """Run ``manage.py`` inside *node*'s namespace with the production settings."""
        result = _run(
            "ip", "netns", "exec", self.namespace(node), str(VENV_BIN / "python"),
            str(ROOT / "manage.py"), *args,
            check=False, env=self.node_env(node), cwd=str(ROOT), timeout=timeout,
        )  # fmt: skip
        if result.returncode != 0:
            raise RuntimeError(
                f"manage.py {' '.join(args)} on {node} failed:\n{result.stdout[-3000:]}"
                f"\n{result.stderr[-3000:]}"
            )
        return result.stdout

    def cpu_group(
        self, node: str, cores: float, pool: str = "", share: float = 1.0, weight: int = 1024
    ) -> Path | None:
        """A cgroup (v1 ``cpu``) that lets *node*'s processes use *cores* processors at most,
        as a virtual machine of that size would; None where the controller is missing.

        With a *pool*, a group inside the node's for that pool alone, held to *share* of
        the node's processors and of CPU *weight* against the node's other pools (1024 is
        a full share): the portal's pool (share 0.5) can never
        take the whole node's quota, so an officer's request never waits for a period
        the citizens' crowd has used up — the throttling of a shared quota stops every
        process in the group, whatever its nice value."""
        base = CPU_CGROUP / f"danvan-scale-{self.tag}"
        if not CPU_CGROUP.is_dir():
            return None
        if not base.exists():
            base.mkdir()
            self.cgroups.append(base)
        group = base / node
        if not group.exists():
            group.mkdir()
            self.cgroups.append(group)
            # A short period (kubelet's --cpu-cfs-quota-period does the same): with the
            # default 100 ms, a group whose budget is spent waits up to the rest of the
            # period, in steps longer than an officer's page takes to render.
            (group / "cpu.cfs_period_us").write_text(str(CFS_PERIOD_US))
            (group / "cpu.cfs_quota_us").write_text(str(int(CFS_PERIOD_US * cores)))
        if not pool:
            return group
        inner = group / pool
        if not inner.exists():
            inner.mkdir()
            self.cgroups.append(inner)
            (inner / "cpu.cfs_period_us").write_text(str(CFS_PERIOD_US))
            (inner / "cpu.cfs_quota_us").write_text(str(int(CFS_PERIOD_US * cores * share)))
            (inner / "cpu.shares").write_text(str(max(2, weight)))
        return inner

    def spawn(
        self,
        name: str,
        node: str,
        argv: list[str],
        *,
        cores: float | None = None,
        nice: int = 0,
        pool: str = "",
        share: float = 1.0,
        weight: int = 1024,
    ) -> NodeProcess:
        log = self.tmp / "logs" / f"{name}.log"
        command = ["ip", "netns", "exec", self.namespace(node)]
        group = self.cpu_group(node, cores, pool, share, weight) if cores else None
        if cores and group is None:
            # No cgroup: one core of its own at least keeps the nodes apart.
            core = sum(map(ord, node)) % (os.cpu_count() or 1)  # web1 and web2 differ
            command += ["taskset", "-c", str(core)]
        if nice:
            command += ["nice", "-n", str(nice)]

        def join_group() -> None:
            # In the child before exec: every process the node forks stays in its group.
            assert group is not None
            (group / "cgroup.procs").write_text(str(os.getpid()))

        popen = subprocess.Popen(
            command + argv,
            env=self.node_env(node),
            cwd=str(ROOT),
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
            # Only the web nodes use it, started before the balancer's thread exists.
            preexec_fn=join_group if group is not None else None,
        )
        process = NodeProcess(name, popen, log)
        self.processes.append(process)
        return process

    # --- undoing everything --------------------------------------------------------------

    def close(self) -> list[str]:
        """Stop every process, remove every namespace and link, delete the directory."""
        if self.closed:
            return []
        self.closed = True
        problems: list[str] = []
        for process in reversed(self.processes):
            process.kill(signal.SIGTERM)
        deadline = time.monotonic() + 8
        for process in self.processes:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.popen.wait(max(0.1, deadline - time.monotonic()))
            process.kill(signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.popen.wait(3)
        if self.pg_data is not None:
            with contextlib.suppress(Exception):
                self.pg_ctl("stop", "-m", "immediate")
        for ns in reversed(self.namespaces):
            # Anything still running in the namespace (a stray worker) goes with it.
            pids = _run("ip", "netns", "pids", ns, check=False).stdout.split()
            for pid in pids:
                with contextlib.suppress(ProcessLookupError, ValueError):
                    os.kill(int(pid), signal.SIGKILL)
            if _run("ip", "netns", "delete", ns, check=False).returncode != 0:
                problems.append(f"namespace {ns} not deleted")
        for link in reversed(self.links):
            # A veth goes with its peer's namespace, sometimes a moment later.
            if _run("ip", "link", "show", link, check=False).returncode == 0:
                _run("ip", "link", "delete", link, check=False)
        time.sleep(0.5)
        for link in self.links:
            if _run("ip", "link", "show", link, check=False).returncode == 0:
                problems.append(f"link {link} not deleted")
        for group in reversed(self.cgroups):
            try:
                group.rmdir()
            except OSError:
                problems.append(f"cgroup {group} not removed")
        shutil.rmtree(self.tmp, ignore_errors=True)
        if self.tmp.exists():
            problems.append(f"{self.tmp} not deleted")
        return problems


def _has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _wait_port(host: str, port: int, seconds: float) -> None:
    import socket

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection((host, port), 0.5):
            return
        time.sleep(0.2)
    raise RuntimeError(f"{host}:{port} did not open within {seconds:.0f} s")
