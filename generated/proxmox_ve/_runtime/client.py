"""The client core: base URL, authentication strategy, transport, request and response handling."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

from .auth import Auth, NoAuth, TicketAuth, TokenAuth
from .coerce import coerce
from .errors import ConfigurationError, HTTPError, ProxmoxError, error_for_status
from .resource import Op, Resource
from .transport import Reply, Transport
from .validate import encode_arguments, encode_path_value

__all__ = ["DEFAULT_TIMEOUT", "BaseClient"]

T = TypeVar("T")

# (connect, read) seconds: PVE answers most calls fast; long work runs as tasks.
DEFAULT_TIMEOUT: tuple[float, float] = (10.0, 60.0)


class BaseClient(Resource):
    """Connection settings and the request path shared by every resource of one client.

    ``host`` is a name or address (``pve.example``) or a base URL (``https://pve.example:8006``,
    ``http://127.0.0.1:8080`` for a test server). ``verify`` is True, False or a CA-bundle path
    and is applied to every request. Pass ``auth`` or ``transport`` to replace the defaults.
    """

    def __init__(
        self,
        host: str,
        port: int = 8006,
        *,
        token_id: str | None = None,
        token_secret: str | None = None,
        user: str | None = None,
        password: str | None = None,
        otp: str | None = None,
        verify: bool | str = True,
        timeout: float | tuple[float, float] | None = DEFAULT_TIMEOUT,
        auth: Auth | None = None,
        transport: Transport | None = None,
    ) -> None:
        super().__init__(self, ())
        self._base_url = _base_url(host, port)
        if isinstance(verify, str) and not os.path.exists(verify):
            raise ConfigurationError(f"verify: CA bundle {verify!r} does not exist")
        self._timeout = timeout
        self._transport = transport if transport is not None else Transport(verify=verify)
        self._auth: Auth = (
            auth if auth is not None else _auth_from(token_id, token_secret, user, password, otp)
        )
        self._logged_in = isinstance(self._auth, NoAuth | TokenAuth)

    # -- public helpers -----------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return self._base_url

    def request(self, method: str, path: str, **params: Any) -> Any:
        """An untyped call (``request("GET", "/nodes")``); parameters are sent as given."""
        op: Op[Any] = Op(method.upper(), path, params={}, open=True)
        return self._perform(op, (), params)

    def close(self) -> None:
        self._transport.close()

    def __enter__(self) -> BaseClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._base_url!r}, auth={self._auth!r})"

    # -- the request path -------------------------------------------------------------
    def _perform(self, op: Op[T], values: tuple[Any, ...], arguments: Mapping[str, Any]) -> T:
        path = _fill_path(op, values)
        pairs = encode_arguments(op.params, arguments, open_params=op.open)
        if not self._logged_in:
            self._auth.login(self._login_call)
            self._logged_in = True
        data = self._send(op.method, path, pairs, authenticate=True)
        result: T = coerce(op.returns, data)
        return result

    def _login_call(self, method: str, path: str, form: dict[str, Any]) -> Any:
        return self._send(method, path, [(k, str(v)) for k, v in form.items()], authenticate=False)

    def _send(
        self, method: str, path: str, pairs: list[tuple[str, str]], *, authenticate: bool
    ) -> Any:
        headers: dict[str, str] = {"Accept": "application/json"}
        cookies: dict[str, str] = {}
        if authenticate:
            self._auth.apply(method, headers, cookies)
        in_query = method in ("GET", "DELETE")
        reply = self._transport.send(
            method,
            f"{self._base_url}/api2/json{path}",
            query=pairs if in_query else None,
            form=None if in_query else pairs,
            headers=headers,
            cookies=cookies,
            timeout=self._timeout,
            describe=f"{method} {path}",
        )
        return _data(reply, method, path)


def _auth_from(
    token_id: str | None,
    token_secret: str | None,
    user: str | None,
    password: str | None,
    otp: str | None,
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
        return TicketAuth(user, password, otp)
    return NoAuth()


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
        raise ProxmoxError(
            f"{op.path} needs {len(op.path_params)} path values, {len(values)} bound"
        )
    parts = op.path.split("/")
    texts = iter(
        quote(encode_path_value(rule, value), safe="")
        for rule, value in zip(op.path_params, values, strict=False)
    )
    out = [next(texts) if _placeholder(part) else part for part in parts]
    return "/".join(out)


def _placeholder(part: str) -> bool:
    return len(part) > 2 and part.startswith("{") and part.endswith("}")


def _data(reply: Reply, method: str, path: str) -> Any:
    body: Any = None
    if reply.body:
        try:
            body = json.loads(reply.body)
        except ValueError:
            body = None
    if 200 <= reply.status < 300:
        if not isinstance(body, dict):
            raise HTTPError(
                reply.status, "the answer is not a JSON object", method=method, path=path
            )
        return body.get("data")
    errors = (
        body.get("errors")
        if isinstance(body, dict) and isinstance(body.get("errors"), dict)
        else None
    )
    message = reply.reason or "error"
    if isinstance(body, dict) and isinstance(body.get("message"), str) and body["message"].strip():
        message = body["message"].strip()
    raise error_for_status(reply.status)(
        reply.status, message, method=method, path=path, errors=errors
    )
