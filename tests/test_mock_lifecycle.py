"""Issue 13 item 5: guest lifecycle as PVE runs it, driven with proxmoxer: destroy with force, purge and
destroy-unreferenced-disks, refusals in PVE's words for running and locked guests, shutdown options,
and the lock a guest holds while a task runs."""

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


def force_destroy_of_a_running_container(px: Any) -> None:
    """A running container is refused in PVE's words; ``force=1`` stops it and destroys it with its volumes."""
    ct = px.nodes("pve1").lxc
    task_ok(px, ct.post(vmid=322, ostemplate=TEMPLATE, rootfs="local-lvm:8", start=1))
    assert ct(322).status.current.get()["status"] == "running"
    with pytest.raises(ResourceException) as running:
        ct(322).delete()
    assert (running.value.status_code, running.value.content) == (500, "CT 322 is running - destroy failed")
    task_ok(px, ct(322).delete(force=1))  # force (6.x+) stops it and destroys it
    assert ct.get() == []
    assert px.nodes("pve1").storage("local-lvm").content.get() == []


def test_force_destroy_of_a_running_container(px_mock: PxMock, stateful: Spec) -> None:
    _, px = px_mock(stateful)
    force_destroy_of_a_running_container(px)


def test_running_vm_is_refused_and_destroyed_once_stopped(px_mock: PxMock, stateful: Spec) -> None:
    _, px = px_mock(stateful)
    vm = px.nodes("pve1").qemu
    task_ok(px, vm.post(vmid=100, scsi0="local-lvm:4", start=1))
    with pytest.raises(ResourceException) as running:
        vm(100).delete()
    assert running.value.content == "VM 100 is running - destroy failed"
    task_ok(px, vm(100).status.shutdown.post(forceStop=1, timeout=30))
    assert vm(100).status.current.get()["status"] == "stopped"
    not_running = wait_task(px, vm(100).status.shutdown.post())
    assert not_running["exitstatus"] == "VM 100 not running"
    task_ok(px, vm(100).delete(purge=1))
    assert vm.get() == []


def test_unreferenced_disks_stay_unless_asked(px_mock: PxMock, stateful: Spec) -> None:
    _, px = px_mock(stateful)
    node = px.nodes("pve1")
    for vmid in (100, 101):
        task_ok(px, node.qemu.post(vmid=vmid, scsi0="local-lvm:1"))
        node.storage("local-lvm").content.post(vmid=vmid, filename=f"vm-{vmid}-disk-5", size="1G")  # not in config
    task_ok(px, node.qemu(100).delete())
    task_ok(px, node.qemu(101).delete(**{"destroy-unreferenced-disks": 1}))
    assert [v["volid"] for v in node.storage("local-lvm").content.get()] == ["local-lvm:vm-100-disk-5"]


def test_lock_is_held_while_a_task_runs(px_mock: PxMock, stateful: Spec) -> None:
    _, px = px_mock(stateful, task_polls=3)
    vm = px.nodes("pve1").qemu
    task_ok(px, vm.post(vmid=100, scsi0="local-lvm:4"))
    upid = vm(100).snapshot.post(snapname="first")
    status = vm(100).status.current.get()
    assert status["lock"] == "snapshot"
    assert [g["lock"] for g in vm.get()] == ["snapshot"]
    with pytest.raises(ResourceException) as destroy:
        vm(100).delete()
    assert destroy.value.content == "VM is locked (snapshot)"
    start = wait_task(px, vm(100).status.start.post())
    assert start["exitstatus"] == "VM is locked (snapshot)"
    task_ok(px, upid)
    assert "lock" not in vm(100).status.current.get()
    task_ok(px, vm(100).status.start.post())
    again = wait_task(px, vm(100).status.start.post())
    assert again["exitstatus"] == "VM 100 already running"


def test_container_is_locked_while_it_is_created(px_mock: PxMock, stateful: Spec) -> None:
    _, px = px_mock(stateful, task_polls=2)
    ct = px.nodes("pve1").lxc
    upid = ct.post(vmid=200, ostemplate=TEMPLATE, rootfs="local-lvm:4")
    assert ct(200).config.get()["lock"] == "create"
    with pytest.raises(ResourceException) as locked:
        ct(200).config.put(hostname="early")
    assert locked.value.content == "CT is locked (create)"
    task_ok(px, upid)
    ct(200).config.put(hostname="later")
    assert ct(200).config.get()["hostname"] == "later"
