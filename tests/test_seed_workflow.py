"""Issue 6's done-when: the user's seed workflow through a generated client, end to end (the client of the
runtime tests' spec: the embedded spec of the user's notes and a few more operations).

List nodes, create a VM with a typed network device, start it, wait for the task, read its status,
stop, delete: once with an API token, once with a ticket and a TOTP second factor. Every task stays
running for two status reads on the mock (its task clock), so ``wait_task`` really polls.
"""

from __future__ import annotations

import importlib
import time
from typing import Any

import pytest

from pvegen import Spec
from pvegen.mock import MockServer, totp
from tests.fixtures_client import GeneratedClient
from tests.fixtures_mock import MOCK_TOKEN_ID, MOCK_TOKEN_SECRET, MockFactory

TFA_USER, TFA_PASSWORD, TFA_SECRET = "alice@pve", "correct horse", "JBSWY3DPEHPK3PXP"


@pytest.fixture
def server(mock_server: MockFactory, runtime_spec: Spec) -> MockServer:
    return mock_server(
        runtime_spec,
        users=[f"{TFA_USER}:{TFA_PASSWORD}"],
        totp={TFA_USER: TFA_SECRET},
        task_polls=2,  # every task is seen running twice, then stopped: no wall-clock race
    )


def _client(kind: str, module: Any, srv: MockServer) -> Any:
    if kind == "token":
        return module.ProxmoxVE(srv.url, token_id=MOCK_TOKEN_ID, token_secret=MOCK_TOKEN_SECRET)
    asked: list[str] = []

    def second_factor() -> str:  # asked only when the server wants it
        asked.append("totp")
        return totp(TFA_SECRET, time.time())

    pve = module.ProxmoxVE(srv.url, user=TFA_USER, password=TFA_PASSWORD, otp=second_factor)
    pve.nodes.get()
    assert asked == ["totp"]
    return pve


@pytest.mark.parametrize("kind", ["token", "ticket+tfa"])
def test_seed_workflow(kind: str, server: MockServer, runtime_client: GeneratedClient) -> None:
    client = runtime_client
    pve = _client(kind, client.module, server)
    propstrings = importlib.import_module(f"{client.package}.propstrings")  # lazy: loaded on first use
    net = propstrings.QemuNet(model="virtio", bridge="vmbr0", firewall=True, tag=10)
    progress: list[Any] = []
    try:
        assert [n["node"] for n in pve.nodes.get()] == ["pve1"]
        vmid = int(pve.cluster.nextid.get())  # PVE sends it as a string
        node = pve.nodes("pve1")
        upid = node.qemu.post(vmid=vmid, name="seed", memory="1024", cores=2, net={0: net})
        done = pve.wait_task(
            upid, timeout=30, interval=0.001, on_progress=lambda status, lines: progress.append(status)
        )
        assert done["status"] == "stopped" and done["exitstatus"] == "OK"
        assert client.module.UPID.parse(upid).type == "qmcreate"
        assert [p["status"] for p in progress] == ["running", "running", "stopped"]  # it really polled
        config = node.qemu(vmid).config.get()
        parsed = type(net).parse(config["net0"])
        assert (parsed.bridge, parsed.firewall, parsed.tag, parsed.model) == ("vmbr0", True, 10, "virtio")
        pve.wait_task(node.qemu(vmid).status.start.post(), timeout=30, interval=0.001)
        assert node.qemu(vmid).status.current.get()["status"] == "running"
        pve.wait_task(node.qemu(vmid).status.stop.post(), timeout=30, interval=0.001)
        assert node.qemu(vmid).status.current.get()["status"] == "stopped"
        pve.wait_task(node.qemu(vmid).delete(), timeout=30, interval=0.001)
        assert vmid not in [int(vm["vmid"]) for vm in node.qemu.get()]
    finally:
        pve.close()
    writes = [r for r in server.requests if r.method != "GET" and r.path != "/access/ticket"]
    assert [(r.method, r.path.rsplit("/", 1)[-1]) for r in writes] == [
        ("POST", "qemu"),
        ("POST", "start"),
        ("POST", "stop"),
        ("DELETE", str(vmid)),
    ]  # each write sent exactly once
    if kind == "ticket+tfa":
        assert all(r.csrf for r in writes)  # every ticket write carried the CSRF header
