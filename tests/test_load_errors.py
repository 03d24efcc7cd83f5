"""Bad input: exit 2 with one line naming the file and the place, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pvegen.cli import main
from tests.fixtures_shared import EMBEDDED_SPEC, ROOT


def _normalize(spec: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> str:
    out = tmp_path / "out.json"
    code = main(["normalize", str(spec), "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert not out.exists(), "nothing may be written on bad input"
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_not_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = _write(tmp_path, "notes.txt", "\n  hello, this is not a spec\n")
    line = _normalize(spec, capsys, tmp_path)
    assert f"{spec}:2:3: not a spec" in line


def test_invalid_json_names_line_and_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = _write(tmp_path, "bad.json", '[\n {"path": "/x",\n  "info": {,}}\n]')
    line = _normalize(spec, capsys, tmp_path)
    assert f"{spec}:3:12: invalid JSON" in line


def _apidoc(nodes: int) -> str:
    """A Proxmox apidoc.js as PVE writes it (``const apiSchema = [...]``, pretty-printed) with NODES paths."""
    param = {"type": "string", "format": "pve-node", "description": "The cluster node name."}
    tree = [
        {
            "path": f"/nodes/{{node}}/thing{i}",
            "text": f"thing{i}",
            "leaf": 1,
            "info": {"GET": {"method": "GET", "name": f"thing{i}", "parameters": {"properties": {"node": param}}}},
        }
        for i in range(nodes)
    ]
    return "const apiSchema = " + json.dumps(tree, indent=3) + ";\n"


@pytest.mark.parametrize("kind", ["apidoc.js", "pvegen-spec.json"])
def test_truncated_file(kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    whole = _apidoc(40) if kind == "apidoc.js" else EMBEDDED_SPEC.read_text(encoding="utf-8")
    text = whole[: len(whole) // 2]
    spec = _write(tmp_path, kind, text)
    line = _normalize(spec, capsys, tmp_path)
    expected_line = text.count("\n") + 1
    assert f"{spec}:{expected_line}:" in line
    assert "truncated" in line
    assert main(["normalize", str(_write(tmp_path, f"whole-{kind}", whole)), "-o", str(tmp_path / "ok.json")]) == 0


def test_wrong_top_level_type(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = _write(tmp_path, "spec.json", '"just a string"')
    line = _normalize(spec, capsys, tmp_path)
    assert f"{spec}:$: expected an array of path nodes" in line and "found a string" in line


def test_node_without_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tree = [{"path": "/a", "text": "a", "children": [{"text": "b", "leaf": 1}]}]
    spec = _write(tmp_path, "tree.json", json.dumps(tree))
    line = _normalize(spec, capsys, tmp_path)
    assert f"{spec}:$[0].children[0]: path node has no 'path'" in line


def test_info_not_an_object(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tree = [{"path": "/a"}, {"path": "/b", "info": ["GET"]}]
    spec = _write(tmp_path, "tree.json", "var pveapi = " + json.dumps(tree) + ";\n")
    line = _normalize(spec, capsys, tmp_path)
    assert f"{spec}:$[1].info: 'info' must be an object" in line


def test_unknown_type_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    param = {"type": "strnig", "optional": 1}
    info = {"POST": {"method": "POST", "parameters": {"properties": {"new-name": param}}, "returns": {}}}
    tree = [{"path": "/x", "children": [{"path": "/x/y", "info": info}]}]
    spec = _write(tmp_path, "apidoc.js", "const apiSchema = " + json.dumps(tree) + ";")
    line = _normalize(spec, capsys, tmp_path)
    assert (
        f"{spec}:$[0].children[0].info.POST.parameters.properties['new-name'].type: unknown type name 'strnig'" in line
    )


def test_our_format_without_operations(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = _write(tmp_path, "mine.json", json.dumps({"format": "pvegen-spec/1", "version": "9.1"}))
    line = _normalize(spec, capsys, tmp_path)
    assert f"{spec}:$: missing 'operations'" in line


def test_our_format_with_a_bad_operation(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    operations = [{"method": "GET", "path": "/a"}, {"method": "FETCH", "path": "/b"}]
    doc = {"format": "pvegen-spec/1", "operations": operations}
    spec = _write(tmp_path, "mine.json", json.dumps(doc))
    line = _normalize(spec, capsys, tmp_path)
    assert f"{spec}:$.operations[1].method: 'method' must be one of" in line


def test_duplicate_operation(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    op = {"method": "GET", "path": "/a"}
    spec = _write(tmp_path, "mine.json", json.dumps({"format": "pvegen-spec/1", "operations": [op, op]}))
    line = _normalize(spec, capsys, tmp_path)
    assert f"{spec}:$.operations[1]: GET /a is already defined at operations[0]" in line


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = _normalize(tmp_path / "absent.js", capsys, tmp_path)
    assert "absent.js: cannot read the file" in line


def test_empty_and_binary_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert "the file is empty" in _normalize(_write(tmp_path, "empty.js", "  \n"), capsys, tmp_path)
    binary = tmp_path / "blob.js"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    assert "not UTF-8 text (byte 0)" in _normalize(binary, capsys, tmp_path)


def test_a_bad_bound_is_located(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = {
        "format": "pvegen-spec/1",
        "operations": [{"method": "GET", "path": "/a", "parameters": {"n": {"type": "integer", "minimum": "ten"}}}],
    }
    line = _normalize(_write(tmp_path, "mine.json", json.dumps(doc)), capsys, tmp_path)
    assert "$.operations[0].parameters.n.minimum: 'minimum' must be a number, found 'ten'" in line


def test_the_installed_command_reports_without_traceback(tmp_path: Path) -> None:
    """The same through a real process (python -m pvegen is the pvegen program)."""
    spec = _write(tmp_path, "x.json", "{")
    result = subprocess.run(
        [sys.executable, "-m", "pvegen", "normalize", str(spec), "-o", str(tmp_path / "o.json")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert f"{spec}:1:2: invalid JSON" in result.stderr


@pytest.mark.parametrize("bound", ["inf", "1_0", "NaN", " 5"])
def test_bounds_must_be_plain_numbers(bound: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = {
        "format": "pvegen-spec/1",
        "operations": [{"method": "GET", "path": "/a", "parameters": {"n": {"type": "integer", "maximum": bound}}}],
    }
    line = _normalize(_write(tmp_path, "mine.json", json.dumps(doc)), capsys, tmp_path)
    assert "$.operations[0].parameters.n.maximum: 'maximum' must be a number" in line


def test_token_flag_must_be_0_or_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = {"format": "pvegen-spec/1", "operations": [{"method": "GET", "path": "/a", "allowtoken": "yes"}]}
    line = _normalize(_write(tmp_path, "mine.json", json.dumps(doc)), capsys, tmp_path)
    assert "$.operations[0].allowtoken: 'allowtoken' must be 0 or 1, found 'yes'" in line


def test_operations_no_server_could_tell_apart(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    operations = [
        {"method": "GET", "path": "/x/{a}"},
        {"method": "PUT", "path": "/x/{b}"},
        {"method": "GET", "path": "/x/{b}"},
    ]
    line = _normalize(_write(tmp_path, "mine.json", json.dumps({"format": "pvegen-spec/1", "operations": operations})),
                      capsys, tmp_path)  # fmt: skip
    assert "$.operations[2]: GET /x/{b} is the same URL as GET /x/{a}" in line
    tree = [{"path": "/y/{a}/{a}", "info": {"GET": {"method": "GET", "returns": {}}}}]
    line = _normalize(_write(tmp_path, "tree.json", json.dumps(tree)), capsys, tmp_path)
    assert "$: /y/{a}/{a} names a path placeholder twice" in line
