"""black, made affordable: format module by module, in parallel, with a content-hash cache.

black is the reference formatter and the slow part (tens of seconds on a whole 9.1 client).
Each module is formatted on its own; a module whose rendered text was formatted before (same
text, same black version and mode) is read from the cache, so an unchanged spec regenerates
without starting black at all. Cache entries are written atomically (temp file + rename), so
concurrent runs can share the cache safely.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor
from importlib.metadata import version as _dist_version
from pathlib import Path

from ..atomic import write_text_atomic

__all__ = ["BLACK_LINE_LENGTH", "default_cache_dir", "format_sources"]

BLACK_LINE_LENGTH = 100
_WORKERS = 2


def default_cache_dir() -> Path | None:
    """``$PVEGEN_CACHE_DIR``, else ``$XDG_CACHE_HOME/pvegen``, else ``~/.cache/pvegen``: the user's
    cache, never the working directory or the output folder (None: no home, no cache)."""
    explicit = os.environ.get("PVEGEN_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):  # the XDG spec: a relative value is to be ignored
        return Path(xdg) / "pvegen"
    try:
        return Path.home() / ".cache" / "pvegen"
    except RuntimeError:  # no HOME and no passwd entry
        return None


def _key(text: str, salt: str) -> str:
    return hashlib.sha256(f"{salt}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()


def _format_one(text: str) -> str:
    import black  # imported in the worker only: starting black costs ~0.3 s
    from black.mode import TargetVersion

    mode = black.Mode(line_length=BLACK_LINE_LENGTH, target_versions={TargetVersion.PY310})
    return black.format_str(text, mode=mode)


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _write(path: Path, text: str) -> None:
    with contextlib.suppress(OSError):  # a cache that cannot be written only costs speed
        write_text_atomic(path, text)


def format_sources(
    sources: Mapping[str, str],
    cache_dir: Path | None,
    *,
    progress: Callable[[int, int], None] | None = None,
    workers: int = _WORKERS,
) -> dict[str, str]:
    """The black-formatted text of every source (same keys), from the cache where possible."""
    salt = f"black {_dist_version('black')} line-length {BLACK_LINE_LENGTH} py310"
    out: dict[str, str] = {}
    missing: dict[str, str] = {}  # name -> cache key
    for name, text in sources.items():
        key = _key(text, salt)
        cached = _read(cache_dir / key[:2] / key) if cache_dir is not None else None
        if cached is not None:
            out[name] = cached
        else:
            missing[name] = key
    if missing:
        names = sorted(missing, key=lambda n: -len(sources[n]))  # big first: better balance
        texts = [sources[n] for n in names]
        done = 0
        if workers > 1 and len(names) > 8:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                results = pool.map(_format_one, texts, chunksize=8)
                for name, formatted in zip(names, results, strict=False):
                    out[name] = formatted
                    done += 1
                    if progress is not None:
                        progress(done, len(names))
        else:
            for name, text in zip(names, texts, strict=False):
                out[name] = _format_one(text)
                done += 1
                if progress is not None:
                    progress(done, len(names))
        if cache_dir is not None:
            for name in names:
                key = missing[name]
                _write(cache_dir / key[:2] / key, out[name])
    return {name: out[name] for name in sources}
