"""Stateful answers for the seed's domain: guests, storage, network, cluster, tasks, access.

Each handler gets a Call (typed parameters, the caller, the state) and returns the ``data`` to
send, already encoded as PVE encodes it (0/1 booleans, strings where PVE sends strings).
Errors are raised as ApiError with PVE's wording.
"""

from __future__ import annotations

import hashlib
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..model import Operation
from .multipart import UploadedFile
from .state import ApiError, Guest, State, Volume, param_error
from .tasks import Task, parse_upid


@dataclass
class Call:
    op: Operation
    values: dict[str, Any]
    user: str
    state: State
    files: dict[str, UploadedFile] = field(default_factory=dict)

    def node(self) -> str:
        node: str = self.values["node"]
        self.state.check_node(node)
        return node


Handler = Callable[[Call], Any]
HANDLERS: dict[tuple[str, str], Handler] = {}


def route(method: str, path: str) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        HANDLERS[(method, path)] = func
        return func

    return register


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


def _finish(
    call: Call,
    kind: str,
    ident: str,
    *,
    log: list[str] | None = None,
    on_finish: Callable[[], None] | None = None,
    outcome: str = "OK",
) -> str:
    task = call.state.tasks.start(
        call.values.get("node") or call.state.nodes[0],
        kind,
        ident,
        call.user,
        log=log,
        on_finish=on_finish,
        outcome=outcome,
    )
    return task.upid


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


def _uuid(text: str) -> str:
    return str(uuid.UUID(bytes=hashlib.sha256(text.encode()).digest()[:16]))


def _memory_mib(guest: Guest) -> int:
    match = _LEADING_INT.match(str(guest.config.get("memory", "512" if guest.kind == "lxc" else "2048")))
    return int(match.group(1)) if match else 512


def _cpus(guest: Guest) -> int:
    cores = int(guest.config.get("cores", 1) or 1)
    return cores * int(guest.config.get("sockets", 1) or 1) if guest.kind == "qemu" else cores


def _disk_bytes(state: State, guest: Guest) -> int:
    return sum(v.size for s in state.storages.values() for v in s.volumes.values() if v.vmid == guest.vmid)


def _name(guest: Guest) -> str:
    key = "name" if guest.kind == "qemu" else "hostname"
    return str(guest.config.get(key, f"{'VM' if guest.kind == 'qemu' else 'CT'}{guest.vmid}"))


