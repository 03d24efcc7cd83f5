"""The spec as Proxmox publishes it (``/pve-docs/api-viewer/apidoc.js``): a tree of path nodes.

Built from the model, so any spec (a Proxmox tree or a pvegen-spec/1 file) can be served; loading
the result gives back the same operations.
"""

from __future__ import annotations

import json
from typing import Any

from ..model import Operation, Spec, thaw


def api_tree(spec: Spec) -> list[dict[str, Any]]:
    nodes: dict[str, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []

    def node_for(path: str) -> dict[str, Any]:
        found = nodes.get(path)
        if found is not None:
            return found
        parent_path = path.rsplit("/", 1)[0]
        node: dict[str, Any] = {"path": path, "text": path.rsplit("/", 1)[1], "leaf": 1}
        nodes[path] = node
        if parent_path:
            parent = node_for(parent_path)
            parent.setdefault("children", []).append(node)
            parent["leaf"] = 0
        else:
            roots.append(node)
        return node

    for op in spec.operations:
        node_for(op.path).setdefault("info", {})[op.method] = _info(op)
    return roots


def _info(op: Operation) -> dict[str, Any]:
    info: dict[str, Any] = {}
    for key, value in op.raw_items():
        if key in ("path", "open", "parameters", "returns"):
            continue
        info[key] = value.to_raw() if hasattr(value, "to_raw") else thaw(value)
    parameters: dict[str, Any] = {"type": "object", "properties": {n: s.to_raw() for n, s in op.parameters.items()}}
    if op.open:
        parameters["additionalProperties"] = 1
    extra = info.pop("x-parameters", None)
    if isinstance(extra, dict):
        parameters.update(extra)
    info["parameters"] = parameters
    info["returns"] = op.returns.to_raw()
    return info


def apidoc_js(spec: Spec) -> str:
    """``const apiSchema = [...];`` as in Proxmox's api viewer (the viewer code itself is not served)."""
    return "const apiSchema = " + json.dumps(api_tree(spec), indent=1, ensure_ascii=False) + ";\n"
