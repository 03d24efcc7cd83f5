"""The client core: base URL, authentication strategy, transport, and the one request path.

Every request of a client (typed calls, ``request``, ``request_raw``, ``request_stream``, the
task helpers, uploads and downloads) goes through ``_send``: credentials, the repeat after a
refused ticket, and ``Transport.send`` (retries, logging, proxies, TLS) for all of them alike.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import IO, Any, ClassVar, TypeVar
from urllib.parse import quote

from .address import DEFAULT_PORT, base_url
from .auth import Auth, NoAuth, OtpSource, TicketAuth, TokenAuth
from .coerce import coerce
from .env import settings_from_env, variable_of
from .errors import ConfigurationError, ProxmoxError, ValidationError, shown_path
from .reply import FORMATS, RawResponse, Reply, call_status, reply_data
from .resource import Op, Resource
from .retry import RetryPolicy
from .tasks import UPID, LogLine, iter_task_log, read_task_status, wait_task
from .tls import normalize_fingerprint
from .transfer import download_to, upload_file
from .transport import Body, StreamedReply, Transport
from .validate import encode_arguments, encode_path_value

__all__ = ["DEFAULT_TIMEOUT", "FORMATS", "BaseClient", "RawResponse"]

T = TypeVar("T")
C = TypeVar("C", bound="BaseClient")

# (connect, read) seconds. Connecting is quick or hopeless; reading gets room because some
# synchronous calls (storage scans, task-starting calls on a busy node) take tens of seconds.
DEFAULT_TIMEOUT: tuple[float, float] = (10.0, 120.0)
CLIENT_FORMATS = ("json", "extjs")  # the formats typed calls can be read from
_ACCEPT = {"json": "application/json", "extjs": "application/json", "html": "text/html", "text": "text/plain"}
_QUERY_METHODS = frozenset({"GET", "DELETE"})  # PVE reads their parameters from the query
# After a 401 on a ticket: a repeat with the ticket another thread got meanwhile, and, should that
# one have been refused too (expired while it was being issued), one with a ticket of our own.
_AUTH_REPEATS = 2


class BaseClient(Resource):
    """Connection settings and the request path shared by every resource of one client.

    ``host`` is a name or address (``pve.example``), optionally with a port (``pve.example:8006``,
    ``[2001:db8::1]:8006``), or a base URL (``https://pve.example:8006``, ``http://127.0.0.1:8080``
    for a test server). ``verify`` is True, False or a CA-bundle path; ``fingerprint`` pins the
    server certificate (SHA-256, ``AB:CD:...`` as PVE shows it). ``otp`` is a TOTP code or a
    callable returning one. ``retries`` is a RetryPolicy (or a number of retries); ``format`` is
    ``"json"`` or ``"extjs"``. Pass ``auth`` or ``transport`` to replace the defaults.
    """

    # The release's TFA login flow ("otp": PVE 5/6, "challenge": PVE 7+); the generated
    # client class sets it from /access/ticket in its spec.
    TFA_FLOW: ClassVar[str] = "challenge"

    def __init__(
        self,
        host: str,
        port: int = DEFAULT_PORT,
        *,
        token_id: str | None = None,
        token_secret: str | None = None,
        user: str | None = None,
        password: str | None = None,
        otp: OtpSource | None = None,
        verify: bool | str = True,
        fingerprint: str | None = None,
        timeout: float | tuple[float, float] | None = DEFAULT_TIMEOUT,
        retries: RetryPolicy | int | None = None,
        format: str = "json",
        auth: Auth | None = None,
        transport: Transport | None = None,
    ) -> None:
        super().__init__(self, ())
        self._base_url = base_url(host, port)
        if format not in CLIENT_FORMATS:
            raise ConfigurationError(
                f"format must be 'json' or 'extjs', not {format!r}", setting="format", reason="not json or extjs"
            )
        self._format = format
        self._prefixes = {fmt: f"{self._base_url}/api2/{fmt}" for fmt in FORMATS}
        if isinstance(verify, str) and not os.path.exists(verify):
            reason = "the CA-bundle file does not exist"
            raise ConfigurationError(f"verify: CA bundle {verify!r} does not exist", setting="verify", reason=reason)
        if fingerprint is not None:
            normalize_fingerprint(fingerprint)
            if not self._base_url.startswith("https://"):
                reason = "pinning needs an https:// server"
                raise ConfigurationError(f"fingerprint: {reason}", setting="fingerprint", reason=reason)
        self._timeout = _checked_timeout(timeout)
        if transport is None:
            transport = Transport(verify=verify, fingerprint=fingerprint, retry=_policy(retries))
        elif retries is not None:
            transport.retry = _policy(retries)
        self._transport = transport
        self._auth: Auth = (
            auth if auth is not None else _auth_from(token_id, token_secret, user, password, otp, self.TFA_FLOW)
        )
        self._local = threading.local()  # per-thread response captures

    @classmethod
    def from_env(cls: type[C], environ: Mapping[str, str] | None = None, **overrides: Any) -> C:
        """A client configured by ``PVE_*`` variables (see ``_runtime/env.py``); keywords win.

        A setting the client refuses is reported under its variable's name, without its value."""
        settings = settings_from_env(environ)
        from_environment = set(settings) - set(overrides)
        settings.update(overrides)
        try:
            return cls(**settings)
        except ConfigurationError as err:
            variable = variable_of(err.setting, environ) if err.setting in from_environment else None
            if variable is None:
                raise
            failure = ConfigurationError(f"{variable}: {err.reason}", setting=err.setting, reason=err.reason)
        raise failure  # outside the except block: the message that held the value is not chained

    # -- public helpers -----------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return self._base_url

    def request(self, method: str, path: str, **params: Any) -> Any:
        """An untyped call (``request("GET", "/nodes")``): the answer's ``data``; parameters
        are sent as given, ``path`` is used as written (percent-encode values in it)."""
        method = method.upper()
        pairs = encode_arguments({}, params, open_params=True)
        reply = self._send(method, path, self._format, pairs)
        self._capture(reply, method, path)
        return reply_data(reply, self._format, method, path)

    def request_raw(self, method: str, path: str, *, api_format: str | None = None, **params: Any) -> RawResponse:
        """An untyped call that returns the answer as received, whatever its status.

        Authentication, retries and connection errors work as for every call; HTTP error
        statuses are not raised but returned (``.status``, ``.headers``, ``.body``, ``.text``,
        ``.data``). ``api_format`` asks for another of PVE's formats than the client's: ``"json"``,
        ``"extjs"``, or the debugging renderings ``"html"`` and ``"text"`` (read ``.text``).
        """
        fmt = self._format if api_format is None else api_format
        if fmt not in FORMATS:
            raise ValidationError("api_format", "enum", f"{fmt!r} is not one of {', '.join(FORMATS)}")
        method = method.upper()
        reply = self._send(method, path, fmt, encode_arguments({}, params, open_params=True))
        return RawResponse(reply, method, path, fmt)

    def request_stream(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None = None,
        *,
        body: bytes | Body | None = None,
        content_type: str | None = None,
    ) -> StreamedReply:
        """An untyped call whose bodies stream: ``body`` (bytes, or a sized object that can be
        iterated more than once, such as ``MultipartBody``) is sent as it is read, and the answer
        comes back unread: ``iter_bytes(n)`` or ``read()`` it, then ``close()`` it (or use ``with``).

        An error status raises its ``HTTPError`` as for every call. Streams use ``/api2/json``
        whatever the client's format: only there does the HTTP status say whether a call failed
        before its body is read."""
        method = method.upper()
        pairs = encode_arguments({}, params or {}, open_params=True)
        reply = self._send(method, path, "json", pairs, body=body, content_type=content_type, stream=True)
        assert isinstance(reply, StreamedReply)
        if not 200 <= reply.status < 300:
            try:
                reply.read()
            finally:
                reply.close()
            reply_data(reply, "json", method, path)  # raises the status's HTTPError
        return reply

    @contextmanager
    def capture_responses(self) -> Iterator[list[RawResponse]]:
        """``with pve.capture_responses() as seen: pve.nodes.get()``: the raw answers (status,
        headers) of the typed calls this thread makes inside the block, in order."""
        seen: list[RawResponse] = []
        outer = getattr(self._local, "capture", None)
        self._local.capture = seen
        try:
            yield seen
        finally:
            self._local.capture = outer

    def close(self) -> None:
        self._transport.close()

    def __enter__(self: C) -> C:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._base_url!r}, auth={self._auth!r})"

    def __reduce__(self) -> Any:
        # A client holds credentials (and open connections): pickling it would write the
        # secret to wherever the pickle goes. Refused outright; build a client per process.
        raise TypeError(
            f"{type(self).__name__} holds credentials and cannot be pickled; "
            "make a new client where it is needed (e.g. from_env())"
        )

    # == tasks, uploads and downloads (runtime/tasks.py, runtime/transfer.py) ===========
    def task_status(self, upid: UPID | str) -> dict[str, Any]:
        """``GET /nodes/{node}/tasks/{upid}/status`` for a UPID (object or text)."""
        return read_task_status(self, upid)

    def task_log(self, upid: UPID | str, *, start: int = 0, page: int = 500) -> Iterator[LogLine]:
        """The task's log lines from ``start``, fetched ``page`` lines per request."""
        return iter_task_log(self, upid, start=start, page=page)

    def wait_task(
        self,
        upid: UPID | str,
        *,
        timeout: float | None = None,
        interval: float = 1.0,
        on_progress: Callable[[Mapping[str, Any], list[str]], None] | None = None,
    ) -> dict[str, Any]:
        """Wait until the task stops: its final status, or TaskFailed / TaskTimeout."""
        return wait_task(self, upid, timeout=timeout, interval=interval, on_progress=on_progress)

    def upload(
        self,
        node: str,
        storage: str,
        source: str | os.PathLike[str] | IO[bytes],
        *,
        content: str,
        filename: str | None = None,
        checksum: str | None = None,
        checksum_algorithm: str | None = None,
    ) -> str:
        """Upload a file (path or binary file object) to a storage, streamed; returns the UPID."""
        upid: str = upload_file(
            self,
            node,
            storage,
            source,
            content=content,
            filename=filename,
            checksum=checksum,
            checksum_algorithm=checksum_algorithm,
        )
        return upid

    def download(self, path: str, dest: str | os.PathLike[str], **params: Any) -> int:
        """GET an API path (e.g. a ``download_allowed`` one) into the file ``dest``, streamed."""
        return download_to(self, path, dest, params=params)

    # -- the request path -------------------------------------------------------------
    def _perform(self, op: Op[T], values: tuple[Any, ...], arguments: Mapping[str, Any]) -> T:
        """A typed call (``Resource._call``): validate and encode, send, decode, repair."""
        path = _fill_path(op, values)
        method = op.method
        reply = self._send(method, path, self._format, encode_arguments(op.params, arguments, open_params=op.open))
        self._capture(reply, method, path)
        result: T = coerce(op.returns, reply_data(reply, self._format, method, path))
        return result

    def _send(
        self,
        method: str,
        path: str,
        fmt: str,
        pairs: list[tuple[str, str]],
        *,
        body: bytes | Body | None = None,
        content_type: str | None = None,
        stream: bool = False,
    ) -> Reply:
        """One authenticated exchange: parameters in the query (GET, DELETE, or beside a body)
        or as a form; after a 401 on a ticket, a new ticket and a repeat (the server refused the
        call before doing anything, so repeating it is safe)."""
        in_query = method in _QUERY_METHODS or body is not None
        auth = self._auth
        repeats = 0
        while True:
            auth.prepare(self._login_call)
            headers = {"Accept": _ACCEPT[fmt]}
            if content_type is not None:
                headers["Content-Type"] = content_type
            cookies: dict[str, str] = {}
            used = auth.apply(method, headers, cookies)
            reply = self._transport.send(
                method,
                self._prefixes[fmt] + path,
                query=pairs if in_query and pairs else None,
                form=None if in_query else pairs,
                body=body,
                headers=headers,
                cookies=cookies,
                timeout=self._timeout,
                describe=f"{method} {shown_path(path)}",
                stream=stream,
            )
            if used is None or repeats == _AUTH_REPEATS or call_status(reply, fmt) != 401:
                return reply
            if not auth.refresh(self._login_call, used):
                return reply
            if isinstance(reply, StreamedReply):
                reply.close()
            repeats += 1

    def _capture(self, reply: Reply, method: str, path: str) -> None:
        capture = getattr(self._local, "capture", None)
        if capture is not None:
            capture.append(RawResponse(reply, method, path, self._format))

    def _login_call(
        self,
        method: str,
        path: str,
        form: dict[str, Any],
        *,
        ticket: str | None = None,
        csrf: str | None = None,
    ) -> Any:
        """A call made by the auth strategy itself: no credentials but the ones given."""
        headers = {"Accept": _ACCEPT[self._format]}
        cookies: dict[str, str] = {}
        if ticket is not None:
            cookies["PVEAuthCookie"] = ticket
        if csrf is not None:
            headers["CSRFPreventionToken"] = csrf
        reply = self._transport.send(
            method,
            self._prefixes[self._format] + path,
            form=[(k, str(v)) for k, v in form.items()],
            headers=headers,
            cookies=cookies,
            timeout=self._timeout,
            describe=f"{method} {shown_path(path)}",
        )
        return reply_data(reply, self._format, method, path)


