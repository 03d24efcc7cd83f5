"""Resource /nodes/{node}/tasks/{upid}"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._runtime.resource import Op, Resource
from .._runtime.validate import P

if TYPE_CHECKING:
    from .r_nodes_node_tasks_upid_log import NodesNodeTasksUpidLog
    from .r_nodes_node_tasks_upid_status import NodesNodeTasksUpidStatus


class NodesNodeTasksUpid(Resource):
    """Resource /nodes/{node}/tasks/{upid}"""

    __slots__ = ()

    @property
    def status(self) -> NodesNodeTasksUpidStatus:
        from .r_nodes_node_tasks_upid_status import NodesNodeTasksUpidStatus as _cls

        return _cls(self._client, self._values)

    @property
    def log(self) -> NodesNodeTasksUpidLog:
        from .r_nodes_node_tasks_upid_log import NodesNodeTasksUpidLog as _cls

        return _cls(self._client, self._values)
