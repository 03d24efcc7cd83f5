"""Resource /storage"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, TypedDict

from .._runtime.resource import Op, Resource
from .._runtime.validate import P

if TYPE_CHECKING:
    from .. import types as _t


Storage_GetResultItem = TypedDict(
    "Storage_GetResultItem",
    {
        "storage": str,
        "type": str,
        "content": str,
        "shared": bool,
        "disable": bool,
    },
    total=False,
)


class Storage(Resource):
    """Resource /storage"""

    __slots__ = ()

    _op_get: ClassVar[Op[list[Storage_GetResultItem]]] = Op(
        "GET",
        "/storage",
        params={
            "type": P(
                "type",
                "string",
                enum=(
                    "btrfs",
                    "cephfs",
                    "cifs",
                    "dir",
                    "esxi",
                    "iscsi",
                    "iscsidirect",
                    "lvm",
                    "lvmthin",
                    "nfs",
                    "pbs",
                    "rbd",
                    "zfs",
                    "zfspool",
                ),
            )
        },
        path_params=(),
        open=False,
        returns=("array", ("object", {"shared": "boolean", "disable": "boolean"})),
    )

    def get(
        self,
        *,
        type: _t.Type | None = None,
    ) -> list[Storage_GetResultItem]:
        """List the storages configured for the cluster.

        GET /storage
        Proxmox name: index

        Args:
            type (string; one of "btrfs", "cephfs", "cifs", "dir", "esxi", "iscsi", "iscsidirect", "lvm", "lvmthin", "nfs", "pbs", "rbd", "zfs", "zfspool"): Only storages of this type.

        Permissions: user: all. Only storages on which the caller has Datastore.Audit or Datastore.AllocateSpace are listed.

        Returns: array (One entry per storage.)
        """
        return self._call(
            self._op_get,
            {
                "type": type,
            },
        )