def _auth_from(
    token_id: str | None,
    token_secret: str | None,
    user: str | None,
    password: str | None,
    otp: OtpSource | None,
    flow: str,
) -> Auth:
    if token_id is not None and "=" in token_id:
        reason = (
            "contains '=': it holds the token's secret too (USER@REALM!TOKENID=SECRET); pass "
            "USER@REALM!TOKENID as token_id and the part after '=' as token_secret"
        )
        raise ConfigurationError(f"token_id {reason}", setting="token_id", reason=reason)
    if token_id is not None or token_secret is not None:
        if token_id is None or token_secret is None:
            missing = "token_secret" if token_id is not None else "token_id"
            reason = "token_id and token_secret go together"
            raise ConfigurationError(f"{missing} is missing: {reason}", setting=missing, reason=f"is missing: {reason}")
        if user is not None or password is not None:
            raise ConfigurationError("give either token_id/token_secret or user/password, not both")
        return TokenAuth(token_id, token_secret)
    if user is not None or password is not None:
        if user is None or password is None:
            missing = "password" if user is not None else "user"
            reason = "user and password go together"
            raise ConfigurationError(f"{missing} is missing: {reason}", setting=missing, reason=f"is missing: {reason}")
        return TicketAuth(user, password, otp, flow=flow)
    if otp is not None:
        raise ConfigurationError("otp is for user/password logins", setting="otp", reason="is for user/password logins")
    return NoAuth()


