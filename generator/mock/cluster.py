"""The cluster: nodes, resources, status, the next free VMID, the task list, the version."""

from __future__ import annotations

import functools
import hashlib
from typing import Any

from .call import Call
from .errors import param_error
from .guests import guest_summary
from .state import Guest, State, Storage
from .storage import storage_status


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


@functools.cache
def _fingerprint(node: str) -> str:
    digest = hashlib.sha256(node.encode()).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, 64, 2))


def nodes_list(call: Call) -> Any:
    return [_node_entry(call.state, n) for n in call.state.nodes]


def vm_resource(state: State, guest: Guest) -> dict[str, Any]:
    """A guest as ``/cluster/resources`` and pool member lists show it."""
    summary = guest_summary(state, guest)
    entry: dict[str, Any] = {
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
        "template": 1 if guest.is_template else 0,
        "netin": 0,
        "netout": 0,
        "diskread": 0,
        "diskwrite": 0,
    }
    pool = state.pool_of(guest.vmid)
    if pool is not None:
        entry["pool"] = pool
    for key in ("lock", "tags"):
        if key in guest.config:
            entry[key] = guest.config[key]
    return entry


def storage_resource(state: State, node: str, storage: Storage) -> dict[str, Any]:
    """A storage of a node as ``/cluster/resources`` and pool member lists show it."""
    status = storage_status(storage)
    return {
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
        out += [vm_resource(state, g) for g in sorted(state.guests.values(), key=lambda g: g.vmid)]
    if wanted in (None, "storage"):
        out += [storage_resource(state, node, s) for node in state.nodes for s in state.storages.values()]
    return out


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


def cluster_nextid(call: Call) -> Any:
    wanted = call.values.get("vmid")
    if wanted is not None:
        if int(wanted) in call.state.guests:
            raise param_error("vmid", f"VM {wanted} already exists")
        return str(wanted)
    return str(call.state.next_vmid())  # PVE sends the id as a string although the schema says integer


def cluster_tasks(call: Call) -> Any:
    return [t.as_list_entry() for t in reversed(call.state.tasks.all())]


# The pve-manager package version of the point releases the shared schemas come from (the last
# update of each); other releases get ".1" ("-1" before 8.0).
_MANAGER_VERSIONS = {"5.4": "5.4-15", "6.4": "6.4-20", "7.4": "7.4-19", "8.0": "8.0.4", "8.4": "8.4.14",
                     "9.0": "9.0.11", "9.1": "9.1.4"}  # fmt: skip


def version_info(release: str) -> dict[str, str]:
    """``GET /version`` as a node of that release answers it: ``release`` is the point release (x.y),
    ``version`` the full pve-manager package version (``7.4-19``; from 8.0 ``8.4.14``), ``repoid`` the
    short git revision it was built from (8 hex digits; 16 from 8.0)."""
    try:
        major = int(release.split(".", maxsplit=1)[0])
    except ValueError:
        major = 99
    full = _MANAGER_VERSIONS.get(release) or (f"{release}.1" if major >= 8 else f"{release}-1")
    digest = hashlib.sha1(f"pve-manager {full}".encode()).hexdigest()
    return {"version": full, "release": release, "repoid": digest[: 16 if major >= 8 else 8]}


def version(call: Call) -> Any:
    return version_info(call.state.release)
