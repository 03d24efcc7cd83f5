"""``compat OLD NEW --usage SRC``: which changes a call touches (the rules of select.py), on two small
specs written here, through the real CLI (``--format json``); and the same on the real 8.4 <-> 9.1 pair."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pvegen.cli import main
from tests.fixtures_shared import ROOT, shared_release

CORPUS = ROOT / "tests" / "usage_corpus"

_NET = {"format": {"model": {"type": "string", "default_key": 1}, "bridge": {"type": "string", "optional": 1}}}


def _ops(version: str) -> list[dict[str, Any]]:
    old = version == "1.0"
    create_params: dict[str, Any] = {
        "node": {"type": "string"},
        "vmid": {"type": "integer", "minimum": 100},
        "name": {"type": "string", "optional": 1},
        "net[n]": {"type": "string", "optional": 1, **_NET},
        "cores": {"type": "integer", "optional": 1, "default": 1 if old else 2},  # default changed
        "ostype": {"type": "string", "optional": 1, "enum": ["l26", "win10"] if old else ["l26"]},
    }
    if not old:
        create_params["net[n]"] = {
            "type": "string",
            "optional": 1,
            "format": {"model": {"type": "string", "default_key": 1}},  # net[n].bridge removed
        }
        create_params["pool"] = {"type": "string"}  # a new required parameter
    start_params: dict[str, Any] = {"node": {"type": "string"}, "vmid": {"type": "integer"}}
    if old:
        start_params["skiplock"] = {"type": "boolean", "optional": 1}  # removed in 1.1
    ops: list[dict[str, Any]] = [
        {"method": "GET", "path": "/nodes", "returns": {"type": "array"}, "parameters": {}},
        {"method": "POST", "path": "/nodes/{node}/qemu", "parameters": create_params, "returns": {"type": "string"}},
        {
            "method": "POST",
            "path": "/nodes/{node}/qemu/{vmid}/status/start",
            "parameters": start_params,
            "returns": {"type": "string"},
            "allowtoken": 1 if old else 0,  # token access removed
        },
    ]
    if old:
        ops.append({"method": "GET", "path": "/nodes/{node}/legacy", "parameters": {"node": {"type": "string"}}})
    return ops


def _spec(tmp: Path, version: str) -> Path:
    path = tmp / f"spec-{version}.json"
    doc = {"format": "pvegen-spec/1", "product": "pve", "version": version, "operations": _ops(version)}
    path.write_text(json.dumps(doc))
    return path


def _gate(tmp: Path, script: str, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, dict[str, Any]]:
    source = tmp / "script.py"
    source.write_text(script)
    code = main(["compat", str(_spec(tmp, "1.0")), str(_spec(tmp, "1.1")), "--usage", str(source), *extra])
    out = capsys.readouterr().out
    return code, json.loads(out)


def _kept(report: dict[str, Any]) -> dict[tuple[str, str | None], list[tuple[int, bool]]]:
    return {(c["rule"], c["parameter"]): [(u["line"], u["may_hit"]) for u in c["uses"]] for c in report["changes"]}


HEADER = "from proxmoxer import ProxmoxAPI\napi = ProxmoxAPI('h')\n"


def test_only_the_changes_the_calls_touch_are_kept(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = HEADER + "api.nodes('pve1').qemu.create(vmid=100, ostype='l26', net0='virtio,bridge=vmbr0')\n"
    code, report = _gate(tmp_path, script, capsys, "--format", "json")
    kept = _kept(report)
    assert kept == {
        ("param-added-required", "pool"): [(3, False)],  # every call of the operation
        ("param-enum-narrowed", "ostype"): [(3, False)],  # passed
        ("param-default-changed", "cores"): [(3, False)],  # NOT passed: omitting it now means 2 cores
        ("param-subkey-removed", "net[n].bridge"): [(3, False)],  # its literal net0 names bridge
    }
    assert report["usage"]["calls"] == 1
    assert sum(report["usage"]["unfiltered"].values()) > len(report["changes"])
    assert code == 1  # the kept breaking changes fail the gate


def test_a_passed_default_and_an_unnamed_subkey_are_not_touched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = HEADER + "api.nodes('pve1').qemu.create(vmid=100, cores=4, net0='virtio', pool='p')\n"
    _, report = _gate(tmp_path, script, capsys, "--format", "json")
    assert set(_kept(report)) == {("param-added-required", "pool")}


def test_unknown_parameters_touch_every_parameter_change_as_may_hit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = HEADER + "def f(**kw):\n    api.nodes('pve1').qemu.create(vmid=100, **kw)\n"
    _, report = _gate(tmp_path, script, capsys, "--format", "json")
    kept = _kept(report)
    assert kept[("param-added-required", "pool")] == [(4, False)]
    assert kept[("param-enum-narrowed", "ostype")] == [(4, True)]
    assert kept[("param-subkey-removed", "net[n].bridge")] == [(4, True)]
    assert kept[("param-default-changed", "cores")] == [(4, True)]


def test_endpoint_token_and_removed_parameter_changes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = HEADER + (
        "api.nodes('pve1').qemu(100).status.start.post(skiplock=1)\n"
        "api.nodes('pve1').legacy.get()\n"
        "api.nodes.get()\n"
    )
    code, report = _gate(tmp_path, script, capsys, "--format", "json", "--fail-on", "never")
    assert _kept(report) == {
        ("param-removed", "skiplock"): [(3, False)],  # 1.1 lacks it: still "passed" (known to 1.0)
        ("token-access-removed", None): [(3, False)],
        ("endpoint-removed", None): [(4, False)],
    }
    assert code == 0


def test_a_method_the_code_does_not_show_may_hit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = "import requests\ndef f(url, node):\n    fetch(f'{url}/api2/json/nodes/{node}/legacy')\n"
    _, report = _gate(tmp_path, script, capsys, "--format", "json")
    assert _kept(report) == {("endpoint-removed", None): [(3, True)]}


def test_no_calls_keeps_nothing_and_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "empty.py"
    source.write_text("print('hello')\n")
    code = main(["compat", str(_spec(tmp_path, "1.0")), str(_spec(tmp_path, "1.1")), "--usage", str(source)])
    captured = capsys.readouterr()
    assert code == 0
    assert "no API calls found" in captured.err


def test_a_missing_source_is_an_input_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["compat", str(_spec(tmp_path, "1.0")), str(_spec(tmp_path, "1.1")), "--usage", "nope/"])
    assert code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nope/: no such file or folder" in err


# == the real releases ======================================================================
def _real(old: str, new: str, source: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, Any]:
    main(
        [
            "compat",
            str(shared_release(old)),
            str(shared_release(new)),
            "--usage",
            str(source),
            "--format",
            "json",
            *extra,
        ]
    )
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


def test_a_basic_vm_script_keeps_only_what_touches_its_calls(capsys: pytest.CaptureFixture[str]) -> None:
    script = CORPUS / "basic_vm.py"
    report = _real("8.4", "9.1", script, capsys)
    call_lines = {
        line for line in range(1, 40) if "api." in _line(script, line) and "ProxmoxAPI" not in _line(script, line)
    }
    assert report["changes"], "the 8.4 -> 9.1 pair changes some of these calls"
    operations = {
        ("GET", "/nodes"),
        ("GET", "/cluster/nextid"),
        ("GET", "/nodes/{node}/tasks/{upid}/status"),
        ("POST", "/nodes/{node}/qemu"),
        ("POST", "/nodes/{node}/qemu/{vmid}/status/start"),
        ("GET", "/nodes/{node}/qemu/{vmid}/status/current"),
        ("POST", "/nodes/{node}/qemu/{vmid}/snapshot"),
        ("GET", "/nodes/{node}/qemu/{vmid}/snapshot"),
        ("POST", "/nodes/{node}/qemu/{vmid}/status/stop"),
        ("DELETE", "/nodes/{node}/qemu/{vmid}"),
    }
    for change in report["changes"]:
        assert (change["method"], change["path"]) in operations
        assert change["uses"] and all(use["line"] in call_lines for use in change["uses"])
        if (
            change["parameter"]
            and not change["parameter"].startswith("returns")
            and change["rule"] != "param-default-added"
        ):
            assert change["parameter"].split(".")[0].rstrip("[n]0123456789") in _line(script, change["uses"][0]["line"])
    # None of the 16 disk-key changes of POST /nodes/{node}/qemu: the script passes no disk.
    assert not any(
        c["parameter"] and c["parameter"].startswith(("scsi", "ide", "sata", "virtio")) for c in report["changes"]
    )
    assert report["usage"]["unfiltered"]["breaking"] > 0 and report["summary"]["breaking"] == 0


def test_9x_sdn_lock_calls_are_each_flagged_against_84(capsys: pytest.CaptureFixture[str]) -> None:
    helper = CORPUS / "sdn_lock.py"
    calls = [n for n in range(1, 50) if ".cluster.sdn" in _line(helper, n)]
    assert len(calls) == 8
    report = _real("9.1", "8.4", helper, capsys, "--fail-on", "breaking")
    flagged = {use["line"] for c in report["changes"] if c["severity"] == "breaking" for use in c["uses"]}
    assert flagged == set(calls)
    rules = {(c["rule"], c["path"], c["parameter"]) for c in report["changes"]}
    assert ("endpoint-removed", "/cluster/sdn/lock", None) in rules
    assert ("endpoint-removed", "/cluster/sdn/rollback", None) in rules
    assert ("param-removed", "/cluster/sdn", "lock-token") in rules
    assert report["failed"] is True
    # Upwards (8.4 -> 9.1) the lock endpoints are new; the only concern is a new bound on the vnet tag it passes.
    upward = _real("8.4", "9.1", helper, capsys)
    assert {c["parameter"] for c in upward["changes"] if c["severity"] in ("breaking", "warning")} == {"tag"}
    assert {c["path"] for c in upward["changes"] if c["rule"] == "endpoint-added"} == {
        "/cluster/sdn/lock",
        "/cluster/sdn/rollback",
    }


def _line(path: Path, number: int) -> str:
    lines = path.read_text().splitlines()
    return lines[number - 1] if number <= len(lines) else ""


def test_github_annotations_point_at_the_scripts_lines(capsys: pytest.CaptureFixture[str]) -> None:
    script = CORPUS / "basic_vm.py"
    shown = str(script)
    main(["compat", str(shared_release("8.4")), str(shared_release("9.1")), "--usage", shown, "--format", "github",
          "--fail-on", "non-breaking"])  # fmt: skip
    lines = capsys.readouterr().out.splitlines()
    annotations = [line for line in lines if line.startswith(("::error ", "::warning "))]
    assert annotations, lines
    for annotation in annotations:
        properties = dict(part.split("=", 1) for part in annotation.split(" ", 1)[1].split("::")[0].split(","))
        assert properties["file"] == shown
        line = int(properties["line"])
        assert "api." in _line(script, line) and int(properties["col"]) == _line(script, line).index("api.") + 1
    assert lines[-1].startswith("::notice ") and "call site(s) in" in lines[-1]


def test_the_text_report_names_each_use(capsys: pytest.CaptureFixture[str]) -> None:
    helper = CORPUS / "sdn_lock.py"
    code = main(["compat", str(shared_release("9.1")), str(shared_release("8.4")), "--usage", str(helper),
                 "--fail-on", "breaking", "--verbose"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 1
    used = {int(line.split(":")[1]) for line in out.splitlines() if line.strip().startswith(f"at {helper}:")}
    assert used == {n for n in range(1, 50) if ".cluster.sdn" in _line(helper, n)}
    assert "Kept the changes that 8 call site(s)" in out
