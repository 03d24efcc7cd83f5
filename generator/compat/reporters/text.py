"""``--format text``: for a terminal or a CI log. Breaking and warning changes grouped by operation,
identical findings folded into one line, the rest as one line per severity by rule (``--verbose``
lists everything). Under ``--usage`` each change shows where the user's code makes the call."""

from __future__ import annotations

from itertools import groupby

from ...printable import printable
from ..change import SEVERITIES
from ..fold import Group
from ..report import Report
from .common import Options, by_severity, rest_by_rule, use_text

__all__ = ["render"]

_LISTED = ("breaking", "warning")


def _operation(group: Group) -> tuple[str, str]:
    return (group.first.path, group.first.method)


def _lines(group: Group) -> list[str]:
    change = group.first
    where = f"{printable(group.parameter)}: " if group.parameter else ""
    basis = " (documented)" if change.basis == "documented" else ""
    count = f" [{len(group.changes)} findings]" if len(group.changes) > 1 else ""
    out = [f"    [{change.rule}]{basis}{count} {where}{printable(group.message)}"]
    out += [f"      at {printable(use_text(use))}" for use in group.uses]
    return out


def render(report: Report, options: Options) -> str:
    # Spec text is printed with control characters made visible: a line break in a name must
    # not start a line of its own (CI runners execute lines such as ``::error::``).
    out = [f"pvegen compat: {printable(report.title)}", ""]
    out.extend(printable(line) for line in report.verdict())
    summary = report.summary()
    out.append("Summary: " + ", ".join(f"{summary[s]} {s}" for s in SEVERITIES))
    groups = by_severity(report)
    shown = SEVERITIES if options.verbose else _LISTED
    for severity in shown:
        if not groups[severity]:
            continue
        out += ["", f"== {severity.upper()} ({summary[severity]}) =="]
        ordered = sorted(groups[severity], key=lambda g: (*_operation(g), g.parameter or "", g.first.rule))
        for (path, method), items in groupby(ordered, key=_operation):
            out.append(f"  {method} {printable(path)}")
            for group in items:
                out.extend(_lines(group))
    rest = [c for c in report.changes if c.severity not in shown]
    if rest:
        out += ["", f"Not listed (--verbose lists them): {rest_by_rule(rest)}."]
    if report.ignored:
        out += ["", f"== IGNORED ({len(report.ignored)}) =="]
        for change, reason in report.ignored:
            where = f" {printable(change.parameter)}" if change.parameter else ""
            out.append(
                f"  {change.method} {printable(change.path)}{where} [{change.rule}, {change.severity}]: "
                f"{printable(reason)}"
            )
    return "\n".join(out) + "\n"
