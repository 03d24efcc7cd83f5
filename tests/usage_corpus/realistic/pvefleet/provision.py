"""Provision VMs and containers: clone a template, size it, set cloud-init, start it and wait for it."""

from __future__ import annotations

import dataclasses
import logging
import re
import time
from typing import Any

from proxmoxer import ProxmoxAPI
from proxmoxer.core import ResourceException

from .config import Cluster
from .connection import find_guest, next_vmid, proxmox, wait_for_task

log = logging.getLogger(__name__)

SIZE = re.compile(r"^(?P<number>\d+)(?P<unit>[KMGT]?)$")


@dataclasses.dataclass
class VmSpec:
    name: str
    template: int
    cores: int = 2
    memory_mb: int = 2048
    disk_gb: int = 32
    bridge: str | None = None
    vlan: int | None = None
    ip: str | None = None
    gateway: str | None = None
    ssh_keys: str | None = None
    tags: tuple[str, ...] = ()
    pool: str | None = None
    start: bool = True
    node: str | None = None
    storage: str | None = None
    description: str = ""


@dataclasses.dataclass
class CtSpec:
    hostname: str
    ostemplate: str
    cores: int = 1
    memory_mb: int = 512
    rootfs_gb: int = 8
    bridge: str | None = None
    ip: str = "dhcp"
    unprivileged: bool = True
    password: str | None = None
    ssh_keys: str | None = None
    node: str | None = None
    storage: str | None = None


