"""Issue 13 item 1: what PVE stores on a config write, written and read back with proxmoxer.

NICs get a MAC (the release's prefix), ``STORAGE:SIZE`` allocates a volume named as the storage type
names it (and it shows in the storage's content), efidisk0/tpmstate0 are sized as PVE sizes them,
a detached disk becomes ``unusedN``, ``delete=`` removes keys, the digest guards against stale writes,
and values come back printed as PVE's printer prints them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from proxmoxer.core import ResourceException  # type: ignore[import-untyped]

from pvegen import Spec, load_spec_text
from pvegen.mock import MockServer
from tests.fixtures_mock import stateful_spec_data, task_ok

PxMock = Callable[..., tuple[MockServer, Any]]
MAC = r"BC:24:11(?::[0-9A-F]{2}){3}"


@pytest.fixture(scope="module")
def guests_as_pve() -> Spec:
    """The stateful tests' spec with two guest parameters as PVE 9.1 declares them where the embedded spec is
    briefer: ``tpmstate0`` (a drive) and the container's ``unprivileged`` (whose description holds the create
    default the mock follows)."""
    data = stateful_spec_data()
    by_key = {(op["method"], op["path"]): op for op in data["operations"]}
    by_key[("POST", "/nodes/{node}/qemu")]["parameters"]["tpmstate0"] = {
        "type": "string", "optional": 1, "format": {
            "file": {"type": "string", "format": "pve-volume-id-or-qm-path", "default_key": 1},
            "format": {"type": "string", "optional": 1, "enum": ["raw", "qcow2", "vmdk"]},
            "size": {"type": "string", "optional": 1, "format": "disk-size"},
            "version": {"type": "string", "optional": 1, "enum": ["v1.2", "v2.0"], "default": "v1.2"},
            "volume": {"alias": "file"},
        },
    }  # fmt: skip
    by_key[("POST", "/nodes/{node}/lxc")]["parameters"]["unprivileged"] = {
        "type": "boolean", "optional": 1, "default": 0,
        "description": "Makes the container run as unprivileged user. For creation, the default is 1.",
    }  # fmt: skip
    return load_spec_text(json.dumps(data), source="guests-as-pve.json")


def volumes(px: Any, storage: str, vmid: int) -> dict[str, int]:
    return {v["volid"]: v["size"] for v in px.nodes("pve1").storage(storage).content.get(vmid=vmid)}


def vm_created_as_users_write_it_reads_back_as_pve_stores_it(px: Any, version: str) -> None:
    """A NIC gets a MAC, ``STORAGE:SIZE`` disks are allocated in PVE's order and sizes, and show in the storage."""
    vm = px.nodes("pve1").qemu
    task_ok(px, vm.post(vmid=321, name="web", net0="virtio,bridge=vmbr0", scsi0="local-lvm:8",
                        efidisk0="local-lvm:1,efitype=4m", tpmstate0="local-lvm:1,version=v2.0"))  # fmt: skip
    config = vm(321).config.get()
    assert re.fullmatch(rf"virtio=({MAC}),bridge=vmbr0", config["net0"]) or version == "7.4"  # prefix since 8.1
    assert config["scsi0"] == "local-lvm:vm-321-disk-0,size=8G"  # scsi before efidisk, as PVE allocates
    assert config["efidisk0"] == "local-lvm:vm-321-disk-1,efitype=4m,size=4M"  # 528K of vars, LVM extents
    assert config["tpmstate0"] == "local-lvm:vm-321-disk-2,size=4M,version=v2.0"
    assert volumes(px, "local-lvm", 321) == {
        "local-lvm:vm-321-disk-0": 8 * 2**30,
        "local-lvm:vm-321-disk-1": 4 * 2**20,
        "local-lvm:vm-321-disk-2": 4 * 2**20,
    }
    assert [(v["vmid"], v["maxdisk"]) for v in vm.get()] == [(321, (8 * 2**30) + 8 * 2**20)]


def test_vm_created_as_users_write_it_reads_back_as_pve_stores_it(px_mock: PxMock, guests_as_pve: Spec) -> None:
    _srv, px = px_mock(guests_as_pve)
    assert guests_as_pve.version == "9.1"
    vm_created_as_users_write_it_reads_back_as_pve_stores_it(px, guests_as_pve.version)


