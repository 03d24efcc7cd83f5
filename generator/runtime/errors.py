"""Errors raised by the client; ``ProxmoxError`` is the base of every one of them.

Messages and reprs never contain credentials: requests are described by method and path only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = [
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "ConflictError",
    "ConnectionFailedError",
    "HTTPError",
    "NotFoundError",
    "PermissionDeniedError",
    "ProxmoxError",
    "ServerError",
    "TLSError",
    "TfaRequiredError",
    "TimeoutError",
    "ValidationError",
    "error_for_status",
]


_PATH_SHOWN = 200


def shown_path(path: str) -> str:
    """A path as messages show it: a huge one (a hostile or mistaken value) is cut short; the
    error's ``path`` attribute keeps it whole."""
    if len(path) <= _PATH_SHOWN:
        return path
    return f"{path[:_PATH_SHOWN]}...({len(path) - _PATH_SHOWN} more characters)"


class ProxmoxError(Exception):
    """Base of every error the client raises."""


class ConfigurationError(ProxmoxError, ValueError):
    """The client was set up wrongly (credentials given by halves, a CA bundle that does not exist).

    ``setting`` names the constructor keyword at fault (``host``, ``token_id``, ...) when there is
    one, and ``reason`` says what is wrong without repeating the value, so ``from_env`` can name
    the variable instead (``PVE_TOKEN_ID: ...``) and never echo what it holds.
    """

    def __init__(self, message: str, *, setting: str | None = None, reason: str | None = None) -> None:
        self.setting = setting
        self.reason = reason if reason is not None else message
        super().__init__(message)


class ValidationError(ProxmoxError, ValueError):
    """Arguments break the spec; raised before anything is sent.

    ``parameter`` is the parameter's name as Proxmox spells it, ``rule`` the broken rule
    (``type``, ``enum``, ``minimum``, ``maximum``, ``minLength``, ``maxLength``, ``pattern``,
    ``format``, ``required``, ``unknown``).
    """

    def __init__(self, parameter: str, rule: str, message: str) -> None:
        self.parameter = parameter
        self.rule = rule
        self.message = message
        super().__init__(f"{parameter}: {message} [{rule}]")


class HTTPError(ProxmoxError):
    """The server answered with an error status.

    ``errors`` holds PVE's per-parameter messages (``{"vmid": "invalid format"}``), ``message``
    its status text or body message.
    """

    status: int = 0

    def __init__(
        self,
        status: int,
        message: str,
        *,
        method: str,
        path: str,
        errors: Mapping[str, Any] | None = None,
    ) -> None:
        self.status = status
        self.message = message
        self.method = method
        self.path = path
        self.errors: dict[str, Any] = dict(errors or {})
        detail = "; ".join(f"{k}: {v}" for k, v in sorted(self.errors.items()))
        text = f"{method} {shown_path(path)}: HTTP {status}: {message}"
        super().__init__(f"{text} ({detail})" if detail else text)


class BadRequestError(HTTPError):
    """400: PVE rejected the parameters (see ``errors``)."""


class AuthenticationError(HTTPError):
    """401: missing, wrong or expired credentials."""


class PermissionDeniedError(HTTPError):
    """403: authenticated, but lacking a privilege."""


class NotFoundError(HTTPError):
    """404: no such path (or no such method on it)."""


class ConflictError(HTTPError):
    """409: the resource is locked or exists already."""


class ServerError(HTTPError):
    """5xx: the server (or the node it proxies to: 595, 596) failed."""


class TfaRequiredError(AuthenticationError):
    """The user has a second factor and no ``otp`` (a code or a callable) was given."""


class ConnectionFailedError(ProxmoxError):
    """No (complete) HTTP answer: DNS, refused connection, reset, TLS verification.

    ``sent`` is True when the request may have reached the server (a reset or timeout after
    sending it): a write call may then have happened, and it is never repeated automatically.
    """

    def __init__(self, message: str, *, sent: bool = False) -> None:
        self.sent = sent
        super().__init__(message)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_connection_error, (type(self), str(self), self.sent))


class TimeoutError(ConnectionFailedError):
    """The server did not answer within the timeout."""


class TLSError(ConnectionFailedError):
    """TLS failed: an unverifiable certificate or one that does not match the pinned fingerprint.

    Raised while connecting, before any request line, body or credential is sent.
    """


def _rebuild_connection_error(cls: type[ConnectionFailedError], message: str, sent: bool) -> ConnectionFailedError:
    return cls(message, sent=sent)


_BY_STATUS: dict[int, type[HTTPError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
}


def error_for_status(status: int) -> type[HTTPError]:
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    return ServerError if status >= 500 else HTTPError
