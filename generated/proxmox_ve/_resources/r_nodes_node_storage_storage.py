"""Resource /nodes/{node}/storage/{storage}"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, TypedDict

from .._runtime.resource import Op, Resource
from .._runtime.validate import P

if TYPE_CHECKING:
    from .r_nodes_node_storage_storage_content import NodesNodeStorageStorageContent
    from .r_nodes_node_storage_storage_upload import NodesNodeStorageStorageUpload


NodesNodeStorageStorage_GetResultItem = TypedDict(
    "NodesNodeStorageStorage_GetResultItem",
    {
        "subdir": str,
    },
    total=False,
)


class NodesNodeStorageStorage(Resource):
    """Resource /nodes/{node}/storage/{storage}"""

    __slots__ = ()

    _op_get: ClassVar[Op[list[NodesNodeStorageStorage_GetResultItem]]] = Op(
        "GET",
        "/nodes/{node}/storage/{storage}",
        params={},
        path_params=(
            P("node", "string", required=True, format="pve-node"),
            P("storage", "string", required=True, format="pve-storage-id"),
        ),
        open=False,
        returns=None,
    )

    @property
    def content(self) -> NodesNodeStorageStorageContent:
        from .r_nodes_node_storage_storage_content import NodesNodeStorageStorageContent as _cls

        return _cls(self._client, self._values)

    @property
    def upload(self) -> NodesNodeStorageStorageUpload:
        from .r_nodes_node_storage_storage_upload import NodesNodeStorageStorageUpload as _cls

        return _cls(self._client, self._values)

    def get(
        self,
    ) -> list[NodesNodeStorageStorage_GetResultItem]:
        """List the sub-resources of a storage on a node (content, status, ...).

        GET /nodes/{node}/storage/{storage}
        Proxmox name: diridx

        Permissions: check: ["perm", "/storage/{storage}", ["Datastore.Audit", "Datastore.AllocateSpace"], "any", 1]

        Returns: array (One entry per sub-resource.)
        """
        return self._call(
            self._op_get,
            {},
        )
