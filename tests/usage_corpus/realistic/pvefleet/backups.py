"""Backup audit: every managed guest has a recent backup, jobs cover what they should, storage is not full."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from proxmoxer import ProxmoxAPI

from .config import Cluster, Settings
from .connection import proxmox, wait_for_task

log = logging.getLogger(__name__)


@dataclasses.dataclass
class Finding:
    severity: str
    subject: str
    message: str

    def __str__(self) -> str:
        return f"[{self.severity}] {self.subject}: {self.message}"


@dataclasses.dataclass
class BackupFile:
    volid: str
    vmid: int
    ctime: dt.datetime
    size: int
    protected: bool
    notes: str


class BackupAudit:
    def __init__(self, settings: Settings, cluster: Cluster) -> None:
        self.settings = settings
        self.cluster = cluster
        self.api: ProxmoxAPI = proxmox(cluster)
        self.findings: list[Finding] = []

    def run(self) -> list[Finding]:
        guests = self._guests()
        jobs = self.api.cluster.backup.get()
        self._check_jobs(jobs, guests)
        self._check_not_covered(guests)
        files = self._backup_files()
        self._check_age(guests, files)
        self._check_storage()
        return self.findings

    def _guests(self) -> dict[int, dict[str, Any]]:
        guests = {}
        for resource in self.api.cluster.resources.get(type="vm"):
            if resource.get("template"):
                continue
            guests[int(resource["vmid"])] = resource
        return guests

    def _check_jobs(self, jobs: list[dict[str, Any]], guests: dict[int, dict[str, Any]]) -> None:
        for job in jobs:
            job_id = job.get("id", "?")
            if not job.get("enabled", 1):
                self.findings.append(Finding("warning", f"job {job_id}", "disabled"))
                continue
            detail = self.api.cluster.backup(job_id).get()
            if detail.get("storage") != self.cluster.backup_storage:
                self.findings.append(
                    Finding("info", f"job {job_id}", f"writes to {detail.get('storage')}, not {self.cluster.backup_storage}")
                )
            if detail.get("mode") == "stop":
                self.findings.append(Finding("warning", f"job {job_id}", "stop mode takes guests down every night"))
            for vmid in _vmids(detail.get("vmid", "")):
                if vmid not in guests:
                    self.findings.append(Finding("warning", f"job {job_id}", f"names guest {vmid}, which is gone"))

    def _check_not_covered(self, guests: dict[int, dict[str, Any]]) -> None:
        missing = self.api.cluster("backup-info")("not-backed-up").get()
        for entry in missing:
            vmid = int(entry["vmid"])
            name = guests.get(vmid, {}).get("name", "?")
            self.findings.append(Finding("error", f"{vmid} ({name})", "no backup job covers it"))

    def _backup_files(self) -> list[BackupFile]:
        files = []
        for node in self.api.nodes.get():
            if node.get("status") != "online":
                continue
            content = self.api.nodes(node["node"]).storage(self.cluster.backup_storage).content.get(content="backup")
            for item in content:
                files.append(
                    BackupFile(
                        volid=item["volid"],
                        vmid=int(item.get("vmid", 0)),
                        ctime=dt.datetime.fromtimestamp(int(item.get("ctime", 0)), tz=dt.UTC),
                        size=int(item.get("size", 0)),
                        protected=bool(item.get("protected")),
                        notes=item.get("notes", ""),
                    )
                )
            break  # shared storage: one node's view is everyone's
        return files

    def _check_age(self, guests: dict[int, dict[str, Any]], files: Iterable[BackupFile]) -> None:
        newest: dict[int, dt.datetime] = {}
        for backup in files:
            if backup.vmid not in newest or backup.ctime > newest[backup.vmid]:
                newest[backup.vmid] = backup.ctime
        limit = dt.datetime.now(tz=dt.UTC) - dt.timedelta(hours=self.settings.backup_max_age_hours)
        for vmid, guest in sorted(guests.items()):
            last = newest.get(vmid)
            subject = f"{vmid} ({guest.get('name', '?')})"
            if last is None:
                self.findings.append(Finding("error", subject, "never backed up"))
            elif last < limit:
                hours = (dt.datetime.now(tz=dt.UTC) - last).total_seconds() / 3600
                self.findings.append(Finding("error", subject, f"last backup {hours:.0f} h ago"))

    def _check_storage(self) -> None:
        node = self.cluster.default_node
        status = self.api.nodes(node).storage(self.cluster.backup_storage).status.get()
        total, used = int(status.get("total", 0)), int(status.get("used", 0))
        if total and used / total > 0.9:
            self.findings.append(
                Finding("warning", f"storage {self.cluster.backup_storage}", f"{used / total:.0%} full")
            )

    def backup_now(self, vmid: int, node: str, mode: str = "snapshot", notes: str = "") -> None:
        params: dict[str, Any] = {
            "vmid": vmid,
            "storage": self.cluster.backup_storage,
            "mode": mode,
            "compress": "zstd",
        }
        if notes:
            params["notes-template"] = notes
        upid = self.api.nodes(node).vzdump.post(**params)
        wait_for_task(self.api, node, upid, timeout=7200)

    def protect(self, node: str, volid: str, protected: bool = True) -> None:
        storage, _, volume = volid.partition(":")
        self.api.nodes(node).storage(storage).content(f"{storage}:{volume}").put(protected=int(protected))

    def prune(self, node: str, vmid: int, keep_daily: int, keep_weekly: int, dry_run: bool = True) -> list[str]:
        storage = self.api.nodes(node).storage(self.cluster.backup_storage)
        options = {"prune-backups": f"keep-daily={keep_daily},keep-weekly={keep_weekly}", "vmid": vmid, "type": "qemu"}
        if dry_run:
            plan = storage.prunebackups.get(**options)
            return [entry["volid"] for entry in plan if entry.get("mark") == "remove"]
        upid = storage.prunebackups.delete(**options)
        wait_for_task(self.api, node, upid)
        return []

    def restore(self, node: str, archive: str, vmid: int, storage: str | None = None, unique: bool = True) -> None:
        params = {"vmid": vmid, "archive": archive, "unique": int(unique)}
        if storage:
            params["storage"] = storage
        upid = self.api.nodes(node).qemu.post(**params)
        wait_for_task(self.api, node, upid, timeout=7200)

    def schedule(self, job_id: str, schedule: str, vmids: list[int], comment: str = "") -> None:
        body = {
            "schedule": schedule,
            "vmid": ",".join(str(v) for v in vmids),
            "storage": self.cluster.backup_storage,
            "mode": "snapshot",
            "enabled": 1,
            "comment": comment,
        }
        existing = {job["id"] for job in self.api.cluster.backup.get()}
        if job_id in existing:
            self.api.cluster.backup(job_id).put(**body)
        else:
            self.api.cluster.backup.post(id=job_id, **body)


def _vmids(text: str) -> list[int]:
    return [int(part) for part in str(text).split(",") if part.strip().isdigit()]


def report(findings: list[Finding]) -> str:
    if not findings:
        return "backups: all good"
    order = {"error": 0, "warning": 1, "info": 2}
    lines = [str(f) for f in sorted(findings, key=lambda f: (order.get(f.severity, 9), f.subject))]
    return "\n".join(lines)
