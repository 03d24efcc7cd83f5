"""``--format text``: grouped by severity, then by operation, for reading in a terminal."""

from __future__ import annotations

from itertools import groupby

from ...printable import printable
from ..change import SEVERITIES, Change
from ..report import Report

__all__ = ["render"]


def _operation(change: Change) -> tuple[str, str]:
    return (change.path, change.method)


def _line(change: Change) -> str:
    where = f"{printable(change.parameter)}: " if change.parameter else ""
    basis = " (documented)" if change.basis == "documented" else ""
    return f"    [{change.rule}]{basis} {where}{printable(change.message)}"


def render(report: Report) -> str:
    # Spec text is printed with control characters made visible: a line break in a name must
    # not start a line of its own (CI runners execute lines such as ``::error::``).
    out = [f"pvegen compat: {printable(report.title)}", ""]
    out.extend(printable(line) for line in report.verdict())
    summary = report.summary()
    out.append("Summary: " + ", ".join(f"{summary[s]} {s}" for s in SEVERITIES))
    for severity in SEVERITIES:
        group = [c for c in report.changes if c.severity == severity]
        if not group:
            continue
        out += ["", f"== {severity.upper()} ({len(group)}) =="]
        ordered = sorted(group, key=lambda c: (c.path, c.method, c.parameter or "", c.rule))
        for (path, method), items in groupby(ordered, key=_operation):
            out.append(f"  {method} {printable(path)}")
            out.extend(_line(c) for c in items)
    if report.ignored:
        out += ["", f"== IGNORED ({len(report.ignored)}) =="]
        for change, reason in report.ignored:
            where = f" {printable(change.parameter)}" if change.parameter else ""
            out.append(
                f"  {change.method} {printable(change.path)}{where} [{change.rule}, {change.severity}]: "
                f"{printable(reason)}"
            )
    return "\n".join(out) + "\n"
