"""One request as the mock read it, its record, and the answer to send (no HTTP here, only data)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

from .multipart import UploadedFile


@dataclass
class RecordedRequest:
    """One request as the server saw it; secrets (auth headers, passwords) are masked."""

    method: str
    raw_path: str  # as sent, query string included (secret query values masked)
    path: str  # decoded API path without /api2/FORMAT ("/nodes/pve1/qemu")
    format: str | None  # "json", "extjs", "html", "text", or None outside the API
    params: dict[str, Any]  # query and body parameters (secrets masked)
    headers: dict[str, str]
    auth: str | None = None  # "token", "ticket", or None
    user: str | None = None  # the authenticated user id
    csrf: bool = False  # a CSRFPreventionToken header was sent
    operation: tuple[str, str] | None = None  # (method, path template) it matched
    status: int = 0
    time: float = field(default_factory=time.time)
    client: str = ""  # "ADDRESS:PORT" of the caller
    source: str = ""  # where the answer came from: "state", "sample" or "error"
    faults: list[str] = field(default_factory=list)  # faults applied: "latency", "reset", "error", "truncate"
    delay: float = 0.0  # seconds the "latency" fault held the answer back (measured by the server)


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


@dataclass
class Request:
    """A request read off the wire: what the API pipeline needs, and its record."""

    method: str
    path_only: str  # the URL path without the query string
    format: str | None  # "json", "extjs", ... for /api2/FORMAT/..., else None
    api_path: str | None  # the path below /api2/FORMAT, still percent-encoded; None outside the API
    headers: dict[str, str]  # names in lower case
    cookies: dict[str, str]
    params: dict[str, Any]
    files: dict[str, UploadedFile]
    record: RecordedRequest


@dataclass
class Answer:
    status: int
    reason: str
    body: bytes
    content_type: str = "application/json;charset=UTF-8"
    headers: dict[str, str] = field(default_factory=dict)  # more headers (Location, Set-Cookie)
