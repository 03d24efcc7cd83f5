"""Templates and clones, qemu and lxc alike, as qemu-server's and pve-container's clone_vm and template.

A clone copies the source's config (or a snapshot's) except unused disks and snapshot data, gives
every NIC a new MAC, and copies or links every disk: a full clone allocates new volumes (on
``storage``, in ``format``), a linked clone makes thin clones of a template's base volumes and is
refused for anything else, in PVE's words. qemu clones get a new SMBIOS UUID and a name
(``Copy-of-VM-NAME`` unless given). The target holds ``lock: clone`` while the task runs and joins
``pool`` when it ends. Making a template renames the guest's volumes ``vm-`` -> ``base-``.
"""

from __future__ import annotations

import copy
import hashlib
import re
import uuid
from typing import Any

from .call import Call, starts_task
from .configs import DRIVE_KEYS, NIC_KEY, ConfigWriter, config_format, free_volumes, volume_of
from .errors import ApiError
from .guests import PREFIX, find_guest, locked_task
from .state import Guest, State, Volume
from .volumes import allocate, format_size, has_feature, is_base, linked_clone, rename_to_base, storage_of

_SNAPSHOT_DATA = frozenset({"snapshots", "parent", "snaptime", "vmstate", "snapstate", "lock", "runningmachine"})
_CLOUDINIT = re.compile(r"-cloudinit(\.\w+)?$")
_RUNNING_TEMPLATE = {
    "qemu": "you can't convert a VM to template if VM is running",
    "lxc": "you can't convert a CT to template if the CT is running",
}


def _volume(state: State, volid: str) -> tuple[Any, Volume]:
    storage = storage_of(state.storages, volid.partition(":")[0])
    volume = storage.volumes.get(volid)
    if volume is None:
        raise ApiError(500, f"volume '{volid}' does not exist")
    return storage, volume


def _refusal(state: State, guest: Guest, key: str, volid: str, full: bool, in_snapshot: bool) -> str | None:
    """PVE's refusal of one disk, or None when its storage can copy (full) or link (linked) it."""
    storage, volume = _volume(state, volid)
    if has_feature(storage, "copy" if full else "clone", volume, in_snapshot):
        return None
    if guest.kind == "lxc":
        return f"Linked clone feature for '{volid}' is not available" if not full else None
    which = "Full" if full else "Linked"
    if _major(state) < 7:
        return f"{which} clone feature is not supported for drive '{key}'"
    return f"{which} clone feature is not supported for '{volid}' ({key})"


def _major(state: State) -> int:
    try:
        return int(state.release.split(".")[0])
    except ValueError:
        return 99


def guest_clone(call: Call) -> Any:
    state = call.state
    source = find_guest(call)
    label = source.label
    newid = int(call.values["newid"])
    if newid in state.guests:
        raise ApiError(500, f"unable to create {label} {newid}: config file already exists")
    pool = call.values.get("pool")
    if pool is not None and pool not in state.pools:
        raise ApiError(403, f"Permission check failed (pool '{pool}' does not exist)")
    target = call.values.get("target")
    if target and target != source.node:
        state.check_node(str(target))
        raise ApiError(500, f"can't clone {label} to node '{target}' ({label} uses local storage)")
    source.check_lock()
    snapname = call.values.get("snapname")
    config = source.config
    if snapname:
        snapshot = source.snapshots.get(str(snapname))
        if snapshot is None:
            raise ApiError(500, f"snapshot '{snapname}' does not exist")
        config = snapshot.config
    full = bool(call.values.get("full", not source.is_template))
    for name in ("storage", "format"):
        if call.values.get(name) is not None and not full:
            raise ApiError(500, f"parameter '{name}' not allowed for linked clones")
    if full and source.kind == "lxc" and source.running and not snapname:
        raise ApiError(500, "Cannot do full clones on a running container without snapshots")
    disks: dict[str, str] = {}
    for key, value in config.items():
        volid = volume_of(state, source.kind, key, value) if DRIVE_KEYS[source.kind].match(key) else None
        if volid is None:
            continue
        refusal = None if _CLOUDINIT.search(volid) else _refusal(state, source, key, volid, full, bool(snapname))
        if refusal is not None:
            raise ApiError(500, refusal)
        disks[key] = volid
    new_config = _copied_config(call, source, config, disks)
    clone = Guest(newid, source.kind, source.node, new_config)
    state.guests[newid] = clone

    def cloned() -> None:
        made: list[str] = []
        try:
            for key, volid in disks.items():
                clone.config[key] = _clone_disk(call, clone, key, config[key], volid, full, made)
        except ApiError:
            free_volumes(state, made)
            raise
        if pool is not None and pool in state.pools:
            state.pools[pool].vms.add(newid)

    return locked_task(call, clone, f"{PREFIX[source.kind]}clone", "clone", cloned, ident=str(source.vmid))


