"""Resource /nodes/{node}/storage"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, TypedDict

from .._runtime.resource import Op, Resource
from .._runtime.validate import P

if TYPE_CHECKING:
    from .r_nodes_node_storage_storage import NodesNodeStorageStorage


NodesNodeStorage_GetResultItem = TypedDict(
    "NodesNodeStorage_GetResultItem",
    {
        "storage": str,
        "type": str,
        "content": str,
        "active": bool,
        "enabled": bool,
        "shared": bool,
        "total": int,
        "used": int,
        "avail": int,
        "used_fraction": float,
    },
    total=False,
)


class NodesNodeStorage(Resource):
    """Resource /nodes/{node}/storage"""

    __slots__ = ()

    _op_get: ClassVar[Op[list[NodesNodeStorage_GetResultItem]]] = Op(
        "GET",
        "/nodes/{node}/storage",
        params={
            "content": P("content", "string", format="pve-storage-content-list"),
            "enabled": P("enabled", "boolean"),
            "format": P("format", "boolean"),
            "storage": P("storage", "string", format="pve-storage-id"),
            "target": P("target", "string", format="pve-node"),
        },
        path_params=(P("node", "string", required=True, format="pve-node"),),
        open=False,
        returns=(
            "array",
            (
                "object",
                {
                    "active": "boolean",
                    "enabled": "boolean",
                    "shared": "boolean",
                    "total": "integer",
                    "used": "integer",
                    "avail": "integer",
                    "used_fraction": "number",
                },
            ),
        ),
    )

    def __call__(self, storage: str) -> NodesNodeStorageStorage:
        from .r_nodes_node_storage_storage import NodesNodeStorageStorage as _cls

        return _cls(self._client, (*self._values, storage))

    def get(
        self,
        *,
        content: str | None = None,
        enabled: bool | None = None,
        format: bool | None = None,
        storage: str | None = None,
        target: str | None = None,
    ) -> list[NodesNodeStorage_GetResultItem]:
        """List the storages a node can use, with their usage.

        GET /nodes/{node}/storage
        Proxmox name: index

        Args:
            content (string; format pve-storage-content-list): Only storages that may hold these content types (comma separated).
            enabled (boolean; default 0): Only enabled storages.
            format (boolean; default 0): Also report which image formats each storage supports.
            storage (string; format pve-storage-id): Only this storage.
            target (string; format pve-node): Only storages also usable from this node (for migrations).

        Permissions: user: all. Only storages on which the caller has Datastore.Audit or Datastore.AllocateSpace are listed.

        Returns: array (One entry per storage.)
        """
        return self._call(
            self._op_get,
            {
                "content": content,
                "enabled": enabled,
                "format": format,
                "storage": storage,
                "target": target,
            },
        )
