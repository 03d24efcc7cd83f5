"""``--format text``: grouped by severity, then by operation, for reading in a terminal."""

from __future__ import annotations

from itertools import groupby

from ..change import SEVERITIES, Change
from ..report import Report

__all__ = ["render"]


def _operation(change: Change) -> tuple[str, str]:
    return (change.path, change.method)


def _line(change: Change) -> str:
    where = f"{change.parameter}: " if change.parameter else ""
    basis = " (documented)" if change.basis == "documented" else ""
    return f"    [{change.rule}]{basis} {where}{change.message}"


def render(report: Report) -> str:
    out = [f"pvegen compat: {report.title}", ""]
    out.extend(report.verdict())
    summary = report.summary()
    out.append("Summary: " + ", ".join(f"{summary[s]} {s}" for s in SEVERITIES))
    for severity in SEVERITIES:
        group = [c for c in report.changes if c.severity == severity]
        if not group:
            continue
        out += ["", f"== {severity.upper()} ({len(group)}) =="]
        ordered = sorted(group, key=lambda c: (c.path, c.method, c.parameter or "", c.rule))
        for (path, method), items in groupby(ordered, key=_operation):
            out.append(f"  {method} {path}")
            out.extend(_line(c) for c in items)
    if report.ignored:
        out += ["", f"== IGNORED ({len(report.ignored)}) =="]
        for change, reason in report.ignored:
            where = f" {change.parameter}" if change.parameter else ""
            out.append(f"  {change.method} {change.path}{where} [{change.rule}, {change.severity}]: {reason}")
    return "\n".join(out) + "\n"
