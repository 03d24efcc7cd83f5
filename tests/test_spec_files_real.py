"""spec/proxmox-ve.json agrees with real PVE 9.1 and lists every endpoint of the user's notes; every real release
normalises into a document spec/schema.json accepts (needs ../shared)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from pvegen import Spec
from pvegen.model import Operation, Schema
from pvegen.normalize import write_spec

from .fixtures_shared import SHARED_DIR, embedded_spec, real_data_module, require_shared
from .test_spec_files import SCHEMA_FILE, schema_errors, schema_nodes

real_data_module()

NOTES_FILE = SHARED_DIR.parent / "seed-proxmox-api-notes.md"
EXTRA_ENDPOINTS = (
    ("POST", "/access/ticket"),
    ("GET", "/version"),
    ("GET", "/nodes/{node}/tasks/{upid}/status"),
    ("GET", "/nodes/{node}/tasks/{upid}/log"),
)
_NOTE_LINE = re.compile(r"^\s*-\s+`(GET|POST|PUT|DELETE)\s+(/[^`\s]*)`", re.MULTILINE)

Release = Callable[[str], Spec]


@pytest.fixture(scope="session")
def default_spec() -> Spec:
    return embedded_spec()


@pytest.fixture(scope="session")
def validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


@pytest.fixture(scope="session")
def pve91(release: Release) -> Spec:
    return release("9.1")


def test_normalized_release_validates(each_release: Spec, validator: Draft202012Validator, tmp_path: Path) -> None:
    out = tmp_path / "normalized.json"
    write_spec(each_release, out)
    errors = schema_errors(validator, json.loads(out.read_text(encoding="utf-8")))
    assert errors[:5] == [], f"{len(errors)} errors for pve {each_release.version}"


def test_every_endpoint_of_the_notes_is_present(default_spec: Spec) -> None:
    if not NOTES_FILE.is_file():
        pytest.skip(f"the user's API notes are not at {NOTES_FILE}")
    listed = _NOTE_LINE.findall(NOTES_FILE.read_text(encoding="utf-8"))
    assert len(listed) > 30, "the notes' endpoint lines were not recognised"
    missing = [f"{m} {p}" for m, p in [*listed, *EXTRA_ENDPOINTS] if default_spec.operation(m, p) is None]
    assert missing == []


def _pairs(default_spec: Spec, pve91: Spec) -> Iterator[tuple[Operation, Operation]]:
    for op in default_spec.operations:
        real = pve91.operation(op.method, op.path)
        assert real is not None, f"{op.method} {op.path} does not exist in PVE 9.1"
        yield op, real


def test_operations_exist_in_9_1_with_the_same_facts(default_spec: Spec, pve91: Spec) -> None:
    for op, real in _pairs(default_spec, pve91):
        where = f"{op.method} {op.path}"
        assert op.name == real.name, where
        assert (op.allowtoken, op.protected, op.proxyto) == (real.allowtoken, real.protected, real.proxyto), where
        assert op.permissions is not None and real.permissions is not None, where
        assert (op.permissions.check, op.permissions.user) == (real.permissions.check, real.permissions.user), where
        assert set(op.path_parameters) <= set(op.parameters), where


def _compare_schema(ours: Schema, real: Schema, where: str) -> list[str]:
    problems = []
    if ours.type != real.type:
        problems.append(f"{where}: type {ours.type} != {real.type}")
    if ours.required != real.required:
        problems.append(f"{where}: required {ours.required} != {real.required}")
    if ours.format != real.format:
        problems.append(f"{where}: format {ours.format} != {real.format}")
    if real.enum is not None and not set(ours.enum or ()) <= set(real.enum):
        problems.append(f"{where}: enum {ours.enum} not within {real.enum}")
    if real.enum is None and ours.enum is not None:
        problems.append(f"{where}: enum where PVE has none")
    for key in ("minimum", "maximum", "min_length", "max_length", "pattern"):
        if getattr(ours, key) != getattr(real, key):
            problems.append(f"{where}: {key} {getattr(ours, key)} != {getattr(real, key)}")
    return problems


def test_parameters_match_9_1(default_spec: Spec, pve91: Spec) -> None:
    problems: list[str] = []
    for op, real in _pairs(default_spec, pve91):
        for name, schema in op.parameters.items():
            where = f"{op.method} {op.path} {name}"
            upstream = real.parameters.get(name)
            if upstream is None:
                # 9.1 leaves a few path placeholders undeclared: those are plain strings.
                if not (name in op.path_parameters and schema.type == "string"):
                    problems.append(f"{where}: not a parameter in PVE 9.1")
                continue
            problems += _compare_schema(schema, upstream, where)
            ours_keys, real_keys = schema.format_properties, upstream.format_properties
            if (ours_keys is None) != (real_keys is None):
                problems.append(f"{where}: property string in one spec only")
            elif ours_keys is not None and real_keys is not None:
                # The client checks sub-keys, so all of them must be there, not a selection.
                if set(ours_keys) != set(real_keys):
                    problems.append(f"{where}: sub-keys differ: {sorted(set(ours_keys) ^ set(real_keys))}")
                for key in set(ours_keys) & set(real_keys):
                    sub, real_sub = ours_keys[key], real_keys[key]
                    problems += _compare_schema(sub, real_sub, f"{where}.{key}")
                    facts = (sub.alias, sub.key_alias, sub.default_key)
                    if facts != (real_sub.alias, real_sub.key_alias, real_sub.default_key):
                        problems.append(f"{where}.{key}: alias/keyAlias/default_key differ")
    assert problems == []


def test_required_parameters_are_all_listed_and_open_means_partial(default_spec: Spec, pve91: Spec) -> None:
    for op, real in _pairs(default_spec, pve91):
        where = f"{op.method} {op.path}"
        required = {name for name, schema in real.parameters.items() if schema.required}
        assert required <= set(op.parameters), where
        partial = len(op.parameters) < len(real.parameters)
        assert op.open == (partial or real.open), where


def _compare_returns(ours: Schema, real: Schema, where: str) -> Iterator[str]:
    if ours.type != real.type:
        yield f"{where}: type {ours.type} != {real.type}"
    if ours.enum is not None and not set(ours.enum) <= set(real.enum or ()):
        yield f"{where}: enum {ours.enum} not within {real.enum}"
    if ours.items is not None:
        if real.items is None:
            yield f"{where}: items where PVE has none"
        else:
            yield from _compare_returns(ours.items, real.items, f"{where}[]")
    declared: dict[str, Schema] = dict(real.properties or {})
    for name, prop in (ours.properties or {}).items():
        if name in declared:
            if prop.required != declared[name].required:
                yield f"{where}.{name}: required {prop.required} != {declared[name].required}"
            yield from _compare_returns(prop, declared[name], f"{where}.{name}")
        elif prop.required:
            # PVE does not declare it, so we cannot promise it either.
            yield f"{where}.{name}: undeclared in PVE 9.1 yet required"


def test_return_shapes_match_9_1(default_spec: Spec, pve91: Spec) -> None:
    problems: list[str] = []
    for op, real in _pairs(default_spec, pve91):
        problems += _compare_returns(op.returns, real.returns, f"{op.method} {op.path} returns")
    assert problems == []


def _counterpart(real: Schema | None, path: str) -> Schema | None:
    """The 9.1 schema at the same place (path segments as built by schema_nodes)."""
    for part in re.findall(r"\[\]|\.[^.\[]+", path):
        if real is None:
            return None
        if part == "[]":
            real = real.items
        else:
            name = part[1:]
            real = (real.properties or {}).get(name) or (real.format_properties or {}).get(name)
    return real


def _same_words(ours: str, theirs: str | None) -> bool:
    return theirs is not None and ours.strip().lower() == theirs.strip().lower()


def test_texts_are_our_own_and_complete(default_spec: Spec, pve91: Spec) -> None:
    copied: list[str] = []
    undocumented: list[str] = []
    for op, real in _pairs(default_spec, pve91):
        here = f"{op.method} {op.path}"
        if not op.summary:
            undocumented.append(here)
        if op.summary and _same_words(op.summary, real.summary):
            copied.append(here)
        ours_perm, real_perm = op.permissions, real.permissions
        their_words = real_perm.description if real_perm else None
        if ours_perm and ours_perm.description and _same_words(ours_perm.description, their_words):
            copied.append(f"{here} permissions")
        trees = [(name, schema, real.parameters.get(name)) for name, schema in op.parameters.items()]
        trees.append(("returns", op.returns, real.returns))
        for label, schema, upstream in trees:
            for path, node in schema_nodes(schema, ""):
                where = f"{here} {label}{path}"
                # Array elements are described by their array.
                if node.type is not None and not node.description and not path.endswith("[]"):
                    undocumented.append(where)
                twin = _counterpart(upstream, path)
                if node.description and twin is not None and _same_words(node.description, twin.description):
                    copied.append(where)
    assert not copied, f"texts copied from Proxmox: {copied}"
    assert not undocumented, f"no description: {undocumented}"


def test_shared_data_present_for_real_checks() -> None:
    # The comparisons above need ../shared; say so plainly when it is absent.
    require_shared()
    assert (SHARED_DIR / "pve-9.1.js").is_file()
