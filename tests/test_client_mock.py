"""The generated client against `pvegen mock` serving the same spec on 127.0.0.1 (the runtime tests' spec:
the embedded one and a few more operations, tests/fixtures_client.py)."""

from __future__ import annotations

import importlib
import re
from typing import Any

import pytest

from pvegen import Spec

from .fixtures_mock import MOCK_PASSWORD, MOCK_TOKEN_ID, MOCK_TOKEN_SECRET, MOCK_USER, MockFactory


def test_token_client_creates_and_reads_a_vm(api: Any, mock_server: MockFactory, runtime_spec: Spec) -> None:
    srv = mock_server(runtime_spec)
    pve = api.ProxmoxVE(srv.url, token_id=MOCK_TOKEN_ID, token_secret=MOCK_TOKEN_SECRET)
    assert [n["node"] for n in pve.nodes.get()] == ["pve1"]
    upid = pve.nodes("pve1").qemu.post(vmid=100, name="web", net={0: "virtio,bridge=vmbr0"}, start=False)
    assert upid.startswith("UPID:pve1:")
    status = pve.nodes("pve1").qemu(100).status.current.get()
    assert (status["vmid"], status["name"], status["status"]) == (100, "web", "stopped")
    propstrings = importlib.import_module(f"{api.__name__}.propstrings")  # imported on first use
    config_net = pve.nodes("pve1").qemu(100).config.get()["net0"]
    # PVE adds the MAC it generates (Proxmox's BC:24:11 prefix) and writes the short form model=MAC
    assert re.fullmatch(r"virtio=BC:24:11(:[0-9A-F]{2}){3},bridge=vmbr0", config_net)
    net = propstrings.QemuNet.parse(config_net)
    assert (net.model, net.bridge, net.macaddr[:8]) == ("virtio", "vmbr0", "BC:24:11")
    assert all(r.auth == "token" for r in srv.requests)


def test_ticket_client_logs_in(api: Any, mock_server: MockFactory, runtime_spec: Spec) -> None:
    srv = mock_server(runtime_spec)
    pve = api.ProxmoxVE(srv.url, user=MOCK_USER, password=MOCK_PASSWORD)
    assert pve.version.get()["release"] == "9.1"
    assert [(r.method, r.path, r.auth) for r in srv.requests] == [
        ("POST", "/access/ticket", None),
        ("GET", "/version", "ticket"),
    ]


def test_errors_and_validation(api: Any, mock_server: MockFactory, runtime_spec: Spec) -> None:
    srv = mock_server(runtime_spec)
    wrong = api.ProxmoxVE(srv.url, token_id=MOCK_TOKEN_ID, token_secret="wrong-secret")
    with pytest.raises(api.AuthenticationError) as info:
        wrong.version.get()
    assert info.value.status == 401 and "wrong-secret" not in str(info.value)
    srv.requests.clear()
    pve = api.ProxmoxVE(srv.url, token_id=MOCK_TOKEN_ID, token_secret=MOCK_TOKEN_SECRET)
    with pytest.raises(api.ValidationError):
        pve.nodes("pve1").qemu.post(vmid=100, net={0: "virtio"}, cores=0)
    assert srv.requests.snapshot() == []  # nothing left the machine


@pytest.mark.parametrize(
    ("fmt", "content_type", "shows"), [("html", "text/html", "<html"), ("text", "text/plain", "pve1")]
)
def test_the_debugging_formats_come_back_as_text(
    api: Any, mock_server: MockFactory, runtime_spec: Spec, fmt: str, content_type: str, shows: str
) -> None:
    """PVE's /api2/html and /api2/text renderings, asked by the client's raw call and served by the mock."""
    srv = mock_server(runtime_spec)
    pve = api.ProxmoxVE(srv.url, token_id=MOCK_TOKEN_ID, token_secret=MOCK_TOKEN_SECRET)
    raw = pve.request_raw("GET", "/nodes", api_format=fmt)
    assert raw.status == 200 and raw.headers["Content-Type"].startswith(content_type)
    assert shows in raw.text.lower()
    assert [(r.format, r.path) for r in srv.requests] == [(fmt, "/nodes")]
