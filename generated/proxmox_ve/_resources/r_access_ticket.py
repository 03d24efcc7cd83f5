"""Resource /access/ticket"""

from __future__ import annotations

from typing import ClassVar, TypedDict

from .._runtime.resource import Op, Resource
from .._runtime.validate import P

AccessTicket_PostResult = TypedDict(
    "AccessTicket_PostResult",
    {
        "username": str,
        "ticket": str,
        "CSRFPreventionToken": str,
        "clustername": str,
    },
    total=False,
)


class AccessTicket(Resource):
    """Resource /access/ticket"""

    __slots__ = ()

    _op_post: ClassVar[Op[AccessTicket_PostResult]] = Op(
        "POST",
        "/access/ticket",
        params={
            "username": P("username", "string", required=True, max_length=64),
            "password": P("password", "string", required=True),
            "realm": P("realm", "string", max_length=32, format="pve-realm"),
            "otp": P("otp", "string"),
            "tfa_challenge": P("tfa-challenge", "string"),
            "new_format": P("new-format", "boolean"),
            "path": P("path", "string", max_length=64),
            "privs": P("privs", "string", max_length=64, format="pve-priv-list"),
        },
        path_params=(),
        open=False,
        returns=None,
    )

    def post(
        self,
        *,
        username: str,
        password: str,
        realm: str | None = None,
        otp: str | None = None,
        tfa_challenge: str | None = None,
        new_format: bool | None = None,
        path: str | None = None,
        privs: str | None = None,
    ) -> AccessTicket_PostResult:
        """Log in with a password and get a session ticket (or check a ticket's rights).

        POST /access/ticket
        Proxmox name: create_ticket

        Args:
            username (string; required; length 0..64): User id, 'name@realm' (or a bare name with realm).
            password (string; required): Password, or an existing ticket to renew it.
            realm (string; format pve-realm; length 0..32): Realm, when the username has none.
            otp (string): One-time code for two-factor login.
            tfa-challenge (string): Ticket from the first step of a two-factor login.
            new-format (boolean; default 1): Use the current two-step two-factor flow (always on in recent versions).
            path (string; length 0..64): With privs: check the ticket against this ACL path instead of logging in.
            privs (string; format pve-priv-list; length 0..64): With path: privileges to check.

        Permissions: user: world. Anyone may call it; the credentials are the check.
        API tokens may not make this call.

        Returns: object (The ticket and the token to send with it.)
        """
        return self._call(
            self._op_post,
            {
                "username": username,
                "password": password,
                "realm": realm,
                "otp": otp,
                "tfa_challenge": tfa_challenge,
                "new_format": new_format,
                "path": path,
                "privs": privs,
            },
        )
