"""Fixtures that generate clients (built once per test run) and a recording HTTP server on
127.0.0.1 for the runtime's own tests.

- ``runtime_spec`` / ``runtime_client`` / ``api``: the spec the runtime tests use (the embedded
  spec/proxmox-ve.json plus the few operations in ``EXTRA_OPERATIONS``, written here), the client
  generated from it, and that client's package. Every contributor has them: no ../shared needed.
- ``mock``: `pvegen mock` serving ``runtime_spec`` (tasks finish at once); ``mock_and_client``:
  the mock and a token-authenticated client talking to it.
- ``generated_client(version)``: a real release's client (needs ../shared), for the tests that
  are about the releases themselves (every release generates; each release's TFA flow).
"""

from __future__ import annotations

import copy
import importlib
import json
import os
import re
import ssl
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

from pvegen import Spec, load_spec
from pvegen.codegen import generate
from pvegen.mock import MockServer

from .fixtures_mock import MOCK_TOKEN_ID, MOCK_TOKEN_SECRET, MockFactory
from .fixtures_shared import EMBEDDED_SPEC, ROOT, _load, require_shared


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


def _node() -> dict[str, Any]:
    return {"type": "string", "format": "pve-node"}


def _vmid() -> dict[str, Any]:
    return {"type": "integer", "format": "pve-vmid", "minimum": 100, "maximum": 999999999}


def _optional(kind: str, **rules: Any) -> dict[str, Any]:
    return {"type": kind, "optional": 1, **rules}


# The operations the runtime tests call beyond the embedded spec's 43 (a VM's config, stopping a
# task, a user's path, and calls whose parameters are credentials or arrays), written by hand in our
# spec format (nothing is copied from a real release).
EXTRA_OPERATIONS: list[dict[str, Any]] = [
    {"method": "GET", "path": "/nodes/{node}/qemu/{vmid}/config", "name": "vm_config",
     "summary": "Get the VM configuration.",
     "parameters": {"node": _node(), "vmid": _vmid(), "current": _optional("boolean", default=0)},
     "returns": {"type": "object", "properties": {"name": _optional("string"), "description": _optional("string"),
                                                  "digest": _optional("string")}}},
    {"method": "PUT", "path": "/nodes/{node}/qemu/{vmid}/config", "name": "update_vm",
     "summary": "Set VM options.",
     "parameters": {"node": _node(), "vmid": _vmid(), "name": _optional("string", format="dns-name"),
                    "description": _optional("string", maxLength=8192),
                    "delete": _optional("string", format="pve-configid-list"),
                    "digest": _optional("string", maxLength=64)},
     "returns": {"type": "null"}},
    {"method": "DELETE", "path": "/nodes/{node}/tasks/{upid}", "name": "stop_task",
     "summary": "Stop a task.",
     "parameters": {"node": _node(), "upid": {"type": "string"}}, "returns": {"type": "null"}},
    {"method": "GET", "path": "/access/users/{userid}", "name": "read_user",
     "summary": "Get user configuration.",
     "parameters": {"userid": {"type": "string", "format": "pve-userid", "maxLength": 64}},
     "returns": {"type": "object", "properties": {"comment": _optional("string"), "enable": _optional("boolean")}}},
    {"method": "PUT", "path": "/access/password", "name": "change_password",
     "summary": "Change a user's password.",
     "parameters": {"userid": {"type": "string", "format": "pve-userid", "maxLength": 64},
                    "password": {"type": "string", "minLength": 5, "maxLength": 64},
                    "confirmation-password": _optional("string", maxLength=64)},
     "returns": {"type": "null"}},
    {"method": "GET", "path": "/nodes/{node}/qemu/{vmid}/vncwebsocket", "name": "vncwebsocket",
     "summary": "Open a websocket for VNC traffic.",
     "parameters": {"node": _node(), "vmid": _vmid(), "port": {"type": "integer", "minimum": 5900, "maximum": 5999},
                    "vncticket": {"type": "string", "maxLength": 512}},
     "returns": {"type": "object", "properties": {"port": {"type": "string"}}}},
    {"method": "POST", "path": "/storage", "name": "create_storage",
     "summary": "Create a new storage.",
     "parameters": {"storage": {"type": "string", "format": "pve-storage-id"},
                    "type": {"type": "string", "enum": ["dir", "nfs", "lvm", "rbd", "pbs"]},
                    "path": _optional("string"), "server": _optional("string"), "datastore": _optional("string"),
                    "username": _optional("string"), "password": _optional("string"),
                    "encryption-key": _optional("string"), "pool": _optional("string"),
                    "keyring": _optional("string")},
     "returns": {"type": "object", "optional": 1, "properties": {"storage": {"type": "string"}}}},
    {"method": "POST", "path": "/access/domains", "name": "create_realm",
     "summary": "Add an authentication server.",
     "parameters": {"realm": {"type": "string", "format": "pve-realm", "maxLength": 32},
                    "type": {"type": "string", "enum": ["ad", "ldap", "openid", "pam", "pve"]},
                    "issuer-url": _optional("string", maxLength=256), "client-id": _optional("string", maxLength=256),
                    "client-key": _optional("string", maxLength=256)},
     "returns": {"type": "null"}},
    {"method": "POST", "path": "/cluster/notifications/endpoints/sendmail", "name": "create_sendmail_endpoint",
     "summary": "Create a new sendmail endpoint.",
     "parameters": {"name": {"type": "string", "maxLength": 32},
                    "mailto": _optional("array", items={"type": "string"}),
                    "comment": _optional("string", maxLength=4096)},
     "returns": {"type": "null"}},
]  # fmt: skip
RUNTIME_PACKAGE = "pve_runtime_tests"


