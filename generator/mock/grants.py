"""Handlers of ACLs, API tokens and effective permissions, with PVE's rules and wording
(PVE::API2::ACL, the token calls of PVE::API2::User, PVE::API2::AccessControl's ``permissions``);
and the access setup a new server starts from (the release's built-in roles, the tokens it was given).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from ..model import Spec
from .acl import ROOT, Member, Resolver, Token, modify_privileges, normalize_path, split_tokenid, valid_acl_path
from .call import Call, split_list
from .errors import ApiError, param_error
from .permissions import forbidden
from .roles import builtin_roles, invalid_privilege, release_privileges, reserved_role_id, role_records
from .state import State


def install(state: State, spec: Spec, users: Iterable[str], token_ids: Iterable[str]) -> None:
    """The release's built-in roles, and the mock's administrators: the users and tokens it starts with
    (``--user``/``--token``, a credentials file, the environment, ``MockServer(users=, tokens=)``).

    Each such user (a ``--user``, or the owner of a ``--token``) gets the Administrator role on ``/``, an ACL
    entry like any other (``GET /access/acl`` shows it; removing it leaves the user with no privileges). Each
    ``--token`` is a token without privilege separation (``pveum user token add USER ID --privsep 0``) that is
    judged as its user, so root@pam's token keeps full access, root-only calls included (docs/mock.md).
    Least-privilege users and tokens are made through the API, as on PVE.
    """
    state.access.privileges = release_privileges(spec)
    state.roles.update(role_records(builtin_roles(state.access.privileges, spec.version)))
    owners = set(users)
    for full_id in token_ids:
        split = split_tokenid(full_id)
        if split is not None:
            owners.add(split[0])
            state.access.tokens[full_id] = Token(privsep=False, as_user=True)
    for user in sorted(owners):
        state.users.setdefault(user, {"userid": user, "enable": 1, "expire": 0, "comment": "", "groups": []})
        if user != ROOT:  # root@pam needs no ACL (PVE never writes one for it)
            state.access.grant("/", ("user", user), "Administrator", True)


def _fail(action: str, message: str) -> ApiError:
    """PVE's lock_user_config wraps errors: ``ACL update failed: role 'x' does not exist``."""
    return ApiError(500, f"{action}: {message}")


# -- ACLs ------------------------------------------------------------------------------------------
def acl_list(call: Call) -> Any:
    """Only the paths the caller may audit (Sys.Audit on /access) or change permissions on are listed."""
    resolver = Resolver(call.state)
    caller = call.caller
    audit = "Sys.Audit" in resolver.privileges(caller, "/access")
    out = []
    for entry in call.state.access.entries():
        if audit or _may_modify(resolver, caller, entry["path"]):
            out.append(entry)
    return out


def _may_modify(resolver: Resolver, caller: str, path: str) -> bool:
    held = resolver.privileges(caller, path)
    return any(privilege in held for privilege in modify_privileges(path))


def acl_update(call: Call) -> Any:
    values = call.values
    if not (values.get("users") or values.get("groups") or values.get("tokens")):
        message = "either 'users', 'groups' or 'tokens' is required."
        names = [n for n in ("users", "groups", "tokens") if call.op.parameters.get(n) is not None]
        raise ApiError(400, "Parameter verification failed.", dict.fromkeys(names, message))
    path = normalize_path(values.get("path"))
    delete = bool(values.get("delete"))
    if path is None or (not delete and not valid_acl_path(path)):
        raise param_error("path", f"invalid ACL path '{values.get('path')}'")
    propagate = bool(values.get("propagate", 1))
    state = call.state
    members: list[Member] = [
        (kind, ident)
        for kind, name in (("group", "groups"), ("user", "users"), ("token", "tokens"))
        for ident in split_list(values.get(name))
    ]
    roles = split_list(values.get("roles"))
    for role in roles:  # PVE changes nothing unless every role and member exists
        if role not in state.roles:
            raise _fail("ACL update failed", f"role '{role}' does not exist")
        for member in members:
            _check_member(state, member)
    for role in roles:
        for member in members:
            if delete:
                state.access.revoke(path, member, role)
            else:
                state.access.grant(path, member, role, propagate)
    return None


def _check_member(state: State, member: Member) -> None:
    kind, ident = member
    if kind == "group" and ident not in state.groups:
        raise _fail("ACL update failed", f"group '{ident}' does not exist")
    if kind == "user" and ident not in state.users:
        raise _fail("ACL update failed", f"user '{ident}' does not exist")
    if kind == "token":
        split = split_tokenid(ident)
        if split is None:
            raise _fail(
                "ACL update failed", f"'{ident}' is not a valid token ID - not able to split into user and token parts"
            )
        if split[0] not in state.users:
            raise _fail("ACL update failed", f"no such user ('{split[0]}')")
        if ident not in state.access.tokens:
            raise _fail("ACL update failed", f"no such token '{split[1]}' for user '{split[0]}'")


