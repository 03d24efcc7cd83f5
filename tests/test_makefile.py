"""The Makefile's user-facing targets: `make compat` prints only the tool's output (a JSON report stays JSON)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.fixtures_shared import ROOT

OLD = {"format": "pvegen-spec/1", "product": "pve", "version": "9.0", "operations": [
    {"method": "GET", "path": "/version", "name": "version", "parameters": {}, "returns": {"type": "object"}},
    {"method": "GET", "path": "/nodes", "name": "nodes", "parameters": {}, "returns": {"type": "array"}},
]}  # fmt: skip


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_compat_json_is_valid_json_and_keeps_the_exit_code(tmp_path: Path) -> None:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(OLD))
    new.write_text(json.dumps({**OLD, "version": "9.1", "operations": OLD["operations"][:1]}))
    result = subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), "compat", f"OLD={old}", f"NEW={new}", "FORMAT=json"],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(result.stdout)  # nothing but the report on stdout
    assert [c["rule"] for c in report["changes"]] == ["endpoint-removed"]
    assert result.returncode != 0  # the gate failed (make reports the tool's exit 1 as its own error)
