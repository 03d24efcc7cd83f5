"""proxmoxer, a client we did not write, runs the seed workflow against the mock over HTTPS."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from proxmoxer import ProxmoxAPI  # type: ignore[import-untyped]
from proxmoxer.core import ResourceException  # type: ignore[import-untyped]

from pvegen import Spec
from pvegen.mock import MockServer, totp
from tests.fixtures_mock import MOCK_PASSWORD, MOCK_TOKEN_SECRET, MOCK_USER, MockFactory
from tests.fixtures_shared import real_data_module

real_data_module()

AUTH: dict[str, dict[str, str]] = {
    "password": {"user": MOCK_USER, "password": MOCK_PASSWORD},
    "token": {"user": MOCK_USER, "token_name": "ci", "token_value": MOCK_TOKEN_SECRET},
}


def connect(srv: MockServer, cert: str, **auth: Any) -> Any:
    return ProxmoxAPI("127.0.0.1", port=srv.port, verify_ssl=cert, timeout=10, **auth)


def wait_for_task(px: Any, node: str, upid: str, polls: int = 10) -> dict[str, Any]:
    """Poll as automation does; the mock's task clock counts status reads, so no sleeping is needed."""
    for _ in range(polls):
        status: dict[str, Any] = px.nodes(node).tasks(upid).status.get()
        if status["status"] == "stopped":
            return status
    raise AssertionError(f"task {upid} still running after {polls} status reads")


@pytest.mark.parametrize("auth", sorted(AUTH))
@pytest.mark.parametrize("version", ["7.4", "8.4", "9.1"])
def test_seed_workflow(
    mock_server: MockFactory, release: Callable[[str], Spec], tls_cert: tuple[str, str], version: str, auth: str
) -> None:
    srv = mock_server(release(version), tls=True, task_polls=1)
    px = connect(srv, tls_cert[0], **AUTH[auth])
    nodes = px.nodes.get()
    node = nodes[0]["node"]
    vmid = int(px.cluster.nextid.get())
    upid = px.nodes(node).qemu.post(vmid=vmid, name="seed", memory=1024, cores=2, scsi0="local-lvm:8")
    assert wait_for_task(px, node, upid)["exitstatus"] == "OK"
    upid = px.nodes(node).qemu(vmid).status.start.post()
    assert upid.startswith(f"UPID:{node}:") and f":qmstart:{vmid}:root@pam" in upid
    assert wait_for_task(px, node, upid)["exitstatus"] == "OK"
    assert px.nodes(node).qemu(vmid).status.current.get()["status"] == "running"
    assert wait_for_task(px, node, px.nodes(node).qemu(vmid).status.stop.post())["exitstatus"] == "OK"
    assert px.nodes(node).qemu(vmid).status.current.get()["status"] == "stopped"
    assert wait_for_task(px, node, px.nodes(node).qemu(vmid).delete())["exitstatus"] == "OK"
    assert [g["vmid"] for g in px.nodes(node).qemu.get()] == []
    assert [r.auth for r in srv.requests if r.path == "/nodes"] == ["ticket" if auth == "password" else "token"]


def test_bad_calls_get_pve_answers(
    mock_server: MockFactory, release: Callable[[str], Spec], tls_cert: tuple[str, str]
) -> None:
    srv = mock_server(release("9.1"), tls=True)
    px = connect(srv, tls_cert[0], **AUTH["token"])
    with pytest.raises(ResourceException) as bad:
        px.nodes("pve1").qemu.post(vmid=12)
    assert bad.value.status_code == 400
    assert bad.value.errors == {"vmid": "value must have a minimum value of 100"}
    with pytest.raises(ResourceException) as unknown:
        px.nodes("pve1").nosuchthing.get()
    assert unknown.value.status_code == 501


def test_proxmoxer_totp_login(
    mock_server: MockFactory, release: Callable[[str], Spec], tls_cert: tuple[str, str]
) -> None:
    secret = "JBSWY3DPEHPK3PXP"
    srv = mock_server(release("9.1"), tls=True, users=["alice@pve:pw-alice"], totp={"alice@pve": secret})
    px = connect(srv, tls_cert[0], user="alice@pve", password="pw-alice", otp=totp(secret, time.time()))
    assert px.nodes.get()[0]["node"] == "pve1"
