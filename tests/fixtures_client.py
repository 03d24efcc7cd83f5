"""Fixtures that generate clients (one per release, built once per test run) and a recording
HTTP server on 127.0.0.1 for the runtime's own tests."""

from __future__ import annotations

import importlib
import json
import os
import ssl
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from pvegen import Spec
from pvegen.codegen import generate
from pvegen.mock import MockServer

from .fixtures_mock import MOCK_TOKEN_ID, MOCK_TOKEN_SECRET, MockFactory
from .fixtures_shared import ROOT, _load, require_shared


def cache_dir() -> Path:
    """black's cache for test runs: cold once per machine, then warm (never inside the repo's output)."""
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(xdg) / "pvegen" if xdg else ROOT / ".cache" / "pvegen"


@dataclass
class GeneratedClient:
    version: str
    package: str
    root: Path  # the folder on sys.path holding the package
    module: ModuleType

    @property
    def package_dir(self) -> Path:
        return self.root / self.package


def package_name(version: str) -> str:
    return "pve_" + version.replace(".", "_")


@pytest.fixture(scope="session")
def clients_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("clients")
    sys.path.insert(0, str(root))
    yield root
    sys.path.remove(str(root))


@pytest.fixture(scope="session")
def generated_client(clients_root: Path) -> Callable[[str], GeneratedClient]:
    """``generated_client("9.1")``: that release's client, generated once per run and imported
    under a unique package name (``pve_9_1``)."""
    require_shared()
    made: dict[str, GeneratedClient] = {}

    def get(version: str) -> GeneratedClient:
        if version not in made:
            name = package_name(version)
            generate(_load(version), clients_root, name, cache_dir=cache_dir())
            importlib.invalidate_caches()
            made[version] = GeneratedClient(version, name, clients_root, importlib.import_module(name))
        return made[version]

    return get


def make_certificate(folder: Path, name: str = "127.0.0.1") -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 made with the openssl CLI: (certfile, keyfile)."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", f"/CN={name}", "-addext", f"subjectAltName=IP:{name}",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


@dataclass
class Recorded:
    method: str
    path: str  # as sent, still percent-encoded
    query: list[tuple[str, str]]
    form: list[tuple[str, str]]
    headers: dict[str, str]


@dataclass
class RecordingServer:
    """Answers every request from ``replies[(method, path)]`` (default: 200 {"data": null})
    and records it. ``url`` is ``http(s)://127.0.0.1:PORT``."""

    url: str = ""
    requests: list[Recorded] = field(default_factory=list)
    replies: dict[tuple[str, str], tuple[int, Any]] = field(default_factory=dict)

    def reply(self, method: str, path: str, status: int, body: Any) -> None:
        self.replies[(method, path)] = (status, body)


def _handler(server: RecordingServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            server.requests.append(
                Recorded(
                    self.command,
                    parts.path,
                    parse_qsl(parts.query, keep_blank_values=True),
                    parse_qsl(body, keep_blank_values=True),
                    dict(self.headers.items()),
                )
            )
            path = parts.path.removeprefix("/api2/json")
            status, payload = server.replies.get((self.command, path), (200, {"data": None}))
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = _serve

        def log_message(self, format: str, *args: Any) -> None:
            return None

    return Handler


@pytest.fixture
def recording_server() -> Iterator[RecordingServer]:
    yield from _serve(None)


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def tls_server(tls_files: tuple[Path, Path]) -> Iterator[RecordingServer]:
    yield from _serve(tls_files)


def _serve(tls: tuple[Path, Path] | None) -> Iterator[RecordingServer]:
    state = RecordingServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    scheme = "http"
    if tls is not None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(str(tls[0]), str(tls[1]))
        httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
        scheme = "https"
    state.url = f"{scheme}://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()


# -- the 9.1 client against a mock: shared by the runtime, fault and hardening tests ----------


@pytest.fixture(scope="session")
def client91(generated_client: Callable[[str], GeneratedClient]) -> GeneratedClient:
    return generated_client("9.1")


@pytest.fixture(scope="session")
def pve91(client91: GeneratedClient) -> Any:
    """The generated 9.1 package (module), for its classes and exceptions."""
    return client91.module


@pytest.fixture
def srv(mock_server: MockFactory, release: Callable[[str], Spec]) -> MockServer:
    """A mock of 9.1 whose tasks finish at once."""
    return mock_server(release("9.1"), task_duration=0.0)


@pytest.fixture
def served(client91: GeneratedClient, srv: MockServer) -> Iterator[tuple[MockServer, Any]]:
    """The mock and a token-authenticated 9.1 client talking to it."""
    pve = client91.module.ProxmoxVE(srv.url, token_id=MOCK_TOKEN_ID, token_secret=MOCK_TOKEN_SECRET)
    try:
        yield srv, pve
    finally:
        pve.close()


class Sleeps(list[float]):
    """The waits a retry policy asked for, recorded instead of slept: tests stay fast."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)
