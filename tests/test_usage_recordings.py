"""Recorded calls as usage sources: vcrpy cassettes (YAML and JSON, written by hand and recorded for real
against the mock), ``pvegen mock --log`` lines and manifests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import vcr  # type: ignore[import-untyped]
from proxmoxer import ProxmoxAPI  # type: ignore[import-untyped]

from pvegen.usage import Call, scan
from pvegen.usage.resolve import PathIndex
from tests.fixtures_mock import MOCK_TOKEN_SECRET, MOCK_USER, MockFactory
from tests.fixtures_shared import ROOT, embedded_spec

RECORDINGS = ROOT / "tests" / "usage_corpus" / "recordings"
EMBEDDED = embedded_spec()


def _calls(path: Path) -> list[tuple[int, str | None, str, dict[str, Any], bool]]:
    result = scan([str(path)])
    assert result.warnings == []
    return [(c.line, c.method, c.shape, c.params, c.params_complete) for c in result.calls]


def test_yaml_cassette_form_binary_and_json_bodies() -> None:
    assert _calls(RECORDINGS / "cassette.yaml") == [
        (2, "GET", "/cluster/resources", {"type": "vm"}, True),
        (
            16,
            "POST",
            "/nodes/pve1/qemu",
            {"vmid": "120", "name": "web", "net0": "virtio,bridge=vmbr0", "scsi0": "local-lvm:8"},
            True,
        ),
        (30, "PUT", "/nodes/pve1/qemu/120/config", {"cores": "4"}, True),  # a !!binary body
        (45, "POST", "/nodes/pve1/lxc", {"vmid": 121, "hostname": "ct"}, True),  # JSON body, /api2/extjs
    ]
    lines = (RECORDINGS / "cassette.yaml").read_text().splitlines()
    assert all(lines[line - 1] == "- request:" for line, *_ in _calls(RECORDINGS / "cassette.yaml"))


def test_json_cassette_lines_are_where_each_request_is_written() -> None:
    found = _calls(RECORDINGS / "cassette.json")
    assert [(m, s, p) for _, m, s, p, _ in found] == [
        ("GET", "/nodes/pve1/qemu/120/status/current", {}),
        ("POST", "/nodes/pve1/qemu/120/status/start", {"skiplock": "1"}),
        ("DELETE", "/nodes/pve1/qemu/120", {"purge": "1"}),
    ]
    lines = (RECORDINGS / "cassette.json").read_text().splitlines()
    assert all('"uri"' in lines[line - 1] for line, *_ in found)


def test_mock_log_and_manifest() -> None:
    assert _calls(RECORDINGS / "mock.log") == [
        (1, "POST", "/access/ticket", {"username": "root@pam", "password": "********"}, True),
        (2, "GET", "/nodes", {}, True),
        (3, "POST", "/nodes/pve1/qemu", {"vmid": "100", "net0": "virtio,bridge=vmbr0"}, True),
        (4, "GET", "/nodes/pve1/qemu/100/status/current", {"full": "1"}, True),  # query string read as params
    ]
    assert _calls(RECORDINGS / "manifest.jsonl") == [
        (1, "GET", "/version", {}, True),
        (2, "POST", "/nodes/pve2/lxc/200/status/start", {"skiplock": 1}, True),
        (4, "DELETE", "/pools/dev", {}, True),
    ]


def test_a_folder_of_recordings_skips_other_json_and_yaml_quietly(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text('{"name": "x", "version": "1.0.0"}\n')
    (tmp_path / "ci.yaml").write_text("on: push\njobs: {}\n")
    (tmp_path / "app.log").write_text("2026-01-01 started\n")
    (tmp_path / "calls.jsonl").write_text('{"method": "GET", "path": "/api2/json/version"}\nnot json\n')
    result = scan([str(tmp_path)])
    assert [(c.method, c.shape) for c in result.calls] == [("GET", "/version")]
    assert [str(w) for w in result.warnings] == [f"{tmp_path}/calls.jsonl:2: warning: 1 line(s) are not JSON; skipped"]


def test_a_named_file_that_is_no_recording_is_one_warning(tmp_path: Path) -> None:
    other = tmp_path / "notes.json"
    other.write_text('{"hello": 1}\n')
    result = scan([str(other)])
    assert result.calls == [] and len(result.warnings) == 1
    assert "not a Python file, vcrpy cassette, mock log or usage manifest" in result.warnings[0].message


def test_the_projects_recorded_cassettes_resolve_against_the_embedded_spec() -> None:
    """Real cassettes (recorded against the mock by tests/test_mock_cassettes.py)."""
    result = scan([str(ROOT / "tests" / "cassettes")])
    index = PathIndex(EMBEDDED)
    assert len(result.calls) >= 20
    for call in result.calls:
        if call.shape == "/access/ticket" or "bad" in call.file:
            continue
        assert index.resolve(call).hits, f"{call.file}:{call.line}: {call.method} {call.shape}"


def test_a_cassette_recorded_from_proxmoxer_against_the_mock(
    mock_server: MockFactory, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    srv = mock_server(EMBEDDED, task_duration=0.01)
    recorder = vcr.VCR(serializer="json", record_mode="all", filter_headers=["authorization"])
    cassette = tmp_path / "session.json"
    px = ProxmoxAPI(
        srv.url.split("//")[1].split(":")[0],
        port=srv.port,
        user=MOCK_USER,
        token_name="ci",
        token_value=MOCK_TOKEN_SECRET,
        service="PVE",
        backend="https",
        verify_ssl=False,
    )
    px._backend.base_url = f"{srv.url}/api2/json"  # the mock speaks plain HTTP here
    px._store["base_url"] = px._backend.base_url
    with recorder.use_cassette(str(cassette)):
        node = px.nodes.get()[0]["node"]
        vmid = int(px.cluster.nextid.get())
        px.nodes(node).qemu.create(vmid=vmid, name="rec", memory=512)
    found: list[Call] = scan([str(cassette)]).calls
    assert [(c.method, c.shape) for c in found] == [
        ("GET", "/nodes"),
        ("GET", "/cluster/nextid"),
        ("POST", f"/nodes/{node}/qemu"),
    ]
    assert found[2].params == {"vmid": str(vmid), "name": "rec", "memory": "512"}
    hit = PathIndex(EMBEDDED).resolve(found[2]).hits[0]
    assert hit.op.path == "/nodes/{node}/qemu" and dict(hit.path_values) == {"node": node}
