"""``pvegen usage SRC...``: the API calls a user's code (or recording) makes; with ``--spec``, what
that release would refuse, one linter line each.

Exit 0: done (no finding); 1: findings against --spec; 2: usage or input error (a SRC that does not
exist, a bad spec). Files the scan cannot read are one warning line each on stderr, never an error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .cli import add_version_argument
from .compat.report import Report
from .load import load_spec
from .model import Spec
from .printable import printable
from .usage import scan
from .usage.check import check_calls
from .usage.render import render_json, render_text
from .usage.resolve import PathIndex
from .usage.select import filter_report

EXIT_CLEAN = 0
EXIT_FINDINGS = 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_sources_argument(parser)
    parser.add_argument(
        "--spec",
        metavar="SPEC",
        help="check the calls against this release (Proxmox schema or pvegen-spec/1); exit 1 on findings",
    )
    add_version_argument(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")


def add_sources_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "sources",
        metavar="SRC",
        nargs="+",
        help="Python files or folders (recursively), vcrpy cassettes, pvegen mock --log files, usage manifests",
    )


def run(args: argparse.Namespace) -> int:
    spec = load_spec(args.spec, version=args.spec_version) if args.spec else None
    result = scan(args.sources)
    print_warnings(result.warnings)
    resolutions = None
    findings = []
    if spec is not None:
        index = PathIndex(spec)
        resolutions = [index.resolve(call) for call in result.calls]
        findings = check_calls(result.calls, index, resolutions)
    if args.format == "json":
        text = render_json(args.sources, result.calls, resolutions, findings, result.warnings, result.files, spec)
    else:
        text = render_text(result.calls, resolutions, findings, result.files, spec)
    sys.stdout.write(text)
    sys.stdout.flush()
    return EXIT_FINDINGS if findings else EXIT_CLEAN


def print_warnings(warnings: Sequence[object]) -> None:
    for warning in warnings:
        print(printable(warning), file=sys.stderr)


def narrow_report(report: Report, old: Spec, new: Spec, sources: list[str]) -> Report:
    """``compat --usage``: the report kept to what the calls in ``sources`` touch (warnings on stderr)."""
    result = scan(sources)
    print_warnings(result.warnings)
    if not result.calls:
        print(f"pvegen compat: warning: no API calls found in {' '.join(sources)}", file=sys.stderr)
    return filter_report(report, result.calls, old, new, sources)
