"""Resource /cluster/nextid"""

from __future__ import annotations

from typing import ClassVar

from .._runtime.resource import Op, Resource
from .._runtime.validate import P


class ClusterNextid(Resource):
    """Resource /cluster/nextid"""

    __slots__ = ()

    _op_get: ClassVar[Op[int]] = Op(
        "GET",
        "/cluster/nextid",
        params={"vmid": P("vmid", "integer", minimum=100, maximum=999999999, format="pve-vmid")},
        path_params=(),
        open=False,
        returns="integer",
    )

    def get(
        self,
        *,
        vmid: int | None = None,
    ) -> int:
        """Get a free guest id, or check that a given id is free.

        GET /cluster/nextid
        Proxmox name: nextid

        Args:
            vmid (integer; format pve-vmid; range 100..999999999): Id to check; the call fails when it is taken.

        Permissions: user: all.

        Returns: integer (A free guest id.)
        """
        return self._call(
            self._op_get,
            {
                "vmid": vmid,
            },
        )