def _guest_summary(state: State, guest: Guest) -> dict[str, Any]:
    uptime = int(time.time() - guest.started_at) if guest.running else 0
    data: dict[str, Any] = {
        "vmid": guest.vmid,
        "name": _name(guest),
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


def _register_guests(kind: str, prefix: str) -> None:
    base = f"/nodes/{{node}}/{kind}"
    label = "VM" if kind == "qemu" else "CT"

    @route("GET", base)
    def list_guests(call: Call) -> Any:
        node = call.node()
        guests = [g for g in call.state.guests.values() if g.kind == kind and g.node == node]
        return [_guest_summary(call.state, g) for g in sorted(guests, key=lambda g: g.vmid)]

    @route("POST", base)
    def create(call: Call) -> Any:
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

        return _finish(call, f"{prefix}create", str(vmid), on_finish=started)

    @route("GET", f"{base}/{{vmid}}/config")
    def get_config(call: Call) -> Any:
        guest = call.state.guest(call.values["node"], int(call.values["vmid"]), kind)
        return {**guest.config, "digest": guest.digest()}

    def set_config(call: Call) -> Guest:
        guest = call.state.guest(call.values["node"], int(call.values["vmid"]), kind)
        digest = call.values.get("digest")
        if digest and digest != guest.digest():
            raise ApiError(500, "detected modified configuration - file changed by other user? Try again.")
        updates = _config_values(call)
        _allocate_disks(call, guest.vmid, updates, kind)
        deleted = [k for k in re.split(r"[,;\s]+", str(call.values.get("delete", ""))) if k]
        for key in deleted:
            if key in updates:
                raise param_error(key, "can't set and delete the same option")
        guest.config.update(updates)
        for key in deleted:
            guest.config.pop(key, None)
        return guest

    @route("PUT", f"{base}/{{vmid}}/config")
    def put_config(call: Call) -> Any:
        set_config(call)
        return None

    if kind == "qemu":

        @route("POST", f"{base}/{{vmid}}/config")
        def post_config(call: Call) -> Any:
            guest = set_config(call)
            return _finish(call, "qmconfig", str(guest.vmid))

    @route("GET", f"{base}/{{vmid}}/status/current")
    def current(call: Call) -> Any:
        guest = call.state.guest(call.values["node"], int(call.values["vmid"]), kind)
        data = _guest_summary(call.state, guest)
        data["ha"] = {"managed": 0}
        if kind == "qemu":
            data["qmpstatus"] = data["status"]
        return data

    def power(
        action: str, *, needs_running: bool, refuse_running: bool, effect: Callable[[State, Guest], None]
    ) -> None:
        @route("POST", f"{base}/{{vmid}}/status/{action}")
        def handler(call: Call) -> Any:
            guest = call.state.guest(call.values["node"], int(call.values["vmid"]), kind)
            outcome = "OK"
            if needs_running and not guest.running:
                outcome = f"{label} {guest.vmid} not running"
            elif refuse_running and guest.running:
                outcome = f"{label} {guest.vmid} already running"
            return _finish(
                call, f"{prefix}{action}", str(guest.vmid), outcome=outcome, on_finish=lambda: effect(call.state, guest)
            )

    power("start", needs_running=False, refuse_running=True, effect=_start)
    power("stop", needs_running=False, refuse_running=False, effect=_stop)
    power("shutdown", needs_running=True, refuse_running=False, effect=_stop)
    power("reboot", needs_running=True, refuse_running=False, effect=_start)
    power("suspend", needs_running=True, refuse_running=False, effect=lambda s, g: None)
    power("resume", needs_running=False, refuse_running=False, effect=lambda s, g: None)
    if kind == "qemu":
        power("reset", needs_running=True, refuse_running=False, effect=_start)

    @route("DELETE", f"{base}/{{vmid}}")
    def destroy(call: Call) -> Any:
        guest = call.state.guest(call.values["node"], int(call.values["vmid"]), kind)
        if guest.running:
            raise ApiError(500, f"{label} {guest.vmid} is running - destroy failed")

        def removed() -> None:
            call.state.guests.pop(guest.vmid, None)
            for storage in call.state.storages.values():
                for volid in [v for v, vol in storage.volumes.items() if vol.vmid == guest.vmid]:
                    del storage.volumes[volid]

        return _finish(call, f"{prefix}destroy", str(guest.vmid), on_finish=removed)


def _start(state: State, guest: Guest) -> None:
    guest.running = True
    guest.started_at = time.time()
    guest.pid = 10_000 + guest.vmid


def _stop(state: State, guest: Guest) -> None:
    guest.running = False
    guest.pid = 0


_register_guests("qemu", "qm")
_register_guests("lxc", "vz")


# -- storage --------------------------------------------------------------------------
def _storage(call: Call) -> Any:
    name = call.values["storage"]
    storage = call.state.storages.get(name)
    if storage is None:
        raise ApiError(500, f"storage '{name}' does not exist")
    return storage


def _storage_config(storage: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "storage": storage.storage,
        "type": storage.type,
        "content": ",".join(storage.content),
        "digest": hashlib.sha1(storage.storage.encode()).hexdigest(),
    }
    if storage.path:
        data["path"] = storage.path
    if storage.shared:
        data["shared"] = 1
    if storage.type == "lvmthin":
        data.update({"thinpool": "data", "vgname": "pve"})
    return data


def _storage_status(storage: Any) -> dict[str, Any]:
    used = storage.used()
    return {
        "storage": storage.storage,
        "type": storage.type,
        "content": ",".join(storage.content),
        "active": 1,
        "enabled": 1,
        "shared": storage.shared,
        "total": storage.total,
        "used": used,
        "avail": storage.total - used,
        "used_fraction": round(used / storage.total, 6),
    }


@route("GET", "/storage")
def storage_list(call: Call) -> Any:
    wanted = call.values.get("type")
    return [_storage_config(s) for s in call.state.storages.values() if wanted in (None, s.type)]


@route("GET", "/storage/{storage}")
def storage_get(call: Call) -> Any:
    return _storage_config(_storage(call))


@route("GET", "/nodes/{node}/storage")
def node_storage_list(call: Call) -> Any:
    call.node()
    content = [c for c in re.split(r"[,;\s]+", str(call.values.get("content", ""))) if c]
    only = call.values.get("storage")
    out = []
    for storage in call.state.storages.values():
        if content and not set(content) & set(storage.content):
            continue
        if only is not None and storage.storage != only:
            continue
        out.append(_storage_status(storage))
    return out


@route("GET", "/nodes/{node}/storage/{storage}/status")
def node_storage_status(call: Call) -> Any:
    call.node()
    return _storage_status(_storage(call))


def _volume_entry(volume: Volume) -> dict[str, Any]:
    data: dict[str, Any] = {
        "volid": volume.volid,
        "format": volume.format,
        "size": volume.size,
        "content": volume.content,
        "ctime": volume.ctime,
    }
    if volume.vmid is not None:
        data["vmid"] = volume.vmid
        data["used"] = 0
    if volume.notes is not None:
        data["notes"] = volume.notes
    return data


@route("GET", "/nodes/{node}/storage/{storage}/content")
def content_list(call: Call) -> Any:
    call.node()
    storage = _storage(call)
    content, vmid = call.values.get("content"), call.values.get("vmid")
    return [
        _volume_entry(v)
        for v in sorted(storage.volumes.values(), key=lambda v: v.volid)
        if content in (None, v.content) and vmid in (None, v.vmid)
    ]


def _volume(call: Call) -> tuple[Any, Volume]:
    storage = _storage(call)
    name = str(call.values["volume"])
    volid = name if name.startswith(f"{storage.storage}:") else f"{storage.storage}:{name}"
    volume = storage.volumes.get(volid)
    if volume is None:
        raise ApiError(500, f"volume '{volid}' does not exist")
    return storage, volume


@route("GET", "/nodes/{node}/storage/{storage}/content/{volume}")
def content_get(call: Call) -> Any:
    call.node()
    storage, volume = _volume(call)
    base = storage.path or "/dev/pve"
    data: dict[str, Any] = {
        "path": f"{base}/{volume.volid.partition(':')[2]}",
        "size": volume.size,
        "used": volume.size,
        "format": volume.format,
    }
    if volume.notes is not None:
        data["notes"] = volume.notes
    return data


@route("PUT", "/nodes/{node}/storage/{storage}/content/{volume}")
def content_update(call: Call) -> Any:
    call.node()
    _, volume = _volume(call)
    if "notes" in call.values:
        volume.notes = str(call.values["notes"])
    return None


@route("DELETE", "/nodes/{node}/storage/{storage}/content/{volume}")
def content_delete(call: Call) -> Any:
    call.node()
    storage, volume = _volume(call)
    del storage.volumes[volume.volid]
    if call.op.returns.type == "string":
        return _finish(call, "imgdel", volume.volid)
    return None


_SIZE = re.compile(r"^(\d+)([KMGT]?)$")


@route("POST", "/nodes/{node}/storage/{storage}/content")
def content_allocate(call: Call) -> Any:
    call.node()
    storage = _storage(call)
    filename, vmid = str(call.values["filename"]), int(call.values["vmid"])
    size = _SIZE.match(str(call.values["size"]))
    if size is None:
        raise param_error("size", "unable to parse size")
    factor = {"": 1024, "K": 1024, "M": 2**20, "G": 2**30, "T": 2**40}[size.group(2)]
    volid = f"{storage.storage}:{filename}"
    if volid in storage.volumes:
        raise ApiError(500, f"volume '{volid}' already exists")
    fmt = call.values.get("format") or ("qcow2" if filename.endswith(".qcow2") else "raw")
    storage.volumes[volid] = Volume(volid, "images", fmt, int(size.group(1)) * factor, int(time.time()), vmid)
    return volid


@route("POST", "/nodes/{node}/storage/{storage}/upload")
def content_upload(call: Call) -> Any:
    call.node()
    storage = _storage(call)
    content = str(call.values["content"])
    if content not in storage.content:
        raise ApiError(500, f"storage '{storage.storage}' does not support '{content}' content")
    upload = call.files.get("filename")
    name = (upload.filename if upload else str(call.values.get("filename", ""))).rsplit("/", 1)[-1]
    if not name:
        raise param_error("filename", "missing file name")
    size = upload.size if upload else 0
    # PVE checks the checksum in the upload's task: the call succeeds, the task fails.
    expected = call.values.get("checksum")
    mismatch = upload is not None and expected is not None and str(expected).lower() != upload.digest
    outcome = f"checksum mismatch: got '{upload.digest}' instead of '{expected}'" if mismatch and upload else "OK"
    volid = f"{storage.storage}:{content}/{name}"
    fmt = name.rsplit(".", 1)[-1] if "." in name else "raw"

    def stored() -> None:
        if outcome == "OK":
            storage.volumes[volid] = Volume(volid, content, fmt, size, int(time.time()))

    return _finish(
        call,
        "imgcopy",
        "",
        log=[f"target file: {storage.path or ''}/{content}/{name}", f"file size is: {size}"],
        on_finish=stored,
        outcome=outcome,
    )


# -- network ----------------------------------------------------------------------------
_BRIDGE_TYPES = frozenset({"bridge", "OVSBridge"})


@route("GET", "/nodes/{node}/network")
def network_list(call: Call) -> Any:
    node = call.node()
    wanted = call.values.get("type")
    out = []
    for iface in sorted(call.state.networks[node].values(), key=lambda i: i["iface"]):
        kind = iface.get("type")
        if wanted in (None, kind) or (wanted in ("any_bridge", "any_local_bridge") and kind in _BRIDGE_TYPES):
            out.append(dict(iface))
    return out


def _iface(call: Call) -> dict[str, Any]:
    node = call.node()
    name = call.values["iface"]
    iface = call.state.networks[node].get(name)
    if iface is None:
        raise param_error("iface", "interface does not exist")
    return iface


@route("POST", "/nodes/{node}/network")
def network_create(call: Call) -> Any:
    node = call.node()
    name = call.values["iface"]
    if name in call.state.networks[node]:
        raise param_error("iface", "interface already exists")
    iface = {k: v for k, v in call.values.items() if k != "node"}
    iface.setdefault("families", ["inet"])
    iface.setdefault("method", "static" if "cidr" in iface or "address" in iface else "manual")
    call.state.networks[node][name] = iface
    return None


@route("GET", "/nodes/{node}/network/{iface}")
def network_get(call: Call) -> Any:
    return dict(_iface(call))


@route("PUT", "/nodes/{node}/network/{iface}")
def network_update(call: Call) -> Any:
    iface = _iface(call)
    for key in [k for k in re.split(r"[,;\s]+", str(call.values.get("delete", ""))) if k]:
        iface.pop(key, None)
    iface.update({k: v for k, v in call.values.items() if k not in ("node", "iface", "delete", "digest")})
    return None


@route("DELETE", "/nodes/{node}/network/{iface}")
def network_delete(call: Call) -> Any:
    _iface(call)
    del call.state.networks[call.values["node"]][call.values["iface"]]
    return None


@route("PUT", "/nodes/{node}/network")
def network_apply(call: Call) -> Any:
    call.node()
    return _finish(call, "srvreload", "networking")


# -- cluster ----------------------------------------------------------------------------
def _node_entry(state: State, node: str) -> dict[str, Any]:
    return {
        "node": node,
        "status": "online",
        "cpu": 0.01,
        "maxcpu": 8,
        "mem": 4 * 2**30,
        "maxmem": 32 * 2**30,
        "disk": 8 * 2**30,
        "maxdisk": 100 * 2**30,
        "uptime": 86_400,
        "level": "",
        "id": f"node/{node}",
        "type": "node",
        "ssl_fingerprint": _fingerprint(node),
    }


def _fingerprint(node: str) -> str:
    digest = hashlib.sha256(node.encode()).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, 64, 2))


