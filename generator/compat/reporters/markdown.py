"""``--format markdown``: a pull-request comment. Verdict and summary first, then breaking and warning
tables, non-breaking and info collapsed. Never longer than GitHub accepts for a comment: when it would
be, the lowest severities go first (then rows of the higher ones), and a line says what was left out
and where the complete report is."""

from __future__ import annotations

from ...printable import printable
from ..change import SEVERITIES
from ..fold import Group
from ..report import Report
from .common import Options, by_severity, full_report_hint, rest_by_rule, use_text

__all__ = ["LIMIT", "render"]

LIMIT = 65_536  # characters GitHub accepts in one comment
_ICONS = {"breaking": "🔴", "warning": "🟠", "non-breaking": "🟢", "info": "ℹ️"}
_COLLAPSED = ("non-breaking", "info")
_HEADER = ["| method | path | parameter | rule | what changed |", "|---|---|---|---|---|"]
_NOTE_ROOM = 2_000  # kept free for the line that says what was cut


def _cell(text: object) -> str:
    """Table cells: no pipes, no newlines, nothing that opens HTML or code spans."""
    flat = printable(" ".join(str(text).split()))
    return flat.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace("`", "\\`")


def _row(group: Group) -> str:
    change = group.first
    parameter = _cell(group.parameter) if group.parameter else ""
    what = _cell(group.message)
    if group.uses:
        what += "".join(f"<br>used at {_cell(use_text(use))}" for use in group.uses)
    return f"| `{change.method}` | {_cell(change.path)} | {parameter} | {_cell(change.rule)} | {what} |"


def render(report: Report, options: Options) -> str:
    head = [f"## API compatibility: {_cell(report.title)}", ""]
    head += [f"> {_cell(line)}" for line in report.verdict()]
    head += ["", "| severity | changes |", "|---|---:|"]
    summary = report.summary()
    head += [f"| {_ICONS[s]} {s} | {summary[s]} |" for s in SEVERITIES]
    if report.ignored:
        head.append(f"| ignored | {len(report.ignored)} |")

    budget = LIMIT - _NOTE_ROOM - _size(head)
    body: list[str] = []
    left_out: list[Group] = []
    groups = by_severity(report)
    for severity in SEVERITIES:
        rows = [_row(g) for g in groups[severity]]
        if not rows:
            continue
        if severity in _COLLAPSED:
            section = ["", f"<details><summary>{severity} ({summary[severity]})</summary>", "", *_HEADER, *rows]
            section += ["", "</details>"]
            if _size(section) <= budget:
                body += section
                budget -= _size(section)
            else:
                left_out += groups[severity]
            continue
        section = ["", f"### {_ICONS[severity]} {severity} ({summary[severity]})", "", *_HEADER]
        kept = 0
        for row in rows:
            if _size([*section, row]) > budget:
                break
            section.append(row)
            kept += 1
        if kept:
            body += section
            budget -= _size(section)
        left_out += groups[severity][kept:]
    ignored = _ignored(report)
    if ignored and _size(ignored) <= budget:
        body += ignored
    elif ignored:
        body += ["", f"_{len(report.ignored)} ignored change(s) not listed here._"]
    if left_out:
        cut = [c for g in left_out for c in g.changes]
        body += [
            "",
            f"_Cut to fit GitHub's {LIMIT:,}-character comment limit: not listed here are "
            f"{_cell(rest_by_rule(cut))[:_NOTE_ROOM // 2]}; "
            f"{_cell(full_report_hint(options.full_report))}._",
        ]
    text = "\n".join(head + body) + "\n"
    if len(text) > LIMIT:  # only hostile labels get here: the head alone is over the limit
        text = text[: LIMIT - 80] + "\n\n_(cut to fit GitHub's comment limit)_\n"
    return text


def _ignored(report: Report) -> list[str]:
    if not report.ignored:
        return []
    out = [
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
    return [*out, "", "</details>"]


def _size(lines: list[str]) -> int:
    return sum(len(line) + 1 for line in lines)
