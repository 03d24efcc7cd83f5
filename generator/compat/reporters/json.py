"""``--format json``: DESIGN.md's object. Extensions (allowed by the contract): each change also
has basis, related and fingerprint; top level adds promise, fail_on, failed and ignored."""

from __future__ import annotations

import json
from typing import Any

from ..report import Report
from .common import Options

__all__ = ["render", "to_data"]


def to_data(report: Report) -> dict[str, Any]:
    data: dict[str, Any] = {
        "old": {"version": report.old_version},
        "new": {"version": report.new_version},
        "summary": report.summary(),
        "changes": [change.to_json() for change in report.changes],
        "promise": {
            "kept": report.promise_kept(),
            "documented_breaking": len(report.breaking("documented")),
            "refined_breaking": len(report.breaking("refined")),
            "across_majors": report.across_majors,
        },
        "fail_on": report.fail_on,
        "failed": report.failed,
        "ignored": [{**change.to_json(), "reason": reason} for change, reason in report.ignored],
    }
    if report.usage is not None:
        data["usage"] = {
            "sources": list(report.usage.sources),
            "calls": report.usage.calls,
            "unfiltered": report.usage.unfiltered,
        }
    return data


def render(report: Report, options: Options | None = None) -> str:
    """Always complete: options (verbosity, channel limits) do not apply."""
    return json.dumps(to_data(report), indent=2, ensure_ascii=False, default=str) + "\n"
