"""``--format junit``: one test case per operation (every operation of either release), failing
when one of its changes is at or above the gate's threshold; ignored changes are skips."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from ...printable import printable
from ..change import Change
from ..policy import fails
from ..report import Report
from .common import Options, use_text

__all__ = ["render"]


def render(report: Report, options: Options | None = None) -> str:
    """Always complete: one test case per operation, whatever the options."""
    by_operation: dict[tuple[str, str], list[Change]] = defaultdict(list)
    for change in report.changes:
        by_operation[(change.method, change.path)].append(change)
    ignored: dict[tuple[str, str], list[tuple[Change, str]]] = defaultdict(list)
    for change, reason in report.ignored:
        ignored[(change.method, change.path)].append((change, reason))
    keys = sorted(set(report.operations) | set(by_operation) | set(ignored), key=lambda k: (k[1], k[0]))

    suite = ET.Element("testsuite", name=_xml_safe(f"pvegen compat {report.title}"))
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", name="verdict", value=_xml_safe(" ".join(report.verdict())))
    ET.SubElement(properties, "property", name="fail-on", value=report.fail_on)
    failures = skipped = 0
    for method, path in keys:
        case = ET.SubElement(suite, "testcase", classname=f"compat.{method}", name=_xml_safe(f"{method} {path}"))
        changes = by_operation.get((method, path), [])
        if fails(changes, report.fail_on):
            failures += 1
            worst = [c for c in changes if fails([c], report.fail_on)]
            failure = ET.SubElement(
                case,
                "failure",
                type=_xml_safe(worst[0].rule),
                message=f"{len(worst)} change(s) at or above {report.fail_on}",
            )
            failure.text = "\n".join(_line(c) for c in worst)
        elif not changes and ignored.get((method, path)):
            skipped += 1
            ET.SubElement(case, "skipped", message=_xml_safe("; ".join(r for _, r in ignored[(method, path)])))
        if changes:
            ET.SubElement(case, "system-out").text = "\n".join(_line(c) for c in changes)
    suite.set("tests", str(len(keys)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", str(skipped))
    root = ET.Element("testsuites", name="pvegen compat")
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _line(change: Change) -> str:
    where = f" {change.parameter}" if change.parameter else ""
    uses = "".join(f"\n    used at {use_text(use)}" for use in change.uses)
    return _xml_safe(f"[{change.severity}] {change.rule}{where}: {change.message}{uses}")


def _xml_safe(text: str) -> str:
    # XML 1.0 cannot carry most control characters; spec text (patterns, names) may hold them.
    return printable(text)
