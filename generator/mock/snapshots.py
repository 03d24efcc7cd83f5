"""Snapshots of a guest, qemu and lxc alike: create, list (with ``current`` and the parent chain),
config, rollback, delete; as PVE's AbstractConfig does them.

Creating, rolling back and deleting are tasks that hold a lock on the guest (``snapshot``,
``rollback``, ``snapshot-delete``); PVE's refusals inside them (a name already used, a template, a
locked guest, a disk whose storage cannot snapshot) end the task with PVE's message. A running qemu
guest snapshotted with ``vmstate`` keeps its RAM in a state volume and runs again after a rollback.
"""

from __future__ import annotations

import copy
import time
from typing import Any

from .call import Call
from .configs import free_volumes, volume_of
from .errors import ApiError
from .guests import PREFIX, find_guest, locked_task, start_guest, stop_guest
from .state import Guest, Snapshot, State
from .volumes import allocate, has_feature, storage_of

# Config keys that describe a snapshot, not the guest; a rollback does not bring them back.
_SNAPSHOT_KEYS = ("snaptime", "description", "vmstate", "snapstate", "runningmachine", "runningcpu")


def _snapshot(guest: Guest, name: str) -> Snapshot:
    snapshot = guest.snapshots.get(name)
    if snapshot is None:
        raise ApiError(500, f"snapshot '{name}' does not exist")
    return snapshot


def snapshot_feature_refusal(state: State, guest: Guest) -> str | None:
    """PVE's "snapshot feature is not available" when a disk's storage (or image format) cannot snapshot."""
    for key, value in guest.config.items():
        if key.startswith("unused"):
            continue
        volid = volume_of(state, guest.kind, key, value)
        if volid is None:
            continue
        storage = state.storages.get(volid.partition(":")[0])
        volume = storage.volumes.get(volid) if storage else None
        if storage is None or volume is None or not has_feature(storage, "snapshot", volume):
            return "snapshot feature is not available"
    return None


def snapshot_list(call: Call) -> Any:
    guest = find_guest(call)
    entries = []
    for snapshot in sorted(guest.snapshots.values(), key=lambda s: (s.config.get("snaptime", 0), s.name)):
        entry: dict[str, Any] = {
            "name": snapshot.name,
            "snaptime": snapshot.config.get("snaptime", 0),
            "description": snapshot.config.get("description", ""),
        }
        if guest.kind == "qemu":
            entry["vmstate"] = 1 if snapshot.config.get("vmstate") else 0
        if snapshot.config.get("parent"):
            entry["parent"] = snapshot.config["parent"]
        entries.append(entry)
    current: dict[str, Any] = {"name": "current", "description": "You are here!", "digest": guest.digest()}
    if guest.kind == "qemu":
        current["running"] = 1 if guest.running else 0
    if guest.config.get("parent"):
        current["parent"] = guest.config["parent"]
    return [*entries, current]


def snapshot_create(call: Call) -> Any:
    state = call.state
    guest = find_guest(call)
    name = str(call.values["snapname"])
    if name == "current" or name.lower() == "pending":
        raise ApiError(500, f"unable to use snapshot name '{name}' (reserved name)")
    refusal = None
    if guest.is_template:
        refusal = "you can't take a snapshot if it's a template"
    elif guest.config.get("lock"):
        refusal = f"{guest.label} is locked ({guest.config['lock']})"
    elif name in guest.snapshots:
        refusal = f"snapshot name '{name}' already used"
    else:
        refusal = snapshot_feature_refusal(state, guest)
    kind = f"{PREFIX[guest.kind]}snapshot"
    if refusal is not None:
        return call.start_task(kind, str(guest.vmid), outcome=refusal)
    with_ram = guest.kind == "qemu" and bool(call.values.get("vmstate")) and guest.running
    description = call.values.get("description")

    def taken() -> None:
        config = {k: copy.deepcopy(v) for k, v in guest.config.items() if k not in ("lock", "pending")}
        config["snaptime"] = int(time.time())
        if description:
            config["description"] = str(description)
        if with_ram:
            config["vmstate"] = _save_vmstate(state, guest, name)
        guest.snapshots[name] = Snapshot(name, config, running=with_ram)
        guest.config["parent"] = name

    return locked_task(call, guest, kind, "snapshot", taken)


