"""Storage housekeeping: ISO and template sync, orphaned disks, usage per storage, downloads from URLs."""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path
from typing import Any

from proxmoxer import ProxmoxAPI

from proxmox_ve import ProxmoxVE

from .config import Cluster
from .connection import node_names, proxmox, typed, wait_for_task

log = logging.getLogger(__name__)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class StorageTool:
    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self.api: ProxmoxAPI = proxmox(cluster)
        self.pve: ProxmoxVE = typed(cluster)

    def usage(self) -> list[dict[str, Any]]:
        rows = []
        for node in node_names(self.api):
            for storage in self.api.nodes(node).storage.get(enabled=1):
                total = int(storage.get("total", 0))
                used = int(storage.get("used", 0))
                rows.append(
                    {
                        "node": node,
                        "storage": storage["storage"],
                        "type": storage.get("type"),
                        "shared": bool(storage.get("shared")),
                        "used_pct": round(100 * used / total, 1) if total else 0.0,
                    }
                )
        return rows

    def isos(self, node: str | None = None) -> list[str]:
        node = node or self.cluster.default_node
        content = self.api.nodes(node).storage(self.cluster.iso_storage).content.get(content="iso")
        return sorted(item["volid"].split("/", 1)[-1] for item in content)

    def upload_iso(self, path: Path, node: str | None = None) -> None:
        node = node or self.cluster.default_node
        if path.name in self.isos(node):
            log.info("%s is already on %s", path.name, self.cluster.iso_storage)
            return
        upid = self.pve.upload(
            node,
            self.cluster.iso_storage,
            str(path),
            content="iso",
            checksum=sha256(path),
            checksum_algorithm="sha256",
        )
        self.pve.wait_task(upid)

    def download_url(self, url: str, filename: str, content: str = "iso", checksum: str | None = None) -> None:
        node = self.cluster.default_node
        params: dict[str, Any] = {"url": url, "filename": filename, "content": content}
        if checksum:
            params["checksum"] = checksum
            params["checksum-algorithm"] = "sha256"
        upid = self.api.nodes(node).storage(self.cluster.iso_storage)("download-url").post(**params)
        wait_for_task(self.api, node, upid, timeout=3600)

    def templates(self) -> list[str]:
        node = self.cluster.default_node
        available = self.api.nodes(node).aplinfo.get()
        return sorted(t["template"] for t in available if t.get("section") == "system")

    def fetch_template(self, template: str) -> None:
        node = self.cluster.default_node
        upid = self.api.nodes(node).aplinfo.post(storage=self.cluster.iso_storage, template=template)
        wait_for_task(self.api, node, upid)

    def orphaned_disks(self) -> list[str]:
        used: set[str] = set()
        for guest in self.api.cluster.resources.get(type="vm"):
            kind = guest["type"]
            config = self.api.nodes(guest["node"]).get(kind, guest["vmid"], "config")
            for key, value in config.items():
                if isinstance(value, str) and ":" in value and not key.startswith(("net", "ipconfig")):
                    used.add(value.split(",", 1)[0])
        orphans = []
        for row in self.usage():
            if row["type"] not in ("lvmthin", "zfspool", "rbd", "dir"):
                continue
            items = self.api.nodes(row["node"]).storage(row["storage"]).content.get(content="images")
            for item in items:
                if item["volid"] not in used:
                    orphans.append(item["volid"])
        return sorted(set(orphans))

    def remove_volume(self, node: str, volid: str) -> None:
        storage = volid.split(":", 1)[0]
        upid = self.api.nodes(node).storage(storage).content(volid).delete(delay=5)
        if upid:
            wait_for_task(self.api, node, upid)

    def add_nfs(self, storage: str, server: str, export: str, content: str = "images,iso,backup") -> None:
        self.api.storage.post(storage=storage, type="nfs", server=server, export=export, content=content)

    def remove_storage(self, storage: str) -> None:
        self.api.storage(storage).delete()

    def scan_nfs(self, node: str, server: str) -> list[str]:
        return [entry["path"] for entry in self.api.nodes(node).scan.nfs.get(server=server)]


def local_isos(folder: str) -> list[Path]:
    return sorted(Path(folder).glob("*.iso")) if os.path.isdir(folder) else []
