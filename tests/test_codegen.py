"""The generator: names, literals, determinism, atomic output, hostile specs, the CLI, generated/."""

from __future__ import annotations

import ast
import contextlib
import filecmp
import inspect
import json
import math
import os
import pty
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pvegen import load_spec_text
from pvegen.cli import main as pvegen
from pvegen.codegen import GenerateError, generate, generate_sources
from pvegen.codegen import annotation as a
from pvegen.codegen.literals import docstring, literal
from pvegen.codegen.naming import (
    HEADER,
    RESERVED_MEMBERS,
    Namespace,
    camel,
    context_words,
    distribution_name,
    distribution_version,
    enum_alias_names,
    identifier,
    member_name,
    propstring_module,
    resource_class,
    resource_module,
    return_type,
    root_members,
)
from pvegen.codegen.plan import plan_package
from pvegen.codegen.render import render_package
from pvegen.codegen.rules import Rule, rule_source
from pvegen.codegen.write import write_package

from .fixtures_client import cache_dir
from .fixtures_codegen import EMBEDDED_SPEC
from .fixtures_shared import ROOT, embedded_spec
from .strategies import health_checks, routable_operations

# -- names and literals -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reserved", "expected"),
    [
        ("get-fsinfo", (), "get_fsinfo"),
        ("in", (), "in_"),
        ("class", (), "class_"),
        ("self", ("self",), "self_"),
        ("get", RESERVED_MEMBERS, "get_"),
        ("1abc", (), "_1abc"),
        ('a"b\\c', (), "a_b_c"),
        ("ünï", (), "_n_"),
        ("", (), "_"),
    ],
)
def test_identifier(text: str, reserved: tuple[str, ...], expected: str) -> None:
    assert identifier(text, reserved) == expected
    assert expected.isidentifier()


def test_namespace_resolves_clashes_in_order() -> None:
    names = Namespace(["self"])
    assert [names.name(k, identifier(k)) for k in ("a-b", "a_b", "a.b", "self")] == ["a_b", "a_b_2", "a_b_3", "self_2"]
    assert names.name("a_b", "ignored") == "a_b_2"  # asking again gives the same answer
    assert camel(["nodes", "{node}", "get-fsinfo"]) == "NodesNodeGetFsinfo"
    assert names.name("x", ["a_b", "Longer", "Longest"]) == "Longer"  # the first free candidate
    assert names.name("y", ["a_b", "Longer"]) == "a_b_4"  # none free: the first, numbered


# -- the naming table (naming.py) ----------------------------------------------------------------


def test_resource_classes_and_modules_are_named_from_the_path() -> None:
    assert resource_class(("nodes", "{node}", "qemu")) == "NodesQemu"
    assert resource_class(("nodes", "{node}")) == "NodesNode"  # the item: its placeholder counts
    assert resource_class(("nodes", "{node}", "qemu", "{vmid}", "status", "current")) == "NodesQemuStatusCurrent"
    assert resource_module(("nodes", "{node}", "qemu")) == "r_nodes_node_qemu"
    long = resource_module(tuple(["segment"] * 20))
    assert len(long) == 80 + 11 and long.startswith("r_segment_")


def test_return_types_read_like_hand_written_names() -> None:
    assert return_type("NodesQemu", "get", ("[]",)) == "NodesQemuGetItem"
    assert return_type("NodesQemuStatusCurrent", "get", ()) == "NodesQemuStatusCurrentGetResult"
    assert return_type("ClusterBackup", "get", ("[]", "prune-backups")) == "ClusterBackupGetItemPruneBackups"


def test_enum_aliases_and_property_strings_are_named_by_context() -> None:
    assert context_words("/nodes/{node}/qemu/{vmid}/config") == ["qemu"]
    assert context_words("/cluster/sdn/zones") == ["sdn", "zones"]
    assert context_words("/nodes/{node}/status") == ["nodes", "status"]  # nothing telling: all fixed words
    names = enum_alias_names("/nodes/{node}/lxc", "POST", "ostype")
    assert names == ["LxcOstype", "LxcPostOstype", "NodesLxcPostOstype"]
    assert enum_alias_names("/cluster/resources", "GET", "type")[0] == "ClusterResourcesType"
    assert propstring_module("QemuNet") == "qemu_net" and propstring_module("QemuEfidisk0") == "qemu_efidisk0"


