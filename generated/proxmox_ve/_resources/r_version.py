"""Resource /version"""

from __future__ import annotations

from typing import ClassVar, TypedDict

from .._runtime.resource import Op, Resource
from .._runtime.validate import P

Version_GetResult = TypedDict(
    "Version_GetResult",
    {
        "version": str,
        "release": str,
        "repoid": str,
        "console": str,
    },
    total=False,
)


class Version(Resource):
    """Resource /version"""

    __slots__ = ()

    _op_get: ClassVar[Op[Version_GetResult]] = Op(
        "GET", "/version", params={}, path_params=(), open=False, returns=None
    )

    def get(
        self,
    ) -> Version_GetResult:
        """Read the API server's Proxmox VE version.

        GET /version
        Proxmox name: version

        Permissions: user: all.

        Returns: object (Version details.)
        """
        return self._call(
            self._op_get,
            {},
        )
