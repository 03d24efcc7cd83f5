"""Node network interfaces: list, create, read, update, delete, apply."""

from __future__ import annotations

import re
from typing import Any

from .call import Call
from .errors import param_error

_BRIDGE_TYPES = frozenset({"bridge", "OVSBridge"})


def network_list(call: Call) -> Any:
    node = call.node()
    wanted = call.values.get("type")
    out = []
    for iface in sorted(call.state.networks[node].values(), key=lambda i: i["iface"]):
        kind = iface.get("type")
        if wanted in (None, kind) or (wanted in ("any_bridge", "any_local_bridge") and kind in _BRIDGE_TYPES):
            out.append(dict(iface))
    return out


def _iface(call: Call) -> dict[str, Any]:
    node = call.node()
    name = call.values["iface"]
    iface = call.state.networks[node].get(name)
    if iface is None:
        raise param_error("iface", "interface does not exist")
    return iface


def network_create(call: Call) -> Any:
    node = call.node()
    name = call.values["iface"]
    if name in call.state.networks[node]:
        raise param_error("iface", "interface already exists")
    iface = {k: v for k, v in call.values.items() if k != "node"}
    iface.setdefault("families", ["inet"])
    iface.setdefault("method", "static" if "cidr" in iface or "address" in iface else "manual")
    call.state.networks[node][name] = iface
    return None


def network_get(call: Call) -> Any:
    return dict(_iface(call))


def network_update(call: Call) -> Any:
    iface = _iface(call)
    for key in [k for k in re.split(r"[,;\s]+", str(call.values.get("delete", ""))) if k]:
        iface.pop(key, None)
    iface.update({k: v for k, v in call.values.items() if k not in ("node", "iface", "delete", "digest")})
    return None


def network_delete(call: Call) -> Any:
    _iface(call)
    del call.state.networks[call.values["node"]][call.values["iface"]]
    return None


def network_apply(call: Call) -> Any:
    call.node()
    return call.start_task("srvreload", "networking")
