"""PVE's access-control configuration beyond users, groups and roles, and how PVE reads it.

``AccessConfig`` holds what user.cfg's ``acl`` and ``token`` lines hold: ACL entries (path -> user, group or
token -> role -> propagate) and API tokens (privilege separation, expiry, comment). ``Resolver`` answers what a
caller may do on an ACL path, as PVE computes it:

- ``roles`` (PVE::AccessControl::roles): walk the ACL paths from ``/`` down to the path; on each, a token's own
  entry, else the user's own entry, else the entries of the groups the user is in, replace what was found above
  (an entry above applies below only with ``propagate``); ``NoAccess`` wins over everything on its path.
- ``privileges`` (PVE::RPCEnvironment::permissions): ``root@pam`` holds every privilege; a token without
  privilege separation holds its user's privileges, a privilege-separated token holds its own, intersected with
  its user's (except root@pam's tokens, whose user holds everything anyway); roles granted on ``/pool/<id>``
  apply to the pool's guests and storages. Each privilege maps to its propagate flag (1 or 0), as PVE reports it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..runtime.pveformats import split_list

if TYPE_CHECKING:
    from .state import State

ROOT = "root@pam"
MEMBER_KINDS = ("user", "group", "token")  # the order PVE lists ACL entries of one path in
Member = tuple[str, str]  # (kind, id): ("user", "alice@pve"), ("group", "ops"), ("token", "alice@pve!ci")

# The paths ``GET /access/permissions`` reports without an ACL on them (PVE's get_effective_permissions).
DEFAULT_PATHS = ("/", "/access", "/access/groups", "/nodes", "/pool", "/sdn", "/storage", "/vms")

_NAME = r"[A-Za-z0-9.\-_]+"
# PVE::AccessControl::check_path of the latest release: the paths an ACL may be set on.
_ACL_PATH = re.compile(
    rf"""^(?:/
    |/access|/access/groups|/access/groups/{_NAME}|/access/realm|/access/realm/{_NAME}
    |/mapping|/mapping/{_NAME}|/mapping/{_NAME}/{_NAME}
    |/nodes|/nodes/{_NAME}
    |/pool|/pool/{_NAME}(?:/{_NAME}){{0,2}}
    |/sdn|/sdn/controllers|/sdn/controllers/{_NAME}|/sdn/dns|/sdn/dns/{_NAME}|/sdn/ipams|/sdn/ipams/{_NAME}
    |/sdn/zones|/sdn/zones/{_NAME}|/sdn/zones/{_NAME}/{_NAME}|/sdn/zones/{_NAME}/{_NAME}/[1-9][0-9]{{0,3}}
    |/sdn/vnets|/sdn/vnets/{_NAME}
    |/storage|/storage/{_NAME}
    |/vms|/vms/[1-9][0-9]{{2,}}
    )$""",
    re.VERBOSE,
)
_NORMAL_PATH = re.compile(r"^[A-Za-z0-9.\-_/]+$")


@dataclass
class Token:
    """An API token's settings (its secret lives with the authenticator)."""

    privsep: bool = True
    expire: int = 0
    comment: str = ""
    as_user: bool = False  # a token given on the mock's command line is judged as its user (docs/mock.md)

    def info(self) -> dict[str, Any]:
        """As PVE's token read answers it."""
        data: dict[str, Any] = {"privsep": int(self.privsep), "expire": self.expire}
        if self.comment:
            data["comment"] = self.comment
        return data


