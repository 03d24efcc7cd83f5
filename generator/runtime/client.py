"""The client core: base URL, authentication strategy, transport, request and response handling."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import IO, Any, ClassVar, TypeVar
from urllib.parse import quote, urlsplit

import requests

from .auth import Auth, NoAuth, OtpSource, TicketAuth, TokenAuth
from .coerce import coerce
from .env import settings_from_env
from .errors import (
    ConfigurationError,
    ConnectionFailedError,
    HTTPError,
    ProxmoxError,
    TLSError,
    error_for_status,
    shown_path,
)
from .resource import Op, Resource
from .retry import RetryPolicy
from .tasks import UPID, LogLine, iter_task_log, read_task_status, wait_task
from .tls import normalize_fingerprint
from .transfer import download_to, upload_file
from .transport import COOKIE_SAFE, Reply, Transport
from .validate import encode_arguments, encode_path_value

__all__ = ["DEFAULT_TIMEOUT", "FORMATS", "BaseClient", "RawResponse"]

T = TypeVar("T")
C = TypeVar("C", bound="BaseClient")

# (connect, read) seconds. Connecting is quick or hopeless; reading gets room because some
# synchronous calls (storage scans, task-starting calls on a busy node) take tens of seconds.
DEFAULT_TIMEOUT: tuple[float, float] = (10.0, 120.0)
FORMATS = ("json", "extjs")
_JSON_ACCEPT: Mapping[str, str] = {"Accept": "application/json"}
_QUERY_METHODS = frozenset({"GET", "DELETE"})  # PVE reads their parameters from the query


class RawResponse:
    """An answer as received: ``status``, ``reason``, ``headers`` (case-insensitive), ``body``
    (bytes) and ``data`` (the decoded ``data`` member, None when absent or not JSON)."""

    __slots__ = ("body", "data", "headers", "method", "path", "reason", "status")

    def __init__(self, reply: Reply, method: str, path: str) -> None:
        self.status = reply.status
        self.reason = reply.reason
        self.headers = reply.headers
        self.body = reply.body
        self.method = method
        self.path = path
        body = _json(reply.body)
        self.data = body.get("data") if isinstance(body, dict) else None

    def __repr__(self) -> str:
        return f"<RawResponse {self.method} {self.path}: {self.status} {self.reason}>"


class BaseClient(Resource):
    """Connection settings and the request path shared by every resource of one client.

    ``host`` is a name or address (``pve.example``) or a base URL (``https://pve.example:8006``,
    ``http://127.0.0.1:8080`` for a test server). ``verify`` is True, False or a CA-bundle path;
    ``fingerprint`` pins the server certificate (SHA-256, ``AB:CD:...`` as PVE shows it).
    ``otp`` is a TOTP code or a callable returning one. ``retries`` is a RetryPolicy (or a
    number of retries); ``format`` is ``"json"`` or ``"extjs"``. Pass ``auth`` or ``transport``
    to replace the defaults.
    """

    # The release's TFA login flow ("otp": PVE 5/6, "challenge": PVE 7+); the generated
    # client class sets it from /access/ticket in its spec.
    TFA_FLOW: ClassVar[str] = "challenge"

    def __init__(
        self,
        host: str,
        port: int = 8006,
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
        self._base_url = _base_url(host, port)
        if format not in FORMATS:
            raise ConfigurationError(f"format must be 'json' or 'extjs', not {format!r}")
        self._format = format
        self._api = f"{self._base_url}/api2/{format}"
        if isinstance(verify, str) and not os.path.exists(verify):
            raise ConfigurationError(f"verify: CA bundle {verify!r} does not exist")
        if fingerprint is not None:
            normalize_fingerprint(fingerprint)
            if not self._base_url.startswith("https://"):
                raise ConfigurationError("fingerprint: pinning needs an https:// server")
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
        """A client configured by ``PVE_*`` variables (see ``_runtime/env.py``); keywords win."""
        settings = settings_from_env(environ)
        settings.update(overrides)
        return cls(**settings)

    # -- public helpers -----------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return self._base_url

    def request(self, method: str, path: str, **params: Any) -> Any:
        """An untyped call (``request("GET", "/nodes")``); parameters are sent as given."""
        op: Op[Any] = Op(method.upper(), path, params={}, open=True)
        return self._perform(op, (), params)

    def request_raw(self, method: str, path: str, **params: Any) -> RawResponse:
        """An untyped call that returns the answer as received, whatever its status.

        Authentication, retries and connection errors work as for every call; HTTP error
        statuses are not raised but returned (``.status``, ``.headers``, ``.body``, ``.data``).
        """
        op: Op[Any] = Op(method.upper(), path, params={}, open=True)
        pairs = encode_arguments(op.params, params, open_params=True)
        reply = self._authenticated(op.method, path, pairs)
        return RawResponse(reply, op.method, path)

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

    # -- the request path -------------------------------------------------------------
    def _perform(self, op: Op[T], values: tuple[Any, ...], arguments: Mapping[str, Any]) -> T:
        path = _fill_path(op, values)
        pairs = encode_arguments(op.params, arguments, open_params=op.open)
        method = op.method
        reply = self._authenticated(method, path, pairs)
        capture = getattr(self._local, "capture", None)
        if capture is not None:
            capture.append(RawResponse(reply, method, path))
        data = _data(reply, method, path, self._format)
        result: T = coerce(op.returns, data)
        return result

    def _authenticated(self, method: str, path: str, pairs: list[tuple[str, str]]) -> Reply:
        """One authenticated exchange; after a 401 on a ticket, one new login and one repeat
        (the server refused the call before doing anything, so repeating it is safe)."""
        auth = self._auth
        auth.prepare(self._login_call)
        used = auth.credential_id()
        reply = self._exchange(method, path, pairs, auth)
        if used is not None and _status(reply, self._format) == 401 and auth.refresh(self._login_call, used):
            reply = self._exchange(method, path, pairs, auth)
        return reply

    def _exchange(self, method: str, path: str, pairs: list[tuple[str, str]], auth: Auth | None) -> Reply:
        headers: dict[str, str] = dict(_JSON_ACCEPT)
        cookies: dict[str, str] = {}
        if auth is not None:
            auth.apply(method, headers, cookies)
        in_query = method in _QUERY_METHODS
        return self._transport.send(
            method,
            self._api + path,
            query=pairs if in_query else None,
            form=None if in_query else pairs,
            headers=headers,
            cookies=cookies,
            timeout=self._timeout,
            describe=f"{method} {shown_path(path)}",
        )

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
        headers: dict[str, str] = dict(_JSON_ACCEPT)
        cookies: dict[str, str] = {}
        if ticket is not None:
            cookies["PVEAuthCookie"] = ticket
        if csrf is not None:
            headers["CSRFPreventionToken"] = csrf
        reply = self._transport.send(
            method,
            self._api + path,
            form=[(k, str(v)) for k, v in form.items()],
            headers=headers,
            cookies=cookies,
            timeout=self._timeout,
            describe=f"{method} {shown_path(path)}",
        )
        return _data(reply, method, path, self._format)

    def _auth_headers(self, method: str) -> dict[str, str]:
        """Headers that authenticate one request (logging in or renewing first when due);
        for exchanges that bypass ``_perform`` (streamed uploads and downloads)."""
        self._auth.prepare(self._login_call)
        headers: dict[str, str] = {}
        cookies: dict[str, str] = {}
        self._auth.apply(method, headers, cookies)
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={quote(v, safe=COOKIE_SAFE)}" for k, v in cookies.items())
        return headers

    # == tasks, uploads and downloads ==================================================
    # (issue 6 part 2: the helpers live in runtime/tasks.py and runtime/transfer.py; these
    # methods only bind them to this client.)
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

    def _stream(
        self,
        method: str,
        path: str,
        *,
        query: list[tuple[str, str]] | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> requests.Response:
        """One authenticated exchange whose body is streamed both ways (never retried)."""
        fields: dict[str, str] = {
            "Accept": "application/json",
            **(headers or {}),
            **self._auth_headers(method),
        }
        url = f"{self._base_url}/api2/json{path}"
        prepared = requests.PreparedRequest()
        prepared.prepare(method=method, url=url, params=query or None, headers=fields, data=body)
        transport = self._transport
        try:
            return transport.adapter.send(
                prepared,
                stream=True,
                timeout=self._timeout,
                verify=transport._verify,
                proxies=transport._proxies_for(url),
            )
        except requests.exceptions.SSLError as err:
            failure: ConnectionFailedError = TLSError(f"{method} {shown_path(path)}: TLS failed: {type(err).__name__}")
        except requests.RequestException as err:
            failure = ConnectionFailedError(
                f"{method} {shown_path(path)}: {type(err).__name__} (the request may have reached the server)",
                sent=True,
            )
        raise failure  # outside the except block: nothing of requests is chained

    def _stream_data(self, response: requests.Response, method: str, path: str) -> Any:
        """The ``data`` of a streamed exchange's (small) JSON answer, errors mapped as usual."""
        try:
            body = response.content
        finally:
            response.close()
        return _data(Reply(response.status_code, response.reason or "", body), method, path)


def _auth_from(
    token_id: str | None,
    token_secret: str | None,
    user: str | None,
    password: str | None,
    otp: OtpSource | None,
    flow: str,
) -> Auth:
    if token_id is not None or token_secret is not None:
        if token_id is None or token_secret is None:
            raise ConfigurationError("token_id and token_secret go together")
        if user is not None or password is not None:
            raise ConfigurationError("give either token_id/token_secret or user/password, not both")
        return TokenAuth(token_id, token_secret)
    if user is not None or password is not None:
        if user is None or password is None:
            raise ConfigurationError("user and password go together")
        return TicketAuth(user, password, otp, flow=flow)
    if otp is not None:
        raise ConfigurationError("otp is for user/password logins")
    return NoAuth()


def _policy(retries: RetryPolicy | int | None) -> RetryPolicy:
    if retries is None:
        return RetryPolicy()
    if isinstance(retries, RetryPolicy):
        return retries
    if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
        raise ConfigurationError(f"retries must be a RetryPolicy or a count >= 0, not {retries!r}")
    return RetryPolicy(attempts=retries)


def _checked_timeout(
    timeout: float | tuple[float, float] | None,
) -> float | tuple[float, float] | None:
    values = timeout if isinstance(timeout, tuple) else (timeout,)
    if isinstance(timeout, tuple) and len(timeout) != 2:
        raise ConfigurationError("timeout: a number of seconds or a (connect, read) pair")
    for value in values:
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float) or value <= 0):
            raise ConfigurationError(f"timeout: expected seconds > 0, got {value!r}")
    return timeout


