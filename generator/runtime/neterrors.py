"""Why a connection failed, in one readable line (no urllib3 object reprs, no "Max retries exceeded").

requests wraps the socket's error in urllib3's ``MaxRetryError`` wrapping a ``NewConnectionError`` whose text is
``<urllib3.connection.HTTPSConnection object at 0x7f..>: Failed to establish a new connection: [Errno 111] ...``.
The cause a user can act on is the innermost OS error; this finds it by walking the chain.
"""

from __future__ import annotations

import http.client
import socket
import ssl
from typing import TypeVar

__all__ = ["cause_of", "connection_reason"]

_MAX_DEPTH = 12
E = TypeVar("E", bound=BaseException)


def _causes(error: BaseException) -> list[BaseException]:
    """``error`` and everything it wraps (``__cause__``, ``__context__``, urllib3's ``reason``, exception args)."""
    found: list[BaseException] = []
    stack = [error]
    while stack and len(found) < _MAX_DEPTH * 4:
        current = stack.pop()
        if any(current is seen for seen in found):
            continue
        found.append(current)
        nested = [current.__cause__, current.__context__, getattr(current, "reason", None)]
        nested += [arg for arg in getattr(current, "args", ()) if isinstance(arg, BaseException)]
        stack.extend(item for item in reversed(nested) if isinstance(item, BaseException))
    return found


def cause_of(error: BaseException, kind: type[E]) -> E | None:
    """The first exception of type ``kind`` among ``error`` and everything it wraps."""
    return next((cause for cause in _causes(error) if isinstance(cause, kind)), None)


def connection_reason(error: BaseException) -> str:
    """A short phrase: ``connection refused``, ``the host name does not resolve``, ``timed out``, ..."""
    causes = _causes(error)
    for cause in causes:
        if isinstance(cause, socket.gaierror):
            return "the host name does not resolve"
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused (is the address and port right, and the service running?)"
        if isinstance(cause, http.client.RemoteDisconnected):  # a ConnectionResetError too: checked first
            return "the server closed the connection without an answer"
        if isinstance(cause, ConnectionResetError):
            return "the connection was reset by the server"
        if isinstance(cause, BrokenPipeError):
            return "the server closed the connection while the request was being sent"
        if isinstance(cause, http.client.IncompleteRead):
            return "the answer was cut short"
        if isinstance(cause, ssl.SSLError):
            return f"TLS failed: {cause.reason or cause.strerror or type(cause).__name__}"
        if isinstance(cause, TimeoutError | socket.timeout):
            return "timed out"
    for cause in causes:
        if isinstance(cause, OSError) and cause.strerror:
            return cause.strerror[:1].lower() + cause.strerror[1:]
    names = {type(cause).__name__ for cause in causes}
    if "ConnectTimeoutError" in names or "ReadTimeoutError" in names:
        return "timed out"
    if "ProtocolError" in names or "RemoteDisconnected" in names:
        return "the server closed the connection without an answer"
    return type(causes[-1]).__name__