# -- roles ---------------------------------------------------------------------------------------
def refuse_role_change(call: Call, action: str) -> None:
    """PVE's refusals before a role is ``created``, ``modified`` or ``deleted`` (``action``): privileges the
    release does not know (a parameter error, as PVE's pve-priv-list format reports it), the reserved ``PVE``
    prefix (8.0+), and any change to a built-in role."""
    roleid = str(call.values["roleid"])
    unknown = invalid_privilege(split_list(call.values.get("privs")), call.state.access.privileges)
    if unknown is not None:
        raise param_error("privs", f"invalid format - invalid privilege '{unknown}'")
    if action == "created" and reserved_role_id(roleid, call.state.release):
        raise param_error("roleid", "cannot use role ID starting with the (case-insensitive) 'PVE' namespace")
    if action != "created" and call.state.roles.get(roleid, {}).get("special"):
        raise ApiError(500, f"auto-generated role '{roleid}' cannot be {action}")


# -- effective permissions -------------------------------------------------------------------------
def permissions_get(call: Call) -> Any:
    """The caller's own privileges (or an owned token's); another user's need Sys.Audit on /access."""
    caller = call.caller
    userid = str(call.values.get("userid") or caller)
    owner = (split_tokenid(userid) or ("", ""))[0]
    resolver = Resolver(call.state)
    if caller not in (userid, owner) and "Sys.Audit" not in resolver.privileges(caller, "/access"):
        raise forbidden("/access, Sys.Audit")
    path = call.values.get("path")
    if path:
        return {path: dict(sorted(resolver.privileges(userid, str(path)).items()))}
    return resolver.effective(userid)


# -- API tokens ------------------------------------------------------------------------------------
def _owner(call: Call) -> str:
    userid = str(call.values["userid"])
    if userid not in call.state.users:
        raise ApiError(500, f"no such user ('{userid}')")
    return userid


def _token(call: Call) -> tuple[str, Token]:
    userid = _owner(call)
    tokenid = str(call.values["tokenid"])
    token = call.state.access.tokens.get(f"{userid}!{tokenid}")
    if token is None:
        raise ApiError(500, f"no such token '{tokenid}' for user '{userid}'")
    return f"{userid}!{tokenid}", token


def user_tokens(state: State, userid: str) -> dict[str, dict[str, Any]]:
    """A user's tokens by their id (without the user), as PVE's user read shows them."""
    tokens = state.access.tokens
    return {full.partition("!")[2]: tokens[full].info() for full in sorted(tokens) if full.partition("!")[0] == userid}


def token_list(call: Call) -> Any:
    return [{"tokenid": name, **info} for name, info in user_tokens(call.state, _owner(call)).items()]


def token_get(call: Call) -> Any:
    return _token(call)[1].info()


def token_create(call: Call) -> Any:
    userid = _owner(call)
    full_id = f"{userid}!{call.values['tokenid']}"
    if full_id in call.state.access.tokens:
        raise param_error("tokenid", "Token already exists.")
    token = Token(
        privsep=bool(call.values.get("privsep", 1)),
        expire=int(call.values.get("expire") or 0),
        comment=str(call.values.get("comment") or ""),
    )
    call.state.access.tokens[full_id] = token
    value = _new_secret(call, full_id)
    return {"full-tokenid": full_id, "info": token.info(), "value": value}


def token_update(call: Call) -> Any:
    full_id, token = _token(call)
    values = call.values
    if "privsep" in values:
        token.privsep = bool(values["privsep"])
    if "expire" in values:
        token.expire = int(values["expire"] or 0)
    if values.get("comment"):
        token.comment = str(values["comment"])
    for key in split_list(values.get("delete")):
        if key == "comment":
            token.comment = ""
        elif key == "expire":
            token.expire = 0
    data = token.info()
    if values.get("regenerate"):
        data.update({"full-tokenid": full_id, "value": _new_secret(call, full_id)})
    return data


def token_delete(call: Call) -> Any:
    full_id, _ = _token(call)
    del call.state.access.tokens[full_id]
    call.state.access.forget(("token", full_id))
    if call.auth is not None:
        call.auth.remove_token(full_id)
    return None


def _new_secret(call: Call, full_id: str) -> str:
    """A fresh secret (a UUID, as PVE makes them) that authenticates the token from now on."""
    value = str(uuid.uuid4())
    if call.auth is not None:
        call.auth.add_token(full_id, value)
    return value


def forget_user(call: Call, userid: str) -> None:
    """A deleted user takes its ACL entries and its tokens along (PVE's delete_user_acl; tokens live in the user),
    except the tokens of the mock's command line, which only their own DELETE removes."""
    access = call.state.access
    access.forget(("user", userid))
    for full_id in [t for t, token in access.tokens.items() if t.partition("!")[0] == userid and not token.as_user]:
        del access.tokens[full_id]
        access.forget(("token", full_id))
        if call.auth is not None:
            call.auth.remove_token(full_id)


def forget_group(call: Call, groupid: str) -> None:
    call.state.access.forget(("group", groupid))
