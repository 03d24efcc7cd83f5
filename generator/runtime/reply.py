"""What an answer says: the one decoder of PVE's response formats.

PVE serves every API path under ``/api2/{format}``. ``json`` and ``extjs`` are JSON envelopes the
client reads: ``json`` reports failures with the HTTP status, ``extjs`` answers HTTP 200 and says
in the body whether the call failed (``success: 0``, ``status``, ``message``, ``errors``). ``html``
and ``text`` are PVE's debugging renderings of the same data; the client only hands them back as
text (``request_raw(..., api_format="html")``). Every call's status, data and error are read here,
so both JSON formats raise the same exceptions with the same statuses.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .errors import HTTPError, error_for_status

__all__ = ["DATA_FORMATS", "FORMATS", "RawResponse", "Reply", "call_status", "reply_data"]

FORMATS = ("json", "extjs", "html", "text")
DATA_FORMATS = ("json", "extjs")  # the formats whose answers the client decodes
_UNREAD: Any = object()
_NO_HEADERS: Mapping[str, str] = {}


class Reply:
    """One HTTP answer: status, reason phrase, body and headers (case-insensitive)."""

    __slots__ = ("_json", "body", "headers", "reason", "status")

    def __init__(self, status: int, reason: str, body: bytes, headers: Mapping[str, str] = _NO_HEADERS) -> None:
        self.status = status
        self.reason = reason
        self.body = body
        self.headers = headers
        self._json: Any = _UNREAD

    def json(self) -> Any:
        """The body parsed as JSON (parsed once), or None when it is empty or not JSON."""
        if self._json is _UNREAD:
            try:
                self._json = json.loads(self.body) if self.body else None
            except ValueError:  # also UnicodeDecodeError
                self._json = None
        return self._json

    def __repr__(self) -> str:
        return f"Reply({self.status} {self.reason!r}, {len(self.body)} bytes)"


def _extjs_failure(reply: Reply) -> tuple[int, dict[str, Any]] | None:
    """An extjs answer's real status and body when the body says the call failed."""
    body = reply.json()
    if reply.status != 200 or not isinstance(body, dict) or body.get("success", 1):
        return None
    given = body.get("status")
    status = given if isinstance(given, int) and not isinstance(given, bool) and given >= 400 else 0
    return status or (400 if body.get("errors") else 500), body


def call_status(reply: Reply, fmt: str) -> int:
    """The status the call really had (for extjs, the one its body reports)."""
    if fmt == "extjs":
        failed = _extjs_failure(reply)
        if failed is not None:
            return failed[0]
    return reply.status


def reply_data(reply: Reply, fmt: str, method: str, path: str) -> Any:
    """The ``data`` member of a successful answer; a failed call raises its ``HTTPError``."""
    failed = _extjs_failure(reply) if fmt == "extjs" else None
    status, body = failed if failed is not None else (reply.status, reply.json())
    if 200 <= status < 300:
        if not isinstance(body, dict):
            raise HTTPError(status, "the answer is not a JSON object", method=method, path=path)
        return body.get("data")
    message = reply.reason.strip() or "error"
    errors: dict[str, Any] | None = None
    if isinstance(body, dict):
        text = body.get("message")
        if isinstance(text, str) and text.strip():
            message = text.strip()
        if isinstance(body.get("errors"), dict):
            errors = body["errors"]
    raise error_for_status(status)(status, message, method=method, path=path, errors=errors)


class RawResponse:
    """An answer as received: ``status``, ``reason``, ``headers`` (case-insensitive), ``body``
    (bytes), ``text`` (the body as text), ``format`` (the ``/api2/{format}`` asked for) and ``data``
    (the decoded ``data`` member of a json or extjs answer, None when absent or not JSON)."""

    __slots__ = ("body", "data", "format", "headers", "method", "path", "reason", "status")

    def __init__(self, reply: Reply, method: str, path: str, fmt: str = "json") -> None:
        self.status = reply.status
        self.reason = reply.reason
        self.headers = reply.headers
        self.body = reply.body
        self.method = method
        self.path = path
        self.format = fmt
        body = reply.json() if fmt in DATA_FORMATS else None
        self.data = body.get("data") if isinstance(body, dict) else None

    @property
    def text(self) -> str:
        """The body decoded as UTF-8 (what PVE sends); undecodable bytes are replaced."""
        return self.body.decode("utf-8", errors="replace")

    def __repr__(self) -> str:
        return f"<RawResponse {self.method} {self.path}: {self.status} {self.reason}>"
