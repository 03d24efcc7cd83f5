"""Firewall as code: cluster aliases, IP sets, security groups and per-guest rules from a declared state."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from proxmoxer import ProxmoxAPI

from .config import Cluster
from .connection import find_guest, proxmox

log = logging.getLogger(__name__)

RULE_KEYS = ("type", "action", "source", "dest", "proto", "dport", "sport", "macro", "iface", "comment", "log")


@dataclasses.dataclass(frozen=True)
class Rule:
    type: str
    action: str
    source: str | None = None
    dest: str | None = None
    proto: str | None = None
    dport: str | None = None
    sport: str | None = None
    macro: str | None = None
    iface: str | None = None
    comment: str | None = None
    log: str | None = None
    enable: bool = True

    def params(self) -> dict[str, Any]:
        values = {key: getattr(self, key) for key in RULE_KEYS if getattr(self, key) is not None}
        values["enable"] = int(self.enable)
        return values

    @classmethod
    def from_api(cls, entry: dict[str, Any]) -> Rule:
        return cls(**{key: entry.get(key) for key in RULE_KEYS}, enable=bool(entry.get("enable", 1)))


class Firewall:
    def __init__(self, cluster: Cluster, dry_run: bool = False) -> None:
        self.api: ProxmoxAPI = proxmox(cluster)
        self.dry_run = dry_run
        self.actions: list[str] = []

    # -- cluster level --------------------------------------------------------------------------
    def options(self) -> dict[str, Any]:
        return self.api.cluster.firewall.options.get()

    def enable(self, policy_in: str = "DROP", policy_out: str = "ACCEPT") -> None:
        self._act("cluster firewall on", lambda: self.api.cluster.firewall.options.put(enable=1, policy_in=policy_in, policy_out=policy_out))

    def sync_aliases(self, aliases: dict[str, str]) -> None:
        current = {a["name"]: a["cidr"] for a in self.api.cluster.firewall.aliases.get()}
        for name, cidr in aliases.items():
            if name not in current:
                self._act(f"alias {name}", lambda: self.api.cluster.firewall.aliases.post(name=name, cidr=cidr))
            elif current[name] != cidr:
                self._act(f"alias {name} -> {cidr}", lambda: self.api.cluster.firewall.aliases(name).put(cidr=cidr))
        for name in set(current) - set(aliases):
            self._act(f"drop alias {name}", lambda: self.api.cluster.firewall.aliases(name).delete())

    def sync_ipset(self, name: str, members: list[str], comment: str = "") -> None:
        sets = {s["name"] for s in self.api.cluster.firewall.ipset.get()}
        if name not in sets:
            self._act(f"ipset {name}", lambda: self.api.cluster.firewall.ipset.post(name=name, comment=comment))
            current: set[str] = set()
        else:
            current = {entry["cidr"] for entry in self.api.cluster.firewall.ipset(name).get()}
        for cidr in sorted(set(members) - current):
            self._act(f"ipset {name} + {cidr}", lambda: self.api.cluster.firewall.ipset(name).post(cidr=cidr))
        for cidr in sorted(current - set(members)):
            self._act(f"ipset {name} - {cidr}", lambda: self.api.cluster.firewall.ipset(name)(cidr).delete())

    def sync_group(self, group: str, rules: list[Rule]) -> None:
        groups = {g["group"] for g in self.api.cluster.firewall.groups.get()}
        if group not in groups:
            self._act(f"group {group}", lambda: self.api.cluster.firewall.groups.post(group=group))
            current: list[Rule] = []
        else:
            current = [Rule.from_api(r) for r in self.api.cluster.firewall.groups(group).get()]
        if current == rules:
            return
        for position in reversed(range(len(current))):
            self._act(f"group {group} - rule {position}", lambda: self.api.cluster.firewall.groups(group)(position).delete())
        for rule in reversed(rules):
            self._act(f"group {group} + {rule}", lambda: self.api.cluster.firewall.groups(group).post(**rule.params()))

    # -- guests ------------------------------------------------------------------------------------
    def guest_rules(self, vmid: int) -> list[Rule]:
        node, kind = self._locate(vmid)
        return [Rule.from_api(r) for r in getattr(self.api.nodes(node), kind)(vmid).firewall.rules.get()]

    def sync_guest(self, vmid: int, rules: list[Rule], groups: list[str] = ()) -> None:  # type: ignore[assignment]
        node, kind = self._locate(vmid)
        guest = getattr(self.api.nodes(node), kind)(vmid)
        guest.firewall.options.put(enable=1, policy_in="DROP", log_level_in="nolog")
        current = [Rule.from_api(r) for r in guest.firewall.rules.get()]
        wanted = [Rule(type="group", action=g) for g in groups] + list(rules)
        if current == wanted:
            return
        for position in reversed(range(len(current))):
            self._act(f"{vmid} - rule {position}", lambda: guest.firewall.rules(position).delete())
        for rule in reversed(wanted):
            self._act(f"{vmid} + {rule}", lambda: guest.firewall.rules.post(**rule.params()))

    def refs(self, kind: str | None = None) -> list[str]:
        params = {"type": kind} if kind else {}
        return [ref["ref"] for ref in self.api.cluster.firewall.refs.get(**params)]

    def log(self, node: str, vmid: int, lines: int = 50) -> list[str]:
        node_name, kind = self._locate(vmid)
        entries = getattr(self.api.nodes(node_name), kind)(vmid).firewall.log.get(limit=lines)
        return [entry.get("t", "") for entry in entries]

    def _locate(self, vmid: int) -> tuple[str, str]:
        found = find_guest(self.api, vmid)
        if found is None:
            raise LookupError(f"guest {vmid} not found")
        return found

    def _act(self, description: str, action) -> None:  # type: ignore[no-untyped-def]
        self.actions.append(description)
        if not self.dry_run:
            action()
