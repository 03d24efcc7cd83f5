"""A base class in the style of configuration-management modules: the client lives on ``self.proxmox_api``
and subclasses in other modules (guests.py) use it."""

from __future__ import annotations

import logging
from typing import Any

from proxmoxer import ProxmoxAPI
from proxmoxer.core import ResourceException

log = logging.getLogger(__name__)

COMMON_ARGUMENTS = {
    "api_host": {"type": "str", "required": True},
    "api_port": {"type": "int", "default": 8006},
    "api_user": {"type": "str", "required": True},
    "api_password": {"type": "str", "no_log": True},
    "api_token_id": {"type": "str"},
    "api_token_secret": {"type": "str", "no_log": True},
    "validate_certs": {"type": "bool", "default": True},
}


class ModuleFailure(Exception):
    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.details = details


class ProxmoxModuleBase:
    def __init__(self, params: dict[str, Any]) -> None:
        self.params = params
        self.changed = False
        self.proxmox_api = self._connect()

    def _connect(self) -> ProxmoxAPI:
        options: dict[str, Any] = {
            "user": self.params["api_user"],
            "port": self.params.get("api_port", 8006),
            "verify_ssl": self.params.get("validate_certs", True),
        }
        if self.params.get("api_token_id"):
            options["token_name"] = self.params["api_token_id"]
            options["token_value"] = self.params["api_token_secret"]
        else:
            options["password"] = self.params["api_password"]
        try:
            return ProxmoxAPI(self.params["api_host"], **options)
        except Exception as err:  # noqa: BLE001 - report any connection problem as a module failure
            raise ModuleFailure(f"cannot connect to {self.params['api_host']}: {err}") from err

    def version(self) -> tuple[int, int]:
        info = self.proxmox_api.version.get()
        major, minor, *_ = (int(part) for part in str(info["version"]).split(".") + ["0"])
        return major, minor

    def get_node(self, node: str) -> dict[str, Any] | None:
        return next((n for n in self.proxmox_api.nodes.get() if n["node"] == node), None)

    def get_vmid(self, name: str, ignore_missing: bool = False) -> int | None:
        found = [int(vm["vmid"]) for vm in self.proxmox_api.cluster.resources.get(type="vm") if vm.get("name") == name]
        if not found:
            if ignore_missing:
                return None
            raise ModuleFailure(f"no guest named {name}")
        if len(found) > 1:
            raise ModuleFailure(f"several guests are named {name}: {found}")
        return found[0]

    def get_vm(self, vmid: int, ignore_missing: bool = False) -> dict[str, Any] | None:
        matches = [vm for vm in self.proxmox_api.cluster.resources.get(type="vm") if int(vm["vmid"]) == vmid]
        if not matches:
            if ignore_missing:
                return None
            raise ModuleFailure(f"guest {vmid} does not exist")
        return matches[0]

    def api_task_ok(self, node: str, taskid: str) -> bool:
        status = self.proxmox_api.nodes(node).tasks(taskid).status.get()
        return status["status"] == "stopped" and status["exitstatus"] == "OK"

    def get_storage_content(self, node: str, storage: str, content: str | None = None, vmid: int | None = None) -> list[Any]:
        try:
            return self.proxmox_api.nodes(node).storage(storage).content().get(content=content, vmid=vmid)
        except ResourceException as err:
            raise ModuleFailure(f"cannot list {storage} on {node}: {err}") from err
