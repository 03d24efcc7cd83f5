"""Worker tasks of a node: list, status, log, stop."""

from __future__ import annotations

import time
from typing import Any

from .call import Call, WithAttributes
from .errors import ApiError
from .tasktable import Task, parse_upid


def _task(call: Call) -> Task:
    call.node()
    upid = str(call.values["upid"])
    if parse_upid(upid) is None:
        raise ApiError(500, f"unable to parse worker upid '{upid}'")
    task = call.state.tasks.get(upid)
    if task is None or task.node != call.values["node"]:
        raise ApiError(500, "no such task")
    return task


def node_tasks(call: Call) -> Any:
    node = call.node()
    values = call.values
    tasks = [t for t in reversed(call.state.tasks.all()) if t.node == node]
    if values.get("vmid") is not None:
        tasks = [t for t in tasks if t.id == str(values["vmid"])]
    if values.get("typefilter"):
        tasks = [t for t in tasks if t.type == values["typefilter"]]
    if values.get("userfilter"):
        tasks = [t for t in tasks if values["userfilter"] in t.user]
    if values.get("errors"):
        tasks = [t for t in tasks if t.finished and t.outcome != "OK"]
    source = values.get("source", "archive")
    if source == "active":
        tasks = [t for t in tasks if not t.finished]
    elif source == "archive":
        tasks = [t for t in tasks if t.finished]
    start, limit = int(values.get("start", 0)), int(values.get("limit", 50))
    return WithAttributes([t.as_list_entry() for t in tasks[start : start + limit]], {"total": len(tasks)})


def task_index(call: Call) -> Any:
    _task(call)
    return [{"name": "log"}, {"name": "status"}]


def task_status(call: Call) -> Any:
    return call.state.tasks.read_status(_task(call)).as_status()


def task_log(call: Call) -> Any:
    task = _task(call)
    start, limit = int(call.values.get("start", 0)), int(call.values.get("limit", 50))
    lines = task.log or ["no content"]
    return [{"n": i + 1, "t": text} for i, text in enumerate(lines)][start : start + limit]


def task_stop(call: Call) -> Any:
    task = _task(call)
    if not task.finished:
        task.finished = True
        task.outcome = "interrupted by signal"
        task.endtime = int(time.time())
        task.log.append("TASK ERROR: interrupted by signal")
    return None
