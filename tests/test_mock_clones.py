"""Issue 13 item 3: clones (full and linked) and templates, driven with proxmoxer."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from proxmoxer.core import ResourceException  # type: ignore[import-untyped]

from pvegen import Spec
from pvegen.mock import MockServer
from tests.fixtures_mock import task_ok, wait_task

PxMock = Callable[..., tuple[MockServer, Any]]
TEMPLATE = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst"


def mac(net: str) -> str:
    found = re.search(r"(?:[0-9A-F]{2}:){5}[0-9A-F]{2}", net)
    assert found is not None, net
    return found.group(0)


def test_full_clone_copies_config_with_new_volumes_and_macs(px_mock: PxMock, stateful: Spec) -> None:
    _, px = px_mock(stateful)
    vm = px.nodes("pve1").qemu
    px.pools.post(poolid="web")
    task_ok(px, vm.post(vmid=100, name="src", cores=2, net0="virtio,bridge=vmbr0", scsi0="local-lvm:4",
                        ide2="none,media=cdrom", description="the source"))  # fmt: skip
    task_ok(px, vm(100).clone.post(newid=101, name="copy", pool="web"))
    source, clone = vm(100).config.get(), vm(101).config.get()
    assert (clone["name"], clone["cores"], clone["description"], clone["ide2"]) == ("copy", 2, "the source",
                                                                                    "none,media=cdrom")  # fmt: skip
    assert clone["scsi0"] == "local-lvm:vm-101-disk-0,size=4G"  # a new volume of the same size
    assert mac(clone["net0"]) != mac(source["net0"]) and clone["net0"].endswith(",bridge=vmbr0")
    assert clone["smbios1"] != source["smbios1"]
    assert [m["vmid"] for m in px.pools.get(poolid="web")[0]["members"]] == [101]
    task_ok(px, vm(100).clone.post(newid=102))
    assert vm(102).config.get()["name"] == "Copy-of-src"


def test_linked_clone_only_from_a_template(px_mock: PxMock, stateful: Spec) -> None:
    _, px = px_mock(stateful)
    vm = px.nodes("pve1").qemu
    task_ok(px, vm.post(vmid=100, scsi0="local-lvm:4", net0="virtio,bridge=vmbr0"))
    with pytest.raises(ResourceException) as refused:
        vm(100).clone.post(newid=101, full=0)
    assert refused.value.status_code == 500
    assert "Linked clone feature is not supported for 'local-lvm:vm-100-disk-0' (scsi0)" in str(refused.value)
    task_ok(px, vm(100).template.post())
    template = vm(100).config.get()
    assert (template["template"], template["scsi0"]) == (1, "local-lvm:base-100-disk-0,size=4G")
    task_ok(px, vm(100).clone.post(newid=101))  # from a template a clone is linked by default
    assert vm(101).config.get()["scsi0"] == "local-lvm:vm-101-disk-0,size=4G"
    assert [v["vmid"] for v in vm.get() if v.get("template")] == [100]
    with pytest.raises(ResourceException) as storage:
        vm(100).clone.post(newid=102, full=0, storage="local-lvm")
    assert "parameter 'storage' not allowed for linked clones" in str(storage.value)
    held = wait_task(px, vm(100).delete())
    assert held["exitstatus"] == "base volume 'base-100-disk-0' is still in use by linked cloned"
    task_ok(px, vm(101).delete())
    task_ok(px, vm(100).delete())
    assert px.nodes("pve1").storage("local-lvm").content.get() == []


def test_template_refusals(px_mock: PxMock, stateful: Spec) -> None:
    _, px = px_mock(stateful)
    vm = px.nodes("pve1").qemu
    task_ok(px, vm.post(vmid=100, scsi0="local-lvm:4", start=1))
    with pytest.raises(ResourceException) as running:
        vm(100).template.post()
    assert "you can't convert a VM to template if VM is running" in str(running.value)
    task_ok(px, vm(100).status.stop.post())
    task_ok(px, vm(100).snapshot.post(snapname="keep"))
    with pytest.raises(ResourceException) as snapshots:
        vm(100).template.post()
    assert "unable to create template, because VM contains snapshots" in str(snapshots.value)
    with pytest.raises(ResourceException) as exists:
        vm(100).clone.post(newid=100)
    assert "unable to create VM 100: config file already exists" in str(exists.value)


def test_container_clone_and_template(px_mock: PxMock, stateful: Spec) -> None:
    _, px = px_mock(stateful)
    ct = px.nodes("pve1").lxc
    task_ok(px, ct.post(vmid=200, ostemplate=TEMPLATE, rootfs="local-lvm:8", hostname="base",
                        net0="name=eth0,bridge=vmbr0,ip=dhcp"))  # fmt: skip
    task_ok(px, ct(200).clone.post(newid=201, hostname="copy"))
    source, clone = ct(200).config.get(), ct(201).config.get()
    assert (clone["hostname"], clone["rootfs"]) == ("copy", "local-lvm:vm-201-disk-0,size=8G")
    assert mac(clone["net0"]) != mac(source["net0"])
    with pytest.raises(ResourceException) as linked:
        ct(200).clone.post(newid=202, full=0)
    assert "Linked clone feature for 'local-lvm:vm-200-disk-0' is not available" in str(linked.value)
    ct(200).template.post()
    assert ct(200).config.get()["rootfs"] == "local-lvm:base-200-disk-0,size=8G"
    task_ok(px, ct(200).clone.post(newid=202))
    assert ct(202).config.get()["rootfs"] == "local-lvm:vm-202-disk-0,size=8G"
