"""Typed property strings (key=value,...): one class per distinct format of the spec.

Pass an instance wherever a parameter takes a property string (a str still works);
read one back from a config response with Class.parse(text).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .qemumemory import QemuMemory
    from .qemumachine import QemuMachine
    from .qemuscsi import QemuScsi
    from .qemuvirtio import QemuVirtio
    from .qemusata import QemuSata
    from .qemuide import QemuIde
    from .qemuefidisk0 import QemuEfidisk0
    from .qemunet import QemuNet
    from .qemuvga import QemuVga
    from .qemuagent import QemuAgent
    from .lxcrootfs import LxcRootfs
    from .lxcmp import LxcMp
    from .lxcnet import LxcNet
    from .lxcfeatures import LxcFeatures

__all__ = [
    "QemuMemory",
    "QemuMachine",
    "QemuScsi",
    "QemuVirtio",
    "QemuSata",
    "QemuIde",
    "QemuEfidisk0",
    "QemuNet",
    "QemuVga",
    "QemuAgent",
    "LxcRootfs",
    "LxcMp",
    "LxcNet",
    "LxcFeatures",
]

# Each class lives in its own module, imported on first use (import time stays flat).
_MODULES: dict[str, str] = {
    "QemuMemory": "qemumemory",
    "QemuMachine": "qemumachine",
    "QemuScsi": "qemuscsi",
    "QemuVirtio": "qemuvirtio",
    "QemuSata": "qemusata",
    "QemuIde": "qemuide",
    "QemuEfidisk0": "qemuefidisk0",
    "QemuNet": "qemunet",
    "QemuVga": "qemuvga",
    "QemuAgent": "qemuagent",
    "LxcRootfs": "lxcrootfs",
    "LxcMp": "lxcmp",
    "LxcNet": "lxcnet",
    "LxcFeatures": "lxcfeatures",
}


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