@route("GET", "/nodes")
def nodes_list(call: Call) -> Any:
    return [_node_entry(call.state, n) for n in call.state.nodes]


@route("GET", "/cluster/resources")
def cluster_resources(call: Call) -> Any:
    state = call.state
    wanted = call.values.get("type")
    out: list[dict[str, Any]] = []
    if wanted in (None, "node"):
        for node in state.nodes:
            entry = _node_entry(state, node)
            entry.pop("ssl_fingerprint")
            out.append(entry)
    if wanted in (None, "vm"):
        for guest in sorted(state.guests.values(), key=lambda g: g.vmid):
            summary = _guest_summary(state, guest)
            out.append(
                {
                    "id": f"{guest.kind}/{guest.vmid}",
                    "type": guest.kind,
                    "vmid": guest.vmid,
                    "name": summary["name"],
                    "node": guest.node,
                    "status": summary["status"],
                    "cpu": summary["cpu"],
                    "maxcpu": summary["cpus"],
                    "mem": summary["mem"],
                    "maxmem": summary["maxmem"],
                    "disk": 0,
                    "maxdisk": summary["maxdisk"],
                    "uptime": summary["uptime"],
                    "template": 1 if guest.config.get("template") else 0,
                    "netin": 0,
                    "netout": 0,
                    "diskread": 0,
                    "diskwrite": 0,
                }
            )
    if wanted in (None, "storage"):
        for node in state.nodes:
            for storage in state.storages.values():
                status = _storage_status(storage)
                out.append(
                    {
                        "id": f"storage/{node}/{storage.storage}",
                        "type": "storage",
                        "storage": storage.storage,
                        "node": node,
                        "status": "available",
                        "plugintype": storage.type,
                        "content": status["content"],
                        "disk": status["used"],
                        "maxdisk": status["total"],
                        "shared": storage.shared,
                    }
                )
    return out