def _copied_config(call: Call, source: Guest, config: dict[str, Any], disks: dict[str, str]) -> dict[str, Any]:
    state, kind = call.state, source.kind
    writer = ConfigWriter(state, kind, int(call.values["newid"]))
    new: dict[str, Any] = {}
    for key, value in config.items():
        if key in _SNAPSHOT_DATA or key.startswith("unused") or key in disks or key == "template":
            continue
        if NIC_KEY.match(key) and isinstance(value, str):
            fmt = config_format(state, kind, key)
            if fmt is not None:
                values = fmt.parse(value)
                mac_key = fmt.key_with_format("mac-addr")
                if mac_key is not None:
                    values.pop(mac_key, None)  # "always change MAC! address"
                value = writer.normalise(key, fmt.print(values))
        new[key] = copy.deepcopy(value)
    description = call.values.get("description")
    if description:
        new["description"] = str(description)
    if kind == "qemu":
        old_name = config.get("name")
        new["name"] = str(
            call.values.get("name") or (f"Copy-of-{old_name}" if old_name else f"Copy-of-VM-{source.vmid}")
        )
        seed = f"{state.seed}:clone:{call.values['newid']}".encode()
        new["smbios1"] = f"uuid={uuid.UUID(bytes=hashlib.md5(seed).digest())}"  # a new SMBIOS UUID, as PVE makes
    elif call.values.get("hostname"):
        new["hostname"] = str(call.values["hostname"])
    return new


def _clone_disk(call: Call, clone: Guest, key: str, value: str, volid: str, full: bool, made: list[str]) -> str:
    """The drive value of the clone: a copy on the target storage, or a linked clone of the base volume."""
    state = call.state
    storage, volume = _volume(state, volid)
    fmt = config_format(state, clone.kind, key)
    values = fmt.parse(value) if fmt else {}
    file_key = (fmt.default_key if fmt else None) or "file"
    if _CLOUDINIT.search(volid):
        new = allocate(storage, clone.vmid, clone.kind, volume.size, volume.format, f"vm-{clone.vmid}-cloudinit")
    elif full:
        target = storage_of(state.storages, str(call.values.get("storage") or storage.storage))
        image_format = call.values.get("format") or (volume.format if target.type == storage.type else None)
        new = allocate(target, clone.vmid, clone.kind, volume.size, image_format)
    else:
        new = linked_clone(storage, volume, clone.vmid)
    made.append(new.volid)
    values[file_key] = new.volid
    if "size" in values or not _CLOUDINIT.search(volid):
        values["size"] = format_size(new.size)
    return fmt.print(values) if fmt else new.volid


def guest_template(call: Call) -> Any:
    state = call.state
    guest = find_guest(call)
    guest.check_lock()
    noun = "VM" if guest.kind == "qemu" else "CT"
    disk = call.values.get("disk")
    if guest.is_template and not disk:
        raise ApiError(500, "you can't convert a template to a template")
    if guest.running:
        raise ApiError(500, _RUNNING_TEMPLATE[guest.kind])
    if guest.snapshots:
        raise ApiError(500, f"unable to create template, because {noun} contains snapshots")
    keys = [k for k in guest.config if DRIVE_KEYS[guest.kind].match(k) and (not disk or k == disk)]
    for key in keys:
        volid = volume_of(state, guest.kind, key, guest.config[key])
        if volid is None or is_base(volid):
            continue
        storage, volume = _volume(state, volid)
        if not has_feature(storage, "template", volume):
            raise ApiError(500, f"template feature is not available for '{volid}'")

    def converted() -> None:
        for key in keys:
            volid = volume_of(state, guest.kind, key, guest.config[key])
            if volid is None or _CLOUDINIT.search(volid):
                continue
            storage, volume = _volume(state, volid)
            new = rename_to_base(storage, volume)
            guest.config[key] = guest.config[key].replace(volid, new, 1)
        guest.config["template"] = 1

    if starts_task(call.op):
        return call.start_task(f"{PREFIX[guest.kind]}template", str(guest.vmid), on_finish=converted)
    converted()
    return None