def runtime_spec_document() -> dict[str, Any]:
    """The embedded spec with ``EXTRA_OPERATIONS`` added (a new document; the file is not touched)."""
    document: dict[str, Any] = json.loads(EMBEDDED_SPEC.read_text(encoding="utf-8"))
    known = {(op["method"], op["path"]) for op in document["operations"]}
    extra = [copy.deepcopy(op) for op in EXTRA_OPERATIONS if (op["method"], op["path"]) not in known]
    document["operations"] = [*document["operations"], *extra]
    return document


@pytest.fixture(scope="session")
def runtime_spec(tmp_path_factory: pytest.TempPathFactory) -> Spec:
    """The spec of the runtime tests (embedded + EXTRA_OPERATIONS), loaded once per run."""
    path = tmp_path_factory.mktemp("runtime-spec") / "runtime-spec.json"
    path.write_text(json.dumps(runtime_spec_document(), indent=1), encoding="utf-8")
    return load_spec(path)


def _generate_into(root: Path, spec: Spec, package: str, version: str) -> GeneratedClient:
    generate(spec, root, package, cache_dir=cache_dir())
    importlib.invalidate_caches()
    return GeneratedClient(version, package, root, importlib.import_module(package))


@pytest.fixture(scope="session")
def runtime_client(clients_root: Path, runtime_spec: Spec) -> GeneratedClient:
    """The client generated from ``runtime_spec`` (once per run), importable as ``pve_runtime_tests``."""
    return _generate_into(clients_root, runtime_spec, RUNTIME_PACKAGE, runtime_spec.version or "")


@pytest.fixture(scope="session")
def api(runtime_client: GeneratedClient) -> Any:
    """The package of ``runtime_client`` (``api.ProxmoxVE``, ``api.ValidationError``, ...)."""
    return runtime_client.module


@pytest.fixture
def mock(mock_server: MockFactory, runtime_spec: Spec) -> MockServer:
    """`pvegen mock` serving ``runtime_spec``, whose tasks finish at once."""
    return mock_server(runtime_spec, task_duration=0.0)


@pytest.fixture
def mock_and_client(api: Any, mock: MockServer) -> Iterator[tuple[MockServer, Any]]:
    """The mock and a token-authenticated client talking to it."""
    pve = api.ProxmoxVE(mock.url, token_id=MOCK_TOKEN_ID, token_secret=MOCK_TOKEN_SECRET)
    try:
        yield mock, pve
    finally:
        pve.close()


@pytest.fixture(scope="session")
def generated_client(clients_root: Path) -> Callable[[str], GeneratedClient]:
    """``generated_client("9.1")``: that release's client, generated from the real schema once per
    run and imported under a unique package name (``pve_9_1``). Needs ../shared."""
    require_shared()
    made: dict[str, GeneratedClient] = {}

    def get(version: str) -> GeneratedClient:
        if version not in made:
            made[version] = _generate_into(clients_root, _load(version), package_name(version), version)
        return made[version]

    return get


@dataclass
class Recorded:
    method: str
    path: str  # as sent, still percent-encoded
    query: list[tuple[str, str]]
    form: list[tuple[str, str]]
    headers: dict[str, str]


@dataclass
class Answer:
    status: int
    body: Any  # JSON-able (sent as JSON), or str (sent as text/html)
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class RecordingServer:
    """Answers every request from what ``reply`` set for its method and path (the path after
    ``/api2/{format}``, or the whole path; default 200 ``{"data": null}``) and records it. ``url`` is
    ``http(s)://127.0.0.1:PORT``."""

    url: str = ""
    requests: list[Recorded] = field(default_factory=list)
    replies: dict[tuple[str, str], list[Answer]] = field(default_factory=dict)

    def reply(self, method: str, path: str, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        """Answer ``method path`` so from now on (replacing earlier answers)."""
        self.replies[(method, path)] = [Answer(status, body, headers or {})]

    def reply_then(self, method: str, path: str, *answers: Answer) -> None:
        """Answer ``method path`` with each of ``answers`` in turn; the last one stays."""
        self.replies[(method, path)] = list(answers)

    def answer_for(self, method: str, path: str) -> Answer:
        queue = self.replies.get((method, path))
        if not queue:
            return Answer(200, {"data": None})
        return queue.pop(0) if len(queue) > 1 else queue[0]


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
            path = re.sub(r"^/api2/[a-z]+", "", parts.path)  # replies set for the full path win
            answer = server.answer_for(
                self.command, parts.path if (self.command, parts.path) in server.replies else path
            )
            text = isinstance(answer.body, str)
            data = answer.body.encode() if text else json.dumps(answer.body).encode()
            self.send_response(answer.status)
            self.send_header("Content-Type", "text/html" if text else "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in answer.headers.items():
                self.send_header(name, value)
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
def tls_files(tls_cert: tuple[str, str]) -> tuple[Path, Path]:
    """(certfile, keyfile) of the run's self-signed certificate for 127.0.0.1 (made once: tls_cert)."""
    return Path(tls_cert[0]), Path(tls_cert[1])


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


# -- the real 9.1 client against a mock of 9.1 (needs ../shared): for tests about that release ----


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
