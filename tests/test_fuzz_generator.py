"""Generator fuzzing: random valid specs with hostile text everywhere generate, import and run
nothing from the spec; random invalid specs exit 2 with a located one-line message.

Speed (5,000+ examples on 2 cores): one example is one small spec, rendered in-process through the
codegen API (plan + jinja2, no black), compiled, and imported from memory by a meta-path finder
(the runtime modules are compiled once and executed per package). Every ``FULL_EVERY``-th example
also takes the whole road, black and atomic write included, and is imported from a tmp folder.
test_codegen.py covers hand-written hostile specs, mypy on the output and cross-process
byte-identity; this file covers breadth.
"""

from __future__ import annotations

import builtins
import contextlib
import copy
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import io
import itertools
import json
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import CodeType, ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pvegen import Spec, load_spec_text
from pvegen.cli import main as pvegen
from pvegen.codegen import generate
from pvegen.codegen.plan import plan_package
from pvegen.codegen.render import render_package
from pvegen.codegen.write import runtime_sources
from pvegen.errors import json_path
from tests.strategies import PWNED_FLAG, health_checks, hostile_documents

pytestmark = pytest.mark.fuzz

VALID_EXAMPLES = 5000
INVALID_EXAMPLES = 2000
FULL_EVERY = 250  # black + write + import from disk for one example in this many

MARKER = Path(tempfile.gettempdir()) / f"pvegen-fuzz-marker-{os.getpid()}"
COUNTS = {"valid": 0, "full": 0, "operations": 0, "invalid": 0}  # reported by fuzz_counts_report


def _nothing_ran() -> None:
    assert not MARKER.exists(), "spec text was executed: the marker file exists"
    assert not hasattr(builtins, PWNED_FLAG), "spec text was executed: builtins flag set"


# -- importing a rendered package from memory ------------------------------------------------------


