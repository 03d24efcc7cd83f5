"""Fixtures over the real Proxmox schemas in ../shared/pve-apidata (read-only, never copied).

Tests that need them skip with a clear reason when ../shared is absent; CI always has it.
Set PVEGEN_SHARED to point elsewhere.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from pvegen import Spec, load_spec

ROOT = Path(__file__).resolve().parents[1]
# The embedded default spec (ours, 43 operations of the user's notes, release 9.1): every contributor has it.
EMBEDDED_SPEC = ROOT / "spec" / "proxmox-ve.json"
SHARED_DIR = Path(os.environ.get("PVEGEN_SHARED", ROOT.parent / "shared")) / "pve-apidata"
# One reason for every test that needs them, so the summary can say it once.
SHARED_SKIP_REASON = (
    "needs the real Proxmox schemas (put them at ../shared/pve-apidata beside the checkout, or set "
    "PVEGEN_SHARED; CI always has them)"
)
RELEASES = ("5.4", "6.4", "7.4", "8.0", "8.4", "9.0", "9.1")
OPERATION_COUNTS = {"5.4": 412, "6.4": 504, "7.4": 540, "8.0": 540, "8.4": 605, "9.0": 604, "9.1": 667}


def release_path(version: str) -> Path:
    return SHARED_DIR / f"pve-{version}.js"


def shared_release(version: str) -> Path:
    """The path of a shared release's schema; skips the test (with the reason) when absent."""
    require_shared()
    return release_path(version)


def real_data_module() -> None:
    """Call at the top of a ``test_*_real.py`` module (tests that pin facts of the real releases): without the
    schemas the whole module is one skip with the reason, not one skip per test and release."""
    if not SHARED_DIR.is_dir():
        pytest.skip(SHARED_SKIP_REASON, allow_module_level=True)


def require_shared() -> None:
    if not SHARED_DIR.is_dir():
        pytest.skip(SHARED_SKIP_REASON)


@functools.cache
def _load(version: str) -> Spec:
    return load_spec(release_path(version))


@functools.cache
def embedded_spec() -> Spec:
    """The embedded default spec, loaded once per run (no ../shared needed)."""
    return load_spec(EMBEDDED_SPEC)


@pytest.fixture(scope="session")
def embedded() -> Spec:
    return embedded_spec()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    require_shared()
    return SHARED_DIR


@pytest.fixture(scope="session")
def release() -> Callable[[str], Spec]:
    """``release("9.1")`` -> the loaded Spec of that shared schema (loaded once per run)."""
    require_shared()
    return _load


@pytest.fixture(params=RELEASES)
def each_release(request: pytest.FixtureRequest) -> Spec:
    """Parametrises a test over every shared release."""
    require_shared()
    version: str = request.param
    return _load(version)
