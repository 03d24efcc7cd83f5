"""Resource /access/roles"""

from __future__ import annotations

from typing import ClassVar, TypedDict

from .._runtime.resource import Op, Resource
from .._runtime.validate import P

AccessRoles_GetResultItem = TypedDict(
    "AccessRoles_GetResultItem",
    {
        "roleid": str,
        "privs": str,
        "special": bool,
    },
    total=False,
)


class AccessRoles(Resource):
    """Resource /access/roles"""

    __slots__ = ()

    _op_get: ClassVar[Op[list[AccessRoles_GetResultItem]]] = Op(
        "GET",
        "/access/roles",
        params={},
        path_params=(),
        open=False,
        returns=("array", ("object", {"special": "boolean"})),
    )

    def get(
        self,
    ) -> list[AccessRoles_GetResultItem]:
        """List roles (named sets of privileges).

        GET /access/roles
        Proxmox name: index

        Permissions: user: all.

        Returns: array (One entry per role.)
        """
        return self._call(
            self._op_get,
            {},
        )
