"""Put a generated package on disk: built in a staging folder, then swapped in whole."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..atomic import replace_dir_atomic

__all__ = ["RUNTIME_DIR", "runtime_sources", "write_package"]

RUNTIME_DIR = Path(__file__).resolve().parents[1] / "runtime"


def runtime_sources() -> dict[str, str]:
    """The runtime files of every generated package, keyed by path inside the package."""
    files: dict[str, str] = {}
    for path in sorted(RUNTIME_DIR.glob("*.py")):
        files[f"_runtime/{path.name}"] = path.read_text(encoding="utf-8")
    return files


def write_package(package_dir: Path, files: Mapping[str, str]) -> None:
    """Write ``files`` (relative path -> text) as the whole content of ``package_dir``."""
    with replace_dir_atomic(package_dir) as staging:
        for relative in sorted(files):
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(files[relative])