@route("GET", "/cluster/status")
def cluster_status(call: Call) -> Any:
    nodes = call.state.nodes
    out: list[dict[str, Any]] = []
    if len(nodes) > 1:
        out.append(
            {
                "type": "cluster",
                "id": "cluster",
                "name": "mock",
                "nodes": len(nodes),
                "quorate": 1,
                "version": len(nodes),
            }
        )
    for index, node in enumerate(nodes):
        out.append(
            {
                "type": "node",
                "id": f"node/{node}",
                "name": node,
                "nodeid": index + 1,
                "ip": f"192.0.2.{10 + index}",
                "local": 1 if index == 0 else 0,
                "online": 1,
                "level": "",
            }
        )
    return out


@route("GET", "/cluster/nextid")
def cluster_nextid(call: Call) -> Any:
    wanted = call.values.get("vmid")
    if wanted is not None:
        if int(wanted) in call.state.guests:
            raise param_error("vmid", f"VM {wanted} already exists")
        return str(wanted)
    return str(call.state.next_vmid())  # PVE sends the id as a string although the schema says integer


@route("GET", "/cluster/tasks")
def cluster_tasks(call: Call) -> Any:
    return [t.as_list_entry() for t in reversed(call.state.tasks.all())]


# -- tasks --------------------------------------------------------------------------------
def _task(call: Call) -> Task:
    call.node()
    upid = str(call.values["upid"])
    if parse_upid(upid) is None:
        raise ApiError(500, f"unable to parse worker upid '{upid}'")
    task = call.state.tasks.get(upid)
    if task is None or task.node != call.values["node"]:
        raise ApiError(500, "no such task")
    return task


