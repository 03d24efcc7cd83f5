"""Our own spec format, ``pvegen-spec/1`` (see spec/schema.json): a flat list of operations."""

from __future__ import annotations

from typing import Any

from .errors import StructureError
from .load_schema import operation_from_parts, returns_from_operation, schema_map
from .model import METHODS, FrozenDict, Operation, Schema, Spec, thaw

FORMAT = "pvegen-spec/1"
_TOP_KEYS = frozenset({"format", "product", "version", "operations", "description", "$schema", "unstated-permissions"})
UNSTATED_PERMISSIONS = ("root-only", "open")


def spec_from_document(doc: dict[str, Any]) -> tuple[list[Operation], str, str | None, str]:
    """Validate a parsed document; returns (operations, product, version, unstated permissions)."""
    fmt = doc.get("format")
    if fmt != FORMAT:
        if fmt is None:
            raise StructureError(f"a JSON object must be a {FORMAT} spec: 'format' is missing")
        raise StructureError(f"unsupported format {fmt!r} (this pvegen reads {FORMAT!r})").at("format")
    unknown = sorted(k for k in doc if k not in _TOP_KEYS and not k.startswith("x-"))
    if unknown:
        raise StructureError(f"unknown top-level key {unknown[0]!r} (custom keys start with 'x-')").at(unknown[0])
    if not isinstance(doc.get("description", ""), str):
        raise StructureError("'description' must be a string").at("description")
    product = doc.get("product", "pve")
    if not isinstance(product, str):
        raise StructureError("'product' must be a string").at("product")
    version = doc.get("version")
    if version is not None and not isinstance(version, str):
        raise StructureError(f"'version' must be a string such as \"9.1\", found {version!r}").at("version")
    unstated = doc.get("unstated-permissions", "open")
    if unstated not in UNSTATED_PERMISSIONS:
        raise StructureError(
            f"'unstated-permissions' must be one of {', '.join(UNSTATED_PERMISSIONS)}, found {unstated!r}"
        ).at("unstated-permissions")
    if "operations" not in doc:
        raise StructureError("missing 'operations' (an array of operations)")
    raw_ops = doc["operations"]
    if type(raw_ops) is not list:
        raise StructureError("'operations' must be an array").at("operations")
    operations: list[Operation] = []
    seen: dict[tuple[str, str], int] = {}
    for index, raw in enumerate(raw_ops):
        try:
            op = operation_from_entry(raw)
            if op.key in seen:
                raise StructureError(f"{op.method} {op.path} is already defined at operations[{seen[op.key]}]")
        except StructureError as err:
            raise err.at(index).at("operations") from None
        seen[op.key] = index
        operations.append(op)
    return operations, product, version, unstated


def operation_from_entry(raw: Any) -> Operation:
    if type(raw) is not dict:
        raise StructureError("an operation must be an object")
    method = raw.get("method")
    if method not in METHODS:
        raise StructureError(f"'method' must be one of {', '.join(METHODS)}, found {method!r}").at("method")
    path = raw.get("path")
    if not isinstance(path, str) or not path.startswith("/"):
        raise StructureError(f"'path' must be a string starting with '/', found {path!r}").at("path")
    params = raw.get("parameters", {})
    if type(params) is not dict:
        raise StructureError("'parameters' must be an object mapping names to schemas").at("parameters")
    parameters: FrozenDict[str, Schema] = schema_map(params, "parameters")
    is_open = raw.get("open", False)
    if not isinstance(is_open, bool):
        raise StructureError("'open' must be true or false").at("open")
    returns = returns_from_operation(raw)
    fields: dict[str, Any] = {}
    for key, value in raw.items():
        if key == "summary":
            fields["description"] = value
        elif key == "description":
            raise StructureError("use 'summary' for an operation's description").at("description")
        else:
            fields[key] = value
    return operation_from_parts(method, path, fields, parameters, is_open, returns)


def spec_to_document(spec: Spec) -> dict[str, Any]:
    """The model as a ``pvegen-spec/1`` document (plain JSON data, deterministic order)."""
    doc: dict[str, Any] = {"format": FORMAT, "product": spec.product}
    if spec.version is not None:
        doc["version"] = spec.version
    if spec.unstated_permissions != "open":
        doc["unstated-permissions"] = spec.unstated_permissions
    doc["operations"] = [operation_to_entry(op) for op in spec.operations]
    return doc


def operation_to_entry(op: Operation) -> dict[str, Any]:
    entry: dict[str, Any] = {"method": op.method, "path": op.path}
    if op.name is not None:
        entry["name"] = op.name
    if op.summary is not None:
        entry["summary"] = op.summary
    entry["parameters"] = {name: schema.to_raw() for name, schema in op.parameters.items()}
    if op.open:
        entry["open"] = True
    entry["returns"] = op.returns.to_raw()
    for key, value in op.raw_items():
        if key in ("method", "path", "name", "description", "parameters", "returns", "open"):
            continue
        entry[key] = value.to_raw() if hasattr(value, "to_raw") else thaw(value)
    return entry
