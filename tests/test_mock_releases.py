"""The stateful behaviour of issue 13 on every shared release (5.4 ... 9.1), qemu and lxc alike, with
proxmoxer: what each release's schema allows is written, and read back as that release shows it."""

from __future__ import annotations

import re
from typing import Any

import pytest

from pvegen import Spec
from tests.fixtures_mock import proxmoxer_api, task_ok, wait_task
from tests.fixtures_shared import real_data_module

real_data_module()

TEMPLATE = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst"
MAC = r"(?:[0-9A-F]{2}:){5}[0-9A-F]{2}"


def has(spec: Spec, method: str, path: str, parameter: str | None = None) -> bool:
    op = spec.operation(method, path)
    return op is not None and (parameter is None or parameter in op.parameters)


@pytest.fixture
def px(each_release: Spec, mock_server: Any, tls_cert: tuple[str, str]) -> Any:
    srv = mock_server(each_release, tls=True, task_polls=1)
    return proxmoxer_api(srv, tls_cert[0])


def test_guests_snapshots_clones_pools_network(each_release: Spec, px: Any) -> None:
    spec = each_release
    node = px.nodes("pve1")
    task_ok(px, node.qemu.post(vmid=100, name="vm", net0="virtio,bridge=vmbr0", scsi0="local-lvm:2"))
    vm = node.qemu(100).config.get()
    assert re.fullmatch(rf"virtio={MAC},bridge=vmbr0", vm["net0"]), vm["net0"]
    assert vm["scsi0"] == "local-lvm:vm-100-disk-0,size=2G"
    task_ok(px, node.lxc.post(vmid=200, ostemplate=TEMPLATE, rootfs="local-lvm:1", net0="name=eth0,bridge=vmbr0"))
    ct = node.lxc(200).config.get()
    assert ct["rootfs"] == "local-lvm:vm-200-disk-0,size=1G"
    assert re.fullmatch(rf"name=eth0,bridge=vmbr0,hwaddr={MAC},type=veth", ct["net0"]), ct["net0"]
    for guest in (node.qemu(100), node.lxc(200)):
        task_ok(px, guest.snapshot.post(snapname="first"))
        assert {s["name"]: s.get("parent") for s in guest.snapshot.get()} == {"first": None, "current": "first"}
        task_ok(px, guest.snapshot("first").rollback.post())
        task_ok(px, guest.snapshot("first").delete())
    task_ok(px, node.qemu(100).clone.post(newid=101))
    clone = node.qemu(101).config.get()
    assert clone["scsi0"] == "local-lvm:vm-101-disk-0,size=2G" and clone["net0"] != vm["net0"]
    px.pools.post(poolid="all")
    px.pools("all").put(vms="100,200")
    assert [m["id"] for m in px.pools("all").get()["members"]] == ["qemu/100", "lxc/200"]
    node.network.post(iface="vmbr7", type="bridge", autostart=1)
    assert "active" not in node.network("vmbr7").get()
    task_ok(px, node.network.put())
    assert node.network("vmbr7").get()["active"] == 1
    if has(spec, "DELETE", "/nodes/{node}/lxc/{vmid}", "force"):
        task_ok(px, node.lxc(200).status.start.post())
        task_ok(px, node.lxc(200).delete(force=1))
        assert node.lxc.get() == []
    assert wait_task(px, node.qemu(100).status.shutdown.post())["exitstatus"] == "VM 100 not running"
