"""Ceph on PVE: health, OSDs, pools and flags, with guard rails before anything is taken out."""

from __future__ import annotations

import dataclasses
import logging
import time
from typing import Any

from proxmoxer import ProxmoxAPI
from proxmoxer.core import ResourceException

from .config import Cluster
from .connection import node_names, proxmox, wait_for_task

log = logging.getLogger(__name__)

SAFE_FLAGS = ("noout", "norebalance", "nobackfill", "norecover", "noscrub", "nodeep-scrub")


@dataclasses.dataclass
class Osd:
    id: int
    host: str
    up: bool
    inside: bool
    device_class: str
    used_pct: float


class CephTool:
    def __init__(self, cluster: Cluster, dry_run: bool = False) -> None:
        self.api: ProxmoxAPI = proxmox(cluster)
        self.dry_run = dry_run
        self.node = cluster.default_node

    def status(self) -> dict[str, Any]:
        return self.api.cluster.ceph.status.get()

    def healthy(self) -> bool:
        return self.status().get("health", {}).get("status") == "HEALTH_OK"

    def osds(self) -> list[Osd]:
        tree = self.api.nodes(self.node).ceph.osd.get()
        found: list[Osd] = []

        def walk(item: dict[str, Any], host: str = "") -> None:
            if item.get("type") == "host":
                host = item.get("name", host)
            if item.get("type") == "osd":
                total = float(item.get("total_space", 0)) or 1.0
                found.append(
                    Osd(
                        id=int(item["id"]),
                        host=host,
                        up=item.get("status") == "up",
                        inside=bool(item.get("in")),
                        device_class=item.get("device_class", "?"),
                        used_pct=100 * float(item.get("bytes_used", 0)) / total,
                    )
                )
            for child in item.get("children", []):
                walk(child, host)

        walk(tree.get("root", {}))
        return sorted(found, key=lambda osd: osd.id)

    def pools(self) -> list[dict[str, Any]]:
        return self.api.nodes(self.node).ceph.pool.get()

    def ensure_pool(self, name: str, size: int = 3, min_size: int = 2, pg_autoscale: str = "on", application: str = "rbd") -> None:
        existing = {pool["pool_name"] for pool in self.pools()}
        params: dict[str, Any] = {
            "size": size,
            "min_size": min_size,
            "pg_autoscale_mode": pg_autoscale,
            "application": application,
        }
        if name in existing:
            self.api.nodes(self.node).ceph.pool(name).put(**params)
            return
        upid = self.api.nodes(self.node).ceph.pool.post(name=name, add_storages=1, **params)
        wait_for_task(self.api, self.node, upid)

    def set_flag(self, flag: str, value: bool) -> None:
        if flag not in SAFE_FLAGS:
            raise ValueError(f"refusing to touch flag {flag}")
        log.info("ceph flag %s -> %s", flag, value)
        if not self.dry_run:
            self.api.cluster.ceph.flags(flag).put(value=int(value))

    def flags(self) -> dict[str, bool]:
        return {entry["name"]: bool(entry.get("value")) for entry in self.api.cluster.ceph.flags.get()}

    def out(self, osd: int, node: str) -> None:
        if not self.healthy():
            raise RuntimeError("Ceph is not healthy: will not take an OSD out")
        if not self.dry_run:
            self.api.nodes(node).ceph.osd(osd).out.post()

    def into(self, osd: int, node: str) -> None:
        if not self.dry_run:
            self.api.nodes(node).ceph.osd(osd)("in").post()

    def safe_to_destroy(self, osd: int) -> bool:
        for entry in self.api.nodes(self.node).ceph.osd(osd).metadata.get().get("devices", []):
            log.debug("osd %s device %s", osd, entry.get("dev_node"))
        return not any(o.id == osd and o.up for o in self.osds())

    def maintenance(self, node: str) -> None:
        """Prepare a node for a reboot: noout, then wait until Ceph settles."""
        self.set_flag("noout", True)
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            status = self.status()
            pgs = status.get("pgmap", {}).get("pgs_by_state", [])
            if all(state.get("state_name") == "active+clean" for state in pgs):
                return
            time.sleep(10)
        raise TimeoutError("placement groups did not settle in 10 minutes")

    def restart_services(self, service: str = "osd") -> None:
        for node in node_names(self.api):
            for osd in [o for o in self.osds() if o.host == node]:
                name = f"{service}.{osd.id}"
                try:
                    upid = self.api.nodes(node).ceph.restart.post(service=name)
                except ResourceException as err:
                    log.error("cannot restart %s on %s: %s", name, node, err)
                    continue
                wait_for_task(self.api, node, upid)
                while not self.healthy():
                    time.sleep(5)

    def crush_rules(self) -> list[str]:
        return [rule["name"] for rule in self.api.nodes(self.node).ceph.rules.get()]

    def monitors(self) -> list[dict[str, Any]]:
        return self.api.nodes(self.node).ceph.mon.get()

    def add_monitor(self, node: str, address: str | None = None) -> None:
        params = {"monid": node}
        if address:
            params["mon-address"] = address
        upid = self.api.nodes(node).ceph.mon(node).post(**params)
        wait_for_task(self.api, node, upid)

    def log(self, lines: int = 100) -> list[str]:
        return [entry.get("t", "") for entry in self.api.nodes(self.node).ceph.log.get(limit=lines)]

    def report(self) -> str:
        osds = self.osds()
        down = [o for o in osds if not o.up]
        full = [o for o in osds if o.used_pct > 80]
        lines = [f"health: {self.status().get('health', {}).get('status', '?')}", f"OSDs: {len(osds)} ({len(down)} down)"]
        lines.extend(f"  osd.{o.id} on {o.host} is {o.used_pct:.0f}% full" for o in full)
        flags = [name for name, value in self.flags().items() if value]
        if flags:
            lines.append("flags set: " + ", ".join(flags))
        return "\n".join(lines)