def macs_are_unique_with_the_current_prefix(px: Any) -> None:
    task_ok(px, px.nodes("pve1").qemu.post(vmid=100, net0="virtio,bridge=vmbr0", net1="e1000,bridge=vmbr0"))
    config = px.nodes("pve1").qemu(100).config.get()
    macs = [re.fullmatch(rf"(?:virtio|e1000)=({MAC}),bridge=vmbr0", config[k]) for k in ("net0", "net1")]
    assert all(macs) and macs[0] and macs[1] and macs[0].group(1) != macs[1].group(1)


def mac_is_random_without_a_prefix(px: Any) -> None:
    task_ok(px, px.nodes("pve1").qemu.post(vmid=100, net0="virtio,bridge=vmbr0"))
    mac = px.nodes("pve1").qemu(100).config.get()["net0"].split(",")[0].split("=")[1]
    # before mac_prefix had a default, PVE made a random locally administered unicast MAC
    assert re.fullmatch(r"[0-9A-F]{2}(?::[0-9A-F]{2}){5}", mac) and int(mac[:2], 16) & 0b11 == 0b10


def test_macs_are_unique_and_follow_the_specs_mac_prefix(px_mock: PxMock, stateful: Spec) -> None:
    """The prefix is the default of ``mac_prefix`` in ``PUT /cluster/options`` (BC:24:11 when the spec has no
    such call); a spec whose options have no ``mac_prefix`` (PVE before 8.1) gets random local MACs."""
    _, px = px_mock(stateful)
    macs_are_unique_with_the_current_prefix(px)

    def with_options(options: dict[str, Any]) -> Spec:
        data = stateful_spec_data()
        data["operations"].append({"method": "PUT", "path": "/cluster/options", "name": "set_options",
                                   "parameters": options, "returns": {"type": "null"}})  # fmt: skip
        return load_spec_text(json.dumps(data), source="options.json")

    prefix = {"type": "string", "optional": 1, "format": "mac-prefix", "default": "02:AB:CD"}
    _, own = px_mock(with_options({"mac_prefix": prefix}))
    task_ok(own, own.nodes("pve1").qemu.post(vmid=100, net0="virtio,bridge=vmbr0"))
    assert re.fullmatch(
        r"virtio=02:AB:CD(?::[0-9A-F]{2}){3},bridge=vmbr0", own.nodes("pve1").qemu(100).config.get()["net0"]
    )
    _, old = px_mock(with_options({"keyboard": {"type": "string", "optional": 1}}))
    mac_is_random_without_a_prefix(old)


def test_values_are_printed_as_pves_printer_prints_them(px_mock: PxMock, stateful: Spec) -> None:
    _, px = px_mock(stateful)
    vm = px.nodes("pve1").qemu
    task_ok(px, vm.post(vmid=100, net0="bridge=vmbr0,model=virtio,firewall=yes,macaddr=BC:24:11:00:00:0A",
                        scsi0="local-lvm:0.5,ssd=on,discard=on"))  # fmt: skip
    config = vm(100).config.get()
    assert config["net0"] == "virtio=BC:24:11:00:00:0A,bridge=vmbr0,firewall=1"  # short form, booleans 1/0
    assert config["scsi0"] == "local-lvm:vm-100-disk-0,discard=on,size=512M,ssd=1"  # 0.5 GiB = 512M


def test_existing_volumes_detach_to_unused_and_delete(px_mock: PxMock, stateful: Spec) -> None:
    _, px = px_mock(stateful)
    node = px.nodes("pve1")
    task_ok(px, node.qemu.post(vmid=100, scsi0="local-lvm:4"))
    made = node.storage("local-lvm").content.post(vmid=100, filename="vm-100-disk-7", size="2G")
    node.qemu(100).config.put(scsi1=made)
    assert node.qemu(100).config.get()["scsi1"] == "local-lvm:vm-100-disk-7,size=2G"  # its size, from storage
    with pytest.raises(ResourceException) as missing:
        node.qemu(100).config.put(scsi2="local-lvm:vm-100-disk-9")
    assert missing.value.status_code == 500 and "volume 'local-lvm:vm-100-disk-9' does not exist" in str(missing.value)
    node.qemu(100).config.put(delete="scsi1")
    config = node.qemu(100).config.get()
    assert "scsi1" not in config and config["unused0"] == "local-lvm:vm-100-disk-7"  # detached, not destroyed
    node.qemu(100).config.put(scsi0="local-lvm:6")  # a new disk in place of the old one
    config = node.qemu(100).config.get()
    assert config["scsi0"] == "local-lvm:vm-100-disk-1,size=6G" and config["unused1"] == "local-lvm:vm-100-disk-0"
    node.qemu(100).config.put(delete="unused0,unused1")  # deleting unusedN destroys the volume
    assert set(volumes(px, "local-lvm", 100)) == {"local-lvm:vm-100-disk-1"}
    with pytest.raises(ResourceException) as both:
        node.qemu(100).config.put(cores=2, delete="cores")
    assert both.value.errors == {"delete": "you can't use '-cores' and -delete cores' at the same time"}


