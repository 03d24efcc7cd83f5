"""A thin client over requests with an API token, for the CI jobs that must not install proxmoxer.

URLs are built with f-strings and handed to the two wrappers (``_get``/``_post``), which add the token.
"""

from __future__ import annotations

import logging
import os
import time
from typing import Any

import requests

log = logging.getLogger(__name__)


class TokenClient:
    def __init__(self, host: str, token_id: str, secret: str, verify: bool | str = True, port: int = 8006) -> None:
        self.api = f"https://{host}:{port}/api2/json"
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"PVEAPIToken={token_id}={secret}"
        self.session.verify = verify

    @classmethod
    def from_env(cls) -> TokenClient:
        return cls(
            os.environ["PVE_HOST"],
            os.environ["PVE_TOKEN_ID"],
            os.environ["PVE_TOKEN_SECRET"],
            os.environ.get("PVE_CA_BUNDLE", True),
        )

    def _get_json(self, url: str, **params: Any) -> Any:
        response = self.session.get(url, params=params or None, timeout=30)
        response.raise_for_status()
        return response.json()["data"]

    def _post_json(self, url: str, data: dict[str, Any] | None = None) -> Any:
        response = self.session.post(url, data=data, timeout=60)
        if response.status_code >= 400:
            log.error("%s: %s", url, response.text[:300])
        response.raise_for_status()
        return response.json()["data"]

    def _delete_json(self, url: str) -> Any:
        response = self.session.delete(url, timeout=60)
        response.raise_for_status()
        return response.json()["data"]

    # -- what the CI jobs need -------------------------------------------------------------------
    def version(self) -> str:
        return self._get_json(f"{self.api}/version")["version"]

    def nextid(self) -> int:
        return int(self._get_json(f"{self.api}/cluster/nextid"))

    def clone_for_ci(self, node: str, template: int, name: str) -> int:
        vmid = self.nextid()
        upid = self._post_json(
            f"{self.api}/nodes/{node}/qemu/{template}/clone",
            {"newid": vmid, "name": name, "full": 0, "description": "CI run"},
        )
        self.wait(node, upid)
        return vmid

    def start(self, node: str, vmid: int) -> None:
        self.wait(node, self._post_json(f"{self.api}/nodes/{node}/qemu/{vmid}/status/start"))

    def stop(self, node: str, vmid: int) -> None:
        self.wait(node, self._post_json(f"{self.api}/nodes/{node}/qemu/{vmid}/status/stop", {"timeout": 30}))

    def destroy(self, node: str, vmid: int) -> None:
        self.wait(node, self._delete_json(f"{self.api}/nodes/{node}/qemu/{vmid}?purge=1"))

    def guest_ip(self, node: str, vmid: int, timeout: float = 180.0) -> str | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                answer = self._get_json(f"{self.api}/nodes/{node}/qemu/{vmid}/agent/network-get-interfaces")
            except requests.HTTPError:
                time.sleep(3)
                continue
            for interface in answer.get("result", []):
                for address in interface.get("ip-addresses", []):
                    if address.get("ip-address-type") == "ipv4" and not address["ip-address"].startswith("127."):
                        return address["ip-address"]
            time.sleep(3)
        return None

    def wait(self, node: str, upid: str, timeout: float = 600.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self._get_json(f"{self.api}/nodes/{node}/tasks/{upid}/status")
            if status["status"] == "stopped":
                if status.get("exitstatus") != "OK":
                    raise RuntimeError(f"{upid}: {status.get('exitstatus')}")
                return
            time.sleep(1)
        raise TimeoutError(upid)


def ci_vm(template: int, node: str = "pve1") -> None:
    client = TokenClient.from_env()
    vmid = client.clone_for_ci(node, template, f"ci-{os.environ.get('CI_JOB_ID', 'local')}")
    try:
        client.start(node, vmid)
        print(client.guest_ip(node, vmid))
    finally:
        client.stop(node, vmid)
        client.destroy(node, vmid)
