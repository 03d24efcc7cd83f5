"""The simulated cluster: nodes, guests, storage, network, tasks, users; seeded and deterministic."""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..model import Schema
from .errors import ApiError
from .tasktable import TaskTable
from .validate import ParameterIndex

_MAC = re.compile(r"[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}")


@dataclass
class Snapshot:
    name: str
    config: dict[str, Any]  # the guest's config when it was taken, with snaptime, description, parent, vmstate
    running: bool = False  # the guest ran and its RAM was saved (qemu vmstate)


@dataclass
class Guest:
    vmid: int
    kind: str  # "qemu" or "lxc"
    node: str
    config: dict[str, Any]
    running: bool = False
    started_at: float = 0.0
    pid: int = 0
    snapshots: dict[str, Snapshot] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return "VM" if self.kind == "qemu" else "CT"

    @property
    def is_template(self) -> bool:
        return str(self.config.get("template", 0)) == "1"

    def digest(self) -> str:
        """SHA-1 of the config file: the config and its snapshot sections, as PVE hashes the file."""
        text = repr(
            (sorted(self.config.items()), sorted((n, sorted(s.config.items())) for n, s in self.snapshots.items()))
        )
        return hashlib.sha1(text.encode()).hexdigest()

    def check_lock(self, skiplock: bool = False) -> None:
        """PVE's check_lock: a locked guest refuses changes (``VM is locked (snapshot)``) unless skiplock."""
        lock = self.config.get("lock")
        if lock and not skiplock:
            raise ApiError(500, f"{self.label} is locked ({lock})")


@dataclass
class Pool:
    comment: str | None = None
    vms: set[int] = field(default_factory=set)
    storage: set[str] = field(default_factory=set)


@dataclass
class Volume:
    volid: str
    content: str
    format: str
    size: int
    ctime: int
    vmid: int | None = None
    notes: str | None = None
    base: str | None = None  # the template volume a linked clone is based on


@dataclass
class Storage:
    storage: str
    type: str
    content: list[str]
    path: str | None
    shared: int = 0
    total: int = 100 * 2**30
    volumes: dict[str, Volume] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)  # the rest of its storage.cfg section

    def used(self) -> int:
        return sum(v.size for v in self.volumes.values())


_ROLES = {
    "Administrator": "Sys.Audit,Sys.Modify,Sys.PowerMgmt,Sys.Console,Sys.Syslog,VM.Allocate,VM.Audit,VM.Config.CPU,"
    "VM.Config.Disk,VM.Config.Memory,VM.Config.Network,VM.Config.Options,VM.Console,VM.PowerMgmt,Datastore.Allocate,"
    "Datastore.AllocateSpace,Datastore.Audit,User.Modify,Permissions.Modify,Group.Allocate,Realm.Allocate",
    "NoAccess": "",
    "PVEAdmin": "Sys.Audit,Sys.Console,VM.Allocate,VM.Audit,VM.Config.CPU,VM.Config.Disk,VM.Config.Memory,"
    "VM.Config.Network,VM.Config.Options,VM.Console,VM.PowerMgmt,Datastore.Allocate,Datastore.AllocateSpace,"
    "Datastore.Audit",
    "PVEAuditor": "Datastore.Audit,Sys.Audit,VM.Audit",
    "PVEDatastoreUser": "Datastore.AllocateSpace,Datastore.Audit",
    "PVEVMAdmin": "VM.Allocate,VM.Audit,VM.Config.CPU,VM.Config.Disk,VM.Config.Memory,VM.Config.Network,"
    "VM.Config.Options,VM.Console,VM.PowerMgmt",
    "PVEVMUser": "VM.Audit,VM.Console,VM.PowerMgmt",
}


