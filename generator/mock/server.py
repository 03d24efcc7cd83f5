"""``MockServer``: a simulated Proxmox VE API over real HTTP(S) on loopback.

This module speaks HTTP only: it reads requests (bodies, chunks, multipart uploads), applies the
faults a test switched on (latency, resets, 5xx, short bodies), hands the decoded request to the API
(``dispatch.Api``) and writes its answer.
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
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import IO, Any

from ..errors import PvegenError
from ..load import load_spec
from ..model import Spec
from ..runtime.redact import MASK, is_secret_name, redact_pairs
from .auth import DEFAULT_TICKET_LIFETIME, Authenticator
from .dispatch import APIDOC_PATH, Api
from .exchange import Answer, RecordedRequest, Request, RequestLog
from .faults import Faults
from .grants import install as install_access
from .journal import Journal, JournalError
from .multipart import UploadedFile, read_multipart
from .state import State

__all__ = ["APIDOC_PATH", "MockError", "MockServer", "RecordedRequest", "RequestLog"]

_SECRET_HEADERS = frozenset({"authorization", "cookie", "csrfpreventiontoken", "set-cookie"})
_MAX_BODY = 512 * 2**20
_TLS_HANDSHAKE = 0x16  # the first byte of every TLS connection (a handshake record)
WRONG_SCHEME_NOTICES = {
    "https-to-http": "a client spoke TLS (https://) to this plain-HTTP mock: start it with --tls, as PVE always "
    "serves HTTPS (proxmoxer and most PVE clients cannot use http://)",
    "http-to-https": "a client spoke plain HTTP to this TLS mock: use https:// in its URL",
}


class MockError(PvegenError):
    """The mock cannot start (port in use, bad TLS files, a non-loopback host...)."""


class MockServer:
    """A stateful simulated PVE API from any spec; use as a context manager (or start()/stop()).

    Tasks (the UPIDs of asynchronous calls) run for ``task_duration`` seconds of wall-clock time. Tests
    that must not depend on time pass ``task_polls=N`` instead: every task then stays "running" for
    exactly N reads of its status (``GET /nodes/{node}/tasks/{upid}/status``) and is "stopped" from the
    next read on, whatever the time; its effect (a VM started, a guest created) happens at that read.
    """

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
        task_polls: int | None = None,
        ticket_lifetime: float = DEFAULT_TICKET_LIFETIME,
        nodes: Iterable[str] = ("pve1",),
        record_requests: bool = True,
        log: str | os.PathLike[str] | None = None,
        log_echo: IO[str] | None = None,
        notice: Callable[[str], None] | None = None,
    ) -> None:
        """``notice`` hears, once each, about clients using the wrong scheme (WRONG_SCHEME_NOTICES): a
        mistake that otherwise shows only as a cryptic TLS error on the client's side."""
        self.spec = spec if isinstance(spec, Spec) else load_spec(spec)
        if task_polls is not None and task_polls < 0:
            raise MockError(f"task_polls must be 0 or more, not {task_polls}")
        if not _is_loopback(host):
            raise MockError(f"refusing to listen on {host!r}: the mock serves loopback only (127.0.0.1, ::1)")
        user_list = list(users)
        self.auth = Authenticator(tokens, user_list, totp, ticket_lifetime)
        self.state = State(
            nodes=tuple(nodes),
            users=self.auth.users,
            task_duration=task_duration,
            task_polls=task_polls,
            seed=seed,
            release=self.spec.version,
        )
        self.state.set_password = self.auth.set_password
        install_access(self.state, self.spec, self.auth.users, self.auth.token_ids)
        self.seed = seed
        self.requests = RequestLog()
        self.record_requests = record_requests  # off for long-running servers (the CLI): the log only grows
        self.faults = Faults(seed, self.auth.expire_tickets)
        self.api = Api(self.spec, self.auth, self.state, seed)
        self._log_path, self._log_echo = log, log_echo
        self.journal = Journal()  # the request log (--log FILE, -v), opened by start()
        self._host, self._port, self._tls = host, port, tls
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None
        self.url = ""
        self._notice = notice
        self.wrong_scheme: set[str] = set()  # which WRONG_SCHEME_NOTICES clients have given so far
        self._notice_lock = threading.Lock()

    # -- lifecycle ---------------------------------------------------------------------
    def start(self) -> MockServer:
        try:
            self.journal = Journal(self._log_path, self._log_echo)
        except JournalError as err:
            raise MockError(str(err)) from None
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
        self.journal.close()

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

    def client_used_wrong_scheme(self, kind: str) -> None:
        """Remember (and tell ``notice`` the first time) that a client spoke https to http or back."""
        with self._notice_lock:
            first = kind not in self.wrong_scheme
            self.wrong_scheme.add(kind)
        if first and self._notice is not None:
            self._notice(WRONG_SCHEME_NOTICES[kind])

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1]) if self.url else 0

    def __repr__(self) -> str:
        return f"MockServer({self.spec!r}, url={self.url!r})"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# -- HTTP plumbing ----------------------------------------------------------------------
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
            except ssl.SSLError as err:
                if err.reason == "HTTP_REQUEST":  # OpenSSL's name for plain HTTP on a TLS port
                    self.server.mock.client_used_wrong_scheme("http-to-https")
                self.close_connection = True
                raise _ConnectionGone() from None
            except OSError:
                self.close_connection = True
                raise _ConnectionGone() from None
        elif self._first_byte() == _TLS_HANDSHAKE:
            self.server.mock.client_used_wrong_scheme("https-to-http")
            self.close_connection = True
            raise _ConnectionGone()

    def _first_byte(self) -> int | None:
        """The connection's first byte, left unread (None when it closes or says nothing in time)."""
        try:
            first = self.connection.recv(1, socket.MSG_PEEK)
        except OSError:
            return None
        return first[0] if first else None

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
            self._send(Answer(400, str(err), b""))
            return
        plan = mock.faults.plan(request.api_path)
        record = request.record
        if plan.reset_after_read:
            record.faults.append("reset")
            record.source = "error"
            if mock.record_requests:
                mock.requests.record(record)  # seen (status 0), never answered
            mock.journal.write(record)
            self._reset()
        if plan.latency:
            started = time.monotonic()
            time.sleep(plan.latency)
            record.faults.append("latency")
            record.delay = time.monotonic() - started
        if plan.error_status is not None:
            record.faults.append("error")
            record.source = "error"
            answer = Answer(plan.error_status, "simulated server error (pvegen mock fault)", b'{"data":null}')
        else:
            try:
                answer = mock.api.answer(request)
            except Exception as err:  # a bug of ours must not look like a hung server
                record.source = "error"
                answer = Answer(500, f"internal mock error: {type(err).__name__}", b'{"data":null}')
        record.status = answer.status
        if plan.truncate:
            record.faults.append("truncate")
        if mock.record_requests:
            mock.requests.record(record)
        mock.journal.write(record)
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

    def _parse(self, body: bytes, multipart: tuple[dict[str, str], dict[str, UploadedFile]] | None = None) -> Request:
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
            raw_path=_masked_url(self.path, split.query),
            path=urllib.parse.unquote(api_path) if api_path is not None else urllib.parse.unquote(path_only),
            format=fmt,
            params={k: (MASK if is_secret_name(k) else v) for k, v in params.items()},
            headers={k: (MASK if k in _SECRET_HEADERS else v) for k, v in headers.items()},
            csrf="csrfpreventiontoken" in headers,
            client=f"{self.client_address[0]}:{self.client_address[1]}",
        )
        return Request(self.command, path_only, fmt, api_path, headers, cookies, params, files, record)

    def _send(self, answer: Answer, truncate: bool = False) -> None:
        """Status line, headers and body in one write: one packet for a small answer (two writes cost
        a round of the peer's delayed ACK on keep-alive connections)."""
        reason = answer.reason.replace("\r", " ").replace("\n", " ").strip()
        reason = reason.encode("latin-1", "replace").decode("latin-1")
        head = [
            f"{self.protocol_version} {answer.status} {reason}",
            f"Server: {self.version_string()}",
            f"Date: {self.date_time_string()}",
            f"Content-Type: {answer.content_type}",
            f"Content-Length: {len(answer.body)}",
            "Cache-Control: max-age=0",
            "Pragma: no-cache",
            *(f"{name}: {value}" for name, value in answer.headers.items()),
        ]
        head_bytes = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1", "replace")
        if truncate:
            # fewer bytes than Content-Length promised, then an orderly close: the client sees a short body
            self.wfile.write(head_bytes + answer.body[: len(answer.body) // 2])
            self.wfile.flush()
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_WR)
            self.close_connection = True
            raise _ConnectionGone()
        self.wfile.write(head_bytes if self.command == "HEAD" else head_bytes + answer.body)


class _ConnectionGone(Exception):
    """The connection was dropped on purpose (a fault) or by the peer."""


def _masked_url(path: str, query: str) -> str:
    """The request target with secret query values masked (``?vncticket=***``)."""
    pairs = urllib.parse.parse_qsl(query, keep_blank_values=True)
    if not any(is_secret_name(name) for name, _ in pairs):
        return path
    return path.partition("?")[0] + "?" + redact_pairs(pairs)


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
