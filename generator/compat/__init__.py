"""The compatibility checker: ``diff(old, new) -> list[Change]``, the gate's policy, reporters."""

from .change import RULES, SEVERITIES, Change, Rule, Use, severity_rank
from .diff import diff
from .ignore import IgnoreEntry, IgnoreFileError, load_ignore_file, parse_ignore
from .policy import FAIL_ON_CHOICES, default_fail_on
from .report import Report, UsageScope, build_report

__all__ = [
    "FAIL_ON_CHOICES",
    "RULES",
    "SEVERITIES",
    "Change",
    "IgnoreEntry",
    "IgnoreFileError",
    "Report",
    "Rule",
    "UsageScope",
    "Use",
    "build_report",
    "default_fail_on",
    "diff",
    "load_ignore_file",
    "parse_ignore",
    "severity_rank",
]