@route("GET", "/nodes/{node}/tasks")
def node_tasks(call: Call) -> Any:
    node = call.node()
    values = call.values
    tasks = [t for t in reversed(call.state.tasks.all()) if t.node == node]
    if values.get("vmid") is not None:
        tasks = [t for t in tasks if t.id == str(values["vmid"])]
    if values.get("typefilter"):
        tasks = [t for t in tasks if t.type == values["typefilter"]]
    if values.get("userfilter"):
        tasks = [t for t in tasks if values["userfilter"] in t.user]
    if values.get("errors"):
        tasks = [t for t in tasks if t.finished and t.outcome != "OK"]
    source = values.get("source", "archive")
    if source == "active":
        tasks = [t for t in tasks if not t.finished]
    elif source == "archive":
        tasks = [t for t in tasks if t.finished]
    start, limit = int(values.get("start", 0)), int(values.get("limit", 50))
    return [t.as_list_entry() for t in tasks[start : start + limit]]


@route("GET", "/nodes/{node}/tasks/{upid}")
def task_index(call: Call) -> Any:
    _task(call)
    return [{"name": "log"}, {"name": "status"}]


@route("GET", "/nodes/{node}/tasks/{upid}/status")
def task_status(call: Call) -> Any:
    return _task(call).as_status()


