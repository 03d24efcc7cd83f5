"""Issue 13 item 6: network changes are staged as PVE stages them (pending until applied), with proxmoxer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests
from proxmoxer.core import ResourceException  # type: ignore[import-untyped]

from pvegen import Spec
from pvegen.mock import MockServer
from tests.fixtures_mock import MOCK_TOKEN_ID, MOCK_TOKEN_SECRET, task_ok, wait_task

PxMock = Callable[..., tuple[MockServer, Any]]


def raw_list(srv: MockServer, cert: str) -> dict[str, Any]:
    """The whole answer of GET /nodes/pve1/network (proxmoxer returns only ``data``)."""
    headers = {"Authorization": f"PVEAPIToken={MOCK_TOKEN_ID}={MOCK_TOKEN_SECRET}"}
    answer: dict[str, Any] = requests.get(f"{srv.url}/api2/json/nodes/pve1/network", headers=headers, verify=cert,
                                          timeout=10).json()  # fmt: skip
    return answer


def pending_network_change_applied(srv: MockServer, px: Any, cert: str) -> None:
    """A new bridge is pending (shown with the diff PVE shows) until the reload task has run."""
    network = px.nodes("pve1").network
    assert "changes" not in raw_list(srv, cert)
    network.post(iface="vmbr1", type="bridge", autostart=1, address="198.51.100.1", netmask="255.255.255.0")
    pending = {i["iface"]: i for i in network.get()}
    assert pending["vmbr1"]["address"] == "198.51.100.1" and "active" not in pending["vmbr1"]  # not on the host
    assert pending["vmbr0"]["active"] == 1
    changes = raw_list(srv, cert)["changes"]
    assert changes.startswith("--- /etc/network/interfaces\n+++ /etc/network/interfaces.new\n")
    assert "+auto vmbr1\n" in changes and "+\taddress 198.51.100.1/24\n" in changes
    upid = network.put()  # apply: PVE reloads the network in a task
    assert "active" not in network("vmbr1").get()  # still pending while the reload runs
    task_ok(px, upid)
    assert network("vmbr1").get()["active"] == 1
    assert "changes" not in raw_list(srv, cert)


def test_pending_network_change_applied(px_mock: PxMock, stateful: Spec, tls_cert: tuple[str, str]) -> None:
    srv, px = px_mock(stateful, task_polls=1)
    pending_network_change_applied(srv, px, tls_cert[0])


def test_pending_change_reverted(px_mock: PxMock, stateful: Spec, tls_cert: tuple[str, str]) -> None:
    srv, px = px_mock(stateful)
    network = px.nodes("pve1").network
    network("vmbr0").put(type="bridge", comments="uplink")
    network("eno1").delete()
    assert network("vmbr0").get()["comments"] == "uplink"
    assert "eno1" not in {i["iface"] for i in network.get()}
    assert "-iface eno1 inet manual" in raw_list(srv, tls_cert[0])["changes"]
    network.delete()  # revert
    assert "comments" not in network("vmbr0").get()
    assert {i["iface"] for i in network.get()} == {"eno1", "vmbr0"}
    with pytest.raises(ResourceException) as missing:
        network("vmbr9").get()
    assert missing.value.errors == {"iface": "interface does not exist"}
    assert wait_task(px, network.put())["exitstatus"] == "OK"  # a reload with nothing pending is fine
