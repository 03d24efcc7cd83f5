"""``pvegen usage SRC --spec SPEC``: what in the calls one release would refuse, as linter findings.

Only certainties are findings: a call that can reach several operations (a computed segment, a method
the code does not show) is flagged only for what is wrong for every one of them; a required parameter
is "missing" only when the scan sees all the call's parameters; a value is checked only when the code
writes it literally. Values are checked by the same rules the mock server applies (PVE's JSONSchema).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from ..mock.validate import check_value
from ..model import Operation, split_indexed
from ..printable import printable
from ..runtime.redact import MASK
from ..runtime.redact import is_secret_name as secret_name
from .calls import UNKNOWN, Call
from .resolve import Hit, PathIndex, Resolution

__all__ = ["RULES", "Finding", "check_calls"]

RULES = {
    "unknown-endpoint": "no path of the release matches the call",
    "unknown-method": "the path exists, but not with this method",
    "unknown-parameter": "a parameter the operation does not have",
    "missing-parameter": "a required parameter the call does not pass (checked when all its parameters are known)",
    "invalid-value": "a literal value the release refuses (type, enum, range, length, pattern, format)",
}


@dataclass(frozen=True, slots=True)
class Finding:
    file: str
    line: int
    column: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.rule}: {printable(self.message)}"

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "column": self.column, "rule": self.rule, "message": self.message}


def check_calls(calls: list[Call], index: PathIndex, resolutions: list[Resolution]) -> list[Finding]:
    findings: list[Finding] = []
    release = f"pve {index.spec.version}" if index.spec.version else "the spec"
    for call, resolution in zip(calls, resolutions, strict=True):
        for rule, message in _check(call, index, resolution, release):
            findings.append(Finding(call.file, call.line, call.column, rule, message))
    return findings


def _check(call: Call, index: PathIndex, resolution: Resolution, release: str) -> list[tuple[str, str]]:
    if call.segments is None:
        return []  # the path is built where the scan cannot follow: nothing certain to say
    method = call.method or "a call"
    if not resolution.path_known:
        hint = _closest_path(call, index.shapes())
        return [("unknown-endpoint", f"{method} {call.shape}: no such path in {release}{hint}")]
    if not resolution.hits:
        shown = ", ".join(resolution.methods)
        return [("unknown-method", f"{method} {call.shape}: {release} has only {shown} on this path")]
    hits = resolution.hits
    out = _unknown_parameters(call, index, hits)
    out += _missing_parameters(call, index, hits)
    out += _invalid_values(call, index, hits)
    out += _invalid_path_values(hits)
    return out


def _label(hits: tuple[Hit, ...]) -> str:
    paths = sorted({hit.op.path for hit in hits})
    methods = sorted({hit.op.method for hit in hits})
    return f"{'/'.join(methods)} {paths[0] if len(paths) == 1 else ' or '.join(paths)}"


def _unknown_parameters(call: Call, index: PathIndex, hits: tuple[Hit, ...]) -> list[tuple[str, str]]:
    out = []
    for name, value in call.params.items():
        if value is None or any(hit.op.open or index.wire_name(hit.op, name) is not None for hit in hits):
            continue
        known = sorted({wire for hit in hits for wire in hit.op.parameters if wire not in hit.op.path_parameters})
        hint = _closest(name, [*known, *(split_indexed(w)[0] + "0" for w in known if split_indexed(w)[1])])
        out.append(("unknown-parameter", f"'{name}' is not a parameter of {_label(hits)}{hint}"))
    return out


def _missing_parameters(call: Call, index: PathIndex, hits: tuple[Hit, ...]) -> list[tuple[str, str]]:
    certain = [hit for hit in hits if not hit.may_hit]
    if not call.params_complete or not certain:
        return []
    missing_everywhere: set[str] | None = None
    for hit in certain:
        passed = index.families(hit.op, call.params)
        missing = {
            wire
            for wire, schema in hit.op.parameters.items()
            if schema.required and wire not in hit.op.path_parameters and wire not in passed
        }
        missing_everywhere = missing if missing_everywhere is None else missing_everywhere & missing
    return [
        ("missing-parameter", f"{_label(tuple(certain))} requires '{name}', which the call does not pass")
        for name in sorted(missing_everywhere or ())
    ]


def _invalid_values(call: Call, index: PathIndex, hits: tuple[Hit, ...]) -> list[tuple[str, str]]:
    out = []
    for name, value in call.params.items():
        if value is None or value is UNKNOWN:
            continue
        errors = []
        for hit in hits:
            wire = index.wire_name(hit.op, name)
            if wire is None:
                continue
            error = _value_error(hit.op, wire, name, value)
            if error is None:
                break  # valid for one of the operations it may reach: nothing certain
            errors.append(error)
        else:
            if errors:
                out.append(("invalid-value", f"{name}={_shown(name, value)}: {errors[0]}"))
    return out


def _invalid_path_values(hits: tuple[Hit, ...]) -> list[tuple[str, str]]:
    out = []
    names = {name for hit in hits for name, _ in hit.path_values}
    for name in sorted(names):
        errors: list[tuple[str, str]] = []
        for hit in hits:
            value = dict(hit.path_values).get(name)
            schema = hit.op.parameters.get(name)
            if value is None or schema is None:
                errors = []
                break
            _, error = check_value(name, schema, value)
            if error is None:
                errors = []
                break
            errors.append((value, error))
        if errors:
            value, error = errors[0]
            out.append(("invalid-value", f"path value {{{name}}}={_shown(name, value)}: {_one_line(error)}"))
    return out


def _value_error(op: Operation, wire: str, name: str, value: Any) -> str | None:
    schema = op.parameters[wire]
    if isinstance(value, dict):
        return None  # a typed property-string object or a mapping: not a literal the scan can check
    _, error = check_value(name, schema, value)
    return None if error is None else _one_line(error)


def _one_line(text: str) -> str:
    return "; ".join(part.strip() for part in text.strip().splitlines() if part.strip())


def _shown(name: str, value: Any) -> str:
    if secret_name(name):
        return MASK
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _closest_path(call: Call, templates: list[str]) -> str:
    """Compare like with like: each template with its placeholders filled by the call's own segments."""
    assert call.segments is not None
    filled: dict[str, str] = {}
    for template in templates:
        parts = template.strip("/").split("/")
        if len(parts) == len(call.segments):
            text = "/" + "/".join(
                seg.text if part.startswith("{") else part for part, seg in zip(parts, call.segments, strict=True)
            )
            filled.setdefault(text, template)
    match = difflib.get_close_matches(call.shape, list(filled), n=1, cutoff=0.6)
    return f" (did you mean '{filled[match[0]]}'?)" if match else ""


def _closest(word: str, candidates: list[str]) -> str:
    match = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""
