"""SDN changes under the configuration lock (PVE 9.x): take the lock, change, apply or roll back.

Written against 9.1: the lock/rollback endpoints and the lock-token parameter do not exist in 8.x.
"""

from __future__ import annotations

from proxmoxer import ProxmoxAPI

from proxmox_ve import ProxmoxVE


class SdnTransaction:
    def __init__(self, api: ProxmoxAPI) -> None:
        self.api = api
        self.token: str | None = None

    def __enter__(self) -> SdnTransaction:
        self.token = self.api.cluster.sdn.lock.post(**{"allow-pending": 1})
        return self

    def add_zone(self, zone: str) -> None:
        self.api.cluster.sdn.zones.post(zone=zone, type="simple", **{"lock-token": self.token})

    def add_vnet(self, vnet: str, zone: str, tag: int) -> None:
        self.api.cluster.sdn.vnets.post(vnet=vnet, zone=zone, tag=tag, **{"lock-token": self.token})

    def drop_vnet(self, vnet: str) -> None:
        self.api.cluster.sdn.vnets(vnet).delete(**{"lock-token": self.token})

    def __exit__(self, failed: object, *rest: object) -> None:
        if failed:
            self.api.cluster.sdn.rollback.post(**{"lock-token": self.token, "release-lock": 1})
        else:
            self.api.cluster.sdn.put(**{"lock-token": self.token, "release-lock": 1})


def force_unlock(pve: ProxmoxVE) -> None:
    pve.cluster.sdn.lock.delete(force=True)


def apply_with_token(pve: ProxmoxVE, token: str) -> None:
    pve.cluster.sdn.put(lock_token=token)