def test_members_never_start_with_an_underscore_and_never_hide_the_client() -> None:
    assert member_name("1abc") == "x_1abc" and member_name("_x") == "x_x"
    assert member_name("get") == "get_" and member_name("Op") == "Op_"
    assert {"upload", "wait_task", "request", "close", "from_env"} <= root_members()
    assert member_name("upload", root_members()) == "upload_"


def test_distribution_version_pins_the_release() -> None:
    assert distribution_version("9.1", "0.1.0") == "9.1+pvegen.0.1.0"
    assert distribution_version("8.4-2", "1.0.0.dev3+g1a2b") == "8.4+pvegen.1.0.0.dev3.g1a2b"
    assert distribution_version(None, "0.1.0") == "0+pvegen.0.1.0"
    assert distribution_version("09.01", "0.1.0") == "9.1+pvegen.0.1.0"
    assert [distribution_name(n) for n in ("proxmox_ve", "_pve91_", "_")] == ["proxmox-ve", "pve91", "pve-client"]


# -- annotations know their imports; one rule renderer -------------------------------------------


def test_annotations_spell_hidden_names_through_their_module_and_record_imports() -> None:
    imports = a.Imports()
    inside = a.Scope(imports, hidden={"list", "Mapping", "NodesQemu"})
    value = a.union(a.generic("list", a.generic("Mapping", a.STR, a.ANY)), a.enum_alias("QemuOstype"), a.NONE)
    assert value.spell(inside) == "builtins.list[collections.abc.Mapping[str, Any]] | _t.QemuOstype | None"
    assert a.resource("r_nodes_node_qemu", "NodesQemu").spell(inside) == "_r_nodes_node_qemu.NodesQemu"
    assert imports.modules == {"builtins", "collections.abc"}
    assert imports.from_stdlib("typing") == ["TYPE_CHECKING", "Any"]
    assert imports.type_checking == {
        "from .. import types as _t",
        "from . import r_nodes_node_qemu as _r_nodes_node_qemu",
    }
    outside = a.Scope(a.Imports())
    assert a.literal_of(["a'b", 1]).spell(outside) == 'Literal["a\'b", 1]'
    assert a.union(a.STR, a.STR, a.union(a.INT, a.STR)).spell(outside) == "str | int"


def test_one_rule_renderer_writes_only_what_a_rule_says() -> None:
    assert rule_source(Rule("vmid", "integer", required=True, minimum=100)) == (
        "P('vmid', 'integer', required=True, minimum=100)"
    )
    nested = Rule("ids", "array", items=Rule("ids", "string", format="pve-vmid", propstring="X"))
    assert rule_source(nested) == "P('ids', 'array', items=P('ids', 'string', format='pve-vmid', propstring='X'))"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@given(json_values)
def test_literal_round_trips_without_executing_anything(value: Any) -> None:
    source = literal(value)
    tree = ast.parse(source, mode="eval")  # one expression, nothing else
    allowed = (ast.Expression, ast.Constant, ast.Tuple, ast.Dict, ast.Load, ast.UnaryOp, ast.USub, ast.Call, ast.Name)
    assert all(isinstance(node, allowed) for node in ast.walk(tree))
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)]
    assert all(ast.unparse(c).replace("'", '"') in ('float("nan")', 'float("inf")', 'float("-inf")') for c in calls)
    result = eval(compile(tree, "<literal>", "eval"))

    def plain(v: Any) -> Any:
        if isinstance(v, list | tuple):
            return [plain(x) for x in v]
        if isinstance(v, dict):
            return {k: plain(x) for k, x in v.items()}
        return "<NaN>" if isinstance(v, float) and math.isnan(v) else v

    assert plain(result) == plain(value)


