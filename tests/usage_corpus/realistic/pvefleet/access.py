"""Users, groups, API tokens, roles and ACLs through the generated client (typed, validated before sending)."""

from __future__ import annotations

import dataclasses
import logging
import secrets
from collections.abc import Iterable

from proxmox_ve import ProxmoxVE, ValidationError

from .config import Cluster
from .connection import typed

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Grant:
    path: str
    role: str
    user: str | None = None
    group: str | None = None
    token: str | None = None
    propagate: bool = True


class Access:
    def __init__(self, cluster: Cluster) -> None:
        self.pve: ProxmoxVE = typed(cluster)

    # -- users ----------------------------------------------------------------------------
    def users(self, enabled_only: bool = False) -> list[str]:
        listed = self.pve.access.users.get(enabled=enabled_only, full=True)
        return sorted(user["userid"] for user in listed)

    def ensure_user(self, userid: str, email: str, groups: Iterable[str] = (), comment: str = "") -> bool:
        if userid in self.users():
            self.pve.access.users(userid).put(email=email, groups=",".join(groups), comment=comment)
            return False
        self.pve.access.users.post(userid=userid, email=email, groups=",".join(groups), comment=comment, enable=True)
        return True

    def disable_user(self, userid: str) -> None:
        self.pve.access.users(userid).put(enable=False)

    def remove_user(self, userid: str) -> None:
        self.pve.access.users(userid).delete()

    def set_password(self, userid: str, password: str, confirm: str) -> None:
        self.pve.access.password.put(userid=userid, password=password, **{"confirmation-password": confirm})

    # -- groups ---------------------------------------------------------------------------
    def ensure_group(self, groupid: str, comment: str = "") -> None:
        existing = {group["groupid"] for group in self.pve.access.groups.get()}
        if groupid not in existing:
            self.pve.access.groups.post(groupid=groupid, comment=comment)
        else:
            self.pve.access.groups(groupid).put(comment=comment)

    def group_members(self, groupid: str) -> list[str]:
        return sorted(self.pve.access.groups(groupid).get().get("members", []))

    # -- tokens ---------------------------------------------------------------------------
    def tokens(self, userid: str) -> list[str]:
        return [token["tokenid"] for token in self.pve.access.users(userid).token.get()]

    def create_token(self, userid: str, tokenid: str, privsep: bool = True, expire: int = 0) -> str:
        answer = self.pve.access.users(userid).token(tokenid).post(privsep=privsep, expire=expire, comment="pvefleet")
        return answer["value"]

    def rotate_token(self, userid: str, tokenid: str) -> str:
        if tokenid in self.tokens(userid):
            self.pve.access.users(userid).token(tokenid).delete()
        return self.create_token(userid, tokenid)

    # -- roles and ACLs ---------------------------------------------------------------------
    def ensure_role(self, roleid: str, privileges: Iterable[str]) -> None:
        wanted = ",".join(sorted(privileges))
        roles = {role["roleid"]: role for role in self.pve.access.roles.get()}
        if roleid not in roles:
            self.pve.access.roles.post(roleid=roleid, privs=wanted)
        elif roles[roleid].get("privs") != wanted:
            self.pve.access.roles(roleid).put(privs=wanted, append=False)

    def acl(self) -> list[Grant]:
        grants = []
        for entry in self.pve.access.acl.get():
            kind, who = entry.get("type"), entry.get("ugid")
            grants.append(
                Grant(
                    path=entry["path"],
                    role=entry["roleid"],
                    user=who if kind == "user" else None,
                    group=who if kind == "group" else None,
                    token=who if kind == "token" else None,
                    propagate=bool(entry.get("propagate", 1)),
                )
            )
        return grants

    def grant(self, grant: Grant) -> None:
        params: dict[str, object] = {"path": grant.path, "roles": grant.role, "propagate": grant.propagate}
        if grant.user:
            params["users"] = grant.user
        if grant.group:
            params["groups"] = grant.group
        if grant.token:
            params["tokens"] = grant.token
        try:
            self.pve.access.acl.put(**params)
        except ValidationError as err:
            log.error("refused before sending: %s", err)
            raise

    def revoke(self, grant: Grant) -> None:
        params: dict[str, object] = {"path": grant.path, "roles": grant.role, "delete": True}
        if grant.user:
            params["users"] = grant.user
        if grant.group:
            params["groups"] = grant.group
        self.pve.access.acl.put(**params)

    def permissions(self, userid: str, path: str = "/") -> dict[str, dict[str, int]]:
        return self.pve.access.permissions.get(userid=userid, path=path)

    # -- realms and TFA ---------------------------------------------------------------------
    def realms(self) -> list[str]:
        return [domain["realm"] for domain in self.pve.access.domains.get()]

    def sync_realm(self, realm: str, dry_run: bool = True) -> str:
        return self.pve.access.domains(realm).sync.post(**{"dry-run": dry_run, "scope": "both", "remove-vanished": "acl;entry"})

    def tfa_entries(self, userid: str) -> list[dict[str, object]]:
        return self.pve.access.tfa(userid).get()

    def reset_tfa(self, userid: str) -> None:
        for entry in self.tfa_entries(userid):
            self.pve.access.tfa(userid)(entry["id"]).delete()


def random_password(length: int = 24) -> str:
    return secrets.token_urlsafe(length)[:length]
