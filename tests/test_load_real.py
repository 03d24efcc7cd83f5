"""Every shared Proxmox release loads completely, and nothing in it is lost on the way."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pvegen import load_spec, load_spec_text
from pvegen.load_ours import operation_to_entry
from pvegen.model import KNOWN_SCHEMA_KEYS, Operation, Schema
from pvegen.normalize import spec_to_json
from tests.fixtures_shared import OPERATION_COUNTS, RELEASES, real_data_module, release_path, require_shared

real_data_module()


def _raw_tree(version: str) -> list[dict[str, Any]]:
    text = release_path(version).read_text()
    start = text.index("[")
    tree, _ = json.JSONDecoder().raw_decode(text, start)
    assert isinstance(tree, list)
    return tree


def _raw_operations(tree: list[dict[str, Any]]) -> list[tuple[dict[str, Any], str, dict[str, Any]]]:
    found: list[tuple[dict[str, Any], str, dict[str, Any]]] = []

    def walk(node: dict[str, Any]) -> None:
        for method, info in node.get("info", {}).items():
            found.append((node, method, info))
        for child in node.get("children", []):
            walk(child)

    for node in tree:
        walk(node)
    return found


def _as_info(op: Operation) -> dict[str, Any]:
    """Rebuild Proxmox's ``info.METHOD`` object from the model."""
    entry = operation_to_entry(op)
    info: dict[str, Any] = {"method": op.method}
    for key, value in entry.items():
        if key in ("path", "open", "parameters", "summary"):
            continue
        info[key] = value
    if op.summary is not None:
        info["description"] = op.summary
    info["parameters"] = {"additionalProperties": 1 if op.open else 0, "properties": entry["parameters"]}
    return info


def _canonical_params(raw: dict[str, Any]) -> dict[str, Any]:
    return {
        "additionalProperties": 1 if raw.get("additionalProperties") in (1, "1", True) else 0,
        "properties": raw.get("properties", {}),
    }


@pytest.mark.parametrize("version", RELEASES)
def test_release_loads_with_its_operation_count(version: str) -> None:
    require_shared()
    spec = load_spec(release_path(version))
    assert len(spec.operations) == OPERATION_COUNTS[version]
    assert spec.version == version
    assert spec.source_kind == "pve-js"
    assert len({op.key for op in spec.operations}) == len(spec.operations)


@pytest.mark.parametrize("version", RELEASES)
def test_no_key_is_lost(version: str) -> None:
    """Walk the raw tree beside the model: every operation's data comes back exactly."""
    require_shared()
    tree = _raw_tree(version)
    spec = load_spec(release_path(version))
    raw_ops = _raw_operations(tree)
    assert len(raw_ops) == len(spec.operations)
    for (node, method, info), op in zip(raw_ops, spec.operations, strict=True):
        assert (op.method, op.path) == (method, node["path"])
        # text and leaf are derivable, so the model may leave them out:
        assert node["text"] == node["path"].rsplit("/", 1)[1]
        assert bool(node["leaf"]) == (not node.get("children"))
        expected = dict(info)
        expected["parameters"] = _canonical_params(info["parameters"])
        assert _as_info(op) == expected, f"{method} {node['path']}"


@pytest.mark.parametrize("version", RELEASES)
def test_unknown_schema_keys_are_kept_in_extra(version: str) -> None:
    """Keys the model does not interpret are reachable through ``extra``."""
    require_shared()
    spec = load_spec(release_path(version))
    unknown_in_raw: set[str] = set()
    for _, _, info in _raw_operations(_raw_tree(version)):
        stack = [info["returns"], *info["parameters"].get("properties", {}).values()]
        while stack:
            schema = stack.pop()
            unknown_in_raw.update(k for k in schema if k not in KNOWN_SCHEMA_KEYS)
            stack.extend((schema.get("properties") or {}).values())
            if isinstance(schema.get("format"), dict):
                stack.extend(v for v in schema["format"].values() if isinstance(v, dict))
            if isinstance(schema.get("items"), dict):
                stack.append(schema["items"])
    in_extra: set[str] = set()

    def collect(schema: Schema) -> None:
        in_extra.update(schema.extra)
        for child in (schema.properties or {}).values():
            collect(child)
        for child in (schema.format_properties or {}).values():
            collect(child)
        if schema.items is not None:
            collect(schema.items)

    for op in spec.operations:
        collect(op.returns)
        for param in op.parameters.values():
            collect(param)
    assert in_extra == unknown_in_raw


@pytest.mark.parametrize("version", RELEASES)
def test_normalized_release_round_trips(version: str, tmp_path: Path) -> None:
    require_shared()
    spec = load_spec(release_path(version))
    text = spec_to_json(spec)
    again = load_spec_text(text, source=str(tmp_path / "normalized.json"))
    assert again == spec
    assert again.source_kind == "pvegen-spec/1"
    assert spec_to_json(again) == text


def test_constructs_of_the_real_schemas_are_modelled(release: Any) -> None:
    """The constructs the issue names, each seen through its typed accessor on 9.1."""
    spec = release("9.1")
    create = spec.operation("POST", "/nodes/{node}/qemu")
    net = create.parameters["net[n]"]
    assert net.is_property_string and net.format_properties is not None
    assert net.format_properties["virtio"].key_alias == "model"
    assert net.format_properties["virtio"].alias == "macaddr"
    assert any(sub.default_key for sub in net.format_properties.values())
    assert create.parameters["vmid"].format == "pve-vmid"
    assert create.protected and create.proxyto == "node" and create.allowtoken is True
    assert create.permissions is not None and create.permissions.user == "all"
    assert "VM.Allocate" in (create.permissions.description or "")
    status = spec.operation("GET", "/nodes/{node}/qemu/{vmid}/status/current")
    assert status.permissions is not None and status.permissions.privileges() == {"VM.Audit"}
    ticket = spec.operation("POST", "/access/ticket")
    assert ticket.allowtoken is False
    assert ticket.parameters["path"].requires == "privs"
    assert "tfa-challenge" in ticket.parameters
    rules = spec.operation("POST", "/cluster/ha/rules")
    assert rules.parameters["affinity"].type_property == "type"
    assert rules.parameters["affinity"].instance_types == ("resource-affinity",)
    fabrics = spec.operation("PUT", "/cluster/sdn/fabrics/fabric/{id}")
    assert fabrics.parameters["delete"].one_of is not None
    perl = [p.pattern for op in spec for p in op.parameters.values() if p.pattern and p.pattern.startswith("(?^")]
    assert perl
    listing = spec.operation("GET", "/nodes")
    assert listing.returns.type == "array" and listing.returns.items is not None
    assert listing.returns.links is not None


def test_enum_null_is_kept_distinct_from_absent(release: Any) -> None:
    spec = release("8.4")
    param = spec.operation("POST", "/nodes/{node}/storage/{storage}/download-url").parameters["compression"]
    assert param.has("enum") and param.enum is None
    assert not spec.operation("GET", "/version").returns.has("enum")


def test_bounds_written_as_strings_are_numbers(release: Any) -> None:
    """5.4 writes some minimums as "0"; the accessor gives a number, to_raw keeps the text."""
    spec = release("5.4")
    seen = []
    for op in spec:
        for param in op.parameters.values():
            for sub in (param.format_properties or {}).values():
                if isinstance(sub.get("minimum"), str):
                    seen.append(sub)
    assert seen
    assert all(isinstance(s.minimum, int | float) for s in seen)
    assert all(isinstance(s.to_raw()["minimum"], str) for s in seen)