def test_digest_changes_on_write_and_a_stale_one_is_refused(px_mock: PxMock, stateful: Spec) -> None:
    _, px = px_mock(stateful)
    vm = px.nodes("pve1").qemu
    task_ok(px, vm.post(vmid=100, cores=1))
    first = vm(100).config.get()["digest"]
    vm(100).config.put(cores=2, digest=first)
    second = vm(100).config.get()["digest"]
    assert second != first
    with pytest.raises(ResourceException) as stale:
        vm(100).config.put(cores=4, digest=first)
    assert stale.value.status_code == 500
    assert "detected modified configuration - file changed by other user? Try again." in str(stale.value)
    assert vm(100).config.get()["cores"] == 2


def test_container_volumes_and_nics(px_mock: PxMock, guests_as_pve: Spec) -> None:
    _srv, px = px_mock(guests_as_pve)
    ct = px.nodes("pve1").lxc
    template = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst"
    task_ok(px, ct.post(vmid=200, ostemplate=template, rootfs="local-lvm:8", mp0="local-lvm:2,mp=/data,backup=1",
                        net0="name=eth0,bridge=vmbr0,ip=dhcp", password="not-stored"))  # fmt: skip
    config = ct(200).config.get()
    assert config["rootfs"] == "local-lvm:vm-200-disk-0,size=8G"
    assert config["mp0"] == "local-lvm:vm-200-disk-1,mp=/data,backup=1,size=2G"  # required keys first
    assert re.fullmatch(rf"name=eth0,bridge=vmbr0,hwaddr={MAC},ip=dhcp,type=veth", config["net0"])
    assert (config["ostype"], config["arch"], config.get("unprivileged")) == ("debian", "amd64", 1)
    assert "password" not in config
    assert {v["volid"]: v["content"] for v in px.nodes("pve1").storage("local-lvm").content.get(vmid=200)} == {
        "local-lvm:vm-200-disk-0": "rootdir",
        "local-lvm:vm-200-disk-1": "rootdir",
    }
    with pytest.raises(ResourceException) as refused:
        ct.post(vmid=201, ostemplate=template)  # the default root disk goes to 'local', a directory for ISOs
    assert "storage 'local' does not support container directories" in str(refused.value)


def test_a_failed_write_changes_nothing(px_mock: PxMock, stateful: Spec) -> None:
    _, px = px_mock(stateful)
    vm = px.nodes("pve1").qemu
    task_ok(px, vm.post(vmid=100, scsi0="local-lvm:1"))
    before = vm(100).config.get()
    with pytest.raises(ResourceException):
        vm(100).config.put(scsi1="local-lvm:2", scsi2="nosuchstorage:2")
    assert vm(100).config.get() == before
    assert set(volumes(px, "local-lvm", 100)) == {"local-lvm:vm-100-disk-0"}


def test_resize_grows_the_volume_and_the_drive(px_mock: PxMock, stateful: Spec) -> None:
    _, px = px_mock(stateful)
    vm = px.nodes("pve1").qemu
    task_ok(px, vm.post(vmid=100, scsi0="local-lvm:4,ssd=1"))
    task_ok(px, vm(100).resize.put(disk="scsi0", size="+2G"))
    assert vm(100).config.get()["scsi0"] == "local-lvm:vm-100-disk-0,size=6G,ssd=1"
    task_ok(px, vm(100).resize.put(disk="scsi0", size="8G"))
    assert volumes(px, "local-lvm", 100) == {"local-lvm:vm-100-disk-0": 8 * 2**30}
    with pytest.raises(ResourceException) as shrink:
        vm(100).resize.put(disk="scsi0", size="1G")
    assert "shrinking disks is not supported" in str(shrink.value)
    with pytest.raises(ResourceException) as missing:
        vm(100).resize.put(disk="scsi1", size="+1G")
    assert "disk 'scsi1' does not exist" in str(missing.value)
