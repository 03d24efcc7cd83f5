"""The API root: /"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._runtime.resource import Op, Resource
from .._runtime.validate import P

if TYPE_CHECKING:
    from .r_access import Access
    from .r_cluster import Cluster
    from .r_nodes import Nodes
    from .r_storage import Storage
    from .r_version import Version


class Root(Resource):
    """The API root: /"""

    __slots__ = ()

    @property
    def nodes(self) -> Nodes:
        from .r_nodes import Nodes as _cls

        return _cls(self._client, self._values)

    @property
    def storage(self) -> Storage:
        from .r_storage import Storage as _cls

        return _cls(self._client, self._values)

    @property
    def cluster(self) -> Cluster:
        from .r_cluster import Cluster as _cls

        return _cls(self._client, self._values)

    @property
    def access(self) -> Access:
        from .r_access import Access as _cls

        return _cls(self._client, self._values)

    @property
    def version(self) -> Version:
        from .r_version import Version as _cls

        return _cls(self._client, self._values)