# Text a docstring could break out of: a triple quote inside closes it, and what follows runs as code.
TRIPLE = '"' * 3
BREAK_OUTS = [
    f"Summary {TRIPLE} + __import__('os').getcwd() + {TRIPLE} rest",
    f"a {TRIPLE}\n__import__('os').getcwd()\n{TRIPLE}",
    f"{TRIPLE}at the start",
    f"at the end{TRIPLE}",
    'one quote at the end"',
    "''' single quotes ''' in the middle",
    "a backslash at the end \\",
    "\\N{BULLET} and \\x41 escapes",
]


@pytest.mark.parametrize("text", BREAK_OUTS)
def test_a_docstring_never_lets_its_text_out(text: str) -> None:
    """The guard against a triple quote in literals.docstring: without it the first case is a
    statement that runs ``__import__`` whenever the generated method is called."""
    source = f"def f():\n    {docstring(text + chr(10), '    ')}\n    return 1\n"
    function = ast.parse(source).body[0]
    assert isinstance(function, ast.FunctionDef)
    assert [type(statement) for statement in function.body] == [ast.Expr, ast.Return], source
    doc = function.body[0].value  # type: ignore[attr-defined]
    assert isinstance(doc, ast.Constant) and isinstance(doc.value, str)
    assert inspect.cleandoc(doc.value) == inspect.cleandoc(text)


# -- hostile specs ------------------------------------------------------------------------------

PAYLOADS = [
    '"""\n__import__("pathlib").Path(CANARY).write_text("pwned")\n"""',
    "'''\n__import__('pathlib').Path(CANARY).write_text('pwned')\n'''",
    '"); __import__("pathlib").Path(CANARY).write_text("pwned"); ("',
    "\\', __import__('os').system('touch ' + CANARY), '\\",
    "{{ 7 * 7 }} {% for x in range(3) %}{{ x }}{% endfor %} {# c #}",
    "back\\slash at the end\\",
    "NUL \x00 inside, newline\r\n and \u2028 and \t tab",
    "ünïcødé ✓ 🚀",
    "# a comment\nimport os; os.remove(CANARY)",
    'mid-text """ + __import__("pathlib").Path(CANARY).write_text("pwned") + """ closes a docstring',
]


def hostile_spec(canary: Path) -> dict[str, Any]:
    texts = [p.replace("CANARY", json.dumps(str(canary))) for p in PAYLOADS]
    params: dict[str, Any] = {
        "node": {"type": "string", "description": texts[0]},
        "self": {"type": "string", "optional": 1, "description": texts[1]},
        "class": {"type": "integer", "optional": 1, "default": texts[2], "description": texts[3]},
        "1st-value": {"type": "boolean", "optional": 1, "default": 1},
        "a-b": {"type": "string", "optional": 1, "enum": texts[:4], "default": "not in the enum"},
        "a_b": {"type": "string", "optional": 1, "pattern": texts[3], "description": texts[4]},
        "timeout": {"type": "integer", "optional": 1, "description": texts[5]},
        "net[n]": {"type": "string", "optional": 1, "description": texts[6]},
        'x"y': {"type": "string", "optional": 1, "format": texts[7]},
        "extra": {"type": "number", "optional": 1, "minimum": "0", "maximum": "1e3"},
    }
    returns = {
        "type": "object",
        "description": texts[8],
        "properties": {"str": {"type": "integer"}, "class": {"type": "boolean"}, texts[0]: {"type": "string"}},
    }
    weird_paths = ["/get/{node}/class", '/x"y/{self}/1abc', "/my-seg/list", "/my_seg/in/{node}", "/" + texts[2]]
    operations = [
        {"method": "POST", "path": weird_paths[0], "name": texts[1], "summary": texts[0], "parameters": params,
         "returns": returns},
        {"method": "GET", "path": weird_paths[0], "summary": texts[4], "parameters": {"node": {"type": "string"}},
         "returns": {"type": "array", "items": {"type": "object", "properties": {"str": {"type": "string"}}}}},
        {"method": "GET", "path": weird_paths[1], "summary": texts[6], "returns": {"type": "null"}, "open": True,
         "parameters": {"self": {"type": "integer", "enum": [1, 2]}}},
        {"method": "DELETE", "path": weird_paths[2], "summary": texts[7], "returns": {"type": "null"}},
        {"method": "PUT", "path": weird_paths[3], "summary": texts[5], "returns": {}},
        {"method": "GET", "path": weird_paths[4], "summary": texts[3], "returns": {"type": "string"}},
        {"method": "POST", "path": "/my-seg/str/{node}", "summary": texts[9], "returns": {"type": "null"},
         "parameters": {"node": {"type": "string", "description": texts[9]},
                        "value[n]": {"type": "string", "optional": 1, "description": texts[9],
                                     "format": hostile_format(texts)}}},
    ]  # fmt: skip
    return {"format": "pvegen-spec/1", "product": texts[1], "version": texts[4], "operations": operations}


