"""Helpers for fetch tests: a guard so that no connection or DNS look-up leaves loopback, a
hostile HTTP server on 127.0.0.x whose routes a test writes (bounded threads, stops by itself),
a stubbed resolver, and the provenance checks of a raw folder. The fixtures are in conftest.py
(not in a conftest.py: a second `conftest` module would shadow tests/conftest.py for the
modules that import it). A test module takes the fixtures with
`from hostile import hostile, loopback`."""

from __future__ import annotations

import hashlib
import ipaddress
import os
import socket
import socketserver
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

import pytest
import yaml

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


class ForbiddenNetwork(RuntimeError):
    """A test (or the code under test) tried to reach beyond loopback."""


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def loopback_only(monkeypatch):
    """Every connect and every DNS look-up in these tests stays on loopback, or fails loudly."""
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy",
                "ALL_PROXY", "no_proxy", "NO_PROXY"):
        monkeypatch.delenv(var, raising=False)
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def check(address):
        if isinstance(address, tuple) and not _loopback(str(address[0])):
            raise ForbiddenNetwork(f"connection to {address[0]} refused by the test guard")

    def connect(self, address):
        check(address)
        return real_connect(self, address)

    def connect_ex(self, address):
        check(address)
        return real_connect_ex(self, address)

    def getaddrinfo(host, *args, **kwargs):
        if host is not None and not _loopback(str(host)):
            raise ForbiddenNetwork(f"DNS look-up of {host!r} refused by the test guard")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture(autouse=True)
def loopback(monkeypatch):
    """No connection or DNS look-up leaves loopback in these tests; proxies unset."""
    loopback_only(monkeypatch)


Route = Callable[["Handler"], None]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        server: HostileServer = self.server  # type: ignore[assignment]
        with server.lock:
            server.requests.append(self.path)
        route = server.routes.get(self.path.split("?")[0], server.default)
        try:
            route(self)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up: expected from a hostile answer

    def send(self, status: int, body: bytes = b"", headers=(), length: int | None = None):
        """A whole answer (Content-Length as given, else the body's)."""
        self.send_response(status)
        for key, value in headers:
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()
        self.close_connection = True

    def wait(self, seconds: float) -> bool:
        """Sleep, unless the server is stopping; return whether it is still running."""
        return not self.server.stopping.wait(seconds)  # type: ignore[attr-defined]


def not_found(handler: Handler) -> None:
    handler.send(404, b"<h1>Not found</h1>", [("Content-Type", "text/html")])


class HostileServer(ThreadingHTTPServer):
    """An HTTP server on 127.0.0.x: at most `max_threads` answers at once, and it shuts
    itself down after `lifetime` seconds whatever the test does."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, max_threads: int = 16,
                 lifetime: float = 60.0):
        self.routes: dict[str, Route] = {}
        self.default: Route = not_found
        self.requests: list[str] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.slots = threading.BoundedSemaphore(max_threads)
        super().__init__((host, port), Handler)
        self.url = f"http://{host}:{self.server_address[1]}"
        self.timer = threading.Timer(lifetime, self.stop)
        self.timer.daemon = True

    def server_bind(self):
        """Bind without HTTPServer's reverse DNS look-up of the address (getfqdn)."""
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def process_request(self, request, client_address):
        if not self.slots.acquire(timeout=5):
            self.shutdown_request(request)  # over the bound: drop the connection
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def handle_error(self, request, client_address):
        pass  # a client that gave up on a slow answer: expected here

    def start(self) -> "HostileServer":
        threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()
        self.timer.start()
        return self

    def stop(self) -> None:
        if not self.stopping.is_set():
            self.stopping.set()
            self.timer.cancel()
            self.shutdown()
            self.server_close()


@pytest.fixture()
def hostile():
    """Start hostile servers (`hostile()`, `hostile("127.0.0.2", port)`); all stop at the end."""
    servers: list[HostileServer] = []

    def start(host: str = "127.0.0.1", port: int = 0, **kwargs) -> HostileServer:
        servers.append(HostileServer(host, port, **kwargs).start())
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


def stub_lookup(answers: dict[str, list]) -> Callable:
    """A resolver look-up from a table: name -> addresses, or a list of answers given in turn
    (the last one repeats); records every look-up in `.calls`."""
    calls: list[str] = []

    def lookup(host: str, port: int):
        calls.append(host)
        if host not in answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        answer = answers[host]
        if answer and isinstance(answer[0], list):
            return answer[min(calls.count(host), len(answer)) - 1]
        return answer

    lookup.calls = calls  # type: ignore[attr-defined]
    return lookup


def listed(raw: Path) -> dict[str, str]:
    """path -> sha256 of the manifest's sources."""
    manifest = yaml.safe_load((raw / "sources.yaml").read_text(encoding="utf-8")) or {}
    return {s["path"]: s["sha256"] for s in manifest.get("sources") or []}


def provenance_problems(raw: Path) -> list[str]:
    """What breaks 'every listed file is there with its recorded sha256'."""
    problems = []
    for path, digest in listed(raw).items():
        try:
            actual = hashlib.sha256((raw / path).read_bytes()).hexdigest()
        except FileNotFoundError:
            actual = "missing"
        if actual != digest:
            problems.append(f"{path}: {actual[:12]} != manifest {digest[:12]}")
    return problems


def unlisted(raw: Path) -> set[str]:
    """Entries of the folder that its manifest does not list."""
    return set(os.listdir(raw)) - {"sources.yaml"} - set(listed(raw))