def _base_url(host: str, port: int) -> str:
    if "://" in host:
        parts = urlsplit(host)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigurationError(f"host: not an http(s) URL: {host!r}")
        return f"{parts.scheme}://{parts.netloc}".rstrip("/")
    name = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"https://{name}:{int(port)}"


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


def _json(raw: bytes) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


def _status(reply: Reply, fmt: str) -> int:
    """The call's real status: extjs answers 200 and says in the body whether it failed."""
    if fmt == "extjs" and reply.status == 200:
        body = _json(reply.body)
        if isinstance(body, dict) and not body.get("success", 1):
            status = body.get("status")
            return status if isinstance(status, int) and status >= 400 else 500
    return reply.status


def _data(reply: Reply, method: str, path: str, fmt: str = "json") -> Any:
    """The ``data`` member of a successful answer; an error status raises its HTTPError.

    ``extjs`` answers report failures in the body (``success: 0``, ``message``, ``errors``) and
    are mapped to the same exceptions as ``json`` ones.
    """
    body = _json(reply.body)
    status = reply.status
    if fmt == "extjs" and status == 200 and isinstance(body, dict) and not body.get("success", 1):
        given = body.get("status")
        status = given if isinstance(given, int) and given >= 400 else (400 if body.get("errors") else 500)
        message = body.get("message")
        reason = message if isinstance(message, str) and message.strip() else "error"
    else:
        reason = reply.reason or "error"
    if 200 <= status < 300:
        if not isinstance(body, dict):
            raise HTTPError(status, "the answer is not a JSON object", method=method, path=path)
        return body.get("data")
    errors = body.get("errors") if isinstance(body, dict) and isinstance(body.get("errors"), dict) else None
    message = reason.strip() or "error"
    if isinstance(body, dict) and isinstance(body.get("message"), str) and body["message"].strip():
        message = body["message"].strip()
    raise error_for_status(status)(status, message, method=method, path=path, errors=errors)