class Provisioner:
    def __init__(self, cluster: Cluster, dry_run: bool = False) -> None:
        self.cluster = cluster
        self.dry_run = dry_run
        self.api: ProxmoxAPI = proxmox(cluster)

    def vm(self, spec: VmSpec) -> int:
        found = find_guest(self.api, spec.template)
        if found is None:
            raise LookupError(f"template {spec.template} not found")
        node, kind = found
        if kind != "qemu":
            raise ValueError(f"{spec.template} is a container, not a VM template")
        target = spec.node or node
        vmid = next_vmid(self.api)
        log.info("cloning %s into %s (%s) on %s", spec.template, vmid, spec.name, target)
        if self.dry_run:
            return vmid
        clone: dict[str, Any] = {"newid": vmid, "name": spec.name, "full": 1, "target": target}
        if spec.storage:
            clone["storage"] = spec.storage
        if spec.pool:
            clone["pool"] = spec.pool
        upid = self.api.nodes(node).qemu(spec.template).clone.post(**clone)
        wait_for_task(self.api, node, upid, timeout=1800)
        self._configure(target, vmid, spec)
        self._resize(target, vmid, spec.disk_gb)
        if spec.start:
            self.start(target, vmid)
        return vmid

    def _configure(self, node: str, vmid: int, spec: VmSpec) -> None:
        config: dict[str, Any] = {"cores": spec.cores, "memory": spec.memory_mb, "agent": "enabled=1"}
        bridge = spec.bridge or self.cluster.default_bridge
        net = f"virtio,bridge={bridge}"
        if spec.vlan:
            net += f",tag={spec.vlan}"
        config["net0"] = net
        if spec.ip:
            ipconfig = f"ip={spec.ip}"
            if spec.gateway:
                ipconfig += f",gw={spec.gateway}"
            config["ipconfig0"] = ipconfig
        if spec.ssh_keys:
            config["sshkeys"] = spec.ssh_keys
        if spec.tags:
            config["tags"] = ";".join(spec.tags)
        if spec.description:
            config["description"] = spec.description
        self.api.nodes(node).qemu(vmid).config.post(**config)

    def _resize(self, node: str, vmid: int, disk_gb: int) -> None:
        config = self.api.nodes(node).qemu(vmid).config.get()
        disk = next((key for key in ("scsi0", "virtio0", "sata0") if key in config), None)
        if disk is None:
            log.warning("%s has no boot disk to resize", vmid)
            return
        current = _size_gb(config[disk])
        if current is not None and current >= disk_gb:
            return
        self.api.nodes(node).qemu(vmid).resize.put(disk=disk, size=f"{disk_gb}G")

    def start(self, node: str, vmid: int, wait_agent: bool = True) -> None:
        upid = self.api.nodes(node).qemu(vmid).status.start.post()
        wait_for_task(self.api, node, upid)
        if wait_agent:
            self._wait_agent(node, vmid)

    def _wait_agent(self, node: str, vmid: int, timeout: float = 300.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                self.api.nodes(node).qemu(vmid).agent.ping.post()
                return
            except ResourceException:
                time.sleep(5)
        log.warning("the guest agent of %s did not answer in %.0f s", vmid, timeout)

    def container(self, spec: CtSpec) -> int:
        node = spec.node or self.cluster.default_node
        vmid = next_vmid(self.api)
        storage = spec.storage or self.cluster.default_storage
        options = {
            "vmid": vmid,
            "hostname": spec.hostname,
            "ostemplate": spec.ostemplate,
            "cores": spec.cores,
            "memory": spec.memory_mb,
            "rootfs": f"{storage}:{spec.rootfs_gb}",
            "net0": f"name=eth0,bridge={spec.bridge or self.cluster.default_bridge},ip={spec.ip}",
            "unprivileged": int(spec.unprivileged),
            "start": 1,
        }
        if spec.password:
            options["password"] = spec.password
        if spec.ssh_keys:
            options["ssh-public-keys"] = spec.ssh_keys
        if self.dry_run:
            return vmid
        upid = self.api.nodes(node).lxc.create(**options)
        wait_for_task(self.api, node, upid)
        return vmid

    def destroy(self, vmid: int, force: bool = False) -> None:
        found = find_guest(self.api, vmid)
        if found is None:
            log.info("%s is already gone", vmid)
            return
        node, kind = found
        guest = self.api.nodes(node).qemu(vmid) if kind == "qemu" else self.api.nodes(node).lxc(vmid)
        status = guest.status.current.get()
        if status.get("status") == "running":
            if not force:
                raise RuntimeError(f"{vmid} is running (use force)")
            wait_for_task(self.api, node, guest.status.stop.post())
        if self.dry_run:
            return
        upid = guest.delete(purge=1, **{"destroy-unreferenced-disks": 1})
        wait_for_task(self.api, node, upid)

    def snapshot(self, vmid: int, name: str, description: str = "", with_ram: bool = False) -> None:
        node, kind = self._locate(vmid)
        params: dict[str, Any] = {"snapname": name, "description": description}
        if kind == "qemu":
            params["vmstate"] = int(with_ram)
            upid = self.api.nodes(node).qemu(vmid).snapshot.post(**params)
        else:
            upid = self.api.nodes(node).lxc(vmid).snapshot.post(**params)
        wait_for_task(self.api, node, upid)

    def rollback(self, vmid: int, name: str) -> None:
        node, kind = self._locate(vmid)
        upid = getattr(self.api.nodes(node), kind)(vmid).snapshot(name).rollback.post()
        wait_for_task(self.api, node, upid)

    def prune_snapshots(self, vmid: int, keep: int) -> list[str]:
        node, kind = self._locate(vmid)
        snapshots = [s for s in getattr(self.api.nodes(node), kind)(vmid).snapshot.get() if s["name"] != "current"]
        snapshots.sort(key=lambda s: s.get("snaptime", 0))
        removed = []
        for snap in snapshots[:-keep] if keep else snapshots:
            if not self.dry_run:
                upid = getattr(self.api.nodes(node), kind)(vmid).snapshot(snap["name"]).delete()
                wait_for_task(self.api, node, upid)
            removed.append(snap["name"])
        return removed

    def migrate(self, vmid: int, target: str, online: bool = True) -> None:
        node, kind = self._locate(vmid)
        if node == target:
            return
        if kind == "qemu":
            upid = self.api.nodes(node).qemu(vmid).migrate.post(target=target, online=int(online))
        else:
            upid = self.api.nodes(node).lxc(vmid).migrate.post(target=target, restart=int(online))
        wait_for_task(self.api, node, upid, timeout=3600)

    def _locate(self, vmid: int) -> tuple[str, str]:
        found = find_guest(self.api, vmid)
        if found is None:
            raise LookupError(f"guest {vmid} not found")
        return found


def _size_gb(disk: str) -> int | None:
    for part in disk.split(","):
        if part.startswith("size="):
            match = SIZE.match(part[5:])
            if match is None:
                return None
            number = int(match["number"])
            return {"K": number // 1048576, "M": number // 1024, "G": number, "T": number * 1024, "": number // 2**30}[
                match["unit"]
            ]
    return None
