"""``scan(SRC...)``: every API call in Python files, folders and recordings, with one warning per bad input.

Python files are scanned one by one (``pyscan``); what one module teaches about names (``api`` is a
client, ``connect()`` returns one) is applied to all of them once the whole tree is read, so a client
made in one module and used in another is found. Big trees are scanned by two worker processes.
"""

from __future__ import annotations

import ast
import gc
import io
import multiprocessing
import os
import re
import threading
import tokenize
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Literal

from .calls import Call, ScanWarning, Segment
from .pyscan import API_ROOTS, Found, ModuleScan, scan_module
from .recordings import read_recording
from .sources import SourceFile, find_sources
from .wrappers import Wrapper, calls_through_wrappers

__all__ = ["PYTHON_LIMIT", "ScanResult", "scan"]

PYTHON_LIMIT = 8 * 1024 * 1024  # bytes: larger Python files are generated data, not automation
_NEWLINE = re.compile(r"\r\n|\r|\n")
_PARALLEL_BYTES = 1024 * 1024  # below this much Python, starting workers costs more than it saves


@dataclass
class ScanResult:
    calls: list[Call] = field(default_factory=list)
    warnings: list[ScanWarning] = field(default_factory=list)
    files: int = 0  # files read (Python and recordings)
    lines: int = 0  # lines of Python scanned


@dataclass(slots=True)
class _FileResult:
    shown: str
    module: ModuleScan | None
    warning: ScanWarning | None
    lines: int


def scan(sources: Sequence[str], *, workers: int | None = None) -> ScanResult:
    """All calls in ``sources`` (raises SourceError for a SRC that does not exist). ``workers``: processes
    for the Python files (default: 2 on a multi-core machine once there is over 1 MiB of Python)."""
    result = ScanResult()
    files = find_sources(list(sources), result.warnings)
    python = [f for f in files if f.kind == "python"]
    modules: list[_FileResult] = []
    for done in _scan_python(python, workers):
        result.files += done.module is not None
        result.lines += done.lines
        if done.warning is not None:
            result.warnings.append(done.warning)
        if done.module is not None:
            modules.append(done)
    result.calls.extend(_finish(modules))
    for source in files:
        if source.kind == "recording":
            before = len(result.warnings)
            calls = read_recording(source.path, source.shown, source.explicit, result.warnings)
            result.files += bool(calls) or len(result.warnings) > before
            result.calls.extend(calls)
    result.calls.sort(key=lambda call: (call.file, call.line, call.column))
    return result


# == Python files =============================================================================
def _scan_python(files: list[SourceFile], workers: int | None) -> Iterator[_FileResult]:
    total = 0
    for source in files:
        with suppress(OSError):
            total += os.path.getsize(source.path)
    count = workers if workers is not None else min(2, os.cpu_count() or 1)
    small = workers is None and (total < _PARALLEL_BYTES or len(files) < 4)  # asked for workers: always
    if count <= 1 or small or len(files) < 2:
        with _no_gc():
            for source in files:
                yield scan_python_file(source.path, source.shown)
        return
    # Interleaved chunks keep both workers busy when big files cluster in one folder.
    chunks = [files[i::count] for i in range(count)]
    # fork is cheapest; with other threads running (a server in the same process) it is not safe.
    method = "fork" if threading.active_count() == 1 else "forkserver"
    with ProcessPoolExecutor(max_workers=count, mp_context=multiprocessing.get_context(method)) as pool:
        results = list(pool.map(_scan_chunk, chunks))
    order = {source.shown: index for index, source in enumerate(files)}
    merged = sorted((done for chunk in results for done in chunk), key=lambda done: order[done.shown])
    yield from merged


def _scan_chunk(files: list[SourceFile]) -> list[_FileResult]:
    with _no_gc():
        return [scan_python_file(source.path, source.shown) for source in files]


