"""``--format markdown``: a pull-request comment. Summary table first, breaking changes first."""

from __future__ import annotations

from ...printable import printable
from ..change import SEVERITIES, Change
from ..report import Report

__all__ = ["render"]

_ICONS = {"breaking": "🔴", "warning": "🟠", "non-breaking": "🟢", "info": "ℹ️"}
_COLLAPSED = ("non-breaking", "info")


def _cell(text: object) -> str:
    """Table cells: no pipes, no newlines, nothing that opens HTML or code spans."""
    flat = printable(" ".join(str(text).split()))
    return flat.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace("`", "\\`")


def _row(change: Change) -> str:
    parameter = _cell(change.parameter) if change.parameter else ""
    return (
        f"| `{change.method}` | {_cell(change.path)} | {parameter} | {_cell(change.rule)} | "
        f"{_cell(change.message)} |"
    )


def render(report: Report) -> str:
    out = [f"## API compatibility: {_cell(report.title)}", ""]
    out += [f"> {_cell(line)}" for line in report.verdict()]
    out += ["", "| severity | changes |", "|---|---:|"]
    summary = report.summary()
    out += [f"| {_ICONS[s]} {s} | {summary[s]} |" for s in SEVERITIES]
    if report.ignored:
        out.append(f"| ignored | {len(report.ignored)} |")
    for severity in SEVERITIES:
        group = [c for c in report.changes if c.severity == severity]
        if not group:
            continue
        heading = f"### {_ICONS[severity]} {severity} ({len(group)})"
        table = ["| method | path | parameter | rule | what changed |", "|---|---|---|---|---|"]
        table += [_row(c) for c in group]
        if severity in _COLLAPSED:
            out += ["", f"<details><summary>{severity} ({len(group)})</summary>", "", *table, "", "</details>"]
        else:
            out += ["", heading, "", *table]
    if report.ignored:
        out += [
            "",
            f"<details><summary>ignored ({len(report.ignored)})</summary>",
            "",
            "| method | path | parameter | rule | reason |",
            "|---|---|---|---|---|",
        ]
        for change, reason in report.ignored:
            out.append(
                f"| `{change.method}` | {_cell(change.path)} | {_cell(change.parameter or '')} | "
                f"{_cell(change.rule)} | {_cell(reason)} |"
            )
        out += ["", "</details>"]
    return "\n".join(out) + "\n"
