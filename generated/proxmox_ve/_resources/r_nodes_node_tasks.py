"""Resource /nodes/{node}/tasks"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, TypedDict

from .._runtime.resource import Op, Resource
from .._runtime.validate import P

if TYPE_CHECKING:
    from .. import types as _t
    from .r_nodes_node_tasks_upid import NodesNodeTasksUpid


NodesNodeTasks_GetResultItem = TypedDict(
    "NodesNodeTasks_GetResultItem",
    {
        "upid": str,
        "node": str,
        "pid": int,
        "pstart": int,
        "starttime": int,
        "endtime": int,
        "type": str,
        "id": str,
        "user": str,
        "status": str,
    },
    total=False,
)


class NodesNodeTasks(Resource):
    """Resource /nodes/{node}/tasks"""

    __slots__ = ()

    _op_get: ClassVar[Op[list[NodesNodeTasks_GetResultItem]]] = Op(
        "GET",
        "/nodes/{node}/tasks",
        params={
            "errors": P("errors", "boolean"),
            "limit": P("limit", "integer", minimum=0),
            "start": P("start", "integer", minimum=0),
            "since": P("since", "integer"),
            "until": P("until", "integer"),
            "source": P("source", "string", enum=("archive", "active", "all")),
            "statusfilter": P("statusfilter", "string", format="pve-task-status-type-list"),
            "typefilter": P("typefilter", "string"),
            "userfilter": P("userfilter", "string"),
            "vmid": P("vmid", "integer", minimum=100, maximum=999999999, format="pve-vmid"),
        },
        path_params=(P("node", "string", required=True, format="pve-node"),),
        open=False,
        returns=(
            "array",
            (
                "object",
                {
                    "pid": "integer",
                    "pstart": "integer",
                    "starttime": "integer",
                    "endtime": "integer",
                },
            ),
        ),
    )

    def __call__(self, upid: str) -> NodesNodeTasksUpid:
        from .r_nodes_node_tasks_upid import NodesNodeTasksUpid as _cls

        return _cls(self._client, (*self._values, upid))

    def get(
        self,
        *,
        errors: bool | None = None,
        limit: int | None = None,
        start: int | None = None,
        since: int | None = None,
        until: int | None = None,
        source: _t.Source | None = None,
        statusfilter: str | None = None,
        typefilter: str | None = None,
        userfilter: str | None = None,
        vmid: int | None = None,
    ) -> list[NodesNodeTasks_GetResultItem]:
        """List the tasks (background jobs) of a node, newest first.

        GET /nodes/{node}/tasks
        Proxmox name: node_tasks

        Args:
            errors (boolean; default 0): Only tasks that failed.
            limit (integer; range 0..; default 50): Largest number of tasks to return.
            start (integer; range 0..; default 0): Number of tasks to skip (for paging).
            since (integer): Only tasks started at or after this Unix time.
            until (integer): Only tasks started at or before this Unix time.
            source (string; one of "archive", "active", "all"; default "archive"): Finished tasks ('archive'), running ones ('active') or both ('all').
            statusfilter (string; format pve-task-status-type-list): Only tasks with these states, comma separated (ok, error, warning, unknown).
            typefilter (string): Only tasks of this kind, e.g. 'vzdump'.
            userfilter (string): Only tasks started by this user.
            vmid (integer; format pve-vmid; range 100..999999999): Only tasks about this guest.

        Permissions: user: all. The caller sees their own tasks; Sys.Audit on /nodes/{node} shows everyone's.

        Returns: array (One entry per task.)
        """
        return self._call(
            self._op_get,
            {
                "errors": errors,
                "limit": limit,
                "start": start,
                "since": since,
                "until": until,
                "source": source,
                "statusfilter": statusfilter,
                "typefilter": typefilter,
                "userfilter": userfilter,
                "vmid": vmid,
            },
        )