def _policy(retries: RetryPolicy | int | None) -> RetryPolicy:
    if retries is None:
        return RetryPolicy()
    if isinstance(retries, RetryPolicy):
        return retries
    if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
        reason = "a RetryPolicy or a count >= 0"
        raise ConfigurationError(f"retries: expected {reason}, not {retries!r}", setting="retries", reason=reason)
    return RetryPolicy(attempts=retries)


def _checked_timeout(
    timeout: float | tuple[float, float] | None,
) -> float | tuple[float, float] | None:
    reason = "expected seconds > 0, or a (connect, read) pair of them"
    values = timeout if isinstance(timeout, tuple) else (timeout,)
    if isinstance(timeout, tuple) and len(timeout) != 2:
        raise ConfigurationError(f"timeout: {reason}", setting="timeout", reason=reason)
    for value in values:
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float) or value <= 0):
            raise ConfigurationError(f"timeout: {reason}, got {value!r}", setting="timeout", reason=reason)
    return timeout


def _fill_path(op: Op[Any], values: tuple[Any, ...]) -> str:
    """Put the bound values into the path template, percent-encoded (``local:iso/x.iso``)."""
    if len(values) != len(op.path_params):
        raise ProxmoxError(f"{op.path} needs {len(op.path_params)} path values, {len(values)} bound")
    parts = op.path.split("/")
    texts = iter(
        quote(encode_path_value(rule, value), safe="") for rule, value in zip(op.path_params, values, strict=False)
    )
    out = [next(texts) if _placeholder(part) else part for part in parts]
    return "/".join(out)


def _placeholder(part: str) -> bool:
    return len(part) > 2 and part.startswith("{") and part.endswith("}")
