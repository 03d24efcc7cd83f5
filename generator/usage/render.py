"""Output of ``pvegen usage``: one line per call (text) or one JSON object; findings as linter lines.

Without a spec, a path is printed as the code builds it: literal text as written, ``{}`` for each value
the code computes (only a spec can tell a placeholder from a fixed segment the code writes literally:
``nodes("pve1")`` and ``agent("ping")`` look alike). With ``--spec``, the spec's templates.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..model import Spec
from ..printable import printable
from ..runtime.redact import MASK
from ..runtime.redact import is_secret_name as secret_name
from .calls import UNKNOWN, Call, ScanWarning
from .check import Finding
from .resolve import Resolution

__all__ = ["release_label", "render_json", "render_text", "summary"]


def release_label(spec: Spec | None) -> str:
    if spec is None:
        return ""
    return f"pve {spec.version}" if spec.version else "the spec"


def summary(calls: Sequence[Call], files: int) -> dict[str, int]:
    return {
        "calls": len(calls),
        "files": files,
        "unknown_parameters": sum(not call.params_complete for call in calls),
        "unknown_path": sum(call.segments is None for call in calls),
        "unknown_method": sum(call.method is None for call in calls),
    }


def render_text(
    calls: Sequence[Call],
    resolutions: Sequence[Resolution] | None,
    findings: Sequence[Finding],
    files: int,
    spec: Spec | None,
) -> str:
    release = release_label(spec)
    lines = []
    for index, call in enumerate(calls):
        where = f"{printable(call.file)}:{call.line}:{call.column}"
        params = _parameter_list(call)
        resolution = resolutions[index] if resolutions is not None else None
        if resolution is None or not resolution.hits:
            note = ""
            if call.method is None:
                note = "  [method not shown]"
            if resolution is not None and call.segments is not None:
                note += f"  [not in {release}]"
            path = call.shape if call.segments is not None else "? (path built where the scan cannot follow)"
            lines.append(f"{where}: {call.method or '*'} {printable(path)}{params}{note}")
            continue
        for hit in resolution.hits:
            note = "  [may hit: method not shown]" if hit.may_hit else ""
            lines.append(f"{where}: {hit.op.method} {printable(hit.op.path)}{params}{note}")
    lines.extend(str(finding) for finding in findings)
    counts = summary(calls, files)
    text = (
        f"{counts['calls']} call(s) in {counts['files']} file(s): {counts['unknown_parameters']} with parameters "
        f"the scan cannot see, {counts['unknown_method']} with a method it cannot tell, {counts['unknown_path']} "
        "with a path it cannot follow"
    )
    if spec is not None:
        text += f"; {len(findings)} finding(s) against {release}"
    lines.append(text)
    return "\n".join(lines) + "\n"


def _parameter_list(call: Call) -> str:
    names = [printable(name) for name, value in call.params.items() if value is not None]
    if not call.params_complete:
        names.append("+ unknown")
    return f"  ({', '.join(names)})" if names else ""


def render_json(
    sources: Sequence[str],
    calls: Sequence[Call],
    resolutions: Sequence[Resolution] | None,
    findings: Sequence[Finding],
    warnings: Sequence[ScanWarning],
    files: int,
    spec: Spec | None,
) -> str:
    entries = []
    for index, call in enumerate(calls):
        entry: dict[str, Any] = {
            "file": call.file,
            "line": call.line,
            "column": call.column,
            "call": call.text,
            "method": call.method,
            "path": call.shape if call.segments is not None else None,
            "parameters": [name for name, value in call.params.items() if value is not None],
            "values": {
                name: MASK if secret_name(name) else value
                for name, value in call.params.items()
                if value is not None and value is not UNKNOWN
            },
            "unknown_parameters": not call.params_complete,
            "source": call.style,
        }
        if resolutions is not None:
            entry["matches"] = [
                {"method": hit.op.method, "path": hit.op.path, "may_hit": hit.may_hit}
                for hit in resolutions[index].hits
            ]
        entries.append(entry)
    data = {
        "sources": list(sources),
        "spec": None if spec is None else {"version": spec.version, "source": spec.source},
        "summary": summary(calls, files),
        "calls": entries,
        "findings": [finding.to_json() for finding in findings],
        "warnings": [{"file": w.file, "line": w.line, "column": w.column, "message": w.message} for w in warnings],
    }
    return json.dumps(data, indent=2, ensure_ascii=False, default=repr) + "\n"
