"""Guests, qemu and lxc alike: list, create, config, status, power actions, destroy.

One handler serves both kinds; ``call.kind`` (from the route's path) says which.
"""

from __future__ import annotations

import hashlib
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from .call import Call
from .errors import ApiError, param_error
from .state import Guest, State, Volume

# Parameters of create/config calls that steer the call rather than being configuration.
_CONTROL_PARAMS = frozenset(
    {
        "node",
        "vmid",
        "start",
        "archive",
        "force",
        "unique",
        "pool",
        "storage",
        "live-restore",
        "bwlimit",
        "skiplock",
        "delete",
        "revert",
        "digest",
        "background_delay",
        "ignore-unpack-errors",
        "restore",
        "ha-managed",
    }
)
_QEMU_DISK = re.compile(r"^(ide|sata|scsi|virtio|efidisk|tpmstate)\d+$")
_LXC_DISK = re.compile(r"^(rootfs|mp\d+)$")
_NEW_DISK = re.compile(r"^(?P<storage>[A-Za-z][\w.-]*):(?P<size>\d+(?:\.\d+)?)(?P<rest>(?:,.*)?)$")
_LEADING_INT = re.compile(r"^(?:current=)?(\d+)")
_PREFIX = {"qemu": "qm", "lxc": "vz"}


def _guest(call: Call) -> Guest:
    return call.state.guest(call.values["node"], int(call.values["vmid"]), call.kind)


def _config_values(call: Call) -> dict[str, Any]:
    return {k: v for k, v in call.values.items() if k not in _CONTROL_PARAMS}


def _allocate_disks(call: Call, vmid: int, config: dict[str, Any], kind: str) -> None:
    """``scsi0=local-lvm:32`` allocates a 32 GiB volume, as PVE does: ``local-lvm:vm-100-disk-0,size=32G``."""
    pattern = _QEMU_DISK if kind == "qemu" else _LXC_DISK
    for key in sorted(config):
        value = config[key]
        if not pattern.match(key) or not isinstance(value, str):
            continue
        match = _NEW_DISK.match(value)
        if match is None:
            continue
        storage = call.state.storages.get(match.group("storage"))
        if storage is None:
            raise ApiError(500, f"storage '{match.group('storage')}' does not exist")
        index = 0
        while f"{storage.storage}:vm-{vmid}-disk-{index}" in storage.volumes:
            index += 1
        volid = f"{storage.storage}:vm-{vmid}-disk-{index}"
        size_gib = float(match.group("size"))
        storage.volumes[volid] = Volume(
            volid, "images" if kind == "qemu" else "rootdir", "raw", int(size_gib * 2**30), int(time.time()), vmid
        )
        size_text = f"{size_gib:g}G"
        config[key] = f"{volid}{match.group('rest')},size={size_text}"


def _memory_mib(guest: Guest) -> int:
    match = _LEADING_INT.match(str(guest.config.get("memory", "512" if guest.kind == "lxc" else "2048")))
    return int(match.group(1)) if match else 512


def _cpus(guest: Guest) -> int:
    cores = int(guest.config.get("cores", 1) or 1)
    return cores * int(guest.config.get("sockets", 1) or 1) if guest.kind == "qemu" else cores


def _disk_bytes(state: State, guest: Guest) -> int:
    return sum(v.size for s in state.storages.values() for v in s.volumes.values() if v.vmid == guest.vmid)


def guest_name(guest: Guest) -> str:
    key = "name" if guest.kind == "qemu" else "hostname"
    return str(guest.config.get(key, f"{'VM' if guest.kind == 'qemu' else 'CT'}{guest.vmid}"))


def guest_summary(state: State, guest: Guest) -> dict[str, Any]:
    """A guest as the list and ``status/current`` show it."""
    uptime = int(time.time() - guest.started_at) if guest.running else 0
    data: dict[str, Any] = {
        "vmid": guest.vmid,
        "name": guest_name(guest),
        "status": "running" if guest.running else "stopped",
        "cpus": _cpus(guest),
        "cpu": 0.02 if guest.running else 0,
        "maxmem": _memory_mib(guest) * 2**20,
        "mem": (_memory_mib(guest) * 2**20) // 4 if guest.running else 0,
        "maxdisk": _disk_bytes(state, guest),
        "disk": 0,
        "uptime": uptime,
        "netin": 0,
        "netout": 0,
        "diskread": 0,
        "diskwrite": 0,
    }
    if guest.kind == "lxc":
        data["type"] = "lxc"
        data["maxswap"] = int(guest.config.get("swap", 512)) * 2**20
        data["swap"] = 0
    if guest.running:
        data["pid"] = guest.pid
    if "tags" in guest.config:
        data["tags"] = guest.config["tags"]
    if guest.config.get("template"):
        data["template"] = 1
    return data


