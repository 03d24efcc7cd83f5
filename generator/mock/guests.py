"""Guests, qemu and lxc alike: list, create, config, pending, status, power actions, destroy.

One handler serves both kinds; ``call.kind`` (from the route's path) says which. Writes normalise
values as PVE does (configs.ConfigWriter); locked guests refuse changes in PVE's words; a task's
effect happens when it ends, and the guest carries ``lock`` while a task that locks it runs.
"""

from __future__ import annotations

import hashlib
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from .call import Call, split_list, starts_task
from .configs import ConfigWriter, config_format, free_volumes, referenced_volumes, volume_of
from .errors import ApiError
from .state import Guest, State
from .volumes import format_size, linked_clones_of, parse_size, storage_of

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
        "ostemplate",
        "password",
        "ssh-public-keys",
    }
)
_LEADING_INT = re.compile(r"^(?:current=)?(\d+)")
_OSTYPES = ("debian", "devuan", "ubuntu", "centos", "fedora", "opensuse", "archlinux", "alpine", "gentoo", "nixos")
_HIDDEN = {"cipassword": "**********"}  # PVE never shows these back
PREFIX = {"qemu": "qm", "lxc": "vz"}


def find_guest(call: Call) -> Guest:
    return call.state.guest(call.values["node"], int(call.values["vmid"]), call.kind)


def _memory_mib(guest: Guest) -> int:
    match = _LEADING_INT.match(str(guest.config.get("memory", "512" if guest.kind == "lxc" else "2048")))
    return int(match.group(1)) if match else 512


def _cpus(guest: Guest) -> int:
    cores = int(guest.config.get("cores", 1) or 1)
    return cores * int(guest.config.get("sockets", 1) or 1) if guest.kind == "qemu" else cores


def _disk_bytes(state: State, guest: Guest) -> int:
    volids = referenced_volumes(state, guest)
    return sum(v.size for s in state.storages.values() for v in s.volumes.values() if v.volid in volids)


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
    for key in ("tags", "lock"):
        if key in guest.config:
            data[key] = guest.config[key]
    if guest.is_template:
        data["template"] = 1
    return data


def locked_task(
    call: Call, guest: Guest, kind: str, lock: str, effect: Callable[[], None], *, outcome: str = "OK", ident: str = ""
) -> str:
    """A task that holds ``lock`` on the guest while it runs (PVE writes it into the config) and then
    does ``effect``. A task that fails leaves no lock behind."""
    guest.config["lock"] = lock

    def done() -> None:
        guest.config.pop("lock", None)
        effect()

    upid = call.start_task(kind, ident or str(guest.vmid), on_finish=done, outcome=outcome)
    if outcome != "OK":
        guest.config.pop("lock", None)
    return upid


# -- create, config ---------------------------------------------------------------------------
def guest_list(call: Call) -> Any:
    node = call.node()
    guests = [g for g in call.state.guests.values() if g.kind == call.kind and g.node == node]
    return [guest_summary(call.state, g) for g in sorted(guests, key=lambda g: g.vmid)]


def guest_create(call: Call) -> Any:
    kind = call.kind
    node = call.node()
    state = call.state
    vmid = int(call.values["vmid"])
    existing = state.guests.get(vmid)
    if existing is not None:
        raise ApiError(500, f"{existing.label} {vmid} already exists on node '{existing.node}'")
    pool = call.values.get("pool")
    if pool is not None and pool not in state.pools:
        raise ApiError(403, f"Permission check failed (pool '{pool}' does not exist)")
    updates = {k: v for k, v in call.values.items() if k not in _CONTROL_PARAMS}
    if kind == "lxc":
        _container_defaults(call, updates)
    config: dict[str, Any] = {}
    ConfigWriter(state, kind, vmid).apply(config, updates, [])
    if kind == "qemu":
        config.setdefault("smbios1", f"uuid={uuid.UUID(bytes=hashlib.md5(f'{state.seed}:{vmid}'.encode()).digest())}")
        config.setdefault("vmgenid", str(uuid.UUID(bytes=hashlib.md5(f"gen:{vmid}".encode()).digest())))
    guest = Guest(vmid, kind, node, config)
    state.guests[vmid] = guest
    start = bool(call.values.get("start"))

    def created() -> None:
        if vmid not in state.guests:
            return
        if pool is not None and pool in state.pools:
            state.pools[pool].vms.add(vmid)
        if start:
            start_guest(state, guest)

    if kind == "lxc":  # pve-container writes the config with "lock: create" before its worker runs
        return locked_task(call, guest, "vzcreate", "create", created)
    return call.start_task("qmcreate", str(vmid), on_finish=created)


