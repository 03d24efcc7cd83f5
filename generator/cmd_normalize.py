"""``pvegen normalize SPEC -o FILE``."""

from __future__ import annotations

import argparse
import sys

from .cli import add_quiet_argument, add_spec_argument, add_version_argument
from .load import load_spec
from .normalize import write_spec


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_spec_argument(parser)
    parser.add_argument("-o", "--output", required=True, metavar="FILE", help="where to write (atomically)")
    add_version_argument(parser)
    add_quiet_argument(parser)


def run(args: argparse.Namespace) -> int:
    spec = load_spec(args.spec, version=args.spec_version)
    write_spec(spec, args.output)
    if not args.quiet:
        print(f"{args.output}: {len(spec.operations)} operations (pve {spec.version or 'unversioned'})")
    sys.stdout.flush()
    return 0
