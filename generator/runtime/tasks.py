"""PVE tasks: the UPID type, waiting for a task to end, and reading its log page by page.

Long-running calls (start, stop, create, upload, ...) answer a UPID at once and do the work
in a worker process on the node. ``wait_task`` polls ``/nodes/{node}/tasks/{upid}/status``
until the task has stopped and turns its exit status into a return value or an exception.
The helpers need nothing of a client but its public ``request`` method.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any, NamedTuple, Protocol
from urllib.parse import quote

from .errors import ProxmoxError
from .upid import UPID

__all__ = [
    "UPID",
    "LogLine",
    "Requester",
    "TaskFailed",
    "TaskTimeout",
    "iter_task_log",
    "read_task_status",
    "wait_task",
]


class LogLine(NamedTuple):
    n: int  # line number, from 1
    text: str


class TaskFailed(ProxmoxError):
    """The task ended with an exit status other than OK (or WARNINGS: n)."""

    def __init__(self, upid: UPID, exitstatus: str, log: list[str], status: Mapping[str, Any]) -> None:
        self.upid = upid
        self.exitstatus = exitstatus
        self.log = log  # the last lines of the task log
        self.status = dict(status)
        tail = "; ".join(line for line in log[-3:] if line)
        what = f"{upid.type} {upid.id}" if upid.id else upid.type
        message = f"task {what} on {upid.node} failed: {exitstatus or 'no exit status'}"
        super().__init__(message + (f" (log: {tail})" if tail else ""))


class TaskTimeout(ProxmoxError):
    """The task was still running when the time given to ``wait_task`` ran out."""

    def __init__(self, upid: UPID, timeout: float, status: Mapping[str, Any]) -> None:
        self.upid = upid
        self.timeout = timeout
        self.status = dict(status)
        super().__init__(f"task {upid} still {status.get('status', 'running')} after {timeout:g} s")


class Requester(Protocol):
    """What the task helpers need from a client: its untyped call (``BaseClient.request``)."""

    def request(self, method: str, path: str, **params: Any) -> Any: ...


def _upid(value: UPID | str) -> UPID:
    return value if isinstance(value, UPID) else UPID.parse(value)


def _task_path(task: UPID, leaf: str) -> str:
    return f"/nodes/{quote(task.node, safe='')}/tasks/{quote(str(task), safe='')}/{leaf}"


def read_task_status(client: Requester, upid: UPID | str) -> dict[str, Any]:
    task = _upid(upid)
    data = client.request("GET", _task_path(task, "status"))
    if not isinstance(data, dict):
        raise ProxmoxError(f"task status of {task}: expected an object, got {type(data).__name__}")
    return data


def iter_task_log(client: Requester, upid: UPID | str, *, start: int = 0, page: int = 500) -> Iterator[LogLine]:
    """Every log line from ``start`` (0-based), fetched ``page`` lines at a time as PVE pages it."""
    task = _upid(upid)
    if page < 1:
        raise ValueError("page must be at least 1")
    offset = start
    while True:
        rows = client.request("GET", _task_path(task, "log"), start=offset, limit=page)
        rows = rows if isinstance(rows, list) else []
        for row in rows:
            if isinstance(row, dict):
                yield LogLine(int(row.get("n", 0) or 0), str(row.get("t", "")))
        if len(rows) < page:
            return
        offset += len(rows)


def _succeeded(exitstatus: str) -> bool:
    return exitstatus == "OK" or exitstatus.startswith("WARNINGS")


def wait_task(
    client: Requester,
    upid: UPID | str,
    *,
    timeout: float | None = None,
    interval: float = 1.0,
    on_progress: Callable[[Mapping[str, Any], list[str]], None] | None = None,
    log_lines: int = 20,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, Any]:
    """Poll until the task stops; return its final status, or raise TaskFailed / TaskTimeout.

    ``on_progress(status, new_lines)`` is called after every poll with the status and the log
    lines that appeared since the previous call. ``log_lines`` is how many of the last lines a
    TaskFailed carries.
    """
    task = _upid(upid)
    if interval <= 0:
        raise ValueError("interval must be positive")
    deadline = None if timeout is None else clock() + timeout
    seen = 0
    while True:
        status = read_task_status(client, task)
        if on_progress is not None:
            fresh = list(iter_task_log(client, task, start=seen))
            if fresh and fresh[0].text == "no content" and len(fresh) == 1 and seen == 0:
                fresh = []  # PVE's placeholder for an empty log
            seen += len(fresh)
            on_progress(status, [line.text for line in fresh])
        if status.get("status") == "stopped":
            exitstatus = str(status.get("exitstatus", ""))
            if _succeeded(exitstatus):
                return status
            raise TaskFailed(task, exitstatus, _tail(client, task, log_lines), status)
        now = clock()
        if deadline is not None and now >= deadline:
            raise TaskTimeout(task, float(timeout or 0), status)
        sleep(interval if deadline is None else max(0.0, min(interval, deadline - now)))


def _tail(client: Requester, task: UPID, count: int) -> list[str]:
    try:
        lines = [line.text for line in iter_task_log(client, task)]
    except ProxmoxError:
        return []  # the failure itself matters more than its log
    return lines[-count:] if count > 0 else []
