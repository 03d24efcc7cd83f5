"""Resource /nodes/{node}/storage/{storage}/content"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, TypedDict

from .._runtime.resource import Op, Resource
from .._runtime.validate import P

if TYPE_CHECKING:
    from .. import types as _t
    from .r_nodes_node_storage_storage_content_volume import NodesNodeStorageStorageContentVolume


NodesNodeStorageStorageContent_GetResultItem = TypedDict(
    "NodesNodeStorageStorageContent_GetResultItem",
    {
        "volid": str,
        "content": str,
        "format": str,
        "size": int,
        "used": int,
        "vmid": int,
        "ctime": int,
        "notes": str,
        "protected": bool,
        "parent": str,
    },
    total=False,
)


class NodesNodeStorageStorageContent(Resource):
    """Resource /nodes/{node}/storage/{storage}/content"""

    __slots__ = ()

    _op_get: ClassVar[Op[list[NodesNodeStorageStorageContent_GetResultItem]]] = Op(
        "GET",
        "/nodes/{node}/storage/{storage}/content",
        params={
            "content": P("content", "string", format="pve-storage-content"),
            "vmid": P("vmid", "integer", minimum=100, maximum=999999999, format="pve-vmid"),
        },
        path_params=(
            P("node", "string", required=True, format="pve-node"),
            P("storage", "string", required=True, format="pve-storage-id"),
        ),
        open=False,
        returns=(
            "array",
            (
                "object",
                {
                    "size": "integer",
                    "used": "integer",
                    "vmid": "integer",
                    "ctime": "integer",
                    "protected": "boolean",
                },
            ),
        ),
    )

    _op_post: ClassVar[Op[str]] = Op(
        "POST",
        "/nodes/{node}/storage/{storage}/content",
        params={
            "vmid": P(
                "vmid", "integer", required=True, minimum=100, maximum=999999999, format="pve-vmid"
            ),
            "filename": P("filename", "string", required=True),
            "size": P("size", "string", required=True, pattern="\\d+[MG]?"),
            "format": P("format", "string", enum=("raw", "qcow2", "subvol", "vmdk")),
        },
        path_params=(
            P("node", "string", required=True, format="pve-node"),
            P("storage", "string", required=True, format="pve-storage-id"),
        ),
        open=False,
        returns=None,
    )

    def __call__(self, volume: str) -> NodesNodeStorageStorageContentVolume:
        from .r_nodes_node_storage_storage_content_volume import (
            NodesNodeStorageStorageContentVolume as _cls,
        )

        return _cls(self._client, (*self._values, volume))

    def get(
        self,
        *,
        content: str | None = None,
        vmid: int | None = None,
    ) -> list[NodesNodeStorageStorageContent_GetResultItem]:
        """List the volumes on a storage (disk images, ISOs, backups, ...).

        GET /nodes/{node}/storage/{storage}/content
        Proxmox name: index

        Args:
            content (string; format pve-storage-content): Only this content type (images, iso, backup, vztmpl, ...).
            vmid (integer; format pve-vmid; range 100..999999999): Only volumes of this guest.

        Permissions: check: ["perm", "/storage/{storage}", ["Datastore.Audit", "Datastore.AllocateSpace"], "any", 1]

        Returns: array (One entry per volume.)
        """
        return self._call(
            self._op_get,
            {
                "content": content,
                "vmid": vmid,
            },
        )

    def post(
        self,
        *,
        vmid: int,
        filename: str,
        size: str,
        format: _t.Format | None = None,
    ) -> str:
        """Allocate a new disk image on a storage.

        POST /nodes/{node}/storage/{storage}/content
        Proxmox name: create

        Args:
            vmid (integer; required; format pve-vmid; range 100..999999999): Guest that will own the image.
            filename (string; required): Name of the new image, such as 'vm-100-disk-1'.
            size (string; required; pattern \\d+[MG]?): Size in KiB, or with a suffix: '10G', '512M'.
            format (string; one of "raw", "qcow2", "subvol", "vmdk"): Image format.

        Permissions: check: ["perm", "/storage/{storage}", ["Datastore.AllocateSpace"]]

        Returns: string (Volume id of the new image.)
        """
        return self._call(
            self._op_post,
            {
                "vmid": vmid,
                "filename": filename,
                "size": size,
                "format": format,
            },
        )
