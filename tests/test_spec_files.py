"""spec/schema.json describes what the loader accepts; spec/proxmox-ve.json is valid, labelled and described (that it
agrees with real PVE 9.1 and the user's notes: test_spec_files_real.py)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from pvegen import Spec, load_spec
from pvegen.errors import SpecError
from pvegen.load import load_spec_text
from pvegen.model import Schema
from pvegen.normalize import write_spec

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_FILE = ROOT / "spec" / "schema.json"
DEFAULT_SPEC = ROOT / "spec" / "proxmox-ve.json"


@pytest.fixture(scope="session")
def validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


@pytest.fixture(scope="session")
def default_spec() -> Spec:
    return load_spec(DEFAULT_SPEC)


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


def test_normalized_embedded_spec_validates(
    default_spec: Spec, validator: Draft202012Validator, tmp_path: Path
) -> None:
    """What `pvegen normalize` writes validates against schema.json and loads back as the same spec."""
    out = tmp_path / "normalized.json"
    write_spec(default_spec, out)
    assert schema_errors(validator, json.loads(out.read_text(encoding="utf-8"))) == []
    assert load_spec(out).operations == default_spec.operations


def schema_nodes(schema: Schema, where: str) -> Iterator[tuple[str, Schema]]:
    yield where, schema
    if schema.items is not None:
        yield from schema_nodes(schema.items, f"{where}[]")
    for name, prop in (schema.properties or {}).items():
        yield from schema_nodes(prop, f"{where}.{name}")
    for name, sub in (schema.format_properties or {}).items():
        yield from schema_nodes(sub, f"{where}.{name}")


def test_every_operation_and_value_of_the_embedded_spec_is_described(default_spec: Spec) -> None:
    """A client's docstrings come from these texts: each operation has a summary, each typed value a description
    (array elements are described by their array)."""
    undocumented: list[str] = []
    for op in default_spec.operations:
        here = f"{op.method} {op.path}"
        if not op.summary:
            undocumented.append(here)
        for label, schema in [*op.parameters.items(), ("returns", op.returns)]:
            for path, node in schema_nodes(schema, ""):
                if node.type is not None and not node.description and not path.endswith("[]"):
                    undocumented.append(f"{here} {label}{path}")
    assert not undocumented, f"no description: {undocumented}"
