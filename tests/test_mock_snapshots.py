"""Issue 13 item 2: snapshots as PVE keeps them, driven with proxmoxer (create -> list -> rollback -> delete)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from proxmoxer.core import ResourceException  # type: ignore[import-untyped]

from pvegen import Spec
from pvegen.mock import MockServer
from tests.fixtures_mock import task_ok, wait_task

PxMock = Callable[..., tuple[MockServer, Any]]
TEMPLATE = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst"


def names(snapshots: list[dict[str, Any]]) -> dict[str, str | None]:
    """name -> parent, the chain the list shows."""
    return {s["name"]: s.get("parent") for s in snapshots}


def vm_snapshot_list_rollback_delete(px: Any) -> None:
    """Two snapshots form a chain under ``current``; rollback restores the config, delete re-links the children."""
    vm = px.nodes("pve1").qemu
    task_ok(px, vm.post(vmid=100, name="web", cores=1, scsi0="local-lvm:4"))
    task_ok(px, vm(100).snapshot.post(snapname="after_boot", description="clean install"))
    vm(100).config.put(cores=4)
    task_ok(px, vm(100).snapshot.post(snapname="second"))
    listed = vm(100).snapshot.get()
    assert names(listed) == {"after_boot": None, "second": "after_boot", "current": "second"}
    current = next(s for s in listed if s["name"] == "current")
    assert current["description"] == "You are here!"
    first = vm(100).snapshot("after_boot").config.get()
    assert (first["cores"], first["description"], first["name"]) == (1, "clean install", "web")
    assert first["snaptime"] > 0
    assert [c["cmd"] for c in vm(100).snapshot("after_boot").get()] == ["rollback", "config"]
    task_ok(px, vm(100).snapshot("after_boot").rollback.post())
    config = vm(100).config.get()
    assert (config["cores"], config["parent"]) == (1, "after_boot")  # the config as it was, parent moved
    assert "snaptime" not in config and "description" not in config
    task_ok(px, vm(100).snapshot("after_boot").delete())
    assert names(vm(100).snapshot.get()) == {"second": None, "current": None}  # children move to its parent
    with pytest.raises(ResourceException) as gone:
        vm(100).snapshot("after_boot").config.get()
    assert gone.value.status_code == 500 and "snapshot 'after_boot' does not exist" in str(gone.value)


def test_vm_snapshot_list_rollback_delete(px_mock: PxMock, stateful: Spec) -> None:
    _, px = px_mock(stateful)
    vm_snapshot_list_rollback_delete(px)


def test_running_vm_snapshot_with_ram(px_mock: PxMock, stateful: Spec) -> None:
    _, px = px_mock(stateful)
    vm = px.nodes("pve1").qemu
    task_ok(px, vm.post(vmid=100, scsi0="local-lvm:4", memory=1024, start=1))
    task_ok(px, vm(100).snapshot.post(snapname="live", vmstate=1))
    snap = next(s for s in vm(100).snapshot.get() if s["name"] == "live")
    assert snap["vmstate"] == 1
    state_volume = vm(100).snapshot("live").config.get()["vmstate"]
    assert state_volume == "local-lvm:vm-100-state-live"
    content = {v["volid"]: v["size"] for v in px.nodes("pve1").storage("local-lvm").content.get(vmid=100)}
    assert content[state_volume] == (2 * 1024 + 500) * 2**20
    task_ok(px, vm(100).status.stop.post())
    task_ok(px, vm(100).snapshot("live").rollback.post())
    assert vm(100).status.current.get()["status"] == "running"  # the saved RAM resumes
    task_ok(px, vm(100).snapshot("live").delete())
    assert state_volume not in {v["volid"] for v in px.nodes("pve1").storage("local-lvm").content.get()}


def test_snapshot_refusals_in_pves_words(px_mock: PxMock, stateful: Spec) -> None:
    _srv, px = px_mock(stateful, task_polls=2)
    vm = px.nodes("pve1").qemu
    task_ok(px, vm.post(vmid=100, scsi0="local-lvm:4"))
    with pytest.raises(ResourceException) as reserved:
        vm(100).snapshot.post(snapname="current")
    assert "unable to use snapshot name 'current' (reserved name)" in str(reserved.value)
    upid = vm(100).snapshot.post(snapname="one")
    assert vm(100).config.get()["lock"] == "snapshot"  # held while the task runs
    with pytest.raises(ResourceException) as locked:
        vm(100).config.put(cores=2)
    assert "VM is locked (snapshot)" in str(locked.value)
    task_ok(px, upid)
    assert "lock" not in vm(100).config.get()
    again = wait_task(px, vm(100).snapshot.post(snapname="one"))
    assert again["exitstatus"] == "snapshot name 'one' already used"
    px.storage("local").put(content="iso,vztmpl,backup,images")  # let the directory hold disks
    task_ok(px, vm.post(vmid=101, scsi0="local:4"))  # a qcow2 file on a directory storage can snapshot
    assert vm(101).config.get()["scsi0"] == "local:101/vm-101-disk-0.qcow2,size=4G"
    task_ok(px, vm(101).snapshot.post(snapname="xy"))
    task_ok(px, vm.post(vmid=102, scsi0="local:4,format=raw"))
    raw = wait_task(px, vm(102).snapshot.post(snapname="xy"))
    assert raw["exitstatus"] == "snapshot feature is not available"  # a raw file cannot


def test_container_snapshots(px_mock: PxMock, stateful: Spec) -> None:
    _, px = px_mock(stateful)
    ct = px.nodes("pve1").lxc
    task_ok(px, ct.post(vmid=200, ostemplate=TEMPLATE, rootfs="local-lvm:4", hostname="one"))
    task_ok(px, ct(200).snapshot.post(snapname="base"))
    ct(200).config.put(hostname="two")
    assert names(ct(200).snapshot.get()) == {"base": None, "current": "base"}
    task_ok(px, ct(200).snapshot("base").rollback.post())
    assert ct(200).config.get()["hostname"] == "one"
    task_ok(px, ct(200).snapshot("base").delete())
    assert names(ct(200).snapshot.get()) == {"current": None}
