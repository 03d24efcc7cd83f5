"""spec/schema.json describes what the loader accepts; spec/proxmox-ve.json agrees with real PVE 9.1."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from pvegen import Spec, load_spec
from pvegen.errors import SpecError
from pvegen.load import load_spec_text
from pvegen.model import Operation, Schema
from pvegen.normalize import write_spec

from .fixtures_shared import SHARED_DIR, require_shared

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_FILE = ROOT / "spec" / "schema.json"
DEFAULT_SPEC = ROOT / "spec" / "proxmox-ve.json"
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
def validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


@pytest.fixture(scope="session")
def default_spec() -> Spec:
    return load_spec(DEFAULT_SPEC)


@pytest.fixture(scope="session")
def pve91(release: Release) -> Spec:
    return release("9.1")


def schema_errors(validator: Draft202012Validator, doc: Any) -> list[str]:
    return [f"{e.json_path}: {e.message}" for e in validator.iter_errors(doc)]


# -- schema.json ------------------------------------------------------------------------------


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_schema_describes_every_key_it_names() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    defs = schema["$defs"]
    sections = [schema["properties"], defs["operation"]["properties"], defs["schema"]["properties"]]
    undocumented = [key for section in sections for key, sub in section.items() if not sub.get("description")]
    assert not undocumented, f"no description: {undocumented}"


def test_default_spec_validates(validator: Draft202012Validator) -> None:
    assert schema_errors(validator, json.loads(DEFAULT_SPEC.read_text(encoding="utf-8"))) == []


def test_normalized_release_validates(each_release: Spec, validator: Draft202012Validator, tmp_path: Path) -> None:
    out = tmp_path / "normalized.json"
    write_spec(each_release, out)
    errors = schema_errors(validator, json.loads(out.read_text(encoding="utf-8")))
    assert errors[:5] == [], f"{len(errors)} errors for pve {each_release.version}"


def _base_document() -> dict[str, Any]:
    """A small document that both the schema and the loader accept (checked below)."""
    return {
        "format": "pvegen-spec/1",
        "product": "pve",
        "version": "9.1",
        "operations": [
            {
                "method": "POST",
                "path": "/nodes/{node}/qemu/{vmid}/status/start",
                "name": "vm_start",
                "summary": "Start a VM.",
                "parameters": {
                    "node": {"type": "string", "format": "pve-node"},
                    "vmid": {"type": "integer", "minimum": 100},
                    "net[n]": {
                        "type": "string",
                        "optional": 1,
                        "format": {
                            "model": {"type": "string", "enum": ["virtio", "e1000"], "default_key": 1},
                            "virtio": {"alias": "macaddr", "keyAlias": "model"},
                            "macaddr": {"type": "string", "optional": 1},
                        },
                    },
                },
                "returns": {
                    "type": "array",
                    "items": {"type": "object", "properties": {"n": {"type": "integer"}}},
                },
                "permissions": {"check": ["perm", "/vms/{vmid}", ["VM.PowerMgmt"]]},
                "allowtoken": 1,
                "protected": 1,
                "proxyto": "node",
            }
        ],
    }


def _op(doc: dict[str, Any]) -> dict[str, Any]:
    op: dict[str, Any] = doc["operations"][0]
    return op


def _param(doc: dict[str, Any], name: str = "vmid") -> dict[str, Any]:
    param: dict[str, Any] = _op(doc)["parameters"][name]
    return param


def _set(target: Callable[[dict[str, Any]], dict[str, Any]], key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        target(doc)[key] = value

    return change


def _drop(key: str) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        del doc[key]

    return change


def _top(doc: dict[str, Any]) -> dict[str, Any]:
    return doc


def _sub_key(doc: dict[str, Any]) -> dict[str, Any]:
    sub: dict[str, Any] = _param(doc, "net[n]")["format"]["macaddr"]
    return sub


def _returns_item(doc: dict[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = _op(doc)["returns"]["items"]["properties"]["n"]
    return item


INVALID = {
    "format missing": _drop("format"),
    "other format": _set(_top, "format", "pvegen-spec/2"),
    "operations missing": _drop("operations"),
    "operations not an array": _set(_top, "operations", {}),
    "unknown top-level key": _set(_top, "extras", 1),
    "product not a string": _set(_top, "product", 42),
    "version a number": _set(_top, "version", 9.1),
    "operation not an object": _set(_top, "operations", ["GET /nodes"]),
    "method lower case": _set(_op, "method", "get"),
    "method missing": lambda doc: _op(doc).pop("method"),
    "path without slash": _set(_op, "path", "nodes"),
    "path missing": lambda doc: _op(doc).pop("path"),
    "description on an operation": _set(_op, "description", "Start a VM."),
    "parameters an array": _set(_op, "parameters", []),
    "open not a boolean": _set(_op, "open", "yes"),
    "name a number": _set(_op, "name", 5),
    "permissions a string": _set(_op, "permissions", "root"),
    "returns a string": _set(_op, "returns", "string"),
    "unknown type name": _set(_param, "type", "int"),
    "optional 2": _set(_param, "optional", 2),
    "minimum not numeric": _set(_param, "minimum", "a lot"),
    "maxLength a boolean": _set(_param, "maxLength", True),
    "pattern a number": _set(_param, "pattern", 5),
    "enum a string": _set(_param, "enum", "a,b"),
    "items a string": _set(_param, "items", "string"),
    "format a number": _set(_param, "format", 5),
    "properties an array": _set(_param, "properties", []),
    "additionalProperties 2": _set(_param, "additionalProperties", 2),
    "oneOf an object": _set(_param, "oneOf", {}),
    "requires a list": _set(_param, "requires", ["node"]),
    "parameter schema a string": lambda doc: _op(doc)["parameters"].__setitem__("node", "string"),
    "bad type in a property-string key": _set(_sub_key, "type", "text"),
    "bad type in a returned property": _set(_returns_item, "type", "int"),
}

VALID_VARIANTS = {
    "as written": lambda doc: None,
    "custom top-level key": _set(_top, "x-origin", {"by": "hand"}),
    "no version": _drop("version"),
    "enum null": _set(_param, "enum", None),
    "numeric strings as bounds": _set(_param, "minimum", "100"),
    "optional as a string": _set(_param, "optional", "1"),
    "optional as a boolean": _set(_param, "optional", True),
    "unknown schema key": _set(_param, "x-unit", {"name": "id"}),
    "additionalProperties as a schema": _set(_param, "additionalProperties", {"type": "string"}),
    "extra operation key": _set(_op, "download_allowed", 1),
    "open": _set(_op, "open", True),
    "null proxyto": _set(_op, "proxyto", None),
}


@pytest.mark.parametrize("change", list(INVALID.values()), ids=list(INVALID))
def test_invalid_document_is_rejected_by_schema_and_loader(
    change: Callable[[dict[str, Any]], Any], validator: Draft202012Validator
) -> None:
    doc = _base_document()
    change(doc)
    assert schema_errors(validator, doc) != [], "schema.json accepted it"
    with pytest.raises(SpecError):
        load_spec_text(json.dumps(doc), source="doc.json")


@pytest.mark.parametrize("change", list(VALID_VARIANTS.values()), ids=list(VALID_VARIANTS))
def test_valid_document_is_accepted_by_schema_and_loader(
    change: Callable[[dict[str, Any]], Any], validator: Draft202012Validator
) -> None:
    doc = _base_document()
    change(doc)
    assert schema_errors(validator, doc) == []
    spec = load_spec_text(json.dumps(doc), source="doc.json")
    assert [op.key for op in spec.operations] == [("POST", "/nodes/{node}/qemu/{vmid}/status/start")]


def test_duplicate_operation_is_rejected_by_the_loader() -> None:
    # JSON Schema cannot say "unique by method+path"; the loader does, and schema.json says it in words.
    doc = _base_document()
    doc["operations"].append(copy.deepcopy(doc["operations"][0]))
    with pytest.raises(SpecError, match="already defined"):
        load_spec_text(json.dumps(doc), source="doc.json")


# -- proxmox-ve.json --------------------------------------------------------------------------


def test_default_spec_is_labelled_and_pretty(default_spec: Spec) -> None:
    assert (default_spec.product, default_spec.version, default_spec.source_kind) == ("pve", "9.1", "pvegen-spec/1")
    text = DEFAULT_SPEC.read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), indent=1, ensure_ascii=False) + "\n"


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


def _texts(schema: Schema, where: str) -> Iterator[tuple[str, Schema]]:
    yield where, schema
    if schema.items is not None:
        yield from _texts(schema.items, f"{where}[]")
    for name, prop in (schema.properties or {}).items():
        yield from _texts(prop, f"{where}.{name}")
    for name, sub in (schema.format_properties or {}).items():
        yield from _texts(sub, f"{where}.{name}")


def _counterpart(real: Schema | None, path: str) -> Schema | None:
    """The 9.1 schema at the same place (path segments as built by _texts)."""
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
            for path, node in _texts(schema, ""):
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