@route("GET", "/nodes/{node}/tasks/{upid}/log")
def task_log(call: Call) -> Any:
    task = _task(call)
    start, limit = int(call.values.get("start", 0)), int(call.values.get("limit", 50))
    lines = task.log or ["no content"]
    return [{"n": i + 1, "t": text} for i, text in enumerate(lines)][start : start + limit]


@route("DELETE", "/nodes/{node}/tasks/{upid}")
def task_stop(call: Call) -> Any:
    task = _task(call)
    if not task.finished:
        task.finished = True
        task.outcome = "interrupted by signal"
        task.endtime = int(time.time())
        task.log.append("TASK ERROR: interrupted by signal")
    return None


# -- access -------------------------------------------------------------------------------
def _split_list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return [v for v in re.split(r"[,;\s]+", str(value or "")) if v]


def _user(call: Call) -> dict[str, Any]:
    userid = call.values["userid"]
    user = call.state.users.get(userid)
    if user is None:
        raise ApiError(500, f"no such user ('{userid}')")
    return user


def _user_groups(state: State, userid: str) -> list[str]:
    return sorted(g for g, data in state.groups.items() if userid in data["members"])


@route("GET", "/access/users")
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
        out.append(entry)
    return out


@route("POST", "/access/users")
def user_create(call: Call) -> Any:
    userid = call.values["userid"]
    if userid in call.state.users:
        raise ApiError(500, f"create user failed: user '{userid}' already exists")
    for group in _split_list(call.values.get("groups")):
        if group not in call.state.groups:
            raise ApiError(500, f"create user failed: no such group '{group}'")
    user = {k: v for k, v in call.values.items() if k not in ("groups", "password")}
    user.setdefault("enable", 1)
    user.setdefault("expire", 0)
    call.state.users[userid] = user
    if call.values.get("password"):
        call.state.set_password(userid, str(call.values["password"]))
    for group in _split_list(call.values.get("groups")):
        call.state.groups[group]["members"].append(userid)
    return None


@route("GET", "/access/users/{userid}")
def user_get(call: Call) -> Any:
    user = _user(call)
    data = {k: v for k, v in user.items() if k not in ("userid", "groups")}
    data["groups"] = _user_groups(call.state, call.values["userid"])
    return data


@route("PUT", "/access/users/{userid}")
def user_update(call: Call) -> Any:
    user = _user(call)
    userid = call.values["userid"]
    user.update({k: v for k, v in call.values.items() if k not in ("userid", "groups", "append", "password")})
    if "groups" in call.values:
        groups = _split_list(call.values["groups"])
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


@route("DELETE", "/access/users/{userid}")
def user_delete(call: Call) -> Any:
    _user(call)
    userid = call.values["userid"]
    del call.state.users[userid]
    for data in call.state.groups.values():
        if userid in data["members"]:
            data["members"].remove(userid)
    return None


@route("PUT", "/access/password")
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


@route("GET", "/access/groups")
def groups_list(call: Call) -> Any:
    out = []
    for groupid in sorted(call.state.groups):
        group = call.state.groups[groupid]
        entry: dict[str, Any] = {"groupid": groupid, "users": ",".join(sorted(group["members"]))}
        if group.get("comment"):
            entry["comment"] = group["comment"]
        out.append(entry)
    return out


@route("POST", "/access/groups")
def group_create(call: Call) -> Any:
    groupid = call.values["groupid"]
    if groupid in call.state.groups:
        raise ApiError(500, f"create group failed: group '{groupid}' already exists")
    call.state.groups[groupid] = {"comment": call.values.get("comment", ""), "members": []}
    return None


