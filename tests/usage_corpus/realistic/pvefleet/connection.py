"""One place that makes API clients: proxmoxer for most tools, the generated client for typed ones."""

from __future__ import annotations

import logging
import time
from typing import Any

from proxmoxer import ProxmoxAPI
from proxmoxer.core import ResourceException

from proxmox_ve import ProxmoxVE

from .config import Cluster

log = logging.getLogger(__name__)

_CACHE: dict[str, Any] = {}


def proxmox(cluster: Cluster) -> ProxmoxAPI:
    """A proxmoxer client for the cluster (cached per process)."""
    key = f"proxmoxer:{cluster.name}"
    if key not in _CACHE:
        if cluster.uses_token:
            _CACHE[key] = ProxmoxAPI(
                cluster.host,
                port=cluster.port,
                user=cluster.user,
                token_name=cluster.token_name,
                token_value=cluster.token_value,
                verify_ssl=cluster.verify_ssl,
                timeout=30,
            )
        else:
            _CACHE[key] = ProxmoxAPI(
                cluster.host,
                port=cluster.port,
                user=cluster.user,
                password=cluster.password,
                verify_ssl=cluster.verify_ssl,
                timeout=30,
            )
    return _CACHE[key]


def typed(cluster: Cluster) -> ProxmoxVE:
    """The generated client, for code that wants types and validation before sending."""
    key = f"typed:{cluster.name}"
    if key not in _CACHE:
        if cluster.uses_token:
            _CACHE[key] = ProxmoxVE(
                cluster.host,
                cluster.port,
                token_id=f"{cluster.user}!{cluster.token_name}",
                token_secret=cluster.token_value,
                verify=cluster.verify_ssl,
            )
        else:
            _CACHE[key] = ProxmoxVE(cluster.host, cluster.port, user=cluster.user, password=cluster.password)
    return _CACHE[key]


def wait_for_task(api: ProxmoxAPI, node: str, upid: str, timeout: float = 600.0, interval: float = 2.0) -> dict:
    """Poll a task until it stops; raise when it failed or took too long."""
    deadline = time.monotonic() + timeout
    while True:
        status = api.nodes(node).tasks(upid).status.get()
        if status.get("status") == "stopped":
            if status.get("exitstatus") != "OK":
                log_tail(api, node, upid)
                raise RuntimeError(f"task {upid} failed: {status.get('exitstatus')}")
            return status
        if time.monotonic() > deadline:
            raise TimeoutError(f"task {upid} still running after {timeout:.0f} s")
        time.sleep(interval)


def log_tail(api: ProxmoxAPI, node: str, upid: str, lines: int = 20) -> None:
    try:
        entries = api.nodes(node).tasks(upid).log.get(limit=lines, start=0)
    except ResourceException as err:
        log.warning("cannot read the log of %s: %s", upid, err)
        return
    for entry in entries:
        log.error("  %s", entry.get("t", ""))


def node_names(api: ProxmoxAPI, online_only: bool = True) -> list[str]:
    names = []
    for node in api.nodes.get():
        if online_only and node.get("status") != "online":
            continue
        names.append(node["node"])
    return sorted(names)


def next_vmid(api: ProxmoxAPI, start: int | None = None) -> int:
    if start is None:
        return int(api.cluster.nextid.get())
    return int(api.cluster.nextid.get(vmid=start))


def find_guest(api: ProxmoxAPI, vmid: int) -> tuple[str, str] | None:
    """(node, type) of a guest anywhere in the cluster, or None."""
    for resource in api.cluster.resources.get(type="vm"):
        if int(resource.get("vmid", -1)) == vmid:
            return resource["node"], resource["type"]
    return None