# -- handlers -----------------------------------------------------------------------------
def guest_list(call: Call) -> Any:
    node = call.node()
    guests = [g for g in call.state.guests.values() if g.kind == call.kind and g.node == node]
    return [guest_summary(call.state, g) for g in sorted(guests, key=lambda g: g.vmid)]


def guest_create(call: Call) -> Any:
    kind = call.kind
    node = call.node()
    vmid = int(call.values["vmid"])
    existing = call.state.guests.get(vmid)
    if existing is not None:
        raise ApiError(500, f"{existing.label} {vmid} already exists on node '{existing.node}'")
    config = _config_values(call)
    _allocate_disks(call, vmid, config, kind)
    if kind == "qemu":
        config.setdefault(
            "smbios1", f"uuid={uuid.UUID(bytes=hashlib.md5(f'{call.state.seed}:{vmid}'.encode()).digest())}"
        )
        config.setdefault("vmgenid", str(uuid.UUID(bytes=hashlib.md5(f"gen:{vmid}".encode()).digest())))
    else:
        config.setdefault("arch", "amd64")
        config.setdefault("hostname", f"CT{vmid}")
        config.pop("password", None)  # PVE never stores the root password in the config
        config.pop("ssh-public-keys", None)
    guest = Guest(vmid, kind, node, config)
    call.state.guests[vmid] = guest
    start = bool(call.values.get("start"))

    def started() -> None:
        if start and vmid in call.state.guests:
            _start(call.state, guest)

    return call.start_task(f"{_PREFIX[kind]}create", str(vmid), on_finish=started)


def guest_config_get(call: Call) -> Any:
    guest = _guest(call)
    return {**guest.config, "digest": guest.digest()}


def _set_config(call: Call) -> Guest:
    guest = _guest(call)
    digest = call.values.get("digest")
    if digest and digest != guest.digest():
        raise ApiError(500, "detected modified configuration - file changed by other user? Try again.")
    updates = _config_values(call)
    _allocate_disks(call, guest.vmid, updates, call.kind)
    deleted = [k for k in re.split(r"[,;\s]+", str(call.values.get("delete", ""))) if k]
    for key in deleted:
        if key in updates:
            raise param_error(key, "can't set and delete the same option")
    guest.config.update(updates)
    for key in deleted:
        guest.config.pop(key, None)
    return guest


def guest_config_put(call: Call) -> Any:
    _set_config(call)
    return None


def guest_config_post(call: Call) -> Any:
    """qemu's asynchronous config update: the same change, as a task."""
    guest = _set_config(call)
    return call.start_task("qmconfig", str(guest.vmid))


def guest_status_current(call: Call) -> Any:
    guest = _guest(call)
    data = guest_summary(call.state, guest)
    data["ha"] = {"managed": 0}
    if guest.kind == "qemu":
        data["qmpstatus"] = data["status"]
    return data


def _power(
    action: str, *, needs_running: bool, refuse_running: bool, effect: Callable[[State, Guest], None]
) -> Callable[[Call], Any]:
    def handler(call: Call) -> Any:
        guest = _guest(call)
        outcome = "OK"
        if needs_running and not guest.running:
            outcome = f"{guest.label} {guest.vmid} not running"
        elif refuse_running and guest.running:
            outcome = f"{guest.label} {guest.vmid} already running"
        return call.start_task(
            f"{_PREFIX[guest.kind]}{action}",
            str(guest.vmid),
            outcome=outcome,
            on_finish=lambda: effect(call.state, guest),
        )

    handler.__name__ = f"guest_{action}"
    return handler


def _start(state: State, guest: Guest) -> None:
    guest.running = True
    guest.started_at = time.time()
    guest.pid = 10_000 + guest.vmid


def _stop(state: State, guest: Guest) -> None:
    guest.running = False
    guest.pid = 0


def _nothing(state: State, guest: Guest) -> None:
    return None


guest_start = _power("start", needs_running=False, refuse_running=True, effect=_start)
guest_stop = _power("stop", needs_running=False, refuse_running=False, effect=_stop)
guest_shutdown = _power("shutdown", needs_running=True, refuse_running=False, effect=_stop)
guest_reboot = _power("reboot", needs_running=True, refuse_running=False, effect=_start)
guest_suspend = _power("suspend", needs_running=True, refuse_running=False, effect=_nothing)
guest_resume = _power("resume", needs_running=False, refuse_running=False, effect=_nothing)
guest_reset = _power("reset", needs_running=True, refuse_running=False, effect=_start)


def guest_destroy(call: Call) -> Any:
    guest = _guest(call)
    if guest.running:
        raise ApiError(500, f"{guest.label} {guest.vmid} is running - destroy failed")

    def removed() -> None:
        call.state.guests.pop(guest.vmid, None)
        for storage in call.state.storages.values():
            for volid in [v for v, vol in storage.volumes.items() if vol.vmid == guest.vmid]:
                del storage.volumes[volid]

    return call.start_task(f"{_PREFIX[guest.kind]}destroy", str(guest.vmid), on_finish=removed)
