"""Resource /nodes/{node}/storage/{storage}/content/{volume}"""

from __future__ import annotations

from typing import ClassVar

from .._runtime.resource import Op, Resource
from .._runtime.validate import P


class NodesNodeStorageStorageContentVolume(Resource):
    """Resource /nodes/{node}/storage/{storage}/content/{volume}"""

    __slots__ = ()

    _op_delete: ClassVar[Op[str]] = Op(
        "DELETE",
        "/nodes/{node}/storage/{storage}/content/{volume}",
        params={"delay": P("delay", "integer", minimum=1, maximum=30)},
        path_params=(
            P("node", "string", required=True, format="pve-node"),
            P("storage", "string", format="pve-storage-id"),
            P("volume", "string", required=True),
        ),
        open=False,
        returns=None,
    )

    def delete(
        self,
        *,
        delay: int | None = None,
    ) -> str:
        """Delete a volume from a storage.

        DELETE /nodes/{node}/storage/{storage}/content/{volume}
        Proxmox name: delete

        Args:
            delay (integer; range 1..30): Seconds to wait for the removal before returning a task id instead.

        Permissions: user: all. Needs Datastore.Allocate on the storage; for a backup, Datastore.AllocateSpace together with VM.Backup on its guest is enough.

        Returns: string (Task id when the removal runs in the background, else nothing.)
        """
        return self._call(
            self._op_delete,
            {
                "delay": delay,
            },
        )
