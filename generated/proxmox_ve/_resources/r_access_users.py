"""Resource /access/users"""

from __future__ import annotations

from typing import ClassVar, TypedDict

from .._runtime.resource import Op, Resource
from .._runtime.validate import P

AccessUsers_GetResultItemTokensItem = TypedDict(
    "AccessUsers_GetResultItemTokensItem",
    {
        "tokenid": str,
        "comment": str,
        "expire": int,
        "privsep": bool,
    },
    total=False,
)

AccessUsers_GetResultItem = TypedDict(
    "AccessUsers_GetResultItem",
    {
        "userid": str,
        "enable": bool,
        "expire": int,
        "firstname": str,
        "lastname": str,
        "email": str,
        "comment": str,
        "groups": str,
        "realm-type": str,
        "tokens": list[AccessUsers_GetResultItemTokensItem],
    },
    total=False,
)


class AccessUsers(Resource):
    """Resource /access/users"""

    __slots__ = ()

    _op_get: ClassVar[Op[list[AccessUsers_GetResultItem]]] = Op(
        "GET",
        "/access/users",
        params={"enabled": P("enabled", "boolean"), "full": P("full", "boolean")},
        path_params=(),
        open=False,
        returns=(
            "array",
            (
                "object",
                {
                    "enable": "boolean",
                    "expire": "integer",
                    "tokens": ("array", ("object", {"expire": "integer", "privsep": "boolean"})),
                },
            ),
        ),
    )

    _op_post: ClassVar[Op[None]] = Op(
        "POST",
        "/access/users",
        params={
            "userid": P("userid", "string", required=True, max_length=64, format="pve-userid"),
            "password": P("password", "string", min_length=8, max_length=64),
            "enable": P("enable", "boolean"),
            "expire": P("expire", "integer", minimum=0),
            "firstname": P("firstname", "string", max_length=1024),
            "lastname": P("lastname", "string", max_length=1024),
            "email": P("email", "string", max_length=254, format="email-opt"),
            "comment": P("comment", "string", max_length=2048),
            "groups": P("groups", "string", format="pve-groupid-list"),
            "keys": P("keys", "string", pattern="[0-9a-zA-Z!=]{0,4096}"),
        },
        path_params=(),
        open=False,
        returns=None,
    )

    def get(
        self,
        *,
        enabled: bool | None = None,
        full: bool | None = None,
    ) -> list[AccessUsers_GetResultItem]:
        """List user accounts.

        GET /access/users
        Proxmox name: index

        Args:
            enabled (boolean): Only enabled (true) or disabled (false) accounts.
            full (boolean; default 0): Include group membership and API tokens.

        Permissions: user: all. Lists the users the caller may modify or audit (User.Modify or Sys.Audit on their groups), and always the caller.

        Returns: array (One entry per user.)
        """
        return self._call(
            self._op_get,
            {
                "enabled": enabled,
                "full": full,
            },
        )

    def post(
        self,
        *,
        userid: str,
        password: str | None = None,
        enable: bool | None = None,
        expire: int | None = None,
        firstname: str | None = None,
        lastname: str | None = None,
        email: str | None = None,
        comment: str | None = None,
        groups: str | None = None,
        keys: str | None = None,
    ) -> None:
        """Create a user account.

        POST /access/users
        Proxmox name: create_user

        Args:
            userid (string; required; format pve-userid; length 0..64): User id, 'name@realm'.
            password (string; length 8..64): Initial password (realm 'pve' only).
            enable (boolean; default 1): Whether the account may log in.
            expire (integer; range 0..): Expiry (Unix time); 0 means never.
            firstname (string; length 0..1024): First name.
            lastname (string; length 0..1024): Last name.
            email (string; format email-opt; length 0..254): E-mail address.
            comment (string; length 0..2048): Notes on the account.
            groups (string; format pve-groupid-list): Groups to add the user to, comma separated.
            keys (string; pattern [0-9a-zA-Z!=]{0,4096}): Keys for Yubico two-factor login.

        Permissions: Needs Realm.AllocateUser on the user's realm, and User.Modify on each group given (or on /access/groups when no group is given). check: ["and", ["userid-param", "Realm.AllocateUser"], ["userid-group", ["User.Modify"], "groups_param", "create"]]

        Returns: null (Nothing.)
        """
        return self._call(
            self._op_post,
            {
                "userid": userid,
                "password": password,
                "enable": enable,
                "expire": expire,
                "firstname": firstname,
                "lastname": lastname,
                "email": email,
                "comment": comment,
                "groups": groups,
                "keys": keys,
            },
        )
