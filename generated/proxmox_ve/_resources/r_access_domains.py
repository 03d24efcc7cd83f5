"""Resource /access/domains"""

from __future__ import annotations

from typing import ClassVar, TypedDict

from .._runtime.resource import Op, Resource
from .._runtime.validate import P

AccessDomains_GetResultItem = TypedDict(
    "AccessDomains_GetResultItem",
    {
        "realm": str,
        "type": str,
        "comment": str,
        "tfa": str,
    },
    total=False,
)


class AccessDomains(Resource):
    """Resource /access/domains"""

    __slots__ = ()

    _op_get: ClassVar[Op[list[AccessDomains_GetResultItem]]] = Op(
        "GET", "/access/domains", params={}, path_params=(), open=False, returns=None
    )

    def get(
        self,
    ) -> list[AccessDomains_GetResultItem]:
        """List the authentication realms (pam, pve, LDAP, ...).

        GET /access/domains
        Proxmox name: index

        Permissions: user: world. Open to everyone: the login form needs the list before anyone signs in.

        Returns: array (One entry per realm.)
        """
        return self._call(
            self._op_get,
            {},
        )