@route("GET", "/access/groups/{groupid}")
def group_get(call: Call) -> Any:
    group = _group(call)
    data: dict[str, Any] = {"members": sorted(group["members"])}
    if group.get("comment"):
        data["comment"] = group["comment"]
    return data


@route("PUT", "/access/groups/{groupid}")
def group_update(call: Call) -> Any:
    group = _group(call)
    if "comment" in call.values:
        group["comment"] = call.values["comment"]
    return None


@route("DELETE", "/access/groups/{groupid}")
def group_delete(call: Call) -> Any:
    _group(call)
    del call.state.groups[call.values["groupid"]]
    return None


def _role(call: Call) -> dict[str, Any]:
    roleid = call.values["roleid"]
    role = call.state.roles.get(roleid)
    if role is None:
        raise ApiError(500, f"role '{roleid}' does not exist")
    return role


@route("GET", "/access/roles")
def roles_list(call: Call) -> Any:
    return [dict(call.state.roles[r]) for r in sorted(call.state.roles)]


@route("POST", "/access/roles")
def role_create(call: Call) -> Any:
    roleid = call.values["roleid"]
    if roleid in call.state.roles:
        raise ApiError(500, f"create role failed: role '{roleid}' already exists")
    privs = ",".join(_split_list(call.values.get("privs")))
    call.state.roles[roleid] = {"roleid": roleid, "privs": privs, "special": 0}
    return None


@route("GET", "/access/roles/{roleid}")
def role_get(call: Call) -> Any:
    return {priv: 1 for priv in _split_list(_role(call)["privs"])}


@route("PUT", "/access/roles/{roleid}")
def role_update(call: Call) -> Any:
    role = _role(call)
    if role.get("special"):
        raise ApiError(500, f"cannot modify built-in role '{call.values['roleid']}'")
    privs = _split_list(call.values.get("privs"))
    if call.values.get("append"):
        privs = sorted(set(_split_list(role["privs"])) | set(privs))
    role["privs"] = ",".join(privs)
    return None


@route("DELETE", "/access/roles/{roleid}")
def role_delete(call: Call) -> Any:
    role = _role(call)
    if role.get("special"):
        raise ApiError(500, f"cannot delete built-in role '{call.values['roleid']}'")
    del call.state.roles[call.values["roleid"]]
    return None


def _domain(call: Call) -> dict[str, Any]:
    realm = call.values["realm"]
    domain = call.state.domains.get(realm)
    if domain is None:
        raise ApiError(500, f"domain '{realm}' does not exist")
    return domain


@route("GET", "/access/domains")
def domains_list(call: Call) -> Any:
    return [dict(call.state.domains[r]) for r in sorted(call.state.domains)]


@route("POST", "/access/domains")
def domain_create(call: Call) -> Any:
    realm = call.values["realm"]
    if realm in call.state.domains:
        raise ApiError(500, f"create auth server failed: domain '{realm}' already exists")
    call.state.domains[realm] = {k: v for k, v in call.values.items() if k != "password"}
    return None


@route("GET", "/access/domains/{realm}")
def domain_get(call: Call) -> Any:
    return {k: v for k, v in _domain(call).items() if k != "realm"}


@route("PUT", "/access/domains/{realm}")
def domain_update(call: Call) -> Any:
    domain = _domain(call)
    for key in _split_list(call.values.get("delete")):
        domain.pop(key, None)
    domain.update({k: v for k, v in call.values.items() if k not in ("realm", "delete", "digest", "password")})
    return None


@route("DELETE", "/access/domains/{realm}")
def domain_delete(call: Call) -> Any:
    domain = _domain(call)
    if domain.get("type") in ("pam", "pve"):
        raise ApiError(500, f"cannot delete built-in realm '{call.values['realm']}'")
    del call.state.domains[call.values["realm"]]
    return None


@route("GET", "/version")
def version(call: Call) -> Any:
    release = call.state.release
    return {"version": f"{release}.0", "release": release, "repoid": hashlib.sha1(release.encode()).hexdigest()[:16]}
