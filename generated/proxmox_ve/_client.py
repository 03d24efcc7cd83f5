"""The client class: connection settings (from the runtime) plus the API tree (generated)."""

from __future__ import annotations

from typing import ClassVar

from ._resources.root import Root
from ._runtime.client import BaseClient


class ProxmoxVE(BaseClient, Root):
    """A client for the Proxmox VE API (pve 9.1).

    ProxmoxVE(host, port=8006, token_id=..., token_secret=..., user=..., password=..., otp=...,
    verify=True, timeout=...); the API tree starts here: client.nodes('pve1').qemu(100).
    """

    TFA_FLOW: ClassVar[str] = "challenge"
