"""The cluster: nodes, resources, status, the next free VMID, the task list, the version."""

from __future__ import annotations

import hashlib
from typing import Any

from .call import Call
from .errors import param_error
from .guests import guest_summary
from .state import State
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


def _fingerprint(node: str) -> str:
    digest = hashlib.sha256(node.encode()).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, 64, 2))


def nodes_list(call: Call) -> Any:
    return [_node_entry(call.state, n) for n in call.state.nodes]


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
            summary = guest_summary(state, guest)
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
                status = storage_status(storage)
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


def version(call: Call) -> Any:
    release = call.state.release
    return {"version": f"{release}.0", "release": release, "repoid": hashlib.sha1(release.encode()).hexdigest()[:16]}