def _container_defaults(call: Call, updates: dict[str, Any]) -> None:
    """What pve-container fills in: arch, a root disk on the default storage, ostype from the template,
    unprivileged where the release creates unprivileged containers by default."""
    updates.setdefault("arch", "amd64")
    updates.setdefault("hostname", f"CT{call.values['vmid']}")
    storage = call.values.get("storage") or _default(call, "storage") or "local"
    updates.setdefault("rootfs", f"{storage}:4")
    template = str(call.values.get("ostemplate", "")).rpartition("/")[2]
    guessed = next((name for name in _OSTYPES if template.startswith(name)), None)
    if guessed is not None:
        updates.setdefault("ostype", guessed)
    unprivileged = call.op.parameters.get("unprivileged")
    if unprivileged is not None and "for creation, the default is 1" in (unprivileged.description or "").lower():
        updates.setdefault("unprivileged", 1)


def _default(call: Call, name: str) -> str | None:
    schema = call.op.parameters.get(name)
    return str(schema.default) if schema is not None and schema.has_default else None


def guest_config_get(call: Call) -> Any:
    guest = find_guest(call)
    config = guest.config
    name = call.values.get("snapshot")
    if name:
        snapshot = guest.snapshots.get(str(name))
        if snapshot is None:
            raise ApiError(500, f"snapshot '{name}' does not exist")
        config = snapshot.config
    shown = {k: _HIDDEN.get(k, v) for k, v in config.items()}
    return {**shown, "digest": guest.digest()}


def guest_pending(call: Call) -> Any:
    """Every option with its value; changes apply at once in the mock, so nothing is ever pending."""
    guest = find_guest(call)
    return [{"key": k, "value": str(_HIDDEN.get(k, v))} for k, v in sorted(guest.config.items())]


def _set_config(call: Call) -> Guest:
    guest = find_guest(call)
    digest = call.values.get("digest")
    if digest and digest != guest.digest():
        raise ApiError(500, "detected modified configuration - file changed by other user? Try again.")
    guest.check_lock(bool(call.values.get("skiplock")))
    updates = {k: v for k, v in call.values.items() if k not in _CONTROL_PARAMS}
    writer = ConfigWriter(call.state, call.kind, guest.vmid)
    writer.apply(guest.config, updates, split_list(call.values.get("delete")), bool(call.values.get("force")))
    free_volumes(call.state, writer.freed, keep=referenced_volumes(call.state, guest))
    return guest


def guest_config_put(call: Call) -> Any:
    _set_config(call)
    return None


def guest_config_post(call: Call) -> Any:
    """qemu's asynchronous config update: the same change, as a task."""
    guest = _set_config(call)
    return call.start_task("qmconfig", str(guest.vmid))


# -- status and power ---------------------------------------------------------------------------
def guest_status_current(call: Call) -> Any:
    guest = find_guest(call)
    data = guest_summary(call.state, guest)
    data["ha"] = {"managed": 0}
    if guest.kind == "qemu":
        data["qmpstatus"] = data["status"]
    return data


def start_guest(state: State, guest: Guest) -> None:
    guest.running = True
    guest.started_at = time.time()
    guest.pid = 10_000 + guest.vmid


def stop_guest(state: State, guest: Guest) -> None:
    guest.running = False
    guest.pid = 0


def _nothing(state: State, guest: Guest) -> None:
    return None


def _power(
    action: str, *, needs_running: bool, refuse_running: bool, effect: Callable[[State, Guest], None]
) -> Callable[[Call], Any]:
    """A power action as a task; PVE's refusals (not running, already running, locked, a template)
    end the task with PVE's message."""

    def handler(call: Call) -> Any:
        guest = find_guest(call)
        outcome = "OK"
        if guest.config.get("lock") and not call.values.get("skiplock"):
            outcome = f"{guest.label} is locked ({guest.config['lock']})"
        elif action == "start" and guest.is_template:
            outcome = f"you can't start a {'vm' if guest.kind == 'qemu' else 'CT'} if it's a template"
        elif needs_running and not guest.running:
            outcome = f"{guest.label} {guest.vmid} not running"
        elif refuse_running and guest.running:
            outcome = f"{guest.label} {guest.vmid} already running"
        return call.start_task(
            f"{PREFIX[guest.kind]}{action}",
            str(guest.vmid),
            outcome=outcome,
            on_finish=lambda: effect(call.state, guest),
        )

    handler.__name__ = f"guest_{action}"
    return handler


