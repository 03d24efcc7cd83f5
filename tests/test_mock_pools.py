"""Issue 13 item 4: pools with members, added and removed, driven with proxmoxer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from proxmoxer.core import ResourceException  # type: ignore[import-untyped]

from pvegen import Spec
from pvegen.mock import MockServer
from tests.fixtures_mock import task_ok

PxMock = Callable[..., tuple[MockServer, Any]]


def member_ids(pool: dict[str, Any]) -> list[str]:
    return [m["id"] for m in pool["members"]]


def members_added_and_removed(px: Any) -> None:
    """Through the path-parameter API (``/pools/{poolid}``): members in, listed with their guests' state, refusals
    in PVE's words, members out, the pool deleted."""
    task_ok(px, px.nodes("pve1").qemu.post(vmid=100, name="web"))
    px.pools.post(poolid="prod", comment="production")
    assert member_ids(px.pools("prod").get()) == []
    px.pools("prod").put(vms="100", storage="local-lvm")
    pool = px.pools("prod").get()
    assert pool["comment"] == "production"
    assert member_ids(pool) == ["qemu/100", "storage/pve1/local-lvm"]
    vm = pool["members"][0]
    assert (vm["type"], vm["vmid"], vm["name"], vm["node"], vm["status"]) == ("qemu", 100, "web", "pve1", "stopped")
    assert [r["pool"] for r in px.cluster.resources.get(type="vm")] == ["prod"]
    with pytest.raises(ResourceException) as twice:
        px.pools("prod").put(vms="100")
    assert "update pools failed: VM 100 is already a pool member" in str(twice.value)
    with pytest.raises(ResourceException) as not_empty:
        px.pools("prod").delete()
    assert "delete pool failed: pool 'prod' is not empty (contains VM 100)" in str(not_empty.value)
    px.pools("prod").put(vms="100", storage="local-lvm", delete=1)
    assert member_ids(px.pools("prod").get()) == []
    px.pools("prod").delete()
    assert px.pools.get() == []


def test_members_added_and_removed(px_mock: PxMock, stateful: Spec) -> None:
    _, px = px_mock(stateful)
    members_added_and_removed(px)


def test_query_parameter_api_nested_pools_and_moves(px_mock: PxMock, stateful: Spec) -> None:
    _, px = px_mock(stateful)
    task_ok(px, px.nodes("pve1").qemu.post(vmid=100))
    px.pools.post(poolid="dev")
    px.pools.post(poolid="dev/team")  # nested pools (8.1+)
    with pytest.raises(ResourceException) as orphan:
        px.pools.post(poolid="nope/child")
    assert "parent 'nope' does not exist" in str(orphan.value)
    px.pools.put(poolid="dev", vms="100")
    [dev] = px.pools.get(poolid="dev")
    assert (dev["poolid"], member_ids(dev)) == ("dev", ["qemu/100"])
    with pytest.raises(ResourceException) as elsewhere:
        px.pools.put(poolid="dev/team", vms="100")
    assert "VM 100 belongs already to pool 'dev' and allow-move is not set" in str(elsewhere.value)
    px.pools.put(poolid="dev/team", vms="100", **{"allow-move": 1})
    assert [member_ids(p) for p in px.pools.get(poolid="dev")] == [[]]
    assert member_ids(px.pools.get(poolid="dev/team")[0]) == ["qemu/100"]
    task_ok(px, px.nodes("pve1").qemu(100).delete())  # a destroyed guest leaves its pool
    assert member_ids(px.pools.get(poolid="dev/team")[0]) == []
    px.pools.delete(poolid="dev/team")
    px.pools.delete(poolid="dev")
    assert px.pools.get() == []


def test_guests_join_a_pool_when_created(px_mock: PxMock, stateful: Spec) -> None:
    _, px = px_mock(stateful)
    px.pools.post(poolid="ci")
    task_ok(px, px.nodes("pve1").qemu.post(vmid=100, pool="ci"))
    assert member_ids(px.pools.get(poolid="ci")[0]) == ["qemu/100"]
    with pytest.raises(ResourceException) as missing:
        px.nodes("pve1").qemu.post(vmid=101, pool="nosuchpool")
    assert missing.value.status_code == 403
