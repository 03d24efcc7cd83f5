"""The figures docs/compat.md quotes, produced by the checker itself (never typed by hand).

``python -m pvegen.compat.figures DIR [--write docs/compat.md]`` reads DIR/pve-<release>.js for the
releases below and prints (or writes between the ``<!-- figures:NAME -->`` markers) each figure; a test
fails when the docs differ from what the checker reports.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path

from ..atomic import write_text_atomic
from ..load import load_spec
from ..model import Spec
from .change import RULES
from .report import build_report
from .reporters import render

__all__ = [
    "PAIRS",
    "figures",
    "main",
    "marked",
    "release_table",
    "replace_figures",
    "rules_table",
    "sizes_table",
    "verdict_example",
]

PAIRS = (("5.4", "6.4"), ("6.4", "7.4"), ("7.4", "8.0"), ("8.0", "8.4"), ("8.4", "9.0"), ("9.0", "9.1"), ("8.4", "9.1"))
_MARKER = re.compile(r"(<!-- figures:(?P<name>[a-z-]+) -->\n)(?P<body>.*?)(<!-- /figures -->)", re.DOTALL)

Releases = Callable[[str], Spec]


def release_table(releases: Releases) -> str:
    rows = [
        "| pair | breaking | documented | refined | warning | non-breaking | info | promise | default gate |",
        "|---|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for old, new in PAIRS:
        report = build_report(releases(old), releases(new))
        s = report.summary()
        documented, refined = len(report.breaking("documented")), len(report.breaking("refined"))
        promise = "kept" if report.promise_kept() else "broken"
        gate = (
            "never fails" if report.fail_on == "never" else f"{report.fail_on}: {'FAIL' if report.failed else 'pass'}"
        )
        rows.append(
            f"| {old} -> {new} | {s['breaking']} | {documented} | {refined} | {s['warning']} | "
            f"{s['non-breaking']} | {s['info']} | {promise} | {gate} |"
        )
    return "\n".join(rows) + "\n"


def sizes_table(releases: Releases) -> str:
    """How big each report is for the largest pair: what fits which channel."""
    report = build_report(releases("8.4"), releases("9.1"))
    text, markdown, github = (render(report, fmt) for fmt in ("text", "markdown", "github"))
    annotations = sum(1 for line in github.splitlines() if line.startswith("::"))
    return (
        "| 8.4 -> 9.1 | findings | text lines | markdown characters | github annotations |\n"
        "|---|---:|---:|---:|---:|\n"
        f"| report | {len(report.changes)} | {len(text.splitlines())} | {len(markdown)} | {annotations} |\n"
    )


def rules_table(_: Releases | None = None) -> str:
    """Every rule id with its default severity, basis and meaning (``param-subkey-*`` mirror ``param-*``)."""
    rows = ["| rule | severity | basis | meaning |", "|---|---|---|---|"]
    rows += [
        f"| `{r.id}` | {r.severity} | {r.basis} | {r.meaning} |"
        for r in RULES.values()
        if not r.id.startswith("param-subkey-") or r.id.replace("param-subkey-", "param-") not in RULES
    ]
    return "\n".join(rows) + "\n"


def verdict_example(releases: Releases) -> str:
    report = build_report(releases("8.0"), releases("8.4"))
    return "```\n" + "\n".join(report.verdict()) + "\n```\n"


FIGURES: dict[str, Callable[[Releases], str]] = {
    "rules": rules_table,
    "releases": release_table,
    "sizes": sizes_table,
    "verdict": verdict_example,
}


def figures(releases: Releases) -> dict[str, str]:
    return {name: make(releases) for name, make in FIGURES.items()}


def replace_figures(document: str, produced: dict[str, str]) -> str:
    """The document with each marked figure replaced by the produced one."""

    def swap(match: re.Match[str]) -> str:
        name = match.group("name")
        return match.group(1) + produced.get(name, match.group("body")) + match.group(4)

    return _MARKER.sub(swap, document)


def marked(document: str) -> dict[str, str]:
    """The figures a document quotes now, by name."""
    return {m.group("name"): m.group("body") for m in _MARKER.finditer(document)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pvegen.compat.figures", description=__doc__)
    parser.add_argument("directory", type=Path, help="folder with pve-<release>.js files")
    parser.add_argument("--write", type=Path, metavar="DOC", help="replace the marked figures in DOC")
    args = parser.parse_args(argv)
    cache: dict[str, Spec] = {}

    def releases(version: str) -> Spec:
        if version not in cache:
            cache[version] = load_spec(args.directory / f"pve-{version}.js")
        return cache[version]

    produced = figures(releases)
    if args.write:
        write_text_atomic(args.write, replace_figures(args.write.read_text(encoding="utf-8"), produced))
    else:
        for name, body in produced.items():
            sys.stdout.write(f"<!-- figures:{name} -->\n{body}<!-- /figures -->\n\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
