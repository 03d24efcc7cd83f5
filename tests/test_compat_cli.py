"""``pvegen compat`` through the real CLI: exit codes 0/1/2, the JSON contract, every reporter,
--ignore and --output."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from pvegen.cli import main
from tests.fixtures_shared import ROOT

CHANGE_KEYS = {"rule", "severity", "method", "path", "parameter", "old", "new", "message"}


def _spec_file(tmp: Path, name: str, version: str, params: dict[str, Any], extra_ops: int = 0) -> Path:
    ops = [
        {
            "method": "POST",
            "path": "/nodes/{node}/thing",
            "name": "thing",
            "parameters": {"node": {"type": "string", "format": "pve-node"}, **params},
            "returns": {"type": "null"},
        }
    ]
    ops += [{"method": "GET", "path": f"/extra/{i}", "returns": {"type": "null"}} for i in range(extra_ops)]
    path = tmp / name
    path.write_text(json.dumps({"format": "pvegen-spec/1", "product": "pve", "version": version, "operations": ops}))
    return path


@pytest.fixture
def specs(tmp_path: Path) -> dict[str, Path]:
    base = {"size": {"type": "integer", "optional": 1}, "mode": {"type": "string", "enum": ["a", "b"], "optional": 1}}
    return {
        "old": _spec_file(tmp_path, "old.json", "8.1", base),
        "same": _spec_file(tmp_path, "same.json", "8.2", base),
        "added": _spec_file(tmp_path, "added.json", "8.2", base, extra_ops=1),  # non-breaking only
        "deprecated": _spec_file(
            tmp_path,
            "deprecated.json",
            "8.2",
            {  # a warning only
                **base,
                "size": {"type": "integer", "optional": 1, "description": "Deprecated: use 'mode'."},
            },
        ),
        "broken": _spec_file(tmp_path, "broken.json", "8.2", {"mode": base["mode"]}),  # size removed
        "next-major": _spec_file(tmp_path, "next.json", "9.0", {"mode": base["mode"]}),
    }


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main(["compat", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


# -- exit codes -------------------------------------------------------------------------------------


def test_exit_0_when_nothing_reaches_the_threshold(specs: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, specs["old"], specs["same"])[0] == 0
    assert run(capsys, specs["old"], specs["added"])[0] == 0
    assert run(capsys, specs["old"], specs["deprecated"])[0] == 0


def test_exit_1_on_a_breaking_change_within_a_major(specs: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, specs["old"], specs["broken"])
    assert code == 1
    assert "[param-removed] (documented) size: parameter 'size' was removed" in out


@pytest.mark.parametrize(
    ("target", "fail_on", "expected"),
    [
        ("deprecated", "warning", 1),
        ("deprecated", "breaking", 0),
        ("added", "non-breaking", 1),
        ("added", "warning", 0),
        ("broken", "never", 0),
        ("next-major", "breaking", 1),
    ],
)
def test_fail_on_decides(
    specs: dict[str, Path], capsys: pytest.CaptureFixture[str], target: str, fail_on: str, expected: int
) -> None:
    assert run(capsys, specs["old"], specs[target], "--fail-on", fail_on)[0] == expected


def test_across_majors_the_default_is_report_only(specs: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, specs["old"], specs["next-major"])
    assert code == 0
    assert "Across major releases Proxmox promises no compatibility: this is the migration list." in out
    assert "Gate (never fails): pass." in out
    # Labels decide the policy: the same files as one major fail.
    assert run(capsys, specs["old"], specs["next-major"], "--new-version", "8.3")[0] == 1


def test_exit_2_on_input_errors(specs: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, specs["old"], tmp_path / "missing.json")
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "missing.json" in err and "cannot read" in err
    garbage = tmp_path / "garbage.js"
    garbage.write_text("const apiSchema = [{oops")
    code, _, err = run(capsys, garbage, specs["old"])
    assert code == 2 and "garbage.js" in err and err.count("\n") == 1


def test_exit_2_on_usage_errors(specs: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    for args in (["--format", "yaml"], ["--fail-on", "sometimes"], []):
        with pytest.raises(SystemExit) as exc:
            main(["compat", str(specs["old"]), *(args or [])] + ([str(specs["same"])] if args else []))
        assert exc.value.code == 2
        assert capsys.readouterr().err.count("\n") == 1


def test_the_installed_entry_point_gives_the_same_exit_codes(specs: dict[str, Path]) -> None:
    command = [sys.executable, "-m", "pvegen", "compat"]
    broken = subprocess.run(
        [*command, str(specs["old"]), str(specs["broken"])], capture_output=True, text=True, cwd=ROOT, check=False
    )
    clean = subprocess.run(
        [*command, str(specs["old"]), str(specs["same"])], capture_output=True, text=True, cwd=ROOT, check=False
    )
    bad = subprocess.run(
        [*command, str(specs["old"]), "/nonexistent/x.json"], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert (broken.returncode, clean.returncode, bad.returncode) == (1, 0, 2)
    assert bad.stdout == "" and bad.stderr.startswith("pvegen compat: error: /nonexistent/x.json")


# -- JSON contract ------------------------------------------------------------------------------------


def test_json_has_exactly_the_design_shape(specs: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, specs["old"], specs["broken"], "--format", "json")
    data = json.loads(out)
    assert code == 1
    assert data["old"] == {"version": "8.1"} and data["new"] == {"version": "8.2"}
    assert data["summary"] == {"breaking": 1, "warning": 0, "non-breaking": 0, "info": 0}
    (change,) = data["changes"]
    assert set(change) >= CHANGE_KEYS
    assert {k: change[k] for k in CHANGE_KEYS} == {
        "rule": "param-removed",
        "severity": "breaking",
        "method": "POST",
        "path": "/nodes/{node}/thing",
        "parameter": "size",
        "old": "integer",
        "new": None,
        "message": "parameter 'size' was removed",
    }
    assert change["basis"] == "documented" and len(change["fingerprint"]) == 16
    assert data["promise"]["kept"] is False and data["failed"] is True


# -- --ignore -----------------------------------------------------------------------------------------


def ignore_file(tmp_path: Path, entries: object) -> Path:
    path = tmp_path / "ignore.json"
    path.write_text(json.dumps(entries))
    return path


def test_ignored_changes_are_listed_not_dropped(
    specs: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ignore = ignore_file(
        tmp_path,
        {
            "ignore": [
                {
                    "rule": "param-removed",
                    "method": "POST",
                    "path": "/nodes/*",
                    "parameter": "size",
                    "reason": "we never send size",
                }
            ]
        },
    )
    code, out, _ = run(capsys, specs["old"], specs["broken"], "--ignore", ignore, "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert data["changes"] == [] and data["summary"]["breaking"] == 0
    (ignored,) = data["ignored"]
    assert (ignored["rule"], ignored["parameter"], ignored["reason"]) == ("param-removed", "size", "we never send size")
    code, out, _ = run(capsys, specs["old"], specs["broken"], "--ignore", ignore)
    assert "== IGNORED (1) ==" in out and "we never send size" in out


def test_ignore_entries_only_match_what_they_name(
    specs: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for entry in (
        {"rule": "param-removed", "path": "/nodes/*", "parameter": "mode", "reason": "r"},
        {"rule": "param-removed", "path": "/cluster/*", "reason": "r"},
        {"rule": "endpoint-removed", "path": "*", "reason": "r"},
        {"rule": "param-removed", "method": "GET", "path": "*", "reason": "r"},
    ):
        ignore = ignore_file(tmp_path, [entry])
        assert run(capsys, specs["old"], specs["broken"], "--ignore", ignore)[0] == 1, entry


def _disk_spec(tmp: Path, name: str, version: str, formats: list[str]) -> Path:
    """Three operations with an indexed property string scsi[n] whose sub-key 'format' has the enum FORMATS."""
    disks = {
        "scsi[n]": {
            "type": "string",
            "optional": 1,
            "format": {
                "file": {"type": "string", "default_key": 1},
                "format": {"type": "string", "optional": 1, "enum": formats},
            },
        }
    }
    node = {"node": {"type": "string", "format": "pve-node"}}
    vmid = {"vmid": {"type": "integer", "minimum": 100}}
    ops = [
        {"method": "POST", "path": "/nodes/{node}/qemu", "parameters": {**node, **vmid, **disks}},
        {"method": "PUT", "path": "/nodes/{node}/qemu/{vmid}/config", "parameters": {**node, **vmid, **disks}},
        {"method": "POST", "path": "/cluster/disk-templates", "parameters": disks},
    ]
    path = tmp / name
    path.write_text(json.dumps({"format": "pvegen-spec/1", "product": "pve", "version": version, "operations": ops}))
    return path


# an ignore entry with a bracketed parameter and a globbed path (shared with test_compat_cli_real.py)
IGNORE_SCSI_FORMAT_ON_QEMU = {
    "ignore": [
        {
            "rule": "param-subkey-enum-narrowed",
            "path": "/nodes/{node}/qemu*",
            "parameter": "scsi[n].format",
            "reason": "no cow images here",
        }
    ]
}


def test_ignore_takes_bracketed_parameters_literally_and_globs_paths(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = _disk_spec(tmp_path, "old.json", "8.1", ["raw", "qcow2", "cow"])
    new = _disk_spec(tmp_path, "new.json", "8.2", ["raw", "qcow2"])
    ignore = ignore_file(tmp_path, IGNORE_SCSI_FORMAT_ON_QEMU)
    code, out, _ = run(capsys, old, new, "--ignore", ignore, "--format", "json")
    data = json.loads(out)
    assert code == 1  # the break outside the ignored paths remains
    assert {c["path"] for c in data["ignored"]} == {"/nodes/{node}/qemu", "/nodes/{node}/qemu/{vmid}/config"}
    assert len(data["ignored"]) == 2
    assert [(c["rule"], c["path"], c["parameter"]) for c in data["changes"]] == [
        ("param-subkey-enum-narrowed", "/cluster/disk-templates", "scsi[n].format")
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"ignore": [{"rule": "param-removed", "path": "*"}]}', "$.ignore[0]: 'reason' is required"),
        ('{"ignore": [{"rule": "param-gone", "path": "*", "reason": "x"}]}', "unknown rule 'param-gone'"),
        ('{"ignore": [{"rule": "param-removed", "path": "*", "reason": "x", "why": 1}]}', "unknown key(s) ['why']"),
        ('{"ignore": [{"rule": "param-removed", "path": "*", "reason": "x", "method": "PATCH"}]}', "method must be"),
        ('{"ignore": {}}', "expected"),
        ("{not json", "not valid JSON"),
    ],
)
def test_bad_ignore_file_is_a_one_line_input_error(
    specs: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    path = tmp_path / "ignore.json"
    path.write_text(content)
    code, out, err = run(capsys, specs["old"], specs["broken"], "--ignore", path)
    assert (code, out) == (2, "")
    assert message in err and str(path) in err and err.count("\n") == 1


# -- --output -----------------------------------------------------------------------------------------


def test_output_file_written_and_nothing_on_stdout(
    specs: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "reports" / "compat.md"
    code, out, _ = run(capsys, specs["old"], specs["broken"], "--format", "markdown", "--output", target)
    assert (code, out) == (1, "")
    assert target.read_text().startswith("## API compatibility: pve 8.1 -> 8.2")


def test_output_not_written_on_bad_input(
    specs: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out" / "compat.json"
    code, _, _ = run(capsys, specs["old"], tmp_path / "missing.json", "--output", target)
    assert code == 2 and not target.parent.exists()


# -- reporters ----------------------------------------------------------------------------------------


def _operation(method: str, path: str, params: dict[str, Any]) -> dict[str, Any]:
    node = {"node": {"type": "string", "format": "pve-node"}}
    return {"method": method, "path": path, "parameters": {**node, **params}, "returns": {"type": "null"}}


@pytest.fixture
def every_severity(tmp_path: Path) -> tuple[Path, Path]:
    """Two releases with changes of every severity: a removed operation and parameter and a narrowed pattern
    with pipes (breaking), a deprecation (warning), a new operation (non-breaking), a new default (info)."""
    optional: dict[str, Any] = {"type": "string", "optional": 1}
    old_ops = [
        _operation("POST", "/nodes/{node}/thing", {"size": {"type": "integer", "optional": 1},
                                                  "mode": {**optional, "pattern": "a|b"},
                                                  "level": {"type": "integer", "optional": 1}, "color": optional}),
        _operation("GET", "/nodes/{node}/thing", {}),
        _operation("DELETE", "/nodes/{node}/gone", {}),
    ]  # fmt: skip
    new_ops = [
        _operation("POST", "/nodes/{node}/thing", {"mode": {**optional, "pattern": "a|c"},
                                                  "level": {"type": "integer", "optional": 1, "default": 3},
                                                  "color": {**optional, "description": "Deprecated: use 'mode'."}}),
        _operation("GET", "/nodes/{node}/thing", {}),
        _operation("GET", "/nodes/{node}/added", {}),
    ]  # fmt: skip
    paths = []
    for name, version, ops in (("old.json", "8.1", old_ops), ("new.json", "8.2", new_ops)):
        path = tmp_path / name
        path.write_text(
            json.dumps({"format": "pvegen-spec/1", "product": "pve", "version": version, "operations": ops})
        )
        paths.append(path)
    return paths[0], paths[1]


def test_markdown_puts_the_summary_table_then_breaking_changes_first(
    every_severity: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run(capsys, *every_severity, "--format", "markdown")
    rows = assert_markdown_layout(out)
    assert any("a\\|b" in line for line in rows)


def assert_markdown_layout(out: str) -> list[str]:
    """The summary table, then breaking, then warning; every change row with the same cells. Returns the rows."""
    lines = out.splitlines()
    table = lines.index("| severity | changes |")
    breaking = next(i for i, line in enumerate(lines) if line.startswith("### 🔴 breaking"))
    warning = next(i for i, line in enumerate(lines) if line.startswith("### 🟠 warning"))
    assert table < breaking < warning
    assert "Proxmox's documented promise is BROKEN" in out
    # Patterns with pipes cannot break the table: every row has the same number of cells.
    rows = [line for line in lines if line.startswith("| `")]
    assert rows and {line.replace("\\|", "").count("|") for line in rows} == {6}
    return rows


def test_junit_has_one_case_per_operation(
    every_severity: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run(capsys, *every_severity, "--format", "junit")
    suite = ET.fromstring(out).find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    names = [c.get("name", "") for c in cases]
    expected = {"POST /nodes/{node}/thing", "GET /nodes/{node}/thing", "DELETE /nodes/{node}/gone",
                "GET /nodes/{node}/added"}  # fmt: skip
    assert sorted(names) == sorted(expected) and len(cases) == int(suite.get("tests", "0"))
    failed = {c.get("name") for c in cases if c.find("failure") is not None}
    assert failed == {"POST /nodes/{node}/thing", "DELETE /nodes/{node}/gone"} and int(suite.get("failures", "0")) == 2
    verdict = suite.find("properties/property[@name='verdict']")
    assert verdict is not None and "documented promise is BROKEN" in verdict.get("value", "")


def test_github_annotations(specs: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, specs["old"], specs["broken"], "--format", "github")
    first = out.splitlines()[0]
    assert code == 1
    assert first.startswith(f"::error file={specs['broken']},title=param-removed%3A POST /nodes/{{node}}/thing size::")
    _, out, _ = run(capsys, specs["old"], specs["deprecated"], "--format", "github")
    assert out.splitlines()[0].startswith("::warning ")


def test_text_report_groups_by_severity_then_operation(
    every_severity: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run(capsys, *every_severity)
    assert out.startswith("pvegen compat: pve 8.1 -> 8.2\n")
    assert out.index("== BREAKING") < out.index("== WARNING") < out.index("Not listed (--verbose lists them): ")
    assert "== NON-BREAKING" not in out and "== INFO" not in out
    _, verbose, _ = run(capsys, *every_severity, "--verbose")
    assert verbose.index("== WARNING") < verbose.index("== NON-BREAKING") < verbose.index("== INFO")
    assert "Not listed" not in verbose
    # one heading per operation, its changes under it
    assert "  POST /nodes/{node}/thing\n    [param-constraint-tightened] mode:" in out
    assert out.count("  POST /nodes/{node}/thing\n") == 2  # once under BREAKING, once under WARNING
