"""A terminal dashboard: cluster resources, running tasks and recent failures, refreshed every few seconds.

Uses the generated client (typed results) and reads only; safe to run with a PVEAuditor token.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
import sys
import time
from collections import Counter
from typing import Any

from proxmox_ve import ProxmoxError, ProxmoxVE

from .reporting import human_age, human_bytes, table

REFRESH_SECONDS = float(os.environ.get("PVEFLEET_REFRESH", "5"))


@dataclasses.dataclass
class Snapshot:
    taken: dt.datetime
    nodes: list[dict[str, Any]]
    guests: list[dict[str, Any]]
    storages: list[dict[str, Any]]
    running_tasks: list[dict[str, Any]]
    failed_tasks: list[dict[str, Any]]
    version: str


class Dashboard:
    def __init__(self, pve: ProxmoxVE) -> None:
        self.pve = pve
        self.previous: Snapshot | None = None

    def collect(self) -> Snapshot:
        resources = self.pve.cluster.resources.get()
        nodes = [r for r in resources if r.get("type") == "node"]
        guests = [r for r in resources if r.get("type") in ("qemu", "lxc")]
        storages = [r for r in resources if r.get("type") == "storage"]
        running = self.pve.cluster.tasks.get()
        failed = []
        for node in nodes:
            if node.get("status") != "online":
                continue
            failed.extend(self.pve.nodes(node["node"]).tasks.get(errors=True, limit=5, since=int(time.time()) - 86400))
        version = self.pve.version.get().get("version", "?")
        return Snapshot(dt.datetime.now(tz=dt.UTC), nodes, guests, storages, running, failed, version)

    def render(self, snap: Snapshot) -> str:
        width = shutil.get_terminal_size((120, 40)).columns
        lines = [f"Proxmox VE {snap.version} - {snap.taken:%H:%M:%S} UTC".center(width, "=")]
        node_rows = [
            {
                "node": n["node"],
                "status": n.get("status"),
                "cpu": f"{float(n.get('cpu', 0)):.0%}",
                "memory": f"{human_bytes(n.get('mem', 0))} / {human_bytes(n.get('maxmem', 0))}",
                "uptime": human_age(float(n.get("uptime", 0))),
            }
            for n in sorted(snap.nodes, key=lambda n: n["node"])
        ]
        lines.append(table(node_rows, ("node", "status", "cpu", "memory", "uptime")))
        states = Counter(g.get("status", "?") for g in snap.guests)
        lines.append("guests: " + ", ".join(f"{count} {state}" for state, count in sorted(states.items())))
        full = [s for s in snap.storages if s.get("maxdisk") and s.get("disk", 0) / s["maxdisk"] > 0.85]
        if full:
            lines.append("storage over 85%: " + ", ".join(f"{s['storage']}@{s['node']}" for s in full))
        active = [t for t in snap.running_tasks if not t.get("endtime")]
        if active:
            lines.append(f"running tasks ({len(active)}):")
            lines.extend(f"  {t.get('type')} {t.get('id', '')} on {t.get('node')} by {t.get('user')}" for t in active[:10])
        if snap.failed_tasks:
            lines.append(f"failed in the last 24 h ({len(snap.failed_tasks)}):")
            lines.extend(f"  {t.get('type')} {t.get('id', '')}: {t.get('status')}" for t in snap.failed_tasks[:10])
        return "\n".join(lines)

    def guest_detail(self, node: str, vmid: int, kind: str = "qemu") -> str:
        if kind == "qemu":
            status = self.pve.nodes(node).qemu(vmid).status.current.get()
            config = self.pve.nodes(node).qemu(vmid).config.get()
        else:
            status = self.pve.nodes(node).lxc(vmid).status.current.get()
            config = self.pve.nodes(node).lxc(vmid).config.get()
        rows = [{"key": key, "value": str(value)[:80]} for key, value in sorted(config.items())]
        head = f"{kind} {vmid} on {node}: {status.get('status')} (uptime {human_age(float(status.get('uptime', 0)))})"
        return head + "\n" + table(rows, ("key", "value"))

    def task_log(self, node: str, upid: str, lines: int = 40) -> str:
        entries = self.pve.nodes(node).tasks(upid).log.get(limit=lines)
        return "\n".join(entry.get("t", "") for entry in entries)

    def loop(self, iterations: int | None = None) -> None:
        count = 0
        while iterations is None or count < iterations:
            try:
                snap = self.collect()
            except ProxmoxError as err:
                sys.stdout.write(f"\x1b[2J\x1b[Hcannot reach the cluster: {err}\n")
            else:
                sys.stdout.write("\x1b[2J\x1b[H" + self.render(snap) + "\n")
                self.previous = snap
            sys.stdout.flush()
            count += 1
            time.sleep(REFRESH_SECONDS)


def main() -> int:
    pve = ProxmoxVE.from_env()
    try:
        Dashboard(pve).loop()
    except KeyboardInterrupt:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
