"""Resource /nodes/{node}/tasks/{upid}/log"""

from __future__ import annotations

from typing import ClassVar, TypedDict

from .._runtime.resource import Op, Resource
from .._runtime.validate import P

NodesNodeTasksUpidLog_GetResultItem = TypedDict(
    "NodesNodeTasksUpidLog_GetResultItem",
    {
        "n": int,
        "t": str,
    },
    total=False,
)


class NodesNodeTasksUpidLog(Resource):
    """Resource /nodes/{node}/tasks/{upid}/log"""

    __slots__ = ()

    _op_get: ClassVar[Op[list[NodesNodeTasksUpidLog_GetResultItem]]] = Op(
        "GET",
        "/nodes/{node}/tasks/{upid}/log",
        params={
            "start": P("start", "integer", minimum=0),
            "limit": P("limit", "integer", minimum=0),
            "download": P("download", "boolean"),
        },
        path_params=(
            P("node", "string", required=True, format="pve-node"),
            P("upid", "string", required=True),
        ),
        open=False,
        returns=("array", ("object", {"n": "integer"})),
    )

    def get(
        self,
        *,
        start: int | None = None,
        limit: int | None = None,
        download: bool | None = None,
    ) -> list[NodesNodeTasksUpidLog_GetResultItem]:
        """Read a task's log output, a page of lines at a time.

        GET /nodes/{node}/tasks/{upid}/log
        Proxmox name: read_task_log

        Args:
            start (integer; range 0..; default 0): Number of the first line to return.
            limit (integer; range 0..; default 50): Largest number of lines to return.
            download (boolean): Return the whole log as a file instead of lines.

        Permissions: user: all. The task's owner may read it; others need Sys.Audit on /nodes/{node}.

        Returns: array (The log lines.)
        """
        return self._call(
            self._op_get,
            {
                "start": start,
                "limit": limit,
                "download": download,
            },
        )
