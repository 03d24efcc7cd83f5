"""PVE worker tasks: UPIDs in PVE's grammar, a clock, status and log.

A task runs for ``duration`` seconds of wall-clock time, or, with ``polls=N`` (a clock the test
controls), for exactly N reads of its status: it is "running" for the first N reads and "stopped"
from the next one on, whatever the time. Its effect (a guest created, a VM started) happens when it ends.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..runtime.upid import UPID


@dataclass
class Task:
    ident: UPID  # node, pid, start times, type, id and user: the task id's own fields
    started: float  # time.monotonic() when it began
    duration: float
    polls_left: int | None = None  # status reads before it stops (task_polls mode)
    outcome: str = "OK"  # exitstatus when it ends: "OK" or an error message
    log: list[str] = field(default_factory=list)
    on_finish: Callable[[], None] | None = None
    finished: bool = False
    endtime: int | None = None

    @property
    def upid(self) -> str:
        return str(self.ident)

    @property
    def node(self) -> str:
        return self.ident.node

    @property
    def type(self) -> str:
        return self.ident.type

    @property
    def id(self) -> str:
        return self.ident.id

    @property
    def user(self) -> str:
        return self.ident.user

    @property
    def starttime(self) -> int:
        return self.ident.starttime

    def _identity(self) -> dict[str, Any]:
        """The fields PVE reports for every task, running or not."""
        ident = self.ident
        return {
            "upid": self.upid,
            "node": ident.node,
            "pid": ident.pid,
            "pstart": ident.pstart,
            "starttime": ident.starttime,
            "type": ident.type,
            "id": ident.wire_id,
            "user": ident.user,
        }

    def as_status(self) -> dict[str, Any]:
        data = {**self._identity(), "status": "stopped" if self.finished else "running"}
        if self.finished:
            data["exitstatus"] = self.outcome
        return data

    def as_list_entry(self) -> dict[str, Any]:
        data = self._identity()
        if self.finished:
            data["endtime"] = self.endtime
            data["status"] = self.outcome
        return data


def parse_upid(text: str) -> UPID | None:
    """The UPID, or None when the text is not one (PVE: "unable to parse worker upid")."""
    try:
        return UPID.parse(text)
    except ValueError:
        return None


class TaskTable:
    """All tasks of the simulated cluster. Not locked itself: the State's lock guards it."""

    def __init__(self, duration: float, polls: int | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.duration = duration
        self.polls = polls
        self._clock = clock
        self._tasks: dict[str, Task] = {}
        self._running: list[Task] = []  # only these need a look on every tick
        self._next_pid = 4000
        self._pstart = 1_000_000

    def start(
        self,
        node: str,
        kind: str,
        ident: str,
        user: str,
        *,
        log: list[str] | None = None,
        on_finish: Callable[[], None] | None = None,
        outcome: str = "OK",
    ) -> Task:
        self._next_pid += 1
        self._pstart += 7
        task = Task(
            ident=UPID(node, self._next_pid, self._pstart, int(time.time()), kind, ident, user),
            started=self._clock(),
            duration=self.duration,
            outcome=outcome,
            log=list(log or []),
            on_finish=on_finish,
            polls_left=self.polls,
        )
        self._tasks[task.upid] = task
        self._running.append(task)
        self.tick()
        return task

    def tick(self) -> None:
        """Finish every task whose time is up, in the order they began (never in ``polls`` mode)."""
        if self.polls is not None:
            return
        now = self._clock()
        running, self._running = self._running, []
        for task in running:
            if task.finished:
                continue  # stopped through the API
            if now - task.started < task.duration:
                self._running.append(task)
            else:
                self._finish(task, task.starttime + int(task.duration))

    def read_status(self, task: Task) -> Task:
        """A status read of ``task`` (``GET .../tasks/{upid}/status``): in ``polls`` mode it counts."""
        if task.polls_left is not None and not task.finished:
            if task.polls_left > 0:
                task.polls_left -= 1
            else:
                self._running.remove(task)
                self._finish(task, max(task.starttime, int(time.time())))
        return task

    def _finish(self, task: Task, endtime: int) -> None:
        task.finished = True
        task.endtime = endtime
        task.log.append("TASK OK" if task.outcome == "OK" else f"TASK ERROR: {task.outcome}")
        if task.on_finish is not None and task.outcome == "OK":
            task.on_finish()

    def get(self, upid: str) -> Task | None:
        return self._tasks.get(upid)

    def all(self) -> list[Task]:
        return list(self._tasks.values())
