"""The generated 9.1 client against `pvegen mock` serving the same release on 127.0.0.1."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from pvegen import Spec

from .fixtures_mock import MOCK_PASSWORD, MOCK_TOKEN_ID, MOCK_TOKEN_SECRET, MOCK_USER, MockFactory


def test_token_client_creates_and_reads_a_vm(
    pve91: Any, mock_server: MockFactory, release: Callable[[str], Spec]
) -> None:
    srv = mock_server(release("9.1"))
    pve = pve91.ProxmoxVE(srv.url, token_id=MOCK_TOKEN_ID, token_secret=MOCK_TOKEN_SECRET)
    assert [n["node"] for n in pve.nodes.get()] == ["pve1"]
    upid = pve.nodes("pve1").qemu.post(vmid=100, name="web", net={0: "virtio,bridge=vmbr0"}, start=False)
    assert upid.startswith("UPID:pve1:")
    status = pve.nodes("pve1").qemu(100).status.current.get()
    assert (status["vmid"], status["name"], status["status"]) == (100, "web", "stopped")
    # PVE adds the MAC it generates (Proxmox's BC:24:11 prefix) and writes the short form model=MAC
    assert re.fullmatch(
        r"virtio=BC:24:11(:[0-9A-F]{2}){3},bridge=vmbr0", pve.nodes("pve1").qemu(100).config.get()["net0"]
    )
    assert all(r.auth == "token" for r in srv.requests)


def test_ticket_client_logs_in(pve91: Any, mock_server: MockFactory, release: Callable[[str], Spec]) -> None:
    srv = mock_server(release("9.1"))
    pve = pve91.ProxmoxVE(srv.url, user=MOCK_USER, password=MOCK_PASSWORD)
    assert pve.version.get()["release"] == "9.1"
    assert [(r.method, r.path, r.auth) for r in srv.requests] == [
        ("POST", "/access/ticket", None),
        ("GET", "/version", "ticket"),
    ]


def test_errors_and_validation(pve91: Any, mock_server: MockFactory, release: Callable[[str], Spec]) -> None:
    srv = mock_server(release("9.1"))
    wrong = pve91.ProxmoxVE(srv.url, token_id=MOCK_TOKEN_ID, token_secret="wrong-secret")
    with pytest.raises(pve91.AuthenticationError) as info:
        wrong.version.get()
    assert info.value.status == 401 and "wrong-secret" not in str(info.value)
    srv.requests.clear()
    pve = pve91.ProxmoxVE(srv.url, token_id=MOCK_TOKEN_ID, token_secret=MOCK_TOKEN_SECRET)
    with pytest.raises(pve91.ValidationError):
        pve.nodes("pve1").qemu.post(vmid=100, net={0: "virtio"}, cores=0)
    assert srv.requests.snapshot() == []  # nothing left the machine
