"""``MockServer``: a simulated Proxmox VE API over real HTTP(S) on loopback.

One request goes: faults -> route (501 when unknown) -> authenticate (401) -> verify parameters
(400) -> a stateful handler or schema-valid sample data -> encode as ``json`` or ``extjs``.
"""

from __future__ import annotations

import contextlib
import io
import ipaddress
import json
import os
import socket
import ssl
import struct
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from ..errors import PvegenError
from ..load import load_spec
from ..model import Operation, Spec
from ..runtime.redact import MASK, is_secret_name
from . import fake
from .apidoc import apidoc_js
from .auth import DEFAULT_TICKET_LIFETIME, Authenticator, Identity
from .faults import Faults
from .handlers import HANDLERS, Call
from .login import create_ticket, finish_old_tfa
from .multipart import UploadedFile, read_multipart
from .routes import Router, split_path
from .state import ApiError, State
from .validate import ParameterIndex, check_parameters

APIDOC_PATH = "/pve-docs/api-viewer/apidoc.js"
_FORMATS = ("json", "extjs")
_SECRET_HEADERS = frozenset({"authorization", "cookie", "csrfpreventiontoken", "set-cookie"})
_MAX_BODY = 512 * 2**20


class MockError(PvegenError):
    """The mock cannot start (port in use, bad TLS files, a non-loopback host...)."""


@dataclass
class RecordedRequest:
    """One request as the server saw it; secrets (auth headers, passwords) are masked."""

    method: str
    raw_path: str  # as sent, query string included
    path: str  # decoded API path without /api2/FORMAT ("/nodes/pve1/qemu")
    format: str | None  # "json", "extjs", or None outside the API
    params: dict[str, Any]  # query and body parameters (passwords masked)
    headers: dict[str, str]
    auth: str | None = None  # "token", "ticket", or None
    user: str | None = None  # the authenticated user id
    csrf: bool = False  # a CSRFPreventionToken header was sent
    operation: tuple[str, str] | None = None  # (method, path template) it matched
    status: int = 0
    time: float = field(default_factory=time.time)


