"""``pvefleet COMMAND``: the entry point of every tool in the package."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from . import __version__
from .access import Access, Grant
from .backups import BackupAudit, report
from .cluster_ops import ClusterOps
from .config import ConfigError, load
from .connection import node_names, proxmox
from .firewall import Firewall, Rule
from .health import HealthCheck, PveSession, summary
from .inventory import Inventory, host_details
from .metrics import Metrics
from .network import NodeNetwork, Sdn, Vnet, Zone
from .provision import CtSpec, Provisioner, VmSpec
from .reporting import Report, exit_code, table
from .storage import StorageTool

log = logging.getLogger("pvefleet")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pvefleet", description=__doc__)
    parser.add_argument("--version", action="version", version=f"pvefleet {__version__}")
    parser.add_argument("--config", help="settings file (default: ~/.config/pvefleet/pvefleet.toml)")
    parser.add_argument("--cluster", help="which configured cluster")
    parser.add_argument("--dry-run", action="store_true", help="say what would change, change nothing")
    parser.add_argument("-v", "--verbose", action="count", default=0)
    sub = parser.add_subparsers(dest="command", required=True)

    inventory = sub.add_parser("inventory", help="dynamic inventory (JSON)")
    inventory.add_argument("--list", action="store_true")
    inventory.add_argument("--host")

    vm = sub.add_parser("vm", help="create a VM from a template")
    vm.add_argument("name")
    vm.add_argument("--template", type=int, required=True)
    vm.add_argument("--cores", type=int, default=2)
    vm.add_argument("--memory", type=int, default=2048)
    vm.add_argument("--disk", type=int, default=32)
    vm.add_argument("--ip")
    vm.add_argument("--gateway")
    vm.add_argument("--vlan", type=int)
    vm.add_argument("--tag", action="append", default=[])
    vm.add_argument("--no-start", action="store_true")

    ct = sub.add_parser("ct", help="create a container")
    ct.add_argument("hostname")
    ct.add_argument("--ostemplate", required=True)
    ct.add_argument("--cores", type=int, default=1)
    ct.add_argument("--memory", type=int, default=512)

    destroy = sub.add_parser("destroy", help="remove a guest")
    destroy.add_argument("vmid", type=int)
    destroy.add_argument("--force", action="store_true")

    snap = sub.add_parser("snapshot", help="snapshot, roll back or prune")
    snap.add_argument("vmid", type=int)
    snap.add_argument("--name")
    snap.add_argument("--rollback", action="store_true")
    snap.add_argument("--keep", type=int)

    sub.add_parser("backups", help="audit backups")
    sub.add_parser("health", help="cluster health (exit 2 on failures)")

    evacuate = sub.add_parser("evacuate", help="move every guest off a node")
    evacuate.add_argument("node")
    evacuate.add_argument("--to", action="append")

    sdn = sub.add_parser("sdn", help="apply SDN state from a JSON file")
    sdn.add_argument("state", type=Path)

    fw = sub.add_parser("firewall", help="apply firewall state from a JSON file")
    fw.add_argument("state", type=Path)

    users = sub.add_parser("users", help="users and tokens")
    users.add_argument("--grant", nargs=3, metavar=("PATH", "ROLE", "USER"))
    users.add_argument("--rotate-token", nargs=2, metavar=("USER", "TOKEN"))

    storage = sub.add_parser("storage", help="storage usage and housekeeping")
    storage.add_argument("--orphans", action="store_true")
    storage.add_argument("--upload", type=Path)

    sub.add_parser("metrics", help="metrics in the text exposition format")
    sub.add_parser("nodes", help="list online nodes")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING - 10 * min(args.verbose, 2), format="%(levelname)s %(message)s")
    try:
        settings = load(args.config)
        cluster = settings.cluster(args.cluster)
    except ConfigError as err:
        print(f"pvefleet: {err}", file=sys.stderr)
        return 2
    dry_run = args.dry_run or settings.dry_run

    if args.command == "inventory":
        if args.host:
            print(json.dumps(host_details(settings, cluster, args.host)))
        else:
            print(json.dumps(Inventory(settings, cluster).collect(), indent=2, sort_keys=True))
        return 0
    if args.command == "vm":
        spec = VmSpec(
            name=args.name,
            template=args.template,
            cores=args.cores,
            memory_mb=args.memory,
            disk_gb=args.disk,
            ip=args.ip,
            gateway=args.gateway,
            vlan=args.vlan,
            tags=tuple(args.tag),
            start=not args.no_start,
        )
        print(Provisioner(cluster, dry_run).vm(spec))
        return 0
    if args.command == "ct":
        spec_ct = CtSpec(hostname=args.hostname, ostemplate=args.ostemplate, cores=args.cores, memory_mb=args.memory)
        print(Provisioner(cluster, dry_run).container(spec_ct))
        return 0
    if args.command == "destroy":
        Provisioner(cluster, dry_run).destroy(args.vmid, force=args.force)
        return 0
    if args.command == "snapshot":
        tool = Provisioner(cluster, dry_run)
        if args.keep is not None:
            print("\n".join(tool.prune_snapshots(args.vmid, args.keep)))
        elif args.rollback:
            tool.rollback(args.vmid, args.name)
        else:
            tool.snapshot(args.vmid, args.name or "pvefleet")
        return 0
    if args.command == "backups":
        findings = BackupAudit(settings, cluster).run()
        print(report(findings))
        return exit_code(findings)
    if args.command == "health":
        session = PveSession(cluster.host, cluster.port, cluster.verify_ssl)
        session.login(cluster.user, cluster.password or "")
        code, text = summary(HealthCheck(session, settings.health_warn_load).run())
        print(text)
        return code
    if args.command == "evacuate":
        moved = ClusterOps(cluster, dry_run).evacuate(args.node, args.to)
        print(f"moved {len(moved)} guest(s)")
        return 0
    if args.command == "sdn":
        state = json.loads(args.state.read_text())
        tool = Sdn(cluster, dry_run)
        tool.apply_zones([Zone(**z) for z in state.get("zones", [])])
        tool.apply_vnets([Vnet(**v) for v in state.get("vnets", [])])
        tool.commit()
        return 0
    if args.command == "firewall":
        state = json.loads(args.state.read_text())
        fw = Firewall(cluster, dry_run)
        fw.sync_aliases(state.get("aliases", {}))
        for name, members in state.get("ipsets", {}).items():
            fw.sync_ipset(name, members)
        for group, rules in state.get("groups", {}).items():
            fw.sync_group(group, [Rule(**r) for r in rules])
        print("\n".join(fw.actions) or "nothing to do")
        return 0
    if args.command == "users":
        access = Access(cluster)
        if args.grant:
            path, role, user = args.grant
            access.grant(Grant(path=path, role=role, user=user))
        if args.rotate_token:
            print(access.rotate_token(*args.rotate_token))
        if not args.grant and not args.rotate_token:
            print("\n".join(access.users()))
        return 0
    if args.command == "storage":
        tool_storage = StorageTool(cluster)
        if args.upload:
            tool_storage.upload_iso(args.upload)
        if args.orphans:
            print("\n".join(tool_storage.orphaned_disks()) or "no orphaned disks")
        else:
            print(table(tool_storage.usage(), ("node", "storage", "type", "shared", "used_pct")))
        return 0
    if args.command == "metrics":
        metrics = Metrics(cluster)
        print("\n".join(metrics.export(node_names(proxmox(cluster)))))
        return 0
    if args.command == "nodes":
        page = Report("nodes")
        page.add("online", node_names(proxmox(cluster)))
        print(page.render())
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
