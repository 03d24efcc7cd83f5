"""The client of our embedded spec, for tests that must run without ../shared.

``generated/proxmox_ve`` is that client, committed and checked to be exactly what `make generate`
writes (test_codegen.py), so tests import it from there instead of generating it again.
"""

from __future__ import annotations

import functools
import importlib
import sys
from types import ModuleType

from .fixtures_shared import EMBEDDED_SPEC, ROOT, embedded_spec

__all__ = ["EMBEDDED_SPEC", "GENERATED", "embedded_package", "embedded_propstrings", "embedded_spec"]

GENERATED = ROOT / "generated"


@functools.cache
def embedded_package() -> ModuleType:
    """``proxmox_ve`` from generated/ (the folder stays on sys.path: its modules load lazily)."""
    if str(GENERATED) not in sys.path:
        sys.path.insert(0, str(GENERATED))
    return importlib.import_module("proxmox_ve")


def embedded_propstrings() -> ModuleType:
    return importlib.import_module(f"{embedded_package().__name__}.propstrings")
