"""``--format github``: GitHub Actions workflow commands (``::error file=...::message``).

Changes at or above the gate's threshold are errors; other breaking and warning changes are
warnings; the rest are notices. Values are escaped as the runner requires (%, CR, LF; and , :
inside properties)."""

from __future__ import annotations

from ..change import Change, severity_rank
from ..policy import FAIL_ON_CHOICES
from ..report import Report

__all__ = ["render"]


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _level(change: Change, fail_on: str) -> str:
    if fail_on != "never" and severity_rank(change.severity) <= FAIL_ON_CHOICES.index(fail_on):
        return "error"
    return "warning" if change.severity in ("breaking", "warning") else "notice"


def render(report: Report) -> str:
    source = report.new_source or "spec"
    out = []
    for change in report.changes:
        where = f" {change.parameter}" if change.parameter else ""
        title = f"{change.rule}: {change.method} {change.path}{where}"
        out.append(
            f"::{_level(change, report.fail_on)} file={_prop(source)},title={_prop(title)}::" f"{_data(change.message)}"
        )
    for change, reason in report.ignored:
        title = f"ignored {change.rule}: {change.method} {change.path}"
        message = f"{change.message} (ignored: {reason})"
        out.append(f"::notice file={_prop(source)},title={_prop(title)}::{_data(message)}")
    out.append(f"::notice title={_prop('pvegen compat ' + report.title)}::{_data(' '.join(report.verdict()))}")
    return "\n".join(out) + "\n"
