"""json and extjs answers map to the same results and exceptions; raw answers (status, headers)
on request. The embedded spec's client against `pvegen mock` serving that spec over HTTP."""

from __future__ import annotations

from typing import Any

import pytest

from pvegen.mock import MockServer

from .fixtures_codegen import embedded_package, embedded_spec
from .fixtures_mock import MOCK_PASSWORD, MOCK_TOKEN_ID, MOCK_TOKEN_SECRET, MOCK_USER, MockFactory


@pytest.fixture
def pkg() -> Any:
    """The generated package (module) of the embedded spec."""
    return embedded_package()


@pytest.fixture
def srv(mock_server: MockFactory) -> MockServer:
    """A mock of the embedded spec (release 9.1) whose tasks finish at once."""
    return mock_server(embedded_spec(), task_duration=0.0)


FORMATS = ["json", "extjs"]


def token(pkg: Any, srv: MockServer, **kwargs: Any) -> Any:
    return pkg.ProxmoxVE(srv.url, token_id=MOCK_TOKEN_ID, token_secret=MOCK_TOKEN_SECRET, **kwargs)


@pytest.mark.parametrize("fmt", FORMATS)
def test_same_results_in_both_formats(pkg: Any, srv: MockServer, fmt: str) -> None:
    pve = token(pkg, srv, format=fmt)
    assert pve.nodes("pve1").qemu.post(vmid=170, name="fmt", cores=2).startswith("UPID:pve1:")
    status = pve.nodes("pve1").qemu(170).status.current.get()
    assert (status["vmid"], status["status"]) == (170, "stopped")
    assert {r.format for r in srv.requests} == {fmt}


@pytest.mark.parametrize("fmt", FORMATS)
def test_ticket_login_in_both_formats(pkg: Any, srv: MockServer, fmt: str) -> None:
    pve = pkg.ProxmoxVE(srv.url, user=MOCK_USER, password=MOCK_PASSWORD, format=fmt)
    assert pve.version.get()["release"] == "9.1"
    assert [(r.path, r.format) for r in srv.requests] == [("/access/ticket", fmt), ("/version", fmt)]


@pytest.mark.parametrize("fmt", FORMATS)
def test_errors_map_to_the_same_exceptions(pkg: Any, srv: MockServer, fmt: str) -> None:
    pve = token(pkg, srv, format=fmt)
    with pytest.raises(pkg.ServerError) as missing:
        pve.nodes("pve1").qemu(171).status.current.get()
    assert missing.value.status == 500 and "171" in missing.value.message
    with pytest.raises(pkg.BadRequestError) as bad:
        pve.request("POST", "/nodes/pve1/qemu", vmid="not-a-number")
    assert bad.value.status == 400 and "vmid" in bad.value.errors
    pve.nodes("pve1").qemu.post(vmid=172)
    with pytest.raises(pkg.ServerError) as exists:
        pve.nodes("pve1").qemu.post(vmid=172)
    assert "already exists" in exists.value.message
    with pytest.raises(pkg.AuthenticationError) as refused:
        pkg.ProxmoxVE(srv.url, token_id=MOCK_TOKEN_ID, token_secret="wrong-2c9", format=fmt).version.get()
    assert refused.value.status == 401


def test_extjs_status_in_the_body_wins(pkg: Any, recording_server: Any) -> None:
    # extjs answers 200 and may name the real status in the body (the recording server keeps
    # the /api2/extjs prefix in its reply keys)
    body = {"success": 0, "status": 403, "message": "Permission check failed", "data": None}
    recording_server.reply("GET", "/api2/extjs/version", 200, body)
    recording_server.reply("GET", "/api2/extjs/cluster/status", 200, {"success": 0, "data": None})
    pve = pkg.ProxmoxVE(recording_server.url, token_id=MOCK_TOKEN_ID, token_secret="s", format="extjs")
    with pytest.raises(pkg.PermissionDeniedError) as denied:
        pve.version.get()
    assert (denied.value.status, denied.value.message) == (403, "Permission check failed")
    with pytest.raises(pkg.ServerError) as failed:  # no status, no errors: a server failure
        pve.request("GET", "/cluster/status")
    assert failed.value.status == 500


def test_unknown_format_is_refused(pkg: Any) -> None:
    with pytest.raises(pkg.ConfigurationError, match="format"):
        pkg.ProxmoxVE("pve.example", token_id=MOCK_TOKEN_ID, token_secret="s", format="xml")


@pytest.mark.parametrize("fmt", FORMATS)
def test_raw_response_gives_status_headers_and_data(pkg: Any, srv: MockServer, fmt: str) -> None:
    pve = token(pkg, srv, format=fmt)
    ok = pve.request_raw("GET", "/nodes")
    assert ok.status == 200 and ok.headers["content-type"].startswith("application/json")
    assert [n["node"] for n in ok.data] == ["pve1"] and ok.body.startswith(b"{")
    missing = pve.request_raw("GET", "/nodes/pve1/qemu/173/status/current")  # not raised
    assert missing.status == (200 if fmt == "extjs" else 500) and missing.data is None
    assert "173" in (missing.reason if fmt == "json" else missing.body.decode())


def test_capture_responses_of_typed_calls(pkg: Any, srv: MockServer) -> None:
    pve = token(pkg, srv)
    with pve.capture_responses() as seen:
        pve.nodes.get()
        with pytest.raises(pkg.ServerError):
            pve.nodes("pve1").qemu(174).status.current.get()
    pve.version.get()  # outside the block: not captured
    assert [(r.method, r.path, r.status) for r in seen] == [
        ("GET", "/nodes", 200),
        ("GET", "/nodes/pve1/qemu/174/status/current", 500),
    ]
    assert seen[0].headers["Content-Length"] == str(len(seen[0].body)) and "Server" in seen[0].headers
    assert repr(seen[0]) == "<RawResponse GET /nodes: 200 OK>"