class RequestLog(list[RecordedRequest]):
    """The requests a server answered, in order; safe to read while the server runs."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()

    def record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.append(request)

    def snapshot(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self)

    def matching(self, method: str, path: str) -> list[RecordedRequest]:
        """Requests with this method whose decoded API path or matched template equals ``path``."""
        return [r for r in self.snapshot() if r.method == method and path in (r.path, (r.operation or ("", ""))[1])]

    def clear(self) -> None:
        with self._lock:
            super().clear()


class MockServer:
    """A stateful simulated PVE API from any spec; use as a context manager (or start()/stop())."""

    def __init__(
        self,
        spec: Spec | str | os.PathLike[str],
        *,
        tokens: Iterable[str] = (),
        users: Iterable[str] = (),
        totp: dict[str, str] | None = None,
        tls: tuple[str, str] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        seed: int = 0,
        task_duration: float = 0.0,
        ticket_lifetime: float = DEFAULT_TICKET_LIFETIME,
        nodes: Iterable[str] = ("pve1",),
        record_requests: bool = True,
    ) -> None:
        self.spec = spec if isinstance(spec, Spec) else load_spec(spec)
        if not _is_loopback(host):
            raise MockError(f"refusing to listen on {host!r}: the mock serves loopback only (127.0.0.1, ::1)")
        user_list = list(users)
        self.auth = Authenticator(tokens, user_list, totp, ticket_lifetime)
        self.state = State(
            nodes=tuple(nodes),
            users=self.auth.users,
            task_duration=task_duration,
            seed=seed,
            release=self.spec.version,
        )
        self.state.set_password = self.auth.set_password
        self.seed = seed
        self.requests = RequestLog()
        self.record_requests = record_requests  # off for long-running servers (the CLI): the log only grows
        self.faults = Faults(seed, self.auth.expire_tickets)
        self.router = Router(self.spec)
        self._indexes: dict[tuple[str, str], ParameterIndex] = {}
        self._index_lock = threading.Lock()
        self._apidoc: bytes | None = None
        self._host, self._port, self._tls = host, port, tls
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None
        self.url = ""

    # -- lifecycle ---------------------------------------------------------------------
    def start(self) -> MockServer:
        family = socket.AF_INET6 if ":" in self._host else socket.AF_INET
        server_class = type("_BoundServer", (_Server,), {"address_family": family})
        try:
            httpd = server_class((self._host, self._port), _Handler)
        except OSError as err:
            raise MockError(f"cannot listen on {self._host}:{self._port}: {err.strerror or err}") from None
        httpd.mock = self
        scheme = "http"
        if self._tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            try:
                context.load_cert_chain(*self._tls)
            except (OSError, ssl.SSLError) as err:
                httpd.server_close()
                raise MockError(f"cannot load the TLS certificate/key {self._tls[0]}: {err}") from None
            httpd.socket = context.wrap_socket(httpd.socket, server_side=True, do_handshake_on_connect=False)
            scheme = "https"
        port = httpd.server_address[1]
        shown_host = f"[{self._host}]" if family == socket.AF_INET6 else self._host
        self.url = f"{scheme}://{shown_host}:{port}"
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, name=f"pvegen-mock-{port}", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> MockServer:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def serve_forever(self) -> None:
        """Block until interrupted (the CLI)."""
        if self._thread is None:
            self.start()
        assert self._thread is not None
        while self._thread.is_alive():
            self._thread.join(timeout=0.5)

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1]) if self.url else 0

    def __repr__(self) -> str:
        return f"MockServer({self.spec!r}, url={self.url!r})"

    # -- answering ---------------------------------------------------------------------
    def apidoc(self) -> bytes:
        if self._apidoc is None:
            self._apidoc = apidoc_js(self.spec).encode("utf-8")
        return self._apidoc

    def parameter_index(self, op: Operation) -> ParameterIndex:
        with self._index_lock:
            index = self._indexes.get(op.key)
            if index is None:
                index = self._indexes[op.key] = ParameterIndex(op)
            return index

    def answer(self, request: _Request) -> _Answer:
        """Everything after the bytes are read: route, authenticate, verify, run, encode."""
        if request.api_path is None:
            if request.method == "GET" and request.path_only == APIDOC_PATH:
                return _Answer(200, "OK", self.apidoc(), "application/javascript; charset=UTF-8")
            return _Answer(501, f"Method '{request.method} {request.path_only}' not implemented", b"")
        try:
            data = self._api(request)
        except ApiError as err:
            return _error_answer(request, err)
        return _encode(request, 200, "OK", data)

    def _api(self, request: _Request) -> Any:
        if request.format not in _FORMATS:
            raise ApiError(501, f"Unsupported format '{request.format}'")
        segments = [urllib.parse.unquote(s) for s in split_path(request.api_path or "")]
        found = self.router.match(segments)
        op = found[0].get(request.method) if found else None
        if found is None or op is None:
            raise ApiError(501, f"Method '{request.method} {request.api_path}' not implemented")
        path_values = found[1]
        request.record.operation = op.key
        identity = self._authenticate(request, op)
        index = self.parameter_index(op)
        given = dict(request.params)
        for name, value in path_values.items():
            if index.schema_for(name) is not None:
                given[name] = value
        values, errors = check_parameters(index, given)
        if errors:
            raise ApiError(400, "Parameter verification failed.", errors)
        for name, value in path_values.items():
            values.setdefault(name, value)  # placeholders the schema does not list stay strings
        user = identity.userid if identity else ""
        with self.state.lock:
            self.state.tasks.tick()
            return self._run(op, values, user, request)

    def _authenticate(self, request: _Request, op: Operation) -> Identity | None:
        permissions = op.permissions
        if op.key in (("POST", "/access/ticket"), ("GET", "/access/ticket")) or (
            permissions is not None and permissions.user == "world"
        ):
            return None
        if op.key == ("POST", "/access/tfa"):
            return None  # carries a half-authenticated ticket; checked by the TFA step itself
        header = request.headers.get("authorization", "")
        if header.startswith("PVEAPIToken"):
            identity = self.auth.check_token(header)
            if identity is None:
                raise ApiError(401, "invalid token value!")
            request.record.auth, request.record.user = "token", identity.userid
            if op.allowtoken is False:
                raise ApiError(403, "Permission check failed (API tokens may not use this call)")
            return identity
        ticket = request.cookies.get("PVEAuthCookie")
        if not ticket:
            raise ApiError(401, "No ticket")
        identity = self.auth.check_ticket(ticket)
        if identity is None:
            raise ApiError(401, "permission denied - invalid PVE ticket")
        request.record.auth, request.record.user = "ticket", identity.userid
        if request.method != "GET":
            csrf = request.headers.get("csrfpreventiontoken")
            if not csrf or not self.auth.check_csrf(identity.userid, csrf):
                raise ApiError(401, "Permission denied - invalid csrf token")
        return identity

    def _run(self, op: Operation, values: dict[str, Any], user: str, request: _Request) -> Any:
        if op.key == ("POST", "/access/ticket"):
            return create_ticket(self.auth, self.spec.tfa_flow, values)
        if op.key == ("GET", "/access/ticket"):
            return None
        if op.key == ("POST", "/access/tfa"):
            return finish_old_tfa(
                self.auth, request.cookies.get("PVEAuthCookie", ""), request.headers.get("csrfpreventiontoken"), values
            )
        handler = HANDLERS.get(op.key)
        if handler is not None:
            return handler(Call(op, values, user, self.state, request.files))
        return self._sample(op, values, user, request)

    def _sample(self, op: Operation, values: dict[str, Any], user: str, request: _Request) -> Any:
        """Schema-valid data for operations without state (deterministic for the seed and path)."""
        node = values.get("node")
        if isinstance(node, str):
            self.state.check_node(node)
        vmid = values.get("vmid")
        for kind in ("qemu", "lxc"):
            if f"/{kind}/{{vmid}}" in op.path and isinstance(node, str) and vmid is not None:
                self.state.guest(node, int(vmid), kind)
        if op.method != "GET" and op.returns.type == "string":
            # write calls that return a string are PVE's asynchronous ones: the string is a task UPID
            kind = (op.name or "task").replace("_", "")
            ident = str(values.get("vmid", values.get("storage", values.get("name", ""))))
            task = self.state.tasks.start(node if isinstance(node, str) else self.state.nodes[0], kind, ident, user)
            return task.upid
        rng = fake.rng_for(self.seed, op.method, request.api_path or "")
        path_values = {k: str(v) for k, v in values.items() if k in op.path_parameters}
        return fake.sample(op.returns, rng, path_values)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# -- HTTP plumbing ----------------------------------------------------------------------
@dataclass
class _Request:
    method: str
    raw_path: str
    path_only: str
    format: str | None
    api_path: str | None
    headers: dict[str, str]
    cookies: dict[str, str]
    params: dict[str, Any]
    files: dict[str, UploadedFile]
    record: RecordedRequest


@dataclass
class _Answer:
    status: int
    reason: str
    body: bytes
    content_type: str = "application/json;charset=UTF-8"


def _encode(request: _Request, status: int, reason: str, data: Any, errors: dict[str, str] | None = None) -> _Answer:
    if request.format == "extjs":
        payload: dict[str, Any] = {"success": 1 if status == 200 else 0, "data": data}
        if status != 200:
            payload["message"] = reason
            if errors:
                payload["errors"] = errors
        status, reason = 200, "OK"  # extjs reports failures in the body
    else:
        payload = {"data": data}
        if errors:
            payload["errors"] = errors
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return _Answer(status, reason, body)


def _error_answer(request: _Request, err: ApiError) -> _Answer:
    if err.status == 401:
        return _Answer(401, err.message, b"")  # PVE answers auth failures with an empty body
    if err.status == 501:
        return _Answer(501, err.message, b"")
    return _encode(request, err.status, err.message, None, err.errors)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # keep-alive clients must not hold up stop()
    allow_reuse_address = True
    mock: MockServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # dropped connections and failed TLS handshakes are the client's business, not a server fault
        error = sys.exc_info()[1]
        if isinstance(error, _ConnectionGone | ConnectionError | TimeoutError | ssl.SSLError):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in separate writes
    server_version = "pve-api-daemon/3.0"
    sys_version = ""

    def version_string(self) -> str:
        return self.server_version

    timeout = 60
    server: _Server

    def setup(self) -> None:
        super().setup()
        if isinstance(self.connection, ssl.SSLSocket):
            try:
                self.connection.do_handshake()
            except (ssl.SSLError, OSError):
                self.close_connection = True
                raise _ConnectionGone() from None

    def handle(self) -> None:
        with contextlib.suppress(_ConnectionGone, ConnectionError, TimeoutError, ssl.SSLError):
            super().handle()

    def finish(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            super().finish()

    def handle_one_request(self) -> None:
        if self.server.mock.faults.before_read():
            self._reset()
            return
        super().handle_one_request()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: the request log is srv.requests

    def _reset(self) -> None:
        """Close with a TCP RST, the way a crashed or overloaded proxy drops a connection."""
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        with contextlib.suppress(OSError):
            self.connection.close()
        self.close_connection = True
        raise _ConnectionGone()

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    def do_HEAD(self) -> None:
        self._serve()

    def do_OPTIONS(self) -> None:
        self._serve()

    def _serve(self) -> None:
        mock = self.server.mock
        try:
            if self._is_streamed_upload():
                length = int(self.headers.get("Content-Length", "0"))
                request = self._parse(b"", read_multipart(self.rfile, self.headers["Content-Type"], length))
            else:
                request = self._parse(self._read_body())
        except ValueError as err:
            self.close_connection = True
            self._send(_Answer(400, str(err), b""))
            return
        plan = mock.faults.plan(request.api_path)
        if plan.reset_after_read:
            if mock.record_requests:
                mock.requests.record(request.record)  # seen (status 0), never answered
            self._reset()
        if plan.latency:
            time.sleep(plan.latency)
        if plan.error_status is not None:
            answer = _Answer(plan.error_status, "simulated server error (pvegen mock fault)", b'{"data":null}')
        else:
            try:
                answer = mock.answer(request)
            except Exception as err:  # a bug of ours must not look like a hung server
                answer = _Answer(500, f"internal mock error: {type(err).__name__}", b'{"data":null}')
        request.record.status = answer.status
        if mock.record_requests:
            mock.requests.record(request.record)
        self._send(answer, truncate=plan.truncate)

    def _is_streamed_upload(self) -> bool:
        """Multipart bodies with a length are read from the socket in blocks, never held whole."""
        return (
            self.headers.get("Content-Type", "").startswith("multipart/form-data")
            and self.headers.get("Transfer-Encoding", "").lower() != "chunked"
            and self.headers.get("Content-Length", "").strip().isdigit()
        )

    def _read_body(self) -> bytes:
        """The request body, by Content-Length or chunked; ValueError for a malformed or huge one."""
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks: list[bytes] = []
            total = 0
            while True:
                size = int(self.rfile.readline(64).split(b";")[0].strip() or b"x", 16)
                total += size
                if total > _MAX_BODY:
                    raise ValueError("request body too large")
                if size == 0:
                    while self.rfile.readline(1024).strip():
                        pass  # trailers
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline(8)
        text = self.headers.get("Content-Length") or "0"
        if not text.strip().isdigit():
            raise ValueError("invalid Content-Length")
        length = int(text)
        if length > _MAX_BODY:
            raise ValueError("request body too large")
        return self.rfile.read(length) if length else b""

    def _parse(self, body: bytes, multipart: tuple[dict[str, str], dict[str, UploadedFile]] | None = None) -> _Request:
        split = urllib.parse.urlsplit(self.path)
        path_only = split.path
        fmt: str | None = None
        api_path: str | None = None
        if path_only.startswith("/api2/"):
            rest = path_only[len("/api2/") :]
            fmt, _, tail = rest.partition("/")
            api_path = "/" + tail
        headers = {k.lower(): v for k, v in self.headers.items()}
        cookies: dict[str, str] = {}
        for part in headers.get("cookie", "").split(";"):
            name, sep, value = part.strip().partition("=")
            if sep:
                cookies[name] = urllib.parse.unquote(value)
        params: dict[str, Any] = _form(split.query)
        files: dict[str, UploadedFile] = {}
        content_type = headers.get("content-type", "")
        if multipart is not None:
            fields, files = multipart
            params.update(fields)
        elif body:
            if content_type.startswith("application/json"):
                try:
                    decoded = json.loads(body)
                except ValueError:
                    decoded = None
                if isinstance(decoded, dict):
                    params.update(decoded)
            elif content_type.startswith("multipart/form-data"):
                fields, files = _multipart(content_type, body)
                params.update(fields)
            else:
                params.update(_form(body.decode("utf-8", "replace")))
        record = RecordedRequest(
            method=self.command,
            raw_path=self.path,
            path=urllib.parse.unquote(api_path) if api_path is not None else urllib.parse.unquote(path_only),
            format=fmt,
            params={k: (MASK if is_secret_name(k) else v) for k, v in params.items()},
            headers={k: (MASK if k in _SECRET_HEADERS else v) for k, v in headers.items()},
            csrf="csrfpreventiontoken" in headers,
        )
        return _Request(self.command, self.path, path_only, fmt, api_path, headers, cookies, params, files, record)

    def _send(self, answer: _Answer, truncate: bool = False) -> None:
        reason = answer.reason.replace("\r", " ").replace("\n", " ").strip()
        reason = reason.encode("latin-1", "replace").decode("latin-1")
        self.send_response(answer.status, reason)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        self.send_header("Cache-Control", "max-age=0")
        self.send_header("Pragma", "no-cache")
        self.end_headers()
        if truncate:
            # fewer bytes than Content-Length promised, then an orderly close: the client sees a short body
            self.wfile.write(answer.body[: len(answer.body) // 2])
            self.wfile.flush()
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_WR)
            self.close_connection = True
            raise _ConnectionGone()
        if self.command != "HEAD":
            self.wfile.write(answer.body)


class _ConnectionGone(Exception):
    """The connection was dropped on purpose (a fault) or by the peer."""


def _form(text: str) -> dict[str, Any]:
    pairs = urllib.parse.parse_qsl(text, keep_blank_values=True)
    out: dict[str, Any] = {}
    for name, value in pairs:
        if name in out:
            previous = out[name]
            out[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            out[name] = value
    return out


def _multipart(content_type: str, body: bytes) -> tuple[dict[str, str], dict[str, UploadedFile]]:
    """Form fields and uploaded files of a buffered (chunked) multipart body."""
    return read_multipart(io.BytesIO(body), content_type, len(body))