def _save_vmstate(state: State, guest: Guest, name: str) -> str:
    """The state volume PVE writes for a snapshot with RAM: ``vm-ID-state-NAME`` on the first disk's
    storage (or ``vmstatestorage``), twice the memory plus 500 MiB."""
    target = guest.config.get("vmstatestorage")
    if not target:
        volids = [volume_of(state, "qemu", k, v) for k, v in sorted(guest.config.items())]
        target = next((v.partition(":")[0] for v in volids if v), "local-lvm")
    storage = storage_of(state.storages, str(target))
    memory = int(str(guest.config.get("memory", 2048)).split(",")[0].removeprefix("current=") or 2048)
    made = allocate(storage, guest.vmid, "qemu", (2 * memory + 500) * 2**20, "raw", f"vm-{guest.vmid}-state-{name}")
    return made.volid


def snapshot_index(call: Call) -> Any:
    _snapshot(find_guest(call), str(call.values["snapname"]))
    return [{"cmd": "rollback"}, {"cmd": "config"}]


def snapshot_config_get(call: Call) -> Any:
    return dict(_snapshot(find_guest(call), str(call.values["snapname"])).config)


def snapshot_config_put(call: Call) -> Any:
    guest = find_guest(call)
    snapshot = _snapshot(guest, str(call.values["snapname"]))
    guest.check_lock()
    if "description" in call.values:
        snapshot.config["description"] = str(call.values["description"])
    return None


def snapshot_rollback(call: Call) -> Any:
    state = call.state
    guest = find_guest(call)
    name = str(call.values["snapname"])
    kind = f"{PREFIX[guest.kind]}rollback"
    snapshot = guest.snapshots.get(name)
    if snapshot is None:
        return call.start_task(kind, str(guest.vmid), outcome=f"snapshot '{name}' does not exist")
    if guest.config.get("lock"):
        return call.start_task(kind, str(guest.vmid), outcome=f"{guest.label} is locked ({guest.config['lock']})")
    start = bool(call.values.get("start"))

    def rolled_back() -> None:
        stop_guest(state, guest)  # PVE stops a running guest before it rolls back
        config = {k: copy.deepcopy(v) for k, v in snapshot.config.items() if k not in _SNAPSHOT_KEYS}
        config["parent"] = name
        guest.config.clear()
        guest.config.update(config)
        if snapshot.running or start:  # a snapshot with RAM resumes where it was
            start_guest(state, guest)

    return locked_task(call, guest, kind, "rollback", rolled_back)


def snapshot_delete(call: Call) -> Any:
    state = call.state
    guest = find_guest(call)
    name = str(call.values["snapname"])
    kind = f"{PREFIX[guest.kind]}delsnapshot"
    snapshot = guest.snapshots.get(name)
    if snapshot is None:
        return call.start_task(kind, str(guest.vmid), outcome=f"snapshot '{name}' does not exist")
    if guest.config.get("lock") and not call.values.get("force"):
        return call.start_task(kind, str(guest.vmid), outcome=f"{guest.label} is locked ({guest.config['lock']})")

    def deleted() -> None:
        parent = snapshot.config.get("parent")
        del guest.snapshots[name]
        for other in [guest.config, *(s.config for s in guest.snapshots.values())]:
            if other.get("parent") == name:  # children move up to the deleted snapshot's parent
                if parent:
                    other["parent"] = parent
                else:
                    other.pop("parent", None)
        vmstate = snapshot.config.get("vmstate")
        if isinstance(vmstate, str):
            free_volumes(state, [vmstate])

    return locked_task(call, guest, kind, "snapshot-delete", deleted)
