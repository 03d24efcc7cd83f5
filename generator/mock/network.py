"""Node network interfaces, staged as PVE stages them.

Creating, changing and deleting an interface writes the pending configuration (PVE's
``/etc/network/interfaces.new``); reads show it, and every answer of ``GET /nodes/{node}/network``
carries ``changes``, the diff from the running configuration to the pending one. ``PUT
/nodes/{node}/network`` applies it (a ``srvreload`` task; the interfaces are active when it ends),
``DELETE /nodes/{node}/network`` drops it. Only the running configuration has ``active`` interfaces.
"""

from __future__ import annotations

import copy
import difflib
import ipaddress
from typing import Any

from .call import Call, WithAttributes, split_list
from .errors import param_error
from .state import State

_BRIDGE_TYPES = frozenset({"bridge", "OVSBridge"})
_NOT_STORED = frozenset({"node", "delete", "digest"})
# How ifupdown2 names some API keys in /etc/network/interfaces.
_STANZA_NAMES = {"bridge_ports": "bridge-ports", "bridge_stp": "bridge-stp", "bridge_fd": "bridge-fd",
                 "bridge_vlan_aware": "bridge-vlan-aware", "bridge_vids": "bridge-vids",
                 "bond_mode": "bond-mode", "slaves": "bond-slaves", "mtu": "mtu", "comments": "#"}  # fmt: skip


def _pending(state: State, node: str) -> dict[str, dict[str, Any]]:
    """The pending configuration of a node, made from the running one at the first change."""
    pending = state.pending_network.get(node)
    if pending is None:
        pending = state.pending_network[node] = copy.deepcopy(state.networks[node])
    return pending


def _view(state: State, node: str) -> dict[str, dict[str, Any]]:
    return state.pending_network.get(node) or state.networks[node]


def _shown(state: State, node: str, iface: dict[str, Any]) -> dict[str, Any]:
    data = dict(iface)
    running = state.networks[node].get(iface["iface"])
    if running is None or not running.get("active"):
        data.pop("active", None)  # a pending interface does not exist on the host yet
    return data


def interfaces_file(config: dict[str, dict[str, Any]]) -> list[str]:
    """A node's configuration as the lines of ``/etc/network/interfaces`` (for the ``changes`` diff)."""
    lines: list[str] = ["auto lo", "iface lo inet loopback", ""]
    for name in sorted(config):
        iface = config[name]
        if iface.get("autostart"):
            lines.append(f"auto {name}")
        lines.append(f"iface {name} inet {iface.get('method', 'manual')}")
        if iface.get("cidr"):
            lines.append(f"\taddress {iface['cidr']}")
        elif iface.get("address"):
            lines.append(f"\taddress {iface['address']}/{_prefix_length(str(iface.get('netmask', '24')))}")
        if iface.get("gateway"):
            lines.append(f"\tgateway {iface['gateway']}")
        for key, stanza in _STANZA_NAMES.items():
            if key in iface and key != "comments":
                lines.append(f"\t{stanza} {iface[key]}")
        if iface.get("comments"):
            lines.append(f"#{iface['comments']}")
        lines.append("")
    return lines


def _prefix_length(netmask: str) -> int | str:
    """``255.255.255.0`` -> 24, as ifupdown2 writes addresses (a length stays as it is)."""
    try:
        return ipaddress.IPv4Network(f"0.0.0.0/{netmask}").prefixlen
    except ValueError:
        return netmask


def _changes(state: State, node: str) -> str | None:
    pending = state.pending_network.get(node)
    if pending is None:
        return None
    diff = difflib.unified_diff(
        interfaces_file(state.networks[node]),
        interfaces_file(pending),
        "/etc/network/interfaces",
        "/etc/network/interfaces.new",
        lineterm="",
    )
    text = "\n".join(diff)
    return text + "\n" if text else None


def network_list(call: Call) -> Any:
    node = call.node()
    wanted = call.values.get("type")
    out = []
    for iface in sorted(_view(call.state, node).values(), key=lambda i: str(i["iface"])):
        kind = iface.get("type")
        if wanted in (None, kind) or (wanted in ("any_bridge", "any_local_bridge") and kind in _BRIDGE_TYPES):
            out.append(_shown(call.state, node, iface))
    return WithAttributes(out, {"changes": _changes(call.state, node)})


def _iface(call: Call, config: dict[str, dict[str, Any]]) -> dict[str, Any]:
    iface = config.get(call.values["iface"])
    if iface is None:
        raise param_error("iface", "interface does not exist")
    return iface


def network_create(call: Call) -> Any:
    node = call.node()
    name = call.values["iface"]
    if name in _view(call.state, node):
        raise param_error("iface", "interface already exists")
    iface = {k: v for k, v in call.values.items() if k not in _NOT_STORED}
    iface.setdefault("families", ["inet"])
    iface.setdefault("method", "static" if "cidr" in iface or "address" in iface else "manual")
    _pending(call.state, node)[name] = iface
    return None


def network_get(call: Call) -> Any:
    node = call.node()
    return _shown(call.state, node, _iface(call, _view(call.state, node)))


def network_update(call: Call) -> Any:
    node = call.node()
    _iface(call, _view(call.state, node))
    iface = _iface(call, _pending(call.state, node))
    for key in split_list(call.values.get("delete")):
        iface.pop(key, None)
    iface.update({k: v for k, v in call.values.items() if k not in _NOT_STORED and k != "iface"})
    return None


def network_delete(call: Call) -> Any:
    node = call.node()
    _iface(call, _view(call.state, node))
    del _pending(call.state, node)[call.values["iface"]]
    return None


def network_apply(call: Call) -> Any:
    """``PUT /nodes/{node}/network``: reload the network; the pending configuration becomes the running one."""
    node = call.node()
    state = call.state

    def applied() -> None:
        pending = state.pending_network.pop(node, None)
        if pending is None:
            return
        for iface in pending.values():
            if iface.get("type") not in ("eth", "unknown"):
                iface["active"] = 1  # ifreload brings up what the configuration defines
        state.networks[node] = pending

    return call.start_task("srvreload", "networking", on_finish=applied)


def network_revert(call: Call) -> Any:
    """``DELETE /nodes/{node}/network``: drop the pending configuration."""
    node = call.node()
    call.state.pending_network.pop(node, None)
    return None