class _MemoryPackages(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports packages given as {relative path: source}; code objects of identical sources (the
    runtime) are compiled once and reused."""

    def __init__(self) -> None:
        self.packages: dict[str, dict[str, str]] = {}
        self._code: dict[tuple[str, str], CodeType] = {}

    def _source(self, fullname: str) -> tuple[str, str, bool] | None:
        root, _, rest = fullname.partition(".")
        files = self.packages.get(root)
        if files is None:
            return None
        base = rest.replace(".", "/")
        package_init = f"{base}/__init__.py" if base else "__init__.py"
        if package_init in files:
            return package_init, files[package_init], True
        if f"{base}.py" in files:
            return f"{base}.py", files[f"{base}.py"], False
        return None

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        found = self._source(fullname)
        if found is None:
            return None
        return importlib.util.spec_from_loader(fullname, self, origin=f"<fuzz>/{found[0]}", is_package=found[2])

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return None

    def exec_module(self, module: ModuleType) -> None:
        found = self._source(module.__name__)
        assert found is not None
        relative, source, _ = found
        key = (relative, source)
        code = self._code.get(key)
        if code is None:
            code = compile(source, f"<fuzz>/{relative}", "exec")
            if relative.startswith("_runtime/"):
                self._code[key] = code
        exec(code, module.__dict__)

    @contextlib.contextmanager
    def imported(self, name: str, files: dict[str, str]) -> Iterator[ModuleType]:
        self.packages[name] = files
        try:
            yield importlib.import_module(name)
        finally:
            del self.packages[name]
            for module in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
                del sys.modules[module]


@pytest.fixture(scope="module")
def memory_packages() -> Iterator[_MemoryPackages]:
    finder = _MemoryPackages()
    sys.meta_path.insert(0, finder)
    with contextlib.suppress(FileNotFoundError):
        MARKER.unlink()
    yield finder
    sys.meta_path.remove(finder)
    with contextlib.suppress(FileNotFoundError):
        MARKER.unlink()


# -- what a generated package must offer -------------------------------------------------------------


def _is_placeholder(segment: str) -> bool:
    return len(segment) > 2 and segment.startswith("{") and segment.endswith("}")


def _expected_operations(spec: Spec) -> dict[tuple[str, str], Any]:
    """(method, path) -> operation for the operations the tree serves: of paths that differ only in
    placeholder names (and empty segments), the first in spec order wins (docs/client.md)."""
    first: dict[tuple[str, tuple[str, ...]], Any] = {}
    for op in spec.operations:
        shape = tuple("{}" if _is_placeholder(s) else s for s in op.path.split("/") if s)
        first.setdefault((op.method, shape), op)
    return {(op.method, op.path): op for op in first.values()}


def _reachable(client: Any, package: str) -> dict[tuple[str, str], Any]:
    """Every operation reachable by attribute access and calls from the client, with its verb."""
    found: dict[tuple[str, str], Any] = {}
    visited: set[type] = set()
    stack = [client]
    while stack:
        resource = stack.pop()
        generated = [c for c in type(resource).__mro__ if c.__module__.startswith(f"{package}._resources.")]
        if not generated or generated[0] in visited:
            continue
        visited.add(generated[0])
        for cls in generated:
            for name, member in vars(cls).items():
                if name.startswith("_op_"):
                    verb = getattr(resource, name[len("_op_") :])
                    assert callable(verb) and verb.__name__ == name[len("_op_") :]
                    found[(member.method, member.path)] = verb
                elif isinstance(member, property):
                    stack.append(getattr(resource, name))
            if "__call__" in vars(cls):
                stack.append(resource("value"))
    return found


def _squash(text: str) -> str:
    # Docstrings indent continuation lines; compare line contents only. Lone surrogates, which no
    # docstring can hold, are shown escaped (\ud800) as the generator writes them.
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return "\n".join(line.strip() for line in text.split("\n"))


def _doc_texts(op: Any) -> list[str]:
    """The spec text an operation's docstring must carry: summary, path, parameter descriptions."""
    texts = [op.summary.strip() if op.summary and op.summary.strip() else "", f"{op.method} {op.path}"]
    texts += [(schema.description or "").strip() for name, schema in op.parameters.items()
              if name not in op.path_parameters]  # fmt: skip
    return [text for text in texts if text]


def _check_package(module: Any, package: str, spec: Spec) -> None:
    assert tuple((op.method, op.path) for op in spec.operations) == module.OPERATIONS
    assert (spec.product, spec.version) == (module.SPEC_PRODUCT, module.SPEC_VERSION)
    client = module.ProxmoxVE("pve.example", token_id="u@pam!t", token_secret="s")
    reachable = _reachable(client, package)
    expected = _expected_operations(spec)
    assert set(reachable) == set(expected)
    for key, verb in reachable.items():
        # Spec text, hostile parts included, survives escaping into the docstring.
        doc = _squash(verb.__doc__ or "")
        for text in _doc_texts(expected[key]):
            assert _squash(text) in doc, (text, verb.__doc__)
    COUNTS["operations"] += len(reachable)


# -- valid specs ---------------------------------------------------------------------------------------

_serial = itertools.count()


@settings(max_examples=VALID_EXAMPLES, suppress_health_check=health_checks(HealthCheck.function_scoped_fixture))
@given(document=hostile_documents(str(MARKER)))
def test_hostile_specs_generate_import_and_run_nothing(
    document: dict[str, Any], memory_packages: _MemoryPackages, tmp_path_factory: pytest.TempPathFactory
) -> None:
    serial = next(_serial)
    text = json.dumps(document)
    spec = load_spec_text(text)
    package = f"fuzzpkg_{serial}"
    files = render_package(plan_package(spec, package))
    assert files == render_package(plan_package(load_spec_text(text), package))  # deterministic
    sources = {**files, **runtime_sources(), "py.typed": ""}
    with memory_packages.imported(package, sources) as module:
        _check_package(module, package, spec)
    _nothing_ran()
    COUNTS["valid"] += 1
    if serial % FULL_EVERY == 0:
        _full_road(spec, package, tmp_path_factory.mktemp("full"))


def _full_road(spec: Spec, package: str, out: Path) -> None:
    """black, the cache and the atomic write; then a plain import from disk."""
    generate(spec, out, package, cache_dir=out / "cache")
    first = {p.relative_to(out): p.read_bytes() for p in sorted((out / package).rglob("*")) if p.is_file()}
    generate(spec, out, package, use_cache=False)
    again = {p.relative_to(out): p.read_bytes() for p in sorted((out / package).rglob("*")) if p.is_file()}
    assert first == again  # byte-identical, with or without the cache
    sys.path.insert(0, str(out))
    try:
        module = importlib.import_module(package)
        assert Path(module.__file__ or "").parent == out / package
        _check_package(module, package, spec)
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            del sys.modules[name]
    _nothing_ran()
    COUNTS["full"] += 1


# -- invalid specs ---------------------------------------------------------------------------------------

Doc = dict[str, Any]


def _schema_sites(schema: Any, where: list[str | int]) -> Iterator[tuple[list[str | int], Doc]]:
    """Every nested schema object with its segments (properties, items, format keys, ...)."""
    if not isinstance(schema, dict):
        return
    yield where, schema
    for key in ("properties", "format"):
        children = schema.get(key)
        if isinstance(children, dict):
            for name, child in children.items():
                yield from _schema_sites(child, [*where, key, name])
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            yield from _schema_sites(schema[key], [*where, key])


# Breaking one schema: (key, bad value, whether the location names the key itself).
SCHEMA_BREAKS: list[tuple[str, Any]] = [
    ("type", "strin"),
    ("type", 5),
    ("type", ["string"]),
    ("optional", 2),
    ("optional", "yes"),
    ("minimum", "abc"),
    ("maximum", [1]),
    ("minLength", "x"),
    ("description", 5),
    ("pattern", {"a": 1}),
    ("enum", "a,b"),
    ("properties", [1]),
    ("format", 5),
    ("additionalProperties", "sometimes"),
    ("oneOf", {}),
]


# Strategies are built once: building them inside a draw is what makes hypothesis slow.
_SMALL_DOCUMENTS = hostile_documents(str(MARKER), max_operations=3)
_KINDS = st.sampled_from(["top", "operation", "schema", "not-a-schema", "duplicate", "not-an-operation"])
_TOP_BREAKS: st.SearchStrategy[tuple[str, Any]] = st.sampled_from(
    [("format", "pvegen-spec/2"), ("format", 1), ("product", 5), ("version", 9.1), ("description", []),
     ("operations", {}), ("zz-unknown", 1)]
)  # fmt: skip
_OPERATION_BREAKS: st.SearchStrategy[tuple[str, Any]] = st.sampled_from(
    [("method", "PATCH"), ("method", None), ("path", "nodes"), ("path", 5), ("parameters", []), ("open", "yes"),
     ("description", "x"), ("allowtoken", 2), ("protected", "no"), ("name", 5), ("permissions", "root only")]
)  # fmt: skip
_NOT_OPERATIONS: st.SearchStrategy[Any] = st.sampled_from([5, "GET /x", [], None])
_NOT_SCHEMAS: st.SearchStrategy[Any] = st.sampled_from(["string", 1, [], None, True])
_ODD_NAMES = st.sampled_from(["zz", "a b", "it's", "net[n]", "\x00", "é"])
_SCHEMA_BREAKS = st.sampled_from(SCHEMA_BREAKS)


@st.composite
def broken_documents(draw: st.DrawFn) -> tuple[Doc, list[str | int]]:
    """A valid hostile document with exactly one defect, and the JSON path of the defect."""
    doc: Doc = copy.deepcopy(draw(_SMALL_DOCUMENTS))
    kind = draw(_KINDS)
    if kind == "top":
        key, value = draw(_TOP_BREAKS)
        doc[key] = value
        return doc, [key]
    index = draw(st.integers(0, len(doc["operations"]) - 1))
    op = doc["operations"][index]
    if kind == "duplicate":
        doc["operations"].append(copy.deepcopy(op))
        return doc, ["operations", len(doc["operations"]) - 1]
    if kind == "not-an-operation":
        doc["operations"][index] = draw(_NOT_OPERATIONS)
        return doc, ["operations", index]
    if kind == "operation":
        key, value = draw(_OPERATION_BREAKS)
        op[key] = value
        return doc, ["operations", index, key]
    sites = [
        (["parameters", name, *where], schema)
        for name, raw in op["parameters"].items()
        for where, schema in _schema_sites(raw, [])
    ]
    sites += [(["returns", *where], schema) for where, schema in _schema_sites(op.get("returns"), [])]  # fmt: skip
    if kind == "not-a-schema" or not sites:
        name = draw(_ODD_NAMES)
        op["parameters"][name] = draw(_NOT_SCHEMAS)
        return doc, ["operations", index, "parameters", name]
    where, schema = sites[draw(st.integers(0, len(sites) - 1))]
    key, value = draw(_SCHEMA_BREAKS)
    schema[key] = value
    return doc, ["operations", index, *where, key]


@pytest.fixture(scope="module")
def spec_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("invalid")


@settings(max_examples=INVALID_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(case=broken_documents())
def test_invalid_specs_exit_2_with_a_located_one_line_message(
    case: tuple[Doc, list[str | int]], spec_dir: Path
) -> None:
    doc, where = case
    spec_file = spec_dir / "spec.json"
    spec_file.write_text(json.dumps(doc))
    out = spec_dir / "out"
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = pvegen(["generate", str(spec_file), "--out", str(out), "--package", "pkg", "--quiet"])
    message = stderr.getvalue()
    assert code == 2, message
    assert stdout.getvalue() == ""
    assert message.startswith("pvegen generate: error: ") and message.endswith("\n")
    assert message.count("\n") == 1, message
    prefix = f"pvegen generate: error: {spec_file}:"
    assert message.startswith(prefix), message
    assert message[len(prefix) :].startswith(json_path(where) + ": "), (json_path(where), message)
    assert not out.exists()  # nothing written half-way
    _nothing_ran()
    COUNTS["invalid"] += 1


def test_lone_surrogates_in_class_docstrings_import(memory_packages: _MemoryPackages) -> None:
    document = {"format": "pvegen-spec/1", "product": "pve", "version": "1.0",
                "operations": [{"method": "GET", "path": "/a\ud800b", "summary": "\udfff"}]}  # fmt: skip
    spec = load_spec_text(json.dumps(document))
    files = render_package(plan_package(spec, "surrogates"))
    with memory_packages.imported("surrogates", {**files, **runtime_sources()}) as module:
        _check_package(module, "surrogates", spec)


@pytest.mark.parametrize(
    "operations",
    [
        [{"method": "GET", "path": "/a\nb"}, {"method": "GET", "path": "/a\nb"}],  # "... is already defined"
        [{"method": "GET", "path": "/a", "parameters": {"x\ny": {"type": "strin"}}}],  # in the JSON path
    ],
)
def test_error_naming_a_line_break_is_still_one_line(operations: list[Doc], spec_dir: Path) -> None:
    spec_file = spec_dir / "linebreak.json"
    spec_file.write_text(json.dumps({"format": "pvegen-spec/1", "product": "pve", "operations": operations}))
    stderr = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(stderr):
        code = pvegen(["generate", str(spec_file), "--out", str(spec_dir / "out"), "--quiet"])
    assert code == 2
    assert stderr.getvalue().count("\n") == 1, stderr.getvalue()


@pytest.fixture(scope="module", autouse=True)
def fuzz_counts_report(request: pytest.FixtureRequest) -> Iterator[None]:
    """After this module: what the fuzz tests did, on the terminal (a report for the closing note,
    not a test: hypothesis decides how many examples it runs)."""
    yield
    plugins = request.config.pluginmanager
    reporter, capture = plugins.get_plugin("terminalreporter"), plugins.get_plugin("capturemanager")
    if reporter is not None and capture is not None and any(COUNTS.values()):
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"\ngenerator fuzz: {COUNTS}")
