"""``--format github``: GitHub Actions workflow commands (``::error file=...::message``).

GitHub shows at most 10 error and 10 warning annotations per step, so this emits at most 10 errors
(changes at or above the gate's threshold) and 10 warnings (other breaking and warning changes), 19
together, most severe first and folded like the text report, and then one notice with the verdict
and a count, by severity and rule, of everything not annotated: 20 annotations at most. A change
the user's code makes (``--usage``) is annotated on that file and line instead of the spec.
Values are escaped as the runner requires (%, CR, LF; and , : inside properties)."""

from __future__ import annotations

from ..change import SEVERITIES, Change, severity_rank
from ..fold import Group
from ..policy import FAIL_ON_CHOICES
from ..report import Report
from .common import Options, by_severity, full_report_hint, rest_by_rule

__all__ = ["MAX_ANNOTATIONS", "render"]

MAX_ERRORS = 10
MAX_WARNINGS = 10
MAX_ANNOTATIONS = 20  # errors and warnings together stay below this, with room for the one notice


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _level(change: Change, fail_on: str) -> str:
    if fail_on != "never" and severity_rank(change.severity) <= FAIL_ON_CHOICES.index(fail_on):
        return "error"
    return "warning" if change.severity in ("breaking", "warning") else "notice"


def _commands(group: Group, level: str, source: str) -> list[str]:
    change = group.first
    where = f" {group.parameter}" if group.parameter else ""
    title = _prop(f"{change.rule}: {change.method} {change.path}{where}")
    if not group.uses:
        return [f"::{level} file={_prop(source)},title={title}::{_data(group.message)}"]
    return [
        f"::{level} file={_prop(use.file)},line={use.line},col={use.column},title={title}::"
        f"{_data(group.message + (' (may hit)' if use.may_hit else ''))}"
        for use in group.uses
    ]


def render(report: Report, options: Options) -> str:
    source = report.new_source or "spec"
    limits = {"error": MAX_ERRORS, "warning": MAX_WARNINGS}
    out: list[str] = []
    left_out: list[Change] = []
    groups = by_severity(report)
    for severity in SEVERITIES:
        for group in groups[severity]:
            level = _level(group.first, report.fail_on)
            commands = _commands(group, level, source) if level in limits else []
            room = min(limits.get(level, 0), MAX_ANNOTATIONS - 1 - len(out))
            if not commands or len(commands) > room:
                left_out.extend(group.changes)
                continue
            out += commands
            limits[level] -= len(commands)
    left_out += [change for change, _ in report.ignored]
    summary = " ".join(report.verdict())
    if left_out:
        ignored = f" ({len(report.ignored)} of them ignored)" if report.ignored else ""
        summary += f" Not annotated{ignored}: {rest_by_rule(left_out)}; {full_report_hint(options.full_report)}."
    out.append(f"::notice title={_prop('pvegen compat ' + report.title)}::{_data(summary)}")
    return "\n".join(out) + "\n"
