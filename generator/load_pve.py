"""Proxmox's published API tree (``apidoc.js`` / ``apidata.js``, or the same as JSON) -> operations.

The tree is an array of path nodes ``{path, text, leaf, children, info}`` where ``info`` maps an
HTTP method to ``{name, description, parameters, returns, permissions, allowtoken, ...}``.
``text`` and ``leaf`` are derivable from ``path`` and ``children`` and are not kept.
"""

from __future__ import annotations

from typing import Any

from .errors import StructureError
from .load_schema import operation_from_parts, returns_from_operation, schema_map
from .model import METHODS, FrozenDict, Operation, Schema

_PARAMETER_OBJECT_KEYS = ("properties", "additionalProperties", "type")


def operations_from_tree(tree: Any) -> list[Operation]:
    if type(tree) is not list:
        kind = "an object" if isinstance(tree, dict) else type(tree).__name__
        raise StructureError(f"expected an array of path nodes at the top level, found {kind}")
    operations: list[Operation] = []
    for index, node in enumerate(tree):
        try:
            _walk(node, operations)
        except StructureError as err:
            raise err.at(index) from None
    return operations


def _walk(node: Any, operations: list[Operation]) -> None:
    if type(node) is not dict:
        raise StructureError(f"expected a path node object, found {type(node).__name__}")
    path = node.get("path")
    if not isinstance(path, str) or not path.startswith("/"):
        what = "has no 'path'" if path is None else f"has an invalid 'path' {path!r}"
        raise StructureError(f"path node {what}")
    info = node.get("info")
    if info is not None:
        if type(info) is not dict:
            raise StructureError(f"'info' must be an object of methods, found {type(info).__name__}").at("info")
        for method, raw in info.items():
            try:
                operations.append(operation_from_info(method, path, raw))
            except StructureError as err:
                raise err.at(method).at("info") from None
    children = node.get("children")
    if children is not None:
        if type(children) is not list:
            raise StructureError("'children' must be an array").at("children")
        for index, child in enumerate(children):
            try:
                _walk(child, operations)
            except StructureError as err:
                raise err.at(index).at("children") from None


def operation_from_info(method: str, path: str, raw: Any) -> Operation:
    if method not in METHODS:
        raise StructureError(f"unknown HTTP method {method!r} (expected one of {', '.join(METHODS)})")
    if type(raw) is not dict:
        raise StructureError(f"expected an operation object, found {type(raw).__name__}")
    if raw.get("method", method) != method:
        raise StructureError(f"'method' is {raw['method']!r} but the operation is listed under {method!r}").at("method")
    fields = {k: v for k, v in raw.items() if k != "method"}
    params = raw.get("parameters")
    parameters: FrozenDict[str, Schema] = FrozenDict()
    is_open = False
    if params is not None:
        if type(params) is not dict:
            raise StructureError("'parameters' must be an object").at("parameters")
        try:
            parameters, is_open = _parameter_object(params)
        except StructureError as err:
            raise err.at("parameters") from None
        leftovers = {k: v for k, v in params.items() if k not in _PARAMETER_OBJECT_KEYS}
        if leftovers:
            fields["x-parameters"] = leftovers  # kept, not dropped: no release has any
    returns = returns_from_operation(raw)
    return operation_from_parts(method, path, fields, parameters, is_open, returns)


def _parameter_object(params: dict[str, Any]) -> tuple[FrozenDict[str, Schema], bool]:
    kind = params.get("type", "object")
    if kind != "object":
        raise StructureError(f"a parameter list must have type 'object', found {kind!r}").at("type")
    props = params.get("properties", {})
    if type(props) is not dict:
        raise StructureError("'properties' must be an object").at("properties")
    extra = params.get("additionalProperties", 0)
    if extra not in (0, 1, "0", "1", True, False):
        raise StructureError(f"'additionalProperties' must be 0 or 1, found {extra!r}").at("additionalProperties")
    return schema_map(props, "properties"), extra in (1, "1", True)