def hostile_format(texts: list[str]) -> dict[str, Any]:
    """A property-string format whose keys are named like the class's own members and builtins."""
    return {
        "str": {"type": "string", "default_key": 1, "description": texts[9], "enum": [texts[9], "plain"]},
        "P": {"type": "integer", "optional": 1, "description": texts[0], "minimum": 1},
        "Key": {"type": "boolean", "optional": 1, "description": texts[2]},
        "extra": {"type": "string", "optional": 1, "description": texts[3]},
        "Literal": {"type": "string", "optional": 1, "enum": ["a", "b"]},
        "_x": {"type": "number", "optional": 1},
        'a"b': {"alias": "str"},
    }


def _spec_text_stays_in_constants(package: Path) -> None:
    """No spec text reached code: no generated module names ``__import__`` outside a string, and
    every verb method is exactly its docstring and one return."""
    for path in sorted(package.rglob("*.py")):
        if "_runtime" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
        names |= {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
        assert "__import__" not in names and "write_text" not in names, path
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name in ("get", "post", "put", "delete"):
                assert [type(statement) for statement in node.body] == [ast.Expr, ast.Return], (path, node.name)
                assert isinstance(node.body[0].value, ast.Constant)  # type: ignore[attr-defined]


def test_hostile_spec_imports_runs_nothing_and_keeps_the_text(tmp_path: Path) -> None:
    canary = tmp_path / "canary"
    document = hostile_spec(canary)
    spec = load_spec_text(json.dumps(document))
    generate(spec, tmp_path / "out", "hostile", cache_dir=tmp_path / "cache")
    _spec_text_stays_in_constants(tmp_path / "out" / "hostile")
    check = """
import importlib, json, pkgutil, sys
import hostile
mods = [importlib.import_module("hostile._resources." + m.name)
        for m in pkgutil.iter_modules(importlib.import_module("hostile._resources").__path__)]
pve = hostile.ProxmoxVE("pve.example", token_id="u@pam!t", token_secret="s")
res = pve.get_(\"n1\").class_
docs = [res.post.__doc__, res.get.__doc__, type(pve.x_y("s").x_1abc).get.__doc__]
print(json.dumps({"ops": len(hostile.OPERATIONS), "docs": docs, "version": hostile.SPEC_VERSION,
                  "members": [pve.my_seg.list.delete.__name__, pve.my_seg_2.in_("n").put.__name__]}))
"""
    result = subprocess.run(
        [sys.executable, "-c", check], cwd=tmp_path / "out", capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert not canary.exists()
    assert out["ops"] == len(document["operations"])
    assert out["version"] == document["version"]
    texts = [p.replace("CANARY", json.dumps(str(canary))) for p in PAYLOADS]
    post_doc, get_doc, open_doc = out["docs"]
    for text in (texts[0], texts[1], texts[3], texts[4], texts[5], texts[6]):  # summary, name, param docs
        assert text.strip() in post_doc or text.strip() in inspect.cleandoc(post_doc)
    assert texts[4] in get_doc and texts[6].strip() in open_doc
    assert out["members"] == ["delete", "put"]
    typed = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--cache-dir", str(tmp_path / "mc"),
         "hostile"],
        cwd=tmp_path / "out", capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert typed.returncode == 0, typed.stdout


def test_hostile_spec_output_is_deterministic_and_cache_independent(tmp_path: Path) -> None:
    spec = load_spec_text(json.dumps(hostile_spec(tmp_path / "canary")))
    cold, _ = generate_sources(spec, "hostile", cache_dir=None)
    warm, formatted = generate_sources(spec, "hostile", cache_dir=tmp_path / "cache")
    again, formatted_again = generate_sources(spec, "hostile", cache_dir=tmp_path / "cache")
    assert cold == warm == again
    assert formatted > 0 and formatted_again == 0


# -- random specs: determinism and valid Python ---------------------------------------------------

segment = st.one_of(
    st.sampled_from(["nodes", "qemu", "get", "in", "self", "list", "my-seg", "my_seg", "1st", "str", "_x"]),
    st.text(min_size=1, max_size=6).filter(lambda s: "/" not in s and "{" not in s and "}" not in s),
)
placeholder = st.sampled_from(["{node}", "{vmid}", "{self}", "{class}", "{a-b}"])
schema = st.fixed_dictionaries(
    {"type": st.sampled_from(["string", "integer", "boolean", "number", "array", "object"])},
    optional={
        "optional": st.sampled_from([0, 1]),
        "description": st.text(max_size=30),
        "enum": st.lists(st.text(max_size=5), min_size=1, max_size=3),
        "default": st.text(max_size=5) | st.integers(),
    },
)
param_name = st.one_of(
    st.sampled_from(["self", "timeout", "net[n]", "get", "a-b", "a_b", "class", "1x"]), st.text(min_size=1, max_size=6)
)


@st.composite
def random_spec(draw: st.DrawFn) -> dict[str, Any]:
    operations = []
    seen: set[tuple[str, str]] = set()
    for _ in range(draw(st.integers(1, 4))):
        parts = draw(st.lists(st.one_of(segment, placeholder), min_size=1, max_size=4))
        path = "/" + "/".join(parts)
        method = draw(st.sampled_from(["GET", "POST", "PUT", "DELETE"]))
        if (method, path) in seen:
            continue
        seen.add((method, path))
        params = draw(st.dictionaries(param_name, schema, max_size=4))
        returns = draw(
            st.sampled_from([{"type": "null"}, {"type": "object", "properties": {"str": {"type": "integer"}}}])
        )
        operations.append({"method": method, "path": path, "summary": draw(st.text(max_size=20)),
                           "parameters": params, "returns": returns})  # fmt: skip
    # The loader refuses what no server could route (/{node}/{node}, /x/{a} beside /x/{b}).
    operations = routable_operations(operations)
    return {"format": "pvegen-spec/1", "product": "pve", "version": "1.0", "operations": operations}


@settings(max_examples=40, suppress_health_check=health_checks())
@given(random_spec())
def test_random_specs_render_deterministically_into_valid_python(document: dict[str, Any]) -> None:
    spec = load_spec_text(json.dumps(document))
    first = render_package(plan_package(spec, "pkg"))
    second = render_package(plan_package(load_spec_text(json.dumps(document)), "pkg"))
    assert first == second
    for name, text in first.items():
        if name.endswith(".py"):
            compile(text, name, "exec")  # syntax only; nothing is executed


@pytest.mark.fuzz
@settings(max_examples=500, suppress_health_check=health_checks())
@given(random_spec())
def test_random_specs_fuzz(document: dict[str, Any]) -> None:
    test_random_specs_render_deterministically_into_valid_python.hypothesis.inner_test(document)  # type: ignore[attr-defined]


@pytest.mark.parametrize("which", ["embedded", "hostile"])
def test_output_is_byte_identical_across_processes(tmp_path: Path, which: str) -> None:
    """Different hash seeds, the same bytes (sets and dicts never decide an order)."""
    spec = EMBEDDED_SPEC
    if which == "hostile":
        spec = tmp_path / "hostile.json"
        spec.write_text(json.dumps(hostile_spec(tmp_path / "canary")))
    assert_generated_alike_across_hash_seeds(spec, tmp_path)


def assert_generated_alike_across_hash_seeds(spec: Path, tmp_path: Path) -> None:
    """Generate SPEC in two processes with different hash seeds; the trees must be byte-identical."""
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"seed{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed, "PVEGEN_CACHE_DIR": str(cache_dir())}
        subprocess.run(
            [sys.executable, "-m", "pvegen", "generate", str(spec), "--out", str(out), "--package", "pkg", "-q"],
            env=env, check=True, cwd=tmp_path,
        )  # fmt: skip
        outputs.append(out)
    comparison = filecmp.dircmp(outputs[0], outputs[1])
    assert _all_same(comparison)
    assert len(list(outputs[0].rglob("*.py"))) > 20 and (outputs[0] / "pyproject.toml").is_file()


def _all_same(cmp: filecmp.dircmp[str]) -> bool:
    if cmp.left_only or cmp.right_only or cmp.diff_files or cmp.funny_files:
        return False
    _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
    return not mismatch and not errors and all(_all_same(sub) for sub in cmp.subdirs.values())


def test_concurrent_runs_share_the_cache_safely(tmp_path: Path) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(hostile_spec(tmp_path / "canary")))
    env = {**os.environ, "PVEGEN_CACHE_DIR": str(tmp_path / "cache")}

    def command(out: str) -> list[str]:
        target = str(tmp_path / out)
        return [sys.executable, "-m", "pvegen", "generate", str(spec), "--out", target, "--package", "pve"]

    runs = [subprocess.Popen(command(out), cwd=ROOT, env=env, stdout=subprocess.DEVNULL) for out in ("a", "b", "c")]
    assert [run.wait(timeout=120) for run in runs] == [0, 0, 0]
    assert _snapshot(tmp_path / "a") == _snapshot(tmp_path / "b") == _snapshot(tmp_path / "c")
    assert not list((tmp_path / "cache").rglob(".tmp.*"))  # no half-written entries
    loaded = load_spec_text(spec.read_text())
    files, formatted = generate_sources(loaded, "pve", cache_dir=tmp_path / "cache")
    assert formatted == 0
    assert {k: v.encode() for k, v in files.items()} == _snapshot(tmp_path / "a" / "pve")


