"""Which files a SRC argument stands for, and what kind each is; bad folders become warnings.

Folders are walked recursively in name order. Skipped below a SRC (never a SRC itself): version-control
and tool folders, virtualenvs (any folder with a ``pyvenv.cfg``), ``node_modules``, build output.
Symbolic links are followed; one leading back into a folder being walked is a loop, reported once.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass

from ..errors import PvegenError
from .calls import ScanWarning

__all__ = ["SKIPPED_FOLDERS", "SourceError", "SourceFile", "find_sources"]

SKIPPED_FOLDERS = frozenset(
    {
        ".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", ".eggs", "node_modules", "__pycache__",
        ".mypy_cache", ".pytest_cache", ".ruff_cache", "build", "dist", "site-packages", "__pypackages__",
    }
)  # fmt: skip
_PYTHON = (".py", ".pyw")
_MAYBE_CASSETTE = (".yaml", ".yml", ".json")
_MAYBE_LINES = (".jsonl", ".ndjson", ".log")


class SourceError(PvegenError):
    """A SRC argument that does not exist (a typo must not pass a gate with nothing scanned)."""


@dataclass(frozen=True, slots=True)
class SourceFile:
    """``path`` to open, ``shown`` as the user will see it; ``kind`` "python" or "recording";
    ``explicit``: named on the command line (a file that is neither is then worth a warning)."""

    path: str
    shown: str
    kind: str
    explicit: bool


def find_sources(sources: list[str], warnings: list[ScanWarning]) -> list[SourceFile]:
    found: list[SourceFile] = []
    seen: set[tuple[int, int]] = set()  # folders walked: a second way into one is not walked again
    for source in sources:
        if not os.path.lexists(source):
            raise SourceError(f"{source}: no such file or folder")
        try:
            info = os.stat(source)
        except OSError as err:
            warnings.append(ScanWarning(source, _reason(err)))
            continue
        if stat.S_ISDIR(info.st_mode):
            key = (info.st_dev, info.st_ino)
            if key in seen:
                continue
            seen.add(key)
            try:
                found.extend(_walk(source, os.path.normpath(source), warnings, {key}, seen))
            except RecursionError:
                warnings.append(ScanWarning(source, "folders nest too deeply; the deepest were skipped"))
        else:  # named on the command line: a script without ``.py`` (``bin/deploy``) is Python too
            kind = "recording" if source.lower().endswith(_MAYBE_CASSETTE + _MAYBE_LINES) else "python"
            found.append(SourceFile(source, os.path.normpath(source), kind, True))
    return found


def _walk(
    folder: str, shown: str, warnings: list[ScanWarning], ancestors: set[tuple[int, int]], seen: set[tuple[int, int]]
) -> Iterator[SourceFile]:
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as err:
        warnings.append(ScanWarning(shown, f"cannot read the folder ({_reason(err)}); skipped"))
        return
    for entry in entries:
        entry_shown = os.path.join(shown, entry.name)
        try:
            is_dir = entry.is_dir()  # follows links
        except OSError as err:
            warnings.append(ScanWarning(entry_shown, f"{_reason(err)}; skipped"))
            continue
        if is_dir:
            if entry.name in SKIPPED_FOLDERS or entry.name.endswith(".egg-info"):
                continue
            try:
                info = entry.stat()
            except OSError as err:
                warnings.append(ScanWarning(entry_shown, f"{_reason(err)}; skipped"))
                continue
            key = (info.st_dev, info.st_ino)
            if key in ancestors:
                warnings.append(ScanWarning(entry_shown, "symbolic link loop (leads back to a folder above); skipped"))
                continue
            if key in seen or os.path.exists(os.path.join(entry.path, "pyvenv.cfg")):
                continue  # reached before through another link, or a virtualenv (whatever its name)
            seen.add(key)
            yield from _walk(entry.path, entry_shown, warnings, ancestors | {key}, seen)
            continue
        if entry.is_symlink() and not os.path.exists(entry.path):
            if entry.name.endswith(_PYTHON):
                warnings.append(ScanWarning(entry_shown, "broken symbolic link; skipped"))
            continue
        name = entry.name.lower()
        if name.endswith(_PYTHON):
            yield SourceFile(entry.path, entry_shown, "python", False)
        elif name.endswith(_MAYBE_CASSETTE + _MAYBE_LINES):
            yield SourceFile(entry.path, entry_shown, "recording", False)


def _reason(err: OSError) -> str:
    if err.errno == errno.ELOOP:
        return "symbolic link loop"
    return err.strerror or str(err)