class State:
    """Everything the stateful handlers read and change, behind one lock."""

    def __init__(
        self,
        *,
        nodes: tuple[str, ...],
        users: list[str],
        task_duration: float,
        seed: int,
        release: str | None,
        task_polls: int | None = None,
    ) -> None:
        self.lock = threading.RLock()
        # where passwords set through the API go (the server's authenticator); a no-op alone
        self.set_password: Callable[[str, str], None] = lambda userid, password: None
        self.release = release or "9.1"
        self.seed = seed
        self.nodes = list(nodes)
        self.guests: dict[int, Guest] = {}
        self.tasks = TaskTable(task_duration, task_polls)
        # the config keys of each guest kind (from the spec's create call), for property-string formats
        self.config_indexes: dict[str, ParameterIndex] = {}
        self.mac_prefix: str | None = "BC:24:11"  # the release's default (None: random, before 8.x)
        self._macs = 0
        self.pools: dict[str, Pool] = {}
        self.nested_pools = True  # pool ids like parent/child (PVE 8.1+)
        self.storages: dict[str, Storage] = {
            "local": Storage("local", "dir", ["backup", "iso", "vztmpl", "snippets"], "/var/lib/vz"),
            "local-lvm": Storage(
                "local-lvm", "lvmthin", ["images", "rootdir"], None, options={"thinpool": "data", "vgname": "pve"}
            ),
        }
        iso = Volume("local:iso/debian-12.7.0-amd64-netinst.iso", "iso", "iso", 661_651_456, 1_726_000_000)
        tmpl = Volume(
            "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst", "vztmpl", "tzst", 126_735_275, 1_726_000_000
        )
        self.storages["local"].volumes = {iso.volid: iso, tmpl.volid: tmpl}
        self.networks: dict[str, dict[str, dict[str, Any]]] = {node: _seed_network(i) for i, node in enumerate(nodes)}
        self.pending_network: dict[str, dict[str, dict[str, Any]]] = {}
        self.users: dict[str, dict[str, Any]] = {
            "root@pam": {
                "userid": "root@pam",
                "enable": 1,
                "expire": 0,
                "firstname": "",
                "lastname": "",
                "email": "",
                "comment": "Built-in Superuser",
                "groups": [],
            },
        }
        for userid in users:
            self.users.setdefault(userid, {"userid": userid, "enable": 1, "expire": 0, "comment": "", "groups": []})
        self.groups: dict[str, dict[str, Any]] = {}
        self.roles: dict[str, dict[str, Any]] = {
            name: {"roleid": name, "privs": privs, "special": 1} for name, privs in _ROLES.items()
        }
        self.domains: dict[str, dict[str, Any]] = {
            "pam": {"realm": "pam", "type": "pam", "comment": "Linux PAM standard authentication"},
            "pve": {"realm": "pve", "type": "pve", "comment": "Proxmox VE authentication server"},
        }

    def check_node(self, node: str) -> None:
        if node not in self.nodes:
            # what pveproxy answers when it cannot proxy to a node name that is not in the cluster
            raise ApiError(
                500,
                f"hostname lookup '{node}' failed - failed to get address info for: {node}: Name or service not known",
            )

    def guest(self, node: str, vmid: int, kind: str) -> Guest:
        self.check_node(node)
        guest = self.guests.get(vmid)
        if guest is None or guest.kind != kind or guest.node != node:
            directory = "qemu-server" if kind == "qemu" else "lxc"
            raise ApiError(500, f"Configuration file 'nodes/{node}/{directory}/{vmid}.conf' does not exist")
        return guest

    def config_schema(self, kind: str, key: str) -> Schema | None:
        index = self.config_indexes.get(kind)
        return index.schema_for(key) if index is not None else None

    def new_mac(self) -> str:
        """A MAC no guest of the mock has: the prefix, then deterministic bytes (PVE: random_ether_addr)."""
        taken = {m.upper() for g in self.guests.values() for m in _MAC.findall(repr(g.config))}
        while True:
            self._macs += 1
            digest = hashlib.sha256(f"{self.seed}:mac:{self._macs}".encode()).digest()
            first = (digest[0] & 0xFE) | 0x02  # unicast, locally administered
            octets = [f"{b:02X}" for b in (first, *digest[1:6])]
            mac = ":".join(octets)
            if self.mac_prefix:
                mac = self.mac_prefix.upper() + mac[len(self.mac_prefix) :]
            if mac not in taken:
                return mac

    def pool_of(self, vmid: int) -> str | None:
        return next((name for name, pool in self.pools.items() if vmid in pool.vms), None)

    def next_vmid(self) -> int:
        vmid = 100
        while vmid in self.guests:
            vmid += 1
        return vmid


def _seed_network(index: int) -> dict[str, dict[str, Any]]:
    host = 10 + index
    # no "lo": PVE's network index leaves the loopback device out
    return {
        "eno1": {
            "iface": "eno1",
            "type": "eth",
            "method": "manual",
            "method6": "manual",
            "families": ["inet"],
            "exists": 1,
            "active": 1,
            "priority": 4,
        },
        "vmbr0": {
            "iface": "vmbr0",
            "type": "bridge",
            "method": "static",
            "method6": "manual",
            "families": ["inet"],
            "autostart": 1,
            "active": 1,
            "bridge_ports": "eno1",
            "bridge_stp": "off",
            "bridge_fd": "0",
            "address": f"192.0.2.{host}",
            "netmask": "24",
            "cidr": f"192.0.2.{host}/24",
            "gateway": "192.0.2.1",
            "priority": 5,
        },
    }
