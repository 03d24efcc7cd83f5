"""SDN (zones, vnets, subnets) and node networking: declared state in, the calls to reach it out."""

from __future__ import annotations

import dataclasses
import ipaddress
import logging
from typing import Any

from proxmoxer import ProxmoxAPI
from proxmoxer.core import ResourceException

from .config import Cluster
from .connection import proxmox, wait_for_task

log = logging.getLogger(__name__)


@dataclasses.dataclass
class Zone:
    zone: str
    type: str = "simple"
    bridge: str | None = None
    mtu: int | None = None
    ipam: str = "pve"


@dataclasses.dataclass
class Vnet:
    vnet: str
    zone: str
    tag: int | None = None
    alias: str | None = None
    subnets: tuple[str, ...] = ()
    gateway: str | None = None
    snat: bool = False


class Sdn:
    def __init__(self, cluster: Cluster, dry_run: bool = False) -> None:
        self.api: ProxmoxAPI = proxmox(cluster)
        self.dry_run = dry_run
        self.changed = False

    def apply_zones(self, zones: list[Zone]) -> None:
        current = {z["zone"]: z for z in self.api.cluster.sdn.zones.get()}
        for zone in zones:
            params: dict[str, Any] = {"type": zone.type, "ipam": zone.ipam}
            if zone.bridge:
                params["bridge"] = zone.bridge
            if zone.mtu:
                params["mtu"] = zone.mtu
            if zone.zone not in current:
                self._do(lambda: self.api.cluster.sdn.zones.post(zone=zone.zone, **params), f"create zone {zone.zone}")
            elif any(str(current[zone.zone].get(k)) != str(v) for k, v in params.items() if k != "type"):
                params.pop("type")
                self._do(lambda: self.api.cluster.sdn.zones(zone.zone).put(**params), f"update zone {zone.zone}")

    def apply_vnets(self, vnets: list[Vnet]) -> None:
        current = {v["vnet"]: v for v in self.api.cluster.sdn.vnets.get()}
        for vnet in vnets:
            params: dict[str, Any] = {"zone": vnet.zone}
            if vnet.tag is not None:
                params["tag"] = vnet.tag
            if vnet.alias:
                params["alias"] = vnet.alias
            if vnet.vnet not in current:
                self._do(lambda: self.api.cluster.sdn.vnets.create(vnet=vnet.vnet, **params), f"create vnet {vnet.vnet}")
            else:
                self._do(lambda: self.api.cluster.sdn.vnets(vnet.vnet).set(**params), f"update vnet {vnet.vnet}")
            self._subnets(vnet)

    def _subnets(self, vnet: Vnet) -> None:
        existing = {s["cidr"] for s in self.api.cluster.sdn.vnets(vnet.vnet).subnets.get()}
        for cidr in vnet.subnets:
            network = ipaddress.ip_network(cidr)
            if str(network) in existing:
                continue
            params: dict[str, Any] = {"subnet": str(network), "type": "subnet"}
            gateway = vnet.gateway or str(next(network.hosts()))
            params["gateway"] = gateway
            if vnet.snat:
                params["snat"] = 1
            self._do(
                lambda: self.api.cluster.sdn.vnets(vnet.vnet).subnets.post(**params),
                f"add subnet {network} to {vnet.vnet}",
            )

    def remove_vnet(self, vnet: str) -> None:
        for subnet in self.api.cluster.sdn.vnets(vnet).subnets.get():
            self._do(lambda: self.api.cluster.sdn.vnets(vnet).subnets(subnet["subnet"]).delete(), f"remove {subnet}")
        self._do(lambda: self.api.cluster.sdn.vnets(vnet).delete(), f"remove vnet {vnet}")

    def commit(self) -> None:
        if not self.changed or self.dry_run:
            return
        upid = self.api.cluster.sdn.put()
        node = upid.split(":")[1]
        wait_for_task(self.api, node, upid)
        self.changed = False

    def pending(self) -> list[dict[str, Any]]:
        return [v for v in self.api.cluster.sdn.vnets.get(pending=1) if v.get("state")]

    def _do(self, action, description: str) -> None:  # type: ignore[no-untyped-def]
        log.info("%s%s", "(dry run) " if self.dry_run else "", description)
        if self.dry_run:
            return
        action()
        self.changed = True


class NodeNetwork:
    def __init__(self, cluster: Cluster) -> None:
        self.api: ProxmoxAPI = proxmox(cluster)

    def interfaces(self, node: str, kind: str | None = None) -> list[dict[str, Any]]:
        if kind:
            return self.api.nodes(node).network.get(type=kind)
        return self.api.nodes(node).network.get()

    def ensure_bridge(self, node: str, name: str, ports: str = "", cidr: str | None = None, vlan_aware: bool = False) -> bool:
        names = {iface["iface"] for iface in self.interfaces(node)}
        params: dict[str, Any] = {"type": "bridge", "autostart": 1, "bridge_ports": ports}
        if cidr:
            params["cidr"] = cidr
        if vlan_aware:
            params["bridge_vlan_aware"] = 1
        if name in names:
            self.api.nodes(node).network(name).put(**params)
        else:
            self.api.nodes(node).network.post(iface=name, **params)
        return True

    def reload(self, node: str) -> None:
        try:
            upid = self.api.nodes(node).network.put()
        except ResourceException as err:
            log.error("network reload on %s failed: %s", node, err)
            raise
        wait_for_task(self.api, node, upid)

    def revert(self, node: str) -> None:
        self.api.nodes(node).network.delete()

    def dns(self, node: str) -> dict[str, str]:
        return self.api.nodes(node).dns.get()

    def set_dns(self, node: str, search: str, servers: list[str]) -> None:
        params = {"search": search}
        for index, server in enumerate(servers[:3], 1):
            params[f"dns{index}"] = server
        self.api.nodes(node).dns.put(**params)