# -- atomic output ------------------------------------------------------------------------------


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_failure_while_writing_leaves_previous_output(tmp_path: Path) -> None:
    package = tmp_path / "out" / "pkg"
    write_package(package, {"__init__.py": "OLD = 1\n"})
    before = _snapshot(package)
    with pytest.raises(ValueError):  # a NUL in a file name fails half-way through writing
        write_package(package, {"a.py": "NEW = 1\n", "b\0.py": "", "c.py": ""})
    assert _snapshot(package) == before
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["pkg"]  # no staging left behind


def test_failure_while_generating_leaves_previous_output(tmp_path: Path) -> None:
    spec = load_spec_text(json.dumps(hostile_spec(tmp_path / "canary")))
    generate(spec, tmp_path / "out", "pkg", use_cache=False)
    before = _snapshot(tmp_path / "out" / "pkg")

    def interrupted(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        generate(spec.with_version("2.0"), tmp_path / "out", "pkg", use_cache=False, progress=interrupted)
    assert _snapshot(tmp_path / "out" / "pkg") == before


# -- the CLI ------------------------------------------------------------------------------------


def test_cli_generates_and_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(hostile_spec(tmp_path / "canary")))
    assert pvegen(["generate", str(spec), "--out", str(tmp_path / "out"), "--package", "mine"]) == 0
    out, err = capsys.readouterr()
    assert "7 operations" in out and err == ""  # no progress when stderr is not a terminal
    assert (tmp_path / "out" / "mine" / "__init__.py").is_file()
    assert pvegen(["generate", str(spec), "--out", str(tmp_path / "out"), "--package", "mine", "--quiet"]) == 0
    assert capsys.readouterr() == ("", "")