@dataclass
class AccessConfig:
    """ACL entries and API tokens (users, groups and roles stay in the state beside them)."""

    acl: dict[str, dict[Member, dict[str, int]]] = field(default_factory=dict)
    tokens: dict[str, Token] = field(default_factory=dict)  # full token id -> settings
    privileges: frozenset[str] = frozenset()  # every privilege the release knows

    def grant(self, path: str, member: Member, role: str, propagate: bool) -> None:
        self.acl.setdefault(path, {}).setdefault(member, {})[role] = int(propagate)

    def revoke(self, path: str, member: Member, role: str) -> None:
        roles = self.acl.get(path, {}).get(member)
        if roles is not None:
            roles.pop(role, None)
            if not roles:
                del self.acl[path][member]
            if not self.acl[path]:
                del self.acl[path]

    def forget(self, member: Member) -> None:
        """Drop a deleted user's, group's or token's entries everywhere (PVE's delete_user_acl and friends)."""
        for path in list(self.acl):
            self.acl[path].pop(member, None)
            if not self.acl[path]:
                del self.acl[path]

    def entries(self) -> list[dict[str, Any]]:
        """Every entry as ``GET /access/acl`` lists it."""
        out = []
        for path in sorted(self.acl):
            for member in sorted(self.acl[path], key=lambda m: (MEMBER_KINDS.index(m[0]), m[1])):
                for role, propagate in sorted(self.acl[path][member].items()):
                    out.append({"path": path, "type": member[0], "ugid": member[1], "roleid": role,
                                "propagate": propagate})  # fmt: skip
        return out


def split_tokenid(authid: str) -> tuple[str, str] | None:
    """``alice@pve!ci`` -> (``alice@pve``, ``ci``); None for a user id."""
    user, bang, name = authid.partition("!")
    return (user, name) if bang and "@" in user and name else None


def judged_as(access: AccessConfig, userid: str, token: str | None) -> str:
    """Whom a request's permissions are judged for: the user, the full token id, or (a command-line token) its
    user."""
    if token is None:
        return userid
    found = access.tokens.get(token)
    return userid if found is not None and found.as_user else token


def normalize_path(path: str | None) -> str | None:
    """PVE's normalize_path: ``//vms/100/`` -> ``/vms/100``; None for a path with other characters."""
    if not path:
        return None
    if path.startswith("/") and "//" not in path and (path == "/" or not path.endswith("/")):
        return path if _NORMAL_PATH.match(path) else None  # already normal: the usual case
    path = re.sub(r"/+", "/", path).rstrip("/") or "/"
    if not path.startswith("/"):
        path = "/" + path
    return path if _NORMAL_PATH.match(path) else None


def modify_privileges(path: str) -> tuple[str, ...]:
    """PVE's check_perm_modify: changing the ACLs of a path takes any of these privileges on it: Permissions.Modify,
    or the privilege that allocates the object the path names."""
    for prefix, privilege in (
        ("/storage/", "Datastore.Allocate"),
        ("/vms/", "VM.Allocate"),
        ("/pool/", "Pool.Allocate"),
    ):
        if path.startswith(prefix) and len(path) > len(prefix):
            return ("Permissions.Modify", privilege)
    return ("Permissions.Modify",)


def valid_acl_path(path: str) -> bool:
    """PVE's check_path: ACLs can only be set on the object paths PVE knows."""
    return _ACL_PATH.match(path) is not None


