"""Build VM templates from cloud images: download the image, import it as a disk, set cloud-init, convert.

Each distribution is one entry of IMAGES; a rebuild replaces the template of the same name (the old one is
kept as NAME-old until the new one is verified).
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from proxmoxer import ProxmoxAPI

from .config import Cluster
from .connection import find_guest, next_vmid, proxmox, wait_for_task

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Image:
    name: str
    url: str
    checksum: str
    ostype: str = "l26"
    disk_gb: int = 16
    bios: str = "seabios"


IMAGES = (
    Image("debian-13", "https://cloud.example/debian-13-genericcloud-amd64.qcow2", "0" * 64),
    Image("ubuntu-24.04", "https://cloud.example/noble-server-cloudimg-amd64.img", "1" * 64),
    Image("alma-10", "https://cloud.example/AlmaLinux-10-GenericCloud-latest.x86_64.qcow2", "2" * 64, bios="ovmf"),
)


class TemplateBuilder:
    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self.api: ProxmoxAPI = proxmox(cluster)
        self.node = cluster.default_node

    def existing(self) -> dict[str, int]:
        found = {}
        for guest in self.api.cluster.resources.get(type="vm"):
            if guest.get("template"):
                found[guest.get("name", "")] = int(guest["vmid"])
        return found

    def download(self, image: Image) -> str:
        filename = image.url.rsplit("/", 1)[-1].replace(".qcow2", ".img")
        storage = self.api.nodes(self.node).storage(self.cluster.iso_storage)
        present = {item["volid"] for item in storage.content.get(content="import")}
        volid = f"{self.cluster.iso_storage}:import/{filename}"
        if volid in present:
            return volid
        upid = storage("download-url").post(
            url=image.url,
            filename=filename,
            content="import",
            checksum=image.checksum,
            **{"checksum-algorithm": "sha256"},
        )
        wait_for_task(self.api, self.node, upid, timeout=3600)
        return volid

    def build(self, image: Image) -> int:
        volid = self.download(image)
        vmid = next_vmid(self.api, 9000)
        storage = self.cluster.default_storage
        params: dict[str, Any] = {
            "vmid": vmid,
            "name": f"{image.name}-new",
            "ostype": image.ostype,
            "memory": 2048,
            "cores": 2,
            "cpu": "x86-64-v2-AES",
            "scsihw": "virtio-scsi-single",
            "scsi0": f"{storage}:0,import-from={volid},discard=on,ssd=1",
            "ide2": f"{storage}:cloudinit",
            "boot": "order=scsi0",
            "serial0": "socket",
            "vga": "serial0",
            "agent": "enabled=1",
            "net0": f"virtio,bridge={self.cluster.default_bridge}",
            "bios": image.bios,
        }
        if image.bios == "ovmf":
            params["efidisk0"] = f"{storage}:1,efitype=4m,pre-enrolled-keys=1"
            params["machine"] = "q35"
        upid = self.api.nodes(self.node).qemu.post(**params)
        wait_for_task(self.api, self.node, upid, timeout=1800)
        self.api.nodes(self.node).qemu(vmid).resize.put(disk="scsi0", size=f"{image.disk_gb}G")
        self.api.nodes(self.node).qemu(vmid).config.put(ciuser="admin", ipconfig0="ip=dhcp", citype="nocloud")
        self.api.nodes(self.node).qemu(vmid).template.post()
        return vmid

    def swap(self, image: Image, new_vmid: int) -> None:
        current = self.existing()
        old = current.get(image.name)
        if old is not None:
            located = find_guest(self.api, old)
            if located:
                self.api.nodes(located[0]).qemu(old).config.put(name=f"{image.name}-old")
        self.api.nodes(self.node).qemu(new_vmid).config.put(name=image.name)

    def cleanup(self, image: Image) -> None:
        old = self.existing().get(f"{image.name}-old")
        if old is None:
            return
        located = find_guest(self.api, old)
        if located:
            upid = self.api.nodes(located[0]).qemu(old).delete(purge=1)
            wait_for_task(self.api, located[0], upid)

    def rebuild_all(self) -> dict[str, int]:
        built = {}
        for image in IMAGES:
            log.info("building %s", image.name)
            vmid = self.build(image)
            self.swap(image, vmid)
            built[image.name] = vmid
        return built
