"""The kind of a spec comes from its content, never from its file name; version labels."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pvegen import load_spec
from pvegen.cli import main
from pvegen.load import version_from_filename

TREE = [
    {
        "path": "/version",
        "text": "version",
        "leaf": 1,
        "info": {"GET": {"method": "GET", "name": "version", "parameters": {"additionalProperties": 0}, "returns": {}}},
    }
]


def test_javascript_with_the_viewer_code_after_the_array(tmp_path: Path) -> None:
    """A served apidoc.js carries the viewer app after the schema; the array is parsed in place."""
    text = "const apiSchema = " + json.dumps(TREE) + ";\n\nExt.onReady(function() { var x = [1, 2]; });\n"
    path = tmp_path / "schema.json"  # a misleading name: content decides
    path.write_text(text)
    spec = load_spec(path)
    assert spec.source_kind == "pve-js" and [op.key for op in spec] == [("GET", "/version")]


def test_old_style_var_and_json_tree(tmp_path: Path) -> None:
    old = tmp_path / "a.txt"
    old.write_text("var pveapi = " + json.dumps(TREE) + ";")
    plain = tmp_path / "b.js"
    plain.write_text("\ufeff" + json.dumps(TREE))
    assert load_spec(old).source_kind == "pve-js"
    assert load_spec(plain).source_kind == "pve-json"
    assert load_spec(old).operations == load_spec(plain).operations


def test_our_format_detected_from_content(tmp_path: Path) -> None:
    path = tmp_path / "pve-5.4.js"
    path.write_text(json.dumps({"format": "pvegen-spec/1", "version": "9.1", "operations": []}))
    spec = load_spec(path)
    assert spec.source_kind == "pvegen-spec/1" and spec.version == "9.1"


@pytest.mark.parametrize(
    ("name", "label"),
    [("pve-8.4.js", "8.4"), ("apidoc-9.1.4.json", "9.1.4"), ("pve8.js", None), ("/x/7.4/apidoc.js", None)],
)
def test_version_from_file_name(name: str, label: str | None) -> None:
    assert version_from_filename(name) == label


def test_version_label_precedence(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    named = tmp_path / "pve-6.4.js"
    named.write_text(json.dumps(TREE))
    assert load_spec(named).version == "6.4"
    assert load_spec(named, version="6.4-2").version == "6.4-2"
    ours = tmp_path / "pve-6.4.json"
    ours.write_text(json.dumps({"format": "pvegen-spec/1", "version": "9.0", "operations": []}))
    assert load_spec(ours).version == "9.0"
    unnamed = tmp_path / "apidoc.js"
    unnamed.write_text(json.dumps(TREE))
    assert load_spec(unnamed).version is None
    out = tmp_path / "out.json"
    assert main(["normalize", str(unnamed), "-o", str(out), "--version", "8.2", "--quiet"]) == 0
    assert json.loads(out.read_text())["version"] == "8.2"
    assert capsys.readouterr().out == ""