@contextmanager
def _no_gc() -> Iterator[None]:
    """Syntax trees are millions of small objects that never form cycles: collecting while building
    them doubles the time of ``ast.parse`` and finds nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def scan_python_file(path: str, shown: str) -> _FileResult:
    """One Python file: its calls, or one warning saying why it was skipped."""

    def skipped(message: str, line: int | None = None, column: int | None = None) -> _FileResult:
        return _FileResult(shown, None, ScanWarning(shown, message, line, column), 0)

    try:
        with open(path, "rb") as handle:
            data = handle.read(PYTHON_LIMIT + 1)
    except OSError as err:
        return skipped(f"cannot read the file ({err.strerror or err}); skipped")
    if len(data) > PYTHON_LIMIT:
        return skipped(f"file larger than {PYTHON_LIMIT // 1048576} MiB, not scanned as Python; skipped")
    encoding = "utf-8"
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except SyntaxError as err:  # no usable coding declaration; say where UTF-8 fails, if it does
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as bad:
            return skipped(f"not valid utf-8 text (byte {bad.start}); skipped")
        return skipped(f"cannot decode: {err.msg}; skipped")
    except (UnicodeDecodeError, LookupError) as err:
        where = f" (byte {err.start})" if isinstance(err, UnicodeDecodeError) else ""
        return skipped(f"not valid {encoding} text{where}; skipped")
    if "\x00" in text:
        return skipped("contains NUL bytes: not Python source; skipped")
    try:
        tree = ast.parse(text, filename=shown)
    except SyntaxError as err:
        return skipped(f"cannot parse: {err.msg}; skipped", err.lineno, err.offset)
    except (RecursionError, MemoryError, ValueError) as err:
        return skipped(f"cannot parse: {type(err).__name__}; skipped")
    lines = _NEWLINE.split(text)
    try:
        module = scan_module(tree, lines)
    except RecursionError:
        return skipped("expressions nest too deeply to follow; skipped")
    return _FileResult(shown, module, None, len(lines))


# == the whole tree ============================================================================
def _finish(files: list[_FileResult]) -> list[Call]:
    """Decide the late roots with what every module taught, and turn findings into calls."""
    clients: set[str] = set()
    prefixes: dict[str, set[tuple[Segment, ...]]] = {}
    wrappers: dict[str, Wrapper] = {}
    for done in files:
        assert done.module is not None
        clients |= done.module.client_keys
        for name, wrapper in done.module.wrappers.items():
            wrappers.setdefault(name, wrapper)
        for key, chains in done.module.prefixes.items():
            prefixes.setdefault(key, set()).update(chains)
    calls: list[Call] = []
    used_wrappers: set[str] = set()
    for done in files:
        assert done.module is not None
        through = calls_through_wrappers(done.shown, done.module.wrapper_uses, wrappers)
        calls.extend(call for call, _ in through)
        used_wrappers.update(name for _, name in through)
    taken = {(call.file, call.line, call.column) for call in calls}
    for done in files:
        assert done.module is not None
        for found in done.module.found:
            if found.wraps in used_wrappers or (done.shown, found.line, found.column) in taken:
                continue  # a wrapper's own request (its callers are the calls), or a call through one
            segments = _resolve_root(found, clients, prefixes)
            if segments is False:
                continue
            calls.append(
                Call(
                    done.shown,
                    found.line,
                    found.column,
                    found.text,
                    found.method,
                    segments,
                    found.params,
                    found.params_complete,
                )
            )
    return calls


def _resolve_root(
    found: Found, clients: set[str], prefixes: dict[str, set[tuple[Segment, ...]]]
) -> tuple[Segment, ...] | Literal[False] | None:
    """The call's API path, or False when its chain is not an API client's after all."""
    root, segments = found.root, found.segments
    if root is None or root.kind == "client":
        return segments
    key = f"{root.name}()" if root.kind == "call" else root.name
    if key in clients:
        return segments
    if key in prefixes and len(prefixes[key]) == 1 and segments is not None:
        return (*next(iter(prefixes[key])), *segments)
    if segments is None:
        return False
    # ``ctx.obj.api.nodes(...)``: the client is an attribute further down the chain.
    for index, segment in enumerate(segments[: found.lead]):
        if not (segment.attr and segment.is_literal):
            break
        if segment.text in clients:
            return segments[index + 1 :]
        if found.helper:
            continue
        # Made out of sight: an API chain by its shape (a collection of the API, then more).
        if segment.text in API_ROOTS and found.lead - index >= 2:
            return segments[index:]
    return False