def test_cli_shows_progress_only_on_a_terminal(tmp_path: Path) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(hostile_spec(tmp_path / "canary")))
    master, slave = pty.openpty()
    command = [sys.executable, "-m", "pvegen", "generate", str(spec), "--out", str(tmp_path / "out"), "--no-cache"]
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=slave) as proc:
        os.close(slave)
        stdout, _ = proc.communicate(timeout=120)
    chunks = []
    with contextlib.suppress(OSError):  # EIO once the child side is closed
        while data := os.read(master, 4096):
            chunks.append(data)
    os.close(master)
    assert proc.returncode == 0
    assert b"formatting modules:" in b"".join(chunks) and b"formatting" not in stdout


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["missing.json"], "missing.json"),
        (["SPEC", "--package", "not-valid"], "--package 'not-valid'"),
        (["SPEC", "--package", "class"], "--package 'class'"),
        (["BAD"], "bad.json:1:"),
    ],
)
def test_cli_bad_input_is_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], fragment: str
) -> None:
    (tmp_path / "spec.json").write_text(json.dumps(hostile_spec(tmp_path / "canary")))
    (tmp_path / "bad.json").write_text("{not json")
    real = [
        str(tmp_path / "spec.json") if a == "SPEC" else str(tmp_path / "bad.json") if a == "BAD" else a for a in args
    ]
    assert pvegen(["generate", *real, "--out", str(tmp_path / "out")]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and fragment in err
    assert not (tmp_path / "out").exists()


def test_generate_refuses_to_replace_what_it_did_not_write(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    (tmp_path / "out" / "mine").mkdir(parents=True)
    (tmp_path / "out" / "mine" / "keep.py").write_text("precious = 1\n")
    spec = load_spec_text(json.dumps(hostile_spec(tmp_path / "canary")))
    with pytest.raises(GenerateError, match="not a folder"):
        generate(spec, tmp_path / "file", "pkg")
    with pytest.raises(GenerateError, match="not a package pvegen generated"):
        generate(spec, tmp_path / "out", "mine")
    assert (tmp_path / "out" / "mine" / "keep.py").read_text() == "precious = 1\n"
    (tmp_path / "out" / "empty").mkdir()
    generate(spec, tmp_path / "out", "empty", cache_dir=tmp_path / "cache")  # empty: fine
    generate(spec, tmp_path / "out", "empty", cache_dir=tmp_path / "cache")  # ours: replaced


# -- generated/ is what `make generate` writes ---------------------------------------------------


def test_committed_generated_matches_make_generate(tmp_path: Path) -> None:
    spec_file = ROOT / "spec" / "proxmox-ve.json"
    committed = ROOT / "generated" / "proxmox_ve"
    if not spec_file.is_file():
        pytest.skip("spec/proxmox-ve.json is absent")
    env = {**os.environ, "PVEGEN_CACHE_DIR": str(cache_dir())}
    subprocess.run(
        [sys.executable, "-m", "pvegen", "generate", str(spec_file), "--out", str(tmp_path),
         "--package", "proxmox_ve", "-q"],
        env=env, check=True, cwd=ROOT,
    )  # fmt: skip
    fresh = _snapshot(tmp_path / "proxmox_ve")
    current = {k: v for k, v in _snapshot(committed).items() if "__pycache__" not in k and ".mypy_cache" not in k}
    assert current == fresh, "generated/ is stale: run `make generate` and commit the result"
    assert (committed.parent / "pyproject.toml").read_bytes() == (tmp_path / "pyproject.toml").read_bytes()


def test_generation_counts_every_operation_and_copies_the_runtime_verbatim(tmp_path: Path) -> None:
    spec = embedded_spec()
    result = generate(spec, tmp_path, "pkg", cache_dir=cache_dir())
    assert result.operations == len(spec.operations) == 43
    runtime = ROOT / "generator" / "runtime"
    sources = sorted(path.name for path in runtime.glob("*.py"))
    assert sorted(path.name for path in (tmp_path / "pkg" / "_runtime").glob("*.py")) == sources
    for name in sources:
        copied = (tmp_path / "pkg" / "_runtime" / name).read_text()
        assert copied == f"{HEADER}\n" + (runtime / name).read_text(), name
