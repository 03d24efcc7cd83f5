"""The request log of ``pvegen mock --log FILE`` (and ``-v``): one JSON object per line and request.

```json
{"time": "2026-11-30T15:00:00.123Z", "client": "127.0.0.1:54321", "method": "POST",
 "path": "/api2/json/nodes/pve1/qemu", "params": {"vmid": "100", "password": "***"},
 "status": 200, "source": "state"}
```

``time`` is when the request was read (UTC, milliseconds); ``path`` is the URL path as sent (still
percent-encoded, without the query string); ``params`` are the query and body parameters with every
secret masked (by the runtime's ``is_secret_name``, also inside property strings); ``status`` is the
HTTP status sent (0: the connection was dropped before an answer, a fault); ``source`` says where the
answer came from: ``state`` (the simulated cluster), ``sample`` (schema-valid sample data, or a task
that changes nothing, for an operation the mock does not model) or ``error``. The log is a usage
source for ``pvegen compat --usage``.
"""

from __future__ import annotations

import json
import os
import threading
import time
import urllib.parse
from typing import IO, Any

from ..errors import PvegenError
from .exchange import RecordedRequest


class JournalError(PvegenError):
    """The request log cannot be opened."""


def log_entry(record: RecordedRequest) -> dict[str, Any]:
    seconds = int(record.time)
    millis = int((record.time - seconds) * 1000)
    return {
        "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{millis:03d}Z",
        "client": record.client,
        "method": record.method,
        "path": urllib.parse.urlsplit(record.raw_path).path,
        "params": record.params,
        "status": record.status,
        "source": record.source or "error",
    }


def log_line(record: RecordedRequest) -> str:
    return json.dumps(log_entry(record), ensure_ascii=False, separators=(", ", ": "), default=str)


class Journal:
    """Appends a line per request to a file and/or echoes it to a stream; thread-safe, flushed per line."""

    def __init__(self, path: str | os.PathLike[str] | None = None, echo: IO[str] | None = None) -> None:
        self._lock = threading.Lock()
        self._echo = echo
        self._file: IO[str] | None = None
        if path is not None:
            try:
                self._file = open(path, "a", encoding="utf-8")  # noqa: SIM115 - closed by close()
            except OSError as err:
                raise JournalError(f"cannot open the request log {os.fspath(path)}: {err.strerror or err}") from None

    @property
    def active(self) -> bool:
        return self._file is not None or self._echo is not None

    def write(self, record: RecordedRequest) -> None:
        if not self.active:
            return
        line = log_line(record) + "\n"
        with self._lock:
            for stream in (self._file, self._echo):
                if stream is not None:
                    stream.write(line)
                    stream.flush()

    def close(self) -> None:
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None
