"""Resource /cluster"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._runtime.resource import Op, Resource
from .._runtime.validate import P

if TYPE_CHECKING:
    from .r_cluster_nextid import ClusterNextid
    from .r_cluster_resources import ClusterResources
    from .r_cluster_status import ClusterStatus
    from .r_cluster_tasks import ClusterTasks


class Cluster(Resource):
    """Resource /cluster"""

    __slots__ = ()

    @property
    def resources(self) -> ClusterResources:
        from .r_cluster_resources import ClusterResources as _cls

        return _cls(self._client, self._values)

    @property
    def tasks(self) -> ClusterTasks:
        from .r_cluster_tasks import ClusterTasks as _cls

        return _cls(self._client, self._values)

    @property
    def status(self) -> ClusterStatus:
        from .r_cluster_status import ClusterStatus as _cls

        return _cls(self._client, self._values)

    @property
    def nextid(self) -> ClusterNextid:
        from .r_cluster_nextid import ClusterNextid as _cls

        return _cls(self._client, self._values)
