"""``pvegen usage SRC [--spec SPEC] [--format text|json]`` through the CLI: the listing, the linter
findings against one release (on a small spec written here), exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pvegen.cli import main
from tests.fixtures_shared import shared_release

SPEC: dict[str, Any] = {
    "format": "pvegen-spec/1",
    "product": "pve",
    "version": "9.1",
    "operations": [
        {
            "method": "POST",
            "path": "/nodes/{node}/qemu",
            "parameters": {
                "node": {"type": "string", "format": "pve-node"},
                "vmid": {"type": "integer", "minimum": 100},
                "name": {"type": "string", "optional": 1, "maxLength": 8},
                "ostype": {"type": "string", "optional": 1, "enum": ["l26", "win11"]},
                "net[n]": {"type": "string", "optional": 1, "format": {"model": {"type": "string", "default_key": 1}}},
                "new-format": {"type": "boolean", "optional": 1},
            },
            "returns": {"type": "string"},
        },
        {
            "method": "GET",
            "path": "/nodes/{node}/qemu",
            "parameters": {"node": {"type": "string", "format": "pve-node"}},
            "returns": {"type": "array"},
        },
        {
            "method": "GET",
            "path": "/nodes/{node}/qemu/{vmid}/status/current",
            "parameters": {
                "node": {"type": "string", "format": "pve-node"},
                "vmid": {"type": "integer", "minimum": 100},
            },
            "returns": {"type": "object"},
        },
    ],
}

SCRIPT = """\
from proxmoxer import ProxmoxAPI
from proxmox_ve import ProxmoxVE
api = ProxmoxAPI("h")
pve = ProxmoxVE("h")
api.nodes("pve1").qemu.create(vmid=100, name="web", net0="virtio")
api.nodes("pve1").qemu.create(vmid=99, ostype="l27", name="much-too-long", net0="foo=1")
api.nodes("pve1").qemu.create(vmidd=100)
api.nodes("pve1").qemu.put()
api.nodes("pve1").lxc.get()
api.nodes("bad name!").qemu(99).status.current.get()
pve.nodes("pve1").qemu.post(vmid=101, new_format=True, net={0: "e1000"})
def f(**kw):
    api.nodes("pve1").qemu.create(**kw)
"""


def _run(tmp: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    (tmp / "spec.json").write_text(json.dumps(SPEC))
    (tmp / "script.py").write_text(SCRIPT)
    code = main(["usage", str(tmp / "script.py"), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_listing_without_a_spec_prints_the_path_as_the_code_builds_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(tmp_path, capsys)
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == f"{tmp_path}/script.py:5:1: POST /nodes/pve1/qemu  (vmid, name, net0)"
    assert f"{tmp_path}/script.py:13:5: POST /nodes/pve1/qemu  (+ unknown)" in lines
    assert lines[-1].startswith("8 call(s) in 1 file(s): 1 with parameters the scan cannot see")


def test_findings_against_one_release_one_line_each(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(tmp_path, capsys, "--spec", str(tmp_path / "spec.json"))
    assert code == 1
    where = f"{tmp_path}/script.py"
    findings = [line for line in out.splitlines() if line.split(": ")[1:2] and "-" in line.split(": ")[1]]
    assert findings == [
        f"{where}:6:1: invalid-value: vmid=99: value must have a minimum value of 100",
        f"{where}:6:1: invalid-value: ostype='l27': value 'l27' does not have a value in the enumeration 'l26, win11'",
        f"{where}:6:1: invalid-value: name='much-too-long': value may only be 8 characters long",
        # PVE's parse_property_string wording, as the mock (the one judge of values) says it
        f"{where}:6:1: invalid-value: net0='foo=1': invalid format - invalid key in comma-separated list property: foo",
        f"{where}:7:1: unknown-parameter: 'vmidd' is not a parameter of POST /nodes/{{node}}/qemu"
        " (did you mean 'vmid'?)",
        f"{where}:7:1: missing-parameter: POST /nodes/{{node}}/qemu requires 'vmid', which the call does not pass",
        f"{where}:8:1: unknown-method: PUT /nodes/pve1/qemu: pve 9.1 has only GET, POST on this path",
        f"{where}:9:1: unknown-endpoint: GET /nodes/pve1/lxc: no such path in pve 9.1"
        " (did you mean '/nodes/{node}/qemu'?)",
        f"{where}:10:1: invalid-value: path value {{node}}='bad name!': invalid format"
        " - 'bad name!' is not a valid node name",
        f"{where}:10:1: invalid-value: path value {{vmid}}='99': value must have a minimum value of 100",
    ]
    # The generated client's names (new_format, net={0: ...}) are the spec's (new-format, net0): no finding.
    assert f"{where}:11:1: POST /nodes/{{node}}/qemu  (vmid, new_format, net0)" in out
    # **kw: nothing certain, so no "missing vmid".
    assert not any(line.startswith(f"{where}:13:") and "missing" in line for line in out.splitlines())


def test_json_lists_calls_matches_and_findings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(tmp_path, capsys, "--spec", str(tmp_path / "spec.json"), "--format", "json")
    data = json.loads(out)
    assert code == 1
    first = data["calls"][0]
    assert first["line"] == 5 and first["method"] == "POST" and first["path"] == "/nodes/pve1/qemu"
    assert first["parameters"] == ["vmid", "name", "net0"] and first["values"]["vmid"] == 100
    assert first["matches"] == [{"method": "POST", "path": "/nodes/{node}/qemu", "may_hit": False}]
    assert data["summary"]["calls"] == 8 and data["summary"]["unknown_parameters"] == 1
    assert {f["rule"] for f in data["findings"]} == {
        "invalid-value",
        "unknown-parameter",
        "missing-parameter",
        "unknown-method",
        "unknown-endpoint",
    }
    assert data["spec"]["version"] == "9.1"


def test_clean_code_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "spec.json").write_text(json.dumps(SPEC))
    (tmp_path / "ok.py").write_text('from proxmoxer import ProxmoxAPI\nProxmoxAPI("h").nodes("n").qemu.get()\n')
    assert main(["usage", str(tmp_path / "ok.py"), "--spec", str(tmp_path / "spec.json")]) == 0
    assert "0 finding(s) against pve 9.1" in capsys.readouterr().out


def test_secret_values_never_printed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "login.py").write_text(
        'from proxmoxer import ProxmoxAPI\nProxmoxAPI("h").access.ticket.post(username="u", password="hunter2")\n'
    )
    for fmt in ("text", "json"):
        main(["usage", str(tmp_path / "login.py"), "--format", fmt])
        assert "hunter2" not in capsys.readouterr().out


def test_the_style_corpus_checks_clean_against_91(capsys: pytest.CaptureFixture[str]) -> None:
    from tests.test_usage_corpus import STYLES

    code = main(["usage", str(STYLES), "--spec", str(shared_release("9.1"))])
    out = capsys.readouterr().out
    assert code == 0, out


def test_the_realistic_tree_checks_clean_against_91(capsys: pytest.CaptureFixture[str]) -> None:
    """3,000 lines of automation written against 9.1: every call resolves, no false finding."""
    from tests.test_usage_corpus import CORPUS

    code = main(["usage", str(CORPUS / "realistic"), "--spec", str(shared_release("9.1")), "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["findings"] == [] and data["warnings"] == []
    assert data["summary"]["calls"] >= 200
    resolved = [c for c in data["calls"] if c["matches"]]
    assert len(resolved) == data["summary"]["calls"] - data["summary"]["unknown_path"]
