"""What the human-facing reporters share: folded groups per severity, the line about the rest."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from ..change import SEVERITIES, Change, Use
from ..fold import Group, fold
from ..report import Report

__all__ = ["Options", "by_severity", "full_report_hint", "rest_by_rule", "use_text"]


@dataclass(frozen=True)
class Options:
    verbose: bool = False  # text: list every change, not only breaking and warning ones
    full_report: str | None = None  # where the complete report is, named when a channel cuts


def by_severity(report: Report) -> dict[str, list[Group]]:
    groups: dict[str, list[Group]] = {s: [] for s in SEVERITIES}
    for group in fold(report.changes):
        groups[group.first.severity].append(group)
    return groups


def rest_by_rule(changes: Iterable[Change]) -> str:
    """ "464 non-breaking (return-property-added 262, ...), 8 info (...)" for changes not listed."""
    per_severity: dict[str, Counter[str]] = {}
    for change in changes:
        per_severity.setdefault(change.severity, Counter())[change.rule] += 1
    parts = []
    for severity in SEVERITIES:
        rules = per_severity.get(severity)
        if rules:
            listed = ", ".join(f"{rule} {n}" for rule, n in sorted(rules.items(), key=lambda item: (-item[1], item[0])))
            parts.append(f"{sum(rules.values())} {severity} ({listed})")
    return "; ".join(parts)


def full_report_hint(where: str | None) -> str:
    if where:
        return f"the complete report: {where}"
    return "the complete report: pvegen compat with --format json (or --format text --verbose)"


def use_text(use: Use) -> str:
    return f"{use.file}:{use.line}:{use.column}" + (" (may hit)" if use.may_hit else "")
