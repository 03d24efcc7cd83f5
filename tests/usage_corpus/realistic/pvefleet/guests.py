"""Guest modules on top of ProxmoxModuleBase: the client is ``self.proxmox_api`` from module_utils.py."""

from __future__ import annotations

import time
from typing import Any

from proxmoxer.core import ResourceException

from .module_utils import ModuleFailure, ProxmoxModuleBase

VM_OPTIONS = ("cores", "sockets", "memory", "balloon", "cpu", "machine", "bios", "ostype", "onboot", "tags", "description")


class KvmModule(ProxmoxModuleBase):
    def run(self) -> dict[str, Any]:
        state = self.params.get("state", "present")
        name = self.params["name"]
        vmid = self.params.get("vmid") or self.get_vmid(name, ignore_missing=True)
        node = self.params["node"]
        if state == "present":
            return self.present(node, vmid, name)
        if state == "absent":
            return self.absent(vmid)
        if state in ("started", "stopped", "restarted"):
            return self.power(vmid, state)
        raise ModuleFailure(f"unsupported state {state}")

    def present(self, node: str, vmid: int | None, name: str) -> dict[str, Any]:
        options = {key: self.params[key] for key in VM_OPTIONS if self.params.get(key) is not None}
        for key in ("net", "scsi", "virtio", "ide", "sata", "ipconfig"):
            for index, value in (self.params.get(key) or {}).items():
                options[f"{key}{index}"] = value
        if vmid is None:
            vmid = int(self.proxmox_api.cluster.nextid.get())
            taskid = self.proxmox_api.nodes(node).qemu.create(vmid=vmid, name=name, **options)
            self._wait(node, taskid)
            self.changed = True
            return {"vmid": vmid, "changed": True}
        current = self.proxmox_api.nodes(node).qemu(vmid).config.get()
        update = {k: v for k, v in options.items() if str(current.get(k)) != str(v)}
        if update:
            self.proxmox_api.nodes(node).qemu(vmid).config.set(**update)
            self.changed = True
        return {"vmid": vmid, "changed": self.changed}

    def absent(self, vmid: int | None) -> dict[str, Any]:
        if vmid is None:
            return {"changed": False}
        vm = self.get_vm(vmid)
        assert vm is not None
        node = vm["node"]
        if vm.get("status") == "running":
            self._wait(node, self.proxmox_api.nodes(node).qemu(vmid).status.stop.post(timeout=60))
        self._wait(node, self.proxmox_api.nodes(node).qemu.delete(vmid, purge=1))
        return {"vmid": vmid, "changed": True}

    def power(self, vmid: int | None, state: str) -> dict[str, Any]:
        if vmid is None:
            raise ModuleFailure("the guest does not exist")
        vm = self.get_vm(vmid)
        assert vm is not None
        node, status = vm["node"], vm.get("status")
        action = {"started": "start", "stopped": "shutdown", "restarted": "reboot"}[state]
        if (state == "started" and status == "running") or (state == "stopped" and status == "stopped"):
            return {"vmid": vmid, "changed": False}
        taskid = getattr(self.proxmox_api.nodes(node).qemu(vmid).status, action).post()
        self._wait(node, taskid)
        return {"vmid": vmid, "changed": True}

    def _wait(self, node: str, taskid: str, timeout: int = 300) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.api_task_ok(node, taskid):
                return
            time.sleep(1)
        raise ModuleFailure(f"task {taskid} did not finish in {timeout} s")


class LxcModule(ProxmoxModuleBase):
    def run(self) -> dict[str, Any]:
        node = self.params["node"]
        hostname = self.params["hostname"]
        vmid = self.params.get("vmid") or self.get_vmid(hostname, ignore_missing=True)
        if self.params.get("state", "present") == "absent":
            if vmid is not None:
                self.proxmox_api.nodes(node).lxc(vmid).delete(force=1, purge=1)
                return {"changed": True}
            return {"changed": False}
        if vmid is not None:
            return {"vmid": vmid, "changed": False}
        vmid = int(self.proxmox_api.cluster.nextid.get())
        kwargs: dict[str, Any] = {
            "vmid": vmid,
            "hostname": hostname,
            "ostemplate": self.params["ostemplate"],
            "memory": self.params.get("memory", 512),
            "swap": self.params.get("swap", 0),
            "cores": self.params.get("cores", 1),
        }
        if self.params.get("netif"):
            kwargs.update(self.params["netif"])
        if self.params.get("features"):
            kwargs["features"] = ",".join(self.params["features"])
        self.proxmox_api.nodes(node).lxc.create(**kwargs)
        return {"vmid": vmid, "changed": True}


class SnapshotModule(ProxmoxModuleBase):
    def run(self) -> dict[str, Any]:
        vmid = self.params["vmid"]
        vm = self.get_vm(vmid)
        assert vm is not None
        node, kind = vm["node"], vm["type"]
        snapshots = getattr(self.proxmox_api.nodes(node), kind)(vmid).snapshot
        names = [s["name"] for s in snapshots.get()]
        snapname = self.params["snapname"]
        if self.params.get("state", "present") == "present":
            if snapname in names:
                return {"changed": False}
            snapshots.post(snapname=snapname, description=self.params.get("description", ""))
            return {"changed": True}
        if snapname not in names:
            return {"changed": False}
        try:
            snapshots(snapname).delete(force=int(self.params.get("force", False)))
        except ResourceException as err:
            raise ModuleFailure(f"cannot remove snapshot {snapname}: {err}") from err
        return {"changed": True}
