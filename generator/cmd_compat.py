"""``pvegen compat OLD NEW``: what breaks between two API releases, as a CI gate.

Exit 0: nothing at or above --fail-on; 1: something is; 2: usage or input error.
Default --fail-on: ``breaking`` within a major release (or when a version is unknown),
``never`` across majors (Proxmox promises nothing there: the report is the migration list).
"""

from __future__ import annotations

import argparse
import sys

from .atomic import write_text_atomic
from .cli import add_spec_argument
from .compat import FAIL_ON_CHOICES, build_report, load_ignore_file
from .compat.reporters import FORMATS, Options, render
from .load import load_spec

EXIT_CLEAN = 0
EXIT_FAILED = 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_spec_argument(parser, "old", "the spec users have now (Proxmox schema or pvegen-spec/1)")
    add_spec_argument(parser, "new", "the spec they upgrade to")
    parser.add_argument("--format", choices=tuple(FORMATS), default="text", help="report format (default: text)")
    parser.add_argument(
        "--fail-on",
        choices=FAIL_ON_CHOICES,
        default=None,
        help="lowest severity that fails the gate (default: breaking within a major release, never across majors)",
    )
    parser.add_argument("--ignore", metavar="FILE", help="JSON file of accepted changes, each with a reason")
    parser.add_argument(
        "--usage",
        metavar="SRC",
        nargs="+",
        help="keep only the changes the API calls in these Python files/folders, cassettes or mock logs touch",
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write the report here (atomically) instead of stdout")
    parser.add_argument(
        "--verbose", action="store_true", help="text: list every change (default: breaking and warning ones)"
    )
    parser.add_argument(
        "--full-report",
        metavar="WHERE",
        help="where the complete report is (a URL or file), named when markdown or github output is cut to fit",
    )
    for side in ("old", "new"):
        parser.add_argument(
            f"--{side}-version",
            metavar="LABEL",
            help=f"version label of {side.upper()} (default: from the spec or its file name)",
        )


def run(args: argparse.Namespace) -> int:
    # Read everything before writing anything: bad input never leaves half a report.
    ignore = load_ignore_file(args.ignore) if args.ignore else []
    old = load_spec(args.old, version=args.old_version)
    new = load_spec(args.new, version=args.new_version)
    report = build_report(old, new, fail_on=args.fail_on, ignore=ignore)
    if args.usage:
        from .cmd_usage import narrow_report  # the scanner's stack (yaml, ast walkers) only when --usage asks

        report = narrow_report(report, old, new, args.usage)
    text = render(report, args.format, Options(verbose=args.verbose, full_report=args.full_report))
    if args.output:
        write_text_atomic(args.output, text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    return EXIT_FAILED if report.failed else EXIT_CLEAN
