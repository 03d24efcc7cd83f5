"""``--ignore FILE``: accepted changes, each with a reason. Ignored changes stay in the report,
listed as ignored; they only stop counting towards the gate.

File format (JSON)::

    {"ignore": [{"rule": "param-removed", "method": "POST", "path": "/storage*",
                 "parameter": "maxfiles", "reason": "we never set maxfiles"}]}

``rule``, ``path`` and ``reason`` are required; ``method`` and ``parameter`` default to any.
``*`` in rule, path and parameter matches any text (brackets are literal: ``net[n].model``).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import PvegenError
from .change import RULES, Change

__all__ = ["IgnoreEntry", "IgnoreFileError", "load_ignore_file", "parse_ignore", "split_ignored"]

_KEYS = {"rule", "method", "path", "parameter", "reason"}
_METHODS = {"GET", "POST", "PUT", "DELETE", "*"}


class IgnoreFileError(PvegenError):
    """The ignore file is unreadable or an entry is malformed."""


def _glob(pattern: str) -> re.Pattern[str]:
    return re.compile("^" + ".*".join(re.escape(part) for part in pattern.split("*")) + "$")


@dataclass(frozen=True)
class IgnoreEntry:
    rule: str
    method: str
    path: str
    parameter: str | None
    reason: str

    def matches(self, change: Change) -> bool:
        if not _glob(self.rule).match(change.rule):
            return False
        if self.method not in ("*", change.method):
            return False
        if not _glob(self.path).match(change.path):
            return False
        if self.parameter is None or self.parameter == "*":
            return True
        return change.parameter is not None and _glob(self.parameter).match(change.parameter) is not None


def load_ignore_file(path: str | os.PathLike[str]) -> list[IgnoreEntry]:
    name = os.fspath(path)
    try:
        text = Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise IgnoreFileError(f"{name}: cannot read the ignore file: {getattr(err, 'strerror', None) or err}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise IgnoreFileError(f"{name}:{err.lineno}:{err.colno}: not valid JSON: {err.msg}") from None
    return parse_ignore(data, name)


def parse_ignore(data: Any, source: str) -> list[IgnoreEntry]:
    entries = data.get("ignore") if isinstance(data, dict) else data
    if isinstance(data, dict) and set(data) - {"ignore"}:
        raise IgnoreFileError(f"{source}: unknown top-level key(s) {sorted(set(data) - {'ignore'})}; expected 'ignore'")
    if not isinstance(entries, list):
        raise IgnoreFileError(f'{source}: expected {{"ignore": [...]}} or a list of entries')
    return [_entry(raw, f"{source}: $.ignore[{index}]") for index, raw in enumerate(entries)]


def _entry(raw: Any, where: str) -> IgnoreEntry:
    if not isinstance(raw, dict):
        raise IgnoreFileError(f"{where}: an entry must be an object with rule, path and reason")
    unknown = set(raw) - _KEYS
    if unknown:
        raise IgnoreFileError(f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(_KEYS)}")
    for key in ("rule", "path", "reason"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise IgnoreFileError(f"{where}: '{key}' is required and must be a non-empty string")
    for key in ("method", "parameter"):
        if key in raw and raw[key] is not None and not isinstance(raw[key], str):
            raise IgnoreFileError(f"{where}: '{key}' must be a string")
    rule = raw["rule"]
    if "*" not in rule and rule not in RULES:
        raise IgnoreFileError(f"{where}: unknown rule '{rule}' (see docs/compat.md for the rule ids)")
    method = (raw.get("method") or "*").upper()
    if method not in _METHODS:
        raise IgnoreFileError(f"{where}: method must be GET, POST, PUT, DELETE or *, not '{raw['method']}'")
    return IgnoreEntry(
        rule=rule, method=method, path=raw["path"], parameter=raw.get("parameter"), reason=raw["reason"].strip()
    )


def split_ignored(changes: list[Change], entries: list[IgnoreEntry]) -> tuple[list[Change], list[tuple[Change, str]]]:
    """(changes that count, [(ignored change, reason)]): the first matching entry gives the reason."""
    kept: list[Change] = []
    ignored: list[tuple[Change, str]] = []
    for change in changes:
        entry = next((e for e in entries if e.matches(change)), None)
        if entry is None:
            kept.append(change)
        else:
            ignored.append((change, entry.reason))
    return kept, ignored