# shutdown's forceStop and timeout change nothing here: a simulated guest always shuts down in time
guest_start = _power("start", needs_running=False, refuse_running=True, effect=start_guest)
guest_stop = _power("stop", needs_running=False, refuse_running=False, effect=stop_guest)
guest_shutdown = _power("shutdown", needs_running=True, refuse_running=False, effect=stop_guest)
guest_reboot = _power("reboot", needs_running=True, refuse_running=False, effect=start_guest)
guest_suspend = _power("suspend", needs_running=True, refuse_running=False, effect=_nothing)
guest_resume = _power("resume", needs_running=False, refuse_running=False, effect=_nothing)
guest_reset = _power("reset", needs_running=True, refuse_running=False, effect=start_guest)


# -- destroy -----------------------------------------------------------------------------------
def guest_destroy(call: Call) -> Any:
    """Destroy as PVE does: refused while locked, or running (a container with ``force`` is stopped
    first); its disks go (all volumes of the VMID with ``destroy-unreferenced-disks``), it leaves its pool."""
    state = call.state
    guest = find_guest(call)
    guest.check_lock(bool(call.values.get("skiplock")))
    force = bool(call.values.get("force")) and guest.kind == "lxc"
    if guest.running and not force:
        raise ApiError(500, f"{guest.label} {guest.vmid} is running - destroy failed")
    unreferenced = bool(call.values.get("destroy-unreferenced-disks"))
    in_use = linked_clones_of(state.storages, guest.vmid) if guest.is_template else []
    if in_use:  # vdisk_free refuses a base volume with linked clones, inside the task
        base = next(s.volumes[v].base for s in state.storages.values() for v in in_use if v in s.volumes)
        outcome = f"base volume '{str(base).partition(':')[2]}' is still in use by linked cloned"
        return call.start_task(f"{PREFIX[guest.kind]}destroy", str(guest.vmid), outcome=outcome)

    def removed() -> None:
        stop_guest(state, guest)
        volids = {v for v in referenced_volumes(state, guest) if _owner(state, v) == guest.vmid}
        if unreferenced:
            volids |= {v.volid for s in state.storages.values() for v in s.volumes.values() if v.vmid == guest.vmid}
        free_volumes(state, sorted(volids))
        state.guests.pop(guest.vmid, None)
        for pool in state.pools.values():
            pool.vms.discard(guest.vmid)

    return call.start_task(f"{PREFIX[guest.kind]}destroy", str(guest.vmid), on_finish=removed)


def _owner(state: State, volid: str) -> int | None:
    storage = state.storages.get(volid.partition(":")[0])
    volume = storage.volumes.get(volid) if storage else None
    return volume.vmid if volume else None


# -- resize ------------------------------------------------------------------------------------
def guest_resize(call: Call) -> Any:
    """Grow a disk (``size=+2G`` or ``size=40G``) as qemu-server and pve-container do: never shrink,
    the volume and the drive's ``size=`` both follow. A task where the release makes it one."""
    state = call.state
    guest = find_guest(call)
    digest = call.values.get("digest")
    if digest and digest != guest.digest():
        raise ApiError(500, "detected modified configuration - file changed by other user? Try again.")
    guest.check_lock(bool(call.values.get("skiplock")))
    disk = str(call.values["disk"])
    volid = volume_of(state, guest.kind, disk, guest.config.get(disk))
    if disk not in guest.config:
        raise ApiError(500, f"disk '{disk}' does not exist")
    if volid is None:
        raise ApiError(500, f"you can't resize a cdrom or a disk without a volume ('{disk}')")
    volume = storage_of(state.storages, volid.partition(":")[0]).volumes.get(volid)
    if volume is None:
        raise ApiError(500, f"volume '{volid}' does not exist")
    text = str(call.values["size"])
    grow = text.startswith("+")
    wanted = parse_size(text.removeprefix("+"))
    if wanted is None:
        raise ApiError(500, f"unable to parse size '{text}'")
    new_size = volume.size + wanted if grow else wanted
    if new_size < volume.size:
        raise ApiError(500, "shrinking disks is not supported")

    def resized() -> None:
        volume.size = new_size
        fmt = config_format(state, guest.kind, disk)
        if fmt is not None:
            values = fmt.parse(str(guest.config[disk]))
            values["size"] = format_size(new_size)
            guest.config[disk] = fmt.print(values)

    if starts_task(call.op):
        return call.start_task("resize", str(guest.vmid), on_finish=resized)
    resized()
    return None
