"""Access control: users, groups, roles, authentication domains, password changes."""

from __future__ import annotations

from typing import Any

from .call import Call, split_list
from .errors import ApiError
from .grants import forget_group, forget_user, refuse_role_change, user_tokens
from .state import State


def _user(call: Call) -> dict[str, Any]:
    userid = call.values["userid"]
    user = call.state.users.get(userid)
    if user is None:
        raise ApiError(500, f"no such user ('{userid}')")
    return user


def _user_groups(state: State, userid: str) -> list[str]:
    return sorted(g for g, data in state.groups.items() if userid in data["members"])


def users_list(call: Call) -> Any:
    enabled = call.values.get("enabled")
    out = []
    for userid in sorted(call.state.users):
        user = call.state.users[userid]
        if enabled is not None and user.get("enable", 1) != enabled:
            continue
        entry = {k: v for k, v in user.items() if k not in ("groups", "password")}
        groups = _user_groups(call.state, userid)
        if groups:
            entry["groups"] = ",".join(groups)
        entry["realm-type"] = userid.rpartition("@")[2] if userid.endswith(("@pam", "@pve")) else "pve"
        if call.values.get("full"):
            entry["tokens"] = [{"tokenid": name, **info} for name, info in user_tokens(call.state, userid).items()]
        out.append(entry)
    return out


def user_create(call: Call) -> Any:
    userid = call.values["userid"]
    if userid in call.state.users:
        raise ApiError(500, f"create user failed: user '{userid}' already exists")
    for group in split_list(call.values.get("groups")):
        if group not in call.state.groups:
            raise ApiError(500, f"create user failed: no such group '{group}'")
    user = {k: v for k, v in call.values.items() if k not in ("groups", "password")}
    user.setdefault("enable", 1)
    user.setdefault("expire", 0)
    call.state.users[userid] = user
    if call.values.get("password"):
        call.state.set_password(userid, str(call.values["password"]))
    for group in split_list(call.values.get("groups")):
        call.state.groups[group]["members"].append(userid)
    return None


def user_get(call: Call) -> Any:
    user = _user(call)
    data = {k: v for k, v in user.items() if k not in ("userid", "groups")}
    data["groups"] = _user_groups(call.state, call.values["userid"])
    tokens = user_tokens(call.state, call.values["userid"])
    if tokens:
        data["tokens"] = tokens
    return data


def user_update(call: Call) -> Any:
    user = _user(call)
    userid = call.values["userid"]
    user.update({k: v for k, v in call.values.items() if k not in ("userid", "groups", "append", "password")})
    if "groups" in call.values:
        groups = split_list(call.values["groups"])
        for name in groups:
            if name not in call.state.groups:
                raise ApiError(500, f"update user failed: no such group '{name}'")
        if not call.values.get("append"):
            for data in call.state.groups.values():
                if userid in data["members"]:
                    data["members"].remove(userid)
        for name in groups:
            if userid not in call.state.groups[name]["members"]:
                call.state.groups[name]["members"].append(userid)
    return None


def user_delete(call: Call) -> Any:
    _user(call)
    userid = call.values["userid"]
    del call.state.users[userid]
    for data in call.state.groups.values():
        if userid in data["members"]:
            data["members"].remove(userid)
    forget_user(call, userid)
    return None


def password_change(call: Call) -> Any:
    _user(call)
    call.state.set_password(call.values["userid"], str(call.values["password"]))
    return None


def _group(call: Call) -> dict[str, Any]:
    groupid = call.values["groupid"]
    group = call.state.groups.get(groupid)
    if group is None:
        raise ApiError(500, f"group '{groupid}' does not exist")
    return group


def groups_list(call: Call) -> Any:
    out = []
    for groupid in sorted(call.state.groups):
        group = call.state.groups[groupid]
        entry: dict[str, Any] = {"groupid": groupid, "users": ",".join(sorted(group["members"]))}
        if group.get("comment"):
            entry["comment"] = group["comment"]
        out.append(entry)
    return out


def group_create(call: Call) -> Any:
    groupid = call.values["groupid"]
    if groupid in call.state.groups:
        raise ApiError(500, f"create group failed: group '{groupid}' already exists")
    call.state.groups[groupid] = {"comment": call.values.get("comment", ""), "members": []}
    return None


def group_get(call: Call) -> Any:
    group = _group(call)
    data: dict[str, Any] = {"members": sorted(group["members"])}
    if group.get("comment"):
        data["comment"] = group["comment"]
    return data


def group_update(call: Call) -> Any:
    group = _group(call)
    if "comment" in call.values:
        group["comment"] = call.values["comment"]
    return None


def group_delete(call: Call) -> Any:
    _group(call)
    del call.state.groups[call.values["groupid"]]
    forget_group(call, call.values["groupid"])
    return None


def _role(call: Call) -> dict[str, Any]:
    roleid = call.values["roleid"]
    role = call.state.roles.get(roleid)
    if role is None:
        raise ApiError(500, f"role '{roleid}' does not exist")
    return role


def roles_list(call: Call) -> Any:
    return [dict(call.state.roles[r]) for r in sorted(call.state.roles)]


def role_create(call: Call) -> Any:
    refuse_role_change(call, "created")
    roleid = call.values["roleid"]
    if roleid in call.state.roles:
        raise ApiError(500, f"create role failed: role '{roleid}' already exists")
    privs = ",".join(split_list(call.values.get("privs")))
    call.state.roles[roleid] = {"roleid": roleid, "privs": privs, "special": 0}
    return None


def role_get(call: Call) -> Any:
    return {priv: 1 for priv in split_list(_role(call)["privs"])}


def role_update(call: Call) -> Any:
    refuse_role_change(call, "modified")
    role = _role(call)
    privs = split_list(call.values.get("privs"))
    if call.values.get("append"):
        privs = sorted(set(split_list(role["privs"])) | set(privs))
    role["privs"] = ",".join(privs)
    return None


def role_delete(call: Call) -> Any:
    refuse_role_change(call, "deleted")
    _role(call)
    del call.state.roles[call.values["roleid"]]
    return None


def _domain(call: Call) -> dict[str, Any]:
    realm = call.values["realm"]
    domain = call.state.domains.get(realm)
    if domain is None:
        raise ApiError(500, f"domain '{realm}' does not exist")
    return domain


def domains_list(call: Call) -> Any:
    return [dict(call.state.domains[r]) for r in sorted(call.state.domains)]


def domain_create(call: Call) -> Any:
    realm = call.values["realm"]
    if realm in call.state.domains:
        raise ApiError(500, f"create auth server failed: domain '{realm}' already exists")
    call.state.domains[realm] = {k: v for k, v in call.values.items() if k != "password"}
    return None


def domain_get(call: Call) -> Any:
    return {k: v for k, v in _domain(call).items() if k != "realm"}


def domain_update(call: Call) -> Any:
    domain = _domain(call)
    for key in split_list(call.values.get("delete")):
        domain.pop(key, None)
    domain.update({k: v for k, v in call.values.items() if k not in ("realm", "delete", "digest", "password")})
    return None


def domain_delete(call: Call) -> Any:
    domain = _domain(call)
    if domain.get("type") in ("pam", "pve"):
        raise ApiError(500, f"cannot delete built-in realm '{call.values['realm']}'")
    del call.state.domains[call.values["realm"]]
    return None
