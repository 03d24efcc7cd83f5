"""Logins: ``POST /access/ticket`` and ``POST /access/tfa``, renewals and the TFA flow of each release.

These routes are answered before authentication (they are how a caller authenticates).

Releases differ; the model's ``Spec.tfa_flow`` names the flow (``otp``, ``challenge-optional``, ``challenge``).
"""

from __future__ import annotations

from typing import Any

from .auth import Authenticator
from .call import Call
from .errors import ApiError

_CAP_PRIVS = {
    "vms": ("VM.Allocate", "VM.Audit", "VM.Config.Options", "VM.PowerMgmt", "VM.Console"),
    "storage": ("Datastore.Allocate", "Datastore.AllocateSpace", "Datastore.Audit"),
    "access": ("User.Modify", "Group.Allocate", "Permissions.Modify"),
    "nodes": ("Sys.Audit", "Sys.Modify", "Sys.PowerMgmt", "Sys.Console"),
    "dc": ("Sys.Audit", "Sys.Modify"),
}


def _full_login(auth: Authenticator, userid: str) -> dict[str, Any]:
    return {
        "username": userid,
        "ticket": auth.issue_ticket(userid),
        "CSRFPreventionToken": auth.csrf_token(userid),
        "cap": {area: {priv: 1 for priv in privs} for area, privs in _CAP_PRIVS.items()},
    }


def _failure() -> ApiError:
    return ApiError(401, "authentication failure")


def create_ticket(auth: Authenticator, flow: str, values: dict[str, Any]) -> dict[str, Any]:
    userid = str(values.get("username", ""))
    realm = values.get("realm")
    if realm and "@" not in userid:
        userid = f"{userid}@{realm}"
    password = str(values.get("password", ""))
    challenge = values.get("tfa-challenge")
    if challenge is not None:
        # second step of the new flow: the challenge ticket and "totp:CODE" as the password
        if flow == "otp" or auth.tfa_ticket_user(str(challenge)) != userid:
            raise _failure()
        kind, _, code = password.partition(":")
        if kind != "totp" or not auth.check_otp(userid, code):
            raise _failure()
        return _full_login(auth, userid)
    renewed = auth.check_ticket(password)
    if renewed is not None:
        if renewed.userid != userid:
            raise _failure()
        return _full_login(auth, userid)  # a valid ticket posted as the password renews it
    if not auth.check_password(userid, password):
        raise _failure()
    if not auth.needs_tfa(userid):
        return _full_login(auth, userid)
    otp = values.get("otp")
    if otp is not None:
        if not auth.check_otp(userid, str(otp)):
            raise _failure()
        return _full_login(auth, userid)
    new_format = flow == "challenge" or (flow == "challenge-optional" and bool(values.get("new-format")))
    ticket = auth.issue_tfa_ticket(userid, new_format)
    return {"username": userid, "ticket": ticket, "CSRFPreventionToken": auth.csrf_token(userid), "NeedTFA": 1}


def finish_old_tfa(auth: Authenticator, ticket: str, csrf: str | None, values: dict[str, Any]) -> dict[str, Any]:
    """``POST /access/tfa`` (PVE 5-7): the half ticket in the cookie, the TOTP code as ``response``."""
    userid = auth.tfa_ticket_user(ticket)
    if userid is None or csrf is None or not auth.check_csrf(userid, csrf):
        raise _failure()
    if not auth.check_otp(userid, str(values.get("response", ""))):
        raise ApiError(500, "authentication failure")
    return {"ticket": auth.issue_ticket(userid)}


# -- handlers -----------------------------------------------------------------------------
def _authenticator(call: Call) -> Authenticator:
    assert call.auth is not None, "login routes get the server's authenticator"
    return call.auth


def login_ticket(call: Call) -> Any:
    return create_ticket(_authenticator(call), call.tfa_flow, call.values)


def login_ticket_page(call: Call) -> Any:
    """``GET /access/ticket``: PVE's dummy index (the GUI's login page), nothing to return."""
    return None


def login_tfa(call: Call) -> Any:
    return finish_old_tfa(_authenticator(call), call.cookies.get("PVEAuthCookie", ""), call.csrf, call.values)