class Resolver:
    """Roles and privileges on paths, computed from one state as PVE does (cached for one request)."""

    def __init__(self, state: State) -> None:
        self.state = state
        self._pools: dict[Member, dict[str, dict[str, int]]] = {}
        self._privs: dict[tuple[str, str], dict[str, int]] = {}

    def role_privileges(self, role: str) -> tuple[str, ...]:
        record = self.state.roles.get(role)
        return _privilege_list(str(record["privs"])) if record else ()

    def roles(self, member: Member, path: str) -> dict[str, int]:
        """Role -> propagate flag of ``member`` on ``path`` (PVE::AccessControl::roles)."""
        kind, ident = member
        if kind == "user" and ident == ROOT:
            return {"Administrator": 1}
        acl = self.state.access.acl
        found: dict[str, int] = {}
        for where in _ancestors(path):
            entries = acl.get(where)
            if not entries:
                continue
            final = where == path
            new = _applying(entries.get(member), final)
            if not new and kind == "user":
                for (other_kind, group), roles in entries.items():
                    if other_kind == "group" and ident in self.state.groups.get(group, {}).get("members", ()):
                        new.update(_applying(roles, final))
            if new:
                found = new  # what a path says replaces what its ancestors said
        if "NoAccess" in found:
            return {"NoAccess": found["NoAccess"]}
        return found

    def privileges(self, authid: str, path: str) -> dict[str, int]:
        """Privilege -> propagate flag that ``authid`` (a user or a full token id) holds on ``path``."""
        key = (authid, path)
        cached = self._privs.get(key)
        if cached is None:
            cached = self._privs[key] = self._privileges(authid, path)
        return cached

    def _privileges(self, authid: str, path: str) -> dict[str, int]:
        if authid == ROOT:
            return dict.fromkeys(self.role_privileges("Administrator"), 1)
        split = split_tokenid(authid)
        if split is None:
            return self._compiled(("user", authid), path)
        owner = split[0]
        token = self.state.access.tokens.get(authid)
        if token is None:
            return {}
        owned = self.privileges(owner, path)
        if not token.privsep:
            return owned
        own = self._compiled(("token", authid), path)
        if owner == ROOT:
            return own
        return {priv: min(flag, owned[priv]) for priv, flag in own.items() if priv in owned}

    def _compiled(self, member: Member, path: str) -> dict[str, int]:
        roles = self.roles(member, path)
        from_pools = self._pool_roles(member).get(path)
        if from_pools and "NoAccess" not in roles:
            if "NoAccess" in from_pools:
                roles = {"NoAccess": 0}  # a pool's NoAccess trumps the guest's own ACL
            else:
                for role in from_pools:
                    roles.setdefault(role, 0)  # pool roles never propagate
        privs: dict[str, int] = {}
        for role, propagate in roles.items():
            for priv in self.role_privileges(role):
                privs[priv] = privs.get(priv, 0) or propagate
        return privs

    def _pool_roles(self, member: Member) -> dict[str, dict[str, int]]:
        """Roles ``member`` holds on pools, by the paths of the pools' guests and storages."""
        pools = _pools(self.state)
        if not pools:
            return {}
        cached = self._pools.get(member)
        if cached is None:
            cached = self._pools[member] = {}
            for name, pool in pools.items():
                roles = self.roles(member, f"/pool/{name}")
                if not roles:
                    continue
                paths = [f"/vms/{vmid}" for vmid in getattr(pool, "vms", ())]
                paths += [f"/storage/{storage}" for storage in getattr(pool, "storage", ())]
                for member_path in paths:
                    cached.setdefault(member_path, {}).update(dict.fromkeys(roles, 1))
        return cached

    def effective(self, authid: str) -> dict[str, dict[str, int]]:
        """Every path with some privilege -> its privileges (PVE's get_effective_permissions)."""
        paths = set(DEFAULT_PATHS) | set(self.state.access.acl)
        for pool in _pools(self.state).values():
            paths |= {f"/vms/{vmid}" for vmid in getattr(pool, "vms", ())}
            paths |= {f"/storage/{storage}" for storage in getattr(pool, "storage", ())}
        out = {}
        for path in sorted(paths):
            privs = self.privileges(authid, path)
            if privs:
                out[path] = dict(sorted(privs.items()))
        return out


def _ancestors(path: str) -> list[str]:
    """``/vms/100`` -> ``/``, ``/vms``, ``/vms/100``: the ACL paths that reach a path, from the top."""
    out, here = ["/"], ""
    for part in path.split("/"):
        if part:
            here += "/" + part
            out.append(here)
    return out


@functools.lru_cache(maxsize=1024)
def _privilege_list(privs: str) -> tuple[str, ...]:
    """A role's privileges as the state keeps them (``"VM.Audit,VM.Console"``), split once per distinct text."""
    return tuple(split_list(privs))


def _applying(roles: dict[str, int] | None, final: bool) -> dict[str, int]:
    """The roles of one entry that reach the checked path: all on the path itself, propagating ones below."""
    if not roles:
        return {}
    return {role: propagate for role, propagate in roles.items() if final or propagate}


def _pools(state: State) -> dict[str, Any]:
    """The state's pools (objects with ``vms`` and ``storage``) when it models pools, else none."""
    pools = getattr(state, "pools", None)
    return pools if isinstance(pools, dict) else {}
