"""``pvegen compat`` through the real CLI on real release pairs (needs ../shared): the JSON contract, --ignore
with bracketed parameters, and the markdown, junit and text reporters on what Proxmox really changed."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.fixtures_shared import real_data_module, shared_release
from tests.test_compat_cli import IGNORE_SCSI_FORMAT_ON_QEMU, assert_markdown_layout, ignore_file, run
from tests.test_compat_support import spec

real_data_module()


def test_json_on_real_releases(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, shared_release("9.0"), shared_release("9.1"), "--format", "json")
    data = json.loads(out)
    assert code == 1
    assert data["old"] == {"version": "9.0"} and data["new"] == {"version": "9.1"}
    counts = {severity: sum(c["severity"] == severity for c in data["changes"]) for severity in data["summary"]}
    assert counts == data["summary"] and data["summary"]["breaking"] > 0
    removed = {(c["path"], c["parameter"]) for c in data["changes"] if c["rule"] == "param-removed"}
    assert ("/storage", "maxfiles") in removed


def test_ignore_on_real_releases_with_bracketed_parameters(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ignore = ignore_file(tmp_path, IGNORE_SCSI_FORMAT_ON_QEMU)
    code, out, _ = run(capsys, shared_release("8.0"), shared_release("8.4"), "--ignore", ignore, "--format", "json")
    data = json.loads(out)
    assert code == 1  # other breaks remain
    assert {c["path"] for c in data["ignored"]} == {"/nodes/{node}/qemu", "/nodes/{node}/qemu/{vmid}/config"}
    assert len(data["ignored"]) == 3
    assert not [c for c in data["changes"] if c["parameter"] == "scsi[n].format"]


def test_markdown_puts_the_summary_table_then_breaking_changes_first(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, shared_release("8.0"), shared_release("8.4"), "--format", "markdown")
    assert_markdown_layout(out)


def test_junit_has_one_case_per_operation(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, shared_release("8.0"), shared_release("8.4"), "--format", "junit")
    suite = ET.fromstring(out).find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    keys = {op.key for op in spec("8.0").operations} | {op.key for op in spec("8.4").operations}
    assert len(cases) == len(keys) == int(suite.get("tests", "0"))
    failed = [c for c in cases if c.find("failure") is not None]
    assert len(failed) == int(suite.get("failures", "0")) > 0
    assert "POST /access/tfa" in {c.get("name") for c in failed}
    verdict = suite.find("properties/property[@name='verdict']")
    assert verdict is not None and "documented promise is BROKEN" in verdict.get("value", "")


def test_text_report_groups_by_severity_then_operation(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, shared_release("9.0"), shared_release("9.1"))
    assert out.startswith("pvegen compat: pve 9.0 -> 9.1\n")
    assert out.index("== BREAKING") < out.index("== WARNING") < out.index("Not listed (--verbose lists them): ")
    assert "== NON-BREAKING" not in out and "== INFO" not in out
    _, verbose, _ = run(capsys, shared_release("9.0"), shared_release("9.1"), "--verbose")
    assert verbose.index("== WARNING") < verbose.index("== NON-BREAKING") < verbose.index("== INFO")
    assert "Not listed" not in verbose
    assert "  POST /storage\n" in out
