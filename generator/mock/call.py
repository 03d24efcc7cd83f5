"""What a handler gets: one verified call (typed parameters, the caller, the simulated cluster).

Handlers return the ``data`` to send, already encoded as PVE encodes it (0/1 booleans, strings
where PVE sends strings), or raise ApiError with PVE's wording.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..model import Operation
from .auth import Authenticator
from .multipart import UploadedFile
from .state import State


@dataclass
class Call:
    op: Operation
    values: dict[str, Any]
    user: str  # the authenticated user id ("" before login)
    state: State
    files: dict[str, UploadedFile] = field(default_factory=dict)
    # what the login routes read besides parameters
    auth: Authenticator | None = None
    tfa_flow: str = "challenge"
    cookies: dict[str, str] = field(default_factory=dict)
    csrf: str | None = None

    def node(self) -> str:
        """The ``{node}`` of the path, refused as pveproxy refuses a node outside the cluster."""
        node: str = self.values["node"]
        self.state.check_node(node)
        return node

    @property
    def kind(self) -> str:
        """``qemu`` or ``lxc`` for a guest route (the path says which), else ``""``."""
        path = self.op.path
        if path.startswith("/nodes/{node}/qemu"):
            return "qemu"
        if path.startswith("/nodes/{node}/lxc"):
            return "lxc"
        return ""

    def start_task(
        self,
        kind: str,
        ident: str,
        *,
        log: list[str] | None = None,
        on_finish: Callable[[], None] | None = None,
        outcome: str = "OK",
        node: str | None = None,
    ) -> str:
        """Start a worker task as this caller and return its UPID; ``on_finish`` runs when it ends well."""
        task = self.state.tasks.start(
            node or self.values.get("node") or self.state.nodes[0],
            kind,
            ident,
            self.user,
            log=log,
            on_finish=on_finish,
            outcome=outcome,
        )
        return task.upid


Handler = Callable[[Call], Any]


def starts_task(op: Operation) -> bool:
    """PVE's rule for asynchronous calls: a write (POST, PUT, DELETE) whose schema returns a string runs
    as a worker task and returns the task's UPID. The same call may be synchronous in one release and
    a task in another (``DELETE .../content/{volume}``), so handlers ask the operation, not the path."""
    return op.method != "GET" and op.returns.type == "string"


def split_list(value: Any) -> list[str]:
    """PVE's ``split_list``: items separated by commas, semicolons, white space or NULs."""
    if isinstance(value, list):
        return [str(v) for v in value]
    return [v for v in re.split(r"[,;\s\0]+", str(value or "")) if v]


@dataclass
class WithAttributes:
    """A handler's data plus attributes PVE's formatter puts beside ``data`` at the top level of the
    answer (``total`` of a paged list, ``changes`` of the network configuration)."""

    data: Any
    attributes: dict[str, Any]
