"""Resource /access/groups"""

from __future__ import annotations

from typing import ClassVar, TypedDict

from .._runtime.resource import Op, Resource
from .._runtime.validate import P

AccessGroups_GetResultItem = TypedDict(
    "AccessGroups_GetResultItem",
    {
        "groupid": str,
        "comment": str,
        "users": str,
    },
    total=False,
)


class AccessGroups(Resource):
    """Resource /access/groups"""

    __slots__ = ()

    _op_get: ClassVar[Op[list[AccessGroups_GetResultItem]]] = Op(
        "GET", "/access/groups", params={}, path_params=(), open=False, returns=None
    )

    def get(
        self,
    ) -> list[AccessGroups_GetResultItem]:
        """List user groups.

        GET /access/groups
        Proxmox name: index

        Permissions: user: all. Lists the groups on which the caller has User.Modify, Sys.Audit or Group.Allocate.

        Returns: array (One entry per group.)
        """
        return self._call(
            self._op_get,
            {},
        )
