"""Put a generated package on disk: built in a staging folder, then swapped in whole, with the
files that live beside it (``pyproject.toml``) staged first and renamed into place right after.

A package that already holds exactly these files is left untouched (no rewrite, no new mtimes,
its ``__pycache__`` stays valid): regenerating an unchanged spec writes nothing."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from ..atomic import replace_dir_atomic
from .naming import HEADER

__all__ = ["PYPROJECT", "RUNTIME_DIR", "runtime_sources", "write_package"]

RUNTIME_DIR = Path(__file__).resolve().parents[1] / "runtime"
PYPROJECT = "pyproject.toml"


def runtime_sources() -> dict[str, str]:
    """The runtime files of every generated package (pvegen's header, then the file as it is)."""
    files: dict[str, str] = {}
    for path in sorted(RUNTIME_DIR.glob("*.py")):
        files[f"_runtime/{path.name}"] = f"{HEADER}\n{path.read_text(encoding='utf-8')}"
    return files


def _stage(folder: Path, name: str, text: str) -> Path:
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return Path(tmp)


def _holds(path: Path, text: str) -> bool:
    try:
        return path.read_bytes() == text.encode("utf-8")
    except (OSError, UnicodeEncodeError):
        return False


def _unchanged(package_dir: Path, files: Mapping[str, str]) -> bool:
    """``package_dir`` holds exactly ``files`` (byte for byte; Python's ``__pycache__`` aside)."""
    if not package_dir.is_dir() or package_dir.is_symlink():
        return False
    found: set[str] = set()
    for folder, dirs, names in os.walk(package_dir):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        relative = Path(folder).relative_to(package_dir).as_posix()
        found.update(name if relative == "." else f"{relative}/{name}" for name in names)
    return found == set(files) and all(_holds(package_dir / relative, files[relative]) for relative in sorted(files))


def write_package(package_dir: Path, files: Mapping[str, str], *, beside: Mapping[str, str] | None = None) -> None:
    """Write ``files`` (relative path -> text) as the whole content of ``package_dir``, and
    ``beside`` (file name -> text) into its parent folder."""
    package_dir.parent.mkdir(parents=True, exist_ok=True)
    beside = {name: text for name, text in (beside or {}).items() if not _holds(package_dir.parent / name, text)}
    same = _unchanged(package_dir, files)
    staged: dict[str, Path] = {}
    try:
        for name, text in sorted(beside.items()):
            staged[name] = _stage(package_dir.parent, name, text)
        if not same:
            with replace_dir_atomic(package_dir) as staging:
                for relative in sorted(files):
                    target = staging / relative
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with open(target, "w", encoding="utf-8", newline="\n") as handle:
                        handle.write(files[relative])
        for name in list(staged):
            os.replace(staged.pop(name), package_dir.parent / name)
    finally:
        for leftover in staged.values():
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
