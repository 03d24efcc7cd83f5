"""Dynamic inventory for configuration management: hosts from guests, groups from tags, pools and nodes.

Output follows the common JSON inventory shape (``{"group": {"hosts": [...]}, "_meta": {"hostvars": {...}}}``).
"""

from __future__ import annotations

import ipaddress
import json
import logging
import re
from collections import defaultdict
from typing import Any

from proxmoxer.core import ResourceException

from .config import Cluster, Settings
from .connection import proxmox

log = logging.getLogger(__name__)

_SAFE_GROUP = re.compile(r"[^A-Za-z0-9_]")


def group_name(text: str) -> str:
    name = _SAFE_GROUP.sub("_", text.strip().lower())
    return name if not name[:1].isdigit() else f"_{name}"


class Inventory:
    def __init__(self, settings: Settings, cluster: Cluster) -> None:
        self.settings = settings
        self.cluster = cluster
        self.api = proxmox(cluster)
        self.groups: dict[str, set[str]] = defaultdict(set)
        self.hostvars: dict[str, dict[str, Any]] = {}

    # -- collection -------------------------------------------------------------------------
    def collect(self) -> dict[str, Any]:
        nodes = self.api.nodes.get()
        for node in nodes:
            name = node["node"]
            self.groups["proxmox_nodes"].add(name)
            self.hostvars.setdefault(name, {})["proxmox_status"] = node.get("status")
            if node.get("status") != "online":
                continue
            self._guests(name, "qemu")
            self._guests(name, "lxc")
        self._pools()
        return self.render()

    def _guests(self, node: str, kind: str) -> None:
        guests = getattr(self.api.nodes(node), kind).get()
        for guest in guests:
            vmid = int(guest["vmid"])
            if guest.get("template"):
                self.groups["templates"].add(guest.get("name", str(vmid)))
                continue
            config = self._config(node, kind, vmid)
            tags = [t for t in re.split(r"[;, ]", config.get("tags", "")) if t]
            if self.settings.inventory_tags and not set(tags) & set(self.settings.inventory_tags):
                continue
            host = config.get("name") or config.get("hostname") or f"guest-{vmid}"
            variables: dict[str, Any] = {
                "proxmox_vmid": vmid,
                "proxmox_node": node,
                "proxmox_type": kind,
                "proxmox_status": guest.get("status"),
                "proxmox_tags": tags,
                "proxmox_cores": config.get("cores"),
                "proxmox_memory": config.get("memory"),
            }
            address = self._address(node, kind, vmid, config)
            if address:
                variables["ansible_host"] = address
            self.hostvars[host] = variables
            self.groups[f"{kind}_guests"].add(host)
            self.groups[f"node_{group_name(node)}"].add(host)
            for tag in tags:
                self.groups[f"tag_{group_name(tag)}"].add(host)
            if guest.get("status") == "running":
                self.groups["running"].add(host)

    def _config(self, node: str, kind: str, vmid: int) -> dict[str, Any]:
        if kind == "qemu":
            return self.api.nodes(node).qemu(vmid).config.get(current=1)
        return self.api.nodes(node).lxc(vmid).config.get()

    def _address(self, node: str, kind: str, vmid: int, config: dict[str, Any]) -> str | None:
        if kind == "lxc":
            return self._lxc_address(node, vmid, config)
        if not str(config.get("agent", "0")).startswith(("1", "enabled=1")):
            return None
        try:
            answer = self.api.nodes(node).qemu(vmid).agent("network-get-interfaces").get()
        except ResourceException as err:
            log.debug("no guest agent answer from %s: %s", vmid, err)
            return None
        for interface in answer.get("result", []):
            if interface.get("name") == "lo":
                continue
            for item in interface.get("ip-addresses", []):
                if item.get("ip-address-type") != "ipv4":
                    continue
                address = ipaddress.ip_address(item["ip-address"])
                if not address.is_loopback and not address.is_link_local:
                    return str(address)
        return None

    def _lxc_address(self, node: str, vmid: int, config: dict[str, Any]) -> str | None:
        for key in sorted(k for k in config if k.startswith("net")):
            parts = dict(p.split("=", 1) for p in config[key].split(",") if "=" in p)
            ip = parts.get("ip", "")
            if ip and ip not in ("dhcp", "manual"):
                return ip.split("/")[0]
        try:
            interfaces = self.api.nodes(node).lxc(vmid).interfaces.get()
        except ResourceException:
            return None
        for interface in interfaces:
            inet = interface.get("inet")
            if interface.get("name") != "lo" and inet:
                return inet.split("/")[0]
        return None

    def _pools(self) -> None:
        for pool in self.api.pools.get():
            members = self.api.pools(pool["poolid"]).get().get("members", [])
            group = f"pool_{group_name(pool['poolid'])}"
            for member in members:
                host = member.get("name")
                if host in self.hostvars:
                    self.groups[group].add(host)

    # -- output ---------------------------------------------------------------------------------
    def render(self) -> dict[str, Any]:
        data: dict[str, Any] = {group: {"hosts": sorted(hosts)} for group, hosts in sorted(self.groups.items())}
        data["all"] = {"children": sorted(self.groups)}
        data["_meta"] = {"hostvars": self.hostvars}
        return data


def host_details(settings: Settings, cluster: Cluster, host: str) -> dict[str, Any]:
    inventory = Inventory(settings, cluster)
    inventory.collect()
    return inventory.hostvars.get(host, {})


def dump(settings: Settings, cluster: Cluster, pretty: bool = True) -> str:
    data = Inventory(settings, cluster).collect()
    return json.dumps(data, indent=2 if pretty else None, sort_keys=True)
