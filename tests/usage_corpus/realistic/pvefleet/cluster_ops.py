"""Cluster operations: HA groups and resources, replication jobs, pools, node maintenance and evacuation."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from typing import Any

from proxmoxer import ProxmoxAPI
from proxmoxer.core import ResourceException

from .config import Cluster
from .connection import node_names, proxmox, wait_for_task

log = logging.getLogger(__name__)


class ClusterOps:
    def __init__(self, cluster: Cluster, dry_run: bool = False) -> None:
        self.cluster = cluster
        self.api: ProxmoxAPI = proxmox(cluster)
        self.dry_run = dry_run

    # -- HA -------------------------------------------------------------------------------------
    def ha_resources(self) -> dict[str, dict[str, Any]]:
        return {r["sid"]: r for r in self.api.cluster.ha.resources.get()}

    def protect(self, vmid: int, kind: str = "vm", group: str | None = None, max_restart: int = 2) -> None:
        sid = f"{kind}:{vmid}"
        params: dict[str, Any] = {"state": "started", "max_restart": max_restart, "max_relocate": 1}
        if group:
            params["group"] = group
        if sid in self.ha_resources():
            self.api.cluster.ha.resources(sid).put(**params)
        else:
            self.api.cluster.ha.resources.post(sid=sid, **params)

    def unprotect(self, vmid: int, kind: str = "vm") -> None:
        sid = f"{kind}:{vmid}"
        if sid in self.ha_resources():
            self.api.cluster.ha.resources(sid).delete()

    def ha_status(self) -> list[dict[str, Any]]:
        return self.api.cluster.ha.status.current.get()

    # -- replication ---------------------------------------------------------------------------
    def replicate(self, vmid: int, target: str, schedule: str = "*/15", rate: float | None = None) -> str:
        jobs = {job["id"]: job for job in self.api.cluster.replication.get()}
        job_id = f"{vmid}-0"
        params: dict[str, Any] = {"schedule": schedule}
        if rate:
            params["rate"] = rate
        if job_id in jobs:
            self.api.cluster.replication(job_id).put(**params)
        else:
            self.api.cluster.replication.post(id=job_id, target=target, type="local", **params)
        return job_id

    def replication_status(self, node: str) -> list[dict[str, Any]]:
        return self.api.nodes(node).replication.get()

    def run_replication_now(self, node: str, job_id: str) -> None:
        self.api.nodes(node).replication(job_id).schedule_now.post()

    # -- pools ------------------------------------------------------------------------------------
    def ensure_pool(self, poolid: str, comment: str = "") -> None:
        pools = {pool["poolid"] for pool in self.api.pools.get()}
        if poolid not in pools:
            self.api.pools.post(poolid=poolid, comment=comment)

    def add_to_pool(self, poolid: str, vmids: Iterable[int] = (), storages: Iterable[str] = ()) -> None:
        params: dict[str, Any] = {"poolid": poolid}
        if vmids:
            params["vms"] = ",".join(str(v) for v in vmids)
        if storages:
            params["storage"] = ",".join(storages)
        self.api.pools.put(**params)

    def pool_members(self, poolid: str) -> list[dict[str, Any]]:
        return self.api.pools.get(poolid=poolid)[0].get("members", [])

    # -- maintenance --------------------------------------------------------------------------------
    def guests_on(self, node: str) -> list[tuple[str, int, str]]:
        guests = []
        for kind in ("qemu", "lxc"):
            for guest in self.api.nodes(node).get(kind):
                guests.append((kind, int(guest["vmid"]), guest.get("status", "?")))
        return guests

    def evacuate(self, node: str, targets: list[str] | None = None) -> list[int]:
        targets = targets or [n for n in node_names(self.api) if n != node]
        if not targets:
            raise RuntimeError("no other online node to move guests to")
        moved = []
        for index, (kind, vmid, status) in enumerate(self.guests_on(node)):
            target = targets[index % len(targets)]
            online = status == "running"
            log.info("moving %s %s to %s (online=%s)", kind, vmid, target, online)
            if self.dry_run:
                moved.append(vmid)
                continue
            if kind == "qemu":
                upid = self.api.nodes(node).qemu(vmid).migrate.post(target=target, online=int(online), **{"with-local-disks": 1})
            else:
                upid = self.api.nodes(node).lxc(vmid).migrate.post(target=target, restart=int(online))
            wait_for_task(self.api, node, upid, timeout=3600)
            moved.append(vmid)
        return moved

    def maintenance(self, node: str, enable: bool) -> None:
        command = "enable" if enable else "disable"
        try:
            self.api.nodes(node).execute.post(commands=f'[{{"method":"POST","path":"/nodes/{node}/ha/maintenance/{command}"}}]')
        except ResourceException as err:
            log.warning("HA maintenance %s on %s: %s", command, node, err)

    def reboot_node(self, node: str, wait: float = 900.0) -> None:
        if self.guests_on(node):
            raise RuntimeError(f"{node} still runs guests: evacuate first")
        self.api.nodes(node).status.post(command="reboot")
        deadline = time.monotonic() + wait
        time.sleep(30)
        while time.monotonic() < deadline:
            try:
                if self.api.nodes(node).status.get().get("uptime", 0) < 600:
                    return
            except ResourceException:
                pass
            time.sleep(10)
        raise TimeoutError(f"{node} did not come back in {wait:.0f} s")

    def start_all(self, node: str) -> None:
        upid = self.api.nodes(node).startall.post(force=1)
        wait_for_task(self.api, node, upid, timeout=1800)

    def stop_all(self, node: str, timeout: int = 180) -> None:
        upid = self.api.nodes(node).stopall.post(timeout=timeout)
        wait_for_task(self.api, node, upid, timeout=timeout + 120)

    def options(self) -> dict[str, Any]:
        return self.api.cluster.options.get()

    def set_migration_network(self, cidr: str) -> None:
        self.api.cluster.options.put(migration=f"type=secure,network={cidr}")

    def tasks(self, node: str, errors_only: bool = False, limit: int = 50) -> list[dict[str, Any]]:
        params = {"limit": limit}
        if errors_only:
            params["errors"] = 1
        return self.api.nodes(node).tasks.get(**params)
