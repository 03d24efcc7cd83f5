"""Issue 13 item 8: the request log (``pvegen mock --log FILE``, ``-v``), one JSON line per request, read
back after a proxmoxer session: time, client, method, path, masked parameters, status, source."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
import requests
from proxmoxer.core import ResourceException  # type: ignore[import-untyped]

from pvegen import Spec, load_spec_text
from pvegen.mock import MockError, MockServer
from tests.fixtures_mock import (
    MOCK_TOKEN_ID,
    MOCK_TOKEN_SECRET,
    MockFactory,
    proxmoxer_api,
    stateful_spec_data,
    task_ok,
)

KEYS = ["time", "client", "method", "path", "params", "status", "source"]
SECRET = "hunter2-not-in-any-log"


def entries(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_each_request_is_one_json_line(
    mock_server: MockFactory, stateful: Spec, tls_cert: tuple[str, str], tmp_path: Path
) -> None:
    log = tmp_path / "requests.log"
    echo = io.StringIO()
    srv = mock_server(stateful, tls=True, task_polls=0, log=log, log_echo=echo)
    px = proxmoxer_api(srv, tls_cert[0])
    task_ok(px, px.nodes("pve1").qemu.post(vmid=100, name="web", cipassword=SECRET))
    px.nodes("pve1").qemu(100).config.get()
    px.nodes("pve1").status.get()  # not modelled: sample data
    with pytest.raises(ResourceException):
        px.nodes("pve1").qemu(999).config.get()
    lines = entries(log)
    assert [list(e) for e in lines] == [KEYS] * 5
    assert [(e["method"], e["path"], e["status"], e["source"]) for e in lines] == [
        ("POST", "/api2/json/nodes/pve1/qemu", 200, "state"),
        ("GET", lines[1]["path"], 200, "state"),  # the task's status
        ("GET", "/api2/json/nodes/pve1/qemu/100/config", 200, "state"),
        ("GET", "/api2/json/nodes/pve1/status", 200, "sample"),
        ("GET", "/api2/json/nodes/pve1/qemu/999/config", 500, "error"),
    ]
    assert re.fullmatch(r"/api2/json/nodes/pve1/tasks/UPID(:|%3A)pve1.*/status", lines[1]["path"])  # as sent
    assert lines[0]["params"] == {"vmid": "100", "name": "web", "cipassword": "***"}
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", e["time"]) for e in lines)
    assert all(re.fullmatch(r"127\.0\.0\.1:\d+", e["client"]) for e in lines)
    assert echo.getvalue() == log.read_text(encoding="utf-8")  # -v prints the same lines
    assert SECRET not in log.read_text(encoding="utf-8")


def test_secrets_in_queries_and_logins_are_masked(mock_server: MockFactory, tmp_path: Path) -> None:
    data = stateful_spec_data()  # and the console call whose ticket travels in the query, as PVE declares it
    data["operations"].append({"method": "GET", "path": "/nodes/{node}/qemu/{vmid}/vncwebsocket",
        "name": "vncwebsocket", "returns": {"type": "object", "properties": {"port": {"type": "string"}}},
        "permissions": {"check": ["perm", "/vms/{vmid}", ["VM.Console"]]},
        "parameters": {"node": {"type": "string", "format": "pve-node"},
                       "vmid": {"type": "integer", "format": "pve-vmid", "minimum": 100},
                       "port": {"type": "integer", "minimum": 5900, "maximum": 5999},
                       "vncticket": {"type": "string", "maxLength": 512}}})  # fmt: skip
    log = tmp_path / "requests.log"
    srv = mock_server(load_spec_text(json.dumps(data), source="console.json"), log=log)
    token = {"Authorization": f"PVEAPIToken={MOCK_TOKEN_ID}={MOCK_TOKEN_SECRET}"}
    requests.post(f"{srv.url}/api2/json/nodes/pve1/qemu", data={"vmid": 100}, headers=token, timeout=10)
    requests.get(f"{srv.url}/api2/json/nodes/pve1/qemu/100/vncwebsocket", headers=token, timeout=10,
                 params={"port": "5900", "vncticket": SECRET})  # fmt: skip
    requests.post(f"{srv.url}/api2/json/access/ticket", data={"username": "root@pam", "password": SECRET}, timeout=10)
    text = log.read_text(encoding="utf-8")
    assert SECRET not in text and MOCK_TOKEN_SECRET not in text
    vnc, login = entries(log)[1:]
    assert vnc["params"] == {"port": "5900", "vncticket": "***"}
    assert (vnc["status"], vnc["source"]) == (200, "sample")  # the call was answered, not refused as unknown
    assert login["params"] == {"username": "root@pam", "password": "***"}
    assert (login["status"], login["source"]) == (401, "error")  # a wrong password
    assert all(SECRET not in r.raw_path for r in srv.requests)


def test_secret_keys_inside_property_strings_are_masked(mock_server: MockFactory, tmp_path: Path) -> None:
    spec = tmp_path / "spec.json"
    endpoint = {"host": {"type": "string"}, "password": {"type": "string", "optional": 1}}
    spec.write_text(json.dumps({"format": "pvegen-spec/1", "product": "pve", "version": "9.1", "operations": [
        {"method": "POST", "path": "/remotes", "name": "add", "returns": {"type": "null"},
         "parameters": {"endpoint": {"type": "string", "format": endpoint}}}]}))  # fmt: skip
    log = tmp_path / "requests.log"
    srv = mock_server(spec, log=log)
    token = {"Authorization": f"PVEAPIToken={MOCK_TOKEN_ID}={MOCK_TOKEN_SECRET}"}
    sent = requests.post(f"{srv.url}/api2/json/remotes", data={"endpoint": f"host=pve2,password={SECRET}"},
                         headers=token, timeout=10)  # fmt: skip
    assert sent.status_code == 200
    [entry] = entries(log)
    assert entry["params"] == {"endpoint": "host=pve2,password=***"}
    assert srv.requests[0].params == entry["params"]


def test_dropped_connections_and_unknown_paths(mock_server: MockFactory, stateful: Spec, tmp_path: Path) -> None:
    log = tmp_path / "requests.log"
    srv = mock_server(stateful, log=log)
    token = {"Authorization": f"PVEAPIToken={MOCK_TOKEN_ID}={MOCK_TOKEN_SECRET}"}
    srv.faults.reset_after_read, srv.faults.limit = 1.0, 1
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{srv.url}/api2/json/nodes", headers={**token, "Connection": "close"}, timeout=10)
    requests.get(f"{srv.url}/api2/json/nosuchpath", headers=token, timeout=10)
    assert [(e["path"], e["status"], e["source"]) for e in entries(log)] == [
        ("/api2/json/nodes", 0, "error"),  # read, never answered
        ("/api2/json/nosuchpath", 501, "error"),
    ]


def test_log_is_appended_and_an_unwritable_one_is_refused(stateful: Spec, tmp_path: Path) -> None:
    log = tmp_path / "requests.log"
    for _ in range(2):
        with MockServer(stateful, log=log) as srv:
            requests.get(f"{srv.url}/api2/json/version", timeout=10)
    assert [e["status"] for e in entries(log)] == [401, 401]
    with pytest.raises(MockError, match="cannot open the request log"):
        MockServer(stateful, log=tmp_path / "no" / "such" / "dir.log").start()
