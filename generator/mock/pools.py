"""Resource pools as pve-access-control's Pool.pm keeps them: create, list (with ``members``), add and
remove guests and storage, delete when empty; nested pool ids (``parent/child``) on the releases that
have them (8.1+, recognised by the query-parameter calls ``PUT /pools``).

Members are listed as ``/cluster/resources`` shows them. A guest belongs to one pool: adding it to
another is refused unless ``allow-move`` (``transfer`` on the releases that call it so) moves it.
Errors carry Pool.pm's wording and its prefixes ("update pools failed: ...").
"""

from __future__ import annotations

from typing import Any

from .call import Call, split_list
from .cluster import storage_resource, vm_resource
from .errors import ApiError, param_error
from .state import Pool, State


def _pool(call: Call, poolid: str) -> Pool:
    pool = call.state.pools.get(poolid)
    if pool is None:
        raise ApiError(500, f"pool '{poolid}' does not exist")
    return pool


def _members(state: State, pool: Pool, kind: str | None) -> list[dict[str, Any]]:
    members = []
    for vmid in sorted(pool.vms):
        guest = state.guests.get(vmid)
        if guest is not None and kind in (None, guest.kind):
            members.append(vm_resource(state, guest))
    if kind in (None, "storage"):
        for storage_id in sorted(pool.storage):
            storage = state.storages.get(storage_id)
            if storage is not None:
                members.append(storage_resource(state, state.nodes[0], storage))
    return members


def pool_list(call: Call) -> Any:
    """``GET /pools``; with ``poolid`` (8.1+) only that pool. Entries carry ``members`` on the releases
    whose schema lists them (8.1+)."""
    state = call.state
    wanted = call.values.get("poolid")
    if wanted is not None:
        _pool(call, str(wanted))
    items = call.op.returns.items
    with_members = items is not None and "members" in (items.properties or {})
    out = []
    for poolid in sorted(state.pools):
        if wanted is not None and poolid != wanted:
            continue
        pool = state.pools[poolid]
        entry: dict[str, Any] = {"poolid": poolid}
        if pool.comment is not None:
            entry["comment"] = pool.comment
        if with_members:
            entry["members"] = _members(state, pool, call.values.get("type"))
        out.append(entry)
    return out


def pool_get(call: Call) -> Any:
    """``GET /pools/{poolid}``: the pool's comment and members."""
    pool = _pool(call, str(call.values["poolid"]))
    data: dict[str, Any] = {"members": _members(call.state, pool, call.values.get("type"))}
    if pool.comment is not None:
        data["comment"] = pool.comment
    return data


def pool_create(call: Call) -> Any:
    state = call.state
    poolid = str(call.values["poolid"])
    _check_name(call, poolid)
    if poolid in state.pools:
        raise ApiError(500, f"create pool failed: pool '{poolid}' already exists")
    parent = poolid.rpartition("/")[0]
    if parent and parent not in state.pools:
        raise ApiError(500, f"create pool failed: parent '{parent}' does not exist")
    comment = call.values.get("comment")
    state.pools[poolid] = Pool(comment=str(comment) if comment else None)
    return None


def _check_name(call: Call, poolid: str) -> None:
    if "/" in poolid and not call.state.nested_pools:
        raise param_error("poolid", f"invalid format - pool name '{poolid}' contains illegal characters\n")
    if not poolid.rpartition("/")[2][:1].isalpha():
        raise ApiError(500, "create pool failed: pool name must start with a letter")


def pool_update(call: Call) -> Any:
    state = call.state
    poolid = str(call.values["poolid"])
    pool = state.pools.get(poolid)
    if pool is None:
        raise ApiError(500, f"update pools failed: pool '{poolid}' does not exist")
    delete = bool(call.values.get("delete"))
    move_param = next((p for p in ("allow-move", "transfer") if p in call.op.parameters), None)
    move = bool(call.values.get(move_param)) if move_param else False
    try:
        _update_vms(state, poolid, pool, split_list(call.values.get("vms")), delete, move, move_param)
        _update_storage(state, pool, split_list(call.values.get("storage")), delete)
    except ValueError as err:
        raise ApiError(500, f"update pools failed: {err}") from None
    if "comment" in call.values:
        pool.comment = str(call.values["comment"]) or None
    return None


def _update_vms(
    state: State, poolid: str, pool: Pool, vmids: list[str], delete: bool, move: bool, move_param: str | None
) -> None:
    for text in vmids:
        vmid = int(text)
        if delete:
            if vmid not in pool.vms:
                raise ValueError(f"VM {vmid} is not a pool member")
            pool.vms.discard(vmid)
            continue
        if vmid in pool.vms:
            raise ValueError(f"VM {vmid} is already a pool member")
        if vmid not in state.guests:
            raise ValueError(f"VM {vmid} does not exist")
        current = state.pool_of(vmid)
        if current is not None:
            if not move:
                suffix = f" and {move_param} is not set" if move_param else ""
                raise ValueError(f"VM {vmid} belongs already to pool '{current}'{suffix}")
            state.pools[current].vms.discard(vmid)
        pool.vms.add(vmid)


def _update_storage(state: State, pool: Pool, storage_ids: list[str], delete: bool) -> None:
    for storage_id in storage_ids:
        if delete:
            if storage_id not in pool.storage:
                raise ValueError(f"Storage '{storage_id}' is not a pool member")
            pool.storage.discard(storage_id)
            continue
        if storage_id in pool.storage:
            raise ValueError(f"Storage '{storage_id}' is already a pool member")
        if storage_id not in state.storages:
            raise ValueError(f"storage '{storage_id}' does not exist")
        pool.storage.add(storage_id)


def pool_delete(call: Call) -> Any:
    state = call.state
    poolid = str(call.values["poolid"])
    pool = state.pools.get(poolid)
    if pool is None:
        raise ApiError(500, f"delete pool failed: pool '{poolid}' does not exist")
    for vmid in sorted(pool.vms):
        if vmid in state.guests:
            raise ApiError(500, f"delete pool failed: pool '{poolid}' is not empty (contains VM {vmid})")
    for storage_id in sorted(pool.storage):
        if storage_id in state.storages:
            raise ApiError(500, f"delete pool failed: pool '{poolid}' is not empty (contains storage '{storage_id}')")
    child = next((p for p in sorted(state.pools) if p.startswith(poolid + "/")), None)
    if child is not None:
        raise ApiError(500, f"delete pool failed: pool '{poolid}' is not empty (contains pool '{child}')")
    del state.pools[poolid]
    return None
