"""Metrics for the monitoring system: RRD data of nodes and guests, pressure stall, storage growth."""

from __future__ import annotations

import logging
import statistics
from typing import Any

from proxmox_ve import ProxmoxVE

from .config import Cluster
from .connection import typed

log = logging.getLogger(__name__)

TIMEFRAMES = ("hour", "day", "week", "month", "year")


class Metrics:
    def __init__(self, cluster: Cluster) -> None:
        self.pve: ProxmoxVE = typed(cluster)

    def node_series(self, node: str, timeframe: str = "hour", cf: str = "AVERAGE") -> list[dict[str, Any]]:
        if timeframe not in TIMEFRAMES:
            raise ValueError(f"timeframe must be one of {', '.join(TIMEFRAMES)}")
        return self.pve.nodes(node).rrddata.get(timeframe=timeframe, cf=cf)

    def guest_series(self, node: str, vmid: int, timeframe: str = "hour") -> list[dict[str, Any]]:
        return self.pve.nodes(node).qemu(vmid).rrddata.get(timeframe=timeframe, cf="AVERAGE")

    def container_series(self, node: str, vmid: int, timeframe: str = "hour") -> list[dict[str, Any]]:
        return self.pve.nodes(node).lxc(vmid).rrddata.get(timeframe=timeframe, cf="MAX")

    def storage_series(self, node: str, storage: str, timeframe: str = "day") -> list[dict[str, Any]]:
        return self.pve.nodes(node).storage(storage).rrddata.get(timeframe=timeframe)

    def summary(self, node: str) -> dict[str, float]:
        series = [p for p in self.node_series(node) if p.get("cpu") is not None]
        if not series:
            return {}
        cpu = [float(p["cpu"]) for p in series]
        mem = [float(p.get("memused", 0)) / max(float(p.get("memtotal", 1)), 1) for p in series]
        return {
            "cpu_avg": statistics.fmean(cpu),
            "cpu_max": max(cpu),
            "mem_avg": statistics.fmean(mem),
            "mem_max": max(mem),
        }

    def busiest_guests(self, top: int = 10) -> list[tuple[str, float]]:
        resources = self.pve.cluster.resources.get(type="vm")
        running = [r for r in resources if r.get("status") == "running"]
        running.sort(key=lambda r: float(r.get("cpu", 0)), reverse=True)
        return [(f"{r.get('name')} ({r['vmid']})", float(r.get("cpu", 0))) for r in running[:top]]

    def growth(self, node: str, storage: str) -> float | None:
        """Bytes per day the storage grew over the last week (None without data)."""
        points = [p for p in self.storage_series(node, storage, "week") if p.get("used") is not None]
        if len(points) < 2:
            return None
        first, last = points[0], points[-1]
        days = (float(last["time"]) - float(first["time"])) / 86400
        return (float(last["used"]) - float(first["used"])) / days if days else None

    def pressure(self, node: str) -> dict[str, float]:
        status = self.pve.nodes(node).status.get()
        return {key: float(value) for key, value in status.items() if key.startswith("pressure")}

    def netstat(self, node: str) -> list[dict[str, Any]]:
        return self.pve.nodes(node).netstat.get()

    def export(self, nodes: list[str]) -> list[str]:
        lines = []
        for node in nodes:
            for key, value in self.summary(node).items():
                lines.append(f'pve_node_{key}{{node="{node}"}} {value:.4f}')
            for key, value in self.pressure(node).items():
                lines.append(f'pve_node_{key}{{node="{node}"}} {value:.4f}')
        return lines
